//! What a build reuses from the previous one. After writing its output, a build keeps the
//! shape of each language's site (see `render::candidates`) in the cache, under a key made
//! of brief's version, the configuration, the theme, what is published and the output's
//! marker. The next build into the same folder compares its own shapes with them: the
//! files that cannot have changed are left as they are, without being rendered. When
//! anything does not match, every file is rendered, and the output stage still writes only
//! the files whose bytes differ.

use std::hash::{Hash, Hasher};
use std::path::Path;

use rayon::prelude::*;

use crate::cache::Store;
use crate::model::Site;
use crate::model::related::Related;
use crate::render::Engine;
use crate::render::candidates::{Candidates, Shape};

/// The cache entry: the shapes of the last build of the site, whichever folder it wrote.
const ENTRY: &str = "shapes";

/// The previous build's shapes, if they describe the output folder, and where to keep
/// the next ones.
pub struct Reuse {
    store: Store,
    /// Everything but the output's marker that the shapes are only valid with.
    base: u64,
    previous: Option<Vec<Shape>>,
}

/// What a build is made with besides its content: a shape kept with other settings says
/// nothing about this build's files.
pub struct Settings<'a> {
    pub config: &'a crate::config::Config,
    pub engines: &'a [Engine],
    pub drafts: bool,
    pub future: bool,
    pub indexed: bool,
}

impl Settings<'_> {
    fn print(&self, output: &Path) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        // The folder however it is named: `public`, `./public`, or from another folder.
        std::fs::canonicalize(output)
            .or_else(|_| std::path::absolute(output))
            .unwrap_or_else(|_| output.to_path_buf())
            .hash(&mut h);
        format!("{:?}", self.config).hash(&mut h);
        for engine in self.engines {
            engine.theme_print().hash(&mut h);
        }
        (self.drafts, self.future, self.indexed).hash(&mut h);
        h.finish()
    }
}

impl Reuse {
    /// The shapes kept by the last build, if it wrote to `output` with the same
    /// `settings` and the folder still holds what it wrote; none when not `read`.
    pub fn open(store: Store, output: &Path, settings: &Settings<'_>, read: bool) -> Reuse {
        let base = settings.print(output);
        let previous = crate::output::marker_print(output)
            .filter(|_| read)
            .and_then(|marker| store.get(ENTRY, key(base, marker)))
            .and_then(|bytes| crate::cache::decode(&bytes));
        Reuse {
            store,
            base,
            previous,
        }
    }

    /// Each language's shape, and the files of it that may differ from the previous
    /// build's (`None`: any file may).
    pub fn compare(
        &mut self,
        sites: &[Site],
        engines: &[Engine],
    ) -> (Vec<Shape>, Vec<Option<Candidates>>) {
        compare(self.previous.take().as_deref(), sites, engines)
    }

    /// Keeps `shapes` for the next build into the output folder whose marker now hashes
    /// to `marker`. A cache that cannot be written only costs the next build time.
    pub fn save(&self, shapes: &[Shape], marker: u64) {
        let saved = crate::cache::encode(shapes)
            .ok_or_else(|| std::io::Error::other("cannot encode"))
            .and_then(|bytes| self.store.put(ENTRY, key(self.base, marker), &bytes));
        if let Err(e) = saved {
            crate::report::note!(
                "note: cannot keep the build cache in {}: {e}; the next build will render every page",
                self.store.dir().display()
            );
        }
    }
}

/// Each language's shape, and the files of it that may differ from those made for the
/// `previous` shapes (`None`: any file may). The build and the preview both decide this way.
pub fn compare(
    previous: Option<&[Shape]>,
    sites: &[Site],
    engines: &[Engine],
) -> (Vec<Shape>, Vec<Option<Candidates>>) {
    let fresh = Shape::default();
    let previous = previous.filter(|shapes| shapes.len() == sites.len());
    sites
        .par_iter()
        .zip(engines.par_iter())
        .enumerate()
        .map(|(i, (site, engine))| {
            let global = engine.site_print(site);
            match previous.and_then(|p| p.get(i)) {
                Some(before) => {
                    let (shape, candidates) = before.next(site, global);
                    (shape, Some(candidates))
                }
                None => (fresh.next(site, global).0, None),
            }
        })
        .unzip()
}

fn key(base: u64, marker: u64) -> u64 {
    crate::text::hash_of((base, marker))
}

/// Related lists kept in the build cache, one entry per language.
pub struct RelatedLists(pub Store);

impl crate::model::related::KeptRelated for RelatedLists {
    fn get(&self, lang: &str, key: u64) -> Option<Vec<Vec<Related>>> {
        let bytes = self.0.get(&format!("related-{lang}"), key)?;
        crate::cache::decode(&bytes)
    }

    fn put(&self, lang: &str, key: u64, lists: &[&[Related]]) {
        if let Some(bytes) = crate::cache::encode(lists) {
            let _ = self.0.put(&format!("related-{lang}"), key, &bytes);
        }
    }
}
