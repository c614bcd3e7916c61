//! Fingerprints of each output file's inputs, computed from the model without rendering.
//! A preview re-renders a file only when its fingerprint changes, so an edit to one briefing
//! re-renders that briefing, the lists and feeds that show it and the briefings whose related
//! or backlink lists change, and nothing else.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::OnceLock;

use super::feeds::FEED_ENTRIES;
use super::views::modified;
use super::{Job, Renderer};
use crate::content::Briefing;
use crate::model::Taxon;
use crate::render::theme::Origin;

pub struct Printer<'r, 'a> {
    r: &'r Renderer<'a>,
    /// What every page shows: configuration and navigation.
    global: u64,
    /// Per briefing: everything a list, feed or related entry shows of it.
    cards: Vec<u64>,
    /// Per briefing: its entity lists, which "often alongside" counts.
    entities: Vec<u64>,
    memo: &'r Memo,
    /// Rankings computed because the memo had none for the entity lists as they are.
    ranked: std::sync::Mutex<Vec<Ranked>>,
    /// All briefings and taxa together, for the files that list everything.
    everything: OnceLock<u64>,
    /// URLs and last changes only, for the sitemap.
    locations: OnceLock<u64>,
    topics: std::collections::HashMap<&'a str, &'a Taxon>,
    /// The topics the home pages show.
    top_topics: u64,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// A static file's identity: embedded bytes are fixed; a file changes with its size or time.
pub fn of_static(origin: &Origin) -> u64 {
    match origin {
        Origin::Embedded(bytes) => hash_of(bytes),
        Origin::File { path, .. } => {
            let meta = std::fs::metadata(path).ok();
            hash_of((
                path,
                meta.as_ref().map(|m| m.len()),
                meta.and_then(|m| m.modified().ok()),
            ))
        }
    }
}

/// What one comparison learnt that the next can reuse. Card hashes by briefing: a
/// briefing that is the same (the same shared value, at the same URL) has the same card;
/// holding the briefing keeps its address from being reused by another. And each entity
/// page's "often alongside" ranking, with the hash of the entity lists it was counted from.
#[derive(Debug, Default, Clone)]
pub struct Memo {
    cards: HashMap<usize, Remembered>,
    alongside: HashMap<(usize, String), (u64, Ranking)>,
}

/// A briefing's card hash and entity-list hash, while it stays the same at the same URL.
#[derive(Debug, Clone)]
struct Remembered {
    briefing: Arc<Briefing>,
    url: u64,
    card: u64,
    entities: u64,
}

/// Entities ranked by how often they appear alongside one: (kind, slug, count).
type Ranking = Vec<(usize, String, usize)>;

/// An entity page's ranking, by (kind, slug), with the hash of the lists it was counted from.
type Ranked = ((usize, String), (u64, Ranking));

/// What a comparison computed that its memo did not hold yet.
pub struct Learnt {
    cards: Vec<u64>,
    entities: Vec<u64>,
    alongside: Vec<Ranked>,
}

impl Memo {
    fn get(&self, e: &crate::model::Entry) -> Option<&Remembered> {
        let r = self.cards.get(&key(e))?;
        (Arc::ptr_eq(&r.briefing, &e.briefing) && r.url == hash_of(&e.url)).then_some(r)
    }

    /// This memo with what a comparison of `site` learnt. Entries of briefings and pages
    /// no longer in the site are dropped once they outnumber the site's.
    pub fn updated(mut self, site: &crate::model::Site, learnt: Learnt) -> Memo {
        if self.cards.len() > 2 * site.briefings.len() + 64 {
            self.cards.clear();
        }
        for ((e, &card), &entities) in site
            .briefings
            .iter()
            .zip(&learnt.cards)
            .zip(&learnt.entities)
        {
            if self
                .get(e)
                .is_none_or(|r| r.card != card || r.entities != entities)
            {
                let remembered = Remembered {
                    briefing: e.briefing.clone(),
                    url: hash_of(&e.url),
                    card,
                    entities,
                };
                self.cards.insert(key(e), remembered);
            }
        }
        let taxa: usize = site.kinds.iter().map(|k| k.taxa.len()).sum();
        if self.alongside.len() > 2 * taxa + 64 {
            self.alongside.clear();
        }
        self.alongside.extend(learnt.alongside);
        self
    }
}

fn key(e: &crate::model::Entry) -> usize {
    Arc::as_ptr(&e.briefing) as usize
}

/// Everything a list, feed or related entry shows of a briefing.
fn card(e: &crate::model::Entry) -> u64 {
    let b = &e.briefing;
    let mut h = DefaultHasher::new();
    (&e.url, &b.title, &b.summary, &b.dateline, &b.authors).hash(&mut h);
    (b.draft, b.scheduled).hash(&mut h);
    (b.date.timestamp(), b.date.offset.map(|o| o.seconds())).hash(&mut h);
    modified(b).map(|d| d.timestamp()).hash(&mut h);
    for t in &b.topics {
        (&t.name, &t.slug).hash(&mut h);
    }
    for (_, terms) in &b.entities {
        for t in terms {
            (&t.name, &t.slug).hash(&mut h);
        }
    }
    h.finish()
}

impl<'r, 'a> Printer<'r, 'a> {
    /// Fingerprints for the site `r` renders, reusing what `memo` learnt last time.
    pub fn new(r: &'r Renderer<'a>, memo: &'r Memo) -> Self {
        let site = r.site;
        let c = &site.config;
        let mut h = DefaultHasher::new();
        (
            &c.title,
            &c.description,
            &c.language,
            &c.base_url,
            c.paginate,
        )
            .hash(&mut h);
        for k in &site.kinds {
            (&k.kind.key, &k.kind.label).hash(&mut h);
        }
        for p in &site.pages {
            (&p.url, &p.page.title).hash(&mut h);
        }
        let global = h.finish();
        let (cards, entities): (Vec<u64>, Vec<u64>) = site
            .briefings
            .iter()
            .map(|e| match memo.get(e) {
                Some(r) => (r.card, r.entities),
                None => (card(e), hash_of(&e.briefing.entities)),
            })
            .unzip();

        let topics = site.topics.iter().map(|t| (t.slug.as_str(), t)).collect();
        let mut h = DefaultHasher::new();
        for t in super::pages::top_topics(site) {
            let fields = (&t.name, &t.summary, &t.aliases, &t.url, t.briefings.len());
            fields.hash(&mut h);
        }
        let top_topics = h.finish();
        Printer {
            r,
            top_topics,
            global,
            cards,
            entities,
            memo,
            ranked: std::sync::Mutex::new(Vec::new()),
            everything: OnceLock::new(),
            locations: OnceLock::new(),
            topics,
        }
    }

    /// What this comparison learnt, for the memo of the next.
    pub fn learnt(self) -> Learnt {
        Learnt {
            cards: self.cards,
            entities: self.entities,
            alongside: self.ranked.into_inner().unwrap_or_else(|p| p.into_inner()),
        }
    }

    /// "Often alongside" on entity `taxon`'s page (kind `k`) as the page shows it: names and
    /// counts. The ranking is counted again only when the entity lists it comes from changed.
    fn alongside(&self, h: &mut DefaultHasher, k: usize, taxon: &Taxon) {
        let mut inputs = DefaultHasher::new();
        for &i in &taxon.briefings {
            self.entities[i].hash(&mut inputs);
        }
        let inputs = inputs.finish();
        let key = (k, taxon.slug.clone());
        let fresh;
        let ranking = match self.memo.alongside.get(&key) {
            Some((was, ranking)) if *was == inputs => ranking,
            _ => {
                fresh = self.r.alongside_ranked(k, taxon);
                if let Ok(mut ranked) = self.ranked.lock() {
                    ranked.push((key, (inputs, fresh.clone())));
                }
                &fresh
            }
        };
        for t in self.r.alongside_links(ranking) {
            (t.name, t.url, t.count).hash(h);
        }
    }

    /// What the search index lists: every card and every taxon.
    fn everything(&self) -> u64 {
        *self.everything.get_or_init(|| {
            let site = self.r.site;
            let mut h = DefaultHasher::new();
            self.cards.hash(&mut h);
            for t in site
                .topics
                .iter()
                .chain(site.kinds.iter().flat_map(|k| &k.taxa))
            {
                (&t.url, &t.name, t.briefings.len()).hash(&mut h);
            }
            h.finish()
        })
    }

    /// What the sitemaps list: URLs and last changes.
    fn locations(&self) -> u64 {
        *self.locations.get_or_init(|| {
            let site = self.r.site;
            let mut h = DefaultHasher::new();
            for e in &site.briefings {
                (
                    &e.url,
                    modified(&e.briefing).map(|d| d.timestamp()),
                    e.briefing.date.timestamp(),
                )
                    .hash(&mut h);
            }
            for t in site
                .topics
                .iter()
                .chain(site.kinds.iter().flat_map(|k| &k.taxa))
            {
                t.url.hash(&mut h);
                t.briefings.first().hash(&mut h);
            }
            h.finish()
        })
    }

    fn list(&self, h: &mut DefaultHasher, indexes: impl Iterator<Item = usize>) {
        for i in indexes {
            self.cards[i].hash(h);
        }
    }

    /// The URLs a body's site links resolve to.
    fn targets(&self, h: &mut DefaultHasher, prose: &crate::content::Prose) {
        prose.fingerprint.hash(h);
        for r in &prose.refs {
            self.r.site.target(&r.target()).hash(h);
        }
    }

    fn taxon(&self, h: &mut DefaultHasher, t: &Taxon) {
        (&t.name, &t.summary, &t.aliases, &t.url, t.briefings.len()).hash(h);
    }

    pub fn job(&self, job: &Job<'_>) -> u64 {
        let site = self.r.site;
        let per = site.config.paginate;
        let mut h = DefaultHasher::new();
        self.global.hash(&mut h);
        std::mem::discriminant(job).hash(&mut h);
        match job {
            Job::Home { page, total } => {
                (page, total).hash(&mut h);
                self.list(
                    &mut h,
                    (0..site.briefings.len()).skip((page - 1) * per).take(per),
                );
                self.top_topics.hash(&mut h);
            }
            Job::Briefing(i) => {
                let e = &site.briefings[*i];
                self.cards[*i].hash(&mut h);
                e.briefing.path.hash(&mut h);
                self.targets(&mut h, &e.briefing.prose);
                for r in &e.related {
                    (self.cards[r.index], &r.reason).hash(&mut h);
                }
                self.list(&mut h, e.backlinks.iter().copied());
                for t in &e.briefing.topics {
                    if let Some(taxon) = self.topics.get(t.slug.as_str()) {
                        taxon.name.hash(&mut h);
                        if let Ok(pos) = taxon.briefings.binary_search(i) {
                            pos.checked_sub(1)
                                .map(|p| self.cards[taxon.briefings[p]])
                                .hash(&mut h);
                            taxon
                                .briefings
                                .get(pos + 1)
                                .map(|&p| self.cards[p])
                                .hash(&mut h);
                        }
                    }
                }
            }
            Job::TopicIndex => {
                for t in &site.topics {
                    self.taxon(&mut h, t);
                }
            }
            Job::KindIndex(k) => {
                for t in &site.kinds[*k].taxa {
                    self.taxon(&mut h, t);
                }
            }
            Job::Taxon {
                kind,
                taxon,
                page,
                total,
            } => {
                (kind, page, total).hash(&mut h);
                self.taxon(&mut h, taxon);
                if let Some(p) = &taxon.prose {
                    self.targets(&mut h, p);
                }
                self.list(
                    &mut h,
                    taxon
                        .briefings
                        .iter()
                        .copied()
                        .skip((page - 1) * per)
                        .take(per),
                );
                if let (Some(k), 1) = (kind, page) {
                    self.alongside(&mut h, *k, taxon);
                }
            }
            Job::Page(i) => self.targets(&mut h, &site.pages[*i].page.prose),
            Job::SiteFeed => self.list(&mut h, 0..site.briefings.len().min(FEED_ENTRIES)),
            Job::TaxonFeed { taxon, .. } => {
                self.taxon(&mut h, taxon);
                self.list(&mut h, taxon.briefings.iter().copied().take(FEED_ENTRIES));
            }
            Job::SearchIndex => self.everything().hash(&mut h),
            Job::Sitemap | Job::SitemapPart(_) => self.locations().hash(&mut h),
            Job::Search | Job::NotFound | Job::Robots | Job::HighlightCss => {}
        }
        h.finish()
    }
}
