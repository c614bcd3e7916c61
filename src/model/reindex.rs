//! Keeping the related index current as the preview patches the model: a briefing
//! edited, moved in the order or added updates the postings of its terms, and names the
//! briefings whose related lists may have changed. A build indexes once and never needs it.

use std::collections::HashSet;

use super::related::{Index, Node, WINDOW, days, term_lists, terms};
use crate::config::RelatedConfig;
use crate::content::Briefing;

/// What an update changed in the index.
#[derive(Debug, Default)]
pub struct Changed {
    /// Terms the briefing gained or lost.
    pub reposted: Vec<u32>,
    /// Terms whose weight or display name changed.
    pub reweighed: Vec<u32>,
}

impl Index {
    /// Makes room for a briefing at the end (numbered `self.of.len()`) with no terms yet,
    /// dated like `b`; `update` then gives it its terms.
    pub fn push_empty(&mut self, b: &Briefing) {
        self.of.push(Vec::new());
        self.days.push(days(b));
    }

    /// Briefing `i` was replaced (at the same place in the order; `briefings` holds the new
    /// version). Returns the terms it gained or lost, and those whose weight or display
    /// name changed: every briefing having one of these may score or name it differently.
    pub fn update<N: Node>(&mut self, i: usize, briefings: &[N], cfg: &RelatedConfig) -> Changed {
        let old = std::mem::take(&mut self.of[i]);
        let mut mine = Vec::new();
        for (ns, list) in term_lists(briefings[i].briefing()) {
            for term in list {
                let id = self.id(ns, term, cfg);
                if !mine.contains(&id) {
                    mine.push(id);
                }
            }
        }
        let mut changed = Changed::default();
        let at = i as u32;
        for &t in old.iter().filter(|t| !mine.contains(t)) {
            let post = &mut self.postings[t as usize];
            if let Ok(pos) = post.binary_search(&at) {
                post.remove(pos);
            }
            changed.reposted.push(t);
        }
        for &t in mine.iter().filter(|t| !old.contains(t)) {
            let post = &mut self.postings[t as usize];
            if let Err(pos) = post.binary_search(&at) {
                post.insert(pos, at);
            }
            changed.reposted.push(t);
        }
        for &t in &changed.reposted {
            let weight = self.weight_of(t, briefings.len());
            if weight != self.weight[t as usize] {
                self.weight[t as usize] = weight;
                changed.reweighed.push(t);
            }
        }
        // The newest briefing having a term names it; this one may have renamed it.
        for &t in old.iter().chain(&mine) {
            let Some(&first) = self.postings[t as usize].first() else {
                continue;
            };
            let (ns, slug) = &self.key[t as usize];
            let name = terms(briefings[first as usize].briefing())
                .find(|(n, term)| n == ns && &term.slug == slug)
                .map(|(_, term)| term.name.clone());
            if let Some(name) = name
                && name != self.name[t as usize]
            {
                self.name[t as usize] = name;
                changed.reweighed.push(t);
            }
        }
        self.of[i] = mine;
        changed.reweighed.sort_unstable();
        changed.reweighed.dedup();
        changed
    }

    /// The briefings whose candidates through term `t` change when briefing `i` enters or
    /// leaves its list: all of a short list; in a long one, those whose window of
    /// neighbours in time holds or held `i`, and those at the end, whose window moves with
    /// the list's length.
    pub fn reach(&self, i: usize, t: u32) -> Vec<usize> {
        let post = &self.postings[t as usize];
        if post.len() <= WINDOW + 1 {
            return post.iter().map(|&b| b as usize).collect();
        }
        let pos = post.partition_point(|&b| (b as usize) < i);
        let near = pos.saturating_sub(WINDOW + 2)..(pos + WINDOW + 2).min(post.len());
        let end = post.len().saturating_sub(WINDOW + 2)..post.len();
        near.chain(end).map(|p| post[p] as usize).collect()
    }

    /// Briefing `from` moved to `to` (its date is now `new`'s); `map` renumbers indexes.
    /// Returns the briefings (numbered anew) whose candidates may have changed: those near
    /// it, before or after the move, in the briefing lists of its terms. A list longer than
    /// the window offers each briefing only its neighbours, so the others never see it.
    pub fn move_briefing(
        &mut self,
        from: usize,
        to: usize,
        map: &dyn Fn(usize) -> usize,
        new: &Briefing,
    ) -> HashSet<usize> {
        let reach = WINDOW + 2;
        let neighbours_of = |post: &[u32], at: usize| {
            let lo = at.saturating_sub(reach);
            let hi = (at + reach + 1).min(post.len());
            post[lo..hi].iter().map(|&b| b as usize).collect::<Vec<_>>()
        };
        let mut near = HashSet::new();
        for post in &mut self.postings {
            let Ok(old_at) = post.binary_search(&(from as u32)) else {
                for x in post.iter_mut() {
                    *x = map(*x as usize) as u32;
                }
                continue;
            };
            near.extend(neighbours_of(post, old_at).into_iter().map(map));
            for x in post.iter_mut() {
                *x = map(*x as usize) as u32;
            }
            post.sort_unstable();
            if let Ok(new_at) = post.binary_search(&(to as u32)) {
                near.extend(neighbours_of(post, new_at));
            }
        }
        if from < to {
            self.of[from..=to].rotate_left(1);
            self.days[from..=to].rotate_left(1);
        } else {
            self.of[to..=from].rotate_right(1);
            self.days[to..=from].rotate_right(1);
        }
        self.days[to] = days(new);
        near
    }

    /// The briefings having term `t`.
    pub fn having(&self, t: u32) -> impl Iterator<Item = usize> + '_ {
        self.postings[t as usize].iter().map(|&b| b as usize)
    }
}
