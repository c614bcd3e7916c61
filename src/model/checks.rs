//! Cross-file checks that stop a build: links to what does not exist or is not published,
//! and intros or profiles that almost name a topic or entity in use.

use std::collections::HashMap;
use std::sync::Arc;

use super::KindIndex;
use super::taxonomy::Taxon;
use crate::content::{At, Prose, Unpublished, Withheld as Why};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{RefKind, Target};
use crate::text::nearest;

/// The briefings this build leaves out, by slug, so a link to one can say why it fails.
pub struct Withheld(HashMap<String, Why>);

impl Withheld {
    pub fn new(unpublished: &[Arc<Unpublished>]) -> Withheld {
        Withheld(
            unpublished
                .iter()
                .map(|u| (u.slug.clone(), u.why))
                .collect(),
        )
    }

    /// The error for a link to `slug` from a published briefing, when it is withheld.
    fn explain(&self, slug: &str, place: &Diagnostic) -> Option<Diagnostic> {
        let (message, help) = match self.0.get(slug)? {
            Why::Draft => (
                format!("`{slug}` is a draft"),
                "publish it (remove `draft: true`), remove the link, or build with --drafts"
                    .to_string(),
            ),
            Why::Scheduled(date) => (
                format!(
                    "`{slug}` is scheduled for {} and not published yet",
                    date.human_with_time()
                ),
                "remove the link until then, or build with --future to preview it".to_string(),
            ),
        };
        Some(place.clone().with_message(message).help(help))
    }
}

/// `related:` naming a briefing that is not in the site.
pub fn unknown_related(
    r: &At<String>,
    by_slug: &HashMap<String, usize>,
    withheld: &Withheld,
) -> Diagnostic {
    if let Some(d) = withheld.explain(&r.value, &r.place) {
        return d;
    }
    r.error(format!("`related` names an unknown briefing `{}`", r.value))
        .help(
            match nearest(&r.value, by_slug.keys().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`? `related` lists briefing slugs"),
                None => {
                    "`related` lists the slugs of other briefings (their file names without .md)"
                        .into()
                }
            },
        )
}

/// Reports `story:`, `topic:` and entity links whose target does not exist.
pub fn refs(
    prose: &Prose,
    targets: &HashMap<Target, String>,
    withheld: &Withheld,
    diags: &mut Diagnostics,
) {
    for r in &prose.refs {
        let what = match &r.kind {
            RefKind::Story => "briefing",
            RefKind::Topic => "topic",
            RefKind::Entity(_) => "entity",
        };
        let prefix = r.kind.prefix();
        let key = r.target();
        if targets.contains_key(&key) {
            continue;
        }
        if r.kind == RefKind::Story
            && let Some(d) = withheld.explain(&r.slug, &r.place)
        {
            diags.push(d);
            continue;
        }
        let candidates = targets
            .keys()
            .filter(|t| t.kind == r.kind)
            .map(|t| t.slug.as_str());
        let help = match nearest(&r.slug, candidates) {
            Some(near) => format!("did you mean `{prefix}:{near}`?"),
            None => match r.kind {
                RefKind::Story => {
                    "link to a briefing by its slug (its file name without .md)".into()
                }
                RefKind::Topic => "link to a topic that some briefing lists under `topics:`".into(),
                RefKind::Entity(_) => format!(
                    "no briefing lists it under `{prefix}:` and it has no profile: add it to a briefing's `{prefix}:` list, or create content/entities/{prefix}/{}.md",
                    r.slug
                ),
            },
        };
        let mut d = r.place.clone();
        d.message = format!("unknown {what} `{}` in `{key}`", r.slug);
        diags.push(d.help(help));
    }
}

/// An intro or profile whose slug no briefing uses, but which is a near miss of one in use
/// (a few edits apart, or the same display name): almost always a typo in the file name.
pub fn near_misses(topics: &[Taxon], kinds: &[KindIndex], diags: &mut Diagnostics) {
    near_misses_in("topics", topics, diags);
    for k in kinds {
        near_misses_in(&format!("entities/{}", k.kind.key), &k.taxa, diags);
    }
}

fn near_misses_in(folder: &str, taxa: &[Taxon], diags: &mut Diagnostics) {
    let in_use: Vec<&Taxon> = taxa.iter().filter(|t| !t.briefings.is_empty()).collect();
    for orphan in taxa.iter().filter(|t| t.briefings.is_empty()) {
        let Some(file) = &orphan.file else { continue };
        let Some(meant) = probably_meant(orphan, &in_use) else {
            continue;
        };
        diags.push(
            Diagnostic::new(
                file,
                format!(
                    "no briefing uses the slug `{}`; did you mean `{}`?",
                    orphan.slug, meant.slug
                ),
            )
            .help(format!(
                "briefings use `{}` (\"{}\"): rename this file to content/{folder}/{}.md",
                meant.slug, meant.name, meant.slug
            )),
        );
    }
}

/// The taxon in use that `orphan` most likely meant, if any is close.
pub fn probably_meant<'a>(orphan: &Taxon, in_use: &[&'a Taxon]) -> Option<&'a Taxon> {
    let same_name = |t: &&&Taxon| t.name.trim().eq_ignore_ascii_case(orphan.name.trim());
    if let Some(t) = in_use.iter().find(same_name) {
        return Some(t);
    }
    in_use
        .iter()
        .map(|t| (strsim::levenshtein(&orphan.slug, &t.slug), *t))
        .filter(|(d, t)| *d <= max_edits(&orphan.slug, &t.slug))
        .min_by_key(|(d, t)| (*d, t.slug.clone()))
        .map(|(_, t)| t)
}

/// How many edits apart two slugs may be and still be a typo of each other: two for long
/// slugs, one for short ones, so `un` and `us` are not taken for each other.
fn max_edits(a: &str, b: &str) -> usize {
    match a.len().min(b.len()) {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// A briefing's address may not be one a date archive has (`2025/03/14/`, as a slug `14`
/// makes under `/:year/:month/:slug/`).
pub fn archive_collisions(
    briefings: &[std::sync::Arc<crate::content::Briefing>],
    urls: &[String],
    diags: &mut Diagnostics,
) {
    for (b, url) in briefings.iter().zip(urls) {
        if super::archive::looks_like_archive(url) {
            diags.push(
                b.slug
                    .error(format!(
                        "this briefing's address /{url} is where a date archive lives"
                    ))
                    .help("give it a slug with a letter in it (`slug: ...`), or change `permalink` in site.yaml"),
            );
        }
    }
}
