//! Annotation links: `story:`, `topic:`, `<entity-kind>:`, `source:` and `claim:`. They reuse
//! Markdown link syntax so files stay readable anywhere; none of the syntax reaches the HTML.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event};

use super::{Body, BodyContext, MARK, plain_text, title_attr};
use crate::diag::Diagnostic;
use crate::text::is_valid_slug;
use crate::text::nearest;

/// URL schemes that are ordinary links, never annotations.
const URL_SCHEMES: &[&str] = &[
    "http",
    "https",
    "mailto",
    "tel",
    "ftp",
    "ftps",
    "sms",
    "geo",
    "irc",
    "ircs",
    "xmpp",
    "news",
    "magnet",
    "file",
    "data",
    "javascript",
    "urn",
    "webcal",
    "feed",
    "sftp",
    "ssh",
    "git",
];

/// What a site-internal reference points at.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum RefKind {
    Story,
    Topic,
    /// An entity of this kind (`people`, ...).
    Entity(String),
}

impl RefKind {
    /// The annotation prefix: `story`, `topic` or the entity kind's key.
    pub fn prefix(&self) -> &str {
        match self {
            RefKind::Story => "story",
            RefKind::Topic => "topic",
            RefKind::Entity(kind) => kind,
        }
    }
}

/// A briefing, topic or entity a site link names: the key the model finds its URL by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub kind: RefKind,
    pub slug: String,
}

impl Target {
    pub fn new(kind: RefKind, slug: impl Into<String>) -> Target {
        Target {
            kind,
            slug: slug.into(),
        }
    }

    /// Reads the `kind:slug` text a marker holds in rendered HTML.
    pub fn from_marker(text: &str) -> Option<Target> {
        let (prefix, slug) = text.split_once(':')?;
        let kind = match prefix {
            "story" => RefKind::Story,
            "topic" => RefKind::Topic,
            kind => RefKind::Entity(kind.to_string()),
        };
        Some(Target::new(kind, slug))
    }
}

/// As written in a link: `people:vladimir-putin`.
impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind.prefix(), self.slug)
    }
}

/// A `story:`, `topic:` or entity link, with where it was written.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Ref {
    pub kind: RefKind,
    pub slug: String,
    /// The link text, used as the entity's name when nothing else names it.
    pub text: String,
    /// Points at the link, for errors the model finds.
    pub place: Diagnostic,
    /// A link in the text mentions what it names; a claim's speaker only refers to it.
    pub mentions: bool,
}

impl Ref {
    /// What the link names.
    pub fn target(&self) -> Target {
        Target::new(self.kind.clone(), self.slug.clone())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimStatus {
    Confirmed,
    Disputed,
    Unverified,
    False,
}

impl ClaimStatus {
    /// Every status, in the order the claims log lists them.
    pub const ALL: [(&'static str, ClaimStatus); 4] = [
        ("confirmed", ClaimStatus::Confirmed),
        ("disputed", ClaimStatus::Disputed),
        ("unverified", ClaimStatus::Unverified),
        ("false", ClaimStatus::False),
    ];

    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("", |(k, _)| k)
    }

    pub fn label(self) -> &'static str {
        match self {
            ClaimStatus::Confirmed => "Confirmed",
            ClaimStatus::Disputed => "Disputed",
            ClaimStatus::Unverified => "Unverified",
            ClaimStatus::False => "False",
        }
    }

    /// The status on ClaimReview's rating scale, from 1 (false) to 4 (confirmed): a
    /// disputed claim has evidence against it, an unverified one has none either way.
    pub fn rating(self) -> u8 {
        match self {
            ClaimStatus::False => 1,
            ClaimStatus::Disputed => 2,
            ClaimStatus::Unverified => 3,
            ClaimStatus::Confirmed => 4,
        }
    }

    /// A symbol beside the label, so the status reads without colour.
    pub fn icon(self) -> &'static str {
        match self {
            ClaimStatus::Confirmed => "✓",
            ClaimStatus::Disputed => "⚠",
            ClaimStatus::Unverified => "?",
            ClaimStatus::False => "✗",
        }
    }
}

/// A marked claim in a briefing.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Claim {
    /// 1-based, in reading order; anchors `claim-N` (in the text) and `claim-note-N` (in the box).
    pub number: usize,
    pub status: ClaimStatus,
    pub note: String,
    /// The claim's words as plain text.
    pub text: String,
    /// Who made it (`?by=people:donald-trump`): an entity kind's key and a slug.
    pub by: Option<(String, String)>,
    /// The number of the first source cited in the claim's paragraph, where it appeared.
    pub source: Option<usize>,
}

/// The text block (paragraph, list item, table cell) being read: its claims appeared in
/// the first source it cites, before or after them.
#[derive(Default)]
pub struct Block {
    first_claim: usize,
    source: Option<usize>,
}

impl Block {
    /// The block ends: its claims take its first cited source.
    pub fn end(&mut self, claims: &mut [Claim]) {
        if let Some(claims) = claims.get_mut(self.first_claim..) {
            for c in claims {
                c.source = self.source;
            }
        }
        self.first_claim = claims.len();
        self.source = None;
    }
}

/// A link as the parser gave it, with the events of its text.
pub struct Link<'a, 'e> {
    pub dest: &'a str,
    pub title: &'a str,
    pub range: Range<usize>,
    pub inner: Vec<Event<'e>>,
}

fn scheme(dest: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = dest.split_once(':')?;
    let valid = !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_lowercase())
        && scheme
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    valid.then_some((scheme, rest))
}

/// Whether the link's destination is one of ours (or looks like a mistyped one of ours).
pub fn is_annotation(dest: &str) -> bool {
    scheme(dest).is_some_and(|(s, rest)| !URL_SCHEMES.contains(&s) && !rest.starts_with("//"))
}

fn html(s: String) -> Event<'static> {
    Event::Html(CowStr::from(s))
}

/// Replaces an annotation link by the HTML it stands for, recording what it refers to.
pub fn rewrite<'e>(
    link: Link<'_, 'e>,
    cx: &BodyContext<'_>,
    body: &mut Body,
    block: &mut Block,
) -> Result<Vec<Event<'e>>, Diagnostic> {
    let (kind, target) = scheme(link.dest).unwrap_or(("", ""));
    let (start, width) = (link.range.start, link.range.len().min(200));
    let at = |message: String| cx.diag(start, width, message);
    match kind {
        "source" => citation(link, target, cx, block, at),
        "claim" => claim(link, target, cx, body, at),
        "story" => site_link(link, RefKind::Story, kind, target, body, at),
        "topic" => site_link(link, RefKind::Topic, kind, target, body, at),
        entity if cx.kinds.iter().any(|k| k.key == entity) => {
            let ref_kind = RefKind::Entity(entity.to_string());
            site_link(link, ref_kind, entity, target, body, at)
        }
        unknown => Err(unknown_annotation(unknown, cx, at)),
    }
}

/// `[Peskov said](source:peskov)`: the words, then a numbered citation.
fn citation<'e>(
    link: Link<'_, 'e>,
    target: &str,
    cx: &BodyContext<'_>,
    block: &mut Block,
    at: impl Fn(String) -> Diagnostic,
) -> Result<Vec<Event<'e>>, Diagnostic> {
    let Some(pos) = cx.sources.iter().position(|s| s == target) else {
        let d = at(format!("unknown source id `{target}`"));
        return Err(match nearest(target, cx.sources.iter().map(String::as_str)) {
            Some(near) => d.help(format!("did you mean `{near}`? Sources are declared under `sources:` in the front matter")),
            None => d.help("declare it under `sources:` in the front matter with `id:`, `name:` and `url:`"),
        });
    };
    // The theme's `partials/citation.html` makes the numbered citation.
    let n = pos + 1;
    block.source.get_or_insert(n);
    let mut out = Vec::with_capacity(link.inner.len() + 2);
    out.push(html(format!("{MARK}cite:{n}{MARK}")));
    out.extend(link.inner);
    out.push(html(format!("{MARK}/cite{MARK}")));
    Ok(out)
}

/// `[troops are surrounded](claim:disputed "Kyiv denies it")`: a marked claim, numbered
/// for the page's claims box. `claim:disputed?by=people:donald-trump` names who made it.
fn claim<'e>(
    link: Link<'_, 'e>,
    target: &str,
    cx: &BodyContext<'_>,
    body: &mut Body,
    at: impl Fn(String) -> Diagnostic,
) -> Result<Vec<Event<'e>>, Diagnostic> {
    let (target, by) = match target.split_once('?') {
        Some((status, query)) => (status, Some(speaker(query, cx, body, &at)?)),
        None => (target, None),
    };
    let Some(status) = ClaimStatus::ALL
        .iter()
        .find(|(k, _)| *k == target)
        .map(|(_, s)| *s)
    else {
        let d = at(format!("unknown claim status `{target}`"));
        let keys = ClaimStatus::ALL.map(|(k, _)| k);
        return Err(match nearest(target, keys) {
            Some(near) => d.help(format!("did you mean `{near}`? A claim is one of: confirmed, disputed, unverified, false")),
            None => d.help("write [the claim](claim:disputed \"who disputes it\"); statuses: confirmed, disputed, unverified, false"),
        });
    };
    let number = body.claims.len() + 1;
    body.claims.push(Claim {
        number,
        status,
        note: super::smart_text(link.title),
        text: plain_text(&link.inner),
        by,
        source: None,
    });
    // The theme's `partials/claim.html` marks it and links to its note.
    let mut out = Vec::with_capacity(link.inner.len() + 2);
    out.push(html(format!("{MARK}claim:{number}{MARK}")));
    out.extend(link.inner);
    out.push(html(format!("{MARK}/claim{MARK}")));
    Ok(out)
}

/// The `by=<kind>:<slug>` of a claim: an entity of the site, recorded like a link to it
/// (so it must exist, and the briefing counts as mentioning it).
fn speaker(
    query: &str,
    cx: &BodyContext<'_>,
    body: &mut Body,
    at: &impl Fn(String) -> Diagnostic,
) -> Result<(String, String), Diagnostic> {
    let help = "name who made the claim as `?by=<kind>:<slug>`, e.g. claim:disputed?by=people:donald-trump";
    let Some(who) = query.strip_prefix("by=") else {
        return Err(at(format!("`?{query}` is not a claim's speaker")).help(help));
    };
    let Some((kind, slug)) = who.split_once(':') else {
        return Err(at(format!("`by={who}` does not say which kind of entity")).help(help));
    };
    if !cx.kinds.iter().any(|k| k.key == kind) {
        let kinds: Vec<&str> = cx.kinds.iter().map(|k| k.key.as_str()).collect();
        return Err(at(format!(
            "`{kind}` in `by={who}` is not an entity kind of this site"
        ))
        .help(format!("a claim's speaker is one of: {}", kinds.join(", "))));
    }
    if !is_valid_slug(slug) {
        return Err(at(format!("`{slug}` is not a valid slug")).help(help));
    }
    body.refs.push(Ref {
        kind: RefKind::Entity(kind.to_string()),
        slug: slug.to_string(),
        text: String::new(),
        place: at(String::new()),
        mentions: false,
    });
    Ok((kind.to_string(), slug.to_string()))
}

/// `story:`, `topic:` and entity links: recorded for the model to check, with a marker
/// where the URL goes.
fn site_link<'e>(
    link: Link<'_, 'e>,
    kind: RefKind,
    prefix: &str,
    target: &str,
    body: &mut Body,
    at: impl Fn(String) -> Diagnostic,
) -> Result<Vec<Event<'e>>, Diagnostic> {
    record(body, kind, target, &link, at)?;
    let mut out = Vec::with_capacity(link.inner.len() + 2);
    push_link(&mut out, prefix, target, link);
    Ok(out)
}

/// An annotation prefix that is none of ours, with the likeliest one meant.
fn unknown_annotation(
    unknown: &str,
    cx: &BodyContext<'_>,
    at: impl Fn(String) -> Diagnostic,
) -> Diagnostic {
    let known: Vec<&str> = ["story", "topic", "source", "claim"]
        .into_iter()
        .chain(cx.kinds.iter().map(|k| k.key.as_str()))
        .collect();
    let d = at(format!("unknown annotation `{unknown}:`"));
    // Singular and plural forms are the likeliest slips (`person:` for `people:`).
    let plural = match unknown {
        "person" => "people".to_string(),
        other => format!("{other}s"),
    };
    let guess = known
        .iter()
        .copied()
        .find(|k| *k == plural || (unknown.len() >= 3 && k.starts_with(unknown)))
        .or_else(|| nearest(unknown, known.iter().copied()));
    match guess {
        Some(near) => d.help(format!(
            "did you mean `{near}:`? Annotations: {}",
            known.join(", ")
        )),
        None => d.help(format!(
            "annotation links start with one of: {}; a web link needs http:// or https://",
            known.join(", ")
        )),
    }
}

fn record(
    body: &mut Body,
    kind: RefKind,
    target: &str,
    link: &Link<'_, '_>,
    at: impl Fn(String) -> Diagnostic,
) -> Result<(), Diagnostic> {
    if !is_valid_slug(target) {
        return Err(at(format!("`{target}` is not a valid slug")).help(
            "annotation targets are slugs: lowercase letters, digits and `-`, e.g. story:kursk-offensive",
        ));
    }
    body.refs.push(Ref {
        kind,
        slug: target.to_string(),
        text: plain_text(&link.inner),
        place: at(String::new()),
        mentions: true,
    });
    Ok(())
}

fn push_link<'e>(out: &mut Vec<Event<'e>>, kind: &str, target: &str, link: Link<'_, 'e>) {
    let title = title_attr(link.title);
    out.push(html(format!(
        "<a href=\"{MARK}{kind}:{target}{MARK}\"{title}>"
    )));
    out.extend(link.inner);
    out.push(html("</a>".into()));
}
