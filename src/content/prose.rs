//! A file's Markdown body, rendered, with its annotations and fact boxes validated. Shared by
//! briefings, topic intros, entity profiles and pages.

use std::collections::HashSet;

use super::raw::RawFact;
use super::{Date, Fact, SourceFile};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{self, BodyContext, Claim, External, LocalLink, Ref};
use crate::picture::Picture;
use crate::text::nearest;
use crate::yaml::{self, Origin, Spanned};

/// A rendered body. Its HTML holds markers for site links and fact boxes, which the
/// renderer fills in.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Prose {
    /// Kept apart in the build cache (see `cached`).
    #[serde(skip)]
    pub html: Html,
    pub refs: Vec<Ref>,
    /// Links and images to paths of the site, checked once the site's files are known.
    pub local_links: Vec<LocalLink>,
    /// http(s) addresses the file links to or shows, in its body and front matter.
    pub external: Vec<External>,
    pub claims: Vec<Claim>,
    /// The body's ```` ```facts ```` blocks, in order.
    pub fact_boxes: Vec<Vec<Fact>>,
    pub highlighted: bool,
    /// The site's own images the body shows, in order (`pic:N` markers in `html`).
    pub pictures: Vec<Picture>,
    /// A hash of the body as written, so a preview can tell cheaply whether it changed.
    pub fingerprint: u64,
}

impl Prose {
    /// Records an http(s) address written in the front matter.
    pub fn add_external(&mut self, origin: Origin<'_>, url: &Spanned<String>) {
        if crate::text::is_web(&url.value) {
            let (line, col) = origin.line_col(url);
            let url = url.value.trim().to_string();
            self.external.push(External {
                url,
                line,
                col: col.into(),
            });
        }
    }
}

/// A body's HTML: in memory, or in an entry of the build cache until a page shows it, so
/// that a large site's bodies are not all held in memory at once.
#[derive(Debug, Clone)]
pub enum Html {
    Text(String),
    /// The entry at `spot` in the pack at `pack`, kept for `key` (see `crate::cache`).
    Cached {
        pack: std::sync::Arc<crate::cache::pack::Pack>,
        spot: crate::cache::pack::Spot,
        key: u64,
    },
}

impl Default for Html {
    fn default() -> Html {
        Html::Text(String::new())
    }
}

impl Html {
    /// The HTML, read from the cache if it is kept there.
    pub fn read(&self) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        match self {
            Html::Text(text) => Ok(text.into()),
            Html::Cached { pack, spot, key } => pack
                .read(*spot, *key)
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .map(Into::into)
                .ok_or_else(|| {
                    // Removed, so the next build converts its pack's files again.
                    let _ = std::fs::remove_file(&pack.path);
                    Diagnostic::new(
                        pack.path.clone(),
                        "a body kept in the build cache was changed or damaged",
                    )
                    .help("build again: the damaged entry was removed and will be made anew")
                }),
        }
    }
}

pub const DATE_HELP: &str =
    "write a date as YYYY-MM-DD or an RFC 3339 timestamp such as 2025-03-14T09:30:00+03:00";

/// Renders the body of `file`; `sources` are the ids its citations and facts may name.
pub fn render(
    file: &SourceFile<'_>,
    config: &Config,
    sources: &[String],
) -> Result<Prose, Diagnostics> {
    let cx = BodyContext {
        display: file.display,
        text: file.text,
        body_start: file.split.body_start,
        kinds: &config.entity_kinds,
        sources,
        lines: Default::default(),
    };
    let (body, mut diags) = markdown::render_all(file.body(), &cx);
    let ids: HashSet<&str> = sources.iter().map(String::as_str).collect();
    let mut fact_boxes = Vec::new();
    for block in &body.fact_blocks {
        let origin = Origin {
            path: file.display,
            file_text: file.text,
            first_line: block.first_line,
        };
        match yaml::parse::<Vec<RawFact>>(&block.yaml, origin) {
            Ok(raw) => fact_boxes.push(facts(&raw, origin, &ids, &mut diags)),
            Err(d)
                if d.message.starts_with("YAML too large")
                    || d.message.starts_with("unknown field")
                    || d.message.starts_with("curly quotes") =>
            {
                diags.push(d)
            }
            Err(d) => diags.push(d.help(
                "a facts block holds a YAML list: `- label: ...` then `  value: ...` on the next line",
            )),
        }
    }
    let pictures = body
        .images
        .iter()
        .filter_map(|image| {
            locate(file, config, &image.src, &image.place)
                .map_err(|d| diags.push(d))
                .ok()
        })
        .collect();
    let fingerprint = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        file.text.hash(&mut h);
        h.finish()
    };
    diags.into_result(Prose {
        fingerprint,
        html: Html::Text(body.html),
        refs: body.refs,
        local_links: body.local_links,
        external: body.external,
        claims: body.claims,
        fact_boxes,
        highlighted: body.highlighted,
        pictures,
    })
}

/// The picture `src` names in `file`, or an error at `place` saying what is wrong.
pub fn locate(
    file: &SourceFile<'_>,
    config: &Config,
    src: &str,
    place: &Diagnostic,
) -> Result<Picture, Diagnostic> {
    let statics = config.static_dirs();
    let lookup = crate::picture::Lookup {
        root: &config.root,
        statics: &statics,
    };
    let beside = file.display.parent().unwrap_or(std::path::Path::new(""));
    lookup.locate(src, beside).map_err(|problem| {
        let (message, help) = problem.explain(src);
        place.clone().with_message(message).help(help)
    })
}

/// Validates facts (from front matter or a facts block) against the declared source ids.
pub fn facts(
    raw: &[RawFact],
    origin: Origin<'_>,
    ids: &HashSet<&str>,
    diags: &mut Diagnostics,
) -> Vec<Fact> {
    raw.iter()
        .map(|f| {
            if let Some(src) = &f.source
                && !ids.contains(src.value.as_str())
            {
                diags.push(unknown_source(origin, src, ids));
            }
            Fact {
                place: Box::new(origin.diag_at(&f.label, "")),
                label: crate::markdown::smart_text(&f.label.value),
                value: crate::markdown::smart_text(&f.value.0),
                source: f.source.as_ref().map(|s| s.value.clone()),
                as_of: f
                    .as_of
                    .as_ref()
                    .and_then(|d| date(d, "as_of", origin, diags)),
            }
        })
        .collect()
}

/// Parses a date field, reporting a located error.
pub fn date(
    value: &Spanned<String>,
    field: &str,
    origin: Origin<'_>,
    diags: &mut Diagnostics,
) -> Option<Date> {
    match Date::parse(&value.value) {
        Ok(d) => Some(d),
        Err(why) => {
            diags.push(
                origin
                    .diag_at(value, format!("`{field}` is not a valid date: {why}"))
                    .help(DATE_HELP),
            );
            None
        }
    }
}

fn unknown_source(origin: Origin<'_>, src: &Spanned<String>, ids: &HashSet<&str>) -> Diagnostic {
    let d = origin.diag_at(src, format!("unknown source id `{}`", src.value));
    match nearest(&src.value, ids.iter().copied()) {
        Some(near) => d.help(format!(
            "did you mean `{near}`? Sources are declared under `sources:` with an `id`"
        )),
        None => d.help("declare it under `sources:` with `id:`, `name:` and `url:`"),
    }
}
