//! The preview rebuilds the model after new, deleted or renamed files and site.yaml
//! changes. Related lists are the costly part: those an edit cannot have changed are kept
//! from the last model instead of computed again.

use std::collections::HashSet;
use std::sync::Arc;

use crate::config::Config;
use crate::content::{Briefing, Content};
use crate::diag::Diagnostics;
use crate::model::{Site, related};

/// The model of `content`, with the index its related lists come from.
pub fn build(config: Config, content: Content) -> Result<(Site, related::Index), Diagnostics> {
    Site::build_knowing(config, content, &|_, _| None)
}

/// The model of `content`, keeping `previous`'s related lists where they cannot differ.
pub fn rebuild(
    config: Config,
    content: Content,
    previous: &Site,
) -> Result<(Site, related::Index), Diagnostics> {
    let related_config = config.related.clone();
    Site::build_knowing(config, content, &|briefings, links| {
        let affected = reusable(previous, briefings, links, &related_config)?;
        Some(
            affected
                .iter()
                .enumerate()
                .map(|(i, &changed)| (!changed).then(|| previous.briefings[i].related.clone()))
                .collect(),
        )
    })
}

/// Which briefings' related lists may differ from `previous`, or `None` when the order of
/// briefings changed (then everything is computed again). A briefing is affected when it
/// changed, has a topic or entity a changed one gained or lost (its rarity moved; with a
/// new date, any term they share), or links to or from one.
fn reusable(
    previous: &Site,
    briefings: &[Arc<Briefing>],
    links: &[Vec<usize>],
    related_config: &crate::config::RelatedConfig,
) -> Option<Vec<bool>> {
    if previous.briefings.len() != briefings.len() || previous.config.related != *related_config {
        return None;
    }
    let same_order = previous
        .briefings
        .iter()
        .zip(briefings)
        .all(|(old, new)| old.briefing.slug.value == new.slug.value);
    if !same_order {
        return None;
    }
    let terms = |b: &Briefing| {
        related::terms(b)
            .map(|(k, t)| (k, t.slug.clone()))
            .collect::<Vec<_>>()
    };
    let named = |b: &Briefing| {
        related::terms(b)
            .map(|(k, t)| (k, t.slug.clone(), t.name.clone()))
            .collect::<HashSet<_>>()
    };
    let mut affected = vec![false; briefings.len()];
    let mut touched_terms = HashSet::new();
    for (i, (old, new)) in previous.briefings.iter().zip(briefings).enumerate() {
        if Arc::ptr_eq(&old.briefing, new) {
            continue;
        }
        affected[i] = true;
        if old.briefing.date.timestamp() == new.date.timestamp() {
            // Only the terms it gained or lost (or renamed) change anyone else's scores: a
            // briefing sharing none of them scores the same against this one as before.
            let (was, is) = (named(&old.briefing), named(new));
            touched_terms.extend(
                was.symmetric_difference(&is)
                    .map(|(k, slug, _)| (*k, slug.clone())),
            );
        } else {
            touched_terms.extend(terms(&old.briefing));
            touched_terms.extend(terms(new));
        }
        for &j in links[i].iter().chain(&old.backlinks) {
            affected[j] = true;
        }
        for (j, e) in previous.briefings.iter().enumerate() {
            if e.backlinks.contains(&i) {
                affected[j] = true;
            }
        }
    }
    if touched_terms.is_empty() {
        return Some(affected);
    }
    for (i, b) in briefings.iter().enumerate() {
        if !affected[i] && terms(b).iter().any(|t| touched_terms.contains(t)) {
            affected[i] = true;
        }
    }
    // New links into a changed briefing.
    for (i, out) in links.iter().enumerate() {
        if out
            .iter()
            .any(|&j| affected[j] && !Arc::ptr_eq(&previous.briefings[j].briefing, &briefings[j]))
        {
            affected[i] = true;
        }
    }
    Some(affected)
}
