//! What templates see: small structs that borrow from the model. Nothing here owns content
//! beyond the few strings formatted for display.

use serde::Serialize;

use super::i18n::Locale;
use crate::content::{Briefing, Date, Fact, Source};
use crate::model::{Entry, Site, Taxon};

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    /// `rtl` for languages written right to left, else `ltr`.
    pub dir: &'static str,
    pub base_url: &'a str,
    /// Navigation: topics, each entity kind, then standalone pages.
    pub nav: Vec<Link<'a>>,
    /// A multilingual site's languages, for the switcher; empty with one language.
    pub languages: Vec<super::languages::LanguageLink>,
    pub generator: String,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site, locale: &'a Locale, names: &super::languages::Names) -> Self {
        let mut nav = vec![Link {
            name: locale.text("topics"),
            url: "topics/",
        }];
        for k in &site.kinds {
            nav.push(Link {
                name: locale.kind(&k.kind),
                url: &k.index_url,
            });
        }
        for p in &site.pages {
            nav.push(Link {
                name: &p.page.title,
                url: &p.url,
            });
        }
        if site.config.search {
            nav.push(Link {
                name: locale.text("search"),
                url: "search/",
            });
        }
        SiteView {
            title: &site.config.title,
            description: &site.config.description,
            language: &site.config.language,
            dir: if locale.rtl { "rtl" } else { "ltr" },
            base_url: &site.config.base_url,
            nav,
            languages: super::languages::links(names, &site.config.language),
            generator: format!("brief {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

#[derive(Serialize, Clone, Copy)]
pub struct Link<'a> {
    pub name: &'a str,
    pub url: &'a str,
}

impl<'a> Link<'a> {
    /// A topic as a briefing names it, or by its intro's title when it has one (a
    /// translation names the topic by its slug; the intro in its language has the name).
    pub fn to_topic(term: &'a crate::content::Term, topic: &'a Taxon) -> Self {
        Link {
            name: if topic.named { &topic.name } else { &term.name },
            url: &topic.url,
        }
    }
}

/// A filter of the search page: its key in the index and its name on the page.
#[derive(Serialize)]
pub struct FilterView<'a> {
    /// `topics`, an entity kind's key, `authors` or `year`.
    pub key: &'a str,
    pub label: &'a str,
}

/// A name in a byline and the author's page.
#[derive(Serialize)]
pub struct AuthorLink<'a> {
    pub name: &'a str,
    pub url: String,
    /// The photo of the author's profile, small beside the name.
    pub photo: Option<FigureView<'a>>,
}

impl<'a> AuthorLink<'a> {
    /// The byline name `t`, with the photo of its author's `profile`.
    pub fn new(t: &'a crate::content::Term, profile: Option<&'a Taxon>, up: &str) -> Self {
        let photo = (profile.and_then(|p| p.person.as_ref()))
            .and_then(|person| person.image.as_ref())
            .zip(profile)
            .map(|(image, p)| FigureView::portrait(image, &p.url, up));
        AuthorLink {
            name: &t.name,
            url: format!("{}/{}/", crate::model::AUTHORS, t.slug),
            photo,
        }
    }
}

/// A date as templates need it: machine-readable and for readers.
#[derive(Serialize)]
pub struct DateView {
    pub iso: String,
    pub human: String,
    pub human_time: String,
    pub year: i16,
    /// Seconds since 1970 (UTC): orders dates written with different offsets.
    pub unix: i64,
}

impl DateView {
    pub fn new(d: &Date, l: &Locale) -> Self {
        DateView {
            iso: d.iso(),
            human: l.date(d),
            human_time: l.date_time(d),
            year: d.year(),
            unix: d.timestamp().as_second(),
        }
    }
}

/// How many of a briefing's topics lists and feeds show; its own page shows them all. Keeps
/// a list's size independent of how many topics one briefing names.
pub const CARD_TOPICS: usize = 6;

/// A briefing in a list: home, topic and entity pages, related briefings.
#[derive(Serialize)]
pub struct Card<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: DateView,
    pub summary: Option<&'a str>,
    pub dateline: Option<&'a str>,
    pub topics: Vec<Link<'a>>,
    /// Set on drafts and scheduled briefings shown by `--drafts` or `--future`.
    pub status: Option<StatusView>,
    /// The byline: the briefing's authors with their pages.
    pub authors: Vec<AuthorLink<'a>>,
    /// "3 min read", in the page's language.
    pub reading_time: String,
    /// "Updated" or "Corrected", with when, if the briefing changed after it was published.
    pub changed: Option<ChangeMark<'a>>,
    /// The lead image, shown at the top of its page and beside its card.
    pub image: Option<FigureView<'a>>,
}

/// A picture as templates show it: a lead image, an author's photo.
#[derive(Serialize)]
pub struct FigureView<'a> {
    #[serde(flatten)]
    pub picture: super::pictures::PictureView,
    pub alt: &'a str,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
}

impl<'a> FigureView<'a> {
    /// The lead image of the briefing at `url`, on a site whose root is `up` from it.
    pub fn lead(lead: &'a crate::content::LeadImage, url: &str, up: &str) -> Self {
        FigureView {
            picture: super::pictures::PictureView::new(&lead.picture, url, up),
            alt: &lead.alt,
            caption: lead.caption.as_deref(),
            credit: lead.credit.as_deref(),
        }
    }

    /// The photo on the author page at `url`: next to their name, it says nothing more.
    pub fn portrait(p: &crate::picture::Picture, url: &str, up: &str) -> Self {
        FigureView {
            picture: super::pictures::PictureView::new(p, url, up),
            alt: "",
            caption: None,
            credit: None,
        }
    }
}

/// The picture social networks show for a page (`og:image`): an absolute address, with its
/// size when the file is the site's.
#[derive(Serialize)]
pub struct ShareImage {
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub alt: String,
}

impl ShareImage {
    /// `p`, beside the page at `owner_url`, on the site of `config`.
    pub fn new(
        p: &crate::picture::Picture,
        owner_url: &str,
        config: &crate::config::Config,
        alt: &str,
    ) -> Option<Self> {
        let (url, size) = super::pictures::share(p, owner_url, config)?;
        Some(ShareImage {
            url,
            width: size.map(|s| s.0),
            height: size.map(|s| s.1),
            alt: alt.to_string(),
        })
    }
}

/// A briefing's latest change after publication, as cards show it.
#[derive(Serialize)]
pub struct ChangeMark<'a> {
    /// `updated` or `corrected`: the newest change is an update or a correction.
    pub key: &'static str,
    pub label: &'a str,
    pub date: DateView,
}

impl<'a> ChangeMark<'a> {
    pub fn of(b: &Briefing, l: &'a Locale) -> Option<ChangeMark<'a>> {
        let newest = modified(b)?;
        let corrected = b
            .corrections
            .iter()
            .any(|c| c.date.timestamp() == newest.timestamp());
        let key = if corrected { "corrected" } else { "updated" };
        Some(ChangeMark {
            key,
            label: l.text(key),
            date: DateView::new(newest, l),
        })
    }
}

/// Why a briefing is not public yet, for its label: `draft` or `scheduled`.
#[derive(Serialize)]
pub struct StatusView {
    pub key: &'static str,
    pub label: String,
}

impl StatusView {
    pub fn of(b: &Briefing, l: &Locale) -> Option<StatusView> {
        if b.draft {
            Some(StatusView {
                key: "draft",
                label: l.text("draft").to_string(),
            })
        } else if b.scheduled {
            let date = l.date_time(&b.date);
            Some(StatusView {
                key: "scheduled",
                label: l.fill("scheduled_for", &[("date", &date)]),
            })
        } else {
            None
        }
    }
}

/// How a card finds the topics and authors its briefing names.
pub struct Lookups<'f, 'a> {
    pub topic: &'f dyn Fn(&str) -> Option<&'a Taxon>,
    pub author: &'f dyn Fn(&str) -> Option<&'a Taxon>,
}

impl<'a> Card<'a> {
    pub fn new(entry: &'a Entry, find: &Lookups<'_, 'a>, l: &'a Locale, up: &str) -> Self {
        let b = &entry.briefing;
        Card {
            title: &b.title,
            url: &entry.url,
            date: DateView::new(&b.date, l),
            summary: b.summary.as_deref(),
            dateline: b.dateline.as_deref(),
            topics: b
                .topics
                .iter()
                .filter_map(|t| (find.topic)(&t.slug).map(|x| Link::to_topic(t, x)))
                .take(CARD_TOPICS)
                .collect(),
            status: StatusView::of(b, l),
            authors: (b.authors.iter())
                .map(|t| AuthorLink::new(t, (find.author)(&t.slug), up))
                .collect(),
            reading_time: {
                let minutes = crate::text::reading_minutes(b.words);
                l.count("reading_time", minutes, &[])
            },
            changed: ChangeMark::of(b, l),
            image: b
                .image
                .as_ref()
                .map(|i| FigureView::lead(i, &entry.url, up)),
        }
    }
}

#[derive(Serialize)]
pub struct FactView<'a> {
    pub label: &'a str,
    pub value: &'a str,
    /// The number of its source in the sources list.
    pub source: Option<usize>,
    pub as_of: Option<DateView>,
}

impl<'a> FactView<'a> {
    /// Views of `facts`, citing sources by their number in `sources`.
    pub fn list(facts: &'a [Fact], sources: &[Source], l: &Locale) -> Vec<FactView<'a>> {
        let number_of = |id: &str| sources.iter().position(|s| s.id == id).map(|i| i + 1);
        facts
            .iter()
            .map(|f| FactView {
                label: &f.label,
                value: &f.value,
                source: f.source.as_deref().and_then(number_of),
                as_of: f.as_of.as_ref().map(|d| DateView::new(d, l)),
            })
            .collect()
    }
}

#[derive(Serialize)]
pub struct SourceView<'a> {
    pub number: usize,
    pub id: &'a str,
    pub name: &'a str,
    /// A web address as written; a site path (`/about/`) from the page's root.
    pub url: Option<String>,
}

#[derive(Serialize)]
pub struct CorrectionView<'a> {
    pub date: DateView,
    pub note: &'a str,
}

/// One correction in the site's log, with the briefing it corrects.
#[derive(Serialize)]
pub struct CorrectionEntry<'a> {
    pub date: DateView,
    pub note: &'a str,
    pub briefing: &'a Card<'a>,
    /// The id of the correction on the briefing's page.
    pub anchor: String,
    /// For feeds: which briefing, and which of its corrections.
    #[serde(skip)]
    pub at: (usize, usize),
}

impl<'a> CorrectionEntry<'a> {
    /// Every correction on `site`, newest first (then in site order).
    pub fn log(
        site: &'a Site,
        card: impl Fn(usize) -> &'a Card<'a>,
        l: &Locale,
    ) -> Vec<CorrectionEntry<'a>> {
        let mut all: Vec<(usize, usize)> = (site.briefings.iter().enumerate())
            .flat_map(|(i, e)| (0..e.briefing.corrections.len()).map(move |k| (i, k)))
            .collect();
        let date = |&(i, k): &(usize, usize)| &site.briefings[i].briefing.corrections[k].date;
        all.sort_by_key(|at| (std::cmp::Reverse(date(at).timestamp()), at.0, at.1));
        all.into_iter()
            .map(|(i, k)| {
                let c = &site.briefings[i].briefing.corrections[k];
                CorrectionEntry {
                    date: DateView::new(&c.date, l),
                    note: &c.note,
                    briefing: card(i),
                    anchor: format!("correction-{}", k + 1),
                    at: (i, k),
                }
            })
            .collect()
    }
}

#[derive(Serialize)]
pub struct EntityGroup<'a> {
    /// The kind's key in site.yaml (`people`), e.g. for a search filter.
    pub key: &'a str,
    pub label: &'a str,
    pub links: Vec<Link<'a>>,
}

/// Everything the briefing template shows.
#[derive(Serialize)]
pub struct BriefingView<'a> {
    #[serde(flatten)]
    pub card: &'a Card<'a>,
    /// Every topic; the card shows only the first few.
    pub all_topics: Vec<Link<'a>>,
    pub updated: Option<DateView>,
    pub html: String,
    pub corrections: Vec<CorrectionView<'a>>,
    pub facts: Vec<FactView<'a>>,
    pub sources: Vec<SourceView<'a>>,
    pub entities: Vec<EntityGroup<'a>>,
    pub related: Vec<RelatedView<'a>>,
    pub backlinks: Vec<&'a Card<'a>>,
    pub topic_nav: Vec<TopicNav<'a>>,
    pub claims: Vec<ClaimView<'a>>,
    pub extra: &'a serde_json::Value,
    /// The archive page of the day it was published.
    pub day_url: String,
}

impl<'a> BriefingView<'a> {
    /// The view of `b` for its page, whose way up to the site's root is `root`.
    pub fn new(b: &'a Briefing, card: &'a Card<'a>, root: &str, l: &Locale) -> Self {
        BriefingView {
            card,
            day_url: crate::model::archive::url_of((b.date.year(), b.date.month(), b.date.day())),
            all_topics: Vec::new(),
            updated: modified(b).map(|d| DateView::new(d, l)),
            html: String::new(),
            corrections: b
                .corrections
                .iter()
                .map(|c| CorrectionView {
                    date: DateView::new(&c.date, l),
                    note: &c.note,
                })
                .collect(),
            facts: FactView::list(&b.facts, &b.sources, l),
            sources: b
                .sources
                .iter()
                .enumerate()
                .map(|(i, s)| SourceView {
                    number: i + 1,
                    id: &s.id,
                    name: &s.name,
                    url: s.url.as_deref().map(|u| match u.strip_prefix('/') {
                        Some(path) => format!("{root}{path}"),
                        None => u.to_string(),
                    }),
                })
                .collect(),
            entities: Vec::new(),
            related: Vec::new(),
            backlinks: Vec::new(),
            topic_nav: Vec::new(),
            claims: Vec::new(),
            extra: &b.extra,
        }
    }
}

/// The date of the briefing's newest correction, if it has any.
pub fn newest_correction(b: &Briefing) -> Option<&Date> {
    b.corrections
        .iter()
        .map(|c| &c.date)
        .max_by_key(|d| d.timestamp())
}

/// The modified date: `updated`, or the newest correction if that is later.
pub fn modified(b: &Briefing) -> Option<&Date> {
    match (b.updated.as_ref(), newest_correction(b)) {
        (Some(u), Some(c)) => Some(if c.timestamp() > u.timestamp() { c } else { u }),
        (u, c) => u.or(c),
    }
}

/// How many of its newest briefings a home page section shows.
pub const SECTION_CARDS: usize = 3;

/// A section of the home page: a topic or an entity with its newest briefings.
#[derive(Serialize)]
pub struct SectionView<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub cards: Vec<&'a Card<'a>>,
}

/// A topic or entity in an index, with its count.
#[derive(Serialize)]
pub struct TaxonLink<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub count: usize,
    pub summary: Option<&'a str>,
}

impl<'a> TaxonLink<'a> {
    pub fn new(t: &'a Taxon) -> Self {
        TaxonLink {
            name: &t.name,
            url: &t.url,
            count: t.briefings.len(),
            summary: t.summary.as_deref(),
        }
    }
}

/// Links between the pages of a paginated list.
#[derive(Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Paginator {
    /// `base` is the list's first page URL (site-relative, "" for home).
    pub fn new(base: &str, current: usize, total: usize) -> Self {
        let url = |n: usize| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base}page/{n}/")
            }
        };
        Paginator {
            current,
            total,
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
        }
    }
}

/// A topic or entity page's header.
#[derive(Serialize)]
pub struct TaxonView<'a> {
    pub name: &'a str,
    pub summary: Option<&'a str>,
    pub html: Option<&'a str>,
    pub aliases: &'a [String],
    pub count: usize,
    pub kind_label: &'a str,
    pub kind_url: &'a str,
    /// An author's role, links and photo, from their profile.
    pub person: Option<PersonView<'a>>,
}

/// What an author's page shows above their briefings.
#[derive(Serialize)]
pub struct PersonView<'a> {
    pub role: Option<&'a str>,
    pub links: Vec<Link<'a>>,
    pub image: Option<FigureView<'a>>,
}

impl<'a> PersonView<'a> {
    /// The person of the author page at `url`, on a site whose root is `up` from its home.
    pub fn new(p: &'a crate::model::Person, url: &str, up: &str) -> Self {
        PersonView {
            role: p.role.as_deref(),
            links: p
                .links
                .iter()
                .map(|url| Link {
                    name: link_label(url),
                    url,
                })
                .collect(),
            image: (p.image.as_ref()).map(|pic| FigureView::portrait(pic, url, up)),
        }
    }
}

/// A web address as a reader names it: its host, without `www.`.
fn link_label(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.strip_prefix("www.").unwrap_or(host)
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub html: &'a str,
}

/// A related briefing and why it is related.
#[derive(Serialize)]
pub struct RelatedView<'a> {
    #[serde(flatten)]
    pub card: &'a Card<'a>,
    pub reason: String,
}

/// The newer and older briefing within one of a briefing's topics.
#[derive(Serialize)]
pub struct TopicNav<'a> {
    pub topic: Link<'a>,
    pub newer: Option<&'a Card<'a>>,
    pub older: Option<&'a Card<'a>>,
}

#[derive(Serialize)]
pub struct ClaimView<'a> {
    pub number: usize,
    pub status: &'static str,
    pub label: &'a str,
    pub icon: &'static str,
    pub note: &'a str,
    pub text: &'a str,
    /// Who made the claim, with their page.
    pub by: Option<Link<'a>>,
}

impl<'a> ClaimView<'a> {
    pub fn new(c: &'a crate::markdown::Claim, by: Option<Link<'a>>, l: &'a Locale) -> Self {
        ClaimView {
            number: c.number,
            status: c.status.key(),
            label: status_label(c.status, l),
            icon: c.status.icon(),
            note: &c.note,
            text: &c.text,
            by,
        }
    }
}

/// Why a briefing is related, as a sentence: "Shares Dmitry Peskov, Kremlin and Moscow,
/// and 5 more; linked from one to the other".
pub fn reason_text(reason: &crate::model::related::Reason, l: &Locale) -> String {
    if reason.chosen {
        return capitalized(l.text("chosen_by_editors"));
    }
    let mut parts = Vec::new();
    if !reason.shared.is_empty() {
        let shared: Vec<&str> = reason.shared.iter().map(String::as_str).collect();
        let mut names = l.list(&shared);
        if reason.more > 0 {
            let more = reason.more.to_string();
            names = l.fill("and_more", &[("names", &names), ("n", &more)]);
        }
        parts.push(l.fill("shared", &[("names", &names)]));
    }
    if reason.linked {
        parts.push(l.text("linked").to_string());
    }
    capitalized(&parts.join("; "))
}

/// `text` with its first letter a capital, as a sentence starts.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What a claim's status is called in the site's language.
pub fn status_label(status: crate::markdown::ClaimStatus, l: &Locale) -> &str {
    l.text(match status.key() {
        "confirmed" => "claim_confirmed",
        "disputed" => "claim_disputed",
        "unverified" => "claim_unverified",
        _ => "claim_false",
    })
}

/// Briefings of one month on a topic or entity timeline.
#[derive(Serialize)]
pub struct MonthGroup<'a> {
    pub label: String,
    pub briefings: Vec<&'a Card<'a>>,
}

/// An Atom feed for `<link rel="alternate">`.
#[derive(Serialize)]
pub struct FeedLink {
    pub title: String,
    /// Absolute URL.
    pub url: String,
}

/// A date archive page: the period, its briefings grouped by day, and the periods around it.
#[derive(Serialize)]
pub struct ArchiveView<'a> {
    /// `year`, `month` or `day`.
    pub span: &'static str,
    /// "2025", "March 2025" or "14 March 2025".
    pub label: String,
    pub count: usize,
    pub days: Vec<DayGroup<'a>>,
    /// The nearest earlier and later periods of the same length that have briefings.
    pub earlier: Option<PeriodLink>,
    pub later: Option<PeriodLink>,
}

/// One day's briefings on an archive page, with the day's own page.
#[derive(Serialize)]
pub struct DayGroup<'a> {
    pub label: String,
    pub url: String,
    pub briefings: Vec<&'a Card<'a>>,
}

#[derive(Serialize)]
pub struct PeriodLink {
    pub label: String,
    pub url: String,
}

/// The claims log: every annotated claim on the site, grouped by status.
#[derive(Serialize)]
pub struct ClaimLog<'a> {
    /// The status shown alone (`disputed`...), or `None` for all of them.
    pub only: Option<&'static str>,
    /// Every status with its count, for the filter; `url` is its page.
    pub filters: Vec<ClaimFilter<'a>>,
    pub groups: Vec<ClaimGroup<'a>>,
}

#[derive(Serialize)]
pub struct ClaimFilter<'a> {
    pub key: &'static str,
    pub label: &'a str,
    pub count: usize,
    pub url: String,
}

#[derive(Serialize)]
pub struct ClaimGroup<'a> {
    pub key: &'static str,
    pub label: &'a str,
    pub icon: &'static str,
    pub claims: Vec<LoggedClaim<'a>>,
}

/// A claim with the briefing that makes it; `anchor` is its id there.
#[derive(Serialize)]
pub struct LoggedClaim<'a> {
    pub claim: ClaimView<'a>,
    pub briefing: &'a Card<'a>,
    pub anchor: String,
}

impl<'a> ClaimLog<'a> {
    /// The log of `site`'s claims, all of them or those of status `only`; briefings newest
    /// first, claims in reading order.
    pub fn new(
        site: &'a Site,
        only: Option<crate::markdown::ClaimStatus>,
        card: impl Fn(usize) -> &'a Card<'a>,
        speaker: impl Fn(&'a crate::markdown::Claim) -> Option<Link<'a>>,
        l: &'a Locale,
    ) -> Self {
        let claims = || {
            (site.briefings.iter().enumerate())
                .flat_map(|(i, e)| e.briefing.prose.claims.iter().map(move |c| (i, c)))
        };
        let filters = crate::markdown::ClaimStatus::ALL
            .iter()
            .map(|(key, status)| ClaimFilter {
                key,
                label: status_label(*status, l),
                count: claims().filter(|(_, c)| c.status == *status).count(),
                url: format!("claims/{key}/"),
            })
            .collect();
        let groups = crate::markdown::ClaimStatus::ALL
            .iter()
            .filter(|(_, status)| only.is_none_or(|o| o == *status))
            .map(|(key, status)| ClaimGroup {
                key,
                label: status_label(*status, l),
                icon: status.icon(),
                claims: claims()
                    .filter(|(_, c)| c.status == *status)
                    .map(|(i, c)| LoggedClaim {
                        claim: ClaimView::new(c, speaker(c), l),
                        briefing: card(i),
                        anchor: format!("claim-{}", c.number),
                    })
                    .collect(),
            })
            .collect();
        ClaimLog {
            only: only.map(|s| s.key()),
            filters,
            groups,
        }
    }
}
