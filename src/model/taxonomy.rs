//! Topics and entities: which briefings name each one, their display names, intros and
//! profiles. Entity aliases ("Putin") resolve to the profile's slug (`vladimir-putin`).

use std::sync::Arc;

use crate::config::Config;
use crate::content::{AuthorProfile, Briefing, EntityProfile, Prose, Term, TopicIntro};
use crate::diag::Diagnostics;
use crate::text::{FastMap, slugify};

use super::KindIndex;

/// A topic or an entity.
#[derive(Debug)]
pub struct Taxon {
    pub(crate) slug: String,
    pub(crate) name: String,
    /// Site-relative URL, e.g. `topics/ukraine-war/`.
    pub(crate) url: String,
    /// Indexes into the site's briefings, newest first.
    pub(crate) briefings: Vec<usize>,
    pub(crate) summary: Option<String>,
    /// The intro or profile body.
    pub(crate) prose: Option<Prose>,
    pub(crate) aliases: Vec<String>,
    /// The name comes from a file (an intro's title, a profile), not from briefings.
    pub(crate) named: bool,
    /// Some briefing's front matter lists it, or it has an intro or profile; one that only
    /// body links name does not exist.
    pub(crate) declared: bool,
    /// Its intro or profile file.
    pub(crate) file: Option<std::path::PathBuf>,
    /// An author's role, links and photo, from their profile.
    pub(crate) person: Option<Arc<Person>>,
}

/// What an author profile says besides the name and bio.
#[derive(Debug, Hash, PartialEq, Eq)]
pub struct Person {
    pub(crate) role: Option<String>,
    pub(crate) links: Vec<String>,
    pub(crate) image: Option<crate::picture::Picture>,
}

impl Taxon {
    pub fn new(folder: &str, slug: &str, name: &str) -> Taxon {
        Taxon {
            slug: slug.to_string(),
            name: name.to_string(),
            url: format!("{folder}/{slug}/"),
            briefings: Vec::new(),
            summary: None,
            prose: None,
            aliases: Vec::new(),
            named: false,
            declared: false,
            file: None,
            person: None,
        }
    }
}

/// The order taxa are listed in: by name, ignoring case.
pub fn sort_key(t: &Taxon) -> (String, String) {
    (t.name.to_lowercase(), t.slug.clone())
}

/// The taxa in name order (slugs break ties, so the order is the same every build).
fn sorted_by_name(map: FastMap<String, Taxon>) -> Vec<Taxon> {
    let mut taxa: Vec<Taxon> = map.into_values().collect();
    taxa.sort_by_cached_key(sort_key);
    taxa
}

/// Collects the terms of one list across briefings (given newest first).
fn collect<'a>(
    folder: &str,
    lists: impl Iterator<Item = (usize, &'a [Term])>,
    map: &mut FastMap<String, Taxon>,
) {
    for (i, terms) in lists {
        for term in terms {
            // Look up before inserting: most occurrences are of a term already seen.
            match map.get_mut(&term.slug) {
                Some(taxon) => {
                    taxon.briefings.push(i);
                    taxon.declared |= !term.linked;
                }
                None => {
                    let mut taxon = Taxon::new(folder, &term.slug, &term.name);
                    taxon.briefings.push(i);
                    taxon.declared = !term.linked;
                    map.insert(term.slug.clone(), taxon);
                }
            }
        }
    }
}

pub fn topics(briefings: &mut [Arc<Briefing>], intros: Vec<TopicIntro>) -> Vec<Taxon> {
    let titled: Canonical<'_> = intros
        .iter()
        .filter_map(|i| Some((i.slug.clone(), (i.slug.as_str(), i.title.as_deref()?))))
        .collect();
    for b in briefings.iter_mut() {
        canonicalize(b, List::Topics, &titled);
    }
    let mut map = FastMap::default();
    collect(
        "topics",
        briefings
            .iter()
            .enumerate()
            .map(|(i, b)| (i, &b.topics[..])),
        &mut map,
    );
    for intro in intros {
        let taxon = map.entry(intro.slug.clone()).or_insert_with(|| {
            let name = intro.title.clone().unwrap_or_else(|| intro.slug.clone());
            Taxon::new("topics", &intro.slug, &name)
        });
        if let Some(title) = intro.title {
            taxon.name = title;
            taxon.named = true;
        }
        taxon.summary = intro.summary;
        taxon.prose = Some(intro.prose);
        taxon.declared = true;
        taxon.file = Some(intro.path);
    }
    sorted_by_name(map)
}

/// The site's authors: everyone a byline names, and everyone with a profile.
pub fn authors(briefings: &mut [Arc<Briefing>], profiles: Vec<AuthorProfile>) -> Vec<Taxon> {
    let named: Canonical<'_> = profiles
        .iter()
        .map(|p| (p.slug.clone(), (p.slug.as_str(), p.name.as_str())))
        .collect();
    for b in briefings.iter_mut() {
        canonicalize(b, List::Authors, &named);
    }
    let mut map = FastMap::default();
    collect(
        AUTHORS,
        briefings
            .iter()
            .enumerate()
            .map(|(i, b)| (i, &b.authors[..])),
        &mut map,
    );
    for p in profiles {
        let taxon = map
            .entry(p.slug.clone())
            .or_insert_with(|| Taxon::new(AUTHORS, &p.slug, &p.name));
        taxon.name = p.name;
        taxon.named = true;
        taxon.declared = true;
        taxon.file = Some(p.path);
        taxon.prose = Some(p.prose);
        taxon.person = Some(Arc::new(Person {
            role: p.role,
            links: p.links,
            image: p.image,
        }));
    }
    sorted_by_name(map)
}

/// The folder of author pages.
pub const AUTHORS: &str = "authors";

/// A name as a briefing writes it (slugified) -> the slug and display name a profile or
/// intro gives it. A profile's name is the name on every page, whatever a byline or list
/// wrote ("steve witkoff", "Steve Witkoff" for a profile named "Steven Witkoff").
pub(crate) type Canonical<'a> = FastMap<String, (&'a str, &'a str)>;

/// One of a briefing's lists of terms.
#[derive(Debug, Clone, Copy)]
pub(crate) enum List {
    Topics,
    Authors,
    /// The entity kind at this position in site.yaml.
    Entities(usize),
}

fn list(b: &Briefing, which: List) -> Option<&Vec<Term>> {
    match which {
        List::Topics => Some(&b.topics),
        List::Authors => Some(&b.authors),
        List::Entities(k) => b.entities.get(k).map(|(_, terms)| terms),
    }
}

fn list_mut(b: &mut Briefing, which: List) -> Option<&mut Vec<Term>> {
    match which {
        List::Topics => Some(&mut b.topics),
        List::Authors => Some(&mut b.authors),
        List::Entities(k) => b.entities.get_mut(k).map(|(_, terms)| terms),
    }
}

/// Rewrites the terms of list `which` in `b` through `canonical`: an alias becomes its
/// profile's slug and every name the profile's name, dropping repeats. Only a briefing
/// with a term to change is touched, and so copied.
pub(crate) fn canonicalize(b: &mut Arc<Briefing>, which: List, canonical: &Canonical<'_>) {
    let changes = |t: &Term| {
        canonical
            .get(t.slug.as_str())
            .is_some_and(|&(slug, name)| slug != t.slug || name != t.name)
    };
    if !list(b, which).is_some_and(|terms| terms.iter().any(changes)) {
        return;
    }
    if let Some(terms) = list_mut(Arc::make_mut(b), which) {
        for term in terms.iter_mut() {
            if let Some(&(slug, name)) = canonical.get(term.slug.as_str()) {
                term.slug = slug.to_string();
                term.name = name.to_string();
            }
        }
        let mut seen = std::collections::HashSet::new();
        terms.retain(|t| seen.insert(t.slug.clone()));
    }
}

/// Builds each kind's index; rewrites briefings' entity slugs through profile aliases so
/// every page links to the canonical entity.
pub fn entities(
    config: &Config,
    briefings: &mut [Arc<Briefing>],
    profiles: Vec<EntityProfile>,
) -> (Vec<KindIndex>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut kinds = Vec::new();
    for kind in &config.entity_kinds {
        let profiles: Vec<&EntityProfile> =
            profiles.iter().filter(|p| p.kind == kind.key).collect();
        let mut canonical: Canonical<'_> = FastMap::default();
        for p in &profiles {
            canonical.insert(p.slug.clone(), (&p.slug, &p.name));
        }
        for p in &profiles {
            for alias in
                std::iter::once(slugify(&p.name)).chain(p.aliases.iter().map(|a| slugify(&a.value)))
            {
                match canonical.get(alias.as_str()) {
                    Some(&(other, _)) if other != p.slug => {
                        let place = p.aliases.iter().find(|a| slugify(&a.value) == alias);
                        let message = format!("`{alias}` already names {}/{other}", kind.key);
                        diags.push(match place {
                            Some(a) => a.error(message),
                            None => crate::diag::Diagnostic::new(&p.path, message),
                        }.help("an alias may belong to one entity only; remove it from one profile"));
                    }
                    Some(_) => {}
                    None => {
                        canonical.insert(alias, (&p.slug, &p.name));
                    }
                }
            }
        }
        let position = config
            .entity_kinds
            .iter()
            .position(|k| k.key == kind.key)
            .unwrap_or(0);
        for b in briefings.iter_mut() {
            canonicalize(b, List::Entities(position), &canonical);
        }
        let mut map = FastMap::default();
        collect(
            &kind.key,
            briefings
                .iter()
                .enumerate()
                .filter_map(|(i, b)| b.entities.get(position).map(|(_, terms)| (i, &terms[..]))),
            &mut map,
        );
        for p in profiles {
            let taxon = map
                .entry(p.slug.clone())
                .or_insert_with(|| Taxon::new(&kind.key, &p.slug, &p.name));
            taxon.name = p.name.clone();
            taxon.named = true;
            taxon.declared = true;
            taxon.file = Some(p.path.clone());
            taxon.summary = p.summary.clone();
            taxon.prose = Some(p.prose.clone());
            taxon.aliases = p.aliases.iter().map(|a| a.value.clone()).collect();
        }
        kinds.push(KindIndex {
            kind: kind.clone(),
            index_url: format!("{}/", kind.key),
            taxa: sorted_by_name(map),
        });
    }
    (kinds, diags)
}
