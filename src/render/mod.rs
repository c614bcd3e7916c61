//! Render stage: turns the model into the site's files. Every output file is a job with a
//! path; jobs render in parallel through Tera with borrow-only views.

mod engine;
mod feeds;
mod fingerprint;
mod links;
mod pages;
mod search;
mod shows;
pub mod theme;
pub mod views;
pub mod watchdog;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;
use tera::Tera;

use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::{MARK, Target};
use crate::model::{Site, Taxon};
use theme::{TemplateSource, Theme};
use views::{Card, SiteView};

/// What an edit patched into the model may have changed, for `Engine::render_patch`.
#[derive(Clone, Copy)]
pub struct Touched<'a> {
    /// Briefing pages that may show something new.
    pub pages: &'a std::collections::HashSet<usize>,
    /// Taxa that list the edited briefing before or after the edit: (namespace, slug), with
    /// namespace 0 for topics and k + 1 for entity kind k.
    pub taxa: &'a [(usize, String)],
    /// The folders of those taxa: files there that are no longer made are gone.
    pub folders: &'a [String],
    /// Files no longer made.
    pub gone: &'a [String],
}

/// Where the search page finds its index.
const SEARCH_INDEX: &str = "search-index.json";

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
    Static(theme::Origin),
}

/// What a file is; each job becomes one file.
enum Job<'a> {
    Home {
        page: usize,
        total: usize,
    },
    Briefing(usize),
    TopicIndex,
    KindIndex(usize),
    Taxon {
        kind: Option<usize>,
        taxon: &'a Taxon,
        page: usize,
        total: usize,
    },
    Page(usize),
    Search,
    NotFound,
    Robots,
    SiteFeed,
    TaxonFeed {
        kind: Option<usize>,
        taxon: &'a Taxon,
    },
    Sitemap,
    SitemapPart(usize),
    SearchIndex,
    HighlightCss,
}

impl Job<'_> {
    /// Large files no page a writer looks at depends on: a preview renders them after the
    /// pages, so an edit shows without waiting for them.
    fn is_deferred(&self) -> bool {
        matches!(self, Job::SearchIndex | Job::Sitemap | Job::SitemapPart(_))
    }
}

/// The theme with its templates parsed, ready to render a site.
pub struct Engine {
    theme: Theme,
    tera: Tera,
}

impl Engine {
    /// Loads the theme under `root` and parses its templates, reporting every syntax error.
    pub fn load(root: &Path, config: &crate::config::Config) -> Result<Engine, Diagnostics> {
        let theme = Theme::load(root, config)?;
        let tera = engine::build(&theme.templates)?;
        Ok(Engine { theme, tera })
    }

    fn renderer<'a>(&'a self, site: &'a Site) -> Renderer<'a> {
        let mut tera = self.tera.clone();
        tera.global_context().insert("site", &SiteView::new(site));
        Renderer {
            site,
            tera,
            templates: &self.theme.templates,
            cards: site.briefings.iter().map(|_| OnceLock::new()).collect(),
            topics: site.topics.iter().map(|t| (t.slug.as_str(), t)).collect(),
            entities: site
                .kinds
                .iter()
                .map(|k| k.taxa.iter().map(|t| (t.slug.as_str(), t)).collect())
                .collect(),
        }
    }

    /// Renders the page of briefing `i` alone (an edit that changed nothing other pages show).
    pub fn render_briefing(&self, site: &Site, i: usize) -> Result<OutFile, Diagnostics> {
        let renderer = self.renderer(site);
        let path = format!("{}index.html", site.briefings[i].url);
        let text = renderer.job(&path, &Job::Briefing(i))?;
        Ok(OutFile {
            path,
            body: Body::Text(text),
        })
    }

    /// Renders the pages and feeds that show the briefings `edited`, after an edit that
    /// changed only what their cards show (see `shows`). The search index shows them too;
    /// it is left to `render_deferred`, so the pages a reader looks at come first.
    pub fn render_showing(
        &self,
        site: &Site,
        edited: &[usize],
    ) -> Result<Vec<OutFile>, Diagnostics> {
        let renderer = self.renderer(site);
        let showing = shows::Showing::new(site, edited);
        let jobs = jobs_where(site, |job| showing.shows(job) && !job.is_deferred());
        let (files, errors): (Vec<_>, Vec<_>) = jobs
            .par_iter()
            .map(|(path, job)| {
                renderer.job(path, job).map(|text| OutFile {
                    path: path.clone(),
                    body: Body::Text(text),
                })
            })
            .partition(Result::is_ok);
        let diags = Diagnostics(errors.into_iter().filter_map(Result::err).collect());
        diags
            .sorted()
            .into_result(files.into_iter().filter_map(Result::ok).collect())
    }

    /// Renders, after the preview patched the model, the files the patch may have changed
    /// whose inputs differ from `fingerprints`: the pages it names, every file of the taxa
    /// it touched, and the lists of everything (home, indexes, site feed). The deferred files wait for
    /// `render_deferred`. Updates `fingerprints`, and returns the files with the paths that
    /// are no longer made (pages of a shorter list, a taxon that is gone).
    pub fn render_patch(
        &self,
        site: &Site,
        patch: Touched<'_>,
        fingerprints: &mut Fingerprints,
    ) -> Result<(Vec<OutFile>, Vec<String>), Diagnostics> {
        let renderer = self.renderer(site);
        let taxa: std::collections::HashSet<(usize, &str)> = patch
            .taxa
            .iter()
            .map(|(ns, slug)| (*ns, slug.as_str()))
            .collect();
        let namespace = |kind: &Option<usize>| kind.map_or(0, |k| k + 1);
        let jobs = jobs_where(site, |job| match job {
            Job::Briefing(i) => patch.pages.contains(i),
            Job::Taxon { kind, taxon, .. } | Job::TaxonFeed { kind, taxon } => {
                taxa.contains(&(namespace(kind), taxon.slug.as_str()))
            }
            job => !job.is_deferred(),
        });
        let memo = std::mem::take(&mut fingerprints.1);
        let prints = fingerprint::Printer::new(&renderer, &memo);
        let todo: Vec<(&String, &Job<'_>, u64)> = jobs
            .iter()
            .map(|(path, job)| (path, job, prints.job(job)))
            .filter(|(path, _, fp)| fingerprints.get(path) != Some(*fp))
            .collect();
        let learnt = prints.learnt();
        fingerprints.1 = memo.updated(site, learnt);
        let rendered: Vec<Result<(OutFile, u64), Diagnostic>> = todo
            .par_iter()
            .map(|(path, job, fp)| {
                renderer.job(path, job).map(|text| {
                    let file = OutFile {
                        path: (*path).clone(),
                        body: Body::Text(text),
                    };
                    (file, *fp)
                })
            })
            .collect();
        let mut files = Vec::with_capacity(rendered.len());
        let mut diags = Diagnostics::default();
        for r in rendered {
            match r {
                Ok(done) => files.push(done),
                Err(d) => diags.push(d),
            }
        }
        if !diags.is_empty() {
            return Err(diags.sorted());
        }
        let made: std::collections::HashSet<&str> = jobs.iter().map(|(p, _)| p.as_str()).collect();
        let gone: Vec<String> = fingerprints
            .0
            .keys()
            .filter(|p| {
                patch.folders.iter().any(|f| p.starts_with(f.as_str())) || patch.gone.contains(p)
            })
            .filter(|p| !made.contains(p.as_str()))
            .cloned()
            .collect();
        for path in &gone {
            fingerprints.0.remove(path);
        }
        let files = files
            .into_iter()
            .map(|(file, fp)| {
                fingerprints.insert(file.path.clone(), fp);
                file
            })
            .collect();
        Ok((files, gone))
    }

    /// Renders the files a preview leaves for after the pages (the search index and the
    /// sitemaps: large, and read by no page a writer looks at) whose inputs differ from
    /// `fingerprints`, recording their new fingerprints there.
    pub fn render_deferred(
        &self,
        site: &Site,
        fingerprints: &mut Fingerprints,
    ) -> Result<Vec<OutFile>, Diagnostics> {
        let renderer = self.renderer(site);
        let memo = std::mem::take(&mut fingerprints.1);
        let prints = fingerprint::Printer::new(&renderer, &memo);
        let mut files = Vec::new();
        let mut diags = Diagnostics::default();
        for (path, job) in jobs_where(site, Job::is_deferred) {
            let fp = prints.job(&job);
            if fingerprints.get(&path) == Some(fp) {
                continue;
            }
            match renderer.job(&path, &job) {
                Ok(text) => {
                    fingerprints.insert(path.clone(), fp);
                    files.push(OutFile {
                        path,
                        body: Body::Text(text),
                    });
                }
                Err(d) => diags.push(d),
            }
        }
        let learnt = prints.learnt();
        fingerprints.1 = memo.updated(site, learnt);
        diags.into_result(files)
    }

    /// Renders only the files whose inputs differ from `previous` (all of them when it is
    /// empty), returning them with the fingerprints of every file of the site. With `defer`,
    /// the deferred files (see `render_deferred`) keep their previous fingerprints and are
    /// not rendered.
    pub fn render_changed(
        &self,
        site: &Site,
        previous: &Fingerprints,
        defer: bool,
    ) -> Result<(Vec<OutFile>, Fingerprints), Diagnostics> {
        let files = std::sync::Mutex::new(Vec::new());
        let current = self.render_each(site, Some(previous), defer, &|f| {
            if let Ok(mut files) = files.lock() {
                files.push(f);
            }
            Ok(())
        })?;
        let files = files.into_inner().unwrap_or_else(|p| p.into_inner());
        Ok((files, current))
    }

    /// Renders every file and hands each to `write` as soon as it is ready, so a large
    /// site is never held in memory whole. Returns how many files were written.
    pub fn render_into(
        &self,
        site: &Site,
        write: &(dyn Fn(OutFile) -> Result<(), Diagnostic> + Sync),
    ) -> Result<usize, Diagnostics> {
        let count = std::sync::atomic::AtomicUsize::new(0);
        self.render_each(site, None, false, &|f| {
            count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            write(f)
        })?;
        Ok(count.into_inner())
    }

    /// The rendering pass: fingerprints every file, renders those that differ from
    /// `previous` and passes each to `consume`.
    fn render_each(
        &self,
        site: &Site,
        previous: Option<&Fingerprints>,
        defer: bool,
        consume: &(dyn Fn(OutFile) -> Result<(), Diagnostic> + Sync),
    ) -> Result<Fingerprints, Diagnostics> {
        let timings = std::time::Instant::now();
        let renderer = self.renderer(site);
        let jobs = jobs(site);
        let prepared = timings.elapsed();
        let mut diags = Diagnostics::default();
        check_unique_paths(site, &jobs, &self.theme, &mut diags);
        links::check(site, &jobs, &self.theme, &mut diags);
        let mut current = Fingerprints::default();
        let mut todo = Vec::new();
        match previous {
            // A build renders everything: fingerprints would be wasted.
            None => todo.extend(jobs.iter().map(|(path, job)| (path, job))),
            Some(previous) => {
                let prints = fingerprint::Printer::new(&renderer, &previous.1);
                let deferred = |job: &Job<'_>| defer && job.is_deferred();
                let fingerprints: Vec<Option<u64>> = jobs
                    .par_iter()
                    .map(|(_, job)| (!deferred(job)).then(|| prints.job(job)))
                    .collect();
                current.1 = previous.1.clone().updated(site, prints.learnt());
                for ((path, job), fp) in jobs.iter().zip(fingerprints) {
                    let Some(fp) = fp else {
                        // Known, not rendered yet: `render_deferred` compares with what it was.
                        current.keep(path, previous);
                        continue;
                    };
                    if previous.get(path) != Some(fp) {
                        todo.push((path, job));
                    }
                    current.insert(path.clone(), fp);
                }
            }
        }
        let printed = timings.elapsed();
        let errors: Vec<Diagnostic> = todo
            .par_iter()
            .filter_map(|(path, job)| {
                let file = renderer.job(path, job).map(|text| OutFile {
                    path: (*path).clone(),
                    body: Body::Text(text),
                });
                file.and_then(consume).err()
            })
            .collect();
        diags.0.extend(errors);
        for (path, origin) in &self.theme.statics {
            let fp = fingerprint::of_static(origin);
            if previous.is_none_or(|p| p.get(path) != Some(fp))
                && let Err(d) = consume(OutFile {
                    path: path.clone(),
                    body: Body::Static(origin.clone()),
                })
            {
                diags.push(d);
            }
            current.insert(path.clone(), fp);
        }
        if std::env::var_os("BRIEF_TIMINGS").is_some() {
            crate::note!(
                "  render: views {prepared:.0?}, fingerprints {:.0?}, pages {:.0?}",
                printed - prepared,
                timings.elapsed() - printed
            );
        }
        diags.sorted().into_result(current)
    }
}

/// Shared, read-only state for rendering pages.
pub(crate) struct Renderer<'a> {
    site: &'a Site,
    tera: Tera,
    templates: &'a BTreeMap<String, TemplateSource>,
    /// One card per briefing, in site order, shared by every list that shows it. Made on
    /// first use, so rendering a few pages does not pay for every briefing's card.
    cards: Vec<OnceLock<Card<'a>>>,
    /// Topic slug -> topic.
    topics: HashMap<&'a str, &'a Taxon>,
    /// Per entity kind: slug -> entity.
    entities: Vec<HashMap<&'a str, &'a Taxon>>,
}

impl<'a> Renderer<'a> {
    fn topic(&self, slug: &str) -> Option<&'a Taxon> {
        self.topics.get(slug).copied()
    }

    /// The card of briefing `i`.
    fn card(&self, i: usize) -> &Card<'a> {
        self.cards[i].get_or_init(|| {
            Card::new(&self.site.briefings[i], |slug| {
                self.topic(slug).map(|t| t.url.as_str())
            })
        })
    }
}

/// The inputs of every file last rendered, by output path (`None` marks a file that exists
/// but must be rendered again whatever its inputs), and the card hashes they were computed
/// from, kept so the next comparison hashes only briefings that changed.
#[derive(Debug, Default, Clone)]
pub struct Fingerprints(HashMap<String, Option<u64>>, fingerprint::Memo);

impl Fingerprints {
    fn get(&self, path: &str) -> Option<u64> {
        self.0.get(path).copied().flatten()
    }
    fn insert(&mut self, path: String, fp: u64) {
        self.0.insert(path, Some(fp));
    }
    /// Carries `path`'s entry over from `previous`, if it has one.
    fn keep(&mut self, path: &str, previous: &Fingerprints) {
        if let Some(&fp) = previous.0.get(path) {
            self.0.insert(path.to_string(), fp);
        }
    }
    /// Marks a file stale (rendered outside a full pass), so the next pass renders it again.
    pub fn forget(&mut self, path: &str) {
        if let Some(fp) = self.0.get_mut(path) {
            *fp = None;
        }
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
fn jobs_where<'s>(site: &'s Site, keep: impl Fn(&Job<'s>) -> bool) -> Vec<(String, Job<'s>)> {
    let per_page = site.config.paginate;
    let pages_of = |n: usize| n.div_ceil(per_page).max(1);
    let paged = |base: &str, page: usize| {
        if page == 1 {
            format!("{base}index.html")
        } else {
            format!("{base}page/{page}/index.html")
        }
    };
    let mut jobs = Vec::new();
    let mut add = |job: Job<'s>, path: &dyn Fn() -> String| {
        if keep(&job) {
            jobs.push((path(), job));
        }
    };
    let total = pages_of(site.briefings.len());
    for page in 1..=total {
        add(Job::Home { page, total }, &|| paged("", page));
    }
    for (i, e) in site.briefings.iter().enumerate() {
        add(Job::Briefing(i), &|| format!("{}index.html", e.url));
    }
    add(Job::TopicIndex, &|| "topics/index.html".into());
    let taxa = site.topics.iter().map(|t| (None, t)).chain(
        site.kinds
            .iter()
            .enumerate()
            .flat_map(|(k, idx)| idx.taxa.iter().map(move |t| (Some(k), t))),
    );
    for (kind, taxon) in taxa {
        let total = pages_of(taxon.briefings.len());
        for page in 1..=total {
            let job = Job::Taxon {
                kind,
                taxon,
                page,
                total,
            };
            add(job, &|| paged(&taxon.url, page));
        }
        add(Job::TaxonFeed { kind, taxon }, &|| {
            format!("{}atom.xml", taxon.url)
        });
    }
    for (k, idx) in site.kinds.iter().enumerate() {
        add(Job::KindIndex(k), &|| {
            format!("{}index.html", idx.index_url)
        });
    }
    for (i, p) in site.pages.iter().enumerate() {
        add(Job::Page(i), &|| format!("{}index.html", p.url));
    }
    add(Job::Search, &|| "search/index.html".into());
    add(Job::SearchIndex, &|| SEARCH_INDEX.into());
    add(Job::SiteFeed, &|| "atom.xml".into());
    add(Job::Sitemap, &|| "sitemap.xml".into());
    for n in 1..=feeds::sitemap_parts(site) {
        add(Job::SitemapPart(n), &|| format!("sitemap-{n}.xml"));
    }
    add(Job::NotFound, &|| "404.html".into());
    add(Job::Robots, &|| "robots.txt".into());
    if uses_highlighting(site) {
        add(Job::HighlightCss, &|| "highlight.css".into());
    }
    jobs
}

fn uses_highlighting(site: &Site) -> bool {
    site.briefings.iter().any(|e| e.briefing.prose.highlighted)
        || site.pages.iter().any(|p| p.page.prose.highlighted)
        || site
            .topics
            .iter()
            .chain(site.kinds.iter().flat_map(|k| &k.taxa))
            .any(|t| t.prose.as_ref().is_some_and(|p| p.highlighted))
}

/// Two things may not claim one file (a page slug `topics`, a permalink that collides...).
fn check_unique_paths(
    site: &Site,
    jobs: &[(String, Job<'_>)],
    theme: &Theme,
    diags: &mut Diagnostics,
) {
    let mut seen: HashMap<&str, ()> = HashMap::new();
    let paths = jobs
        .iter()
        .map(|(p, _)| p.as_str())
        .chain(theme.statics.keys().map(String::as_str));
    for path in paths {
        if seen.insert(path, ()).is_none() {
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
            "standalone pages, topics, entity kinds and briefing permalinks share the URL space",
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

/// Fills in the markers a body's HTML holds: site links get `root` + their URL, fact boxes
/// their rendered HTML.
fn resolve_markers(
    html: &str,
    root: &str,
    site: &Site,
    mut factbox: impl FnMut(usize) -> String,
) -> String {
    if !html.contains(MARK) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 256);
    for (i, part) in html.split(MARK).enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
        } else if part == "root:" {
            out.push_str(root);
        } else if let Some(n) = part.strip_prefix("factbox:") {
            out.push_str(&factbox(n.parse().unwrap_or(usize::MAX)));
        } else if let Some(url) = Target::from_marker(part).and_then(|t| site.target(&t)) {
            out.push_str(root);
            out.push_str(url);
        }
    }
    out
}
