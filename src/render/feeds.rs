//! Atom feeds (site, each topic, each entity) and the sitemap.

use super::context::ViewContext;
use serde::Serialize;

use super::Renderer;
use super::views::modified;
use crate::diag::Diagnostic;
use crate::model::translations::Alternate;
use crate::model::{Entry, Site, Taxon};

/// Entries per feed: the newest ones.
pub(super) const FEED_ENTRIES: usize = 20;
/// The sitemap protocol's limit of URLs per file.
const SITEMAP_URLS: usize = 50_000;

#[derive(Serialize)]
struct AtomEntry<'a> {
    title: std::borrow::Cow<'a, str>,
    url: String,
    published: String,
    updated: String,
    summary: &'a str,
    /// With `feeds: {content: full}`: the whole briefing, its addresses absolute or from
    /// the entry's (`xml:base`).
    content: Option<String>,
    authors: Vec<&'a str>,
    topics: Vec<&'a str>,
}

#[derive(Serialize)]
struct Atom<'a> {
    title: String,
    /// The feed's own absolute URL (also its id).
    url: String,
    /// The HTML page it belongs to.
    home: String,
    updated: String,
    entries: Vec<AtomEntry<'a>>,
}

/// The corrections log's feed: the newest corrections, each an entry linking to it.
pub fn corrections_feed(r: &Renderer<'_>, ctx: &mut ViewContext) {
    let site = r.site;
    let base = &site.config.base_url;
    let log = super::views::CorrectionEntry::log(site, |i| r.card(i), r.locale);
    let entries: Vec<AtomEntry> = log
        .iter()
        .take(FEED_ENTRIES)
        .map(|c| {
            let (i, k) = c.at;
            let b = &site.briefings[i].briefing;
            let correction = &b.corrections[k];
            AtomEntry {
                title: r
                    .locale
                    .fill("correction_of", &[("title", &b.title)])
                    .into(),
                url: format!("{base}{}#{}", site.briefings[i].url, c.anchor),
                published: correction.date.iso(),
                updated: correction.date.iso(),
                summary: &correction.note,
                content: None,
                authors: b.authors.iter().map(|a| a.name.as_str()).collect(),
                topics: Vec::new(),
            }
        })
        .collect();
    let updated = entries
        .first()
        .map(|e| e.updated.clone())
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    let feed = Atom {
        title: format!("{} — {}", r.locale.text("corrections"), site.config.title),
        url: format!("{base}corrections/atom.xml"),
        home: format!("{base}corrections/"),
        updated,
        entries,
    };
    ctx.insert("atom", &feed);
}

fn updated_iso(e: &Entry) -> String {
    modified(&e.briefing).unwrap_or(&e.briefing.date).iso()
}

fn atom<'a>(
    r: &'a Renderer<'_>,
    title: String,
    page_url: &str,
    indexes: impl Iterator<Item = usize>,
) -> Result<Atom<'a>, Diagnostic> {
    let site = r.site;
    let base = &site.config.base_url;
    let entries: Vec<AtomEntry> = indexes
        .take(FEED_ENTRIES)
        .map(|i| {
            let e = &site.briefings[i];
            let b = &e.briefing;
            let content = match site.config.full_feeds {
                true => Some(full_entry(r, i)?),
                false => None,
            };
            Ok(AtomEntry {
                title: b.title.as_str().into(),
                url: format!("{base}{}", e.url),
                published: b.date.iso(),
                updated: updated_iso(e),
                summary: b.summary.as_deref().unwrap_or(&b.title),
                content,
                authors: b.authors.iter().map(|a| a.name.as_str()).collect(),
                topics: b
                    .topics
                    .iter()
                    .map(|t| t.name.as_str())
                    .take(super::views::CARD_TOPICS)
                    .collect(),
            })
        })
        .collect::<Result<_, Diagnostic>>()?;
    // Newest change among the entries; a fixed instant for an empty feed keeps builds
    // reproducible.
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max_by_key(|u| crate::content::Date::parse(u).map(|d| d.timestamp()).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    Ok(Atom {
        title,
        url: format!("{base}{page_url}atom.xml"),
        home: format!("{base}{page_url}"),
        updated,
        entries,
    })
}

/// A whole briefing for its feed entry: the body, then its key facts, claims and sources
/// (`partials/feed_entry.html`), every site address absolute.
fn full_entry(r: &Renderer<'_>, i: usize) -> Result<String, Diagnostic> {
    let site = r.site;
    let base = &site.config.base_url;
    let e = &site.briefings[i];
    let b = &e.briefing;
    let card = r.card(i);
    let mut view = super::views::BriefingView::new(b, card, base, r.locale);
    view.html = r.body_html(&b.prose, &b.sources, &e.url, base)?;
    view.claims = (b.prose.claims.iter())
        .map(|c| super::views::ClaimView::new(c, r.speaker(c), r.locale))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("root", base);
    ctx.insert("briefing", &view);
    r.render_template("partials/feed_entry.html", &ctx)
}

pub fn site_feed(r: &Renderer<'_>, ctx: &mut ViewContext) -> Result<(), Diagnostic> {
    let site = r.site;
    let feed = atom(r, site.config.title.clone(), "", 0..site.briefings.len())?;
    ctx.insert("atom", &feed);
    Ok(())
}

pub fn taxon_feed(
    r: &Renderer<'_>,
    ns: usize,
    taxon: &Taxon,
    ctx: &mut ViewContext,
) -> Result<(), Diagnostic> {
    let site = r.site;
    let vars = [
        ("name", taxon.name.as_str()),
        ("kind", r.namespace_label(ns)),
        ("site", site.config.title.as_str()),
    ];
    let title = r.locale.fill("taxon_feed", &vars);
    let feed = atom(r, title, &taxon.url, taxon.briefings.iter().copied())?;
    ctx.insert("atom", &feed);
    Ok(())
}

/// Every HTML page worth indexing, with its last change.
/// How many URLs `sitemap_urls` lists, without formatting them.
fn sitemap_len(site: &Site) -> usize {
    let taxa: usize = site.namespaces().map(Vec::len).sum();
    let briefings = site.briefings.iter().filter(|e| in_sitemap(e)).count();
    let periods = archive_periods(site).count();
    // Home, corrections, and each namespace's index.
    2 + briefings + site.namespaces().count() + taxa + site.pages.len() + periods
}

/// The archive periods the sitemap lists: those with a briefing it lists.
fn archive_periods(site: &Site) -> impl Iterator<Item = &crate::model::archive::Period> {
    let spans = site.archive.spans();
    spans
        .into_iter()
        .flat_map(|(_, periods)| periods)
        .filter(|p| p.briefings.iter().any(|&i| in_sitemap(&site.briefings[i])))
}

/// Drafts and scheduled briefings, published by `--drafts` or `--future` for a preview,
/// stay out of the sitemap.
fn in_sitemap(e: &crate::model::Entry) -> bool {
    e.briefing.is_public()
}

/// A page of the sitemap: its URL from the language's home, its last change, and the
/// same page in the site's other languages.
type SitemapUrl = (String, String, Vec<Alternate>);

fn sitemap_urls(site: &Site) -> Vec<SitemapUrl> {
    let newest = |indexes: &[usize]| {
        indexes
            .iter()
            .map(|&i| &site.briefings[i])
            .filter(|e| in_sitemap(e))
            .map(|e| modified(&e.briefing).unwrap_or(&e.briefing.date))
            .max_by_key(|d| d.timestamp())
            .map(|d| d.iso())
    };
    let all: Vec<usize> = (0..site.briefings.len()).collect();
    let site_lastmod = newest(&all).unwrap_or_default();
    let langs = &site.languages;
    let mut urls = vec![(
        String::new(),
        site_lastmod.clone(),
        langs.list_alternates(""),
    )];
    for (i, e) in site
        .briefings
        .iter()
        .enumerate()
        .filter(|(_, e)| in_sitemap(e))
    {
        let alternates = langs.briefings.get(&i).cloned().unwrap_or_default();
        urls.push((e.url.clone(), updated_iso(e), alternates));
    }
    for ns in 0..site.namespaces().count() {
        let index = site.namespace_index(ns).1;
        urls.push((
            index.to_string(),
            site_lastmod.clone(),
            langs.list_alternates(index),
        ));
    }
    for t in site.namespaces().flatten() {
        urls.push((
            t.url.clone(),
            newest(&t.briefings).unwrap_or_else(|| site_lastmod.clone()),
            langs.list_alternates(&t.url),
        ));
    }
    for p in &site.pages {
        urls.push((p.url.clone(), site_lastmod.clone(), Vec::new()));
    }
    urls.push(("corrections/".into(), site_lastmod.clone(), Vec::new()));
    for p in archive_periods(site) {
        let lastmod = newest(&p.briefings).unwrap_or_default();
        urls.push((p.url.clone(), lastmod, Vec::new()));
    }
    debug_assert_eq!(urls.len(), sitemap_len(site));
    urls
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// How many sitemap files the site needs beyond `sitemap.xml` (0 when one file holds all).
pub fn sitemap_parts(site: &Site) -> usize {
    let n = sitemap_len(site);
    if n <= SITEMAP_URLS {
        0
    } else {
        n.div_ceil(SITEMAP_URLS)
    }
}

/// `sitemap.xml`: the URL set, or an index of `sitemap-N.xml` parts for large sites.
pub fn sitemap(site: &Site) -> String {
    let urls = sitemap_urls(site);
    let base = &site.config.base_url;
    if urls.len() <= SITEMAP_URLS {
        return urlset(site, &urls);
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=urls.len().div_ceil(SITEMAP_URLS) {
        out.push_str(&format!(
            "<sitemap><loc>{}sitemap-{n}.xml</loc></sitemap>\n",
            escape(base)
        ));
    }
    out.push_str("</sitemapindex>\n");
    out
}

/// Part `n` (1-based) of a split sitemap.
pub fn sitemap_part(site: &Site, n: usize) -> String {
    let urls = sitemap_urls(site);
    let start = (n - 1) * SITEMAP_URLS;
    let end = (start + SITEMAP_URLS).min(urls.len());
    urlset(site, urls.get(start..end).unwrap_or(&[]))
}

fn urlset(site: &Site, urls: &[SitemapUrl]) -> String {
    let base = &site.config.base_url;
    let mut out = String::with_capacity(urls.len() * 120 + 200);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    if site.config.is_multilingual() {
        out.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    out.push_str(">\n");
    for (url, lastmod, alternates) in urls {
        out.push_str("<url><loc>");
        out.push_str(&escape(&format!("{base}{url}")));
        out.push_str("</loc>");
        if !lastmod.is_empty() {
            out.push_str("<lastmod>");
            out.push_str(lastmod);
            out.push_str("</lastmod>");
        }
        if !alternates.is_empty() {
            let own = (site.config.language.as_str(), format!("{base}{url}"));
            let others = (alternates.iter()).map(|a| {
                (
                    a.lang.as_str(),
                    format!("{}{}", site.config.site_url(), a.url),
                )
            });
            for (lang, href) in std::iter::once(own).chain(others) {
                out.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    escape(lang),
                    escape(&href)
                ));
            }
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// How far back the news sitemap reaches: Google News reads briefings of the last two days.
const NEWS_WINDOW: jiff::SignedDuration = jiff::SignedDuration::from_hours(48);

/// `news-sitemap.xml` in Google News' format: the briefings published in the 48 hours
/// before the build, newest first; valid and empty when there are none.
pub fn news_sitemap(site: &Site) -> String {
    let base = &site.config.base_url;
    let since = site.clock.checked_sub(NEWS_WINDOW).unwrap_or(site.clock);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    let recent = site.briefings.iter().filter(|e| {
        let at = e.briefing.date.timestamp();
        in_sitemap(e) && at >= since && at <= site.clock
    });
    for e in recent {
        let b = &e.briefing;
        out.push_str(&format!(
            "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name><news:language>{}</news:language></news:publication><news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>\n",
            escape(&format!("{base}{}", e.url)),
            escape(&site.config.title),
            escape(&site.config.language),
            b.date.iso(),
            escape(&b.title),
        ));
    }
    out.push_str("</urlset>\n");
    out
}
