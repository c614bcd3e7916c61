//! Every kind of file the site has, declared in one place: the job that makes it, its
//! output path, its template, when the preview renders it, and what its view reads besides
//! what every page receives. The files an edit may change are derived from these
//! declarations (see `candidates`): a file is a candidate when something it reads changed.
//! Adding a kind of file, or something to a view, means saying here what it reads.

use std::collections::HashSet;
use std::hash::Hasher;
use std::path::Path;

use super::views::SECTION_CARDS;
use crate::markdown::ClaimStatus;
use crate::model::archive::Period;
use crate::model::{Site, Taxon};
use crate::text::mix;

/// What a file is; each job becomes one file.
#[derive(Debug)]
pub(super) enum Job<'a> {
    Home {
        page: usize,
        total: usize,
    },
    Briefing(usize),
    /// An old address of briefing `briefing`: its alias number `alias`.
    Redirect {
        briefing: usize,
        alias: usize,
    },
    /// The index of namespace `n`: topics, an entity kind, authors (see `Site::namespaces`).
    TaxonIndex(usize),
    Taxon {
        ns: usize,
        taxon: &'a Taxon,
        page: usize,
        total: usize,
    },
    Page(usize),
    /// A year, month or day of the date archive, with the periods of the same span
    /// before and after it.
    Archive {
        period: &'a Period,
        earlier: Option<&'a Period>,
        later: Option<&'a Period>,
        page: usize,
        total: usize,
    },
    /// The day `period`'s edition as an email: its HTML, or with `text` its text version.
    Edition {
        period: &'a Period,
        text: bool,
    },
    /// The feed of the newest editions.
    EditionsFeed,
    Corrections,
    CorrectionsFeed,
    /// The claims log: all claims, or those of one status.
    Claims(Option<ClaimStatus>),
    Search,
    NotFound,
    Robots,
    SiteFeed,
    TaxonFeed {
        ns: usize,
        taxon: &'a Taxon,
    },
    Sitemap,
    SitemapPart(usize),
    NewsSitemap,
    HighlightCss,
    /// A picture's file beside its page (`width: None`), or a copy `width` pixels wide.
    Picture {
        file: &'a Path,
        width: Option<u32>,
        format: Option<crate::picture::Format>,
    },
}

/// Whether a file is rendered before the page reloads or just after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Pages a reader sees at once: briefings, first pages of lists, feeds.
    Now,
    /// Later pages of long lists and the sitemaps.
    Later,
}

/// A part of the model a view reads, which the shape hashes (see `candidates::Facets`).
#[derive(Debug, Clone)]
pub(super) enum Read<'a> {
    /// Briefing `i` as its own page shows it: its file, card, taxa, neighbours in them,
    /// related list and backlinks.
    Page(usize),
    /// Briefing `i` as lists, feeds and indexes show it.
    Card(usize),
    /// The cards of these briefings, in this order.
    Cards(&'a [usize]),
    /// The cards of the briefings in this range of the site's order (newest first).
    Newest(std::ops::Range<usize>),
    /// A number the view shows, such as how many pages its list has.
    Count(usize),
    /// A URL the view links to.
    Url(Option<&'a str>),
    /// A topic, entity or author as its pages and its index show it.
    Look(&'a Taxon),
    /// Who appears alongside an entity, and under what names.
    Alongside(&'a Taxon),
    /// The claims attributed to an entity.
    Said(&'a Taxon),
    /// The most active topics, which the home page names.
    TopTopics,
    /// Every briefing's card.
    AllCards,
    /// Every annotated claim.
    AllClaims,
    /// Every file of the site and every link between them.
    Files,
    /// Briefing `i`'s translations ("Also in", `hreflang`).
    Translations(usize),
    /// The list page at this URL (from the language's home) in the other languages.
    ListAlternates(&'a str),
    /// Every link between the site's languages (the sitemaps' alternates).
    AllAlternates,
}

impl<'a> Job<'a> {
    /// Puts what the view of this file reads into `reads`; false for files compared on
    /// every edit, which are few and small or show what many edits change.
    pub(super) fn reads(&self, site: &'a Site, reads: &mut Vec<Read<'a>>) -> bool {
        let per = site.config.paginate.max(1);
        let on_page = |list: &'a [usize], page: usize| {
            let from = ((page - 1) * per).min(list.len());
            &list[from..(from + per).min(list.len())]
        };
        match self {
            Job::Home { page, total } => {
                let from = ((page - 1) * per).min(site.briefings.len());
                let to = (from + per).min(site.briefings.len());
                reads.extend([Read::Count(*total), Read::TopTopics, Read::Newest(from..to)]);
                if *page == 1 {
                    reads.push(Read::ListAlternates(""));
                    let lead = site.lead();
                    reads.push(Read::Count(lead.unwrap_or(usize::MAX)));
                    reads.extend(lead.map(Read::Card));
                    for (_, taxon) in site.sections() {
                        let newest = &taxon.briefings[..taxon.briefings.len().min(SECTION_CARDS)];
                        reads.extend([Read::Look(taxon), Read::Cards(newest)]);
                    }
                }
            }
            Job::Briefing(i) => reads.extend([Read::Page(*i), Read::Translations(*i)]),
            Job::Redirect { briefing, .. } => reads.push(Read::Card(*briefing)),
            Job::TaxonIndex(ns) => {
                reads.push(Read::ListAlternates(site.namespace_index(*ns).1));
                reads.extend((site.namespace(*ns).into_iter().flatten()).map(Read::Look))
            }
            Job::Taxon {
                ns,
                taxon,
                page,
                total,
            } => {
                reads.extend([
                    Read::Look(taxon),
                    Read::Count(*total),
                    Read::Cards(on_page(&taxon.briefings, *page)),
                ]);
                if *page == 1 {
                    reads.push(Read::ListAlternates(&taxon.url));
                }
                if *page == 1 && site.is_entity(*ns) {
                    reads.extend([Read::Alongside(taxon), Read::Said(taxon)]);
                }
            }
            Job::TaxonFeed { taxon, .. } => {
                let newest =
                    &taxon.briefings[..taxon.briefings.len().min(super::feeds::FEED_ENTRIES)];
                reads.extend([Read::Look(taxon), Read::Cards(newest)]);
                // Whole briefings in entries read what their pages show.
                if site.config.full_feeds {
                    reads.extend(newest.iter().map(|&i| Read::Page(i)));
                }
            }
            Job::Archive {
                period,
                earlier,
                later,
                page,
                total,
            } => reads.extend([
                Read::Count(*total),
                Read::Count(period.briefings.len()),
                Read::Url(earlier.map(|p| p.url.as_str())),
                Read::Url(later.map(|p| p.url.as_str())),
                Read::Cards(on_page(&period.briefings, *page)),
            ]),
            // An edition shows its briefings' key facts and lead images too.
            Job::Edition { period, .. } => {
                reads.push(Read::Count(period.briefings.len()));
                reads.extend(period.briefings.iter().map(|&i| Read::Page(i)));
            }
            Job::Claims(_) => reads.extend([Read::AllCards, Read::AllClaims]),
            Job::Corrections | Job::CorrectionsFeed => reads.push(Read::AllCards),
            Job::Sitemap | Job::SitemapPart(_) => {
                reads.extend([Read::AllCards, Read::Files, Read::AllAlternates])
            }
            Job::Page(_)
            | Job::Search
            | Job::NotFound
            | Job::Robots
            | Job::SiteFeed
            | Job::EditionsFeed
            | Job::NewsSitemap
            | Job::HighlightCss
            | Job::Picture { .. } => return false,
        }
        true
    }

    /// The template that renders this file; `None` for files made without one.
    pub(super) fn template(&self) -> Option<&'static str> {
        Some(match self {
            Job::Home { .. } => "index.html",
            Job::Briefing(_) => "briefing.html",
            Job::Redirect { .. } => "redirect.html",
            Job::TaxonIndex(_) => "taxonomy.html",
            Job::Taxon { .. } => "taxon.html",
            Job::Page(_) => "page.html",
            Job::Archive { .. } => "archive.html",
            Job::Claims(_) => "claims.html",
            Job::Corrections => "corrections.html",
            Job::Edition { text: false, .. } => "email.html",
            Job::Edition { text: true, .. } => "email.txt",
            Job::EditionsFeed => "editions.xml",
            Job::CorrectionsFeed | Job::SiteFeed | Job::TaxonFeed { .. } => "atom.xml",
            Job::Search => "search.html",
            Job::NotFound => "404.html",
            Job::Robots => "robots.txt",
            Job::Sitemap
            | Job::SitemapPart(_)
            | Job::NewsSitemap
            | Job::HighlightCss
            | Job::Picture { .. } => return None,
        })
    }

    /// When the preview renders this file: pages a reader sees at once before the page
    /// reloads; later pages of long lists and the sitemaps, which no page a writer looks
    /// at depends on, just after.
    pub(super) fn when(&self) -> When {
        match self {
            Job::Sitemap
            | Job::SitemapPart(_)
            | Job::NewsSitemap
            | Job::Edition { .. }
            | Job::EditionsFeed => When::Later,
            Job::Home { page, .. } | Job::Taxon { page, .. } | Job::Archive { page, .. }
                if *page > 1 =>
            {
                When::Later
            }
            _ => When::Now,
        }
    }

    /// What names this file from one edit to the next, hashed: the same file of an edited
    /// site has the same key, whatever moved around it. Asked of every file when picking
    /// candidates out, so its text is hashed with a fast hasher and its parts joined by a
    /// strong mixer.
    pub(super) fn key(&self, site: &Site) -> u64 {
        let text = |s: &str| {
            let mut h = rustc_hash::FxHasher::default();
            h.write(s.as_bytes());
            h.finish()
        };
        let n = |n: usize| n as u64;
        let kind = |k: u64| mix(0x6b65_7973, k);
        let (k, parts): (u64, [u64; 3]) = match self {
            Job::Home { page, .. } => (1, [n(*page), 0, 0]),
            Job::Briefing(i) => (2, [text(&site.briefings[*i].url), 0, 0]),
            Job::Redirect { briefing, alias } => {
                let path = &site.briefings[*briefing].briefing.aliases[*alias].value;
                (3, [text(path), 0, 0])
            }
            Job::TaxonIndex(ns) => (4, [n(*ns), 0, 0]),
            Job::Taxon {
                ns, taxon, page, ..
            } => (5, [n(*ns), text(&taxon.slug), n(*page)]),
            Job::TaxonFeed { ns, taxon } => (6, [n(*ns), text(&taxon.slug), 0]),
            Job::Page(i) => (7, [text(&site.pages[*i].url), 0, 0]),
            Job::Archive { period, page, .. } => (8, [text(&period.url), n(*page), 0]),
            Job::Claims(only) => (9, [only.map_or(0, |s| text(s.key()) | 1), 0, 0]),
            Job::SitemapPart(part) => (10, [n(*part), 0, 0]),
            Job::Picture {
                file,
                width,
                format,
            } => {
                let file = text(&file.to_string_lossy());
                let format = format.map_or(0, |f| f as u64 + 1);
                (11, [file, width.map_or(0, |w| u64::from(w) + 1), format])
            }
            Job::Corrections => (12, [0; 3]),
            Job::CorrectionsFeed => (13, [0; 3]),
            Job::Search => (14, [0; 3]),
            Job::NotFound => (15, [0; 3]),
            Job::Robots => (16, [0; 3]),
            Job::SiteFeed => (17, [0; 3]),
            Job::Sitemap => (18, [0; 3]),
            Job::NewsSitemap => (19, [0; 3]),
            Job::HighlightCss => (20, [0; 3]),
            Job::Edition { period, text: t } => (21, [text(&period.url), n(usize::from(*t)), 0]),
            Job::EditionsFeed => (22, [0; 3]),
        };
        parts.into_iter().fold(kind(k), mix)
    }
}

/// Calls `visit` with every file of the site and a way to make its output path. Paths are
/// formatted only when asked for, so going over a large site's files stays cheap.
pub(super) fn each_job<'s>(site: &'s Site, visit: &mut dyn FnMut(Job<'s>, &dyn Fn() -> String)) {
    let per_page = site.config.paginate;
    let pages_of = |n: usize| n.div_ceil(per_page).max(1);
    let paged = |base: &str, page: usize| {
        if page == 1 {
            format!("{base}index.html")
        } else {
            format!("{base}page/{page}/index.html")
        }
    };
    // A language's files are in its folder; pictures say where theirs are themselves.
    let home = site.config.home.as_str();
    let mut add = |job: Job<'s>, path: &dyn Fn() -> String| match job {
        Job::Picture { .. } | Job::HighlightCss => visit(job, path),
        _ if home.is_empty() => visit(job, path),
        Job::NotFound | Job::Robots => {}
        _ => visit(job, &|| format!("{home}{}", path())),
    };
    let total = pages_of(site.briefings.len());
    for page in 1..=total {
        add(Job::Home { page, total }, &|| paged("", page));
    }
    for (i, e) in site.briefings.iter().enumerate() {
        add(Job::Briefing(i), &|| format!("{}index.html", e.url));
        for (k, alias) in e.briefing.aliases.iter().enumerate() {
            let job = Job::Redirect {
                briefing: i,
                alias: k,
            };
            add(job, &|| alias.value.clone());
        }
    }
    let taxa =
        (site.namespaces().enumerate()).flat_map(|(ns, taxa)| taxa.iter().map(move |t| (ns, t)));
    for (ns, taxon) in taxa {
        let total = pages_of(taxon.briefings.len());
        for page in 1..=total {
            let job = Job::Taxon {
                ns,
                taxon,
                page,
                total,
            };
            add(job, &|| paged(&taxon.url, page));
        }
        add(Job::TaxonFeed { ns, taxon }, &|| {
            format!("{}atom.xml", taxon.url)
        });
    }
    for ns in 0..site.namespaces().count() {
        add(Job::TaxonIndex(ns), &|| {
            format!("{}index.html", site.namespace_index(ns).1)
        });
    }
    for (i, p) in site.pages.iter().enumerate() {
        add(Job::Page(i), &|| format!("{}index.html", p.url));
    }
    for (_, periods) in site.archive.spans() {
        for (j, period) in periods.iter().enumerate() {
            let total = pages_of(period.briefings.len());
            for page in 1..=total {
                let job = Job::Archive {
                    period,
                    earlier: periods.get(j + 1),
                    later: j.checked_sub(1).and_then(|k| periods.get(k)),
                    page,
                    total,
                };
                add(job, &|| paged(&period.url, page));
            }
        }
    }
    for period in &site.archive.days {
        let html = Job::Edition {
            period,
            text: false,
        };
        add(html, &|| format!("{}email.html", period.url));
        let text = Job::Edition { period, text: true };
        add(text, &|| format!("{}email.txt", period.url));
    }
    add(Job::EditionsFeed, &|| "editions.xml".into());
    add(Job::Claims(None), &|| "claims/index.html".into());
    for (key, status) in ClaimStatus::ALL {
        add(Job::Claims(Some(status)), &|| {
            format!("claims/{key}/index.html")
        });
    }
    add(Job::Corrections, &|| "corrections/index.html".into());
    add(Job::CorrectionsFeed, &|| "corrections/atom.xml".into());
    if site.config.search {
        add(Job::Search, &|| "search/index.html".into());
    }
    add(Job::SiteFeed, &|| "atom.xml".into());
    add(Job::Sitemap, &|| "sitemap.xml".into());
    for n in 1..=super::feeds::sitemap_parts(site) {
        add(Job::SitemapPart(n), &|| format!("sitemap-{n}.xml"));
    }
    add(Job::NewsSitemap, &|| "news-sitemap.xml".into());
    add(Job::NotFound, &|| "404.html".into());
    add(Job::Robots, &|| "robots.txt".into());
    if uses_highlighting(site) {
        add(Job::HighlightCss, &|| "highlight.css".into());
    }
    each_picture_job(site, &mut add);
}

/// The jobs of every picture the site shows: the file beside its page, and its narrower
/// copies, once per output path.
fn each_picture_job<'s>(site: &'s Site, add: &mut dyn FnMut(Job<'s>, &dyn Fn() -> String)) {
    let home = site.config.home.as_str();
    let mut placed = HashSet::new();
    for (picture, owner) in all_pictures(site) {
        let output = super::pictures::output_path(picture, owner, home);
        let (Some(file), Some(path)) = (&picture.file, output) else {
            continue;
        };
        if !placed.insert(path.clone()) {
            continue;
        }
        if matches!(picture.place, crate::picture::Place::Beside(_)) {
            let job = Job::Picture {
                file,
                width: None,
                format: picture.format,
            };
            add(job, &|| path.clone());
        }
        for w in picture.widths() {
            let job = Job::Picture {
                file,
                width: Some(w),
                format: picture.format,
            };
            add(job, &|| crate::picture::copy_path(&path, w));
        }
    }
}

/// Every picture the site shows, with the URL of the page it belongs to.
fn all_pictures(site: &Site) -> impl Iterator<Item = (&crate::picture::Picture, &str)> {
    let briefings = site.briefings.iter().flat_map(|e| {
        let lead = e.briefing.image.iter().map(|i| &i.picture);
        lead.chain(&e.briefing.prose.pictures)
            .map(|p| (p, e.url.as_str()))
    });
    let taxa = site.namespaces().flatten().flat_map(|t| {
        let photo = t.person.iter().filter_map(|p| p.image.as_ref());
        let body = t.prose.iter().flat_map(|p| &p.pictures);
        photo.chain(body).map(|p| (p, t.url.as_str()))
    });
    let pages =
        (site.pages.iter()).flat_map(|p| p.page.prose.pictures.iter().map(|x| (x, p.url.as_str())));
    let default = site.config.image.iter().map(|p| (p, ""));
    briefings.chain(taxa).chain(pages).chain(default)
}

fn uses_highlighting(site: &Site) -> bool {
    site.briefings.iter().any(|e| e.briefing.prose.highlighted)
        || site.pages.iter().any(|p| p.page.prose.highlighted)
        || site
            .namespaces()
            .flatten()
            .any(|t| t.prose.as_ref().is_some_and(|p| p.highlighted))
}
