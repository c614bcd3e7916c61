//! One name spelled two ways ("Sergey Sobyanin" and "Sergei Sobyanin") makes two topics or
//! entities and two pages. Names are grouped by a key that forgets the usual variations of
//! transliteration (y/i, w/v, doubled letters, hyphens), so the check is one pass over the
//! site's names, however many briefings there are.

use std::collections::BTreeMap;

use super::{Site, Taxon};
use crate::content::Term;
use crate::diag::{Diagnostic, Diagnostics, Kind};

/// The key two spellings of one name share: the slug without hyphens between letters, `y`
/// read as `i` and `w` as `v`, each run of one letter kept once. Digits are kept as they
/// are: "Route 66" and "Route 6" are two roads.
fn spelling_key(slug: &str) -> String {
    let mut key = String::with_capacity(slug.len());
    let mut chars = slug.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            'y' => 'i',
            'w' => 'v',
            c => c,
        };
        let between_digits = || key.ends_with(|p: char| p.is_ascii_digit());
        if c == '-' && !(between_digits() && chars.peek().is_some_and(char::is_ascii_digit)) {
            continue;
        }
        if c.is_alphabetic() && key.ends_with(c) {
            continue;
        }
        key.push(c);
    }
    key
}

/// A warning for each topic or entity whose name is another's spelled nearly alike. Two that
/// both have a profile or intro are taken to be meant.
pub fn near_duplicates(site: &Site, diags: &mut Diagnostics) {
    let lists = std::iter::once((0, "topics", &site.topics)).chain(
        site.kinds
            .iter()
            .enumerate()
            .map(|(k, kind)| (k + 1, kind.kind.key.as_str(), &kind.taxa)),
    );
    for (ns, field, taxa) in lists {
        let mut by_key: BTreeMap<String, Vec<&Taxon>> = BTreeMap::new();
        for t in taxa {
            by_key.entry(spelling_key(&t.slug)).or_default().push(t);
        }
        for alike in by_key.values().filter(|a| a.len() > 1) {
            // The spelling with a profile or intro, else the most used, is taken as the one
            // meant; the others are warned about.
            let mut alike = alike.clone();
            alike.sort_by_key(|t| {
                let used = std::cmp::Reverse((t.file.is_some(), t.briefings.len()));
                (used, t.slug.as_str())
            });
            let meant = alike[0];
            for other in &alike[1..] {
                if meant.file.is_some() && other.file.is_some() {
                    continue;
                }
                diags.push(warning(site, ns, field, other, meant));
            }
        }
    }
}

/// Where a taxon's name is written: in its newest briefing's front matter, or its file.
fn written_at<'a>(
    site: &'a Site,
    ns: usize,
    t: &'a Taxon,
) -> Option<(&'a std::path::Path, &'a Term)> {
    let &i = t.briefings.first()?;
    let b = &site.briefings[i].briefing;
    let term = super::related::term_lists(b)
        .filter(|&(n, _)| n == ns)
        .flat_map(|(_, list)| list.iter())
        .find(|term| term.slug == t.slug)?;
    Some((&b.path, term))
}

fn warning(site: &Site, ns: usize, field: &str, here: &Taxon, meant: &Taxon) -> Diagnostic {
    let (here_name, place) = match written_at(site, ns, here) {
        Some((path, term)) => (term.name.as_str(), located(site, path, term)),
        None => (
            here.name.as_str(),
            Diagnostic::new(here.file.clone().unwrap_or_default(), ""),
        ),
    };
    let (meant_name, meant_place) = match written_at(site, ns, meant) {
        Some((path, term)) => (
            term.name.as_str(),
            format!("{}:{}", path.display(), term.line),
        ),
        None => (
            meant.name.as_str(),
            meant
                .file
                .as_ref()
                .map_or(String::new(), |f| f.display().to_string()),
        ),
    };
    let help = if ns == 0 {
        format!(
            "if they are one topic, write `{meant_name}` here; if they are two, give each an intro in content/topics/"
        )
    } else {
        let alias = match (&meant.file, &here.file) {
            (Some(file), _) => format!("add `aliases: [{here_name}]` to {}", file.display()),
            (None, Some(file)) => format!("add `aliases: [{meant_name}]` to {}", file.display()),
            (None, None) => format!(
                "create content/entities/{field}/{}.md with `aliases: [{here_name}]`",
                meant.slug
            ),
        };
        format!(
            "if they are one, write `{meant_name}` here, or {alias}; if they are two, give each a profile in content/entities/{field}/"
        )
    };
    place
        .with_message(format!(
            "`{here_name}` here and `{meant_name}` in {meant_place} are two {field} spelled nearly alike"
        ))
        .help(help)
        .warning(Kind::NearDuplicateName)
}

/// A diagnostic at a term in a briefing, showing its line: the file is read again, which
/// only the few terms warned about cost.
fn located(site: &Site, path: &std::path::Path, term: &Term) -> Diagnostic {
    let d = Diagnostic::new(path, "");
    let Ok(text) = std::fs::read_to_string(site.config.root.join(path)) else {
        return d;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if term.line == 0 {
        return d;
    }
    d.at(text, term.line as usize, term.col as usize)
        .width(term.name.chars().count())
}
