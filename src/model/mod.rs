//! Model stage: the whole site indexed and cross-checked before anything is rendered.
//! Briefings are sorted newest first; topics and entities know their briefings; every URL
//! is computed here, once. The model changes only here: the preview's edits in place
//! (`patch`, `reorder`, `reindex`) give what building the edited content would.

pub mod archive;
mod checks;
mod front;
mod patch;
mod reindex;
pub mod related;
mod reorder;
mod spellings;
mod swap;
mod taxonomy;
pub mod translations;
mod warnings;

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::{Config, EntityKind};
use crate::content::{Briefing, Content, Page, Prose};
use crate::diag::Diagnostics;
use crate::markdown::{RefKind, Target};
use crate::text::slugify;
pub use related::Related;
pub use taxonomy::{AUTHORS, Person, Taxon, sort_key};
pub(crate) use taxonomy::{Canonical, List, canonicalize};
pub use warnings::{warnings, warnings_of};

/// Related lists a caller already knows, given the briefings in order and the `story:`
/// links of each: one per briefing, `None` where it must be computed.
pub type KnownRelated<'a> =
    dyn Fn(&[Arc<Briefing>], &[Vec<usize>]) -> Option<Vec<Option<Arc<[Related]>>>> + 'a;

/// A briefing with what the model derived for it.
#[derive(Debug)]
pub struct Entry {
    pub(crate) briefing: Arc<Briefing>,
    /// Site-relative URL, e.g. `2025/03/putin-witkoff-ceasefire/`.
    pub(crate) url: String,
    /// Related briefings, the editors' `related:` choices first.
    /// Shared, so a list an edit did not change is the same list in the next model.
    pub(crate) related: Arc<[Related]>,
    /// Briefings that link here with `story:`, newest first.
    pub(crate) backlinks: Vec<usize>,
    /// Briefings this one links to with `story:`, in the order of the links.
    pub(crate) links: Vec<usize>,
    /// Its `related:` choices, by index.
    pub(crate) manual: Vec<usize>,
}

impl related::Node for Entry {
    fn briefing(&self) -> &Briefing {
        &self.briefing
    }
    fn manual(&self) -> &[usize] {
        &self.manual
    }
    fn links(&self) -> &[usize] {
        &self.links
    }
    fn backlinks(&self) -> &[usize] {
        &self.backlinks
    }
}

/// All taxa of one entity kind.
#[derive(Debug)]
pub struct KindIndex {
    pub(crate) kind: EntityKind,
    /// Site-relative URL of the kind's index, e.g. `people/`.
    pub(crate) index_url: String,
    pub(crate) taxa: Vec<Taxon>,
}

#[derive(Debug)]
pub struct PageEntry {
    pub(crate) page: Page,
    pub(crate) url: String,
}

/// The frozen site every page is rendered from.
#[derive(Debug)]
pub struct Site {
    pub(crate) config: Config,
    /// Newest first.
    pub(crate) briefings: Vec<Entry>,
    /// Sorted by name.
    pub(crate) topics: Vec<Taxon>,
    /// In site.yaml order.
    pub(crate) kinds: Vec<KindIndex>,
    /// Sorted by name.
    pub(crate) authors: Vec<Taxon>,
    pub(crate) pages: Vec<PageEntry>,
    /// Briefings, topics and entities (aliases too) -> site-relative URL.
    pub(crate) targets: HashMap<Target, String>,
    /// Briefing slug -> index.
    pub(crate) by_slug: HashMap<String, usize>,
    /// The build's clock.
    pub(crate) clock: jiff::Timestamp,
    /// Years, months and days that have briefings.
    pub(crate) archive: archive::Archive,
    /// The site's other languages and this one's translations into them.
    pub(crate) languages: translations::Languages,
    /// Content files left out because they are empty.
    pub(crate) empty: Vec<std::path::PathBuf>,
}

/// One site per language of `config`, the main one first, with their translations
/// linked. Every language's problems are reported together.
pub fn build_languages(config: &Config, content: Content) -> Result<Vec<Site>, Diagnostics> {
    build_languages_keeping(config, content, None)
}

/// `build_languages`, taking each language's related lists from `kept` when what they are
/// computed from did not change, and keeping them there otherwise.
pub fn build_languages_keeping(
    config: &Config,
    content: Content,
    kept: Option<&dyn related::KeptRelated>,
) -> Result<Vec<Site>, Diagnostics> {
    let mut sites = each_language(config, content, &|c, part| {
        Site::build_keeping(c, part, kept)
    })?;
    link_languages(&mut sites)?;
    Ok(sites)
}

/// Builds each language of `config` from its part of `content` with `build` (the whole
/// site for a site in one language), in parallel; every language's problems are reported
/// together.
pub fn each_language<T: Send>(
    config: &Config,
    content: Content,
    build: &(dyn Fn(Config, Content) -> Result<T, Diagnostics> + Sync),
) -> Result<Vec<T>, Diagnostics> {
    use rayon::prelude::*;
    if !config.is_multilingual() {
        return Ok(vec![build(config.clone(), content)?]);
    }
    let built: Vec<Result<T, Diagnostics>> = (config.per_language().into_par_iter())
        .map(|c| {
            let part = content.in_language(&c.language);
            build(c, part)
        })
        .collect();
    let mut done = Vec::new();
    let mut diags = Diagnostics::default();
    for result in built {
        match result {
            Ok(one) => done.push(one),
            Err(d) => diags.extend(d),
        }
    }
    diags.sorted().into_result(done)
}

/// Links the models of a site's languages, the main one first: translations, the pages
/// each language has, and topic names a translation borrows. Linking again after an edit
/// of one language gives what a fresh build gives.
pub fn link_languages(sites: &mut [Site]) -> Result<(), Diagnostics> {
    if sites.len() > 1 {
        translations::link(sites)?;
        translations::borrow_topic_names(sites);
    }
    Ok(())
}

impl Site {
    /// Indexes the loaded content, reporting every cross-file problem.
    pub fn build(config: Config, content: Content) -> Result<Site, Diagnostics> {
        Site::build_keeping(config, content, None)
    }

    /// `build`, with related lists kept between builds (see `related::KeptRelated`).
    pub fn build_keeping(
        config: Config,
        content: Content,
        kept: Option<&dyn related::KeptRelated>,
    ) -> Result<Site, Diagnostics> {
        Site::build_from(config, content, &|_, _| None, kept).map(|(site, _)| site)
    }

    /// Like `build`, with related lists already known for some briefings: `known` is given
    /// the briefings in order and the `story:` links of each, and may return a list per
    /// briefing (`None` where it must be computed). Returns the index the lists were drawn
    /// from too, for a caller that updates them after edits.
    pub fn build_knowing(
        config: Config,
        content: Content,
        known: &KnownRelated<'_>,
    ) -> Result<(Site, related::Index), Diagnostics> {
        Site::build_from(config, content, known, None)
    }

    fn build_from(
        config: Config,
        content: Content,
        known: &KnownRelated<'_>,
        kept: Option<&dyn related::KeptRelated>,
    ) -> Result<(Site, related::Index), Diagnostics> {
        let mut diags = Diagnostics::default();
        let withheld = checks::Withheld::new(&content.unpublished);
        let mut briefings = newest_first(content.briefings);
        let by_slug = index_slugs(&briefings, &mut diags);
        let manual = manual_related(&briefings, &by_slug, &withheld, &mut diags);

        let topics = taxonomy::topics(&mut briefings, content.topics);
        let authors = taxonomy::authors(&mut briefings, content.authors);
        let (kinds, entity_diags) = taxonomy::entities(&config, &mut briefings, content.entities);
        diags.extend(entity_diags);
        checks::near_misses(&topics, &kinds, &mut diags);

        let urls: Vec<String> = briefings
            .iter()
            .map(|b| {
                config
                    .permalink
                    .expand(b.date.year(), b.date.month(), b.date.day(), &b.slug.value)
            })
            .collect();
        checks::archive_collisions(&briefings, &urls, &mut diags);
        let targets = targets(&briefings, &urls, &topics, &kinds);
        // Every site link in every body must resolve.
        let bodies = briefings
            .iter()
            .map(|b| &b.prose)
            .chain(
                topics
                    .iter()
                    .chain(kinds.iter().flat_map(|k| &k.taxa))
                    .filter_map(|t| t.prose.as_ref()),
            )
            .chain(content.pages.iter().map(|p| &p.prose));
        for prose in bodies {
            checks::refs(prose, &targets, &withheld, &mut diags);
        }
        let links: Vec<Vec<usize>> = briefings
            .iter()
            .enumerate()
            .map(|(i, b)| story_links(i, &b.prose, &by_slug))
            .collect();
        let backlinks = backlinks(&links);

        let mut known = known(&briefings, &links).unwrap_or_default();
        let mut entries: Vec<Entry> = briefings
            .into_iter()
            .zip(urls)
            .zip(links.into_iter().zip(backlinks))
            .zip(manual)
            .map(|(((briefing, url), (links, backlinks)), manual)| Entry {
                url,
                briefing,
                related: Arc::from([]),
                backlinks,
                links,
                manual,
            })
            .collect();
        let inputs = kept.map(|_| related::inputs_print(&entries, &config.related));
        let lists = kept
            .zip(inputs)
            .and_then(|(kept, key)| kept.get(&config.language, key));
        let related_index = match lists {
            Some(lists) if lists.len() == entries.len() => {
                for (entry, list) in entries.iter_mut().zip(lists) {
                    entry.related = list.into();
                }
                related::Index::default()
            }
            _ => {
                let index = related::Index::new(&entries, &config.related);
                known.resize(entries.len(), None);
                let wanted = |i: usize| known[i].is_none();
                let related = related::compute_some(&index, &entries, &config.related, &wanted);
                for ((entry, list), known) in entries.iter_mut().zip(related).zip(known) {
                    entry.related = known.unwrap_or_else(|| list.into());
                }
                if let (Some(kept), Some(key)) = (kept, inputs) {
                    let lists: Vec<&[related::Related]> =
                        entries.iter().map(|e| &e.related[..]).collect();
                    kept.put(&config.language, key, &lists);
                }
                index
            }
        };

        let archive = archive::Archive::of(&entries);
        let site = Site {
            config,
            briefings: entries,
            topics,
            kinds,
            authors,
            pages: pages(content.pages),
            targets,
            by_slug,
            clock: content.clock,
            empty: content.empty.clone(),
            archive,
            languages: translations::Languages::default(),
        };
        // The sections are the main language's; a translation may lack one.
        if site.config.home.is_empty() {
            front::check_sections(&site, &mut diags);
        }
        diags.into_result((site, related_index))
    }

    /// Every content file of this language with its body: briefings, intros and profiles,
    /// pages.
    pub fn files_with_prose(&self) -> impl Iterator<Item = (&std::path::Path, &Prose)> {
        let briefings =
            (self.briefings.iter()).map(|e| (e.briefing.path.as_path(), &e.briefing.prose));
        let taxa = (self.namespaces().flatten())
            .filter_map(|t| Some((t.file.as_deref()?, t.prose.as_ref()?)));
        let pages = (self.pages.iter()).map(|p| (p.page.path.as_path(), &p.page.prose));
        briefings.chain(taxa).chain(pages)
    }

    /// Every namespace's taxa: topics, then each entity kind, then authors. Namespace `n`
    /// is the `n`-th: the numbering the preview and related lists use.
    pub fn namespaces(&self) -> impl Iterator<Item = &Vec<Taxon>> {
        std::iter::once(&self.topics)
            .chain(self.kinds.iter().map(|k| &k.taxa))
            .chain(std::iter::once(&self.authors))
    }

    /// The namespace of authors (after topics and every entity kind).
    pub fn authors_ns(&self) -> usize {
        self.kinds.len() + 1
    }

    /// Whether namespace `ns` is an entity kind (not topics, not authors).
    pub fn is_entity(&self, ns: usize) -> bool {
        ns > 0 && ns < self.authors_ns()
    }

    /// The taxa of namespace `ns`.
    pub fn namespace(&self, ns: usize) -> Option<&Vec<Taxon>> {
        match ns {
            0 => Some(&self.topics),
            n if n == self.authors_ns() => Some(&self.authors),
            k => self.kinds.get(k - 1).map(|kind| &kind.taxa),
        }
    }

    /// What a namespace is called and the URL of its index: `Topics` at `topics/`, an
    /// entity kind's label at its key, `Authors` at `authors/`.
    pub fn namespace_index(&self, ns: usize) -> (&str, &str) {
        match ns {
            0 => ("Topics", "topics/"),
            n if n == self.authors_ns() => ("Authors", "authors/"),
            k => self
                .kinds
                .get(k - 1)
                .map_or(("", ""), |k| (k.kind.label.as_str(), k.index_url.as_str())),
        }
    }

    /// The site-relative URL of a target, if it exists.
    pub fn target(&self, target: &Target) -> Option<&str> {
        self.targets.get(target).map(String::as_str)
    }
}

/// Briefings newest first; the instant is computed once per briefing, not per comparison.
fn newest_first(mut briefings: Vec<Arc<Briefing>>) -> Vec<Arc<Briefing>> {
    briefings.sort_by_cached_key(|b| {
        (
            std::cmp::Reverse(b.date.timestamp()),
            b.slug.value.clone(),
            b.path.clone(),
        )
    });
    briefings
}

/// Briefing slug -> index; a slug used twice is an error at the `slug:` line that set it
/// (a file's name is innocent beside it), or else at the second briefing.
fn index_slugs(briefings: &[Arc<Briefing>], diags: &mut Diagnostics) -> HashMap<String, usize> {
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    for (i, b) in briefings.iter().enumerate() {
        if let Some(&first) = by_slug.get(b.slug.value.as_str()) {
            let other = &briefings[first];
            let set_by_line = |b: &Briefing| b.slug.place.line > 0;
            let (blamed, innocent) = if set_by_line(other) && !set_by_line(b) {
                (other, b)
            } else {
                (b, other)
            };
            let help = if set_by_line(blamed) {
                "each briefing needs its own slug: change this `slug:`, or remove it to use the file's name"
            } else {
                "each briefing needs its own slug: rename one file or set a different `slug:`"
            };
            diags.push(
                blamed
                    .slug
                    .error(format!(
                        "the slug `{}` is also used by {}",
                        b.slug.value,
                        innocent.path.display()
                    ))
                    .help(help),
            );
        } else {
            by_slug.insert(b.slug.value.clone(), i);
        }
    }
    by_slug
}

/// Each briefing's `related:` choices by index; unknown or unpublished ones are errors.
fn manual_related(
    briefings: &[Arc<Briefing>],
    by_slug: &HashMap<String, usize>,
    withheld: &checks::Withheld,
    diags: &mut Diagnostics,
) -> Vec<Vec<usize>> {
    briefings
        .iter()
        .map(|b| {
            let mut chosen = Vec::new();
            for r in &b.related {
                match by_slug.get(r.value.as_str()) {
                    Some(&i) if briefings[i].slug.value != b.slug.value => chosen.push(i),
                    Some(_) => {}
                    None => diags.push(checks::unknown_related(r, by_slug, withheld)),
                }
            }
            chosen
        })
        .collect()
}

/// Who links to each briefing, from the links each one makes (in site order).
fn backlinks(links: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut backlinks: Vec<Vec<usize>> = vec![Vec::new(); links.len()];
    for (from, tos) in links.iter().enumerate() {
        for &to in tos {
            backlinks[to].push(from);
        }
    }
    backlinks
}

/// Standalone pages at `/<slug>/`, in URL order.
fn pages(pages: Vec<Page>) -> Vec<PageEntry> {
    let mut pages: Vec<PageEntry> = pages
        .into_iter()
        .map(|page| PageEntry {
            url: format!("{}/", page.slug.value),
            page,
        })
        .collect();
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    pages
}

/// The briefings briefing `i`'s body links to with `story:` (not itself), each once, in the
/// order of the links.
pub fn story_links(i: usize, prose: &Prose, by_slug: &HashMap<String, usize>) -> Vec<usize> {
    let mut links = Vec::new();
    for r in prose.refs.iter().filter(|r| r.kind == RefKind::Story) {
        if let Some(&j) = by_slug.get(r.slug.as_str())
            && j != i
            && !links.contains(&j)
        {
            links.push(j);
        }
    }
    links
}

/// Every linkable target: briefings, topics, entities and entity aliases.
fn targets(
    briefings: &[Arc<Briefing>],
    urls: &[String],
    topics: &[Taxon],
    kinds: &[KindIndex],
) -> HashMap<Target, String> {
    let mut map = HashMap::new();
    for (b, url) in briefings.iter().zip(urls) {
        map.insert(Target::new(RefKind::Story, &b.slug.value), url.clone());
    }
    for t in topics {
        map.insert(Target::new(RefKind::Topic, &t.slug), t.url.clone());
    }
    for k in kinds {
        let kind = RefKind::Entity(k.kind.key.clone());
        // An entity only body links name does not exist: links to it are errors.
        for t in k.taxa.iter().filter(|t| t.declared) {
            map.insert(Target::new(kind.clone(), &t.slug), t.url.clone());
            for alias in t.aliases.iter().chain(std::iter::once(&t.name)) {
                map.entry(Target::new(kind.clone(), slugify(alias)))
                    .or_insert_with(|| t.url.clone());
            }
        }
    }
    map
}
