//! Which files an edit may have changed. A `Shape` keeps, for each file of the site, a
//! print: one hash of everything its view reads, as its kind declares (`kinds::Job::reads`,
//! hashed by `facets`). Comparing the prints of two versions of a site names the
//! candidates; nothing about a file's view is repeated here. Candidates only narrow the
//! work: each one is then compared by its exact fingerprint (see `context`), and
//! `Engine::missed` checks that no file outside them changed (the preview tests ask after
//! every edit).
//!
//! A shape is plain data, so a build keeps the shape of the output it wrote for the next
//! build (see `crate::cache`). It is cheap to make for a large site: what was hashed of a
//! briefing whose file did not change is reused.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::facets::{self, Facets};
use super::kinds::{Job, Read, each_job};
use crate::content::Briefing;
use crate::model::{Entry, Site};
use crate::text::{FastMap, hash_of, mix, mix_all};

/// What the views of a site's files are made from, hashed per file.
#[derive(Default, Serialize, Deserialize)]
pub struct Shape {
    /// What every page receives: the site's name, navigation and settings.
    global: u64,
    /// What was hashed of each briefing, in site order, to reuse for the same file.
    briefings: Vec<BriefingShape>,
    /// What cards show that their briefings do not say (`facets::Outside`).
    outside: u64,
    /// Each file's print, by the file's key (`Job::key`). Files compared on every edit
    /// have none.
    prints: FastMap<u64, u64>,
    /// Every file, and the paths bodies link to: when this changes, the site-wide checks
    /// run again.
    files: u64,
    /// The briefings themselves, in site order, held so that the same briefing in the next
    /// version of the site is known without hashing it (a shape read back from the cache
    /// has none).
    #[serde(skip)]
    held: Vec<Arc<Briefing>>,
    /// Who reads what a swap can change, once a swap asked (see `Readers`).
    #[serde(skip)]
    readers: Option<Readers>,
}

#[derive(Clone, Serialize, Deserialize)]
struct BriefingShape {
    /// What it was made from: its file, and the pictures it shows (see `source_print`).
    source: u64,
    /// The paths it makes and links to (see `paths_of`).
    paths: u64,
    /// Its URL.
    url: u64,
    /// Everything a list, feed or index shows of it.
    card: u64,
    /// Its body; with site links, where they lead.
    prose: u64,
    /// Whether its body has site links, whose targets can move without it changing.
    refs: bool,
    /// Its annotated claims, as the claims log shows them.
    claims: u64,
    /// Whether it attributes claims to a speaker, whose page shows them.
    speaks: bool,
    /// What its page shows of its taxa and its neighbours in them.
    nav: u64,
    /// Everything its own page shows (see `facets::page_print`).
    page: u64,
}

/// A facet a swap can change (see `Shape::swapped`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Swappable {
    /// A briefing's own page.
    Page(usize),
    /// The annotated claims.
    Claims,
}

impl Swappable {
    /// The facet `read` is of, when a swap can change it. A swap changes no card, path,
    /// URL or speaker (`swapped` checks), so no other facet.
    fn of(read: &Read<'_>) -> Option<Swappable> {
        match read {
            Read::Page(i) => Some(Swappable::Page(*i)),
            Read::AllClaims => Some(Swappable::Claims),
            _ => None,
        }
    }

    fn read(self) -> Read<'static> {
        match self {
            Swappable::Page(i) => Read::Page(i),
            Swappable::Claims => Read::AllClaims,
        }
    }
}

/// The files that read a facet a swap can change, found by going over every file once
/// and kept while swaps leave the site's files and what they read as they are.
#[derive(Default)]
struct Readers {
    /// Per facet: each file that reads it, by key, and where among its reads.
    of: FastMap<Swappable, Vec<(u64, usize)>>,
    /// Per such file: the hash of each of its reads, and whether it is a briefing's page.
    hashes: FastMap<u64, (Vec<u64>, bool)>,
    /// The files compared on every edit.
    always: Vec<u64>,
}

impl Readers {
    fn find(site: &Site, facets: &Facets<'_>) -> Readers {
        let mut readers = Readers::default();
        let mut reads = Vec::new();
        each_job(site, &mut |job, _| {
            reads.clear();
            if !job.reads(site, &mut reads) {
                readers.always.push(job.key(site));
                return;
            }
            let key = job.key(site);
            for (at, read) in reads.iter().enumerate() {
                let Some(facet) = Swappable::of(read) else {
                    continue;
                };
                readers.of.entry(facet).or_default().push((key, at));
                readers.hashes.entry(key).or_insert_with(|| {
                    let hashes = reads.iter().map(|r| facets.hash(r)).collect();
                    (hashes, matches!(job, Job::Briefing(_)))
                });
            }
        });
        readers
    }
}

pub use super::kinds::When;

/// The files an edit may have changed.
#[derive(Debug, Default)]
pub struct Candidates {
    all: bool,
    /// The keys of the files whose prints changed, and of those compared on every edit.
    keys: HashSet<u64, rustc_hash::FxBuildHasher>,
    /// Whether one of them is a briefing's page (a search index is made from those).
    briefings: usize,
    /// The set of files or the links between them changed: check the site again and look
    /// for files no longer made.
    pub structure: bool,
}

/// A file of the site as the shape sees it: its key, what it reads, and whether it is a
/// briefing's page.
type Listed<'s> = (u64, Option<Vec<Read<'s>>>, bool);

impl Shape {
    /// The shape of `site`, and the files that may differ from those made for the site
    /// whose shape is `self`. What `self` hashed of briefings both share is reused.
    /// `global` is what every page receives (`Engine::site_print`).
    pub fn next(&self, site: &Site, global: u64) -> (Shape, Candidates) {
        let global = hash_of((global, site.config.paginate));
        let outside = facets::Outside::of(site);
        let outside_print = outside.print();
        // A renamed topic or a new photo changes cards, edited or not.
        let reuse = outside_print == self.outside;
        let before = self.same_briefings(site);
        let mut briefings: Vec<BriefingShape> = (site.briefings.par_iter().enumerate())
            .map(|(i, e)| match before[i].map(|j| &self.briefings[j]) {
                Some(known) if reuse => known.reused(site, e),
                _ => BriefingShape::new(site, e, &outside),
            })
            .collect();
        let cards: Vec<u64> = briefings.iter().map(|b| b.card).collect();
        let navs = facets::taxa_nav_prints(site, &cards);
        (site.briefings.par_iter().zip(&mut briefings).zip(navs))
            .for_each(|((e, b), nav)| b.show(e, nav, &cards));
        let listed = listed(site);
        let keys = listed
            .iter()
            .fold(0u64, |sum, (key, ..)| sum.wrapping_add(*key));
        let mut shape = Shape {
            global,
            files: mix(keys, links_print(site, &briefings)),
            briefings,
            outside: outside_print,
            prints: FastMap::default(),
            held: (site.briefings.iter())
                .map(|e| e.briefing.clone())
                .collect(),
            readers: None,
        };
        let facets = shape.facets(site);
        shape.prints = (listed.par_iter())
            .filter_map(|(key, reads, _)| Some((*key, facets.print(reads.as_ref()?))))
            .collect();
        let candidates = match global == self.global {
            true => shape.changed_since(self, &listed),
            false => Candidates::everything(),
        };
        (shape, candidates)
    }

    /// The shape after the briefings at `positions` were swapped for versions that change
    /// nothing the model indexes (see `Site::swap`), and the files that may differ: those
    /// that read a facet the swap changed. `None`, with nothing changed, when a swapped
    /// briefing changed more than its own page and its claims: `next` finds the rest.
    pub fn swapped(&mut self, site: &Site, positions: &[usize]) -> Option<Candidates> {
        if self.briefings.len() != site.briefings.len() {
            return None;
        }
        let outside = facets::Outside::of(site);
        let cards: Vec<u64> = self.briefings.iter().map(|b| b.card).collect();
        let mut swapped = Vec::new();
        for &p in positions {
            let (e, was) = (&site.briefings[p], &self.briefings[p]);
            let mut now = BriefingShape::new(site, e, &outside);
            let elsewhere = |b: &BriefingShape| (b.card, b.paths, b.url, b.speaks);
            if elsewhere(&now) != elsewhere(was) || was.speaks {
                return None;
            }
            now.show(e, was.nav, &cards);
            swapped.push((p, now));
        }
        let mut changed = Vec::new();
        for (p, now) in swapped {
            let was = std::mem::replace(&mut self.briefings[p], now);
            let now = &self.briefings[p];
            if was.page != now.page {
                changed.push(Swappable::Page(p));
            }
            if was.claims != now.claims && !changed.contains(&Swappable::Claims) {
                changed.push(Swappable::Claims);
            }
        }
        Some(self.reprint(site, &changed))
    }

    /// Prints again the files that read a facet in `changed`: the candidates, with the
    /// files compared on every edit.
    fn reprint(&mut self, site: &Site, changed: &[Swappable]) -> Candidates {
        let facets = self.facets(site);
        let readers = self
            .readers
            .get_or_insert_with(|| Readers::find(site, &facets));
        let mut c = Candidates::default();
        c.keys.extend(readers.always.iter().copied());
        for &facet in changed {
            let hash = facets.hash(&facet.read());
            for &(key, at) in readers.of.get(&facet).into_iter().flatten() {
                let Some((hashes, is_briefing)) = readers.hashes.get_mut(&key) else {
                    continue;
                };
                hashes[at] = hash;
                self.prints.insert(key, facets::combine(hashes));
                if c.keys.insert(key) {
                    c.briefings += usize::from(*is_briefing);
                }
            }
        }
        c
    }

    /// The hashes of what views read, as this shape has them.
    fn facets<'s>(&self, site: &'s Site) -> Facets<'s> {
        let of = |f: fn(&BriefingShape) -> u64| self.briefings.iter().map(f).collect();
        let claims: Vec<u64> = of(|b| b.claims);
        Facets::new(site, of(|b| b.card), of(|b| b.page), &claims, self.files)
    }

    /// The files whose prints differ from `old`'s, or that have none.
    fn changed_since(&self, old: &Shape, listed: &[Listed<'_>]) -> Candidates {
        let mut c = Candidates {
            structure: self.files != old.files,
            ..Candidates::default()
        };
        for (key, _, is_briefing) in listed {
            let now = self.prints.get(key);
            if now.is_none() || now != old.prints.get(key) {
                c.keys.insert(*key);
                c.briefings += usize::from(*is_briefing);
            }
        }
        c
    }

    /// Whether two shapes print every file alike (for the preview's self-check).
    pub fn agrees_with(&self, other: &Shape) -> bool {
        (self.global, self.files, &self.prints) == (other.global, other.files, &other.prints)
    }

    /// For each briefing of `site`, the index of the same briefing in this shape: the
    /// same value, or one made from the same file and pictures.
    fn same_briefings(&self, site: &Site) -> Vec<Option<usize>> {
        let held =
            |i: usize, e: &Entry| (self.held.get(i)).is_some_and(|b| Arc::ptr_eq(b, &e.briefing));
        let mut found: Vec<Option<usize>> = (site.briefings.iter().enumerate())
            .map(|(i, e)| held(i, e).then_some(i))
            .collect();
        if found.iter().all(Option::is_some) {
            return found;
        }
        let by_value: HashMap<*const Briefing, usize> = (self.held.iter().enumerate())
            .map(|(j, b)| (Arc::as_ptr(b), j))
            .collect();
        let mut by_source: Option<HashMap<u64, usize>> = None;
        for (at, e) in found.iter_mut().zip(&site.briefings) {
            if at.is_some() {
                continue;
            }
            *at = by_value
                .get(&Arc::as_ptr(&e.briefing))
                .copied()
                .or_else(|| {
                    let by_source = by_source.get_or_insert_with(|| {
                        (self.briefings.iter().enumerate())
                            .map(|(j, s)| (s.source, j))
                            .collect()
                    });
                    by_source.get(&facets::source_print(e)).copied()
                });
        }
        found
    }
}

impl BriefingShape {
    fn new(site: &Site, e: &Entry, outside: &facets::Outside<'_>) -> BriefingShape {
        let p = &e.briefing.prose;
        BriefingShape {
            source: facets::source_print(e),
            paths: facets::paths_of(&e.briefing),
            url: hash_of(&e.url),
            card: facets::card_print(e, outside),
            prose: facets::prose_print(site, p),
            refs: !p.refs.is_empty(),
            claims: facets::claims_print(p),
            speaks: p.claims.iter().any(|c| c.by.is_some()),
            nav: 0,
            page: 0,
        }
    }

    /// Records what the briefing's own page shows: `nav` (see `taxa_nav_prints`), and the
    /// briefings it lists, whose cards are in `cards`.
    fn show(&mut self, e: &Entry, nav: u64, cards: &[u64]) {
        self.nav = nav;
        self.page = facets::page_print(e, (self.source, self.card, self.prose), nav, cards);
    }

    /// This shape, for the same briefing in another version of the site: only where its
    /// site links lead can have changed.
    fn reused(&self, site: &Site, e: &Entry) -> BriefingShape {
        let mut shape = self.clone();
        if self.refs {
            shape.prose = facets::prose_print(site, &e.briefing.prose);
        }
        shape
    }
}

/// Every file of `site` with what it reads.
fn listed(site: &Site) -> Vec<Listed<'_>> {
    let mut listed = Vec::new();
    each_job(site, &mut |job, _| {
        let is_briefing = matches!(job, Job::Briefing(_));
        let mut reads = Vec::new();
        let declared = job.reads(site, &mut reads);
        listed.push((job.key(site), declared.then_some(reads), is_briefing));
    });
    listed
}

/// The paths bodies link to: briefings', intros' and standalone pages'.
fn links_print(site: &Site, briefings: &[BriefingShape]) -> u64 {
    let of_briefings =
        (briefings.iter()).fold(0u64, |sum, b| sum.wrapping_add(mix(b.url, b.paths)));
    let of_intros = (site.namespaces().flatten())
        .filter_map(|t| Some(mix(hash_of(&t.url), facets::paths_print(t.prose.as_ref()?))));
    mix_all(mix(of_briefings, facets::pages_print(site)), of_intros)
}

impl Candidates {
    pub fn everything() -> Candidates {
        Candidates {
            all: true,
            structure: true,
            ..Candidates::default()
        }
    }

    /// How many candidates there are, for timings.
    pub fn summary(&self) -> String {
        format!(
            "candidates: {} files, {} briefings{}",
            self.keys.len(),
            self.briefings,
            if self.structure { ", site checks" } else { "" }
        )
    }

    pub fn is_everything(&self) -> bool {
        self.all
    }

    /// Whether any briefing's page may have changed, or briefings came or went: what a
    /// search index is made from.
    pub fn briefing_pages(&self) -> bool {
        self.all || self.structure || self.briefings > 0
    }

    /// Adds `other`'s candidates to these.
    pub fn merge(&mut self, other: Candidates) {
        self.all |= other.all;
        self.structure |= other.structure;
        self.briefings += other.briefings;
        self.keys.extend(other.keys);
    }

    /// Whether `job`, a file of `site`, is a candidate, and when it renders.
    pub(super) fn when(&self, site: &Site, job: &Job<'_>) -> Option<When> {
        (self.all || self.keys.contains(&job.key(site))).then(|| job.when())
    }
}
