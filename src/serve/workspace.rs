//! The preview's in-memory site: loaded content, the model and the rendered files, kept
//! between rebuilds so an edit re-reads only the files that changed and re-renders only the
//! pages whose inputs changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::config::inputs::{self, Input};
use crate::content::{self, Content, Item, Publish};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::render::candidates::{Candidates, Shape, When};
use crate::render::theme::Origin;
use crate::render::{Body, Engine, Fingerprints};

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
    engine: Engine,
    /// Every loaded content file, by path.
    items: BTreeMap<PathBuf, Item>,
    /// The fingerprint of every file served: a file is rendered again when its view differs.
    fingerprints: Fingerprints,
    /// The model of the last good build.
    site: Option<Site>,
    /// What the site's related lists are drawn from, kept beside it so an edit can update it.
    related: Option<crate::model::related::Index>,
    /// What the served files were made from, to tell which files an edit may change.
    shape: Shape,
    /// Candidates left for `catch_up`: later pages of long lists, the search index, sitemaps.
    later: Option<Candidates>,
    /// The shape replaced by the last edit, freed in `catch_up`.
    retired: Option<Shape>,
    /// Whether every edit also checks that no file outside its candidates changed.
    verify: bool,
    /// Files a check found changed outside the candidates.
    missed: Vec<String>,
}

impl Workspace {
    /// Loads the whole site. `base_url` replaces site.yaml's, so links work in the preview.
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
        let engine = Engine::load(root, &config)?;
        let items =
            content::load_items(root, &config, publish, None).map_err(Diagnostics::sorted)?;
        Ok(Workspace {
            root: root.to_path_buf(),
            publish,
            base_url: base_url.to_string(),
            config,
            engine,
            items,
            fingerprints: Fingerprints::default(),
            site: None,
            related: None,
            shape: Shape::default(),
            later: None,
            retired: None,
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
        if changes.everything {
            // A full rebuild reads the clock again: briefings whose time came are published.
            let publish = Publish {
                now: jiff::Timestamp::now().max(self.publish.now),
                ..self.publish
            };
            let mut fresh = Workspace::load(&self.root, publish, &self.base_url)?;
            fresh.verify = self.verify;
            let mut update = fresh.render_all()?;
            // Files the old site had and the new one does not are gone.
            update.removed = self.fingerprints.gone_from(&fresh.fingerprints);
            *self = fresh;
            return Ok(update);
        }
        let changed = self.load_changed(&changes.content)?;
        let start = std::time::Instant::now();
        let was = self.take_in(changed);
        let remodelled = match self.remodel(&was) {
            Ok(remodelled) => remodelled,
            Err(d) => {
                self.take_in(was);
                return Err(d);
            }
        };
        let modelled = start.elapsed();
        match self.render_changed(remodelled) {
            Ok(update) => {
                crate::report::timing!(
                    "timings: model {modelled:.1?}, render {:.1?} ({} files)",
                    start.elapsed() - modelled,
                    update.changed.len()
                );
                Ok(update)
            }
            Err(d) => {
                // The model moved on but the served files did not: model the served items
                // again, so the next edit starts from what is served.
                self.take_in(was);
                let content =
                    Content::from_items(self.items.values().cloned()).at(self.publish.now);
                let (site, related) = super::rebuild::build(self.config.clone(), content)
                    .ok()
                    .unzip();
                if let Some(site) = &site {
                    self.shape = Shape::default().next(site, self.engine.site_print(site)).0;
                }
                (self.site, self.related) = (site, related);
                Err(d)
            }
        }
    }

    fn load_changed(&self, paths: &[PathBuf]) -> Result<Changed, Diagnostics> {
        load_changed(&self.root, &self.config, self.publish, &self.items, paths)
    }

    fn take_in(&mut self, changed: Changed) -> Changed {
        take_in(&mut self.items, changed)
    }

    /// Brings the model up to the loaded items, which replaced `was`, the cheapest way the
    /// edit allows: swapping edited briefings in, patching one briefing in place, or
    /// building the model again (keeping related lists that cannot differ). On error the
    /// model is as it was.
    fn remodel(&mut self, was: &Changed) -> Result<Remodelled, Diagnostics> {
        if let Some(positions) = self.swapped(was) {
            return Ok(Remodelled::Swapped(positions));
        }
        if self.patched(was) || self.inserted(was) {
            return Ok(Remodelled::Other);
        }
        let content = Content::from_items(self.items.values().cloned()).at(self.publish.now);
        let (site, related) = match &self.site {
            Some(previous) => super::rebuild::rebuild(self.config.clone(), content, previous),
            None => super::rebuild::build(self.config.clone(), content),
        }
        .map_err(Diagnostics::sorted)?;
        self.site = Some(site);
        self.related = Some(related);
        Ok(Remodelled::Other)
    }

    /// Edits that change nothing the model indexes (text, title, summary): the
    /// new versions take the old ones' places, whose positions are returned. `None` when
    /// the edit needs more.
    fn swapped(&mut self, was: &Changed) -> Option<Vec<usize>> {
        let mut edits = Vec::new();
        for (path, old) in was {
            let (Some(Item::Briefing(old)), Some(Item::Briefing(new))) =
                (old, self.items.get(path))
            else {
                return None;
            };
            edits.push((old, new.clone()));
        }
        self.site.as_mut()?.swap(edits)
    }

    /// An edit to one briefing that keeps its file and slug but changes what the model
    /// indexes (topics, entities, links, `related:`, its date): the model is patched in
    /// place. False when the edit needs the model built again.
    fn patched(&mut self, was: &Changed) -> bool {
        let mut was = was.iter();
        let (Some((path, old)), None) = (was.next(), was.next()) else {
            return false;
        };
        let (Some(Item::Briefing(old)), Some(Item::Briefing(new)), Some(site), Some(index)) = (
            old,
            self.items.get(path),
            self.site.as_mut(),
            self.related.as_mut(),
        ) else {
            return false;
        };
        let Some(&i) = site.by_slug.get(&old.slug.value) else {
            return false;
        };
        site.briefings[i].briefing.path == old.path && site.patch(i, new.clone(), index)
    }

    /// A new briefing file: the model takes it in place. False when the model must be built
    /// again.
    fn inserted(&mut self, was: &Changed) -> bool {
        let mut was = was.iter();
        let (Some((path, None)), None) = (was.next(), was.next()) else {
            return false;
        };
        let (Some(Item::Briefing(new)), Some(site), Some(index)) = (
            self.items.get(path),
            self.site.as_mut(),
            self.related.as_mut(),
        ) else {
            return false;
        };
        site.insert(new.clone(), index)
    }

    /// Renders the files whose views the last change of the model changed, those a reader
    /// sees at once; the rest waits for `catch_up`.
    fn render_changed(&mut self, remodelled: Remodelled) -> Result<Update, Diagnostics> {
        let Some(site) = &self.site else {
            return Ok(Update::default());
        };
        let t = std::time::Instant::now();
        let quick = match &remodelled {
            Remodelled::Swapped(positions) => self.shape.swapped(site, positions),
            Remodelled::Other => None,
        };
        let candidates = match quick {
            Some(candidates) => candidates,
            None => {
                let (shape, candidates) = self.shape.next(site, self.engine.site_print(site));
                // Freeing the old shape of a large site takes a while: after the reload.
                self.retired = Some(std::mem::replace(&mut self.shape, shape));
                candidates
            }
        };
        if self.verify {
            let fresh = Shape::default().next(site, self.engine.site_print(site)).0;
            if !self.shape.agrees_with(&fresh) {
                self.missed
                    .push("(the shape kept from the edit before)".into());
            }
        }
        let compared = t.elapsed();
        let (files, removed) =
            self.engine
                .render_candidates(site, &candidates, When::Now, &mut self.fingerprints)?;
        crate::report::timing!(
            "  shape {compared:.1?}, render {:.1?} ({})",
            t.elapsed() - compared,
            candidates.summary()
        );
        match &mut self.later {
            Some(later) => later.merge(candidates),
            None => self.later = Some(candidates),
        }
        Ok(Update {
            changed: served(files)?,
            removed,
        })
    }

    /// What search indexes of the site as it is served.
    pub fn corpora(&self) -> Vec<crate::search::Corpus> {
        (self.site.as_ref())
            .map(|site| {
                crate::search::corpora(
                    std::slice::from_ref(site),
                    std::slice::from_ref(&self.engine),
                )
            })
            .unwrap_or_default()
    }

    /// Every file served.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.fingerprints.paths()
    }

    /// The warnings of the site as it is served.
    pub fn warnings(&self) -> Diagnostics {
        self.site
            .as_ref()
            .map(crate::model::warnings)
            .unwrap_or_default()
    }

    /// Renders what `rebuild` left for after the reload: later pages of long lists, the
    /// search index and the sitemaps, where they changed.
    pub fn catch_up(&mut self) -> Result<Update, Diagnostics> {
        self.retired = None;
        let (Some(site), Some(later)) = (&self.site, self.later.take()) else {
            return Ok(Update::default());
        };
        let (files, _) =
            self.engine
                .render_candidates(site, &later, When::Later, &mut self.fingerprints)?;
        if self.verify {
            let missed = self.engine.missed(site, &later, &self.fingerprints)?;
            self.missed.extend(missed);
        }
        Ok(Update {
            changed: served(files)?,
            removed: Vec::new(),
        })
    }

    /// Builds the model from the loaded items and renders every file.
    fn render_all(&mut self) -> Result<Update, Diagnostics> {
        let start = std::time::Instant::now();
        let content = Content::from_items(self.items.values().cloned()).at(self.publish.now);
        let (site, related) =
            super::rebuild::build(self.config.clone(), content).map_err(Diagnostics::sorted)?;
        let modelled = start.elapsed();
        let (shape, _) = Shape::default().next(&site, self.engine.site_print(&site));
        let everything = Candidates::everything();
        let mut fingerprints = Fingerprints::default();
        let mut files = Vec::new();
        for when in [When::Now, When::Later] {
            let (more, _) =
                self.engine
                    .render_candidates(&site, &everything, when, &mut fingerprints)?;
            files.extend(more);
        }
        crate::report::timing!(
            "timings: model {modelled:.0?}, render {:.0?} ({} files)",
            start.elapsed() - modelled,
            files.len()
        );
        self.site = Some(site);
        self.related = Some(related);
        self.shape = shape;
        self.fingerprints = fingerprints;
        self.later = None;
        Ok(Update {
            changed: served(files)?,
            removed: Vec::new(),
        })
    }
}

/// Versions of loaded files by path: `None` where there is none.
/// Content files by path: their new versions, `None` for those that are gone.
pub(super) type Changed = BTreeMap<PathBuf, Option<Item>>;

/// The new versions of what is loaded in `items` under `paths`: `None` for files that are
/// gone.
pub(super) fn load_changed(
    root: &Path,
    config: &Config,
    publish: Publish,
    items: &BTreeMap<PathBuf, Item>,
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
pub(super) fn take_in(items: &mut BTreeMap<PathBuf, Item>, changed: Changed) -> Changed {
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

/// How the model took in an edit.
enum Remodelled {
    /// The briefings at these positions were replaced, and nothing else changed.
    Swapped(Vec<usize>),
    Other,
}

/// Rendered files as served bytes.
pub(super) fn served(
    files: Vec<crate::render::OutFile>,
) -> Result<Vec<(String, Bytes)>, Diagnostics> {
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
