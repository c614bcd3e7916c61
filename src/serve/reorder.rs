//! Moving an edited briefing in the order when its date changed: every index the model
//! holds is renumbered, and what linked to its old URL follows it. Part of `patch`.

use std::collections::HashSet;

use super::patch::Patch;
use crate::content::{Briefing, Prose};
use crate::markdown::{RefKind, Target};
use crate::model::Site;
use crate::model::related::Index;

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
            for r in &mut e.related {
                r.index = map(r.index);
            }
        }
        let taxa = self
            .topics
            .iter_mut()
            .chain(self.kinds.iter_mut().flat_map(|k| &mut k.taxa));
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

    /// Briefing `i` has a new URL: its old page is gone, and what links to it changes.
    pub(crate) fn moved_to(&mut self, i: usize, url: String, patch: &mut Patch) {
        let slug = self.briefings[i].briefing.slug.value.clone();
        patch
            .gone
            .push(format!("{}index.html", self.briefings[i].url));
        self.targets
            .insert(Target::new(RefKind::Story, slug.clone()), url.clone());
        self.briefings[i].url = url;
        patch
            .pages
            .extend(self.briefings[i].backlinks.iter().copied());
        let links_here = |p: &Prose| {
            p.refs
                .iter()
                .any(|r| r.kind == RefKind::Story && r.slug == slug)
        };
        for (ns, taxa) in std::iter::once(&self.topics)
            .chain(self.kinds.iter().map(|k| &k.taxa))
            .enumerate()
        {
            for t in taxa {
                if t.prose.as_ref().is_some_and(links_here) {
                    patch.taxa.push((ns, t.slug.clone()));
                }
            }
        }
    }
}
