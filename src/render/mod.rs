//! Render stage: turns the model into the site's files. Every output file is a job with a
//! path; jobs render in parallel through Tera with borrow-only views.

mod body;
pub mod candidates;
mod context;
pub mod drive;
mod email;
mod engine;
mod facets;
mod feeds;
pub mod i18n;
mod jsonld;
mod kinds;
pub mod languages;
mod links;
mod markers;
mod pages;
mod pictures;
pub mod theme;
pub mod views;
pub mod watchdog;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;
use tera::Tera;

use crate::config::inputs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{Claim, Target};
use crate::model::{Site, Taxon};
use candidates::Candidates;
use kinds::Job;
use theme::{TemplateSource, Theme};
use views::{Card, SiteView};

/// One file of the built site.
#[derive(Debug)]
pub struct OutFile {
    /// `/`-separated path inside the output folder.
    pub path: String,
    pub body: Body,
}

#[derive(Debug)]
pub enum Body {
    Text(String),
    /// Made by the build as bytes (the search index).
    Bytes(Vec<u8>),
    Static(theme::Origin),
}

/// The theme with its templates parsed, ready to render a site.
pub struct Engine {
    theme: Theme,
    tera: Tera,
    /// Where narrower copies of pictures are kept between builds.
    cache: std::path::PathBuf,
    /// How many copies this engine had to make (the others came from the cache).
    resized: std::sync::atomic::AtomicUsize,
    /// Each picture's cache key, by file. An engine lives until a picture changes (the
    /// preview starts a new one), so a key found once holds.
    picture_keys: std::sync::Mutex<HashMap<std::path::PathBuf, u64>>,
    /// The labels, in the site's language.
    locale: std::sync::Arc<i18n::Locale>,
    /// Every language of the site with its name, for links between them.
    names: languages::Names,
    /// The templates with the last site's `site` in their global context, kept while that
    /// stays the same: copying every parsed template for each edit would cost more than
    /// rendering the page the edit changed.
    with_site: std::sync::Mutex<Option<(u64, std::sync::Arc<Tera>)>>,
}

impl Engine {
    /// Loads the theme under `root` and parses its templates, reporting every syntax error.
    pub fn load(root: &Path, config: &crate::config::Config) -> Result<Engine, Diagnostics> {
        let theme = Theme::load(root, config)?;
        let mut folders = Vec::new();
        if let Some(name) = &config.theme {
            folders.push(root.join(inputs::THEMES).join(name).join(inputs::I18N));
        }
        folders.push(root.join(inputs::I18N));
        let locale = std::sync::Arc::new(i18n::Locale::load(&config.language, root, &folders)?);
        let tera = engine::build(&theme.templates, locale.clone())?;
        let names = vec![(
            config.language.clone(),
            locale.text("language_name").to_string(),
        )];
        Ok(Engine {
            theme,
            tera,
            names,
            locale,
            with_site: std::sync::Mutex::new(None),
            cache: root.join(crate::config::CACHE_DIR).join("images"),
            resized: std::sync::atomic::AtomicUsize::new(0),
            picture_keys: std::sync::Mutex::new(HashMap::new()),
        })
    }

    /// One engine per language of a site, each knowing every language's name.
    pub fn load_languages(
        root: &Path,
        configs: &[crate::config::Config],
    ) -> Result<Vec<Engine>, Diagnostics> {
        let loaded: Vec<Result<Engine, Diagnostics>> =
            configs.par_iter().map(|c| Engine::load(root, c)).collect();
        let mut engines = Vec::new();
        let mut diags = Diagnostics::default();
        for result in loaded {
            match result {
                Ok(engine) => engines.push(engine),
                Err(d) => diags.extend(d),
            }
        }
        // Every language loads the same theme: its problems are reported once.
        let mut diags = diags.sorted();
        diags.0.dedup_by(|a, b| a.to_string() == b.to_string());
        if !diags.is_empty() || engines.len() < 2 {
            return diags.into_result(engines);
        }
        let names: languages::Names = engines.iter().map(Engine::language_name).collect();
        for engine in &mut engines {
            engine.name_languages(names.clone());
        }
        Ok(engines)
    }

    /// This engine's language and its name in itself.
    pub fn language_name(&self) -> (String, String) {
        (
            self.locale.code.clone(),
            self.locale.text("language_name").to_string(),
        )
    }

    /// `date` as this engine's pages write it (the search index's results show it too).
    pub fn date_text(&self, date: &crate::content::Date) -> String {
        self.locale.date(date)
    }

    /// Tells the engine of a multilingual site every language's name, main one first.
    pub fn name_languages(&mut self, names: languages::Names) {
        self.names = names;
    }

    /// How many picture copies were made so far rather than taken from the cache.
    pub fn pictures_resized(&self) -> usize {
        self.resized.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A hash of the theme this engine renders with: its templates, its files, and the
    /// labels. A build's cache is only used with the same theme.
    pub fn theme_print(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (name, source) in &self.theme.templates {
            (name, &source.text).hash(&mut h);
        }
        for (path, origin) in &self.theme.statics {
            (path, context::of_static(origin)).hash(&mut h);
        }
        (self.locale.print, &self.names).hash(&mut h);
        h.finish()
    }

    /// A hash of what every page of `site` receives (`site` in templates). The links to
    /// the other languages are read by the pages that show them (see `kinds::Read`).
    pub fn site_print(&self, site: &Site) -> u64 {
        context::site_print(&SiteView::new(site, &self.locale, &self.names))
    }

    /// A renderer for `site`; with `prints`, every page's context is fingerprinted.
    fn renderer<'a>(&'a self, site: &'a Site, prints: bool) -> Renderer<'a> {
        let view = SiteView::new(site, &self.locale, &self.names);
        let print = context::site_print(&view);
        let tera = {
            let mut kept = self
                .with_site
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            match kept.as_ref() {
                Some((p, tera)) if *p == print => tera.clone(),
                _ => {
                    let mut tera = self.tera.clone();
                    tera.global_context().insert("site", &view);
                    let tera = std::sync::Arc::new(tera);
                    *kept = Some((print, tera.clone()));
                    tera
                }
            }
        };
        Renderer {
            site,
            tera,
            global: prints.then_some(print),
            templates: &self.theme.templates,
            cards: site.briefings.iter().map(|_| OnceLock::new()).collect(),
            topics: site.topics.iter().map(|t| (t.slug.as_str(), t)).collect(),
            entities: site
                .kinds
                .iter()
                .map(|k| k.taxa.iter().map(|t| (t.slug.as_str(), t)).collect())
                .collect(),
            claims_by_speaker: OnceLock::new(),
            cache: &self.cache,
            resized: &self.resized,
            picture_keys: &self.picture_keys,
            locale: &self.locale,
            names: &self.names,
        }
    }

    /// The files outside `candidates` whose view differs from `fingerprints`: none, if the
    /// candidates are right. The preview tests ask after every edit.
    pub fn missed(
        &self,
        site: &Site,
        candidates: &Candidates,
        fingerprints: &Fingerprints,
    ) -> Result<Vec<String>, Diagnostics> {
        let renderer = self.renderer(site, true);
        let jobs = jobs_where(site, |job| candidates.when(site, job).is_none());
        let missed: Vec<Result<Option<String>, Diagnostic>> = jobs
            .par_iter()
            .map(|(path, job)| {
                let fp = renderer.prepare(path, job)?.fingerprint();
                Ok((fingerprints.get(path) != Some(fp)).then(|| path.clone()))
            })
            .collect();
        gather(missed).map(|paths| paths.into_iter().flatten().collect())
    }
}

/// Shared, read-only state for rendering pages.
pub(crate) struct Renderer<'a> {
    site: &'a Site,
    tera: std::sync::Arc<Tera>,
    /// The fingerprint of what every template receives (`site`); `None` in a build.
    global: Option<u64>,
    templates: &'a BTreeMap<String, TemplateSource>,
    /// One card per briefing, in site order, shared by every list that shows it. Made on
    /// first use, so rendering a few pages does not pay for every briefing's card.
    cards: Vec<OnceLock<Card<'a>>>,
    /// Topic slug -> topic.
    topics: HashMap<&'a str, &'a Taxon>,
    /// Per entity kind: slug -> entity.
    entities: Vec<HashMap<&'a str, &'a Taxon>>,
    /// Entity URL -> the claims attributed to it, newest briefing first. Made on first use.
    claims_by_speaker: OnceLock<HashMap<&'a str, Vec<(usize, &'a Claim)>>>,
    /// See `Engine`.
    cache: &'a Path,
    resized: &'a std::sync::atomic::AtomicUsize,
    picture_keys: &'a std::sync::Mutex<HashMap<std::path::PathBuf, u64>>,
    locale: &'a i18n::Locale,
    names: &'a languages::Names,
}

impl<'a> Renderer<'a> {
    fn topic(&self, slug: &str) -> Option<&'a Taxon> {
        self.topics.get(slug).copied()
    }

    /// Who made claim `c`, with their page.
    fn speaker(&self, c: &Claim) -> Option<views::Link<'a>> {
        let t = self.speaker_taxon(c)?;
        Some(views::Link {
            name: &t.name,
            url: &t.url,
        })
    }

    fn speaker_taxon(&self, c: &Claim) -> Option<&'a Taxon> {
        let (kind, slug) = c.by.as_ref()?;
        let target = Target::new(
            crate::markdown::RefKind::Entity(kind.clone()),
            slug.as_str(),
        );
        let url = self.site.target(&target)?;
        let k = self.site.kinds.iter().position(|x| &x.kind.key == kind)?;
        let slug = url.trim_end_matches('/').rsplit('/').next()?;
        self.entities.get(k)?.get(slug).copied()
    }

    /// The claims attributed to the entity at `url`, with the briefings making them.
    fn claims_by(&self, url: &str) -> &[(usize, &'a Claim)] {
        let said = self.claims_by_speaker.get_or_init(|| {
            let mut said: HashMap<&'a str, Vec<(usize, &'a Claim)>> = HashMap::new();
            for (i, e) in self.site.briefings.iter().enumerate() {
                for c in e.briefing.prose.claims.iter().filter(|c| c.by.is_some()) {
                    if let Some(t) = self.speaker_taxon(c) {
                        said.entry(t.url.as_str()).or_default().push((i, c));
                    }
                }
            }
            said
        });
        said.get(url).map_or(&[], Vec::as_slice)
    }

    /// What namespace `ns` is called on its pages: topics and authors in the site's
    /// language, an entity kind by its label in site.yaml.
    fn namespace_label(&self, ns: usize) -> &'a str {
        match ns {
            0 => self.locale.text("topics"),
            n if n == self.site.authors_ns() => self.locale.text("authors"),
            n => match self.site.kinds.get(n - 1) {
                Some(k) => self.locale.kind(&k.kind),
                None => self.site.namespace_index(n).0,
            },
        }
    }

    /// The card of briefing `i`.
    fn card(&self, i: usize) -> &Card<'a> {
        self.cards[i].get_or_init(|| {
            let find = views::Lookups {
                topic: &|slug| self.topic(slug),
                author: &|slug| self.site.authors.iter().find(|a| a.slug == slug),
            };
            Card::new(
                &self.site.briefings[i],
                &find,
                self.locale,
                self.site.config.up_to_site(),
            )
        })
    }
}

/// Jobs with the paths of their files.
type Listed<'s> = Vec<(String, Job<'s>)>;

/// The results of jobs run in parallel: every value, or every error.
fn gather<T>(results: Vec<Result<T, Diagnostic>>) -> Result<Vec<T>, Diagnostics> {
    let mut values = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::default();
    for r in results {
        match r {
            Ok(value) => values.push(value),
            Err(d) => diags.push(d),
        }
    }
    diags.sorted().into_result(values)
}

/// The fingerprint of every file the preview serves, by output path (see `context`).
#[derive(Debug, Default, Clone)]
pub struct Fingerprints(HashMap<String, u64>);

impl Fingerprints {
    pub fn get(&self, path: &str) -> Option<u64> {
        self.0.get(path).copied()
    }

    /// Records the print of the file at `path`.
    pub fn insert(&mut self, path: String, print: u64) {
        self.0.insert(path, print);
    }

    /// Forgets the file at `path`.
    pub fn remove(&mut self, path: &str) {
        self.0.remove(path);
    }

    /// Whether a file is listed at `path`.
    pub fn has(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }
    /// Every file listed.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.0.keys()
    }

    /// The files listed here that `newer` no longer has.
    pub fn gone_from(&self, newer: &Fingerprints) -> Vec<String> {
        self.0
            .keys()
            .filter(|p| !newer.0.contains_key(*p))
            .cloned()
            .collect()
    }
}

/// Every file of the site with its output path.
fn jobs(site: &Site) -> Vec<(String, Job<'_>)> {
    jobs_where(site, |_| true)
}

/// The files of the site that `keep` selects, with their output paths. Paths are formatted
/// only for those, so picking a few files out of a large site stays cheap.
fn jobs_where<'s>(site: &'s Site, keep: impl Fn(&Job<'s>) -> bool) -> Listed<'s> {
    let mut jobs = Vec::new();
    kinds::each_job(site, &mut |job, path| {
        if keep(&job) {
            jobs.push((path(), job));
        }
    });
    jobs
}

/// Two things may not claim one file (a page slug `topics`, a permalink that collides, an
/// alias that is the address of a page...).
fn check_unique_paths(
    site: &Site,
    jobs: &[(String, Job<'_>)],
    theme: &Theme,
    diags: &mut Diagnostics,
) {
    let mut seen: HashMap<&str, Option<&Job<'_>>> = HashMap::new();
    let paths = (jobs.iter().map(|(p, job)| (p.as_str(), Some(job))))
        .chain(theme.statics.keys().map(|p| (p.as_str(), None)));
    for (path, job) in paths {
        let Some(first) = seen.insert(path, job) else {
            continue;
        };
        let alias = [job, first]
            .into_iter()
            .flatten()
            .find_map(|job| match job {
                Job::Redirect { briefing, alias } => {
                    Some(&site.briefings[*briefing].briefing.aliases[*alias])
                }
                _ => None,
            });
        if let Some(alias) = alias {
            diags.push(
                alias
                    .error(format!("this alias is the address of another page ({path})"))
                    .help("an alias is an old address that no longer has a page; remove it or correct it"),
            );
            continue;
        }
        let owner = site
            .pages
            .iter()
            .find(|p| format!("{}index.html", p.url) == path)
            .map(|p| p.page.slug.clone());
        let message = format!("two pages would be written to {path}: choose another slug");
        let d = match owner {
            Some(slug) => slug.error(message),
            None => Diagnostic::new(crate::config::CONFIG_FILE, message),
        };
        diags.push(d.help(
            "standalone pages, topics, entity kinds, authors and briefing permalinks share the URL space",
        ));
    }
}

/// `../` up to the site root from a page at `path` (an output file path).
fn root_from(path: &str) -> String {
    let depth = path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}
