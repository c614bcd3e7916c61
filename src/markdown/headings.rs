//! Heading ids: every heading gets one (its text slugified), unique within the page and
//! apart from the ids the page itself uses (footnotes, claims, sources, the theme's own).

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Ids the theme's pages use: `main`, `*-heading` and `search-*`.
fn theme_id(id: &str) -> bool {
    id == "main" || id.ends_with("-heading") || id.starts_with("search-")
}

/// Ids brief writes into bodies: `fn-1`, `fnref-1-2`, `claim-3`, `claim-note-3`, `source-2`.
fn numbered_id(id: &str) -> bool {
    ["fn-", "fnref-", "claim-note-", "claim-", "source-"]
        .iter()
        .any(|prefix| {
            id.strip_prefix(prefix).is_some_and(|rest| {
                !rest.is_empty()
                    && rest
                        .split('-')
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            })
        })
}

/// Whether a heading may not use `id`: the page already has it for something else. Ids
/// moved aside start with `section-`, which nothing else on a page uses.
pub fn is_reserved(id: &str) -> bool {
    !id.starts_with("section-") && (theme_id(id) || numbered_id(id))
}

/// A heading id that is reserved moves aside: `sources-heading` -> `section-sources-heading`.
fn outside_reserved(id: &str) -> String {
    if is_reserved(id) {
        format!("section-{id}")
    } else {
        id.to_string()
    }
}

/// Ids written with `{#id}` are kept (moved aside from reserved ones) and taken first, so
/// generated ones never collide.
pub fn assign_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used: HashSet<String> = HashSet::new();
    for e in &mut events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            let kept = outside_reserved(id);
            if kept != id.as_ref() {
                *id = CowStr::from(kept.clone());
            }
            used.insert(kept);
        }
    }
    for i in 0..events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            for e in &events[i + 1..] {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let id = unique_id(&text, &mut used);
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
        }
    }
    events
}

fn unique_id(text: &str, used: &mut HashSet<String>) -> String {
    let base = match crate::text::slugify(text) {
        s if s.is_empty() => "section".to_string(),
        s => outside_reserved(&s),
    };
    let mut id = base.clone();
    let mut n = 1;
    while used.contains(&id) || is_reserved(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}
