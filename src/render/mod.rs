//! Render stage: turns the model into the site's files. Every output file is a job with a
//! path; jobs render in parallel through Tera with borrow-only views.

mod body;
pub mod candidates;
mod context;
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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;
use tera::Tera;

use crate::config::inputs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{Claim, Target};
use crate::model::{Site, Taxon};
use candidates::{Candidates, When};
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

    /// A hash of what every page of `site` receives (`site` in templates) and of its links
    /// to the other languages, which every page's language switcher may show.
    pub fn site_print(&self, site: &Site) -> u64 {
        let view = context::site_print(&SiteView::new(site, &self.locale, &self.names));
        crate::text::hash_of((view, site.languages.print()))
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

    /// For the preview: renders the `candidates` that render `when` and whose fingerprint
    /// differs from `fingerprints`, records their new fingerprints, and returns them with
    /// the files no longer made. When the set of files may have changed, the site-wide
    /// checks run first, as in a build.
    pub fn render_candidates(
        &self,
        site: &Site,
        candidates: &Candidates,
        when: When,
        fingerprints: &mut Fingerprints,
    ) -> Result<(Vec<OutFile>, Vec<String>), Diagnostics> {
        let renderer = self.renderer(site, true);
        let (jobs, removed) = self.candidate_jobs(site, candidates, when, fingerprints)?;
        let mut files = render_differing(&renderer, &jobs, fingerprints)?;
        if candidates.is_everything() && when == When::Now {
            files.extend(self.changed_statics(fingerprints));
        }
        for path in &removed {
            fingerprints.0.remove(path);
        }
        let files = files
            .into_iter()
            .map(|(file, fp)| {
                fingerprints.0.insert(file.path.clone(), fp);
                file
            })
            .collect();
        Ok((files, removed))
    }

    /// The candidates of `site` that render `when`. When the set of files may have changed,
    /// the site-wide checks run first, as in a build, and the files no longer made are
    /// returned too.
    fn candidate_jobs<'s>(
        &self,
        site: &'s Site,
        candidates: &Candidates,
        when: When,
        fingerprints: &Fingerprints,
    ) -> Result<(Listed<'s>, Vec<String>), Diagnostics> {
        let wanted = |job: &Job<'_>| candidates.when(site, job) == Some(when);
        if !(candidates.structure && when == When::Now) {
            return Ok((jobs_where(site, wanted), Vec::new()));
        }
        let all = jobs(site);
        let mut diags = Diagnostics::default();
        check_unique_paths(site, &all, &self.theme, &mut diags);
        links::check(site, &all, &self.theme, &mut diags);
        if !diags.is_empty() {
            return Err(diags.sorted());
        }
        let made: HashSet<&str> = (all.iter().map(|(p, _)| p.as_str()))
            .chain(self.theme.statics.keys().map(String::as_str))
            .collect();
        let removed = (fingerprints.0.keys())
            .filter(|p| !made.contains(p.as_str()))
            .cloned()
            .collect();
        let jobs = all.into_iter().filter(|(_, job)| wanted(job)).collect();
        Ok((jobs, removed))
    }

    /// The theme's static files whose identity differs from `fingerprints`.
    fn changed_statics(&self, fingerprints: &Fingerprints) -> Vec<(OutFile, u64)> {
        (self.theme.statics.iter())
            .map(|(path, origin)| (path, origin, context::of_static(origin)))
            .filter(|(path, _, fp)| fingerprints.get(path) != Some(*fp))
            .map(|(path, origin, fp)| {
                let file = OutFile {
                    path: path.clone(),
                    body: Body::Static(origin.clone()),
                };
                (file, fp)
            })
            .collect()
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

    /// Renders the files `plan` asks for and hands each to `write` as soon as it is
    /// ready, so a large site is never held in memory whole. Returns how many files the
    /// site has.
    pub fn render_into(
        &self,
        site: &Site,
        plan: &Plan<'_>,
        write: &(dyn Fn(OutFile) -> Result<(), Diagnostic> + Sync),
    ) -> Result<usize, Diagnostics> {
        let timings = std::time::Instant::now();
        let renderer = self.renderer(site, false);
        let jobs = jobs(site);
        let prepared = timings.elapsed();
        let mut diags = Diagnostics::default();
        check_unique_paths(site, &jobs, &self.theme, &mut diags);
        links::check(site, &jobs, &self.theme, &mut diags);
        let errors: Vec<Diagnostic> = jobs
            .par_iter()
            .filter(|(path, job)| !plan.keeps(site, path, job))
            .filter_map(|(path, job)| {
                let file = renderer.job(path, job).map(|body| OutFile {
                    path: path.clone(),
                    body,
                });
                file.and_then(write).err()
            })
            .collect();
        diags.0.extend(errors);
        // The theme's files are at the site's root, written with the main language.
        let statics = self
            .theme
            .statics
            .iter()
            .filter(|_| site.config.home.is_empty());
        for (path, origin) in statics {
            let file = OutFile {
                path: path.clone(),
                body: Body::Static(origin.clone()),
            };
            if let Err(d) = write(file) {
                diags.push(d);
            }
        }
        crate::report::timing!(
            "  render: views {prepared:.0?}, pages {:.0?}",
            timings.elapsed() - prepared
        );
        let statics = if site.config.home.is_empty() {
            self.theme.statics.len()
        } else {
            0
        };
        let count = jobs.len() + statics;
        diags.sorted().into_result(count)
    }
}

/// Renders the site in each of its languages (`engines[i]` for `sites[i]`), the main
/// one first. A file at the site's root that several languages make (a picture under
/// `static/`, the highlighting stylesheet) is written once.
pub fn render_languages(
    engines: &[Engine],
    sites: &[Site],
    plans: Vec<Plan<'_>>,
    write: &(dyn Fn(OutFile) -> Result<(), Diagnostic> + Sync),
) -> Result<usize, Diagnostics> {
    let mut plans = plans.into_iter();
    if let ([engine], [site]) = (engines, sites) {
        let plan = plans.next().unwrap_or_else(|| Plan::everything());
        return engine.render_into(site, &plan, write);
    }
    // Every file made or kept, by path: a file at the root is the first language's.
    let made = std::sync::Mutex::new(HashSet::new());
    let first = |path: &str| {
        (made.lock())
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_string())
    };
    let once = |file: OutFile| {
        if first(&file.path) {
            write(file)
        } else {
            Ok(())
        }
    };
    let mut diags = Diagnostics::default();
    for (engine, site) in engines.iter().zip(sites) {
        let plan = plans.next().unwrap_or_else(|| Plan::everything());
        let keep = |path: &str| !first(path) || (plan.keep)(path);
        let plan = Plan {
            candidates: plan.candidates,
            keep: &keep,
        };
        if let Err(d) = engine.render_into(site, &plan, &once) {
            diags.extend(d);
        }
    }
    let count = made.lock().map_or(0, |m| m.len());
    diags.sorted().into_result(count)
}

/// Which files a build renders: every one, or those an edit may have changed, leaving
/// the others as the previous build made them.
pub struct Plan<'p> {
    /// The files that may differ from the previous build's; `None`: every file.
    pub candidates: Option<Candidates>,
    /// Keeps the previous build's file at a path as it is. False when there is none to
    /// keep (missing, or changed behind the build's back): the file is then made.
    pub keep: &'p (dyn Fn(&str) -> bool + Sync),
}

impl Plan<'_> {
    /// Every file is rendered.
    pub fn everything() -> Plan<'static> {
        Plan {
            candidates: None,
            keep: &|_| false,
        }
    }

    /// Whether the file `job` makes at `path` is left as it is.
    fn keeps(&self, site: &Site, path: &str, job: &Job<'_>) -> bool {
        self.candidates
            .as_ref()
            .is_some_and(|c| c.when(site, job).is_none() && (self.keep)(path))
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
            Card::new(
                &self.site.briefings[i],
                |slug| self.topic(slug),
                self.locale,
                self.site.config.up_to_site(),
            )
        })
    }
}

/// Jobs with the paths of their files.
type Listed<'s> = Vec<(String, Job<'s>)>;

/// Prepares each job and renders those whose fingerprint differs from `fingerprints`,
/// with their new fingerprints.
fn render_differing(
    renderer: &Renderer<'_>,
    jobs: &[(String, Job<'_>)],
    fingerprints: &Fingerprints,
) -> Result<Vec<(OutFile, u64)>, Diagnostics> {
    let results: Vec<Result<Option<(OutFile, u64)>, Diagnostic>> = jobs
        .par_iter()
        .map(|(path, job)| {
            let prepared = renderer.prepare(path, job)?;
            let fp = prepared.fingerprint();
            if fingerprints.get(path) == Some(fp) {
                return Ok(None);
            }
            let file = OutFile {
                path: path.clone(),
                body: renderer.finish(path, prepared)?,
            };
            Ok(Some((file, fp)))
        })
        .collect();
    gather(results).map(|files| files.into_iter().flatten().collect())
}

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
    fn get(&self, path: &str) -> Option<u64> {
        self.0.get(path).copied()
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
