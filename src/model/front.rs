//! What the home page leads with: the newest featured briefing (else the newest), and the
//! sections site.yaml names, each a topic or an entity with its newest briefings.

use super::{Site, Taxon};
use crate::diag::Diagnostics;

impl Site {
    /// The briefing that leads the home page: the newest published one marked
    /// `featured: true`, else the newest.
    pub fn lead(&self) -> Option<usize> {
        let featured = |b: &crate::content::Briefing| b.featured && !b.draft && !b.scheduled;
        (self.briefings.iter())
            .position(|e| featured(&e.briefing))
            .or_else(|| (!self.briefings.is_empty()).then_some(0))
    }

    /// The home page's sections, in site.yaml's order, with their namespaces. A language
    /// whose briefings do not use one leaves it out (the main language must: see
    /// `check_sections`).
    pub fn sections(&self) -> impl Iterator<Item = (usize, &Taxon)> {
        (self.config.sections.iter()).filter_map(|s| self.section(&s.slug))
    }

    /// The topic (first) or entity that has briefings under `slug`.
    fn section(&self, slug: &str) -> Option<(usize, &Taxon)> {
        (self.namespaces().enumerate())
            .take(self.authors_ns())
            .find_map(|(ns, taxa)| {
                let taxon = taxa.iter().find(|t| t.slug == slug)?;
                (!taxon.briefings.is_empty()).then_some((ns, taxon))
            })
    }

    /// Whether `slug` is the slug of a home page section.
    pub(super) fn is_section(&self, slug: &str) -> bool {
        self.config.sections.iter().any(|s| s.slug == slug)
    }
}

/// A section that names no topic or entity the site's briefings use is an error at its
/// entry in site.yaml, with the nearest slug in use.
pub(super) fn check_sections(site: &Site, diags: &mut Diagnostics) {
    for s in &site.config.sections {
        if site.section(&s.slug).is_some() {
            continue;
        }
        let in_use = (site.namespaces().take(site.authors_ns()).flatten())
            .filter(|t| !t.briefings.is_empty())
            .map(|t| t.slug.as_str());
        let help = match crate::text::nearest(&s.slug, in_use) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "a section is the slug of a topic or an entity that briefings list, as in its address (topics/<slug>/)".to_string(),
        };
        let message = format!(
            "the section `{}` is not a topic or entity any briefing uses",
            s.slug
        );
        diags.push(s.place.clone().with_message(message).help(help));
    }
}
