//! `deploy:` in site.yaml: where `brief deploy` uploads the built site. Credentials come
//! from the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`), never from here.

use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::yaml::{Origin, Spanned};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDeploy {
    url: Option<Spanned<String>>,
    endpoint: Option<Spanned<String>>,
    region: Option<String>,
}

/// An S3-compatible store and the prefix the site goes under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deploy {
    /// `s3://bucket/prefix`, as site.yaml has it, for messages.
    pub url: String,
    pub bucket: String,
    /// The folder of the bucket the site goes in, without slashes at its ends; may be empty.
    pub prefix: String,
    /// The store's address, for stores other than AWS (R2, MinIO, B2).
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// Where `url` is written, for messages about it.
    pub place: Diagnostic,
}

pub(super) fn deploy(
    raw: &Option<RawDeploy>,
    origin: Origin<'_>,
    diags: &mut Diagnostics,
) -> Option<Deploy> {
    let raw = raw.as_ref()?;
    let Some(url) = &raw.url else {
        diags.push(
            origin
                .diag(0, 0, "`deploy:` has no `url`")
                .help("write the store and prefix to upload to, e.g. `url: s3://my-bucket/briefs`"),
        );
        return None;
    };
    let rest = url.value.trim().strip_prefix("s3://").unwrap_or("");
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        diags.push(
            origin
                .diag_at(url, format!("`{}` is not an S3 address", url.value.trim()))
                .help("write `s3://<bucket>` or `s3://<bucket>/<prefix>`; for R2, MinIO or B2 add `endpoint:` with the store's https:// address"),
        );
        return None;
    }
    let prefix = prefix.trim_end_matches('/');
    if let Some(part) = prefix
        .split('/')
        .find(|p| !is_prefix_part(p))
        .filter(|_| !prefix.is_empty())
    {
        let what = match part {
            "" => "an empty part (`//`)".to_string(),
            _ => format!("the part `{part}`"),
        };
        diags.push(
            origin
                .diag_at(url, format!("the prefix in `{}` has {what}", url.value.trim()))
                .help("name the prefix with letters, digits, `-`, `_` and `.`, parts separated by single `/`, e.g. `s3://my-bucket/briefs/en`"),
        );
        return None;
    }
    let endpoint = raw.endpoint.as_ref().and_then(|e| {
        let value = e.value.trim();
        let web = crate::text::is_web(value);
        if !web {
            diags.push(
                origin
                    .diag_at(e, format!("`{value}` is not a web address"))
                    .help("write the store's address, e.g. `endpoint: https://<account>.r2.cloudflarestorage.com`"),
            );
        }
        web.then(|| value.to_string())
    });
    Some(Deploy {
        url: url.value.trim().trim_end_matches('/').to_string(),
        bucket: bucket.to_string(),
        prefix: prefix.to_string(),
        endpoint,
        region: raw.region.as_ref().map(|r| r.trim().to_string()),
        place: origin.diag_at(url, ""),
    })
}

/// A part of the prefix a store and a reader agree on: no `.` or `..`, which some stores
/// and tools read as folders, and nothing that needs escaping in an address.
fn is_prefix_part(part: &str) -> bool {
    !matches!(part, "" | "." | "..")
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
