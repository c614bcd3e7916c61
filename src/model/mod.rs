//! Model stage: the whole site indexed and cross-checked before anything is rendered.
//! Briefings are sorted newest first; topics and entities know their briefings; every URL
//! is computed here, once.

mod taxonomy;

use std::collections::HashMap;

use crate::config::{Config, EntityKind};
use crate::content::{Briefing, Content, Page};
use crate::diag::Diagnostics;
pub use taxonomy::Taxon;

/// A briefing with what the model derived for it.
#[derive(Debug)]
pub struct Entry {
    pub briefing: Briefing,
    /// Site-relative URL, e.g. `2025/03/putin-witkoff-ceasefire/`.
    pub url: String,
    /// Indexes into `Site::briefings` of its manual `related:` briefings.
    pub related: Vec<usize>,
}

/// All taxa of one entity kind.
#[derive(Debug)]
pub struct KindIndex {
    pub kind: EntityKind,
    /// Site-relative URL of the kind's index, e.g. `people/`.
    pub index_url: String,
    pub taxa: Vec<Taxon>,
}

#[derive(Debug)]
pub struct PageEntry {
    pub page: Page,
    pub url: String,
}

/// The frozen site every page is rendered from.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// Newest first.
    pub briefings: Vec<Entry>,
    /// Sorted by name.
    pub topics: Vec<Taxon>,
    /// In site.yaml order.
    pub kinds: Vec<KindIndex>,
    pub pages: Vec<PageEntry>,
}

impl Site {
    /// Indexes the loaded content, reporting every cross-file problem.
    pub fn build(config: Config, content: Content) -> Result<Site, Diagnostics> {
        let mut diags = Diagnostics::default();
        let mut briefings = content.briefings;
        briefings.sort_by(|a, b| {
            b.date
                .timestamp()
                .cmp(&a.date.timestamp())
                .then_with(|| a.slug.value.cmp(&b.slug.value))
                .then_with(|| a.path.cmp(&b.path))
        });

        let mut by_slug: HashMap<&str, usize> = HashMap::new();
        for (i, b) in briefings.iter().enumerate() {
            if let Some(&first) = by_slug.get(b.slug.value.as_str()) {
                diags.push(
                    b.slug
                        .error(format!(
                            "the slug `{}` is also used by {}",
                            b.slug.value,
                            briefings[first].path.display()
                        ))
                        .help("each briefing needs its own slug: rename one file or set a different `slug:`"),
                );
            } else {
                by_slug.insert(&b.slug.value, i);
            }
        }

        let mut related = Vec::with_capacity(briefings.len());
        for b in &briefings {
            let mut rel = Vec::new();
            for r in &b.related {
                match by_slug.get(r.value.as_str()) {
                    Some(&i) if briefings[i].slug.value != b.slug.value => rel.push(i),
                    Some(_) => {}
                    None => diags.push(
                        r.error(format!("`related` names an unknown briefing `{}`", r.value))
                            .help(match crate::diag::nearest(&r.value, by_slug.keys().copied()) {
                                Some(near) => format!("did you mean `{near}`? `related` lists briefing slugs"),
                                None => "`related` lists the slugs of other briefings (their file names without .md)".into(),
                            }),
                    ),
                }
            }
            related.push(rel);
        }

        let topics = taxonomy::topics(&briefings, content.topics);
        let (kinds, entity_diags) = taxonomy::entities(&config, &mut briefings, content.entities);
        diags.extend(entity_diags);

        let briefings: Vec<Entry> = briefings
            .into_iter()
            .zip(related)
            .map(|(briefing, related)| Entry {
                url: config.permalink.expand(
                    briefing.date.year(),
                    briefing.date.month(),
                    briefing.date.day(),
                    &briefing.slug.value,
                ),
                briefing,
                related,
            })
            .collect();

        let mut pages: Vec<PageEntry> = content
            .pages
            .into_iter()
            .map(|page| PageEntry {
                url: format!("{}/", page.slug.value),
                page,
            })
            .collect();
        pages.sort_by(|a, b| a.url.cmp(&b.url));

        diags.into_result(Site {
            config,
            briefings,
            topics,
            kinds,
            pages,
        })
    }
}
