//! A page's versions in the site's other languages: "Also in" links and `hreflang`
//! alternates, and the language switcher of a multilingual site.

use serde::Serialize;

use super::{Job, Renderer};
use crate::model::translations::Alternate;

/// The same page in another language, as templates show it.
#[derive(Serialize, Debug, Clone, PartialEq, Eq, Hash)]
pub struct AlternateView {
    /// The language's code, for `hreflang` and `lang`.
    pub lang: String,
    /// The language's name in that language ("Українська").
    pub name: String,
    /// The page's absolute address.
    pub url: String,
    /// The page's address from this page.
    pub href: String,
}

/// One of the site's languages, for the switcher in the header.
#[derive(Serialize, Debug, Clone, PartialEq, Eq, Hash)]
pub struct LanguageLink {
    pub lang: String,
    pub name: String,
    /// Its home from the site's root: empty for the main language, else `<code>/`.
    pub home: String,
    /// Whether this is the language of the page being shown.
    pub current: bool,
}

/// Each language's code and its name in itself, main one first.
pub type Names = Vec<(String, String)>;

/// The switcher's links: every language of a multilingual site; none for one language.
pub fn links(names: &Names, current: &str) -> Vec<LanguageLink> {
    if names.len() < 2 {
        return Vec::new();
    }
    (names.iter().enumerate())
        .map(|(i, (lang, name))| LanguageLink {
            lang: lang.clone(),
            name: name.clone(),
            home: if i == 0 {
                String::new()
            } else {
                format!("{lang}/")
            },
            current: lang == current,
        })
        .collect()
}

impl Renderer<'_> {
    /// The page of `job` in the other languages that have it: a briefing's translations,
    /// the homes, and topic, entity and author pages (and their indexes) by their slugs.
    pub(super) fn alternates(&self, job: &Job<'_>, root: &str) -> Vec<AlternateView> {
        let languages = &self.site.languages;
        if languages.others.is_empty() {
            return Vec::new();
        }
        let list = match job {
            Job::Briefing(i) => languages.briefings.get(i).cloned().unwrap_or_default(),
            Job::Home { page: 1, .. } => languages.list_alternates(""),
            Job::TaxonIndex(ns) => languages.list_alternates(self.site.namespace_index(*ns).1),
            Job::Taxon { taxon, page: 1, .. } => languages.list_alternates(&taxon.url),
            _ => Vec::new(),
        };
        let config = &self.site.config;
        let up = config.up_to_site();
        list.into_iter()
            .map(|Alternate { lang, url }| AlternateView {
                name: self.language_name(&lang).to_string(),
                url: format!("{}{url}", config.site_url()),
                href: format!("{root}{up}{url}"),
                lang,
            })
            .collect()
    }

    fn language_name<'n>(&'n self, lang: &'n str) -> &'n str {
        (self.names.iter())
            .find(|(code, _)| code == lang)
            .map_or(lang, |(_, name)| name.as_str())
    }
}
