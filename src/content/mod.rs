//! Load stage: finds content files, splits and parses them, and converts their front matter
//! into validated domain types. Each file is handled on its own (in parallel); checks that
//! span files (duplicate slugs, links between briefings) belong to the model stage.

mod briefing;
pub mod cached;
pub mod date;
pub mod discover;
pub mod frontmatter;
mod other;
pub mod prose;
pub mod raw;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::yaml::Origin;
pub use date::Date;
use discover::Entry;
pub use discover::Kind;
pub use prose::Prose;

/// A value with the place it was written, so later stages can report errors about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct At<T> {
    pub value: T,
    /// A diagnostic pointing at the value, without a message yet.
    pub place: Diagnostic,
}

impl<T> At<T> {
    /// A value read from YAML, located in its file.
    pub fn spanned(origin: Origin<'_>, value: &crate::yaml::Spanned<T>) -> At<T>
    where
        T: Clone,
    {
        At {
            value: value.value.clone(),
            place: origin.diag_at(value, ""),
        }
    }

    /// An error about this value, at its place.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            ..self.place.clone()
        }
    }
}

/// A topic or entity as named in a briefing.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// Named only by a link in the body, not in the front matter: the entity must exist
    /// elsewhere (another briefing's front matter or a profile).
    pub linked: bool,
    /// Where the name is written in its file (1-based line and column; 0 when unknown),
    /// for warnings about it. Small: a large site has millions of terms.
    pub line: u32,
    pub col: u16,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Source {
    pub id: String,
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
    pub source: Option<String>,
    pub as_of: Option<Date>,
    /// Points at the label, for warnings about the fact. Boxed: a site has many facts and
    /// few warnings about them.
    pub place: Box<Diagnostic>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Correction {
    pub date: Date,
    pub note: String,
}

/// A briefing's lead image.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct LeadImage {
    pub picture: crate::picture::Picture,
    /// Empty for a picture that only decorates (`alt: "-"`).
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// A validated briefing with its body already rendered to HTML.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Briefing {
    pub path: PathBuf,
    pub slug: At<String>,
    /// `lang:`, one of the site's languages; the main one when not given.
    pub lang: String,
    /// `translation_of:`: the slug of the briefing this one translates.
    pub translation_of: Option<At<String>>,
    pub title: String,
    pub date: Date,
    pub updated: Option<Date>,
    pub summary: Option<String>,
    pub dateline: Option<String>,
    /// The byline, each name with the slug of its author page.
    pub authors: Vec<Term>,
    pub topics: Vec<Term>,
    /// Entity lists by kind key, in site.yaml's kind order.
    pub entities: Vec<(String, Vec<Term>)>,
    pub sources: Vec<Source>,
    pub facts: Vec<Fact>,
    pub related: Vec<At<String>>,
    /// Old addresses that redirect here, as output files (`2025/03/old-slug/index.html`).
    pub aliases: Vec<At<String>>,
    pub corrections: Vec<Correction>,
    /// The picture at the top of its page and on its cards.
    pub image: Option<LeadImage>,
    pub draft: bool,
    /// `featured: true`: the newest featured briefing leads the home page.
    pub featured: bool,
    /// How many words its body has, for its reading time.
    pub words: usize,
    /// Dated after the build's clock; published only with `--future`.
    pub scheduled: bool,
    #[serde(with = "json_text")]
    pub extra: serde_json::Value,
    pub prose: Prose,
}

impl Briefing {
    /// Neither a draft nor scheduled: what `--drafts` and `--future` show in a preview stays
    /// out of sitemaps and fact-check data.
    pub fn is_public(&self) -> bool {
        !self.draft && !self.scheduled
    }
}

/// `extra:` kept in the build cache as JSON text: its shape is the writer's, and the
/// cache's format only reads back values whose shape it knows.
mod json_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(value: &serde_json::Value, s: S) -> Result<S::Ok, S::Error> {
        value.to_string().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<serde_json::Value, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

/// Which briefings a build publishes: drafts and scheduled ones only when asked for.
#[derive(Debug, Clone, Copy)]
pub struct Publish {
    /// `--drafts`: drafts are published, with a label.
    pub drafts: bool,
    /// `--future`: briefings dated after `now` are published, with a label.
    pub future: bool,
    /// The build's clock: a briefing dated later is scheduled.
    pub now: jiff::Timestamp,
}

impl Publish {
    /// What is published at this moment, with drafts if `drafts`.
    pub fn now(drafts: bool, future: bool) -> Publish {
        Publish {
            drafts,
            future,
            now: jiff::Timestamp::now(),
        }
    }

    /// Why `briefing` is left out, or `None` when it is published.
    fn withholds(&self, briefing: &Briefing) -> Option<Withheld> {
        if briefing.draft && !self.drafts {
            Some(Withheld::Draft)
        } else if briefing.scheduled && !self.future {
            Some(Withheld::Scheduled(briefing.date))
        } else {
            None
        }
    }
}

impl Default for Publish {
    fn default() -> Publish {
        Publish::now(false, false)
    }
}

/// Why a briefing is not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    Draft,
    /// Dated after the build's clock: published from this date on.
    Scheduled(Date),
}

/// A briefing left out of the site, kept so links to it can say why it is missing.
#[derive(Debug, Clone)]
pub struct Unpublished {
    pub path: PathBuf,
    pub slug: String,
    pub why: Withheld,
}

/// An optional topic intro.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TopicIntro {
    pub path: PathBuf,
    pub slug: String,
    /// The language it is written in: `<slug>.<code>.md`, else the main one.
    pub lang: String,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub prose: Prose,
}

/// An optional entity profile.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EntityProfile {
    pub path: PathBuf,
    pub kind: String,
    pub slug: String,
    /// The language it is written in: `<slug>.<code>.md`, else the main one.
    pub lang: String,
    pub name: String,
    pub aliases: Vec<At<String>>,
    pub summary: Option<String>,
    pub prose: Prose,
}

/// An optional author profile: who writes for the desk.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AuthorProfile {
    pub path: PathBuf,
    pub slug: String,
    /// The language it is written in: `<slug>.<code>.md`, else the main one.
    pub lang: String,
    pub name: String,
    pub role: Option<String>,
    /// http(s) addresses: the author's other pages.
    pub links: Vec<String>,
    /// A photo, as written (`/img/jane.jpg`, a file beside the profile, or an http(s) URL).
    pub image: Option<crate::picture::Picture>,
    pub prose: Prose,
}

/// A standalone page such as "About".
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Page {
    pub path: PathBuf,
    pub slug: At<String>,
    /// The language it is written in: `<slug>.<code>.md`, else the main one.
    pub lang: String,
    pub title: String,
    pub summary: Option<String>,
    pub prose: Prose,
}

/// Everything under `content/`, validated file by file.
#[derive(Debug, Default, Clone)]
pub struct Content {
    /// Shared, so a preview server can keep them across rebuilds without copying.
    pub briefings: Vec<Arc<Briefing>>,
    pub topics: Vec<TopicIntro>,
    pub entities: Vec<EntityProfile>,
    pub authors: Vec<AuthorProfile>,
    pub pages: Vec<Page>,
    /// Drafts and scheduled briefings this build leaves out.
    pub unpublished: Vec<Arc<Unpublished>>,
    /// Files left out because they are empty, to warn about.
    pub empty: Vec<PathBuf>,
    /// The build's clock: what was published by then (scheduled briefings, the news
    /// sitemap's last 48 hours).
    pub clock: jiff::Timestamp,
}

impl Content {
    /// The scheduled briefings left out, soonest first.
    pub fn scheduled(&self) -> Vec<(PathBuf, Date)> {
        let mut list: Vec<(PathBuf, Date)> = self
            .unpublished
            .iter()
            .filter_map(|u| match u.why {
                Withheld::Scheduled(date) => Some((u.path.clone(), date)),
                Withheld::Draft => None,
            })
            .collect();
        list.sort_by_key(|(path, date)| (date.timestamp(), path.clone()));
        list
    }
}

/// One loaded content file.
#[derive(Debug, Clone)]
pub enum Item {
    Briefing(Arc<Briefing>),
    Topic(TopicIntro),
    Entity(EntityProfile),
    Author(AuthorProfile),
    Page(Page),
    /// A draft or scheduled briefing this build leaves out.
    Unpublished(Arc<Unpublished>),
    Skipped,
    /// A file with nothing in it (or only blank lines): left out, with a warning.
    Empty(PathBuf),
}

/// Whether a file's bytes hold nothing but white space: such a file is left out of the
/// site with a warning, rather than stopping the build.
fn is_blank(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(bytes);
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// Loads every content file under `<root>/content`. Drafts and scheduled briefings are left
/// out unless `publish` asks for them.
pub fn load(root: &Path, config: &Config, publish: Publish) -> Result<Content, Diagnostics> {
    load_with(root, config, publish, None)
}

/// `load`, reusing what `cache` kept of files read before, and keeping the others in it.
pub fn load_with(
    root: &Path,
    config: &Config,
    publish: Publish,
    cache: Option<&cached::Cached>,
) -> Result<Content, Diagnostics> {
    let items = load_items(root, config, publish, cache)?;
    Ok(Content::from_items(items.into_values()).at(publish.now))
}

/// Every content file under `<root>/content` loaded, by its path: the one loader of the
/// build and the preview (which keeps the items to take edits in one at a time).
pub fn load_items(
    root: &Path,
    config: &Config,
    publish: Publish,
    cache: Option<&cached::Cached>,
) -> Result<BTreeMap<PathBuf, Item>, Diagnostics> {
    let (entries, mut diags) = discover::discover(root);
    let results: Vec<(PathBuf, Result<Item, Diagnostics>)> = entries
        .par_iter()
        .map(|entry| {
            let item = match cache {
                Some(cache) => load_cached(entry, config, publish, cache),
                None => load_entry(entry, config, publish),
            };
            (entry.path.clone(), item)
        })
        .collect();
    if let Some(cache) = cache {
        cache.keep_index();
    }
    let mut items = BTreeMap::new();
    for (path, result) in results {
        match result {
            Ok(item) => {
                items.insert(path, item);
            }
            Err(d) => diags.extend(d),
        }
    }
    diags.into_result(items)
}

impl Content {
    /// Gathers loaded items (in any order) into a `Content`.
    pub fn from_items(items: impl IntoIterator<Item = Item>) -> Content {
        let mut content = Content::default();
        for item in items {
            match item {
                Item::Briefing(b) => content.briefings.push(b),
                Item::Topic(t) => content.topics.push(t),
                Item::Entity(e) => content.entities.push(e),
                Item::Author(a) => content.authors.push(a),
                Item::Page(p) => content.pages.push(p),
                Item::Unpublished(u) => content.unpublished.push(u),
                Item::Empty(path) => content.empty.push(path),
                Item::Skipped => {}
            }
        }
        content
    }

    /// What is written in language `code`. Drafts and scheduled briefings stay in every
    /// language's content, so a link to one is reported as such.
    pub fn in_language(&self, code: &str) -> Content {
        Content {
            briefings: (self.briefings.iter())
                .filter(|b| b.lang == code)
                .cloned()
                .collect(),
            topics: self
                .topics
                .iter()
                .filter(|t| t.lang == code)
                .cloned()
                .collect(),
            entities: (self.entities.iter())
                .filter(|e| e.lang == code)
                .cloned()
                .collect(),
            authors: self
                .authors
                .iter()
                .filter(|a| a.lang == code)
                .cloned()
                .collect(),
            pages: self
                .pages
                .iter()
                .filter(|p| p.lang == code)
                .cloned()
                .collect(),
            unpublished: self.unpublished.clone(),
            empty: self.empty.clone(),
            clock: self.clock,
        }
    }

    /// This content as of `clock`.
    pub fn at(self, clock: jiff::Timestamp) -> Content {
        Content { clock, ..self }
    }
}

/// Loads one content file, classified by where it lives under `content/`. `Ok(None)` when
/// the path is not a content file (an editor's temp file, a file outside `content/`...).
pub fn load_file(
    root: &Path,
    path: &Path,
    config: &Config,
    publish: Publish,
) -> Result<Option<Item>, Diagnostics> {
    match discover::classify(root, path) {
        Some(entry) => load_entry(&entry, config, publish).map(Some),
        None => Ok(None),
    }
}

/// A file's text and the parts of it front matter parsing needs.
pub struct SourceFile<'a> {
    pub display: &'a Path,
    pub text: &'a str,
    pub split: frontmatter::Split<'a>,
}

impl SourceFile<'_> {
    pub fn origin(&self) -> Origin<'_> {
        Origin {
            path: self.display,
            file_text: self.text,
            first_line: self.split.yaml_line,
        }
    }

    pub fn body(&self) -> &str {
        &self.text[self.split.body_start..]
    }

    /// A diagnostic about the front matter as a whole (points at the opening `---`).
    pub fn at_front_matter(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.display, message)
            .at(self.text, 1, 1)
            .width(3)
    }
}

/// The largest content file brief reads: far above any real briefing, low enough that a
/// stray binary or generated file cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

pub fn load_entry(entry: &Entry, config: &Config, publish: Publish) -> Result<Item, Diagnostics> {
    let bytes = read_entry(entry)?;
    load_bytes(&bytes, &entry.display, &entry.kind, config, publish)
}

/// `load_entry` through the build cache: a file kept there is not converted again.
fn load_cached(
    entry: &Entry,
    config: &Config,
    publish: Publish,
    cache: &cached::Cached,
) -> Result<Item, Diagnostics> {
    // Seen before reading: a file changed meanwhile is read again by the next build.
    let seen = crate::cache::stat(&entry.path);
    let known = seen.and_then(|seen| Some((seen, cache.known(&entry.display, seen)?)));
    if let Some((seen, key)) = known
        && let Some(converted) = cache.get(key)
    {
        cache.read(&entry.display, seen, key);
        return Ok(converted.publish(publish));
    }
    let bytes = read_entry(entry)?;
    if is_blank(&bytes) {
        return Ok(Item::Empty(entry.display.clone()));
    }
    let key = cache.key(&entry.display, &entry.kind, &bytes);
    let converted = match cache.get(key) {
        Some(converted) => converted,
        None => {
            let mut converted = convert(&bytes, &entry.display, &entry.kind, config)?;
            cache.put(key, &mut converted);
            converted
        }
    };
    if let Some(seen) = seen {
        cache.read(&entry.display, seen, key);
    }
    Ok(converted.publish(publish))
}

/// A content file's bytes, or a diagnostic saying why they cannot be read.
fn read_entry(entry: &Entry) -> Result<Vec<u8>, Diagnostic> {
    read_limited(&entry.path).map_err(|e| {
        let d = Diagnostic::new(&entry.display, format!("cannot read this file: {e}"));
        if e.kind() == std::io::ErrorKind::FileTooLarge {
            d.help("split it into several briefings, or move large data out of content/")
        } else if e.kind() == std::io::ErrorKind::NotFound {
            d.help("it was removed while the site was being read; build again")
        } else if e.kind() == std::io::ErrorKind::InvalidInput {
            d.help("content files are plain text files; move this one out of content/")
        } else {
            d.help("check that it exists and that you have permission to read it")
        }
    })
}

/// Loads one content file from its bytes: what `load_entry` does after reading. `display` is
/// the path messages name; `kind` says what the file is.
pub fn load_bytes(
    bytes: &[u8],
    display: &Path,
    kind: &Kind,
    config: &Config,
    publish: Publish,
) -> Result<Item, Diagnostics> {
    if is_blank(bytes) {
        return Ok(Item::Empty(display.to_path_buf()));
    }
    convert(bytes, display, kind, config).map(|file| file.publish(publish))
}

/// A content file validated, before the build decides whether it is published: what the
/// build cache keeps of it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Converted {
    Briefing(Box<Briefing>),
    Topic(TopicIntro),
    Entity(EntityProfile),
    Author(AuthorProfile),
    /// With whether it is a draft.
    Page(Page, bool),
}

impl Converted {
    /// The item this build makes of the file: drafts and scheduled briefings are left out
    /// unless `publish` asks for them.
    pub fn publish(self, publish: Publish) -> Item {
        match self {
            Converted::Briefing(mut b) => {
                b.scheduled = b.date.timestamp() > publish.now;
                match publish.withholds(&b) {
                    Some(why) => Item::Unpublished(Arc::new(Unpublished {
                        path: b.path,
                        slug: b.slug.value,
                        why,
                    })),
                    None => Item::Briefing(Arc::new(*b)),
                }
            }
            Converted::Topic(t) => Item::Topic(t),
            Converted::Entity(e) => Item::Entity(e),
            Converted::Author(a) => Item::Author(a),
            Converted::Page(_, true) if !publish.drafts => Item::Skipped,
            Converted::Page(page, _) => Item::Page(page),
        }
    }

    /// Its rendered body.
    pub fn prose(&self) -> &Prose {
        match self {
            Converted::Briefing(b) => &b.prose,
            Converted::Topic(t) => &t.prose,
            Converted::Entity(e) => &e.prose,
            Converted::Author(a) => &a.prose,
            Converted::Page(p, _) => &p.prose,
        }
    }

    /// Its rendered body, to change.
    pub fn prose_mut(&mut self) -> &mut Prose {
        match self {
            Converted::Briefing(b) => &mut b.prose,
            Converted::Topic(t) => &mut t.prose,
            Converted::Entity(e) => &mut e.prose,
            Converted::Author(a) => &mut a.prose,
            Converted::Page(p, _) => &mut p.prose,
        }
    }

    /// Every picture it shows, whose size was read from its file.
    pub fn pictures(&self) -> Vec<&crate::picture::Picture> {
        let (prose, own) = match self {
            Converted::Briefing(b) => (&b.prose, b.image.as_ref().map(|i| &i.picture)),
            Converted::Topic(t) => (&t.prose, None),
            Converted::Entity(e) => (&e.prose, None),
            Converted::Author(a) => (&a.prose, a.image.as_ref()),
            Converted::Page(p, _) => (&p.prose, None),
        };
        own.into_iter().chain(&prose.pictures).collect()
    }
}

/// Validates a content file and renders its body: everything loading does but deciding
/// whether it is published.
pub fn convert(
    bytes: &[u8],
    display: &Path,
    kind: &Kind,
    config: &Config,
) -> Result<Converted, Diagnostics> {
    let text = decode(bytes, display)?;
    if let Some(at) = text.find('\0') {
        let line = text[..at].matches('\n').count() + 1;
        let col = text[..at]
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        return Err(Diagnostic::new(display, "this file contains a NUL byte")
            .at(text, line, col)
            .help("text files never contain NUL; it may be a binary file or a damaged copy: remove the byte or the file")
            .into());
    }
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let text = &*crate::text::normalize_line_breaks(text);
    let split = frontmatter::split(text).map_err(|e| {
        Diagnostic::new(display, e.message)
            .at(text, e.line, 1)
            .help(e.help)
    })?;
    let file = SourceFile {
        display,
        text,
        split,
    };
    Ok(match kind {
        Kind::Briefing => Converted::Briefing(Box::new(briefing::convert(&file, config)?)),
        Kind::TopicIntro => Converted::Topic(other::topic(&file, config)?),
        Kind::EntityProfile(kind) => Converted::Entity(other::entity(&file, kind, config)?),
        Kind::AuthorProfile => Converted::Author(other::author(&file, config)?),
        Kind::Page => {
            let (page, draft) = other::page(&file, config)?;
            Converted::Page(page, draft)
        }
    })
}

/// Reads a file of at most `MAX_FILE_BYTES`; larger ones fail with `FileTooLarge`.
fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    // Opening a pipe would wait for a writer forever.
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is not a regular file (a pipe, socket or device)",
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "it is larger than {} MB, the limit for one content file",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(bytes)
}

/// The file as UTF-8, or a diagnostic at the first byte that is not.
fn decode<'a>(bytes: &'a [u8], display: &Path) -> Result<&'a str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        let lossy = String::from_utf8_lossy(bytes);
        Diagnostic::new(display, "this file is not valid UTF-8 text")
            .at(&lossy, line, col)
            .help("save the file with UTF-8 encoding (most editors offer it under \"Save with encoding\")")
    })
}

/// The file stem, for default slugs.
pub fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
