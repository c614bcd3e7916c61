//! "Related briefings": ranked by shared topics and entities (rarer ones weigh more),
//! explicit `story:` links in either direction, and closeness in time. Candidates come from an
//! inverted index (term -> briefings), never from comparing every pair; for very common
//! terms only the briefings nearest in time are considered, which keeps the work per
//! briefing bounded however large the site grows.

use rayon::prelude::*;
use std::collections::HashMap;

use crate::config::RelatedConfig;
use std::sync::Arc;

use crate::content::{Briefing, Term};

/// How many briefings nearest in time a common term contributes as candidates.
pub(crate) const WINDOW: usize = 32;

/// One related briefing and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Related {
    pub index: usize,
    pub reason: Reason,
    pub score: f64,
}

/// Why a briefing is related, for readers ("Shares Ukraine war and Vladimir Putin; linked"),
/// put in words by the renderer in the site's language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Reason {
    /// The editors chose it with `related:`.
    pub chosen: bool,
    /// The heaviest topics and entities the two share (three at most), by name.
    pub shared: Vec<String>,
    /// How many more they share.
    pub more: usize,
    /// One links to the other with `story:`.
    pub linked: bool,
}

/// What a related list needs to know of each briefing besides its terms.
pub trait Node {
    fn briefing(&self) -> &Briefing;
    /// Breaks ties between equal candidates.
    fn slug(&self) -> &str {
        &self.briefing().slug.value
    }
    /// The editors' `related:` choices, by index.
    fn manual(&self) -> &[usize];
    /// Briefings it links to with `story:`.
    fn links(&self) -> &[usize];
    /// Briefings that link to it.
    fn backlinks(&self) -> &[usize];
}

/// Related lists kept between builds (in the build cache): every list of a site whose
/// inputs (see `inputs_print`) hash to a key.
pub trait KeptRelated: Sync {
    /// The lists kept for the site in language `lang`, if they were kept for `key`.
    fn get(&self, lang: &str, key: u64) -> Option<Vec<Vec<Related>>>;
    fn put(&self, lang: &str, key: u64, lists: &[&[Related]]);
}

/// A hash of everything related lists are computed from, in site order: each briefing's
/// slug, date and terms, its editors' choices and its links, and the settings.
pub fn inputs_print<N: Node + Sync>(nodes: &[N], cfg: &RelatedConfig) -> u64 {
    use std::hash::{Hash, Hasher};
    let each: Vec<u64> = nodes
        .par_iter()
        .map(|node| {
            let b = node.briefing();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (node.slug(), b.date.timestamp().as_second()).hash(&mut h);
            for (ns, term) in terms(b) {
                (ns, &term.slug, &term.name).hash(&mut h);
            }
            (node.manual(), node.links()).hash(&mut h);
            h.finish()
        })
        .collect();
    crate::text::hash_of((format!("{cfg:?}"), each))
}

/// The inverted index related lists are computed from. A build returns it with the model,
/// so the preview can update it after an edit instead of indexing every briefing again.
#[derive(Debug, Default)]
pub struct Index {
    /// Per namespace (0 topics, k + 1 entity kind k): slug -> term id.
    pub(crate) ids: Vec<HashMap<String, u32>>,
    /// Per briefing: its term ids.
    pub(crate) of: Vec<Vec<u32>>,
    /// Per term: briefings having it, ascending (that is, newest first).
    pub(crate) postings: Vec<Vec<u32>>,
    /// Per term: its weight (kind weight × rarity).
    pub(crate) weight: Vec<f64>,
    /// Per term: the weight of its kind (topics or entities).
    pub(crate) kind_weight: Vec<f64>,
    /// Per term: its display name, as the newest briefing having it writes it.
    pub(crate) name: Vec<String>,
    /// Per term: its namespace and slug.
    pub(crate) key: Vec<(usize, String)>,
    /// Per briefing: its date in days, for closeness.
    pub(crate) days: Vec<f64>,
}

/// A briefing's terms with their namespaces (0 topics, k + 1 entity kind k), in list order.
pub fn terms(b: &Briefing) -> impl Iterator<Item = (usize, &Term)> {
    term_lists(b).flat_map(|(ns, list)| list.iter().map(move |t| (ns, t)))
}

/// A briefing's term lists with their namespaces: topics, then each entity kind.
pub(crate) fn term_lists(b: &Briefing) -> impl Iterator<Item = (usize, &[Term])> {
    std::iter::once((0usize, &b.topics[..])).chain(
        b.entities
            .iter()
            .enumerate()
            .map(|(k, (_, t))| (k + 1, &t[..])),
    )
}

impl Index {
    pub fn new<N: Node>(briefings: &[N], cfg: &RelatedConfig) -> Index {
        let mut index = Index {
            of: Vec::with_capacity(briefings.len()),
            ..Index::default()
        };
        for (i, b) in briefings.iter().map(Node::briefing).enumerate() {
            let mut mine = Vec::new();
            for (ns, list) in term_lists(b) {
                for term in list {
                    let id = index.id(ns, term, cfg);
                    if index.postings[id as usize].last() != Some(&(i as u32)) {
                        index.postings[id as usize].push(i as u32);
                        mine.push(id);
                    }
                }
            }
            index.of.push(mine);
        }
        index.days = briefings.iter().map(|b| days(b.briefing())).collect();
        index.weight = (0..index.postings.len() as u32)
            .map(|t| index.weight_of(t, briefings.len()))
            .collect();
        index
    }

    /// The id of `term` in namespace `ns`, made on first sight.
    pub(crate) fn id(&mut self, ns: usize, term: &Term, cfg: &RelatedConfig) -> u32 {
        if self.ids.len() <= ns {
            self.ids.resize_with(ns + 1, HashMap::new);
        }
        if let Some(&id) = self.ids[ns].get(term.slug.as_str()) {
            return id;
        }
        let id = self.postings.len() as u32;
        self.ids[ns].insert(term.slug.clone(), id);
        self.postings.push(Vec::new());
        self.name.push(term.name.clone());
        self.key.push((ns, term.slug.clone()));
        self.kind_weight
            .push(if ns == 0 { cfg.topics } else { cfg.entities });
        self.weight.push(0.0);
        id
    }

    pub(crate) fn weight_of(&self, t: u32, n: usize) -> f64 {
        let len = rarity_class(self.postings[t as usize].len());
        self.kind_weight[t as usize] * (1.0 + size_class(n) / len).ln()
    }
}

/// How many briefings have a term, as rarity counts it: rounded up to a step of a quarter
/// of a power of two (1, 2, 3.4, 4, 4.8, 5.7, 6.7, 8 ...), exact for rare terms and in
/// steps of about a fifth for common ones, so that one more briefing with a common term
/// seldom changes its weight, and with it the related lists of every briefing having it.
pub fn rarity_class(df: usize) -> f64 {
    let df = df.max(1) as u128;
    // ceil(log2(df^4)), from the bit length of df^4 - 1.
    let quarters = u128::BITS - (df.pow(4) - 1).leading_zeros();
    (f64::from(quarters) / 4.0).exp2()
}

/// The site's size as rarity counts it: rounded up to a power of two, so that one more
/// briefing reweighs only its own terms until the size passes the next power of two.
pub fn size_class(n: usize) -> f64 {
    n.max(1).next_power_of_two() as f64
}

pub(crate) fn days(b: &Briefing) -> f64 {
    b.date.timestamp().as_second() as f64 / 86_400.0
}

/// A briefing as `compute` sees it when called without a model.
struct Plain<'a> {
    briefing: &'a Briefing,
    manual: &'a [usize],
    links: &'a [usize],
    backlinks: Vec<usize>,
}

impl Node for Plain<'_> {
    fn briefing(&self) -> &Briefing {
        self.briefing
    }
    fn manual(&self) -> &[usize] {
        self.manual
    }
    fn links(&self) -> &[usize] {
        self.links
    }
    fn backlinks(&self) -> &[usize] {
        &self.backlinks
    }
}

/// Computes up to `cfg.count` related briefings for each briefing (given newest first).
/// `manual[i]` are briefing i's `related:` choices, which come first; `links[i]` the
/// briefings it links to with `story:`.
pub fn compute(
    briefings: &[Arc<Briefing>],
    manual: &[Vec<usize>],
    links: &[Vec<usize>],
    cfg: &RelatedConfig,
) -> Vec<Vec<Related>> {
    let mut backlinks = vec![Vec::new(); briefings.len()];
    for (from, tos) in links.iter().enumerate() {
        for &to in tos {
            backlinks[to].push(from);
        }
    }
    let nodes: Vec<Plain<'_>> = briefings
        .iter()
        .zip(manual.iter().zip(links))
        .zip(backlinks)
        .map(|((b, (m, l)), back)| Plain {
            briefing: b,
            manual: m,
            links: l,
            backlinks: back,
        })
        .collect();
    compute_some(&Index::new(&nodes, cfg), &nodes, cfg, &|_| true)
}

/// Related lists for the briefings `wanted` accepts; the others get an empty list, for the
/// caller to keep from an earlier result.
pub fn compute_some<N: Node + Sync>(
    terms: &Index,
    nodes: &[N],
    cfg: &RelatedConfig,
    wanted: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<Vec<Related>> {
    let n = nodes.len();
    (0..n)
        .into_par_iter()
        // Large chunks: each one allocates its own score table once.
        .with_min_len(4096)
        .map_init(Scratch::default, |scratch, a| {
            if !wanted(a) {
                return Vec::new();
            }
            let mut out = editors_choices(&nodes[a], a, cfg);
            if out.len() >= cfg.count {
                return out;
            }
            scratch.score_candidates(terms, &nodes[a], a, n, cfg);
            let ranked = scratch.best(terms, nodes, a, cfg.count - out.len(), cfg);
            let node = &nodes[a];
            let linked = |b: usize| node.links().iter().chain(node.backlinks()).any(|&x| x == b);
            out.extend(ranked.into_iter().map(|(score, _, b)| Related {
                index: b,
                reason: reason(terms, a, b, linked(b)),
                score,
            }));
            out
        })
        .collect()
}

/// The editors' `related:` choices come first, up to the count.
fn editors_choices<N: Node>(node: &N, a: usize, cfg: &RelatedConfig) -> Vec<Related> {
    node.manual()
        .iter()
        .filter(|&&m| m != a)
        .take(cfg.count)
        .map(|&m| Related {
            index: m,
            reason: Reason {
                chosen: true,
                ..Reason::default()
            },
            score: f64::INFINITY,
        })
        .collect()
}

/// A score per briefing, reused across the briefings one thread handles, and which
/// entries are set (so clearing costs only what was touched).
#[derive(Default)]
struct Scratch {
    scores: Vec<f64>,
    touched: Vec<u32>,
}

impl Scratch {
    fn add(&mut self, b: usize, weight: f64) {
        if self.scores[b] == 0.0 {
            self.touched.push(b as u32);
        }
        self.scores[b] += weight;
    }

    /// Scores every briefing that shares a term with `a` (within each term's window of
    /// neighbours in time) or links with it either way.
    fn score_candidates<N: Node>(
        &mut self,
        terms: &Index,
        node: &N,
        a: usize,
        n: usize,
        cfg: &RelatedConfig,
    ) {
        if self.scores.len() != n {
            self.scores = vec![0f64; n];
        }
        for &t in &terms.of[a] {
            let post = &terms.postings[t as usize];
            let window = if post.len() > WINDOW {
                let pos = post.partition_point(|&b| (b as usize) < a);
                let start = pos.saturating_sub(WINDOW / 2).min(post.len() - WINDOW);
                &post[start..start + WINDOW]
            } else {
                &post[..]
            };
            for &b in window.iter().filter(|&&b| b as usize != a) {
                self.add(b as usize, terms.weight[t as usize]);
            }
        }
        for &b in node.links().iter().chain(node.backlinks()) {
            if b != a {
                self.add(b, cfg.links);
            }
        }
    }

    /// The best `want` candidates, closeness in time applied, clearing the scores: (score,
    /// gap in days, index), best first. Keeps only the best while scanning: no sort of
    /// every candidate.
    fn best<N: Node>(
        &mut self,
        terms: &Index,
        nodes: &[N],
        a: usize,
        want: usize,
        cfg: &RelatedConfig,
    ) -> Vec<(f64, f64, usize)> {
        let days = &terms.days;
        let inv_scale = 1.0 / cfg.time_scale_days;
        let manual = nodes[a].manual();
        let better = |x: &(f64, f64, usize), y: &(f64, f64, usize)| {
            y.0.total_cmp(&x.0)
                .then(x.1.total_cmp(&y.1))
                .then_with(|| nodes[x.2].slug().cmp(nodes[y.2].slug()))
                .is_lt()
        };
        let mut ranked: Vec<(f64, f64, usize)> = Vec::with_capacity(want + 1);
        let max_boost = 1.0 + cfg.time.max(0.0);
        for &b in self.touched.iter() {
            let b = b as usize;
            let shared = self.scores[b];
            self.scores[b] = 0.0;
            // Closeness can at most multiply by `max_boost`: skip what cannot make the list.
            let floor = match ranked.last() {
                Some(worst) if ranked.len() == want => worst.0.max(cfg.min_score),
                _ => cfg.min_score,
            };
            if shared * max_boost < floor {
                continue;
            }
            let gap = (days[a] - days[b]).abs();
            let closeness = 1.0 / (1.0 + gap * inv_scale);
            let candidate = (shared * (1.0 + cfg.time * closeness), gap, b);
            if candidate.0 < cfg.min_score || manual.contains(&b) {
                continue;
            }
            if ranked.len() == want && !ranked.last().is_some_and(|w| better(&candidate, w)) {
                continue;
            }
            let at = ranked.partition_point(|r| better(r, &candidate));
            ranked.insert(at, candidate);
            ranked.truncate(want);
        }
        self.touched.clear();
        ranked
    }
}

/// What `a` and `b` share, the heaviest terms first, and whether they are linked.
fn reason(terms: &Index, a: usize, b: usize, linked: bool) -> Reason {
    let mut shared: Vec<u32> = terms.of[a]
        .iter()
        .copied()
        .filter(|t| terms.of[b].contains(t))
        .collect();
    shared.sort_by(|x, y| {
        terms.weight[*y as usize]
            .total_cmp(&terms.weight[*x as usize])
            .then_with(|| terms.name[*x as usize].cmp(&terms.name[*y as usize]))
    });
    Reason {
        chosen: false,
        more: shared.len().saturating_sub(3),
        shared: (shared.iter().take(3))
            .map(|&t| terms.name[t as usize].clone())
            .collect(),
        linked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rarity_is_exact_for_rare_terms_and_stepped_for_common_ones() {
        assert_eq!(rarity_class(0), 1.0);
        assert_eq!(rarity_class(1), 1.0);
        assert_eq!(rarity_class(2), 2.0);
        assert_eq!(rarity_class(4), 4.0);
        assert!((rarity_class(3) - 3.36).abs() < 0.01);
        // One more briefing with a common term leaves its weight alone...
        assert_eq!(rarity_class(3000), rarity_class(3001));
        // ...until it passes the next step, about a fifth further.
        let step = (3000..).find(|&n| rarity_class(n) != rarity_class(3000));
        assert!(step.is_some_and(|n| n > 3300 && n < 3700), "{step:?}");
    }

    #[test]
    fn the_site_size_counts_in_powers_of_two() {
        assert_eq!(size_class(0), 1.0);
        assert_eq!(size_class(9_000), 16_384.0);
        assert_eq!(size_class(16_384), 16_384.0);
        assert_eq!(size_class(16_385), 32_768.0);
    }
}
