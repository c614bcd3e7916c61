//! The preview's in-memory site, in every language: loaded content, the models and the
//! prints of the served files, kept between rebuilds so an edit re-reads only the files
//! that changed, reaches the models the cheapest way it allows (`remodel`), and renders,
//! through the same driver as a build, only the files whose views changed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::remodel::{Changed, Items, Models, Remodelled};
use crate::config::Config;
use crate::config::inputs::{self, Input};
use crate::content::{self, Item, Publish, Withheld};
use crate::diag::{Diagnostic, Diagnostics};
use crate::render::candidates::{Candidates, Shape, When};
use crate::render::drive::{self, Plan, Sink};
use crate::render::theme::Origin;
use crate::render::{Body, Engine, Fingerprints, OutFile};
use crate::text::lock;

/// A served file's bytes, shared with the HTTP thread without copying.
pub type Bytes = Arc<[u8]>;

/// What changed on disk, as the watcher saw it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Paths under `content/` that were created, changed, renamed or removed.
    pub content: Vec<PathBuf>,
    /// site.yaml, a template, a theme or a static file changed: everything is rebuilt.
    pub everything: bool,
}

/// The result of a rebuild: files to add or replace, and files that no longer exist.
#[derive(Debug, Default)]
pub struct Update {
    pub changed: Vec<(String, Bytes)>,
    pub removed: Vec<String>,
}

pub struct Workspace {
    root: PathBuf,
    publish: Publish,
    base_url: String,
    config: Config,
    /// One engine per language, the main one first.
    engines: Vec<Engine>,
    /// Every loaded content file, by path.
    items: Items,
    /// The models of the last good build; none when the site never built.
    models: Option<Models>,
    /// What each language's served files were made from, to tell which files an edit may
    /// change.
    shapes: Vec<Shape>,
    /// The print of every file served: a candidate is rendered again when its view differs.
    prints: Fingerprints,
    /// Each language's candidates left for `catch_up`: later pages of long lists, sitemaps.
    later: Vec<Option<Candidates>>,
    /// The shapes replaced by the last edit, freed in `catch_up`.
    retired: Vec<Shape>,
    /// Whether every edit also checks that no file outside its candidates changed.
    verify: bool,
    /// Files a check found changed outside the candidates.
    missed: Vec<String>,
}

impl Workspace {
    /// Loads the whole site, in every language. `base_url` replaces site.yaml's, so links
    /// work in the preview.
    pub fn open(
        root: &Path,
        publish: Publish,
        base_url: &str,
    ) -> Result<(Workspace, Update), Diagnostics> {
        let mut ws = Workspace::load(root, publish, base_url)?;
        let update = ws.render_all()?;
        Ok((ws, update))
    }

    /// Reads configuration, theme and every content file; renders nothing yet.
    fn load(root: &Path, publish: Publish, base_url: &str) -> Result<Workspace, Diagnostics> {
        let config = Config::load_for(root, Some(base_url))?;
        let engines = Engine::load_languages(root, &config.per_language())?;
        let items =
            content::load_items(root, &config, publish, None).map_err(Diagnostics::sorted)?;
        Ok(Workspace {
            root: root.to_path_buf(),
            publish,
            base_url: base_url.to_string(),
            config,
            engines,
            items,
            models: None,
            shapes: Vec::new(),
            prints: Fingerprints::default(),
            later: Vec::new(),
            retired: Vec::new(),
            verify: false,
            missed: Vec::new(),
        })
    }

    /// After every edit, also check every file outside the candidates (slow; for tests).
    pub fn verify_candidates(&mut self, on: bool) {
        self.verify = on;
    }

    /// Files the last checks found changed outside the candidates, and forgets them.
    pub fn take_missed(&mut self) -> Vec<String> {
        std::mem::take(&mut self.missed)
    }

    /// Applies `changes`. On error the workspace keeps what it had, so the last good site
    /// stays served.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Update, Diagnostics> {
        // A briefing whose time came is published: everything is read again, as after an
        // edit of site.yaml (which may add or remove a language) or the theme.
        let now = jiff::Timestamp::now().max(self.publish.now);
        if changes.everything || self.scheduled_before(now) {
            let publish = Publish {
                now,
                ..self.publish
            };
            let mut fresh = Workspace::load(&self.root, publish, &self.base_url)?;
            fresh.verify = self.verify;
            let mut update = fresh.render_all()?;
            // Files the old site had and the new one does not are gone.
            update.removed = self.prints.gone_from(&fresh.prints);
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
        let start = std::time::Instant::now();
        let was = take_in(&mut self.items, changed);
        let remodelled = match &mut self.models {
            Some(models) => models.take_in(&self.items, &was, self.publish),
            None => Models::build(&self.config, &self.items, self.publish).map(|models| {
                self.models = Some(models);
                Remodelled::Languages(vec![true; self.engines.len()])
            }),
        };
        let modelled = start.elapsed();
        let result = remodelled.and_then(|remodelled| self.render_changed(remodelled));
        match &result {
            Ok(update) => crate::report::timing!(
                "timings: model {modelled:.1?}, render {:.1?} ({} files)",
                start.elapsed() - modelled,
                update.changed.len()
            ),
            // The models may have moved on but the served files did not: model the served
            // items again, so the next edit starts from what is served.
            Err(_) => {
                take_in(&mut self.items, was);
                self.models = Models::build(&self.config, &self.items, self.publish).ok();
                self.shapes = self.fresh_shapes();
            }
        }
        result
    }

    /// Whether a briefing left out as scheduled is due by `now`.
    fn scheduled_before(&self, now: jiff::Timestamp) -> bool {
        self.items.values().any(|item| match item {
            Item::Unpublished(u) => matches!(u.why, Withheld::Scheduled(d) if d.timestamp() <= now),
            _ => false,
        })
    }

    /// Each language's shape, made afresh from its model.
    fn fresh_shapes(&self) -> Vec<Shape> {
        let sites = self.models.as_ref().map_or(&[][..], |m| m.sites.as_slice());
        (self.engines.iter().zip(sites))
            .map(|(engine, site)| Shape::default().next(site, engine.site_print(site)).0)
            .collect()
    }

    /// Renders the files whose views the edit may have changed, those a reader sees at
    /// once; the rest waits for `catch_up`.
    fn render_changed(&mut self, remodelled: Remodelled) -> Result<Update, Diagnostics> {
        let Some(models) = &self.models else {
            return Ok(Update::default());
        };
        let t = std::time::Instant::now();
        // A workspace whose last model failed has no shapes: every file is a candidate.
        let languages = models.sites.len();
        self.shapes.resize_with(languages, Shape::default);
        self.later.resize_with(languages, || None);
        let plans: Vec<Plan> = (models.sites.iter().enumerate())
            .zip(self.shapes.iter_mut().zip(&self.engines))
            .map(|((language, site), (shape, engine))| Plan {
                candidates: candidates_for(
                    shape,
                    &mut self.retired,
                    engine,
                    site,
                    language,
                    &remodelled,
                ),
                when: Some(When::Now),
            })
            .collect();
        if self.verify {
            self.check_shapes();
        }
        let compared = t.elapsed();
        let update = self.render(&plans)?;
        crate::report::timing!(
            "  shape {compared:.1?}, render {:.1?}",
            t.elapsed() - compared
        );
        for (language, plan) in plans.into_iter().enumerate() {
            match &mut self.later[language] {
                Some(later) => later.merge(plan.candidates),
                None => self.later[language] = Some(plan.candidates),
            }
        }
        Ok(update)
    }

    /// For the tests: records a kept shape that differs from a fresh one.
    fn check_shapes(&mut self) {
        let fresh = self.fresh_shapes();
        if fresh
            .iter()
            .zip(&self.shapes)
            .any(|(a, b)| !b.agrees_with(a))
        {
            self.missed
                .push("(the shape kept from the edit before)".into());
        }
    }

    /// Renders `plans` into memory, against the prints of the files served.
    fn render(&mut self, plans: &[Plan]) -> Result<Update, Diagnostics> {
        let sites = self.models.as_ref().map_or(&[][..], |m| m.sites.as_slice());
        let memory = Memory {
            prints: &self.prints,
            made: Mutex::default(),
            gone: Mutex::default(),
        };
        drive::render(&self.engines, sites, plans, &memory)?;
        let made = memory.made.into_inner().unwrap_or_else(|e| e.into_inner());
        let removed = memory.gone.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut files = Vec::with_capacity(made.len());
        for (file, print) in made {
            self.prints.insert(file.path.clone(), print);
            files.push(file);
        }
        for path in &removed {
            self.prints.remove(path);
        }
        Ok(Update {
            changed: served(files)?,
            removed,
        })
    }

    /// What search indexes of the site as it is served.
    pub fn corpora(&self) -> Vec<crate::search::Corpus> {
        (self.models.as_ref())
            .map(|m| crate::search::corpora(&m.sites, &self.engines))
            .unwrap_or_default()
    }

    /// Every file served.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.prints.paths()
    }

    /// The warnings of the site as it is served.
    pub fn warnings(&self) -> Diagnostics {
        (self.models.as_ref())
            .map(|m| crate::model::warnings_of(&m.sites))
            .unwrap_or_default()
    }

    /// Renders what `rebuild` left for after the reload: later pages of long lists, the
    /// search index and the sitemaps, where they changed.
    pub fn catch_up(&mut self) -> Result<Update, Diagnostics> {
        self.retired.clear();
        let later = std::mem::take(&mut self.later);
        self.later = later.iter().map(|_| None).collect();
        if later.iter().all(Option::is_none) {
            return Ok(Update::default());
        }
        let plans: Vec<Plan> = (later.into_iter())
            .map(|candidates| Plan {
                candidates: candidates.unwrap_or_default(),
                when: Some(When::Later),
            })
            .collect();
        let update = self.render(&plans)?;
        if self.verify {
            let sites = self.models.as_ref().map_or(&[][..], |m| m.sites.as_slice());
            for ((engine, site), plan) in self.engines.iter().zip(sites).zip(&plans) {
                let missed = engine.missed(site, &plan.candidates, &self.prints)?;
                self.missed.extend(missed);
            }
        }
        Ok(update)
    }

    /// Models every language from the loaded items and renders every file.
    fn render_all(&mut self) -> Result<Update, Diagnostics> {
        let start = std::time::Instant::now();
        self.models = Some(Models::build(&self.config, &self.items, self.publish)?);
        let modelled = start.elapsed();
        self.shapes = self.fresh_shapes();
        self.later = self.shapes.iter().map(|_| None).collect();
        let plans: Vec<Plan> = self.shapes.iter().map(|_| Plan::everything()).collect();
        self.prints = Fingerprints::default();
        let update = self.render(&plans)?;
        crate::report::timing!(
            "timings: model {modelled:.0?}, render {:.0?} ({} files)",
            start.elapsed() - modelled,
            update.changed.len()
        );
        Ok(update)
    }
}

/// The files of `language` (`site`, last shaped as `shape`) that the edit may have
/// changed: none in a language the edit left alone, those that read what a swap changed,
/// or those whose prints differ in the site's next shape.
fn candidates_for(
    shape: &mut Shape,
    retired: &mut Vec<Shape>,
    engine: &Engine,
    site: &crate::model::Site,
    language: usize,
    remodelled: &Remodelled,
) -> Candidates {
    let (changed, swapped) = match remodelled {
        Remodelled::Swapped {
            language: l,
            positions,
        } => (*l == language, Some(positions)),
        Remodelled::Languages(changed) => (changed.get(language) == Some(&true), None),
    };
    if !changed {
        return Candidates::default();
    }
    if let Some(quick) = swapped.and_then(|positions| shape.swapped(site, positions)) {
        return quick;
    }
    let (next, candidates) = shape.next(site, engine.site_print(site));
    // Freeing the old shape of a large site takes a while: after the reload.
    retired.push(std::mem::replace(shape, next));
    candidates
}

/// The preview's files as they are rendered into memory, against the prints of those
/// served, so a candidate whose view did not change is not rendered again.
struct Memory<'a> {
    prints: &'a Fingerprints,
    made: Mutex<Vec<(OutFile, u64)>>,
    /// The files served that the site no longer has.
    gone: Mutex<Vec<String>>,
}

impl Sink for Memory<'_> {
    fn sees_every_file(&self) -> bool {
        false
    }

    fn keep(&self, path: &str) -> bool {
        self.prints.has(path)
    }

    fn compares_views(&self) -> bool {
        true
    }

    fn holds(&self, path: &str, print: u64) -> bool {
        self.prints.get(path) == Some(print)
    }

    fn put(&self, file: OutFile, print: Option<u64>) -> Result<(), Diagnostic> {
        lock(&self.made).push((file, print.unwrap_or_default()));
        Ok(())
    }

    fn listed(&self, paths: &HashSet<&str>) {
        let gone = self.prints.paths().filter(|p| !paths.contains(p.as_str()));
        *lock(&self.gone) = gone.cloned().collect();
    }
}

/// The new versions of what is loaded in `items` under `paths`: `None` for files that are
/// gone.
fn load_changed(
    root: &Path,
    config: &Config,
    publish: Publish,
    items: &Items,
    paths: &[PathBuf],
) -> Result<Changed, Diagnostics> {
    let mut changed = Changed::new();
    let mut diags = Diagnostics::default();
    for path in paths {
        // Everything loaded under the path is gone unless it is found again.
        let under = (items.range(path.clone()..)).take_while(|(p, _)| p.starts_with(path));
        changed.extend(under.map(|(p, _)| (p.clone(), None)));
        if path.is_dir() {
            let (entries, walk_diags) = content::discover::discover_under(root, path);
            diags.extend(walk_diags);
            for entry in entries {
                match content::load_entry(&entry, config, publish) {
                    Ok(item) => {
                        changed.insert(entry.path.clone(), Some(item));
                    }
                    Err(d) => diags.extend(d),
                }
            }
        } else if path.is_file() {
            match content::load_file(root, path, config, publish) {
                Ok(Some(item)) => {
                    changed.insert(path.clone(), Some(item));
                }
                Ok(None) => {}
                Err(d) => diags.extend(d),
            }
        }
    }
    diags.sorted().into_result(changed)
}

/// Puts `changed` into `items`; returns what they replaced, to undo it.
fn take_in(items: &mut Items, changed: Changed) -> Changed {
    let mut was = Changed::new();
    for (path, item) in changed {
        let old = match item {
            Some(item) => items.insert(path.clone(), item),
            None => items.remove(&path),
        };
        was.insert(path, old);
    }
    was
}

/// Rendered files as served bytes.
fn served(files: Vec<crate::render::OutFile>) -> Result<Vec<(String, Bytes)>, Diagnostics> {
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let bytes: Bytes = match f.body {
            Body::Text(text) => Arc::from(text.into_bytes()),
            Body::Bytes(bytes) => Arc::from(bytes),
            Body::Static(Origin::Embedded(bytes)) => Arc::from(bytes),
            Body::Static(Origin::File { path, display }) => match std::fs::read(&path) {
                Ok(bytes) => Arc::from(bytes),
                Err(e) => {
                    return Err(
                        Diagnostic::new(display, format!("cannot read this file: {e}")).into(),
                    );
                }
            },
        };
        out.push((f.path, bytes));
    }
    Ok(out)
}

/// Which rebuild a changed path asks for; `None` for paths the site does not read (see
/// `config::inputs`).
pub fn classify(root: &Path, path: &Path) -> Option<Kind> {
    match inputs::classify(root, path)? {
        Input::Content => Some(Kind::Content),
        Input::Picture | Input::Site => Some(Kind::Everything),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Content,
    Everything,
}

/// Turns changed paths into the rebuild they need.
pub fn changes(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Changes {
    let mut changes = Changes::default();
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        match classify(root, &path) {
            Some(Kind::Everything) => changes.everything = true,
            Some(Kind::Content) if seen.insert(path.clone()) => changes.content.push(path),
            _ => {}
        }
    }
    changes
}
