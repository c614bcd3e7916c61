//! Warnings: what may be intended but must not pass unseen. They never stop a build (but
//! `--strict` makes them errors), and they are computed from the built site alone, so the
//! build and the preview report the same ones.

use std::collections::HashMap;

use super::{Site, checks, related};
use crate::content::{Date, Fact};
use crate::diag::{Diagnostic, Diagnostics};

/// Every warning about `site`, in file order.
pub fn warnings(site: &Site) -> Diagnostics {
    let mut diags = Diagnostics::default();
    unused_intros(site, &mut diags);
    fact_conflicts(site, &mut diags);
    diags.sorted()
}

/// Intros and profiles no briefing uses yet (near misses of one in use are errors).
fn unused_intros(site: &Site, diags: &mut Diagnostics) {
    let groups = std::iter::once(("topic", "topics", &site.topics)).chain(
        site.kinds
            .iter()
            .map(|k| ("entity", k.kind.key.as_str(), &k.taxa)),
    );
    for (what, field, taxa) in groups {
        let in_use: Vec<&super::Taxon> = taxa.iter().filter(|t| !t.briefings.is_empty()).collect();
        for t in taxa.iter().filter(|t| t.briefings.is_empty()) {
            let Some(file) = &t.file else { continue };
            if checks::probably_meant(t, &in_use).is_some() {
                continue;
            }
            diags.push(
                Diagnostic::new(file, format!("no briefing uses the {what} `{}` yet", t.slug))
                    .help(format!(
                        "its page says there are no briefings yet until one lists `{}` under `{field}:`; if the file name is a typo, rename the file",
                        t.name
                    ))
                    .warning(),
            );
        }
    }
}

/// A fact as stated in one briefing.
struct Stated<'a> {
    briefing: usize,
    fact: &'a Fact,
}

/// The same fact label, for a topic or entity two briefings share, with different values
/// and the same `as_of` (or none): one of them is probably out of date or wrong. A later
/// `as_of` supersedes an earlier one and is no conflict.
fn fact_conflicts(site: &Site, diags: &mut Diagnostics) {
    // (label, term, as_of) -> statements, grouped so each bucket is scanned once.
    type Key<'a> = (String, usize, &'a str, Option<jiff::Timestamp>);
    let mut buckets: HashMap<Key<'_>, Vec<Stated<'_>>> = HashMap::new();
    for (i, e) in site.briefings.iter().enumerate() {
        let b = &e.briefing;
        let facts = b.facts.iter().chain(b.prose.fact_boxes.iter().flatten());
        for fact in facts {
            let label = normalize(&fact.label);
            for (ns, term) in related::terms(b) {
                let key = (
                    label.clone(),
                    ns,
                    term.slug.as_str(),
                    fact.as_of.as_ref().map(Date::timestamp),
                );
                buckets
                    .entry(key)
                    .or_default()
                    .push(Stated { briefing: i, fact });
            }
        }
    }
    let mut warned = std::collections::HashSet::new();
    let mut keys: Vec<&Key<'_>> = buckets.keys().collect();
    keys.sort();
    for key in keys {
        let stated = &buckets[key];
        for s in stated {
            let other = stated.iter().find(|o| {
                o.briefing != s.briefing && normalize(&o.fact.value) != normalize(&s.fact.value)
            });
            let Some(other) = other else { continue };
            if !warned.insert((s.briefing, s.fact.place.line, s.fact.place.col)) {
                continue;
            }
            diags.push(conflict(site, key.1, key.2, s, other));
        }
    }
}

fn conflict(
    site: &Site,
    ns: usize,
    slug: &str,
    here: &Stated<'_>,
    other: &Stated<'_>,
) -> Diagnostic {
    let taxa = match ns {
        0 => Some(&site.topics),
        k => site.kinds.get(k - 1).map(|k| &k.taxa),
    };
    let name = taxa
        .and_then(|taxa| taxa.iter().find(|t| t.slug == slug))
        .map_or(slug, |t| t.name.as_str());
    let place = &other.fact.place;
    Diagnostic {
        message: format!(
            "{}: '{}' here, '{}' in {}:{}",
            here.fact.label,
            here.fact.value,
            other.fact.value,
            place.path.display(),
            place.line
        ),
        ..here.fact.place.clone()
    }
    .help(format!(
        "both briefings are about {name}; correct one of the values, or give each an `as_of` date if the figure changed"
    ))
    .warning()
}

/// Labels and values compare without case or extra spaces.
fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}
