//! Which files show a briefing's card (title, summary, dateline, authors): for an edit that
//! changes only those, the preview re-renders these files without rebuilding the model or
//! fingerprinting every file. What is listed here must match what the templates show; the
//! preview tests compare the result with a fresh build.

use std::collections::HashSet;

use super::Job;
use super::feeds::FEED_ENTRIES;
use crate::model::{Site, Taxon};

pub struct Showing<'s> {
    site: &'s Site,
    /// The edited briefings.
    edited: HashSet<usize>,
    /// Briefing pages that show an edited one: itself, in related or backlink lists, or as
    /// the newer or older neighbour in a topic.
    pages: HashSet<usize>,
}

impl<'s> Showing<'s> {
    pub fn new(site: &'s Site, edited: &[usize]) -> Self {
        let edited: HashSet<usize> = edited.iter().copied().collect();
        let mut pages = edited.clone();
        for (j, e) in site.briefings.iter().enumerate() {
            let lists_edited = e.related.iter().any(|r| edited.contains(&r.index))
                || e.backlinks.iter().any(|b| edited.contains(b));
            if lists_edited {
                pages.insert(j);
            }
        }
        for &i in &edited {
            for t in &site.briefings[i].briefing.topics {
                let Some(taxon) = site.topics.iter().find(|x| x.slug == t.slug) else {
                    continue;
                };
                if let Ok(pos) = taxon.briefings.binary_search(&i) {
                    pages.extend(pos.checked_sub(1).map(|p| taxon.briefings[p]));
                    pages.extend(taxon.briefings.get(pos + 1).copied());
                }
            }
        }
        Showing {
            site,
            edited,
            pages,
        }
    }

    /// Whether the 1-based `page` of `list` (paginated) or its first `feed` entries hold an
    /// edited briefing.
    fn on_page(&self, list: &[usize], page: usize, per: usize) -> bool {
        self.edited.iter().any(|&i| {
            list.binary_search(&i)
                .is_ok_and(|pos| pos / per.max(1) + 1 == page)
        })
    }

    fn in_feed(&self, taxon: &Taxon) -> bool {
        self.on_page(&taxon.briefings, 1, FEED_ENTRIES)
    }

    pub fn shows(&self, job: &Job<'_>) -> bool {
        let per = self.site.config.paginate;
        match job {
            Job::Briefing(i) => self.pages.contains(i),
            Job::Home { page, .. } => self.edited.iter().any(|&i| i / per.max(1) + 1 == *page),
            Job::Taxon { taxon, page, .. } => self.on_page(&taxon.briefings, *page, per),
            Job::TaxonFeed { taxon, .. } => self.in_feed(taxon),
            Job::SiteFeed => self.edited.iter().any(|&i| i < FEED_ENTRIES),
            Job::SearchIndex => true,
            // Titles of taxa, URLs and dates are not part of such an edit.
            Job::TopicIndex
            | Job::KindIndex(_)
            | Job::Page(_)
            | Job::Search
            | Job::NotFound
            | Job::Robots
            | Job::Sitemap
            | Job::SitemapPart(_)
            | Job::HighlightCss => false,
        }
    }
}
