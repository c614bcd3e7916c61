//! Moving an edited briefing in the order when its date changed: every index the model
//! holds is renumbered, and what linked to its old URL follows it. Part of `patch`.

use std::collections::HashSet;

use super::Site;
use super::related::Index;
use crate::content::Briefing;
use crate::markdown::{RefKind, Target};

impl Site {
    /// Where briefing `i` goes in the order (newest first) with `new`'s date.
    pub(crate) fn position_for(&self, i: usize, new: &Briefing) -> usize {
        let key = |b: &Briefing| {
            (
                std::cmp::Reverse(b.date.timestamp()),
                b.slug.value.clone(),
                b.path.clone(),
            )
        };
        let new_key = key(new);
        self.briefings
            .iter()
            .enumerate()
            .filter(|(k, e)| *k != i && key(&e.briefing) < new_key)
            .count()
    }

    /// Moves briefing `from` to position `to`, renumbering every index the model holds.
    /// Returns the renumbering and the briefings whose related candidates may have changed.
    pub(crate) fn move_briefing(
        &mut self,
        from: usize,
        to: usize,
        new: &Briefing,
        index: &mut Index,
    ) -> (impl Fn(usize) -> usize + use<>, HashSet<usize>) {
        let map = move |k: usize| {
            if k == from {
                to
            } else if from < to && k > from && k <= to {
                k - 1
            } else if to < from && k >= to && k < from {
                k + 1
            } else {
                k
            }
        };
        if from < to {
            self.briefings[from..=to].rotate_left(1);
        } else {
            self.briefings[to..=from].rotate_right(1);
        }
        for e in &mut self.briefings {
            for x in e
                .backlinks
                .iter_mut()
                .chain(&mut e.links)
                .chain(&mut e.manual)
            {
                *x = map(*x);
            }
            e.backlinks.sort_unstable();
            if e.related.iter().any(|r| map(r.index) != r.index) {
                let mut related = e.related.to_vec();
                for r in &mut related {
                    r.index = map(r.index);
                }
                e.related = related.into();
            }
        }
        let taxa = self
            .topics
            .iter_mut()
            .chain(self.kinds.iter_mut().flat_map(|k| &mut k.taxa))
            .chain(self.authors.iter_mut());
        for t in taxa {
            let had = t.briefings.binary_search(&from).is_ok();
            for x in &mut t.briefings {
                *x = map(*x);
            }
            if had {
                t.briefings.sort_unstable();
            }
        }
        for x in self.by_slug.values_mut() {
            *x = map(*x);
        }
        let near = index.move_briefing(from, to, &map, new);
        (map, near)
    }

    /// Briefing `i` has a new URL: what links to it follows.
    pub(crate) fn moved_to(&mut self, i: usize, url: String) {
        let slug = self.briefings[i].briefing.slug.value.clone();
        self.targets
            .insert(Target::new(RefKind::Story, slug), url.clone());
        self.briefings[i].url = url;
    }
}
