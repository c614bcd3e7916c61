//! Warnings: what may be intended but must not pass unseen. They never stop a build (but
//! `--strict` makes them errors), and they are computed from the built site alone, so the
//! build and the preview report the same ones.

use std::collections::{BTreeMap, HashSet};

use super::{Site, checks, related};
use crate::content::Fact;
use crate::diag::{Diagnostic, Diagnostics, Kind};

/// Every warning about `site`, in file order.
/// The warnings of a site in each of its languages.
pub fn warnings_of(sites: &[Site]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for site in sites {
        diags.extend(warnings(site));
    }
    diags.sorted()
}

pub fn warnings(site: &Site) -> Diagnostics {
    let mut diags = Diagnostics::default();
    unused_intros(site, &mut diags);
    for path in &site.empty {
        diags.push(
            Diagnostic::new(path, "this file is empty, so it was left out")
                .help("write a briefing in it, starting with front matter between `---` lines, or delete it")
                .warning(Kind::EmptyFile),
        );
    }
    fact_conflicts(site, &mut diags);
    super::spellings::near_duplicates(site, &mut diags);
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
                    .warning(Kind::UnusedIntro),
            );
        }
    }
}

/// A fact as stated in one briefing: its label and effective day (the group it belongs to)
/// and a hash of its value, as compared.
struct Stated<'a> {
    group: (u64, jiff::civil::Date),
    value: u64,
    briefing: usize,
    fact: &'a Fact,
}

/// The same fact label on the same day with different values, in one briefing or in two that
/// share a topic or entity: one of them is probably out of date or wrong. A fact without
/// `as_of` is stated as of its briefing's day, so a later briefing's figure supersedes an
/// earlier one as a later `as_of` does. Facts are sorted into groups by label and day first,
/// so only groups that hold two values are looked at further.
fn fact_conflicts(site: &Site, diags: &mut Diagnostics) {
    let mut buf = String::new();
    let mut stated = Vec::new();
    for (i, e) in site.briefings.iter().enumerate() {
        let b = &e.briefing;
        for fact in b.facts.iter().chain(b.prose.fact_boxes.iter().flatten()) {
            let day = fact.as_of.as_ref().unwrap_or(&b.date).civil.date();
            stated.push(Stated {
                group: (hash(&fact.label, &mut buf), day),
                value: hash(&fact.value, &mut buf),
                briefing: i,
                fact,
            });
        }
    }
    stated.sort_unstable_by_key(|s| (s.group, s.briefing, s.fact.place.line, s.fact.place.col));
    let mut warned = HashSet::new();
    for group in stated.chunk_by(|a, b| a.group == b.group) {
        if group.iter().all(|s| s.value == group[0].value) {
            continue;
        }
        for one_briefing in group.chunk_by(|a, b| a.briefing == b.briefing) {
            let first = &one_briefing[0];
            for s in one_briefing.iter().filter(|s| s.value != first.value) {
                warned.insert((s.briefing, s.fact.place.line, s.fact.place.col));
                diags.push(twice_in_one(s, first));
            }
        }
        across_briefings(site, group, &mut warned, diags);
    }
}

/// The conflicts of one group between briefings about the same topic or entity.
fn across_briefings(
    site: &Site,
    group: &[Stated<'_>],
    warned: &mut HashSet<(usize, usize, usize)>,
    diags: &mut Diagnostics,
) {
    let mut by_term: BTreeMap<(usize, &str), Vec<&Stated<'_>>> = BTreeMap::new();
    for s in group {
        for (ns, term) in related::terms(&site.briefings[s.briefing].briefing) {
            by_term.entry((ns, term.slug.as_str())).or_default().push(s);
        }
    }
    for ((ns, slug), stated) in by_term {
        let Some(first) = stated.first() else {
            continue;
        };
        let other_value = stated
            .iter()
            .find(|s| s.value != first.value && s.briefing != first.briefing);
        for s in &stated {
            let other = if s.value != first.value {
                Some(first)
            } else {
                other_value
            };
            let Some(other) = other.filter(|o| o.briefing != s.briefing) else {
                continue;
            };
            if warned.insert((s.briefing, s.fact.place.line, s.fact.place.col)) {
                diags.push(conflict(site, ns, slug, s, other));
            }
        }
    }
}

/// A hash of the text as compared: without case or extra spaces. `buf` is reused between
/// calls, so hashing tens of thousands of facts allocates nothing.
fn hash(text: &str, buf: &mut String) -> u64 {
    use std::hash::Hasher;
    buf.clear();
    for word in text.split_whitespace() {
        if !buf.is_empty() {
            buf.push(' ');
        }
        if word.is_ascii() {
            buf.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            buf.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    let mut h = rustc_hash::FxHasher::default();
    h.write(buf.as_bytes());
    h.finish()
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
        ..(*here.fact.place).clone()
    }
    .help(format!(
        "both briefings are about {name}; correct one of the values, or give each an `as_of` date if the figure changed"
    ))
    .warning(Kind::FactConflict)
}

/// The same fact stated twice in one briefing with two values.
fn twice_in_one(here: &Stated<'_>, first: &Stated<'_>) -> Diagnostic {
    Diagnostic {
        message: format!(
            "{}: '{}' here, '{}' at line {} of this briefing",
            here.fact.label, here.fact.value, first.fact.value, first.fact.place.line
        ),
        ..(*here.fact.place).clone()
    }
    .help("a briefing states a fact once: correct one of the values, or give each an `as_of` date if the figure changed")
    .warning(Kind::FactConflict)
}
