//! Render stage: turns the model into the site's files. Every page is a job with an output
//! path; jobs render in parallel through Tera with borrow-only views.

mod engine;
pub mod theme;
pub mod views;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Site, Taxon};
use theme::{TemplateSource, Theme};
use views::{BriefingView, Card, EntityGroup, Link, Paginator, SiteView, TaxonLink};

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

/// What a page is; each becomes one file.
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
    NotFound,
    Robots,
}

struct Renderer<'a> {
    site: &'a Site,
    tera: Tera,
    templates: &'a BTreeMap<String, TemplateSource>,
    cards: Vec<Card<'a>>,
    /// Per entity kind: slug -> URL.
    entity_urls: Vec<HashMap<&'a str, &'a str>>,
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

    /// Renders every page of `site`.
    pub fn render(self, site: &Site) -> Result<Vec<OutFile>, Diagnostics> {
        render(self.theme, self.tera, site)
    }
}

fn render(theme: Theme, mut tera: Tera, site: &Site) -> Result<Vec<OutFile>, Diagnostics> {
    tera.global_context().insert("site", &SiteView::new(site));

    let topic_urls: HashMap<&str, &str> = site
        .topics
        .iter()
        .map(|t| (t.slug.as_str(), t.url.as_str()))
        .collect();
    let cards = site
        .briefings
        .par_iter()
        .map(|e| Card::new(e, |slug| topic_urls.get(slug).copied()))
        .collect();
    let renderer = Renderer {
        site,
        tera,
        templates: &theme.templates,
        cards,
        entity_urls: site
            .kinds
            .iter()
            .map(|k| {
                k.taxa
                    .iter()
                    .map(|t| (t.slug.as_str(), t.url.as_str()))
                    .collect()
            })
            .collect(),
    };

    let jobs = jobs(site);
    let mut diags = Diagnostics::default();
    let mut files: Vec<OutFile> = Vec::with_capacity(jobs.len() + theme.statics.len());
    let results: Vec<Result<OutFile, Diagnostic>> = jobs
        .par_iter()
        .map(|(path, job)| {
            renderer.job(path, job).map(|text| OutFile {
                path: path.clone(),
                body: Body::Text(text),
            })
        })
        .collect();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    for (path, origin) in theme.statics {
        files.push(OutFile {
            path,
            body: Body::Static(origin),
        });
    }
    check_unique_paths(site, &files, &mut diags);
    diags.sorted().into_result(files)
}

/// Every page of the site with its output path.
fn jobs(site: &Site) -> Vec<(String, Job<'_>)> {
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
    let total = pages_of(site.briefings.len());
    for page in 1..=total {
        jobs.push((paged("", page), Job::Home { page, total }));
    }
    for (i, e) in site.briefings.iter().enumerate() {
        jobs.push((format!("{}index.html", e.url), Job::Briefing(i)));
    }
    jobs.push(("topics/index.html".into(), Job::TopicIndex));
    let taxa = site.topics.iter().map(|t| (None, t)).chain(
        site.kinds
            .iter()
            .enumerate()
            .flat_map(|(k, idx)| idx.taxa.iter().map(move |t| (Some(k), t))),
    );
    for (kind, taxon) in taxa {
        let total = pages_of(taxon.briefings.len());
        for page in 1..=total {
            jobs.push((
                paged(&taxon.url, page),
                Job::Taxon {
                    kind,
                    taxon,
                    page,
                    total,
                },
            ));
        }
    }
    for (k, idx) in site.kinds.iter().enumerate() {
        jobs.push((format!("{}index.html", idx.index_url), Job::KindIndex(k)));
    }
    for (i, p) in site.pages.iter().enumerate() {
        jobs.push((format!("{}index.html", p.url), Job::Page(i)));
    }
    jobs.push(("404.html".into(), Job::NotFound));
    jobs.push(("robots.txt".into(), Job::Robots));
    jobs
}

/// Two things may not claim one file (a page slug `topics`, a permalink that collides...).
fn check_unique_paths(site: &Site, files: &[OutFile], diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        if let Some(&first) = seen.get(f.path.as_str()) {
            let owner = |path: &str| {
                site.pages
                    .iter()
                    .find(|p| format!("{}index.html", p.url) == path)
                    .map(|p| p.page.slug.clone())
            };
            let message = format!(
                "two pages would be written to {}: choose another slug",
                f.path
            );
            let d = match owner(&files[first].path).or_else(|| owner(&f.path)) {
                Some(slug) => slug.error(message),
                None => Diagnostic::new(crate::config::CONFIG_FILE, message),
            };
            diags.push(d.help("standalone pages, topics, entity kinds and briefing permalinks share the URL space"));
        } else {
            seen.insert(&f.path, i);
        }
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

impl Renderer<'_> {
    fn job(&self, path: &str, job: &Job<'_>) -> Result<String, Diagnostic> {
        let site = self.site;
        let mut ctx = Context::new();
        let url = path.strip_suffix("index.html").unwrap_or(path);
        ctx.insert("root", &root_from(path));
        ctx.insert("canonical", &format!("{}{url}", site.config.base_url));
        let template = match job {
            Job::Home { page, total } => {
                let per = site.config.paginate;
                let cards: Vec<&Card> =
                    self.cards.iter().skip((page - 1) * per).take(per).collect();
                let mut active: Vec<&Taxon> = site.topics.iter().collect();
                active.sort_by(|a, b| {
                    b.briefings
                        .len()
                        .cmp(&a.briefings.len())
                        .then(a.name.cmp(&b.name))
                });
                let top: Vec<TaxonLink> = active.into_iter().take(10).map(TaxonLink::new).collect();
                ctx.insert("briefings", &cards);
                ctx.insert("top_topics", &top);
                ctx.insert("paginator", &Paginator::new("", *page, *total));
                "index.html"
            }
            Job::Briefing(i) => {
                let entry = &site.briefings[*i];
                let entities = site
                    .kinds
                    .iter()
                    .zip(&self.entity_urls)
                    .zip(&entry.briefing.entities)
                    .filter(|(_, (_, terms))| !terms.is_empty())
                    .map(|((idx, urls), (_, terms))| EntityGroup {
                        label: &idx.kind.label,
                        links: terms
                            .iter()
                            .filter_map(|t| {
                                urls.get(t.slug.as_str())
                                    .map(|&url| Link { name: &t.name, url })
                            })
                            .collect(),
                    })
                    .collect();
                let related = entry.related.iter().map(|&r| &self.cards[r]).collect();
                let view = BriefingView::new(&entry.briefing, &self.cards[*i], entities, related);
                ctx.insert("briefing", &view);
                "briefing.html"
            }
            Job::TopicIndex => {
                let taxa: Vec<TaxonLink> = site.topics.iter().map(TaxonLink::new).collect();
                ctx.insert("title", "Topics");
                ctx.insert("taxa", &taxa);
                "taxonomy.html"
            }
            Job::KindIndex(k) => {
                let idx = &site.kinds[*k];
                let taxa: Vec<TaxonLink> = idx.taxa.iter().map(TaxonLink::new).collect();
                ctx.insert("title", &idx.kind.label);
                ctx.insert("taxa", &taxa);
                "taxonomy.html"
            }
            Job::Taxon {
                kind,
                taxon,
                page,
                total,
            } => {
                let per = site.config.paginate;
                let cards: Vec<&Card> = taxon
                    .briefings
                    .iter()
                    .skip((page - 1) * per)
                    .take(per)
                    .map(|&i| &self.cards[i])
                    .collect();
                let (label, index_url) = match kind {
                    Some(k) => (
                        site.kinds[*k].kind.label.as_str(),
                        site.kinds[*k].index_url.as_str(),
                    ),
                    None => ("Topics", "topics/"),
                };
                ctx.insert(
                    "taxon",
                    &views::TaxonView {
                        name: &taxon.name,
                        summary: taxon.summary.as_deref(),
                        html: taxon.html.as_deref(),
                        aliases: &taxon.aliases,
                        count: taxon.briefings.len(),
                        kind_label: label,
                        kind_url: index_url,
                    },
                );
                ctx.insert("briefings", &cards);
                ctx.insert("paginator", &Paginator::new(&taxon.url, *page, *total));
                "taxon.html"
            }
            Job::Page(i) => {
                let p = &site.pages[*i].page;
                ctx.insert(
                    "page",
                    &views::PageView {
                        title: &p.title,
                        summary: p.summary.as_deref(),
                        html: &p.html,
                    },
                );
                "page.html"
            }
            Job::NotFound => {
                ctx.insert("root", site.config.base_path());
                "404.html"
            }
            Job::Robots => "robots.txt",
        };
        self.tera
            .render(template, &ctx)
            .map_err(|e| engine::to_diagnostic(&e, self.templates))
    }
}
