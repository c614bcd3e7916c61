//! A site in several languages is one model per language. This links them: briefings that
//! translate each other (`translation_of:`), and the pages of one language that have a
//! counterpart in another (homes always; topics, entities and authors by their slugs, which
//! stay the same across languages).

use std::collections::{HashMap, HashSet};

use super::Site;
use crate::diag::Diagnostics;

/// The same page in another language.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alternate {
    pub lang: String,
    /// From the site's root, e.g. `uk/2025/03/talks/`.
    pub url: String,
}

/// What one language's model knows of the others.
#[derive(Debug, Default, Clone)]
pub struct Languages {
    /// Briefing index -> the same briefing in other languages, in site.yaml's order.
    pub(crate) briefings: HashMap<usize, Vec<Alternate>>,
    /// The other languages, in site.yaml's order.
    pub(crate) others: Vec<Other>,
    /// The topics whose names this language took from another (see `borrow_topic_names`).
    pub(crate) borrowed: Vec<String>,
}

impl Languages {
    /// A print of every link to another language: each briefing's translations and the
    /// other languages' lists. What a page's language switcher shows depends on it, so a
    /// site whose print changed has every page made again.
    pub fn print(&self) -> u64 {
        let mut briefings: Vec<(&usize, &Vec<Alternate>)> = self.briefings.iter().collect();
        briefings.sort_unstable_by_key(|(i, _)| **i);
        let briefings: Vec<(usize, Vec<(&str, &str)>)> = (briefings.into_iter())
            .map(|(i, alts)| {
                (
                    *i,
                    alts.iter()
                        .map(|a| (a.lang.as_str(), a.url.as_str()))
                        .collect(),
                )
            })
            .collect();
        let others: Vec<(&str, &str, Vec<&String>)> = (self.others.iter())
            .map(|o| {
                let mut lists: Vec<&String> = o.lists.iter().collect();
                lists.sort_unstable();
                (o.lang.as_str(), o.home.as_str(), lists)
            })
            .collect();
        crate::text::hash_of((briefings, others))
    }
}

/// Another language of the site and the list pages it has.
#[derive(Debug, Clone)]
pub struct Other {
    pub(crate) lang: String,
    /// Its folder from the site's root: empty for the main language, else `<code>/`.
    pub(crate) home: String,
    /// The URLs of its topic, entity and author pages and their indexes, from its home.
    pub(crate) lists: HashSet<String>,
}

impl Languages {
    /// The page at `url` (from this language's home) in the other languages that have it.
    pub fn list_alternates(&self, url: &str) -> Vec<Alternate> {
        (self.others.iter())
            .filter(|o| url.is_empty() || o.lists.contains(url))
            .map(|o| Alternate {
                lang: o.lang.clone(),
                url: format!("{}{url}", o.home),
            })
            .collect()
    }
}

/// A briefing of one language: (site, briefing index).
type Node = (usize, usize);

/// Links the sites, one per language with the main one first. A translation of a missing
/// briefing, of one in its own language, or a second translation into one language is an
/// error at its `translation_of:`.
pub fn link(sites: &mut [Site]) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut groups = Groups::default();
    for (s, site) in sites.iter().enumerate() {
        for (i, e) in site.briefings.iter().enumerate() {
            let Some(of) = &e.briefing.translation_of else {
                continue;
            };
            match original(sites, (s, i), &of.value) {
                Ok(target) => groups.join((s, i), target),
                Err(message) => {
                    let slugs: std::collections::BTreeSet<&str> = (sites.iter().enumerate())
                        .filter(|&(t, _)| t != s)
                        .flat_map(|(_, other)| other.by_slug.keys().map(String::as_str))
                        .collect();
                    let help = match crate::text::nearest(&of.value, slugs) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "write the slug of the briefing this one translates, as it is in the other language".to_string(),
                    };
                    diags.push(of.error(message).help(help));
                }
            }
        }
    }
    for members in groups.members() {
        check_one_per_language(sites, &members, &mut diags);
    }
    if !diags.is_empty() {
        return Err(diags.sorted());
    }
    let others = others(sites);
    for (s, site) in sites.iter_mut().enumerate() {
        // Linking again after an edit starts afresh.
        site.languages.briefings.clear();
        site.languages.others = others
            .iter()
            .filter(|o| o.0 != s)
            .map(|o| o.1.clone())
            .collect();
    }
    for members in groups.members() {
        for &(s, i) in &members {
            let alternates = (members.iter())
                .filter(|&&(t, _)| t != s)
                .map(|&(t, j)| Alternate {
                    lang: sites[t].config.language.clone(),
                    url: format!("{}{}", sites[t].config.home, sites[t].briefings[j].url),
                })
                .collect();
            sites[s].languages.briefings.insert(i, alternates);
        }
    }
    Ok(())
}

/// The briefing that `slug`, named by briefing `i` of site `s`, means: one with that slug
/// in another language, the one that translates nothing if there are several.
fn original(sites: &[Site], (s, i): Node, slug: &str) -> Result<Node, String> {
    let found: Vec<Node> = (sites.iter().enumerate())
        .filter(|&(t, _)| t != s)
        .filter_map(|(t, site)| site.by_slug.get(slug).map(|&i| (t, i)))
        .collect();
    let untranslated = |&&(t, i): &&Node| sites[t].briefings[i].briefing.translation_of.is_none();
    if let Some(&node) = found.iter().find(untranslated).or(found.first()) {
        return Ok(node);
    }
    let own = &sites[s].config.language;
    // A translation keeps its original's slug: naming itself means the original is gone.
    if sites[s].by_slug.get(slug) == Some(&i) {
        return Err(format!(
            "no briefing in another language has the slug `{slug}`: was the briefing this one translates deleted or renamed?"
        ));
    }
    if sites[s].by_slug.contains_key(slug) {
        return Err(format!(
            "`{slug}` is a briefing in the same language ({own}); `translation_of` names one in another language"
        ));
    }
    Err(format!(
        "no briefing in another language has the slug `{slug}`"
    ))
}

/// Two briefings of one language in one group: each that names a translation is an error,
/// naming the others.
fn check_one_per_language(sites: &[Site], members: &[Node], diags: &mut Diagnostics) {
    let mut by_language: HashMap<usize, Vec<usize>> = HashMap::new();
    for &(s, i) in members {
        by_language.entry(s).or_default().push(i);
    }
    for (s, list) in by_language.into_iter().filter(|(_, l)| l.len() > 1) {
        let site = &sites[s];
        for &i in &list {
            let b = &site.briefings[i].briefing;
            let Some(at) = &b.translation_of else {
                continue;
            };
            let others: Vec<String> = (list.iter().filter(|&&j| j != i))
                .map(|&j| site.briefings[j].briefing.path.display().to_string())
                .collect();
            diags.push(
                at.error(format!(
                    "{} also translates this briefing into `{}`",
                    others.join(", "),
                    site.config.language
                ))
                .help("a briefing has one translation per language: remove `translation_of` from one of them"),
            );
        }
    }
}

impl Site {
    /// The addresses of the language's topic, entity and author pages and their indexes.
    fn list_urls(&self) -> HashSet<String> {
        let mut lists: HashSet<String> =
            self.namespaces().flatten().map(|t| t.url.clone()).collect();
        for ns in 0..self.namespaces().count() {
            lists.insert(self.namespace_index(ns).1.to_string());
        }
        lists
    }

    /// A print of everything linking the languages gives this one: its links to the
    /// others, and the names its topics borrowed. When it stays the same after another
    /// language's edit, none of this language's pages changed.
    pub fn linked_print(&self) -> u64 {
        let names: Vec<(&str, &str)> = (self.topics.iter())
            .map(|t| (t.slug.as_str(), t.name.as_str()))
            .collect();
        crate::text::hash_of((self.languages.print(), names))
    }
}

/// Each language's list pages, for the others' alternates.
fn others(sites: &[Site]) -> Vec<(usize, Other)> {
    (sites.iter().enumerate())
        .map(|(s, site)| {
            let lists = site.list_urls();
            let other = Other {
                lang: site.config.language.clone(),
                home: site.config.home.clone(),
                lists,
            };
            (s, other)
        })
        .collect()
}

/// Briefings joined into groups of translations (a union-find over nodes).
#[derive(Default)]
struct Groups {
    parent: HashMap<Node, Node>,
}

impl Groups {
    fn root(&self, mut n: Node) -> Node {
        while let Some(&p) = self.parent.get(&n) {
            if p == n {
                break;
            }
            n = p;
        }
        n
    }

    fn join(&mut self, a: Node, b: Node) {
        for n in [a, b] {
            self.parent.entry(n).or_insert(n);
        }
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.parent.insert(ra, rb);
        }
    }

    /// Each group's briefings, in site then briefing order.
    fn members(&self) -> Vec<Vec<Node>> {
        let mut groups: HashMap<Node, Vec<Node>> = HashMap::new();
        for &n in self.parent.keys() {
            groups.entry(self.root(n)).or_default().push(n);
        }
        let mut groups: Vec<Vec<Node>> = groups.into_values().collect();
        for g in &mut groups {
            g.sort_unstable();
        }
        groups.sort_unstable();
        groups
    }
}

/// A topic a translation names by its slug (`topics: [war-in-ukraine]`) with no intro in
/// its language takes its name from another language, the main one first, rather than
/// showing the slug.
pub(super) fn borrow_topic_names(sites: &mut [Site]) {
    // Linking again after an edit starts from the names as written.
    sites.iter_mut().for_each(give_back_topic_names);
    let mut names: HashMap<String, String> = HashMap::new();
    for site in sites.iter() {
        for t in site.topics.iter().filter(|t| t.name != t.slug) {
            names
                .entry(t.slug.clone())
                .or_insert_with(|| t.name.clone());
        }
    }
    for site in sites.iter_mut() {
        let borrowed: super::Canonical<'_> = (site.topics.iter())
            .filter(|t| !t.named && t.name == t.slug)
            .filter_map(|t| {
                let name = names.get(&t.slug)?;
                Some((t.slug.clone(), (t.slug.as_str(), name.as_str())))
            })
            .collect();
        if borrowed.is_empty() {
            continue;
        }
        let renamed: Vec<(String, String)> = (borrowed.iter())
            .map(|(slug, (_, name))| (slug.clone(), name.to_string()))
            .collect();
        for e in site.briefings.iter_mut() {
            super::canonicalize(&mut e.briefing, super::List::Topics, &borrowed);
        }
        for t in site.topics.iter_mut() {
            if let Some((_, name)) = renamed.iter().find(|(slug, _)| *slug == t.slug) {
                t.name = name.clone();
                t.named = true;
            }
        }
        site.languages.borrowed = renamed.into_iter().map(|(slug, _)| slug).collect();
    }
}

/// Undoes `borrow_topic_names` for one language: its borrowed topics are named by their
/// slugs again, as its briefings wrote them.
fn give_back_topic_names(site: &mut Site) {
    let slugs = std::mem::take(&mut site.languages.borrowed);
    if slugs.is_empty() {
        return;
    }
    let own: super::Canonical<'_> = (slugs.iter())
        .map(|slug| (slug.clone(), (slug.as_str(), slug.as_str())))
        .collect();
    for e in site.briefings.iter_mut() {
        super::canonicalize(&mut e.briefing, super::List::Topics, &own);
    }
    for t in site.topics.iter_mut().filter(|t| slugs.contains(&t.slug)) {
        t.name = t.slug.clone();
        t.named = false;
    }
}
