//! The preview's search index: made again from the served briefing pages after each
//! rebuild, on a thread of its own, so a reload never waits for it. A newer rebuild makes
//! an older index void before it is served.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::http::Shared;
use crate::search::{BUNDLE_DIR, Indexer};

#[derive(Default)]
pub struct Reindexer {
    latest: Arc<AtomicU64>,
}

impl Reindexer {
    /// Indexes the pages at `paths` as they are served now, then serves the index in place
    /// of the last one.
    pub fn start(&self, shared: &Shared, paths: HashSet<String>) {
        let mine = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        let pages: Vec<(String, super::workspace::Bytes)> = {
            let served = match shared.served.read() {
                Ok(s) => s,
                Err(poisoned) => poisoned.into_inner(),
            };
            (paths.into_iter())
                .filter_map(|p| served.files.get(&p).map(|b| (p, b.clone())))
                .collect()
        };
        let (shared, latest) = (shared.clone(), self.latest.clone());
        let current = move || latest.load(Ordering::SeqCst) == mine;
        std::thread::spawn(move || {
            let indexer = Indexer::start();
            for (path, bytes) in pages {
                if !current() {
                    return;
                }
                indexer.add(&path, &String::from_utf8_lossy(&bytes));
            }
            match indexer.finish() {
                Ok(files) if current() => serve_index(&shared, files),
                Ok(_) => {}
                Err(d) => crate::note!("{}", d.render(false)),
            }
        });
    }
}

/// Replaces the served index with `files`.
fn serve_index(shared: &Shared, files: Vec<crate::search::IndexFile>) {
    let mut served = match shared.served.write() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    let new: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let stale: Vec<String> = (served.files.keys())
        .filter(|p| p.starts_with(BUNDLE_DIR) && !new.contains(p.as_str()))
        .cloned()
        .collect();
    for path in stale {
        served.files.remove(&path);
    }
    for f in files {
        served.files.insert(f.path, Arc::from(f.bytes));
    }
}
