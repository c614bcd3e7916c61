//! `link_checker:` in site.yaml: how `--external` checks the site's web addresses.

use serde::Deserialize;

use crate::diag::Diagnostics;
use crate::yaml::{Origin, Spanned};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLinkChecker {
    #[serde(default)]
    skip_prefixes: Vec<Spanned<String>>,
    cache_hours: Option<Spanned<u32>>,
    timeout_seconds: Option<Spanned<u32>>,
}

/// How `--external` checks web addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkChecker {
    /// Addresses starting with one of these are not checked.
    pub skip_prefixes: Vec<String>,
    /// How long a result is trusted before the address is asked again.
    pub cache_for: std::time::Duration,
    /// How long one request may take.
    pub timeout: std::time::Duration,
}

impl Default for LinkChecker {
    fn default() -> LinkChecker {
        LinkChecker {
            skip_prefixes: Vec::new(),
            cache_for: std::time::Duration::from_secs(24 * 3600),
            timeout: std::time::Duration::from_secs(10),
        }
    }
}

pub(super) fn link_checker(
    raw: &RawLinkChecker,
    origin: Origin<'_>,
    diags: &mut Diagnostics,
) -> LinkChecker {
    let default = LinkChecker::default();
    let timeout = match &raw.timeout_seconds {
        Some(t) if t.value == 0 => {
            diags.push(
                origin
                    .diag_at(t, "`link_checker.timeout_seconds` must be at least 1")
                    .help("the default is 10 seconds"),
            );
            default.timeout
        }
        Some(t) => std::time::Duration::from_secs(t.value.into()),
        None => default.timeout,
    };
    let hours = raw.cache_hours.as_ref().map(|h| u64::from(h.value));
    LinkChecker {
        skip_prefixes: skip_prefixes(raw, origin, diags),
        cache_for: hours.map_or(default.cache_for, |h| {
            std::time::Duration::from_secs(h * 3600)
        }),
        timeout,
    }
}

/// The prefixes of addresses not to check. Each must start like the addresses it skips: a
/// prefix without `http://` or `https://` would skip nothing.
fn skip_prefixes(raw: &RawLinkChecker, origin: Origin<'_>, diags: &mut Diagnostics) -> Vec<String> {
    let mut prefixes = Vec::new();
    for prefix in &raw.skip_prefixes {
        let value = prefix.value.trim();
        if value.starts_with("http://") || value.starts_with("https://") {
            prefixes.push(value.to_string());
            continue;
        }
        let example = format!("https://{}", value.trim_start_matches('/'));
        diags.push(
            origin
                .diag_at(prefix, format!("`{value}` would skip no address"))
                .help(format!(
                    "start it as the addresses it skips do, e.g. `{example}`"
                )),
        );
    }
    prefixes
}
