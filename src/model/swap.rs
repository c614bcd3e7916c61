//! Edited briefings that change nothing the model indexes (their text, title, summary),
//! swapped into the model in place: the preview's most common edit, which needs no
//! indexing at all.

use std::sync::Arc;

use super::Site;
use crate::content::Briefing;

impl Site {
    /// Replaces each `(old, new)` briefing of the model with its new version, when none
    /// of them changes what the model indexes, and returns their positions. `None`,
    /// changing nothing, when one does.
    pub fn swap<'b>(
        &mut self,
        edits: impl IntoIterator<Item = (&'b Arc<Briefing>, Arc<Briefing>)>,
    ) -> Option<Vec<usize>> {
        let mut swaps = Vec::new();
        for (old, new) in edits {
            let &i = self.by_slug.get(&old.slug.value)?;
            // The model holds the briefing as `old` was written, with the names profiles
            // and intros give its terms: the new version is compared named alike.
            let current = &self.briefings[i].briefing;
            let new = self.canonical_entities(new);
            let same_file =
                (&current.path, current.prose.fingerprint) == (&old.path, old.prose.fingerprint);
            if !same_file || !indexed_alike(current, &new) {
                return None;
            }
            swaps.push((i, new));
        }
        let positions = swaps.iter().map(|(i, _)| *i).collect();
        for (i, new) in swaps {
            self.briefings[i].briefing = new;
        }
        Some(positions)
    }
}

/// Whether two versions of a briefing differ only in what the model does not index:
/// its text, title, summary, dateline, authors, facts, sources and claims. (Whether it
/// is featured decides which briefing leads the home page.)
fn indexed_alike(a: &Briefing, b: &Briefing) -> bool {
    let refs = |x: &Briefing| {
        x.prose
            .refs
            .iter()
            .map(|r| (r.kind.clone(), r.slug.clone()))
            .collect::<Vec<_>>()
    };
    let dates = |x: &Briefing| {
        (
            x.date.iso(),
            x.updated.map(|d| d.iso()),
            x.corrections
                .iter()
                .map(|c| c.date.iso())
                .collect::<Vec<_>>(),
        )
    };
    a.slug.value == b.slug.value
        && a.path == b.path
        && dates(a) == dates(b)
        && a.topics == b.topics
        && a.authors == b.authors
        && a.entities == b.entities
        && a.related
            .iter()
            .map(|r| &r.value)
            .eq(b.related.iter().map(|r| &r.value))
        && (a.draft, a.scheduled, a.featured) == (b.draft, b.scheduled, b.featured)
        && a.translation_of.as_ref().map(|t| &t.value)
            == b.translation_of.as_ref().map(|t| &t.value)
        && a.prose.highlighted == b.prose.highlighted
        && a.prose.local_links.iter().map(|l| &l.path).eq(b
            .prose
            .local_links
            .iter()
            .map(|l| &l.path))
        && refs(a) == refs(b)
}
