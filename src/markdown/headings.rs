//! Heading ids: every heading gets one (its text slugified), unique within the page.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Ids written with `{#id}` are kept and reserved first, so generated ones never collide.
pub fn assign_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used: HashSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
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
    let base = match crate::content::slug::slugify(text) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    };
    let mut id = base.clone();
    let mut n = 1;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}
