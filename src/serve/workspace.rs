//! The preview's in-memory site: loaded content, the model and the rendered files, kept
//! between rebuilds so an edit re-reads only the files that changed and re-renders only the
//! pages whose inputs changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{CONFIG_FILE, Config};
use crate::content::{self, Content, Item, Publish};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
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
    /// The fingerprint of every file last served, to skip pages whose inputs did not change.
    fingerprints: Fingerprints,
    /// The model of the last good build.
    site: Option<Site>,
    /// What the site's related lists are drawn from, kept beside it so an edit can update it.
    related: Option<crate::model::related::Index>,
    /// The deferred files (search index, sitemaps) lag an edit until `catch_up`.
    behind: bool,
}

impl Workspace {
    /// Loads the whole site. `base_url` replaces site.yaml's, so links work in the preview.
    pub fn open(
        root: &Path,
        publish: Publish,
        base_url: &str,
    ) -> Result<(Workspace, Update), Diagnostics> {
        let mut ws = Workspace::load(root, publish, base_url)?;
        let update = ws.render()?;
        Ok((ws, update))
    }

    /// Reads configuration, theme and every content file; renders nothing yet.
    fn load(root: &Path, publish: Publish, base_url: &str) -> Result<Workspace, Diagnostics> {
        let mut config = Config::load(root)?;
        config.set_base_url(base_url)?;
        let engine = Engine::load(root, &config)?;
        let items = load_all(root, &config, publish)?;
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
            behind: false,
        })
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
            let mut update = fresh.render()?;
            // Files the old site had and the new one does not are gone.
            update.removed = self.fingerprints.gone_from(&fresh.fingerprints);
            *self = fresh;
            return Ok(update);
        }
        let mut items = self.items.clone();
        let mut diags = Diagnostics::default();
        for path in &changes.content {
            items.retain(|p, _| !p.starts_with(path));
            if path.is_dir() {
                let (entries, walk_diags) = content::discover::discover_under(&self.root, path);
                diags.extend(walk_diags);
                for entry in entries {
                    match content::load_entry(&entry, &self.config, self.publish) {
                        Ok(item) => {
                            items.insert(entry.path.clone(), item);
                        }
                        Err(d) => diags.extend(d),
                    }
                }
            } else if path.is_file() {
                match content::load_file(&self.root, path, &self.config, self.publish) {
                    Ok(Some(item)) => {
                        items.insert(path.clone(), item);
                    }
                    Ok(None) => {}
                    Err(d) => diags.extend(d),
                }
            }
        }
        if !diags.is_empty() {
            return Err(diags.sorted());
        }
        if let Some(update) = self.in_place(&changes.content, &items)? {
            self.items = items;
            return Ok(update);
        }
        if let Some(update) = self.patched(&changes.content, &items)? {
            self.items = items;
            return Ok(update);
        }
        let previous = std::mem::replace(&mut self.items, items);
        match self.render() {
            Ok(update) => Ok(update),
            Err(d) => {
                self.items = previous;
                Err(d)
            }
        }
    }

    /// The common edits: text inside existing briefings, or what their cards show (title,
    /// summary, dateline, authors), and nothing the model indexes. Then only the files that
    /// show those briefings are rendered, without rebuilding the model. `None` when the edit
    /// needs the full path.
    fn in_place(
        &mut self,
        paths: &[PathBuf],
        items: &BTreeMap<PathBuf, Item>,
    ) -> Result<Option<Update>, Diagnostics> {
        let Some(site) = self.site.as_mut() else {
            return Ok(None);
        };
        let mut edits = Vec::new();
        let mut widest = Reach::Page;
        for path in paths {
            let (Some(Item::Briefing(old)), Some(Item::Briefing(new))) =
                (self.items.get(path), items.get(path))
            else {
                return Ok(None);
            };
            let reach = reach(old, new);
            if reach == Reach::Site {
                return Ok(None);
            }
            widest = widest.max(reach);
            let Some(i) = site
                .briefings
                .iter()
                .position(|e| Arc::ptr_eq(&e.briefing, old))
            else {
                return Ok(None);
            };
            edits.push((i, new.clone()));
        }
        let mut olds = Vec::with_capacity(edits.len());
        for (i, new) in &edits {
            olds.push((
                *i,
                std::mem::replace(&mut site.briefings[*i].briefing, new.clone()),
            ));
        }
        let indexes: Vec<usize> = edits.iter().map(|(i, _)| *i).collect();
        let rendered = match widest {
            Reach::Page => indexes
                .iter()
                .map(|&i| self.engine.render_briefing(site, i))
                .collect::<Result<Vec<_>, _>>(),
            _ => {
                self.behind = true;
                self.engine.render_showing(site, &indexes)
            }
        };
        let files = match rendered {
            Ok(files) => files,
            Err(d) => {
                // Keep the model as it was: the last good site stays served.
                for (i, old) in olds {
                    site.briefings[i].briefing = old;
                }
                return Err(d);
            }
        };
        for file in &files {
            // Its fingerprint is stale now: the next full pass renders it again.
            self.fingerprints.forget(&file.path);
        }
        Ok(Some(Update {
            changed: rendered_text(files),
            removed: Vec::new(),
        }))
    }

    /// An edit to one briefing that keeps its place (same slug and date) but changes what
    /// the model indexes (topics, entities, links, `related:`): the model is patched in place
    /// and only the files it may have changed are fingerprinted. `None` when the edit needs
    /// the full path.
    fn patched(
        &mut self,
        paths: &[PathBuf],
        items: &BTreeMap<PathBuf, Item>,
    ) -> Result<Option<Update>, Diagnostics> {
        let [path] = paths else {
            return Ok(None);
        };
        let (Some(Item::Briefing(old)), Some(Item::Briefing(new)), Some(site), Some(index)) = (
            self.items.get(path),
            items.get(path),
            self.site.as_mut(),
            self.related.as_mut(),
        ) else {
            return Ok(None);
        };
        let Some(&i) = site.by_slug.get(&old.slug.value) else {
            return Ok(None);
        };
        if site.briefings[i].briefing.path != old.path {
            return Ok(None);
        }
        let start = std::time::Instant::now();
        let Some(patch) = site.patch(i, new.clone(), index) else {
            return Ok(None);
        };
        let modelled = start.elapsed();
        if patch.respelled_entity {
            // Its name shows on pages the patch does not list: model and compare everything.
            self.site = None;
            self.related = None;
            return Ok(None);
        }
        match self
            .engine
            .render_patch(site, patch.touched(), &mut self.fingerprints)
        {
            Ok((files, removed)) => {
                if std::env::var_os("BRIEF_TIMINGS").is_some() {
                    crate::note!(
                        "timings: patch {modelled:.1?} ({} pages), render {:.1?} ({} files)",
                        patch.pages.len(),
                        start.elapsed() - modelled,
                        files.len()
                    );
                }
                self.behind = true;
                Ok(Some(Update {
                    changed: rendered_text(files),
                    removed,
                }))
            }
            Err(d) => {
                // The model moved on but the served files did not: model the served items
                // again, so the next edit starts from what is served.
                let content = Content::from_items(self.items.values().cloned());
                let (site, related) = super::rebuild::build(self.config.clone(), content)
                    .ok()
                    .unzip();
                (self.site, self.related) = (site, related);
                Err(d)
            }
        }
    }

    /// The warnings of the site as it is served.
    pub fn warnings(&self) -> Diagnostics {
        self.site
            .as_ref()
            .map(crate::model::warnings)
            .unwrap_or_default()
    }

    /// Finishes what `rebuild` left for after the pages: the search index and sitemaps,
    /// when an edit changed what they list. Nothing when they are current.
    pub fn catch_up(&mut self) -> Result<Update, Diagnostics> {
        let mut update = Update::default();
        if let (true, Some(site)) = (self.behind, &self.site) {
            update.changed =
                rendered_text(self.engine.render_deferred(site, &mut self.fingerprints)?);
        }
        self.behind = false;
        Ok(update)
    }

    /// Builds the model from the loaded items and renders what changed since last time.
    fn render(&mut self) -> Result<Update, Diagnostics> {
        let start = std::time::Instant::now();
        let content = Content::from_items(self.items.values().cloned());
        let (site, related) = match &self.site {
            Some(previous) => super::rebuild::rebuild(self.config.clone(), content, previous),
            None => super::rebuild::build(self.config.clone(), content),
        }
        .map_err(Diagnostics::sorted)?;
        let modelled = start.elapsed();
        // The first pass renders everything; later ones leave the deferred files for after
        // the reload.
        let defer = self.site.is_some();
        let (files, fingerprints) = self
            .engine
            .render_changed(&site, &self.fingerprints, defer)?;
        self.behind |= defer;
        if std::env::var_os("BRIEF_TIMINGS").is_some() {
            crate::note!(
                "timings: model {modelled:.0?}, render {:.0?} ({} files)",
                start.elapsed() - modelled,
                files.len()
            );
        }
        self.site = Some(site);
        self.related = Some(related);
        let mut update = Update::default();
        for f in files {
            let bytes: Bytes = match f.body {
                Body::Text(text) => Arc::from(text.into_bytes()),
                Body::Static(Origin::Embedded(bytes)) => Arc::from(bytes),
                Body::Static(Origin::File { path, display }) => match std::fs::read(&path) {
                    Ok(bytes) => Arc::from(bytes),
                    Err(e) => {
                        return Err(Diagnostic::new(
                            display,
                            format!("cannot read this file: {e}"),
                        )
                        .into());
                    }
                },
            };
            update.changed.push((f.path, bytes));
        }
        update.removed = self.fingerprints.gone_from(&fingerprints);
        self.fingerprints = fingerprints;
        Ok(update)
    }
}

/// Rendered pages as served files (partial passes render pages only, never static files).
fn rendered_text(files: Vec<crate::render::OutFile>) -> Vec<(String, Bytes)> {
    files
        .into_iter()
        .filter_map(|f| match f.body {
            Body::Text(text) => Some((f.path, Arc::from(text.into_bytes()))),
            Body::Static(_) => None,
        })
        .collect()
}

/// How far an edit to a briefing reaches, narrowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    /// Only its own page (body text, facts, sources, claims).
    Page,
    /// Its page and every list, feed and related entry that shows its card.
    Cards,
    /// Something the model indexes or orders by: everything is rebuilt.
    Site,
}

fn reach(a: &crate::content::Briefing, b: &crate::content::Briefing) -> Reach {
    let refs = |x: &crate::content::Briefing| {
        x.prose
            .refs
            .iter()
            .map(|r| (r.kind.clone(), r.slug.clone()))
            .collect::<Vec<_>>()
    };
    let dates = |x: &crate::content::Briefing| {
        (
            x.date.iso(),
            x.updated.map(|d| d.iso()),
            x.corrections
                .iter()
                .map(|c| c.date.iso())
                .collect::<Vec<_>>(),
        )
    };
    let same_structure = a.slug.value == b.slug.value
        && dates(a) == dates(b)
        && a.topics == b.topics
        && a.entities == b.entities
        && a.related
            .iter()
            .map(|r| &r.value)
            .eq(b.related.iter().map(|r| &r.value))
        && a.draft == b.draft
        && a.prose.highlighted == b.prose.highlighted
        && a.prose.local_links.iter().map(|l| &l.path).eq(b
            .prose
            .local_links
            .iter()
            .map(|l| &l.path))
        && refs(a) == refs(b);
    let same_card = a.title == b.title
        && a.summary == b.summary
        && a.dateline == b.dateline
        && a.authors == b.authors;
    match (same_structure, same_card) {
        (false, _) => Reach::Site,
        (true, false) => Reach::Cards,
        (true, true) => Reach::Page,
    }
}

fn load_all(
    root: &Path,
    config: &Config,
    publish: Publish,
) -> Result<BTreeMap<PathBuf, Item>, Diagnostics> {
    let (entries, mut diags) = content::discover::discover(root);
    let mut items = BTreeMap::new();
    let results: Vec<_> = {
        use rayon::prelude::*;
        entries
            .par_iter()
            .map(|e| (e.path.clone(), content::load_entry(e, config, publish)))
            .collect()
    };
    for (path, r) in results {
        match r {
            Ok(item) => {
                items.insert(path, item);
            }
            Err(d) => diags.extend(d),
        }
    }
    diags.into_result(items).map_err(Diagnostics::sorted)
}

/// Which rebuild a changed path asks for; `None` for paths the site does not read
/// (the output folder, editor leftovers, version control).
pub fn classify(root: &Path, path: &Path) -> Option<Kind> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let first = parts.first()?;
    // Editor leftovers anywhere on the path (vim's swap files and its `4913` probe, emacs
    // lock files, backups) never trigger a rebuild.
    if parts
        .iter()
        .any(|p| content::discover::is_ignored_name(p) || p.ends_with(".swo") || p == "4913")
    {
        return None;
    }
    match first.as_str() {
        "content" => Some(Kind::Content),
        "static" | "themes" | "templates" => Some(Kind::Everything),
        f if f == CONFIG_FILE && rel.components().count() == 1 => Some(Kind::Everything),
        _ => None,
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
