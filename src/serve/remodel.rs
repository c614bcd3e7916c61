//! The preview's models of the site, one per language, and how an edit reaches them: the
//! cheapest way it allows, in the language it was made in. Edited briefings are swapped
//! in, one briefing is patched in place or a new one taken in (and the languages linked
//! again), or every language is modelled again, keeping related lists that cannot differ.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::rebuild;
use crate::config::Config;
use crate::content::{Content, Item, Publish};
use crate::diag::Diagnostics;
use crate::model::{self, Site, related};

/// Every loaded content file, by path.
pub(super) type Items = BTreeMap<PathBuf, Item>;

/// Content files by path: their other versions, `None` where there is none.
pub(super) type Changed = BTreeMap<PathBuf, Option<Item>>;

/// The site's models, the main language first.
pub(super) struct Models {
    config: Config,
    pub(super) sites: Vec<Site>,
    /// What each language's related lists are drawn from, to update them after an edit.
    related: Vec<related::Index>,
}

/// How the models took in an edit.
pub(super) enum Remodelled {
    /// The briefings at these positions of one language were replaced, and nothing else
    /// changed.
    Swapped {
        language: usize,
        positions: Vec<usize>,
    },
    /// Which languages' models changed.
    Languages(Vec<bool>),
}

impl Models {
    /// Models every language of `items`.
    pub(super) fn build(
        config: &Config,
        items: &Items,
        publish: Publish,
    ) -> Result<Models, Diagnostics> {
        let mut models = Models {
            config: config.clone(),
            sites: Vec::new(),
            related: Vec::new(),
        };
        models.rebuild_all(items, publish)?;
        Ok(models)
    }

    /// Brings the models up to `items`, in which the edit replaced `was`. On error the
    /// models may be a step ahead of what is served: build them again from the items the
    /// served site was made from.
    pub(super) fn take_in(
        &mut self,
        items: &Items,
        was: &Changed,
        publish: Publish,
    ) -> Result<Remodelled, Diagnostics> {
        if let Some(language) = self.language_of(items, was) {
            if let Some(positions) = self.swapped(language, items, was) {
                return Ok(Remodelled::Swapped {
                    language,
                    positions,
                });
            }
            if let Some(changed) = self.patched_or_inserted(language, items, was) {
                return Ok(Remodelled::Languages(changed));
            }
        }
        self.rebuild_all(items, publish)?;
        Ok(Remodelled::Languages(vec![true; self.sites.len()]))
    }

    /// Models every language again, keeping the related lists an edit cannot have changed.
    pub(super) fn rebuild_all(
        &mut self,
        items: &Items,
        publish: Publish,
    ) -> Result<(), Diagnostics> {
        let content = Content::from_items(items.values().cloned()).at(publish.now);
        let previous = &self.sites;
        let built = model::each_language(&self.config, content, &|config, part| match previous
            .iter()
            .find(|p| p.config.language == config.language)
        {
            Some(previous) => rebuild::rebuild(config, part, previous),
            None => rebuild::build(config, part),
        })
        .map_err(Diagnostics::sorted)?;
        let (mut sites, related): (Vec<Site>, Vec<related::Index>) = built.into_iter().unzip();
        model::link_languages(&mut sites)?;
        (self.sites, self.related) = (sites, related);
        Ok(())
    }

    /// The language every edited file is a briefing of, if they are all briefings of one.
    fn language_of(&self, items: &Items, was: &Changed) -> Option<usize> {
        let mut languages = (was.iter())
            .flat_map(|(path, old)| [old.as_ref(), items.get(path)])
            .flatten()
            .map(|item| match item {
                Item::Briefing(b) => Some(b.lang.as_str()),
                _ => None,
            });
        let first = languages.next()??;
        if !languages.all(|lang| lang == Some(first)) {
            return None;
        }
        match self.sites.as_slice() {
            [_] => Some(0),
            sites => sites.iter().position(|s| s.config.language == first),
        }
    }

    /// Edits that change nothing the model indexes (text, title, summary): the new
    /// versions take the old ones' places, whose positions are returned. `None` when the
    /// edit needs more.
    fn swapped(&mut self, language: usize, items: &Items, was: &Changed) -> Option<Vec<usize>> {
        let mut edits = Vec::new();
        for (path, old) in was {
            let (Some(Item::Briefing(old)), Some(Item::Briefing(new))) = (old, items.get(path))
            else {
                return None;
            };
            edits.push((old, new.clone()));
        }
        self.sites.get_mut(language)?.swap(edits)
    }

    /// One briefing edited in a way the model indexes (topics, entities, links, its date)
    /// and patched in place, or a new one taken in; in a site of several languages, the
    /// languages are then linked again. Returns which languages changed; `None` when the
    /// edit needs every language modelled again.
    fn patched_or_inserted(
        &mut self,
        language: usize,
        items: &Items,
        was: &Changed,
    ) -> Option<Vec<bool>> {
        if !(self.patched(language, items, was) || self.inserted(language, items, was)) {
            return None;
        }
        if self.sites.len() == 1 {
            return Some(vec![true]);
        }
        let before: Vec<u64> = self.sites.iter().map(Site::linked_print).collect();
        model::link_languages(&mut self.sites).ok()?;
        let changed = (self.sites.iter().enumerate())
            .map(|(i, s)| i == language || s.linked_print() != before[i])
            .collect();
        Some(changed)
    }

    /// One briefing, which keeps its file and slug, patched in place.
    fn patched(&mut self, language: usize, items: &Items, was: &Changed) -> bool {
        let mut was = was.iter();
        let (Some((path, Some(Item::Briefing(old)))), None) = (was.next(), was.next()) else {
            return false;
        };
        let Some(Item::Briefing(new)) = items.get(path) else {
            return false;
        };
        let (site, index) = (&mut self.sites[language], &mut self.related[language]);
        let Some(&i) = site.by_slug.get(&old.slug.value) else {
            return false;
        };
        site.briefings[i].briefing.path == old.path && site.patch(i, new.clone(), index)
    }

    /// A new briefing file, taken in place.
    fn inserted(&mut self, language: usize, items: &Items, was: &Changed) -> bool {
        let mut was = was.iter();
        let (Some((path, None)), None) = (was.next(), was.next()) else {
            return false;
        };
        let Some(Item::Briefing(new)) = items.get(path) else {
            return false;
        };
        let (site, index) = (&mut self.sites[language], &mut self.related[language]);
        site.insert(new.clone(), index)
    }
}
