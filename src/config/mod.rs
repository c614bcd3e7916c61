//! site.yaml: read into a raw serde struct that mirrors the file, then validated once into
//! `Config`, which the rest of the pipeline trusts.

use std::fmt;
use std::path::{Path, PathBuf};

/// The fixed front-matter fields of a briefing (entity kinds come from site.yaml).
pub const BRIEFING_FIELDS: &[&str] = &[
    "title",
    "date",
    "updated",
    "slug",
    "lang",
    "translation_of",
    "summary",
    "dateline",
    "authors",
    "topics",
    "sources",
    "facts",
    "related",
    "aliases",
    "corrections",
    "image",
    "draft",
    "featured",
    "extra",
];

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};

use crate::diag::{Diagnostic, Diagnostics};
use crate::yaml::{self, Origin, Spanned};

mod deploy;
mod feeds;
pub mod inputs;
mod link_checker;
mod localized;
pub use deploy::Deploy;
pub use link_checker::LinkChecker;
pub use localized::Localized;
use localized::RawLocalized;

pub const CONFIG_FILE: &str = "site.yaml";

/// What a build keeps for the next one (resized pictures); safe to delete, never published.
pub const CACHE_DIR: &str = ".brief-cache";

/// Names an entity kind may not take (nor the names of front-matter fields): folders the
/// site itself uses at the output root, the other annotations, and the words the renderer's
/// markers use (`root:`, `factbox:`), which an entity link would otherwise be read as.
const RESERVED_KINDS: &[&str] = &[
    "topics", "pages", "page", "search", "static", "root", "factbox", "story", "topic",
];

/// `base_url`: absolute http(s), kept ending in `/`.
fn base_url(raw: &RawConfig, origin: Origin<'_>, diags: &mut Diagnostics) -> String {
    normalize_base_url(&raw.base_url.value).unwrap_or_else(|why| {
        diags.push(
            origin
                .diag_at(&raw.base_url, format!("`base_url` {why}"))
                .help("use an absolute http(s) URL, e.g. https://example.org/ or https://example.org/briefs/"),
        );
        String::new()
    })
}

/// `language`: a BCP 47 tag; `en` by default.
fn language(raw: &RawConfig, origin: Origin<'_>, diags: &mut Diagnostics) -> String {
    match &raw.language {
        Some(lang) if !is_language_tag(&lang.value) => {
            diags.push(
                origin
                    .diag_at(
                        lang,
                        format!("`language` {:?} is not a language tag", lang.value),
                    )
                    .help("use a BCP 47 tag such as en, en-GB or uk"),
            );
            String::new()
        }
        Some(lang) => lang.value.clone(),
        None => "en".to_string(),
    }
}

/// `languages`: the site's languages, the first served at the root and each other one
/// under `/<code>/`. Without it, the site has one language, `language`.
fn languages(
    raw: &RawConfig,
    first: &str,
    kinds: &[EntityKind],
    origin: Origin<'_>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let Some(list) = &raw.languages else {
        return vec![first.to_string()];
    };
    let mut codes: Vec<String> = Vec::new();
    for code in &list.value {
        let c = code.value.as_str();
        let problem = if !is_language_tag(c) {
            Some(format!("{c:?} is not a language tag"))
        } else if codes.iter().any(|k| k == c) {
            Some(format!("the language `{c}` is listed twice"))
        } else if is_site_folder(c) || kinds.iter().any(|k| k.key == c) {
            Some(format!("`{c}` is a folder the site already uses"))
        } else {
            None
        };
        match problem {
            Some(message) => diags.push(
                origin
                    .diag_at(code, message)
                    .help("list BCP 47 tags such as en, uk or pt-BR, each once; the first is served at the root"),
            ),
            None => codes.push(c.to_string()),
        }
    }
    if list.value.is_empty() {
        diags.push(
            origin
                .diag_at(list, "`languages` is empty")
                .help("list the site's languages, e.g. `languages: [en, uk]`, or remove the key"),
        );
    }
    if let Some(lang) = &raw.language
        && codes.first().is_some_and(|c| *c != lang.value)
    {
        diags.push(
            origin
                .diag_at(lang, format!("`language` is `{}` but `languages` starts with `{}`", lang.value, codes[0]))
                .help("remove `language:`: with `languages:`, the first one listed is the site's main language"),
        );
    }
    if codes.is_empty() {
        codes.push(first.to_string());
    }
    codes
}

/// `permalinks.briefing`: tokens between slashes.
fn permalink(raw: &RawConfig, origin: Origin<'_>, diags: &mut Diagnostics) -> Permalink {
    let Some(p) = &raw.permalinks.briefing else {
        return Permalink::default();
    };
    Permalink::parse(&p.value).unwrap_or_else(|why| {
        diags.push(origin.diag_at(p, format!("`permalinks.briefing` {why}")).help(
            "use tokens :year, :month, :day and :slug between slashes, e.g. /:year/:month/:slug/",
        ));
        Permalink::default()
    })
}

/// `paginate`: 1 to `MAX_PAGINATE`; 20 by default.
fn paginate(raw: &RawConfig, origin: Origin<'_>, diags: &mut Diagnostics) -> usize {
    match &raw.paginate {
        Some(p) if p.value == 0 => {
            diags.push(
                origin
                    .diag_at(p, "`paginate` must be at least 1")
                    .help("the default is 20 briefings per page"),
            );
            20
        }
        Some(p) if p.value as usize > MAX_PAGINATE => {
            diags.push(
                origin
                    .diag_at(p, format!("`paginate` may be at most {MAX_PAGINATE}"))
                    .help("a list page that long is slow to open; the default is 20 briefings per page"),
            );
            20
        }
        Some(p) => p.value as usize,
        None => 20,
    }
}

/// `timeout`: at least a second.
fn timeout(raw: &RawConfig, origin: Origin<'_>, diags: &mut Diagnostics) -> u32 {
    match &raw.timeout {
        Some(t) if t.value == 0 => {
            diags.push(
                origin
                    .diag_at(t, "`timeout` must be at least 1 (seconds)")
                    .help(format!("the default is {DEFAULT_TIMEOUT_SECS} seconds")),
            );
            DEFAULT_TIMEOUT_SECS
        }
        Some(t) => t.value,
        None => DEFAULT_TIMEOUT_SECS,
    }
}

/// `entities`: kinds in file order, each a usable folder name listed once.
fn entity_kinds(raw: &RawConfig, origin: Origin<'_>, diags: &mut Diagnostics) -> Vec<EntityKind> {
    let Some(pairs) = &raw.entities else {
        return default_entity_kinds();
    };
    let mut kinds: Vec<EntityKind> = Vec::new();
    for (key, label) in &pairs.0 {
        let k = &key.value;
        let valid = !k.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid || is_reserved_kind(k) {
            diags.push(
                origin
                    .diag_at(key, format!("`{k}` cannot be an entity kind"))
                    .help("use lowercase letters, digits and `-`, and none of: topics, pages, search or a front-matter field name"),
            );
        } else if kinds.iter().any(|e| &e.key == k) {
            diags.push(origin.diag_at(key, format!("entity kind `{k}` is listed twice")));
        } else {
            kinds.push(EntityKind {
                key: k.clone(),
                label: String::new(),
                named: true,
                labels: match label {
                    RawLocalized::One(text) => Localized::shared(text),
                    // Checked once the site's languages are known.
                    RawLocalized::ByLanguage(_) => Localized::default(),
                },
            });
        }
    }
    kinds
}

/// `theme`: a folder name under themes/.
fn theme(raw: &RawConfig, origin: Origin<'_>, diags: &mut Diagnostics) -> Option<String> {
    match &raw.theme {
        Some(t) if !is_safe_name(&t.value) => {
            diags.push(
                origin
                    .diag_at(t, format!("`theme` {:?} is not a folder name", t.value))
                    .help("name a folder under themes/, e.g. theme: default"),
            );
            None
        }
        // Templates are named `builtin/<file>` and `<theme>/<file>`: the theme's name may
        // not be a folder of template names.
        Some(t) if ["builtin", "partials"].contains(&t.value.as_str()) => {
            diags.push(
                origin
                    .diag_at(t, format!("`{}` cannot be a theme's name", t.value))
                    .help("`builtin` names the built-in theme's templates and `partials` their folder: rename the theme's folder"),
            );
            None
        }
        other => other.as_ref().map(|t| t.value.clone()),
    }
}

/// `related`: weights and count over the defaults; the time scale must be positive.
fn related(raw: &RawConfig, origin: Origin<'_>, diags: &mut Diagnostics) -> RelatedConfig {
    let d = RelatedConfig::default();
    let w = &raw.related.weights;
    RelatedConfig {
        count: raw.related.count.unwrap_or(d.count),
        min_score: raw.related.min_score.unwrap_or(d.min_score),
        topics: w.topics.unwrap_or(d.topics),
        entities: w.entities.unwrap_or(d.entities),
        links: w.links.unwrap_or(d.links),
        time: w.time.unwrap_or(d.time),
        time_scale_days: match &raw.related.time_scale_days {
            Some(t) if t.value <= 0.0 => {
                diags.push(
                    origin
                        .diag_at(t, "`related.time_scale_days` must be more than 0")
                        .help("the default is 30 days"),
                );
                d.time_scale_days
            }
            Some(t) => t.value,
            None => d.time_scale_days,
        },
    }
}

fn is_reserved_kind(kind: &str) -> bool {
    RESERVED_KINDS.contains(&kind) || BRIEFING_FIELDS.contains(&kind)
}

/// Folders every site has at its root, which a language's folder may not take.
fn is_site_folder(name: &str) -> bool {
    RESERVED_KINDS.contains(&name) || ["authors", "claims", "corrections", "images"].contains(&name)
}

/// A section of the home page: a topic or an entity, named by its slug.
#[derive(Debug, Clone)]
pub struct Section {
    /// The slug, as a topic's or entity's address has it (`ceasefire-talks`); a name
    /// written instead ("Ceasefire talks") is made a slug.
    pub slug: String,
    /// Where site.yaml names it, for errors about it.
    pub place: Diagnostic,
}

/// `sections:` as slugs with their places; whether each names a topic or an entity is
/// known once the content is (see the model's checks).
fn sections(raw: &RawConfig, origin: Origin<'_>) -> Vec<Section> {
    (raw.sections.iter())
        .map(|s| Section {
            slug: crate::text::slugify(&s.value),
            place: origin.diag_at(s, ""),
        })
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: RawLocalized,
    base_url: Spanned<String>,
    #[serde(default)]
    description: RawLocalized,
    #[serde(default)]
    language: Option<Spanned<String>>,
    #[serde(default)]
    languages: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    permalinks: RawPermalinks,
    #[serde(default)]
    paginate: Option<Spanned<u32>>,
    /// Seconds one template may take to render one file.
    timeout: Option<Spanned<u32>>,
    /// Whether the site has full-text search (on by default).
    #[serde(default)]
    search: Option<bool>,
    #[serde(default)]
    entities: Option<OrderedPairs>,
    #[serde(default)]
    theme: Option<Spanned<String>>,
    #[serde(default)]
    related: RawRelated,
    /// The picture social cards show for pages without a lead image.
    #[serde(default)]
    image: Option<Spanned<String>>,
    /// The home page's sections: topic or entity slugs, in order.
    #[serde(default)]
    sections: Vec<Spanned<String>>,
    #[serde(default)]
    link_checker: link_checker::RawLinkChecker,
    #[serde(default)]
    feeds: feeds::RawFeeds,
    #[serde(default)]
    deploy: Option<deploy::RawDeploy>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelated {
    count: Option<usize>,
    min_score: Option<f64>,
    time_scale_days: Option<Spanned<f64>>,
    #[serde(default)]
    weights: RawWeights,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeights {
    topics: Option<f64>,
    entities: Option<f64>,
    links: Option<f64>,
    time: Option<f64>,
}

/// How "Related briefings" are ranked (site.yaml `related:`).
#[derive(Debug, Clone, PartialEq)]
pub struct RelatedConfig {
    /// How many to show, manual ones included.
    pub count: usize,
    /// Candidates scoring below this are left out.
    pub min_score: f64,
    /// Weight of a shared topic and of a shared entity (each times its rarity).
    pub topics: f64,
    pub entities: f64,
    /// Added when one briefing links to the other with `story:`.
    pub links: f64,
    /// How much being close in time multiplies the score (0 ignores time).
    pub time: f64,
    /// The gap, in days, at which closeness counts half.
    pub time_scale_days: f64,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig {
            count: 5,
            min_score: 1.0,
            topics: 1.0,
            entities: 1.0,
            links: 3.0,
            time: 1.0,
            time_scale_days: 30.0,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPermalinks {
    briefing: Option<Spanned<String>>,
}

/// A YAML mapping kept in file order (entity kinds appear in navigation in that order).
#[derive(Debug)]
struct OrderedPairs(Vec<(Spanned<String>, RawLocalized)>);

impl<'de> Deserialize<'de> for OrderedPairs {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct PairsVisitor;
        impl<'de> Visitor<'de> for PairsVisitor {
            type Value = OrderedPairs;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of entity kind to its label, e.g. `people: People`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::new();
                while let Some((k, v)) = map.next_entry::<Spanned<String>, RawLocalized>()? {
                    pairs.push((k, v));
                }
                Ok(OrderedPairs(pairs))
            }
        }
        de.deserialize_map(PairsVisitor)
    }
}

/// An entity kind, e.g. `people` shown as "People": a front-matter list and a URL folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityKind {
    pub key: String,
    /// The label in this configuration's language.
    pub label: String,
    /// The label was written in site.yaml; the default kinds' labels are translated.
    pub named: bool,
    /// The labels site.yaml gives, for every language or by language.
    labels: Localized,
}

impl EntityKind {
    /// A kind labelled `label` in every language.
    pub fn named(key: &str, label: &str) -> EntityKind {
        EntityKind {
            key: key.to_string(),
            label: label.to_string(),
            named: true,
            labels: Localized::shared(label),
        }
    }

    /// The kind as language `code`'s pages name it: by the label site.yaml gives that
    /// language; a default kind (people, places, orgs) by its translation where site.yaml
    /// gives none for it (a label written once is the main language's); any other kind by
    /// the label it has.
    fn in_language(&self, code: &str, main: &str) -> EntityKind {
        let translated = default_label(&self.key);
        let (label, named) = match (self.labels.given_for(code), translated) {
            (Some(label), _) => (label, true),
            (None, Some(english)) if code != main || self.labels == Localized::default() => {
                (english, false)
            }
            (None, _) => (self.labels.for_language(code, main), true),
        };
        EntityKind {
            label: label.to_string(),
            named,
            ..self.clone()
        }
    }
}

/// The most briefings one list page (home, topic, entity) may show.
pub const MAX_PAGINATE: usize = 500;

/// How long one template may render one file by default; far above any real page.
pub const DEFAULT_TIMEOUT_SECS: u32 = 60;

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// The language of this site's pages: the main one, or one of `languages`.
    pub language: String,
    /// Every language of the site, the main one first (just `language` for most sites).
    pub languages: Vec<String>,
    /// Where this language's pages live under the site's root: empty for the main
    /// language, else `<code>/`.
    pub home: String,
    /// The way back from `home` to the site's root (`../` per folder), made once: pages
    /// and pictures ask for it many times.
    up: String,
    /// Absolute, always ending in `/`: the address of this language's home page.
    pub base_url: String,
    pub permalink: Permalink,
    pub paginate: usize,
    /// How long one template may take to render one file before the build stops.
    pub timeout: std::time::Duration,
    pub entity_kinds: Vec<EntityKind>,
    pub theme: Option<String>,
    pub related: RelatedConfig,
    /// Full-text search: the index and the search page. Large sites may turn it off, as
    /// the index costs build time and memory with every briefing.
    pub search: bool,
    /// The site's folder; pictures are looked for from here.
    pub root: PathBuf,
    /// The picture for pages without a lead image (`image:`), once located.
    pub image: Option<crate::picture::Picture>,
    /// `image:` as written, with its place, until `load` locates it.
    image_at: Option<(String, Diagnostic)>,
    /// The home page's sections (`sections:`), in order.
    pub sections: Vec<Section>,
    /// How `--external` checks web addresses (`link_checker:`).
    pub link_checker: LinkChecker,
    /// `feeds: {content: full}`: feed entries hold whole briefings, not their summaries.
    pub full_feeds: bool,
    /// Where `brief deploy` uploads the site (`deploy:`).
    pub deploy: Option<Deploy>,
    /// `title` and `description` in every language; `title` and `description` above are
    /// this configuration's language's.
    titles: Localized,
    descriptions: Localized,
}

impl Config {
    /// Reads and validates `<root>/site.yaml`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = PathBuf::from(CONFIG_FILE);
        let text = std::fs::read_to_string(root.join(CONFIG_FILE)).map_err(|e| {
            Diagnostic::new(&path, format!("cannot read the site configuration: {e}"))
                .help("run `brief init` to create a site, or pass --root pointing at one")
        })?;
        let mut config = Config::parse(&text, &path)?;
        config.root = root.to_path_buf();
        if let Some((src, place)) = config.image_at.take() {
            config.image = Some(config.locate_default_image(&src, place)?);
        }
        Ok(config)
    }

    /// Reads `<root>/site.yaml`, its `base_url` replaced by `base_url` when given: the one
    /// place the address a site is built for is decided (`--base-url` for a build, the
    /// local address for the preview).
    pub fn load_for(root: &Path, base_url: Option<&str>) -> Result<Config, Diagnostics> {
        let mut config = Config::load(root)?;
        if let Some(url) = base_url {
            config.set_base_url(url)?;
        }
        Ok(config)
    }

    /// The folders pictures named from the site's root are looked for in: the site's
    /// `static/`, then its theme's.
    pub fn static_dirs(&self) -> Vec<PathBuf> {
        let theme = self.theme.as_deref().unwrap_or("default");
        vec![
            self.root.join(inputs::STATIC),
            self.root
                .join(inputs::THEMES)
                .join(theme)
                .join(inputs::STATIC),
        ]
    }

    fn locate_default_image(
        &self,
        src: &str,
        place: Diagnostic,
    ) -> Result<crate::picture::Picture, Diagnostic> {
        let statics = self.static_dirs();
        let lookup = crate::picture::Lookup {
            root: &self.root,
            statics: &statics,
        };
        let problem = match lookup.locate(src, Path::new("")) {
            Ok(p) if !matches!(p.place, crate::picture::Place::Beside(_)) => return Ok(p),
            Ok(_) => crate::picture::Problem::NotAllowed,
            Err(problem) => problem,
        };
        let (message, help) = problem.explain(src);
        Err(place.with_message(message).help(help))
    }

    /// Validates site.yaml's text; each key's rule is a function of its own, and every
    /// problem is reported.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Diagnostics> {
        let text = &*crate::text::normalize_line_breaks(text);
        let origin = Origin {
            path,
            file_text: text,
            first_line: 1,
        };
        let raw: RawConfig = yaml::parse(text, origin)?;
        let mut diags = Diagnostics::default();
        let d = &mut diags;
        let mut entity_kinds = entity_kinds(&raw, origin, d);
        let language = language(&raw, origin, d);
        let languages = languages(&raw, &language, &entity_kinds, origin, d);
        entity_labels(&raw, &mut entity_kinds, &languages, origin, d);
        let titles = Localized::from_raw(&raw.title, &languages, origin, d);
        let descriptions = Localized::from_raw(&raw.description, &languages, origin, d);
        let config = Config {
            base_url: base_url(&raw, origin, d),
            language: languages[0].clone(),
            languages,
            home: String::new(),
            up: String::new(),
            permalink: permalink(&raw, origin, d),
            paginate: paginate(&raw, origin, d),
            timeout: std::time::Duration::from_secs(timeout(&raw, origin, d).into()),
            entity_kinds,
            theme: theme(&raw, origin, d),
            related: related(&raw, origin, d),
            search: raw.search.unwrap_or(true),
            title: String::new(),
            description: String::new(),
            titles,
            descriptions,
            root: PathBuf::from("."),
            image: None,
            image_at: raw
                .image
                .as_ref()
                .map(|i| (i.value.clone(), origin.diag_at(i, ""))),
            sections: sections(&raw, origin),
            link_checker: link_checker::link_checker(&raw.link_checker, origin, d),
            full_feeds: feeds::full_content(&raw.feeds, origin, d),
            deploy: deploy::deploy(&raw.deploy, origin, d),
        };
        let main = config.language.clone();
        diags.into_result(config.for_language(&main))
    }

    /// Overrides `base_url` (from `--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), Diagnostic> {
        let site = normalize_base_url(url).map_err(|why| {
            Diagnostic::new("--base-url", format!("{url:?} {why}"))
                .help("use an absolute http(s) URL, e.g. https://example.org/briefs/")
        })?;
        self.base_url = format!("{site}{}", self.home);
        Ok(())
    }

    /// The configuration of the site in language `code`, one of `languages`: its pages
    /// under `<code>/` unless it is the main language.
    pub fn for_language(&self, code: &str) -> Config {
        let home = if self.languages.first().is_some_and(|c| c == code) {
            String::new()
        } else {
            format!("{code}/")
        };
        let main = self.languages.first().map_or(code, String::as_str);
        Config {
            language: code.to_string(),
            base_url: format!("{}{home}", self.site_url()),
            up: "../".repeat(home.matches('/').count()),
            home,
            title: self.titles.for_language(code, main).to_string(),
            description: self.descriptions.for_language(code, main).to_string(),
            entity_kinds: (self.entity_kinds.iter())
                .map(|k| k.in_language(code, main))
                .collect(),
            ..self.clone()
        }
    }

    /// One configuration per language, the main one first.
    pub fn per_language(&self) -> Vec<Config> {
        self.languages
            .iter()
            .map(|c| self.for_language(c))
            .collect()
    }

    /// What converting a content file reads of the configuration, as a key for the build
    /// cache: the languages, the entity kinds' keys, the theme (whose `static/` pictures may
    /// come from) and the site's folder. `paginate`, `base_url`, labels or titles change no
    /// content file's conversion, so changing them keeps every cached one.
    pub fn conversion_key(&self) -> u64 {
        let kinds: Vec<&str> = self.entity_kinds.iter().map(|k| k.key.as_str()).collect();
        crate::text::hash_of((
            &self.language,
            &self.languages,
            kinds,
            &self.theme,
            &self.root,
        ))
    }

    /// Whether this site is published in more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The address of the site's root, whatever the language.
    pub fn site_url(&self) -> &str {
        self.base_url
            .strip_suffix(self.home.as_str())
            .unwrap_or(&self.base_url)
    }

    /// The way from this language's home up to the site's root: `../` per folder.
    pub fn up_to_site(&self) -> &str {
        &self.up
    }

    /// The path part of `base_url`, e.g. `/briefs/`, always starting and ending with `/`.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }

    pub fn entity_kind(&self, key: &str) -> Option<&EntityKind> {
        self.entity_kinds.iter().find(|k| k.key == key)
    }
}

/// The kinds every site has unless site.yaml lists its own, with their English labels
/// (themes translate them).
const DEFAULT_KINDS: [(&str, &str); 3] = [
    ("people", "People"),
    ("places", "Places"),
    ("orgs", "Organisations"),
];

fn default_label(key: &str) -> Option<&'static str> {
    (DEFAULT_KINDS.iter())
        .find(|(k, _)| *k == key)
        .map(|&(_, label)| label)
}

fn default_entity_kinds() -> Vec<EntityKind> {
    (DEFAULT_KINDS.iter())
        .map(|(key, label)| EntityKind {
            key: key.to_string(),
            label: label.to_string(),
            named: false,
            labels: Localized::default(),
        })
        .collect()
}

/// Each kind's labels given by language, checked against the site's languages.
fn entity_labels(
    raw: &RawConfig,
    kinds: &mut [EntityKind],
    languages: &[String],
    origin: Origin<'_>,
    diags: &mut Diagnostics,
) {
    let Some(pairs) = &raw.entities else { return };
    for (key, label) in &pairs.0 {
        if let (Some(kind), RawLocalized::ByLanguage(_)) =
            (kinds.iter_mut().find(|k| k.key == key.value), label)
        {
            kind.labels = Localized::from_raw(label, languages, origin, diags);
        }
    }
}

fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.split('-').all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// Checks an absolute http(s) URL and makes sure it ends in `/`.
fn normalize_base_url(url: &str) -> Result<String, &'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with http:// or https://")?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err("has no host name");
    }
    if url.chars().any(|c| c.is_whitespace() || c == '\\') {
        return Err("must not contain spaces or backslashes");
    }
    if url.contains(['?', '#']) {
        return Err("must not have a query or fragment");
    }
    if rest.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err("must not contain `.` or `..` segments");
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// A briefing URL pattern such as `/:year/:month/:slug/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Year,
    Month,
    Day,
    Slug,
    Literal(String),
}

impl Default for Permalink {
    fn default() -> Self {
        Permalink {
            segments: vec![Segment::Year, Segment::Month, Segment::Slug],
        }
    }
}

impl Permalink {
    pub fn parse(pattern: &str) -> Result<Permalink, String> {
        if !pattern.starts_with('/') || !pattern.ends_with('/') {
            return Err("must start and end with `/`".into());
        }
        let mut segments = Vec::new();
        for part in pattern.split('/').filter(|p| !p.is_empty()) {
            segments.push(match part {
                ":year" => Segment::Year,
                ":month" => Segment::Month,
                ":day" => Segment::Day,
                ":slug" => Segment::Slug,
                token if token.starts_with(':') => {
                    return Err(format!("has an unknown token `{token}`"));
                }
                lit if lit.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                }) =>
                {
                    Segment::Literal(lit.to_string())
                }
                lit => return Err(format!("has an invalid segment `{lit}`")),
            });
        }
        if !segments.contains(&Segment::Slug) {
            return Err("must contain :slug, or briefings would share a URL".into());
        }
        Ok(Permalink { segments })
    }

    /// The site-relative path (no leading `/`, ending in `/`) for a briefing.
    pub fn expand(&self, year: i16, month: i8, day: i8, slug: &str) -> String {
        let mut out = String::new();
        for s in &self.segments {
            match s {
                Segment::Year => out.push_str(&format!("{year:04}")),
                Segment::Month => out.push_str(&format!("{month:02}")),
                Segment::Day => out.push_str(&format!("{day:02}")),
                Segment::Slug => out.push_str(slug),
                Segment::Literal(l) => out.push_str(l),
            }
            out.push('/');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostics> {
        Config::parse(text, Path::new("site.yaml"))
    }

    #[test]
    fn defaults_apply() {
        let c = parse("title: T\nbase_url: https://example.org\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/");
        assert_eq!(c.base_path(), "/");
        assert_eq!(c.paginate, 20);
        assert_eq!(c.timeout, std::time::Duration::from_secs(60));
        assert_eq!(c.language, "en");
        let kinds: Vec<_> = c.entity_kinds.iter().map(|k| k.key.as_str()).collect();
        assert_eq!(kinds, ["people", "places", "orgs"]);
    }

    #[test]
    fn base_path_is_kept() {
        let c = parse("title: T\nbase_url: https://example.org/briefs\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/briefs/");
        assert_eq!(c.base_path(), "/briefs/");
    }

    #[test]
    fn entity_kinds_keep_file_order() {
        let c = parse("title: T\nbase_url: https://e.org/\nentities:\n  places: Places\n  companies: Companies\n").unwrap();
        let kinds: Vec<_> = c.entity_kinds.iter().map(|k| k.label.as_str()).collect();
        assert_eq!(kinds, ["Places", "Companies"]);
    }

    #[test]
    fn entity_kinds_cannot_shadow_sections_or_fields() {
        for kind in [
            "topics", "search", "title", "sources", "Bad Kind", "root", "factbox", "story",
        ] {
            let err = parse(&format!(
                "title: T\nbase_url: https://e.org/\nentities:\n  {kind}: X\n"
            ))
            .unwrap_err()
            .to_string();
            assert!(
                err.contains(&format!("`{kind}` cannot be an entity kind")),
                "{err}"
            );
        }
    }

    #[test]
    fn permalink_expands_tokens() {
        let p = Permalink::parse("/news/:year/:month/:day/:slug/").unwrap();
        assert_eq!(p.expand(2025, 3, 4, "talks"), "news/2025/03/04/talks/");
        assert!(Permalink::parse("/:year/").is_err());
        assert!(Permalink::parse("/:yr/:slug/").is_err());
        assert!(Permalink::parse("/../:slug/").is_err());
    }
}
