//! One edited briefing applied to the model in place, for the preview: when the edit keeps
//! the briefing's place (same slug and date), only its topics, entities, links and related
//! lists move, and indexing the whole site again would waste most of an edit's time. The
//! result must equal what `Site::build` makes of the same content; the preview tests
//! compare the two after many random edits.

use std::collections::HashSet;
use std::sync::Arc;

use super::related::Index;
use super::{Entry, Site, Taxon, related, sort_key, story_links};
use crate::content::{Briefing, Prose, Term};
use crate::markdown::{RefKind, Target};
use crate::text::slugify;

/// What patching learns on the way: the briefings whose related lists may change.
#[derive(Debug, Default)]
struct Patch {
    /// The edited briefing, its neighbours, and those whose links to it changed.
    pages: HashSet<usize>,
    /// Briefings whose related candidates changed because the edited one moved.
    near: HashSet<usize>,
}

impl Site {
    fn taxa(&self, ns: usize) -> Option<&Vec<Taxon>> {
        self.namespace(ns)
    }

    fn taxa_mut(&mut self, ns: usize) -> Option<&mut Vec<Taxon>> {
        match ns {
            0 => Some(&mut self.topics),
            n if n == self.authors_ns() => Some(&mut self.authors),
            k => self.kinds.get_mut(k - 1).map(|kind| &mut kind.taxa),
        }
    }

    /// What links to a taxon of namespace `ns` name: a topic, or an entity of that kind.
    /// Nothing links to an author.
    fn ref_kind(&self, ns: usize) -> Option<RefKind> {
        match ns {
            0 => Some(RefKind::Topic),
            k => Some(RefKind::Entity(self.kinds.get(k - 1)?.kind.key.clone())),
        }
    }

    /// The folder of namespace `ns`: `topics`, the kind key, or `authors`.
    fn folder(&self, ns: usize) -> String {
        self.namespace_index(ns).1.trim_end_matches('/').to_string()
    }

    /// A briefing's topics, entities and authors with their namespaces.
    fn keyed_terms<'b>(&self, b: &'b Briefing) -> impl Iterator<Item = (usize, &'b Term)> {
        let authors = self.authors_ns();
        related::terms(b).chain(b.authors.iter().map(move |t| (authors, t)))
    }

    /// A briefing's topics, entities and authors as (namespace, slug).
    fn term_keys(&self, b: &Briefing) -> HashSet<(usize, String)> {
        self.keyed_terms(b)
            .map(|(ns, t)| (ns, t.slug.clone()))
            .collect()
    }

    fn find_taxon(&self, ns: usize, slug: &str) -> Option<&Taxon> {
        self.taxa(ns)?.iter().find(|t| t.slug == slug)
    }

    /// Replaces briefing `i` by `new` in place, moving it in the order when its date
    /// changed. False, with nothing changed, when the edit needs the whole model built
    /// again: it is another file or slug, or it has an error, which a full build then
    /// reports.
    pub fn patch(&mut self, i: usize, new: Arc<Briefing>, index: &mut Index) -> bool {
        let Some(old) = self.briefings.get(i).map(|e| e.briefing.clone()) else {
            return false;
        };
        if old.slug.value != new.slug.value || old.path != new.path {
            return false;
        }
        self.take_in(i, Some(&old), new, index)
    }

    /// Adds a new briefing in its place in the order. False, with nothing changed, when
    /// the model must be built again: its slug is taken, it has an error, or the site's
    /// size passes a power of two (every term's rarity changes; see `related::size_class`).
    pub fn insert(&mut self, new: Arc<Briefing>, index: &mut Index) -> bool {
        let n = self.briefings.len();
        if self.by_slug.contains_key(&new.slug.value)
            || related::size_class(n) != related::size_class(n + 1)
        {
            return false;
        }
        self.take_in(n, None, new, index)
    }

    /// Puts `new` at briefing `i`, which held `old` (or is one past the end for a new
    /// briefing).
    fn take_in(
        &mut self,
        i: usize,
        old: Option<&Briefing>,
        new: Arc<Briefing>,
        index: &mut Index,
    ) -> bool {
        let moved = old.is_none_or(|old| {
            old.date.timestamp() != new.date.timestamp() || old.date.iso() != new.date.iso()
        });
        let new = self.canonical_entities(new);
        // Which taxa gain or lose the briefing.
        let before: HashSet<(usize, String)> = old.map(|b| self.term_keys(b)).unwrap_or_default();
        let after: HashSet<(usize, String)> = self.term_keys(&new);
        if !self.can_patch(i, old, &new, &before, &after) {
            return false;
        }
        if old.is_none() {
            self.push_placeholder(&new, index);
        }
        let mut patch = Patch::default();
        let i = self.put_in_order(i, &new, moved, index, &mut patch);
        let manual = self.manual_of(i, &new);
        let links = story_links(i, &new.prose, &self.by_slug);
        self.briefings[i].briefing = new.clone();
        let touched: Vec<(usize, String)> = before.union(&after).cloned().collect();
        for (ns, slug) in &touched {
            let key = (*ns, slug.clone());
            let (had, has) = (before.contains(&key), after.contains(&key));
            self.move_in_taxon(i, *ns, slug, had, has);
        }
        self.add_topic_neighbours(i, &mut patch.pages);
        self.relink(i, links, &mut patch.pages);
        self.briefings[i].manual = manual;
        let near = std::mem::take(&mut patch.near);
        self.rerelate(i, moved.then_some(&near), index, &mut patch.pages);
        if moved {
            self.archive = crate::model::archive::Archive::of(&self.briefings);
        }
        true
    }

    /// A new briefing's entry at the end, as yet without URL, terms or links: moving it
    /// into its place and giving it its terms is then the same as for an edit.
    fn push_placeholder(&mut self, new: &Arc<Briefing>, index: &mut Index) {
        let n = self.briefings.len();
        self.briefings.push(Entry {
            briefing: new.clone(),
            url: String::new(),
            related: Arc::from([]),
            backlinks: Vec::new(),
            links: Vec::new(),
            manual: Vec::new(),
        });
        self.by_slug.insert(new.slug.value.clone(), n);
        index.push_empty(new);
    }

    /// Whether the new version can be patched in: everything it links to resolves after the
    /// edit, and nothing it takes away is still needed. Otherwise a full build decides (and
    /// reports the errors).
    fn can_patch(
        &self,
        i: usize,
        old: Option<&Briefing>,
        new: &Briefing,
        before: &HashSet<(usize, String)>,
        after: &HashSet<(usize, String)>,
    ) -> bool {
        let resolves_slug = |slug: &str| self.by_slug.contains_key(slug);
        let story_ok = new
            .prose
            .refs
            .iter()
            .filter(|r| r.kind == RefKind::Story)
            .all(|r| resolves_slug(&r.slug));
        if !story_ok || !new.related.iter().all(|r| resolves_slug(&r.value)) {
            return false;
        }
        // Whether an entity exists depends on front matter across files: a body link to a
        // new entity, or the last listing of one taken away, is left to a full build.
        if old.is_some_and(|old| self.drops_last_listing(i, old, new)) {
            return false;
        }
        // A home page section nothing uses any more is an error a full build reports.
        let empties_section = before.difference(after).any(|(ns, slug)| {
            self.is_section(slug)
                && self
                    .find_taxon(*ns, slug)
                    .is_some_and(|t| t.briefings == [i])
        });
        if empties_section {
            return false;
        }
        // An intro or profile no briefing uses is an error when it is a near miss of one
        // in use: where one is near, or the edit leaves one unused, a full build decides.
        // (An author's profile may wait for a first byline.)
        let checked = |ns: usize| ns != self.authors_ns();
        let unused_intro = |ns: usize| {
            checked(ns)
                && self.taxa(ns).is_some_and(|taxa| {
                    taxa.iter()
                        .any(|t| t.file.is_some() && t.briefings.is_empty())
                })
        };
        let leaves_unused = before.difference(after).any(|(ns, slug)| {
            checked(*ns)
                && self
                    .find_taxon(*ns, slug)
                    .is_some_and(|t| t.file.is_some() && t.briefings == [i])
        });
        if leaves_unused || before.union(after).any(|(ns, _)| unused_intro(*ns)) {
            return false;
        }
        let mut new_keys = HashSet::new();
        for (ns, slug) in after.difference(before) {
            if self.find_taxon(*ns, slug).is_none() {
                let linked =
                    related::terms(new).any(|(n, t)| n == *ns && t.slug == *slug && t.linked);
                if linked {
                    return false;
                }
                new_keys.extend(self.ref_kind(*ns).map(|k| Target::new(k, slug.as_str())));
            }
        }
        let mut gone_keys = HashSet::new();
        for (ns, slug) in before.difference(after) {
            let Some(taxon) = self.find_taxon(*ns, slug) else {
                return false;
            };
            if taxon.briefings == [i] && taxon.prose.is_none() {
                gone_keys.extend(self.ref_kind(*ns).map(|k| Target::new(k, slug.as_str())));
            }
        }
        // Every site link of the new version must resolve after the edit...
        let resolves = |key: &Target| {
            new_keys.contains(key) || (self.targets.contains_key(key) && !gone_keys.contains(key))
        };
        if !new.prose.refs.iter().all(|r| resolves(&r.target())) {
            return false;
        }
        // ...and no other file may link to a taxon that disappears.
        gone_keys.is_empty() || !self.links_to_any(&gone_keys, i)
    }

    /// Moves briefing `i` to its place for `new`'s date (when `moved`) and its URL; returns
    /// its index. Records the pages that showed it as a neighbour, and the briefings whose
    /// related candidates the move changed (`patch.near`).
    fn put_in_order(
        &mut self,
        i: usize,
        new: &Briefing,
        moved: bool,
        index: &mut Index,
        patch: &mut Patch,
    ) -> usize {
        let mut was_next_to = HashSet::new();
        self.add_topic_neighbours(i, &mut was_next_to);
        let i = if moved {
            let to = self.position_for(i, new);
            let (map, near) = self.move_briefing(i, to, new, index);
            was_next_to = was_next_to.into_iter().map(map).collect();
            patch.near = near;
            to
        } else {
            i
        };
        patch.pages = was_next_to;
        patch.pages.insert(i);
        let url = self.config.permalink.expand(
            new.date.year(),
            new.date.month(),
            new.date.day(),
            &new.slug.value,
        );
        if url != self.briefings[i].url {
            self.moved_to(i, url);
        }
        i
    }

    /// Whether the edit takes away the only front-matter listing of an entity that has no
    /// profile (body links alone cannot keep it).
    fn drops_last_listing(&self, i: usize, old: &Briefing, new: &Briefing) -> bool {
        let declared = |b: &Briefing| -> HashSet<(usize, String)> {
            related::terms(b)
                .filter(|(ns, t)| *ns > 0 && !t.linked)
                .map(|(ns, t)| (ns, t.slug.clone()))
                .collect()
        };
        let lists = |j: usize, ns: usize, slug: &str| {
            related::terms(&self.briefings[j].briefing)
                .any(|(n, t)| n == ns && t.slug == slug && !t.linked)
        };
        declared(old).difference(&declared(new)).any(|(ns, slug)| {
            match self.find_taxon(*ns, slug) {
                // Others only link to it: it would stop existing under their links. With
                // no others at all it just goes, as the patch handles.
                Some(t) => {
                    let mut others = t.briefings.iter().filter(|&&j| j != i).peekable();
                    t.prose.is_none()
                        && others.peek().is_some()
                        && !others.any(|&j| lists(j, *ns, slug))
                }
                None => true,
            }
        })
    }

    /// Names written as a profile's alias become the profile's slug, and every name of a
    /// topic, author or entity with a profile or titled intro its name, as in a build.
    pub(super) fn canonical_entities(&self, mut b: Arc<Briefing>) -> Arc<Briefing> {
        use super::{Canonical, List, canonicalize};
        fn named(taxa: &[super::Taxon]) -> Canonical<'_> {
            (taxa.iter())
                .filter(|t| t.named)
                .map(|t| (t.slug.clone(), (t.slug.as_str(), t.name.as_str())))
                .collect()
        }
        canonicalize(&mut b, List::Topics, &named(&self.topics));
        canonicalize(&mut b, List::Authors, &named(&self.authors));
        for (k, kind) in self.kinds.iter().enumerate() {
            let mut canonical = named(&kind.taxa);
            let profiles = kind.taxa.iter().filter(|t| t.prose.is_some() && t.named);
            for t in profiles {
                for alias in std::iter::once(&t.name).chain(&t.aliases) {
                    canonical
                        .entry(slugify(alias))
                        .or_insert((&t.slug, &t.name));
                }
            }
            canonicalize(&mut b, List::Entities(k), &canonical);
        }
        b
    }

    /// The briefing's `related:` choices by index (all of them exist: checked before).
    fn manual_of(&self, i: usize, b: &Briefing) -> Vec<usize> {
        b.related
            .iter()
            .filter_map(|r| self.by_slug.get(r.value.as_str()).copied())
            .filter(|&j| j != i)
            .collect()
    }

    /// Whether any body other than briefing `i`'s links to one of `keys`.
    fn links_to_any(&self, keys: &HashSet<Target>, i: usize) -> bool {
        let links = |p: &Prose| p.refs.iter().any(|r| keys.contains(&r.target()));
        let briefings = self
            .briefings
            .iter()
            .enumerate()
            .any(|(j, e)| j != i && links(&e.briefing.prose));
        let taxa = self
            .topics
            .iter()
            .chain(self.kinds.iter().flat_map(|k| &k.taxa))
            .filter_map(|t| t.prose.as_ref())
            .any(links);
        briefings || taxa || self.pages.iter().any(|p| links(&p.page.prose))
    }

    /// Adds the briefings next to `i` in its topics (their pages show it as newer or older).
    fn add_topic_neighbours(&self, i: usize, pages: &mut HashSet<usize>) {
        for t in &self.briefings[i].briefing.topics {
            let Some(taxon) = self.find_taxon(0, &t.slug) else {
                continue;
            };
            if let Ok(pos) = taxon.briefings.binary_search(&i) {
                pages.extend(pos.checked_sub(1).map(|p| taxon.briefings[p]));
                pages.extend(taxon.briefings.get(pos + 1).copied());
            }
        }
    }

    /// Puts briefing `i` into or out of taxon `slug`, making or removing the taxon, and
    /// renames it when the newest briefing listing it now writes its name differently.
    fn move_in_taxon(&mut self, i: usize, ns: usize, slug: &str, had: bool, has: bool) {
        let folder = self.folder(ns);
        let kind = self.ref_kind(ns);
        let name = self
            .keyed_terms(&self.briefings[i].briefing)
            .find(|(n, t)| *n == ns && t.slug == slug)
            .map(|(_, t)| t.name.clone());
        let Some(taxa) = self.taxa_mut(ns) else {
            return;
        };
        let at = match taxa.iter().position(|t| t.slug == slug) {
            Some(at) => at,
            None if !has => return,
            None => {
                let mut taxon = Taxon::new(&folder, slug, name.as_deref().unwrap_or(slug));
                taxon.briefings.push(i);
                taxon.declared = true;
                let url = taxon.url.clone();
                let key = sort_key(&taxon);
                let at = taxa.partition_point(|t| sort_key(t) < key);
                taxa.insert(at, taxon);
                let Some(kind) = kind else {
                    return;
                };
                self.targets
                    .insert(Target::new(kind.clone(), slug), url.clone());
                if ns > 0 {
                    let alias = slugify(name.as_deref().unwrap_or(slug));
                    self.targets.entry(Target::new(kind, alias)).or_insert(url);
                }
                return;
            }
        };
        let taxon = &mut taxa[at];
        match (had, has, taxon.briefings.binary_search(&i)) {
            (true, false, Ok(pos)) => {
                taxon.briefings.remove(pos);
            }
            (false, true, Err(pos)) => taxon.briefings.insert(pos, i),
            _ => {}
        }
        if taxon.briefings.is_empty() && taxon.prose.is_none() {
            let gone = taxa.remove(at);
            if let Some(kind) = kind {
                self.targets
                    .retain(|k, url| !(url == &gone.url && k.kind == kind));
            }
            return;
        }
        if taxon.named {
            return;
        }
        // The newest briefing that lists the taxon names it; with none, its slug does.
        let first = taxon.briefings.first().copied();
        let renamed = match first {
            Some(j) => self
                .keyed_terms(&self.briefings[j].briefing)
                .find(|(n, t)| *n == ns && t.slug == slug)
                .map(|(_, t)| t.name.clone()),
            None => Some(slug.to_string()),
        };
        let Some(taxa) = self.taxa_mut(ns) else {
            return;
        };
        let taxon = &mut taxa[at];
        if let Some(renamed) = renamed
            && renamed != taxon.name
        {
            taxon.name = renamed;
            let moved = taxa.remove(at);
            let key = sort_key(&moved);
            let to = taxa.partition_point(|t| sort_key(t) < key);
            taxa.insert(to, moved);
        }
    }

    /// Sets briefing `i`'s outgoing `story:` links, updating the backlinks of both ends.
    fn relink(&mut self, i: usize, links: Vec<usize>, pages: &mut HashSet<usize>) {
        let old = std::mem::take(&mut self.briefings[i].links);
        for &j in old.iter().filter(|j| !links.contains(j)) {
            let back = &mut self.briefings[j].backlinks;
            if let Ok(pos) = back.binary_search(&i) {
                back.remove(pos);
            }
            pages.insert(j);
        }
        for &j in links.iter().filter(|j| !old.contains(j)) {
            let back = &mut self.briefings[j].backlinks;
            if let Err(pos) = back.binary_search(&i) {
                back.insert(pos, i);
            }
            pages.insert(j);
        }
        // Briefings whose links to or from `i` changed score differently against it.
        pages.extend(old.iter().chain(&links).copied());
        self.briefings[i].links = links;
    }

    /// Recomputes the related lists an edit to briefing `i` can have changed: its own,
    /// those of briefings having a term whose briefings or name changed, and those it
    /// links to or from. With a new date, closeness to it changed for the briefings `moved`
    /// names and those linking to it. Pages whose list changed are added to `pages`.
    fn rerelate(
        &mut self,
        i: usize,
        moved: Option<&HashSet<usize>>,
        index: &mut Index,
        pages: &mut HashSet<usize>,
    ) {
        let cfg = &self.config.related;
        let changed = index.update(i, &self.briefings, cfg);
        let mut affected: HashSet<usize> = pages.clone();
        affected.insert(i);
        if let Some(near) = moved {
            // Its neighbours in its terms' lists, and briefings linking here, score it anew.
            affected.extend(near);
            affected.extend(self.briefings[i].backlinks.iter().copied());
        }
        for &t in &changed.reweighed {
            affected.extend(index.having(t));
        }
        for &t in &changed.reposted {
            affected.extend(index.reach(i, t));
        }
        let lists = related::compute_some(index, &self.briefings, cfg, &|a| affected.contains(&a));
        for a in affected {
            if *self.briefings[a].related != lists[a] {
                self.briefings[a].related = lists[a].clone().into();
                pages.insert(a);
            }
        }
    }
}
