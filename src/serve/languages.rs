//! The preview of a site in more than one language. A page of one language links to its
//! translations and to the other languages' lists, so an edit may change pages of every
//! language. An edit reloads only the files that changed, models every language again, and
//! renders only the files the site's shape names as candidates (`reuse::compare`, as an
//! incremental build into a folder does); the other files keep their bytes.

use crate::text::lock;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::workspace::{Bytes, Changes, Update, load_changed, served, take_in};
use crate::config::Config;
use crate::content::{Content, Item, Publish, Withheld};
use crate::diag::Diagnostics;
use crate::model::Site;
use crate::model::related::{KeptRelated, Related};
use crate::render::candidates::Shape;
use crate::render::{Engine, OutFile, Plan};

pub struct Multilingual {
    root: PathBuf,
    publish: Publish,
    config: Config,
    engines: Vec<Engine>,
    /// Every content file as loaded, by path.
    items: BTreeMap<PathBuf, Item>,
    /// The models of the last good build, one per language.
    sites: Vec<Site>,
    /// Each language's shape as last rendered, which names the files an edit may change.
    shapes: Vec<Shape>,
    /// The related lists of the last model, which an edit of no terms, dates or links keeps.
    related: RelatedLists,
    /// Every served file's bytes, to tell which ones a rebuild changed.
    files: HashMap<String, Bytes>,
}

impl Multilingual {
    /// Builds every language of the site at `root`, with `base_url` for the preview.
    pub fn open(
        root: &Path,
        publish: Publish,
        base_url: &str,
    ) -> Result<(Multilingual, Update), Diagnostics> {
        let config = Config::load_for(root, Some(base_url))?;
        let engines = Engine::load_languages(root, &config.per_language())?;
        let items = crate::content::load_items(root, &config, publish, None)
            .map_err(Diagnostics::sorted)?;
        let mut preview = Multilingual {
            root: root.to_path_buf(),
            publish,
            config,
            engines,
            items,
            sites: Vec::new(),
            shapes: Vec::new(),
            related: RelatedLists::default(),
            files: HashMap::new(),
        };
        let update = preview.remodel_and_render()?;
        Ok((preview, update))
    }

    /// Takes in the edited content files; on error, the last good site stays served.
    pub fn rebuild(&mut self, changes: &Changes, base_url: &str) -> Result<Update, Diagnostics> {
        // A briefing whose time came is published: everything is read again.
        let now = jiff::Timestamp::now().max(self.publish.now);
        if self.scheduled_before(now) {
            let publish = Publish {
                now,
                ..self.publish
            };
            let (fresh, mut update) = Multilingual::open(&self.root, publish, base_url)?;
            update.removed = (self.files.keys())
                .filter(|p| !fresh.files.contains_key(*p))
                .cloned()
                .collect();
            *self = fresh;
            return Ok(update);
        }
        let changed = load_changed(
            &self.root,
            &self.config,
            self.publish,
            &self.items,
            &changes.content,
        )?;
        let was = take_in(&mut self.items, changed);
        self.remodel_and_render().inspect_err(|_| {
            take_in(&mut self.items, was);
        })
    }

    /// Whether a briefing left out as scheduled is due by `now`.
    fn scheduled_before(&self, now: jiff::Timestamp) -> bool {
        self.items.values().any(|item| match item {
            Item::Unpublished(u) => matches!(u.why, Withheld::Scheduled(d) if d.timestamp() <= now),
            _ => false,
        })
    }

    /// Models every language from the loaded items and renders the files that may have
    /// changed; returns the files whose bytes differ and those that are gone.
    fn remodel_and_render(&mut self) -> Result<Update, Diagnostics> {
        let start = std::time::Instant::now();
        let content = Content::from_items(self.items.values().cloned()).at(self.publish.now);
        let sites =
            crate::model::build_languages_keeping(&self.config, content, Some(&self.related))
                .map_err(Diagnostics::sorted)?;
        let modelled = start.elapsed();
        let previous = (!self.shapes.is_empty()).then_some(self.shapes.as_slice());
        let (shapes, candidates) = crate::reuse::compare(previous, &sites, &self.engines);
        let compared = start.elapsed();
        let kept: Mutex<HashMap<String, Bytes>> = Mutex::default();
        let keep = |path: &str| match self.files.get(path) {
            Some(bytes) => {
                lock(&kept).insert(path.to_string(), bytes.clone());
                true
            }
            None => false,
        };
        let plans: Vec<Plan> = (candidates.into_iter())
            .map(|candidates| Plan {
                candidates,
                keep: &keep,
            })
            .collect();
        let rendered = Mutex::new(Vec::new());
        crate::render::render_languages(&self.engines, &sites, plans, &|f: OutFile| {
            lock(&rendered).push(f);
            Ok(())
        })?;
        let rendered = rendered.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut files = kept.into_inner().unwrap_or_else(|e| e.into_inner());
        let made: HashMap<String, Bytes> = served(rendered)?.into_iter().collect();
        let changed = (made.iter())
            .filter(|(p, bytes)| self.files.get(*p) != Some(*bytes))
            .map(|(p, bytes)| (p.clone(), bytes.clone()))
            .collect();
        files.extend(made);
        let removed = (self.files.keys())
            .filter(|p| !files.contains_key(*p))
            .cloned()
            .collect();
        self.files = files;
        crate::report::timing!(
            "timings: model {modelled:.0?}, shape {:.0?}, render {:.0?}",
            compared - modelled,
            start.elapsed() - compared
        );
        self.sites = sites;
        self.shapes = shapes;
        Ok(Update { changed, removed })
    }

    /// The warnings of the site as it is served.
    pub fn warnings(&self) -> Diagnostics {
        crate::model::warnings_of(&self.sites)
    }

    /// What search indexes of the site as it is served; worked out when asked for, after
    /// the edited pages are served.
    pub fn corpora(&self) -> Vec<crate::search::Corpus> {
        crate::search::corpora(&self.sites, &self.engines)
    }

    /// Every file served.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.files.keys()
    }
}

/// A language's related lists, one per briefing, with the key of what they came from.
type Keyed = (u64, Vec<Vec<Related>>);

/// Each language's related lists, by language code.
#[derive(Default)]
struct RelatedLists(Mutex<HashMap<String, Keyed>>);

impl KeptRelated for RelatedLists {
    fn get(&self, lang: &str, key: u64) -> Option<Vec<Vec<Related>>> {
        let kept = lock(&self.0);
        let (kept_key, lists) = kept.get(lang)?;
        (*kept_key == key).then(|| lists.clone())
    }

    fn put(&self, lang: &str, key: u64, lists: &[&[Related]]) {
        let lists = lists.iter().map(|l| l.to_vec()).collect();
        lock(&self.0).insert(lang.to_string(), (key, lists));
    }
}
