//! `feeds:` in site.yaml: what a feed entry holds.

use serde::Deserialize;

use crate::diag::Diagnostics;
use crate::yaml::{Origin, Spanned};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeeds {
    content: Option<Spanned<String>>,
}

/// `feeds.content`: whether entries hold the summary (the default) or the whole briefing.
pub(super) fn full_content(raw: &RawFeeds, origin: Origin<'_>, diags: &mut Diagnostics) -> bool {
    let Some(content) = &raw.content else {
        return false;
    };
    match content.value.trim() {
        "summary" => false,
        "full" => true,
        other => {
            diags.push(
                origin
                    .diag_at(content, format!("`feeds.content` cannot be `{other}`"))
                    .help("write `content: full` for whole briefings in feeds, or `content: summary` (the default) for their summaries"),
            );
            false
        }
    }
}
