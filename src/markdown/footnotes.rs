//! Footnotes: definitions are collected wherever they are written and listed at the end of
//! the body, numbered in the order they are first referenced, each with a link back.
//! Markers are plain superscript numbers, unlike source citations (`[1]`).

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::BodyContext;
use crate::diag::Diagnostic;

/// Moves footnote definitions to a list at the end and numbers the references.
pub fn collect(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let (mut body, definitions) = take_definitions(events);
    if definitions.is_empty() {
        return body;
    }
    let mut numbers: HashMap<String, (usize, usize)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for event in &mut body {
        let Event::FootnoteReference(label) = event else {
            continue;
        };
        let label = label.to_string();
        if !definitions.iter().any(|(l, _)| *l == label) {
            *event = Event::Text(CowStr::from(format!("[^{label}]")));
            continue;
        }
        let next = numbers.len() + 1;
        let (n, uses) = numbers.entry(label.clone()).or_insert((next, 0));
        if *uses == 0 {
            order.push(label);
        }
        *uses += 1;
        let id = ref_id(*n, *uses);
        *event = Event::Html(CowStr::from(format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{id}\" aria-label=\"Footnote {n}\">{n}</a></sup>"
        )));
    }
    // Definitions nothing refers to still show, after the others, so no text is lost.
    for (label, _) in &definitions {
        if !numbers.contains_key(label) {
            numbers.insert(label.clone(), (numbers.len() + 1, 0));
            order.push(label.clone());
        }
    }
    body.push(Event::Html(CowStr::from(
        "<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n",
    )));
    let mut definitions: HashMap<String, Vec<Event<'_>>> = definitions.into_iter().collect();
    for label in order {
        let (n, uses) = numbers[&label];
        let content = definitions.remove(&label).unwrap_or_default();
        body.push(Event::Html(CowStr::from(format!("<li id=\"fn-{n}\">\n"))));
        body.extend(with_backlinks(content, n, uses));
        body.push(Event::Html(CowStr::from("</li>\n")));
    }
    body.push(Event::Html(CowStr::from("</ol>\n</section>\n")));
    body
}

/// The id of the `use`-th reference to footnote `n`.
fn ref_id(n: usize, used: usize) -> String {
    if used == 1 {
        format!("fnref-{n}")
    } else {
        format!("fnref-{n}-{used}")
    }
}

/// The body without definitions, and each definition's events by label (first wins).
type Definitions<'e> = Vec<(String, Vec<Event<'e>>)>;

fn take_definitions(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Definitions<'_>) {
    let mut body = Vec::with_capacity(events.len());
    let mut definitions: Definitions<'_> = Vec::new();
    let mut current: Option<(String, Vec<Event<'_>>)> = None;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                current = Some((label.to_string(), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, content)) = current.take()
                    && !definitions.iter().any(|(l, _)| *l == label)
                {
                    definitions.push((label, content));
                }
            }
            other => match &mut current {
                Some((_, content)) => content.push(other),
                None => body.push(other),
            },
        }
    }
    (body, definitions)
}

/// The definition with links back to each reference, inside its last paragraph.
fn with_backlinks(mut content: Vec<Event<'_>>, n: usize, uses: usize) -> Vec<Event<'_>> {
    if uses == 0 {
        return content;
    }
    let links: String = (1..=uses)
        .map(|u| {
            let label = if uses == 1 {
                format!("Back to reference {n}")
            } else {
                format!("Back to reference {n} ({u})")
            };
            format!(
                " <a class=\"footnote-back\" href=\"#{}\" aria-label=\"{label}\">↩</a>",
                ref_id(n, u)
            )
        })
        .collect();
    let link = Event::Html(CowStr::from(links));
    match content.last() {
        Some(Event::End(TagEnd::Paragraph)) => {
            let at = content.len() - 1;
            content.insert(at, link);
        }
        _ => content.push(link),
    }
    content
}

/// Finds `[^label]` left as text. pulldown-cmark makes a footnote only of a reference whose
/// note exists, so each of these names a note that was never written and would publish as
/// typed. Fed the body's events in order, with their places.
#[derive(Default)]
pub struct Undefined {
    /// The source span of the text events seen since the last other event.
    run: Option<Range<usize>>,
    /// Each reference found: its offset in the body and its label.
    found: Vec<(usize, String)>,
    defined: Vec<String>,
}

impl Undefined {
    pub fn see(&mut self, event: &Event<'_>, range: &Range<usize>, markdown: &str) {
        match event {
            Event::Text(_) => match &mut self.run {
                Some(run) if run.end == range.start => run.end = range.end,
                _ => {
                    self.end_run(markdown);
                    self.run = Some(range.clone());
                }
            },
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.end_run(markdown);
                self.defined.push(label.to_string());
            }
            _ => self.end_run(markdown),
        }
    }

    fn end_run(&mut self, markdown: &str) {
        let Some(run) = self.run.take() else { return };
        let text = &markdown[run.clone()];
        let mut from = 0;
        while let Some(at) = text[from..].find("[^").map(|i| from + i) {
            from = at + 2;
            let escaped = markdown[..run.start + at].ends_with('\\');
            let label = text[from..]
                .split(']')
                .next()
                .filter(|_| text[from..].contains(']'));
            match label {
                Some(l) if !escaped && !l.is_empty() && !l.contains(char::is_whitespace) => {
                    self.found.push((run.start + at, l.to_string()));
                }
                _ => {}
            }
        }
    }

    /// One error per reference with no note, naming the notes the body has.
    pub fn finish(mut self, markdown: &str, cx: &BodyContext<'_>) -> Vec<Diagnostic> {
        self.end_run(markdown);
        let notes: Vec<String> = self.defined.iter().map(|l| format!("[^{l}]")).collect();
        self.found
            .into_iter()
            .map(|(at, label)| {
                let written = format!("[^{label}]");
                let help = match notes.as_slice() {
                    [] => format!("add its note on a line of its own, e.g. `{written}: Where this comes from.`"),
                    [one] => format!("the only note here is {one}: use it, or add this one on a line of its own, e.g. `{written}: Where this comes from.`"),
                    many => format!("the notes here are {}: use one of them, or add this one on a line of its own, e.g. `{written}: Where this comes from.`", many.join(", ")),
                };
                cx.diag(at, written.chars().count(), format!("footnote {written} has no note: it would be published as typed"))
                    .help(help)
            })
            .collect()
    }
}
