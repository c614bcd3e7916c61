//! Which files an edit may have changed. The preview keeps the `Shape` of the site it last
//! served: for each file, a hash of the model data its view is built from. Comparing that
//! with the new model's shape names the candidates. Candidates only narrow the work: each
//! one is then compared by its exact fingerprint (see `context`), so a candidate that did
//! not change is not rendered, and `Engine::missed` checks that no file outside them
//! changed (the preview tests ask after every edit).
//!
//! A shape is cheap to make for a large site: a briefing's card is hashed once and then
//! recognised by what it was made from, and everything else combines those hashes. It is
//! plain data, so a build keeps the shape of the output it wrote for the next build (see
//! `crate::cache`).

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::Job;
use super::feeds::FEED_ENTRIES;
use super::views::modified;
use crate::content::{Briefing, Prose};
use crate::model::{Entry, Site, Taxon};
use crate::text::hash_of;

/// What the views of a site's files are built from, hashed per file.
#[derive(Default, Serialize, Deserialize)]
pub struct Shape {
    /// What every page receives: the site's name, navigation and settings.
    global: u64,
    /// Per briefing, in site order.
    briefings: Vec<BriefingShape>,
    /// Per home page (from 1): the cards it lists and the topics it names.
    home: Vec<u64>,
    /// Per namespace (0 topics, k + 1 entity kind k, then authors): what its index lists.
    indexes: Vec<u64>,
    /// Per namespace: each taxon by slug.
    taxa: Vec<HashMap<String, TaxonShape>>,
    /// Standalone pages: their URLs and what their bodies link to.
    pages: u64,
    /// Per date archive period, by URL: each page's cards, and the periods around it.
    archive: HashMap<String, Vec<u64>>,
    /// Every briefing's claims, in site order.
    claims: u64,
    /// The names topic intros give their topics, which cards show.
    topic_names: u64,
}

#[derive(Serialize, Deserialize)]
struct BriefingShape {
    /// What it was made from: its file, and the pictures it shows (see `source_print`).
    source: u64,
    /// The paths it makes and links to (see `paths_of`).
    paths: u64,
    /// Whether it attributes claims to a speaker, whose page shows them.
    speaks: bool,
    /// Its URL (the same briefing always has the same URL).
    url: u64,
    /// Everything a list, feed or index shows of it.
    card: u64,
    /// The reasons its related list gives.
    reasons: u64,
    /// Its body; with site links, where they lead.
    prose: u64,
    /// Whether its body has site links, whose targets can move without it changing.
    refs: bool,
    /// What its page shows of its taxa and its neighbours in them.
    taxa_nav: u64,
    /// Its annotated claims, as the claims log shows them.
    claims: u64,
    /// Everything its own page shows.
    page: u64,
}

#[derive(Default, PartialEq, Serialize, Deserialize)]
struct TaxonShape {
    /// Name, summary, aliases, URL, intro and count.
    look: u64,
    /// Its name and URL: what other pages show of it.
    link: u64,
    /// Per page (from 1): the cards it lists.
    pages: Vec<u64>,
    /// The entries of its feed.
    feed: u64,
    /// Every briefing it lists: an entity's "often alongside" is counted from them.
    members: u64,
    /// The paths its intro links to, and whether it has code to highlight.
    links: u64,
}

/// Whether a file is rendered before the page reloads or just after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Pages a reader sees at once: briefings, first pages of lists, feeds.
    Now,
    /// Later pages of long lists, the search index and the sitemaps.
    Later,
}

/// The files an edit may have changed.
#[derive(Debug, Default)]
pub struct Candidates {
    all: bool,
    briefings: HashSet<usize>,
    home: HashSet<usize>,
    indexes: HashSet<usize>,
    /// Per namespace: pages (from 1) of taxa by slug.
    taxon_pages: Vec<HashMap<String, HashSet<usize>>>,
    taxon_feeds: Vec<HashSet<String>>,
    /// Per date archive period, by URL: its pages (from 1).
    archive: HashMap<String, HashSet<usize>>,
    /// Any card changed: the search index and sitemaps may list it differently.
    cards: bool,
    /// Any claim changed: the claims log shows it.
    claims: bool,
    /// The set of files or the links between them changed: check the site again and look
    /// for files no longer made.
    pub structure: bool,
}

/// Combines two hashes into one that depends on both and on their order (a bijective
/// mixer over already well-spread values).
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.rotate_left(23) ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn mix_all(seed: u64, values: impl IntoIterator<Item = u64>) -> u64 {
    values.into_iter().fold(seed, mix)
}

/// Everything any page other than its own shows of a briefing: its card in lists and
/// related lists, its feed and search index entries, its sitemap entry, and the entity
/// lists "often alongside" is counted from.
fn card_print(e: &Entry, names: &TopicNames<'_>) -> u64 {
    let b = &e.briefing;
    let mut h = DefaultHasher::new();
    (&e.url, &b.title, &b.summary, &b.dateline, &b.authors).hash(&mut h);
    (b.draft, b.scheduled, &b.image).hash(&mut h);
    b.date.iso().hash(&mut h);
    modified(b).map(|d| d.iso()).hash(&mut h);
    for c in &b.corrections {
        (c.date.iso(), &c.note).hash(&mut h);
    }
    for t in &b.topics {
        (
            names.get(t.slug.as_str()).unwrap_or(&t.name.as_str()),
            &t.slug,
        )
            .hash(&mut h);
    }
    for (_, terms) in &b.entities {
        for t in terms {
            (&t.name, &t.slug).hash(&mut h);
        }
        0xffu8.hash(&mut h);
    }
    h.finish()
}

/// Topic slug -> the name its intro gives it, which cards show instead of the name a
/// briefing writes.
type TopicNames<'s> = HashMap<&'s str, &'s str>;

fn topic_names(site: &Site) -> TopicNames<'_> {
    (site.topics.iter())
        .filter(|t| t.named)
        .map(|t| (t.slug.as_str(), t.name.as_str()))
        .collect()
}

/// A body, and the URLs its site links resolve to.
fn prose_print(site: &Site, prose: &Prose) -> u64 {
    if prose.refs.is_empty() {
        return prose.fingerprint;
    }
    let mut h = DefaultHasher::new();
    prose.fingerprint.hash(&mut h);
    for r in &prose.refs {
        site.target(&r.target()).hash(&mut h);
    }
    h.finish()
}

/// What an index lists of a taxon, and what its own pages show above their lists.
fn taxon_print(site: &Site, t: &Taxon) -> u64 {
    let mut h = DefaultHasher::new();
    (&t.name, &t.summary, &t.aliases, &t.url, t.briefings.len()).hash(&mut h);
    t.person.hash(&mut h);
    t.prose.as_ref().map(|p| prose_print(site, p)).hash(&mut h);
    h.finish()
}

impl Shape {
    /// The shape of `site`, and the files that may differ from those made for the site
    /// whose shape is `self`. What `self` hashed of briefings both share is reused.
    /// `global` is what every page receives (`Engine::site_print`).
    pub fn next(&self, site: &Site, global: u64) -> (Shape, Candidates) {
        let global = hash_of((global, site.config.paginate));
        let (before, moved) = self.same_briefings(site);
        let known = |i: usize| before[i].map(|j| &self.briefings[j]);
        let names = topic_names(site);
        let topic_names = hash_of(names.iter().collect::<std::collections::BTreeMap<_, _>>());
        // A renamed topic changes the cards of its briefings, edited or not.
        let renamed = topic_names != self.topic_names;
        let cards: Vec<u64> = (site.briefings.par_iter().enumerate())
            .map(|(i, e)| match known(i) {
                Some(s) if !renamed => s.card,
                _ => card_print(e, &names),
            })
            .collect();
        let looks: Vec<Vec<u64>> = site
            .namespaces()
            .map(|taxa| taxa.par_iter().map(|t| taxon_print(site, t)).collect())
            .collect();
        let taxa_nav = taxa_nav_prints(site, &cards);
        let briefings: Vec<BriefingShape> = (site.briefings.par_iter().enumerate())
            .map(|(i, e)| briefing_shape(site, e, known(i), cards[i], taxa_nav[i], &cards))
            .collect();
        let said = said_prints(site, &cards);
        let (indexes, taxa) = taxa_prints(site, &looks, &cards, &said);
        let shape = Shape {
            global,
            claims: mix_all(5, briefings.iter().map(|s| s.claims)),
            briefings,
            home: home_prints(site, &cards),
            indexes,
            taxa,
            pages: pages_print(site),
            archive: archive_prints(site, &cards),
            topic_names,
        };
        let mut candidates = shape.candidates(self, site);
        if !candidates.all {
            candidates.structure |= moved;
            candidates.briefings = (shape.briefings.iter().enumerate())
                .filter(|(i, now)| before[*i].is_none_or(|j| self.briefings[j].page != now.page))
                .map(|(i, _)| i)
                .collect();
        }
        (shape, candidates)
    }

    /// The shape after the briefings at `positions` were replaced by new versions and
    /// nothing else changed, when their cards stayed the same (an edit of their text): then
    /// only their own pages can differ. `None`, with nothing changed, when a card changed.
    pub fn swapped(&mut self, site: &Site, positions: &[usize]) -> Option<Candidates> {
        let names = topic_names(site);
        let changed_card = positions
            .iter()
            .any(|&p| card_print(&site.briefings[p], &names) != self.briefings[p].card);
        if changed_card || self.briefings.len() != site.briefings.len() {
            return None;
        }
        // Claims with a speaker show on the speaker's page too: left to `next`.
        let speaks = positions
            .iter()
            .any(|&p| self.briefings[p].speaks || speaks(&site.briefings[p].briefing));
        if speaks {
            return None;
        }
        let mut c = Candidates::default();
        let cards: Vec<u64> = self.briefings.iter().map(|s| s.card).collect();
        for &p in positions {
            let was = &self.briefings[p];
            c.structure |= was.paths != paths_of(&site.briefings[p].briefing);
            let (card, taxa_nav) = (was.card, was.taxa_nav);
            let now = briefing_shape(site, &site.briefings[p], None, card, taxa_nav, &cards);
            if now.page != was.page {
                c.briefings.insert(p);
            }
            self.briefings[p] = now;
        }
        let claims = mix_all(5, self.briefings.iter().map(|s| s.claims));
        c.claims = claims != self.claims;
        self.claims = claims;
        Some(c)
    }

    /// Whether two shapes hash every file alike (for the preview's self-check).
    pub fn agrees_with(&self, other: &Shape) -> bool {
        let briefings = |s: &Shape| -> Vec<(u64, u64, u64)> {
            s.briefings
                .iter()
                .map(|b| (b.url, b.card, b.page))
                .collect()
        };
        let (mine, theirs) = (
            (
                self.global,
                &self.home,
                &self.indexes,
                self.pages,
                &self.taxa,
            ),
            (
                other.global,
                &other.home,
                &other.indexes,
                other.pages,
                &other.taxa,
            ),
        );
        mine == theirs && briefings(self) == briefings(other)
    }

    /// For each briefing of `site`, the index of the same briefing (made from the same
    /// file and pictures) in this shape; and whether the briefings' URLs, or the paths
    /// their bodies link to, changed (then the site-wide checks run again).
    fn same_briefings(&self, site: &Site) -> (Vec<Option<usize>>, bool) {
        let mut by_print: Option<HashMap<u64, usize>> = None;
        let mut found = Vec::with_capacity(site.briefings.len());
        let mut in_place_edit = false;
        let prints: Vec<u64> = site.briefings.par_iter().map(source_print).collect();
        for (i, e) in site.briefings.iter().enumerate() {
            let at = match self.briefings.get(i) {
                Some(s) if s.source == prints[i] => Some(i),
                // Edited where it was: a new value at the same URL (URLs are unique).
                Some(s) if s.url == hash_of(&e.url) => {
                    in_place_edit = true;
                    None
                }
                _ => by_print
                    .get_or_insert_with(|| {
                        (self.briefings.iter().enumerate())
                            .map(|(j, s)| (s.source, j))
                            .collect()
                    })
                    .get(&prints[i])
                    .copied(),
            };
            found.push(at);
        }
        let changed = self.briefings.len() != site.briefings.len()
            || ((by_print.is_some() || in_place_edit) && self.new_paths(site, &found));
        (found, changed)
    }

    /// Whether the briefings of `site` that this shape does not hold (`found` is `None`)
    /// have other URLs, or link to other paths, than the ones it held that `site` lacks.
    fn new_paths(&self, site: &Site, found: &[Option<usize>]) -> bool {
        if self.briefings.len() != site.briefings.len() {
            return true;
        }
        let mut kept = vec![false; self.briefings.len()];
        found.iter().flatten().for_each(|&j| kept[j] = true);
        let mut gone: HashMap<u64, u64> = (self.briefings.iter().zip(&kept))
            .filter(|(_, kept)| !**kept)
            .map(|(s, _)| (s.url, s.paths))
            .collect();
        let new = (site.briefings.iter().zip(found)).filter(|(_, at)| at.is_none());
        for (e, _) in new {
            match gone.remove(&hash_of(&e.url)) {
                Some(was) if was == paths_of(&e.briefing) => {}
                _ => return true,
            }
        }
        !gone.is_empty()
    }

    /// The lists, taxa and indexes of `site` (whose shape is `self`) that may differ from
    /// those made for the site whose shape is `old`; `next` adds the briefings.
    fn candidates(&self, old: &Shape, site: &Site) -> Candidates {
        if self.global != old.global {
            return Candidates::everything();
        }
        let mut c = Candidates {
            structure: self.pages != old.pages,
            claims: self.claims != old.claims,
            taxon_pages: vec![HashMap::new(); self.taxa.len()],
            taxon_feeds: vec![HashSet::new(); self.taxa.len()],
            ..Candidates::default()
        };
        c.cards = self.briefings.len() != old.briefings.len()
            || self
                .briefings
                .iter()
                .zip(&old.briefings)
                .any(|(a, b)| a.card != b.card);
        for (p, hash) in self.home.iter().enumerate() {
            if old.home.get(p) != Some(hash) {
                c.home.insert(p + 1);
            }
        }
        for (ns, hash) in self.indexes.iter().enumerate() {
            if old.indexes.get(ns) != Some(hash) {
                c.indexes.insert(ns);
            }
        }
        self.archive_candidates(old, &mut c);
        self.taxa_candidates(old, site, &mut c);
        c
    }

    /// The pages of date archives whose hashes differ from `old`'s.
    fn archive_candidates(&self, old: &Shape, c: &mut Candidates) {
        c.structure |= old.archive.len() != self.archive.len();
        for (url, now) in &self.archive {
            let was = old.archive.get(url);
            c.structure |= was.is_none_or(|w| w.len() != now.len());
            let pages: HashSet<usize> = (now.iter().enumerate())
                .filter(|(p, hash)| was.and_then(|w| w.get(*p)) != Some(*hash))
                .map(|(p, _)| p + 1)
                .collect();
            if !pages.is_empty() {
                c.archive.insert(url.clone(), pages);
            }
        }
    }

    /// The pages and feeds of topics and entities whose hashes differ from `old`'s; a
    /// renamed entity also shows on the first page of every entity alongside it.
    fn taxa_candidates(&self, old: &Shape, site: &Site, c: &mut Candidates) {
        let mut renamed = Vec::new();
        for (ns, taxa) in self.taxa.iter().enumerate() {
            c.structure |= old.taxa.get(ns).is_none_or(|m| m.len() != taxa.len());
            for (slug, now) in taxa {
                let was = old.taxa.get(ns).and_then(|m| m.get(slug));
                c.structure |=
                    was.is_none_or(|w| (w.pages.len(), w.links) != (now.pages.len(), now.links));
                let relooked = was.is_none_or(|w| w.look != now.look);
                let mut pages: HashSet<usize> = (now.pages.iter().enumerate())
                    .filter(|(p, hash)| {
                        relooked || was.and_then(|w| w.pages.get(*p)) != Some(*hash)
                    })
                    .map(|(p, _)| p + 1)
                    .collect();
                if was.is_none_or(|w| w.members != now.members) {
                    // An entity's first page counts who appears alongside it.
                    pages.insert(1);
                }
                if relooked || was.is_some_and(|w| w.feed != now.feed) {
                    c.taxon_feeds[ns].insert(slug.clone());
                }
                if was.is_some_and(|w| w.link != now.link) && ns > 0 {
                    renamed.push((ns, slug.as_str()));
                }
                if !pages.is_empty() {
                    c.taxon_pages[ns].insert(slug.clone(), pages);
                }
            }
        }
        for (ns, slug) in renamed {
            for (other_ns, other) in alongside_of(site, ns, slug) {
                if let Some(pages) = c.taxon_pages.get_mut(other_ns) {
                    pages.entry(other).or_default().insert(1);
                }
            }
        }
    }
}

/// Per archive period, by URL: each page's cards, the number of pages, and the periods
/// before and after it.
fn archive_prints(site: &Site, cards: &[u64]) -> HashMap<String, Vec<u64>> {
    let per = site.config.paginate.max(1);
    let mut prints = HashMap::new();
    for (_, periods) in site.archive.spans() {
        for (j, p) in periods.iter().enumerate() {
            let near = |q: Option<&crate::model::archive::Period>| q.map(|q| hash_of(&q.url));
            let later = near(j.checked_sub(1).and_then(|k| periods.get(k)));
            let around = hash_of((later, near(periods.get(j + 1)), p.briefings.len()));
            let shown: Vec<u64> = p.briefings.iter().map(|&i| cards[i]).collect();
            let pages = paged_prints(&shown, per, around);
            prints.insert(p.url.clone(), pages);
        }
    }
    prints
}

/// Per home page: the cards it lists, how many pages there are, and the topics it names.
fn home_prints(site: &Site, cards: &[u64]) -> Vec<u64> {
    let per = site.config.paginate.max(1);
    let top = mix_all(
        0,
        super::pages::top_topics(site)
            .iter()
            .map(|t| taxon_print(site, t)),
    );
    paged_prints(cards, per, top)
}

/// Per page of a list of `per` to a page, whose cards are `shown`: the cards on it, how
/// many pages there are, and `seed` (what every page of the list shows besides).
fn paged_prints(shown: &[u64], per: usize, seed: u64) -> Vec<u64> {
    let total = shown.len().div_ceil(per).max(1);
    (0..total)
        .map(|p| {
            let page = shown.iter().skip(p * per).take(per).copied();
            mix_all(mix(total as u64, seed), page)
        })
        .collect()
}

/// Per namespace: what its index lists, and the shape of each taxon by slug.
fn taxa_prints(
    site: &Site,
    looks: &[Vec<u64>],
    cards: &[u64],
    said: &HashMap<&str, u64>,
) -> (Vec<u64>, Vec<HashMap<String, TaxonShape>>) {
    let mut indexes = Vec::new();
    let mut taxa = Vec::new();
    for (ns, list) in site.namespaces().enumerate() {
        indexes.push(mix_all(ns as u64, looks[ns].iter().copied()));
        let shapes = list
            .iter()
            .zip(&looks[ns])
            .map(|(t, &look)| {
                let said = said.get(t.url.as_str()).copied().unwrap_or(0);
                (t.slug.clone(), taxon_shape(site, t, look, cards, said))
            })
            .collect();
        taxa.push(shapes);
    }
    (indexes, taxa)
}

/// What the shape keeps of briefing `e`, reusing what was hashed of it when it is `known`.
fn briefing_shape(
    site: &Site,
    e: &Entry,
    known: Option<&BriefingShape>,
    card: u64,
    taxa_nav: u64,
    cards: &[u64],
) -> BriefingShape {
    let reasons = reasons(&e.related);
    let (prose, refs) = match known {
        Some(s) if !s.refs => (s.prose, false),
        _ => {
            let p = &e.briefing.prose;
            (prose_print(site, p), !p.refs.is_empty())
        }
    };
    let (source, paths) = match known {
        Some(s) => (s.source, s.paths),
        None => (source_print(e), paths_of(&e.briefing)),
    };
    let shown = (e.related.iter().map(|r| cards[r.index]))
        .chain(e.backlinks.iter().map(|&j| mix(cards[j], 1)));
    let page = mix_all(mix(mix(source, card), taxa_nav), shown);
    let claims = known.map_or_else(|| claims_print(&e.briefing.prose), |s| s.claims);
    BriefingShape {
        claims,
        source,
        paths,
        speaks: speaks(&e.briefing),
        url: known.map_or_else(|| hash_of(&e.url), |s| s.url),
        card,
        reasons,
        prose,
        refs,
        taxa_nav,
        page: mix(mix(page, reasons), prose),
    }
}

/// Per briefing, what its page shows of its taxa: each topic's name and URL with the
/// newer and older briefing in it, and each entity's URL (its name comes from the briefing).
fn taxa_nav_prints(site: &Site, cards: &[u64]) -> Vec<u64> {
    let mut taxa_nav = vec![0u64; site.briefings.len()];
    for t in &site.topics {
        let link = hash_of((&t.name, &t.url));
        for (pos, &i) in t.briefings.iter().enumerate() {
            let newer = pos.checked_sub(1).map_or(0, |p| cards[t.briefings[p]]);
            let older = t.briefings.get(pos + 1).map_or(0, |&p| cards[p]);
            taxa_nav[i] = taxa_nav[i].wrapping_add(mix(mix(link, newer), older));
        }
    }
    for (k, kind) in site.kinds.iter().enumerate() {
        for t in &kind.taxa {
            let link = hash_of((k, &t.url));
            for &i in &t.briefings {
                taxa_nav[i] = taxa_nav[i].wrapping_add(link);
            }
        }
    }
    // A claim's speaker is shown by the name of their page.
    let mut names: Option<HashMap<&str, &str>> = None;
    for (i, e) in site.briefings.iter().enumerate() {
        for c in &e.briefing.prose.claims {
            let Some((kind, slug)) = &c.by else {
                continue;
            };
            let names = names.get_or_insert_with(|| {
                (site.kinds.iter().flat_map(|k| &k.taxa))
                    .map(|t| (t.url.as_str(), t.name.as_str()))
                    .collect()
            });
            let kind = crate::markdown::RefKind::Entity(kind.clone());
            let url = site.target(&crate::markdown::Target::new(kind, slug.as_str()));
            let name = url.and_then(|u| names.get(u));
            taxa_nav[i] = taxa_nav[i].wrapping_add(hash_of((url, name)));
        }
    }
    taxa_nav
}

/// Per entity URL: the claims attributed to it and the cards of the briefings making them.
fn said_prints<'s>(site: &'s Site, cards: &[u64]) -> HashMap<&'s str, u64> {
    let mut said: HashMap<&str, u64> = HashMap::new();
    for (i, e) in site.briefings.iter().enumerate() {
        for c in &e.briefing.prose.claims {
            let Some((kind, slug)) = &c.by else {
                continue;
            };
            let kind = crate::markdown::RefKind::Entity(kind.clone());
            if let Some(url) = site.target(&crate::markdown::Target::new(kind, slug.as_str())) {
                let claim = hash_of((c.number, c.status.key(), &c.note, &c.text));
                let h = said.entry(url).or_default();
                *h = mix(mix(*h, cards[i]), claim);
            }
        }
    }
    said
}

/// `said`: what the claims attributed to it hash to (see `said_prints`).
fn taxon_shape(site: &Site, t: &Taxon, look: u64, cards: &[u64], said: u64) -> TaxonShape {
    let per = site.config.paginate.max(1);
    let shown: Vec<u64> = t.briefings.iter().map(|&i| cards[i]).collect();
    let pages = paged_prints(&shown, per, 0);
    let feed = mix_all(2, t.briefings.iter().take(FEED_ENTRIES).map(|&i| cards[i]));
    let members = mix_all(mix(3, said), t.briefings.iter().map(|&i| cards[i]));
    TaxonShape {
        look,
        link: hash_of((&t.name, &t.url)),
        pages,
        feed,
        members,
        links: t.prose.as_ref().map_or(0, paths_print),
    }
}

/// The entities that appear in a briefing with entity `slug` of namespace `ns`.
fn alongside_of(site: &Site, ns: usize, slug: &str) -> HashSet<(usize, String)> {
    let Some(taxon) = ns
        .checked_sub(1)
        .and_then(|k| site.kinds.get(k))
        .and_then(|k| k.taxa.iter().find(|t| t.slug == slug))
    else {
        return HashSet::new();
    };
    let mut others = HashSet::new();
    for &i in &taxon.briefings {
        for (k, (_, terms)) in site.briefings[i].briefing.entities.iter().enumerate() {
            others.extend(terms.iter().map(|t| (k + 1, t.slug.clone())));
        }
    }
    others
}

/// The paths a body links to, and whether it has code to highlight (which makes a file).
fn paths_print(prose: &Prose) -> u64 {
    let mut h = DefaultHasher::new();
    (prose.highlighted, &prose.pictures).hash(&mut h);
    for link in &prose.local_links {
        link.path.hash(&mut h);
    }
    h.finish()
}

/// The paths a briefing links to and makes: its body's (see `paths_print`) and its old
/// addresses.
fn paths_of(b: &Briefing) -> u64 {
    let aliases = hash_of(b.aliases.iter().map(|x| &x.value).collect::<Vec<_>>());
    mix(paths_print(&b.prose), aliases)
}

/// What a briefing's own page is made from: its file as written (`Prose::fingerprint`
/// hashes the whole file), where it is, the pictures it shows, whose sizes are read from
/// their files, and its topics, authors and entities, which profiles and intros rename. An
/// edited file is a new briefing.
fn source_print(e: &Entry) -> u64 {
    let b = &e.briefing;
    let made = (b.prose.fingerprint, &b.path, &b.image, &b.prose.pictures);
    hash_of((made, &b.entities, &b.authors, &b.topics))
}

/// Whether a briefing attributes a claim to someone, whose page then shows it.
fn speaks(b: &Briefing) -> bool {
    b.prose.claims.iter().any(|c| c.by.is_some())
}

/// Standalone pages' URLs and the paths their bodies link to.
fn pages_print(site: &Site) -> u64 {
    mix_all(
        4,
        (site.pages.iter()).map(|p| mix(hash_of(&p.url), paths_print(&p.page.prose))),
    )
}

/// A body's claims: status, note and words, in reading order.
fn claims_print(prose: &Prose) -> u64 {
    let mut h = DefaultHasher::new();
    for c in &prose.claims {
        (c.number, c.status.key(), &c.note, &c.text, &c.by).hash(&mut h);
    }
    h.finish()
}

/// The reasons a related list gives, in order.
fn reasons(related: &[crate::model::related::Related]) -> u64 {
    let mut h = DefaultHasher::new();
    for r in related {
        r.reason.hash(&mut h);
    }
    h.finish()
}

impl Candidates {
    pub fn everything() -> Candidates {
        Candidates {
            all: true,
            cards: true,
            structure: true,
            ..Candidates::default()
        }
    }

    /// How many candidates of each kind, for timings.
    pub fn summary(&self) -> String {
        let taxon_pages: usize = (self.taxon_pages.iter())
            .flat_map(|m| m.values())
            .map(HashSet::len)
            .sum();
        format!(
            "candidates: {} briefings, {} home pages, {} taxon pages{}",
            self.briefings.len(),
            self.home.len(),
            taxon_pages,
            if self.structure { ", site checks" } else { "" }
        )
    }

    pub fn is_everything(&self) -> bool {
        self.all
    }

    /// Whether any briefing's page may have changed, or briefings came or went: what a
    /// search index is made from.
    pub fn briefing_pages(&self) -> bool {
        self.all || self.structure || !self.briefings.is_empty()
    }

    /// Makes every briefing's page a candidate (a search index is made from all of them).
    pub fn with_every_briefing(mut self, site: &Site) -> Candidates {
        self.briefings.extend(0..site.briefings.len());
        self
    }

    /// Adds `other`'s candidates to these.
    pub fn merge(&mut self, other: Candidates) {
        self.all |= other.all;
        self.cards |= other.cards;
        self.claims |= other.claims;
        self.structure |= other.structure;
        self.briefings.extend(other.briefings);
        self.home.extend(other.home);
        self.indexes.extend(other.indexes);
        grow(&mut self.taxon_feeds, other.taxon_feeds.len());
        for (mine, theirs) in self.taxon_feeds.iter_mut().zip(other.taxon_feeds) {
            mine.extend(theirs);
        }
        for (url, pages) in other.archive {
            self.archive.entry(url).or_default().extend(pages);
        }
        grow(&mut self.taxon_pages, other.taxon_pages.len());
        for (mine, theirs) in self.taxon_pages.iter_mut().zip(other.taxon_pages) {
            for (slug, pages) in theirs {
                mine.entry(slug).or_default().extend(pages);
            }
        }
    }

    /// Whether `job` is a candidate, and when it renders.
    pub(super) fn when(&self, job: &Job<'_>) -> Option<When> {
        let page_when = |page: usize| if page == 1 { When::Now } else { When::Later };
        if self.all {
            return Some(if job.is_deferred() {
                When::Later
            } else {
                When::Now
            });
        }
        match job {
            Job::Home { page, .. } => self.home.contains(page).then(|| page_when(*page)),
            Job::Briefing(i) | Job::Redirect { briefing: i, .. } => {
                self.briefings.contains(i).then_some(When::Now)
            }
            Job::TaxonIndex(ns) => self.indexes.contains(ns).then_some(When::Now),
            Job::Taxon {
                ns, taxon, page, ..
            } => (self.taxon_pages.get(*ns))
                .and_then(|m| m.get(taxon.slug.as_str()))
                .is_some_and(|pages| pages.contains(page))
                .then(|| page_when(*page)),
            Job::TaxonFeed { ns, taxon } => (self.taxon_feeds.get(*ns))
                .is_some_and(|m| m.contains(taxon.slug.as_str()))
                .then_some(When::Now),
            Job::Archive { period, page, .. } => (self.archive.get(&period.url))
                .is_some_and(|pages| pages.contains(page))
                .then(|| page_when(*page)),
            Job::Corrections | Job::CorrectionsFeed => self.cards.then_some(When::Now),
            Job::Claims(_) => (self.cards || self.claims).then_some(When::Now),
            // Few, small, and showing what many edits change: always compared. The news
            // sitemap changes with the clock too.
            Job::NewsSitemap => Some(When::Later),
            Job::Page(_)
            | Job::Search
            | Job::NotFound
            | Job::Robots
            | Job::SiteFeed
            | Job::HighlightCss
            | Job::Picture { .. } => Some(When::Now),
            Job::Sitemap | Job::SitemapPart(_) => {
                (self.cards || self.structure).then_some(When::Later)
            }
        }
    }
}

fn grow<T: Default>(v: &mut Vec<T>, len: usize) {
    if v.len() < len {
        v.resize_with(len, T::default);
    }
}
