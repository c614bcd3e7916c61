//! What each part of the model that a view reads (a `kinds::Read`) hashes to. A shape
//! (see `candidates`) combines these into one print per file; a file whose print changed
//! is a candidate. A briefing's card and page are hashed once per edit and reused.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use super::kinds::Read;
use super::views::modified;
use crate::content::{Briefing, Prose};
use crate::model::{Entry, Site, Taxon};
use crate::text::{hash_of, mix, mix_all};

/// The hashes of what views read, for one version of a site. What only some files read
/// is worked out when first asked for.
pub(super) struct Facets<'s> {
    site: &'s Site,
    /// Per briefing: its card, and its own page.
    cards: Vec<u64>,
    pages: Vec<u64>,
    every_card: u64,
    every_claim: u64,
    /// Per briefing: the names and URLs of its entities, whom an entity's page lists
    /// alongside it.
    beside: OnceLock<Vec<u64>>,
    /// Per entity URL: the claims attributed to it.
    said: OnceLock<HashMap<&'s str, u64>>,
    top_topics: OnceLock<u64>,
    /// Every file and the paths bodies link to (see `Shape`).
    pub(super) files: u64,
}

impl<'s> Facets<'s> {
    /// `cards`, `pages` and `claims` (see `claims_print`) per briefing; `files` as the
    /// shape has it.
    pub(super) fn new(
        site: &'s Site,
        cards: Vec<u64>,
        pages: Vec<u64>,
        claims: &[u64],
        files: u64,
    ) -> Self {
        Facets {
            every_card: mix_all(1, cards.iter().copied()),
            every_claim: mix_all(5, claims.iter().copied()),
            beside: OnceLock::new(),
            said: OnceLock::new(),
            top_topics: OnceLock::new(),
            cards,
            pages,
            site,
            files,
        }
    }

    /// One hash of everything in `reads`, in order.
    pub(super) fn print(&self, reads: &[Read<'_>]) -> u64 {
        mix_all(7, reads.iter().map(|r| self.hash(r)))
    }

    pub(super) fn hash(&self, read: &Read<'_>) -> u64 {
        let cards =
            |list: &mut dyn Iterator<Item = usize>| mix_all(11, list.map(|i| self.cards[i]));
        match read {
            Read::Page(i) => mix(1, self.pages[*i]),
            Read::Card(i) => mix(2, self.cards[*i]),
            Read::Cards(list) => cards(&mut list.iter().copied()),
            Read::Newest(range) => cards(&mut range.clone()),
            Read::Count(n) => mix(3, *n as u64),
            Read::Url(url) => mix(4, hash_of(url)),
            Read::Look(t) => mix(5, taxon_print(self.site, t)),
            Read::Alongside(t) => {
                let beside = self.beside.get_or_init(|| beside_prints(self.site));
                mix_all(6, t.briefings.iter().map(|&i| beside[i]))
            }
            Read::Said(t) => {
                let said = self
                    .said
                    .get_or_init(|| said_prints(self.site, &self.cards));
                mix(7, said.get(t.url.as_str()).copied().unwrap_or(0))
            }
            Read::TopTopics => mix(8, *self.top_topics.get_or_init(|| top_topics(self.site))),
            Read::AllCards => mix(9, self.every_card),
            Read::AllClaims => mix(10, self.every_claim),
            Read::Files => mix(12, self.files),
            Read::Translations(i) => mix(13, hash_of(self.site.languages.briefings.get(i))),
            Read::ListAlternates(url) => mix(14, hash_of(self.site.languages.list_alternates(url))),
            Read::AllAlternates => mix(15, self.site.languages.print()),
        }
    }
}

/// One print of the hashes of a file's reads, in order (as `Facets::print` makes it).
pub(super) fn combine(hashes: &[u64]) -> u64 {
    mix_all(7, hashes.iter().copied())
}

/// The most active topics, as the home page names them.
fn top_topics(site: &Site) -> u64 {
    mix_all(
        0,
        (super::pages::top_topics(site).iter()).map(|t| taxon_print(site, t)),
    )
}

/// Per briefing: the kind, name and URL of each of its entities (in no particular order).
fn beside_prints(site: &Site) -> Vec<u64> {
    let mut beside = vec![0u64; site.briefings.len()];
    for (k, kind) in site.kinds.iter().enumerate() {
        for t in &kind.taxa {
            let link = mix(k as u64, hash_of((&t.name, &t.url)));
            for &i in &t.briefings {
                beside[i] = beside[i].wrapping_add(link);
            }
        }
    }
    beside
}

/// What a briefing's own page shows besides its file and card: its taxa and neighbours in
/// them (`taxa_nav`), its related list and its backlinks, as cards, with the reasons given.
pub(super) fn page_print(e: &Entry, shape: (u64, u64, u64), taxa_nav: u64, cards: &[u64]) -> u64 {
    let (source, card, prose) = shape;
    let shown = (e.related.iter().map(|r| cards[r.index]))
        .chain(e.backlinks.iter().map(|&j| mix(cards[j], 1)));
    let page = mix_all(mix(mix(source, card), taxa_nav), shown);
    mix(mix(page, reasons(&e.related)), prose)
}

/// Everything any page other than its own shows of a briefing: its card in lists and
/// related lists, its feed and search index entries, its sitemap entry, and the entity
/// lists "often alongside" is counted from.
pub(super) fn card_print(e: &Entry, outside: &Outside<'_>) -> u64 {
    let b = &e.briefing;
    let mut h = DefaultHasher::new();
    (&e.url, &b.title, &b.summary, &b.dateline, &b.authors).hash(&mut h);
    // Cards show the reading time, which most edits of a body leave as it was.
    let minutes = crate::text::reading_minutes(b.words);
    (b.draft, b.scheduled, &b.image, minutes).hash(&mut h);
    b.date.iso().hash(&mut h);
    modified(b).map(|d| d.iso()).hash(&mut h);
    for c in &b.corrections {
        (c.date.iso(), &c.note).hash(&mut h);
    }
    for t in &b.topics {
        (
            outside
                .names
                .get(t.slug.as_str())
                .unwrap_or(&t.name.as_str()),
            &t.slug,
        )
            .hash(&mut h);
    }
    for t in &b.authors {
        outside.photos.get(t.slug.as_str()).hash(&mut h);
    }
    for (_, terms) in &b.entities {
        for t in terms {
            (&t.name, &t.slug).hash(&mut h);
        }
        0xffu8.hash(&mut h);
    }
    h.finish()
}

/// What a card shows that its briefing does not say: the names topic intros give their
/// topics (shown instead of the names briefings write), and authors' photos from their
/// profiles.
pub(super) struct Outside<'s> {
    names: HashMap<&'s str, &'s str>,
    photos: HashMap<&'s str, &'s crate::picture::Picture>,
}

impl<'s> Outside<'s> {
    pub(super) fn of(site: &'s Site) -> Outside<'s> {
        let names = (site.topics.iter())
            .filter(|t| t.named)
            .map(|t| (t.slug.as_str(), t.name.as_str()))
            .collect();
        let photos = (site.authors.iter())
            .filter_map(|a| Some((a.slug.as_str(), a.person.as_ref()?.image.as_ref()?)))
            .collect();
        Outside { names, photos }
    }

    /// A print of all of it: when it changes, every card is hashed again.
    pub(super) fn print(&self) -> u64 {
        use std::collections::BTreeMap;
        let names: BTreeMap<_, _> = self.names.iter().collect();
        let photos: BTreeMap<_, _> = self.photos.iter().collect();
        crate::text::hash_of((names, photos))
    }
}

/// A body, and the URLs its site links resolve to.
pub(super) fn prose_print(site: &Site, prose: &Prose) -> u64 {
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

/// Per briefing, what its page shows of its taxa: each topic's name and URL with the
/// newer and older briefing in it, and each entity's URL (its name comes from the briefing).
pub(super) fn taxa_nav_prints(site: &Site, cards: &[u64]) -> Vec<u64> {
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

/// The paths a body links to, and whether it has code to highlight (which makes a file).
pub(super) fn paths_print(prose: &Prose) -> u64 {
    let mut h = DefaultHasher::new();
    (prose.highlighted, &prose.pictures).hash(&mut h);
    for link in &prose.local_links {
        link.path.hash(&mut h);
    }
    h.finish()
}

/// The paths a briefing links to and makes: its body's (see `paths_print`) and its old
/// addresses.
pub(super) fn paths_of(b: &Briefing) -> u64 {
    let aliases = hash_of(b.aliases.iter().map(|x| &x.value).collect::<Vec<_>>());
    mix(paths_print(&b.prose), aliases)
}

/// What a briefing's own page is made from: its file as written (`Prose::fingerprint`
/// hashes the whole file), where it is, the pictures it shows, whose sizes are read from
/// their files, and its topics, authors and entities, which profiles and intros rename. An
/// edited file is a new briefing.
pub(super) fn source_print(e: &Entry) -> u64 {
    let b = &e.briefing;
    let made = (b.prose.fingerprint, &b.path, &b.image, &b.prose.pictures);
    hash_of((made, &b.entities, &b.authors, &b.topics))
}

/// Standalone pages' URLs and the paths their bodies link to.
pub(super) fn pages_print(site: &Site) -> u64 {
    mix_all(
        4,
        (site.pages.iter()).map(|p| mix(hash_of(&p.url), paths_print(&p.page.prose))),
    )
}

/// A body's claims: status, note and words, in reading order.
pub(super) fn claims_print(prose: &Prose) -> u64 {
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
