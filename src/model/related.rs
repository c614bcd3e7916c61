//! "Related briefings": ranked by shared topics and entities (rarer ones weigh more),
//! explicit `story:` links in either direction, and closeness in time. Candidates come from an
//! inverted index (term -> briefings), never from comparing every pair; for very common
//! terms only the briefings nearest in time are considered, which keeps the work per
//! briefing bounded however large the site grows.

use rayon::prelude::*;
use std::collections::HashMap;

use crate::config::RelatedConfig;
use std::sync::Arc;

use crate::content::Briefing;

/// How many briefings nearest in time a common term contributes as candidates.
const WINDOW: usize = 32;

/// One related briefing and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub index: usize,
    /// e.g. "shared: Ukraine war, Vladimir Putin; linked"
    pub reason: String,
    pub score: f64,
}

struct Terms {
    /// Per briefing: its term ids.
    of: Vec<Vec<u32>>,
    /// Per term: briefings having it, ascending (that is, newest first).
    postings: Vec<Vec<u32>>,
    /// Per term: its weight (kind weight × rarity).
    weight: Vec<f64>,
    /// Per term: its display name.
    name: Vec<String>,
}

fn index_terms(briefings: &[Arc<Briefing>], cfg: &RelatedConfig) -> Terms {
    let mut ids: HashMap<(usize, &str), u32> = HashMap::new();
    let mut terms = Terms {
        of: Vec::with_capacity(briefings.len()),
        postings: Vec::new(),
        weight: Vec::new(),
        name: Vec::new(),
    };
    let mut kind_weight = Vec::new();
    for (i, b) in briefings.iter().enumerate() {
        let lists = std::iter::once((0usize, &b.topics))
            .chain(b.entities.iter().enumerate().map(|(k, (_, t))| (k + 1, t)));
        let mut mine = Vec::new();
        for (ns, list) in lists {
            for term in list {
                let id = *ids.entry((ns, term.slug.as_str())).or_insert_with(|| {
                    terms.postings.push(Vec::new());
                    terms.name.push(term.name.clone());
                    kind_weight.push(if ns == 0 { cfg.topics } else { cfg.entities });
                    (terms.postings.len() - 1) as u32
                });
                if terms.postings[id as usize].last() != Some(&(i as u32)) {
                    terms.postings[id as usize].push(i as u32);
                    mine.push(id);
                }
            }
        }
        terms.of.push(mine);
    }
    let n = briefings.len().max(1) as f64;
    terms.weight = terms
        .postings
        .iter()
        .zip(kind_weight)
        .map(|(p, w)| w * (1.0 + n / p.len().max(1) as f64).ln())
        .collect();
    terms
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
    compute_some(briefings, manual, links, cfg, &|_| true)
}

/// Like `compute`, for the briefings `wanted` accepts; the others get an empty list, for
/// the caller to fill from an earlier result.
pub fn compute_some(
    briefings: &[Arc<Briefing>],
    manual: &[Vec<usize>],
    links: &[Vec<usize>],
    cfg: &RelatedConfig,
    wanted: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<Vec<Related>> {
    let n = briefings.len();
    let terms = index_terms(briefings, cfg);
    let days: Vec<f64> = briefings
        .iter()
        .map(|b| b.date.timestamp().as_second() as f64 / 86_400.0)
        .collect();
    let inv_scale = 1.0 / cfg.time_scale_days;
    let mut linked: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (from, targets) in links.iter().enumerate() {
        for &to in targets {
            if to != from {
                linked[from].push(to);
                linked[to].push(from);
            }
        }
    }
    (0..n)
        .into_par_iter()
        // Large chunks: each one allocates its own score table once.
        .with_min_len(4096)
        .map_init(
            || (vec![0f64; n], Vec::<u32>::new()),
            |(scores, touched), a| {
                if !wanted(a) {
                    return Vec::new();
                }
                let mut out: Vec<Related> = manual[a]
                    .iter()
                    .filter(|&&m| m != a)
                    .take(cfg.count)
                    .map(|&m| Related {
                        index: m,
                        reason: "chosen by the editors".into(),
                        score: f64::INFINITY,
                    })
                    .collect();
                if out.len() >= cfg.count {
                    return out;
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
                    for &b in window {
                        let b = b as usize;
                        if b != a {
                            if scores[b] == 0.0 {
                                touched.push(b as u32);
                            }
                            scores[b] += terms.weight[t as usize];
                        }
                    }
                }
                for &b in &linked[a] {
                    if scores[b] == 0.0 {
                        touched.push(b as u32);
                    }
                    scores[b] += cfg.links;
                }
                // Keep only the best `want` while scanning: no sort of every candidate.
                let want = cfg.count - out.len();
                let better = |x: &(f64, f64, usize), y: &(f64, f64, usize)| {
                    y.0.total_cmp(&x.0)
                        .then(x.1.total_cmp(&y.1))
                        .then_with(|| briefings[x.2].slug.value.cmp(&briefings[y.2].slug.value))
                        .is_lt()
                };
                let mut ranked: Vec<(f64, f64, usize)> = Vec::with_capacity(want + 1);
                let max_boost = 1.0 + cfg.time.max(0.0);
                for &b in touched.iter() {
                    let b = b as usize;
                    let shared = scores[b];
                    scores[b] = 0.0;
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
                    if candidate.0 < cfg.min_score || manual[a].contains(&b) {
                        continue;
                    }
                    if ranked.len() == want && !ranked.last().is_some_and(|w| better(&candidate, w))
                    {
                        continue;
                    }
                    let at = ranked.partition_point(|r| better(r, &candidate));
                    ranked.insert(at, candidate);
                    ranked.truncate(want);
                }
                touched.clear();
                out.extend(ranked.into_iter().map(|(score, _, b)| Related {
                    index: b,
                    reason: reason(&terms, a, b, linked[a].contains(&b)),
                    score,
                }));
                out
            },
        )
        .collect()
}

/// "shared: A, B, C; linked", naming the heaviest shared terms first.
fn reason(terms: &Terms, a: usize, b: usize, linked: bool) -> String {
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
    let names: Vec<&str> = shared
        .iter()
        .take(3)
        .map(|&t| terms.name[t as usize].as_str())
        .collect();
    let mut parts = Vec::new();
    if !names.is_empty() {
        let more = shared.len().saturating_sub(3);
        let mut s = format!("shared: {}", names.join(", "));
        if more > 0 {
            s.push_str(&format!(" and {more} more"));
        }
        parts.push(s);
    }
    if linked {
        parts.push("linked".to_string());
    }
    parts.join("; ")
}
