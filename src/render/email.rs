//! The day's edition as an email (`email.html`, `email.txt` beside the day page) and the
//! feed of editions (`editions.xml`): the day's briefings, the featured one first, each with
//! its headline, dateline, byline, summary, key facts and a link. Mail clients read only
//! inline styles, so the HTML's are inlined; the text version wraps at 72 columns.

use serde::Serialize;

use super::Renderer;
use super::context::ViewContext;
use super::views::Card;
use crate::content::Date;
use crate::diag::Diagnostic;
use crate::model::archive::Period;

/// How many editions the feed of editions lists: the newest days.
const FEED_EDITIONS: usize = 20;
/// Past this many briefings a day, the rest are listed by headline only; past the second
/// number, not at all (the edition links to the day page): an edition stays under the
/// 102 KB past which Gmail clips a message.
const FULL_STORIES: usize = 20;
const LISTED_STORIES: usize = 100;
/// The width the text version wraps at.
const TEXT_COLUMNS: usize = 72;

/// A day's edition as the email templates see it (`edition`).
#[derive(Serialize)]
pub(super) struct Edition<'a> {
    /// "14 March 2025", in the site's language.
    pub date: String,
    /// The day page, absolute.
    pub url: String,
    pub stories: Vec<Story<'a>>,
    /// How many briefings of the day are not listed: the day page has them.
    pub more: usize,
}

/// One briefing of the edition.
#[derive(Serialize)]
pub(super) struct Story<'a> {
    /// Shown whole; `false` for a headline and link only, on a busy day.
    pub full: bool,
    pub card: &'a Card<'a>,
    /// Its page, absolute.
    pub link: String,
    pub facts: Vec<FactLine<'a>>,
    /// The lead image, absolute, at most as wide as the email's column.
    pub image: Option<EmailImage<'a>>,
}

#[derive(Serialize)]
pub(super) struct FactLine<'a> {
    pub label: &'a str,
    pub value: &'a str,
}

#[derive(Serialize)]
pub(super) struct EmailImage<'a> {
    pub src: String,
    pub alt: &'a str,
    pub width: u32,
    pub height: Option<u32>,
}

/// The email column's width in pixels.
const COLUMN: u32 = 560;

impl Renderer<'_> {
    /// The edition of the day `period`.
    pub(super) fn edition(&self, period: &Period) -> Edition<'_> {
        let site = self.site;
        let base = &site.config.base_url;
        let mut order: Vec<usize> = period.briefings.clone();
        // The newest featured briefing of the day leads, as on the home page.
        if let Some(lead) = order
            .iter()
            .position(|&i| site.briefings[i].briefing.featured)
        {
            let i = order.remove(lead);
            order.insert(0, i);
        }
        let more = order.len().saturating_sub(LISTED_STORIES);
        let stories = (order.iter().take(LISTED_STORIES).enumerate())
            .map(|(n, &i)| {
                let e = &site.briefings[i];
                let b = &e.briefing;
                let facts = (b.facts.iter())
                    .map(|f| FactLine {
                        label: &f.label,
                        value: &f.value,
                    })
                    .collect();
                let image = b.image.as_ref().map(|lead| {
                    let up = site.config.up_to_site();
                    let view = super::pictures::PictureView::new(&lead.picture, &e.url, up);
                    let height = view.width.zip(view.height).map(|(w, h)| {
                        let shown = w.min(COLUMN);
                        (u64::from(h) * u64::from(shown) / u64::from(w.max(1))) as u32
                    });
                    EmailImage {
                        src: match view.local {
                            true => absolute(base, &view.src),
                            false => view.src,
                        },
                        alt: &lead.alt,
                        width: view.width.map_or(COLUMN, |w| w.min(COLUMN)),
                        height,
                    }
                });
                Story {
                    full: n < FULL_STORIES,
                    card: self.card(i),
                    link: format!("{base}{}", e.url),
                    facts,
                    image,
                }
            })
            .collect();
        Edition {
            date: self.period_label(period),
            url: format!("{base}{}", period.url),
            stories,
            more,
        }
    }

    /// The view of an edition's email: its links and pictures absolute.
    pub(super) fn edition_view(&self, period: &Period, ctx: &mut ViewContext) {
        let base = &self.site.config.base_url;
        ctx.insert("root", base);
        ctx.insert("edition", &self.edition(period));
    }

    /// The feed of editions: the newest days, each entry holding the edition's HTML.
    pub(super) fn editions_feed(&self, ctx: &mut ViewContext) -> Result<(), Diagnostic> {
        let site = self.site;
        let base = &site.config.base_url;
        let mut entries = Vec::new();
        let mut newest: Option<&Date> = None;
        for period in site.archive.days.iter().take(FEED_EDITIONS) {
            let edition = self.edition(period);
            let mut part = tera::Context::new();
            part.insert("root", base);
            part.insert("edition", &edition);
            let content = self.render_template("partials/edition.html", &part)?;
            let day = || {
                period
                    .briefings
                    .iter()
                    .map(|&i| &*site.briefings[i].briefing)
            };
            let published = day().map(|b| &b.date).max_by_key(|d| d.timestamp());
            let updated = (day().map(|b| super::views::modified(b).unwrap_or(&b.date)))
                .max_by_key(|d| d.timestamp());
            if updated.is_some_and(|u| newest.is_none_or(|n: &Date| u.timestamp() > n.timestamp()))
            {
                newest = updated;
            }
            entries.push(EditionEntry {
                title: format!("{} — {}", site.config.title, edition.date),
                url: edition.url.clone(),
                published: published.map(Date::iso).unwrap_or_default(),
                updated: updated.map(Date::iso).unwrap_or_default(),
                content,
            });
        }
        let updated = newest.map_or_else(|| "1970-01-01T00:00:00+00:00".into(), Date::iso);
        ctx.insert(
            "editions",
            &EditionsFeed {
                title: format!("{} — {}", site.config.title, self.locale.text("editions")),
                url: format!("{base}editions.xml"),
                home: base.clone(),
                updated,
                entries,
            },
        );
        Ok(())
    }
}

#[derive(Serialize)]
struct EditionsFeed {
    title: String,
    url: String,
    home: String,
    updated: String,
    entries: Vec<EditionEntry>,
}

#[derive(Serialize)]
struct EditionEntry {
    title: String,
    url: String,
    published: String,
    updated: String,
    /// The edition's HTML, escaped by the template.
    content: String,
}

/// `path` (from the language's home, perhaps up to the site's root with `../`) as an
/// absolute URL from `base`, the language's home.
fn absolute(base: &str, path: &str) -> String {
    let mut url = base.to_string();
    let mut rest = path;
    while let Some(up) = rest.strip_prefix("../") {
        rest = up;
        let trimmed = url.trim_end_matches('/');
        // Never above the host: `https://example.org/` keeps its last `/`.
        if let Some(cut) = trimmed.rfind('/').filter(|&i| i > "https://".len()) {
            url.truncate(cut + 1);
        }
    }
    url.push_str(rest);
    url
}

/// The email's HTML with every style moved into `style` attributes, as mail clients need;
/// `@media` rules (dark mode, narrow screens) stay in a `<style>` for the clients that
/// read them.
pub(super) fn inline_styles(html: &str, path: &str) -> Result<String, Diagnostic> {
    let inliner = css_inline::CSSInliner::options()
        .keep_at_rules(true)
        .load_remote_stylesheets(false)
        .build();
    inliner.inline(html).map_err(|e| {
        Diagnostic::new(path, format!("cannot inline the email's styles: {e}"))
            .help("check the `<style>` of the theme's email.html")
    })
}

/// The text version: each line wrapped at 72 columns, between words; a word longer than
/// a line (an address) stays whole on its own line. Lines of the template keep their
/// indentation.
pub(super) fn wrap_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut blank = true;
    for line in text.lines() {
        // One blank line between blocks, however the template spaced them.
        if line.trim().is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
            continue;
        }
        blank = false;
        let indent: String = line.chars().take_while(|c| *c == ' ').collect();
        // A list item's following lines hang under its text.
        let hanging = match line.trim_start().starts_with("- ") {
            true => format!("{indent}  "),
            false => indent.clone(),
        };
        let mut width = 0;
        let mut first = true;
        for word in line.split_whitespace() {
            let w = word.chars().count();
            if first {
                out.push_str(&indent);
                width = indent.len();
            } else if width + 1 + w > TEXT_COLUMNS {
                out.push('\n');
                out.push_str(&hanging);
                width = hanging.len();
            } else {
                out.push(' ');
                width += 1;
            }
            out.push_str(word);
            width += w;
            first = false;
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_up_to_the_site_is_made_absolute_without_dots() {
        assert_eq!(
            absolute("https://x.org/briefs/uk/", "../img/a.png"),
            "https://x.org/briefs/img/a.png"
        );
        assert_eq!(
            absolute("https://x.org/", "2025/a.png"),
            "https://x.org/2025/a.png"
        );
        assert_eq!(
            absolute("https://x.org/", "../a.png"),
            "https://x.org/a.png"
        );
    }

    #[test]
    fn text_wraps_between_words_and_keeps_long_addresses_whole() {
        let long = format!(
            "{} https://example.org/{}",
            "word ".repeat(20).trim(),
            "a".repeat(80)
        );
        let wrapped = wrap_text(&format!("  {long}\n\nshort\n"));
        for line in wrapped.lines() {
            assert!(
                line.chars().count() <= TEXT_COLUMNS || !line.trim().contains(' '),
                "{line:?}"
            );
        }
        assert!(
            wrapped
                .lines()
                .any(|l| l.trim() == format!("https://example.org/{}", "a".repeat(80)))
        );
        assert!(
            wrapped
                .lines()
                .all(|l| l.is_empty() || l.starts_with("  ") || l == "short")
        );
        assert_eq!(wrap_text("a\n\n\n\nb\n"), "a\n\nb\n");
        let item = wrap_text(&format!("  - {}\n", "fact ".repeat(20)));
        assert!(
            item.lines().skip(1).all(|l| l.starts_with("    fact")),
            "{item}"
        );
    }
}
