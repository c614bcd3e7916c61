//! What each job renders: the context it builds and the template it uses.

use std::collections::HashMap;

use tera::Context;

use super::context::{self, ViewContext};
use super::views::{
    ArchiveView, BriefingView, Card, ClaimLog, ClaimView, CorrectionEntry, DayGroup, EntityGroup,
    FeedLink, FilterView, Link, LoggedClaim, MonthGroup, PageView, Paginator, PeriodLink,
    PersonView, RelatedView, SECTION_CARDS, SectionView, ShareImage, TaxonLink, TaxonView,
    TopicNav,
};
use super::{Body, Job, Renderer, engine, feeds, jsonld, root_from, watchdog};
use crate::diag::Diagnostic;
use crate::model::archive::{self, Period};
use crate::model::{Site, Taxon};

/// A file ready to render: the template with its context, or text made without one.
pub(super) enum Prepared {
    View {
        template: &'static str,
        ctx: ViewContext,
    },
    Text(String),
    /// A picture file: the original (`width: None`) or a narrower copy.
    Picture {
        file: std::path::PathBuf,
        width: Option<u32>,
        format: Option<crate::picture::Format>,
    },
}

impl Prepared {
    /// A hash of exactly what the file is made from: equal fingerprints, equal files.
    pub(super) fn fingerprint(&self) -> u64 {
        match self {
            Prepared::View { template, ctx } => {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::hash::Hash::hash(&(template, ctx.fingerprint()), &mut h);
                std::hash::Hasher::finish(&h)
            }
            Prepared::Text(text) => context::of_text(text),
            Prepared::Picture { file, width, .. } => {
                let origin = super::theme::Origin::File {
                    path: file.clone(),
                    display: file.clone(),
                };
                context::of_text(&format!("{}:{width:?}", context::of_static(&origin)))
            }
        }
    }
}

impl Renderer<'_> {
    /// Builds what the file at `path` is made from, without rendering it.
    pub(super) fn prepare(&self, path: &str, job: &Job<'_>) -> Result<Prepared, Diagnostic> {
        watchdog::watch(path, self.site.config.timeout, || {
            self.unwatched_prepare(path, job)
        })
    }

    /// Renders a prepared file.
    pub(super) fn finish(&self, path: &str, prepared: Prepared) -> Result<Body, Diagnostic> {
        match prepared {
            Prepared::Text(text) => Ok(Body::Text(text)),
            Prepared::View { template, ctx } => {
                let text = watchdog::watch(path, self.site.config.timeout, || {
                    self.render_template(template, &ctx.into_context())
                })?;
                Ok(Body::Text(match template {
                    "email.html" => super::email::inline_styles(&text, path)?,
                    "email.txt" => super::email::wrap_text(&text),
                    _ => text,
                }))
            }
            Prepared::Picture {
                file,
                width,
                format,
            } => self.picture_file(path, file, width.zip(format)),
        }
    }

    /// A picture's file: the original, or its copy `width` pixels wide from the cache.
    fn picture_file(
        &self,
        path: &str,
        file: std::path::PathBuf,
        copy: Option<(u32, crate::picture::Format)>,
    ) -> Result<Body, Diagnostic> {
        let display = crate::diag::display_path(&self.site.config.root, &file);
        let Some((width, format)) = copy else {
            return Ok(Body::Static(super::theme::Origin::File {
                path: file,
                display,
            }));
        };
        let made = self.picture_key(&file, format).and_then(|key| {
            crate::picture::resized(
                &file,
                key,
                width,
                &crate::picture::WIDTHS,
                format,
                self.cache,
            )
        });
        let (cached, made) = made.map_err(|why| {
            Diagnostic::new(
                &display,
                format!("cannot make {path} from this image: {why}"),
            )
            .help("save the image again as JPEG, PNG or WebP, or replace it")
        })?;
        self.resized
            .fetch_add(made, std::sync::atomic::Ordering::Relaxed);
        Ok(Body::Static(super::theme::Origin::File {
            path: cached,
            display,
        }))
    }

    /// The cache key of the picture in `file`: its bytes are read and hashed once for all
    /// its copies.
    fn picture_key(
        &self,
        file: &std::path::Path,
        format: crate::picture::Format,
    ) -> Result<u64, String> {
        let known = |keys: &std::collections::HashMap<_, u64>| keys.get(file).copied();
        let lock = || {
            self.picture_keys
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(key) = known(&lock()) {
            return Ok(key);
        }
        let key = crate::picture::content_key(file, format)?;
        lock().insert(file.to_path_buf(), key);
        Ok(key)
    }

    fn unwatched_prepare(&self, path: &str, job: &Job<'_>) -> Result<Prepared, Diagnostic> {
        let site = self.site;
        let base = &site.config.base_url;
        // Paths are from the site's root; a language's pages are in its folder.
        let local = path.strip_prefix(site.config.home.as_str()).unwrap_or(path);
        let root = root_from(local);
        let url = local.strip_suffix("index.html").unwrap_or(local);
        let mut ctx = ViewContext::new(self.global);
        ctx.insert("root", &root);
        ctx.insert("assets", &format!("{root}{}", site.config.up_to_site()));
        ctx.insert("translations", &self.alternates(job, &root));
        ctx.insert("canonical", &format!("{base}{url}"));
        ctx.insert("highlight", &false);
        ctx.insert(
            "feed",
            &FeedLink {
                title: site.config.title.clone(),
                url: format!("{base}atom.xml"),
            },
        );
        let share = (site.config.image.as_ref())
            .and_then(|p| ShareImage::new(p, "", &site.config, &site.config.title));
        ctx.insert("share_image", &share);
        match job {
            Job::Home { page, total } => {
                self.home(*page, *total, &mut ctx);
            }
            Job::Briefing(i) => {
                self.briefing(*i, &root, &mut ctx)?;
            }
            Job::Redirect { briefing, .. } => {
                let e = &site.briefings[*briefing];
                ctx.insert("canonical", &format!("{base}{}", e.url));
                ctx.insert("target", &format!("{root}{}", e.url));
                ctx.insert("title", &e.briefing.title);
            }
            Job::TaxonIndex(ns) => {
                let taxa: Vec<TaxonLink> = (site.namespace(*ns).into_iter().flatten())
                    .map(TaxonLink::new)
                    .collect();
                ctx.insert("title", self.namespace_label(*ns));
                ctx.insert("taxa", &taxa);
            }
            Job::Taxon {
                ns,
                taxon,
                page,
                total,
            } => {
                self.taxon(*ns, taxon, *page, *total, &root, &mut ctx)?;
            }
            Job::Page(i) => {
                self.standalone(*i, &root, &mut ctx)?;
            }
            Job::Archive {
                period,
                earlier,
                later,
                page,
                total,
            } => {
                ctx.insert("archive", &self.archive(period, (*earlier, *later), *page));
                ctx.insert("paginator", &Paginator::new(&period.url, *page, *total));
            }
            Job::Claims(only) => {
                let log = ClaimLog::new(
                    site,
                    *only,
                    |i| self.card(i),
                    |c| self.speaker(c),
                    self.locale,
                );
                ctx.insert("claims", &log);
            }
            Job::Corrections => {
                self.corrections(&mut ctx);
            }
            Job::Edition { period, .. } => {
                self.edition_view(period, &mut ctx);
            }
            Job::EditionsFeed => {
                self.editions_feed(&mut ctx)?;
            }
            Job::CorrectionsFeed => {
                feeds::corrections_feed(self, &mut ctx);
            }
            Job::Search => {
                ctx.insert("filters", &self.search_filters());
            }
            Job::NotFound => {
                ctx.insert("root", site.config.base_path());
                ctx.insert("assets", site.config.base_path());
            }
            Job::Robots => {}
            Job::SiteFeed => {
                feeds::site_feed(self, &mut ctx)?;
            }
            Job::TaxonFeed { ns, taxon } => {
                feeds::taxon_feed(self, *ns, taxon, &mut ctx)?;
            }
            Job::Sitemap => return Ok(Prepared::Text(feeds::sitemap(site))),
            Job::SitemapPart(n) => return Ok(Prepared::Text(feeds::sitemap_part(site, *n))),
            Job::NewsSitemap => return Ok(Prepared::Text(feeds::news_sitemap(site))),
            Job::HighlightCss => return Ok(Prepared::Text(crate::markdown::highlight_css())),
            Job::Picture {
                file,
                width,
                format,
            } => {
                return Ok(Prepared::Picture {
                    file: file.to_path_buf(),
                    width: *width,
                    format: *format,
                });
            }
        };
        let Some(template) = job.template() else {
            return Err(Diagnostic::new(
                path,
                "this file is made without a template",
            ));
        };
        Ok(Prepared::View { template, ctx })
    }

    pub(super) fn render_template(
        &self,
        template: &str,
        ctx: &Context,
    ) -> Result<String, Diagnostic> {
        if let Some(source) = self.templates.get(template) {
            watchdog::rendering(&source.display);
        }
        self.tera.render(template, ctx).map_err(|e| {
            let d = engine::explain_undefined(engine::to_diagnostic(&e, self.templates), ctx);
            // An error Tera does not place is at least in the template being rendered.
            match self.templates.get(template) {
                Some(source) if d.path == std::path::Path::new("templates") => Diagnostic {
                    path: source.display.clone(),
                    ..d
                },
                _ => d,
            }
        })
    }

    /// The search page's filters, as the briefing template marks them for the index.
    fn search_filters(&self) -> Vec<FilterView<'_>> {
        let mut filters = vec![FilterView {
            key: "topics",
            label: self.locale.text("topics"),
        }];
        for k in &self.site.kinds {
            filters.push(FilterView {
                key: &k.kind.key,
                label: self.locale.kind(&k.kind),
            });
        }
        filters.push(FilterView {
            key: "authors",
            label: self.locale.text("authors"),
        });
        filters.push(FilterView {
            key: "year",
            label: self.locale.text("year"),
        });
        filters
    }

    fn briefing(&self, i: usize, root: &str, ctx: &mut ViewContext) -> Result<(), Diagnostic> {
        let site = self.site;
        let entry = &site.briefings[i];
        let b = &entry.briefing;
        let mut view = BriefingView::new(b, self.card(i), root, self.locale);
        view.all_topics = b
            .topics
            .iter()
            .filter_map(|t| self.topic(&t.slug).map(|x| Link::to_topic(t, x)))
            .collect();
        view.html = self.body_html(&b.prose, &b.sources, &entry.url, root)?;
        view.claims = (b.prose.claims.iter())
            .map(|c| ClaimView::new(c, self.speaker(c), self.locale))
            .collect();
        view.entities = site
            .kinds
            .iter()
            .zip(&self.entities)
            .zip(&b.entities)
            .filter(|(_, (_, terms))| !terms.is_empty())
            .map(|((idx, urls), (_, terms))| EntityGroup {
                key: &idx.kind.key,
                label: self.locale.kind(&idx.kind),
                links: terms
                    .iter()
                    .filter_map(|t| {
                        urls.get(t.slug.as_str()).map(|x| Link {
                            name: &t.name,
                            url: &x.url,
                        })
                    })
                    .collect(),
            })
            .collect();
        view.related = entry
            .related
            .iter()
            .map(|r| RelatedView {
                card: self.card(r.index),
                reason: super::views::reason_text(&r.reason, self.locale),
            })
            .collect();
        view.backlinks = entry.backlinks.iter().map(|&j| self.card(j)).collect();
        view.topic_nav = b
            .topics
            .iter()
            .filter_map(|t| {
                let taxon = self.topic(&t.slug)?;
                // A taxon's briefings are site indexes in ascending order (newest first).
                let pos = taxon.briefings.binary_search(&i).ok()?;
                let newer = pos.checked_sub(1).map(|p| self.card(taxon.briefings[p]));
                let older = taxon.briefings.get(pos + 1).map(|&p| self.card(p));
                // A briefing alone in a topic has nowhere to go in it: no row, no heading.
                if newer.is_none() && older.is_none() {
                    return None;
                }
                Some(TopicNav {
                    topic: Link {
                        name: &taxon.name,
                        url: &taxon.url,
                    },
                    newer,
                    older,
                })
            })
            .collect();
        ctx.insert("highlight", &b.prose.highlighted);
        if let Some(lead) = &b.image {
            let share = ShareImage::new(&lead.picture, &entry.url, &site.config, &lead.alt);
            ctx.insert("share_image", &share);
        }
        ctx.insert("jsonld", &jsonld::json_ld(site, entry, &view.claims));
        ctx.insert("briefing", &view);
        Ok(())
    }

    fn taxon(
        &self,
        ns: usize,
        taxon: &Taxon,
        page: usize,
        total: usize,
        root: &str,
        ctx: &mut ViewContext,
    ) -> Result<(), Diagnostic> {
        let site = self.site;
        let per = site.config.paginate;
        let shown: Vec<usize> = taxon
            .briefings
            .iter()
            .skip((page - 1) * per)
            .take(per)
            .copied()
            .collect();
        let mut months: Vec<MonthGroup> = Vec::new();
        for &i in &shown {
            let d = &site.briefings[i].briefing.date;
            let label = self.locale.month_year(d);
            match months.last_mut() {
                Some(m) if m.label == label => m.briefings.push(self.card(i)),
                _ => months.push(MonthGroup {
                    label,
                    briefings: vec![self.card(i)],
                }),
            }
        }
        let (label, index_url) = (self.namespace_label(ns), site.namespace_index(ns).1);
        let html = match &taxon.prose {
            Some(p) => Some(self.body_html(p, &[], &taxon.url, root)?),
            None => None,
        };
        // Shown on an entity's first page, where readers arrive.
        let is_entity = site.is_entity(ns);
        let alongside = match ns.checked_sub(1) {
            Some(k) if page == 1 && is_entity => self.alongside(k, taxon),
            _ => Vec::new(),
        };
        ctx.insert(
            "taxon",
            &TaxonView {
                name: &taxon.name,
                summary: taxon.summary.as_deref(),
                html: html.as_deref(),
                aliases: &taxon.aliases,
                count: taxon.briefings.len(),
                kind_label: label,
                kind_url: index_url,
                person: taxon
                    .person
                    .as_deref()
                    .map(|p| PersonView::new(p, &taxon.url, self.site.config.up_to_site())),
            },
        );
        ctx.insert("alongside", &alongside);
        // Claims an entity made, on its first page.
        let said: Vec<LoggedClaim> = if is_entity && page == 1 {
            (self.claims_by(&taxon.url).iter())
                .map(|&(i, c)| LoggedClaim {
                    claim: ClaimView::new(c, None, self.locale),
                    briefing: self.card(i),
                    anchor: format!("claim-{}", c.number),
                })
                .collect()
        } else {
            Vec::new()
        };
        ctx.insert("claims", &said);
        ctx.insert("months", &months);
        ctx.insert("paginator", &Paginator::new(&taxon.url, page, total));
        ctx.insert(
            "highlight",
            &taxon.prose.as_ref().is_some_and(|p| p.highlighted),
        );
        ctx.insert(
            "feed",
            &FeedLink {
                title: format!("{} — {}", taxon.name, site.config.title),
                url: format!("{}{}atom.xml", site.config.base_url, taxon.url),
            },
        );
        Ok(())
    }

    /// Page `page` of the home page's list.
    fn home(&self, page: usize, total: usize, ctx: &mut ViewContext) {
        let site = self.site;
        let per = site.config.paginate;
        // The first page leads with one story and the sections; the river below leaves
        // the lead out rather than show it twice.
        let lead = (page == 1).then(|| site.lead()).flatten();
        let cards: Vec<&Card> = (0..site.briefings.len())
            .skip((page - 1) * per)
            .take(per)
            .filter(|i| Some(*i) != lead)
            .map(|i| self.card(i))
            .collect();
        let sections: Vec<SectionView> = match page {
            1 => (site.sections())
                .map(|(_, taxon)| SectionView {
                    name: &taxon.name,
                    url: &taxon.url,
                    cards: (taxon.briefings.iter().take(SECTION_CARDS))
                        .map(|&i| self.card(i))
                        .collect(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let top: Vec<TaxonLink> = top_topics(site).into_iter().map(TaxonLink::new).collect();
        ctx.insert("lead", &lead.map(|i| self.card(i)));
        ctx.insert("sections", &sections);
        ctx.insert("briefings", &cards);
        ctx.insert("top_topics", &top);
        ctx.insert("paginator", &Paginator::new("", page, total));
    }

    /// Standalone page `i`.
    fn standalone(&self, i: usize, root: &str, ctx: &mut ViewContext) -> Result<(), Diagnostic> {
        let p = &self.site.pages[i].page;
        let html = self.body_html(&p.prose, &[], &self.site.pages[i].url, root)?;
        ctx.insert("highlight", &p.prose.highlighted);
        ctx.insert(
            "page",
            &PageView {
                title: &p.title,
                summary: p.summary.as_deref(),
                html: &html,
            },
        );
        Ok(())
    }

    /// The corrections log, with its feed.
    fn corrections(&self, ctx: &mut ViewContext) {
        let site = self.site;
        ctx.insert(
            "corrections",
            &CorrectionEntry::log(site, |i| self.card(i), self.locale),
        );
        ctx.insert(
            "feed",
            &FeedLink {
                title: format!(
                    "{} — {}",
                    self.locale.text("corrections"),
                    site.config.title
                ),
                url: format!("{}corrections/atom.xml", site.config.base_url),
            },
        );
    }

    /// A page of a date archive: that page's briefings grouped by day.
    /// `around`: the periods of the same span before and after it.
    fn archive(
        &self,
        period: &Period,
        around: (Option<&Period>, Option<&Period>),
        page: usize,
    ) -> ArchiveView<'_> {
        let site = self.site;
        let per = site.config.paginate;
        let mut days: Vec<DayGroup> = Vec::new();
        for &i in period.briefings.iter().skip((page - 1) * per).take(per) {
            let d = &site.briefings[i].briefing.date;
            let url = archive::url_of((d.year(), d.month(), d.day()));
            match days.last_mut() {
                Some(day) if day.url == url => day.briefings.push(self.card(i)),
                _ => days.push(DayGroup {
                    label: self.locale.date(d),
                    url,
                    briefings: vec![self.card(i)],
                }),
            }
        }
        let link = |p: &Period| PeriodLink {
            label: self.period_label(p),
            url: p.url.clone(),
        };
        ArchiveView {
            span: match period.span {
                archive::Span::Year => "year",
                archive::Span::Month => "month",
                archive::Span::Day => "day",
            },
            label: self.period_label(period),
            count: period.briefings.len(),
            days,
            earlier: around.0.map(link),
            later: around.1.map(link),
        }
    }

    /// "2025", "March 2025" or "14 March 2025", in the site's language.
    pub(super) fn period_label(&self, period: &Period) -> String {
        let (y, m, d) = period.key;
        match period.span {
            archive::Span::Year => y.to_string(),
            archive::Span::Month => self.locale.month_of(y, m),
            archive::Span::Day => self.locale.day(y, m, d),
        }
    }

    /// The ten entities that appear most often in the same briefings as `taxon` (of kind
    /// `k`), most first, with their names and URLs as the page shows them.
    fn alongside(&self, k: usize, taxon: &Taxon) -> Vec<TaxonLink<'_>> {
        let site = self.site;
        let mut counts: HashMap<(usize, &str), usize> = HashMap::new();
        for &i in &taxon.briefings {
            for (kind, (_, terms)) in site.briefings[i].briefing.entities.iter().enumerate() {
                for t in terms {
                    if !(kind == k && t.slug == taxon.slug) {
                        *counts.entry((kind, t.slug.as_str())).or_default() += 1;
                    }
                }
            }
        }
        let mut ranked: Vec<((usize, &str), usize)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(10)
            .filter_map(|((kind, slug), count)| {
                let t = *self.entities.get(kind)?.get(slug)?;
                Some(TaxonLink {
                    name: &t.name,
                    url: &t.url,
                    count,
                    summary: None,
                })
            })
            .collect()
    }
}

/// The home page's most active topics: most briefings first, then by name. A topic with an
/// intro but no briefings yet is not active.
pub(super) fn top_topics(site: &Site) -> Vec<&Taxon> {
    let mut active: Vec<&Taxon> = site
        .topics
        .iter()
        .filter(|t| !t.briefings.is_empty())
        .collect();
    active.sort_by(|a, b| {
        b.briefings
            .len()
            .cmp(&a.briefings.len())
            .then(a.name.cmp(&b.name))
    });
    active.truncate(10);
    active
}
