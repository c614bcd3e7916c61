//! Markdown -> HTML with pulldown-cmark: CommonMark plus tables, footnotes, strikethrough,
//! task lists, smart punctuation, heading attributes, unique heading ids, GFM alerts as
//! callouts, annotation links, fenced fact blocks and highlighted code. Raw HTML passes
//! through: writers are trusted.
//!
//! Links to other parts of the site (`story:`, `topic:`, entities) cannot be resolved here:
//! the pass writes a marker (`MARK` + `kind:slug` + `MARK`) where the URL goes, and records
//! each reference with its place so the model can check it and the renderer can fill it in.

mod annotate;
mod footnotes;
mod headings;
mod highlight;

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::config::EntityKind;
use crate::diag::{Diagnostic, Diagnostics};
pub use annotate::{Claim, ClaimStatus, Ref, RefKind, Target};
pub use highlight::stylesheet as highlight_css;

/// Brackets a site-internal reference inside rendered HTML until the renderer resolves it.
pub const MARK: char = '\u{1}';

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Where a body comes from, for locating errors, and what its annotations may name.
pub struct BodyContext<'a> {
    pub display: &'a Path,
    /// The whole file (BOM removed).
    pub text: &'a str,
    /// Byte offset of the body within `text`.
    pub body_start: usize,
    pub kinds: &'a [EntityKind],
    /// Source ids declared in front matter, in order (citation numbers are positions + 1).
    pub sources: &'a [String],
    /// `text`'s lines, to locate offsets in it.
    pub lines: crate::text::Lines,
}

impl BodyContext<'_> {
    /// A diagnostic at a byte offset of the body.
    fn diag(&self, offset: usize, width: usize, message: impl Into<String>) -> Diagnostic {
        let (line, col, text) = self.lines.locate(self.text, self.body_start + offset);
        Diagnostic::new(self.display, message)
            .at_line(text, line, col)
            .width(width)
    }

    /// The file line of a body byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.lines.locate(self.text, self.body_start + offset).0
    }
}

/// A fenced ```` ```facts ```` block: its YAML and the file line it starts on.
#[derive(Debug, Clone)]
pub struct FactBlock {
    pub yaml: String,
    pub first_line: usize,
}

/// An http(s) address a file links to or shows, where it is written (1-based file line
/// and column): `--external` asks whether it still answers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct External {
    pub url: String,
    pub line: u32,
    pub col: u32,
}

/// A link or image to a path of this site (`/about/`, `../other/`, `map.png`), checked
/// against the files the build makes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LocalLink {
    /// As written, without `#fragment` or `?query`.
    pub path: String,
    pub place: Diagnostic,
}

/// An image a body shows from the site's own files, as written.
#[derive(Debug, Clone)]
pub struct LocalImage {
    pub src: String,
    pub place: Diagnostic,
}

/// A rendered body and what it refers to.
#[derive(Debug, Default, Clone)]
pub struct Body {
    pub html: String,
    /// `story:`, `topic:` and entity links, to check against the site.
    pub refs: Vec<Ref>,
    /// Links to paths of the site, to check once its files are known.
    pub local_links: Vec<LocalLink>,
    /// Links and images to http(s) addresses.
    pub external: Vec<External>,
    /// Images that are files of the site, in order: `pic:N` markers name them.
    pub images: Vec<LocalImage>,
    pub claims: Vec<Claim>,
    /// Fact blocks, in order; the HTML holds `MARK factbox:N MARK` where each goes.
    pub fact_blocks: Vec<FactBlock>,
    /// Whether any code block was highlighted (the stylesheet is then needed).
    pub highlighted: bool,
}

/// Renders a Markdown body, reporting every bad annotation in it.
pub fn render(markdown: &str, cx: &BodyContext<'_>) -> Result<Body, Diagnostics> {
    let (body, diags) = render_all(markdown, cx);
    diags.into_result(body)
}

/// Renders a Markdown body with every problem found in it: what was rendered, for callers
/// that go on to check more of it (its pictures), and the problems.
pub fn render_all(markdown: &str, cx: &BodyContext<'_>) -> (Body, Diagnostics) {
    // The marker character must not come from the writer's text.
    let cleaned;
    let markdown = if markdown.contains(MARK) {
        cleaned = markdown.replace(MARK, "");
        cleaned.as_str()
    } else {
        markdown
    };
    let mut body = Body::default();
    let mut diags = Diagnostics::default();
    let mut events: Vec<Event> = Vec::new();
    let mut undefined_notes = footnotes::Undefined::default();
    let mut block = annotate::Block::default();
    let mut parser = Parser::new_ext(markdown, options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut text = String::new();
                for (e, _) in parser.by_ref() {
                    match e {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => text.push_str(&t),
                        _ => {}
                    }
                }
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or(""),
                    CodeBlockKind::Indented => "",
                };
                if lang == "facts" && !is_closed(&markdown[range.clone()]) {
                    let opening = markdown[range.start..].lines().next().unwrap_or("");
                    diags.push(
                        cx.diag(range.start, opening.trim_end().chars().count(), "this ```facts block is never closed")
                            .help("end it with a line of ``` after the last fact; without it the rest of the file is read as facts"),
                    );
                } else if lang == "facts" {
                    let n = body.fact_blocks.len();
                    body.fact_blocks.push(FactBlock {
                        yaml: text,
                        first_line: cx.line_of(range.start) + 1,
                    });
                    events.push(Event::Html(format!("{MARK}factbox:{n}{MARK}").into()));
                } else {
                    let (html, highlighted) = highlight::code_block(lang, &text);
                    body.highlighted |= highlighted;
                    events.push(Event::Html(html.into()));
                }
            }
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) if annotate::is_annotation(&dest_url) => {
                let inner = take_until(&mut parser, TagEnd::Link);
                let link = annotate::Link {
                    dest: &dest_url,
                    title: &title,
                    range,
                    inner,
                };
                match annotate::rewrite(link, cx, &mut body, &mut block) {
                    Ok(rewritten) => events.extend(rewritten),
                    Err(d) => diags.push(d),
                }
            }
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) if local_path(&dest_url).is_some() => {
                let inner = take_until(&mut parser, TagEnd::Link);
                record_local(local_path(&dest_url), &range, cx, &mut body);
                events.push(Event::Html(
                    format!(
                        "<a href=\"{}\"{}>",
                        site_href(&dest_url),
                        title_attr(&title)
                    )
                    .into(),
                ));
                events.extend(inner);
                events.push(Event::Html("</a>".into()));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let inner = take_until(&mut parser, TagEnd::Image);
                record_external(&dest_url, &range, cx, &mut body);
                let place = cx.diag(range.start, range.len().min(200), "");
                match image(&dest_url, &title, &plain_text(&inner), place, &mut body) {
                    Ok(html) => events.push(Event::Html(html.into())),
                    Err(why) => diags.push(
                        cx.diag(range.start, range.len().min(200), why).help(
                            "write ![what it shows](/img/photo.jpg \"caption | credit\"); for an image that only decorates, write ![-](/img/photo.jpg)",
                        ),
                    ),
                }
            }
            other => {
                if let Event::Start(Tag::Link { dest_url, .. }) = &other {
                    record_external(dest_url, &range, cx, &mut body);
                }
                if bounds_a_block(&other) {
                    block.end(&mut body.claims);
                }
                undefined_notes.see(&other, &range, markdown);
                events.push(other);
            }
        }
    }
    block.end(&mut body.claims);
    for d in undefined_notes.finish(markdown, cx) {
        diags.push(d);
    }
    let events = unwrap_figures(events);
    let events = footnotes::collect(events);
    let events = headings::assign_ids(events);
    let events = callouts(events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    body.html = html;
    (body, diags)
}

/// Plain text (a title, a summary, a fact, a caption) with the body's smart punctuation:
/// curly quotes and apostrophes, en and em dashes, ellipses. Every other character stays as
/// written: Markdown syntax is escaped first, so `*`, `<` or `1.` are never read as markup.
pub fn smart_text(text: &str) -> String {
    if !text.contains(['\'', '"', '-', '.']) {
        return text.to_string();
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        let before = text[..i].trim();
        // Quotes, dashes and dots are what the pass changes; elsewhere a backslash makes
        // every ASCII punctuation character literal. A `-` at the start or a `.` after a
        // number there could open a list or a rule, so they are kept literal too.
        let opens_list = match c {
            '-' => before.is_empty(),
            '.' => before.chars().all(|d| d.is_ascii_digit()),
            _ => false,
        };
        let keep = matches!(c, '\'' | '"' | '-' | '.') && !opens_list;
        if c.is_ascii_punctuation() && !keep {
            escaped.push('\\');
        }
        escaped.push(if c == '\n' { ' ' } else { c });
    }
    let mut out = String::with_capacity(text.len());
    for event in Parser::new_ext(escaped.trim(), Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Marks the start of a figure, so a paragraph holding only one gives way to it.
const FIGURE: &str = "<figure class=\"figure\">";

/// An image as HTML: with a title (`![alt](src "caption")`) a figure with its caption, the
/// part after ` | ` its credit; `![-](src)` marks an image that only decorates (empty alt).
/// An image without alt text is refused. A local image's `src` is a marker (`pic:N`, its
/// number in `body.images`) that the renderer fills with its addresses and size.
fn image(
    dest: &str,
    title: &str,
    alt: &str,
    place: Diagnostic,
    body: &mut Body,
) -> Result<String, &'static str> {
    let alt = alt.trim();
    if alt.is_empty() {
        return Err("this image has no alt text");
    }
    let alt = if alt == "-" { "" } else { alt };
    let lower = dest.to_ascii_lowercase();
    let src = if lower.starts_with("https://") || lower.starts_with("http://") {
        let mut out = String::from("src=\"");
        let _ = pulldown_cmark_escape::escape_href(&mut out, dest);
        out.push('"');
        out
    } else if local_path(dest).is_some() && !dest.contains(['?', '#']) {
        body.images.push(LocalImage {
            src: dest.to_string(),
            place,
        });
        format!("{MARK}pic:{}{MARK}", body.images.len() - 1)
    } else {
        return Err("an image must be a file of this site or an http(s) address");
    };
    let mut alt_html = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut alt_html, alt);
    let img = format!("<img {src} alt=\"{alt_html}\" loading=\"lazy\" />");
    if title.trim().is_empty() {
        return Ok(img);
    }
    let title = smart_text(title);
    let (caption, credit) = match title.split_once(" | ") {
        Some((caption, credit)) => (caption.trim(), Some(credit.trim())),
        None => (title.trim(), None),
    };
    let escape = |text: &str| {
        let mut out = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut out, text);
        out
    };
    let credit = credit
        .filter(|c| !c.is_empty())
        .map(|c| format!(" <span class=\"credit\">{}</span>", escape(c)))
        .unwrap_or_default();
    Ok(format!(
        "{FIGURE}{img}<figcaption>{}{credit}</figcaption></figure>",
        escape(caption)
    ))
}

/// A paragraph that holds only a figure becomes the figure: a figure may not sit in a
/// paragraph. A figure among other words stays an image with its caption as its title.
fn unwrap_figures(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let alone = matches!(
            (&events[i], events.get(i + 1), events.get(i + 2)),
            (
                Event::Start(Tag::Paragraph),
                Some(Event::Html(h)),
                Some(Event::End(TagEnd::Paragraph))
            ) if h.starts_with(FIGURE)
        );
        if alone {
            out.push(events[i + 1].clone());
            i += 3;
            continue;
        }
        match &events[i] {
            Event::Html(h) if h.starts_with(FIGURE) => {
                out.push(Event::Html(inline_figure(h).into()))
            }
            e => out.push(e.clone()),
        }
        i += 1;
    }
    out
}

/// A figure's image alone, its caption as the image's title, for a figure inside text.
fn inline_figure(html: &str) -> String {
    let img_end = html.find(" />").map_or(html.len(), |at| at + 3);
    let img = html.get(FIGURE.len()..img_end).unwrap_or("");
    let caption = html
        .split_once("<figcaption>")
        .and_then(|(_, rest)| rest.split_once("</figcaption>"))
        .map(|(c, _)| {
            c.replace("<span class=\"credit\">", "")
                .replace("</span>", "")
        })
        .unwrap_or_default();
    img.replacen(" />", &format!(" title=\"{caption}\" />"), 1)
}

/// The events up to the `end` of the element just opened (consumed, not returned).
/// Whether an event starts or ends a block of text (a paragraph, an item, a cell, a
/// heading, a list...) rather than a span inside one.
fn bounds_a_block(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => !matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => !matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

fn take_until<'e>(
    parser: &mut pulldown_cmark::OffsetIter<'e, pulldown_cmark::DefaultBrokenLinkCallback>,
    end: TagEnd,
) -> Vec<Event<'e>> {
    let mut inner = Vec::new();
    let mut depth = 0;
    for (e, _) in parser.by_ref() {
        match &e {
            Event::Start(_) => depth += 1,
            Event::End(t) if depth == 0 && *t == end => break,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        inner.push(e);
    }
    inner
}

/// The text of some events, without markup.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

/// ` title="…"`, escaped, or nothing for an empty title.
fn title_attr(title: &str) -> String {
    if title.is_empty() {
        return String::new();
    }
    let mut out = String::from(" title=\"");
    let _ = pulldown_cmark_escape::escape_html(&mut out, title);
    out.push('"');
    out
}

/// The path part of a link to this site, or `None` for web links, `mailto:` and the like,
/// fragments (`#notes`) and annotations.
pub fn local_path(dest: &str) -> Option<&str> {
    let dest = dest.trim();
    if dest.starts_with("//") || dest.starts_with('#') || dest.is_empty() {
        return None;
    }
    let scheme = dest
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '?', '#']));
    if scheme {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    (!path.is_empty()).then_some(path)
}

/// The `href` for a link to this site: a root-relative one starts at the site's root (a
/// marker the renderer turns into `../` steps, so a base URL's path is kept); a relative one
/// stays as written.
fn site_href(dest: &str) -> String {
    let mut out = String::new();
    match dest.strip_prefix('/') {
        Some(rest) => {
            out.push(MARK);
            out.push_str("root:");
            out.push(MARK);
            let _ = pulldown_cmark_escape::escape_href(&mut out, rest);
        }
        None => {
            let _ = pulldown_cmark_escape::escape_href(&mut out, dest);
        }
    }
    out
}

fn record_local(
    path: Option<&str>,
    range: &std::ops::Range<usize>,
    cx: &BodyContext<'_>,
    body: &mut Body,
) {
    if let Some(path) = path {
        let width = range.len().min(200);
        body.local_links.push(LocalLink {
            path: path.to_string(),
            place: cx.diag(range.start, width, ""),
        });
    }
}

/// Records a link's or image's address when it is on the web.
fn record_external(
    dest: &str,
    range: &std::ops::Range<usize>,
    cx: &BodyContext<'_>,
    body: &mut Body,
) {
    if crate::text::is_web(dest) {
        // The address itself, inside `[words](address)`; a reference's definition is
        // elsewhere, so the link then.
        let written = cx
            .text
            .get(cx.body_start + range.start..cx.body_start + range.end);
        let within = written.and_then(|w| w.find(dest.trim())).unwrap_or(0);
        let (line, col, _) = cx
            .lines
            .locate(cx.text, cx.body_start + range.start + within);
        body.external.push(External {
            url: dest.trim().to_string(),
            line: u32::try_from(line).unwrap_or(0),
            col: u32::try_from(col).unwrap_or(0),
        });
    }
}

/// Whether a fenced code block's source ends with a closing fence (an unclosed one runs to
/// the end of the document).
fn is_closed(block: &str) -> bool {
    let mut lines = block.trim_end().lines();
    let Some(open) = lines.next() else {
        return false;
    };
    // Inside a block quote or list the lines carry `>` and indentation.
    let strip = |l: &str| {
        l.trim_start_matches(|c: char| c == '>' || c.is_whitespace())
            .to_string()
    };
    let open = strip(open);
    let fence_char = if open.starts_with('~') { '~' } else { '`' };
    let fence_len = open.chars().take_while(|&c| c == fence_char).count();
    lines.next_back().is_some_and(|last| {
        let last = strip(last);
        let last = last.trim_end();
        last.chars().take_while(|&c| c == fence_char).count() >= fence_len
            && last.chars().all(|c| c == fence_char)
    })
}

/// Marks `> [!NOTE]`-style alerts as callouts, which the theme's `partials/callout.html`
/// makes into labelled boxes; the label is text, so the kind
/// reads without colour.
fn callouts(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    use pulldown_cmark::BlockQuoteKind as K;
    events
        .into_iter()
        .map(|e| match e {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let kind = match kind {
                    K::Note => "note",
                    K::Tip => "tip",
                    K::Important => "important",
                    K::Warning => "warning",
                    K::Caution => "caution",
                };
                Event::Html(format!("{MARK}callout:{kind}{MARK}").into())
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                Event::Html(format!("{MARK}/callout{MARK}").into())
            }
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests;
