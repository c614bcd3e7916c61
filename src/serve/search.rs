//! The preview's search index: brought up to date after each rebuild, on a thread of its
//! own with one core, so a reload never waits for it and the next rebuild has the other
//! core. What each language's index kept (see `search::KeptIndex`) stays in memory between
//! rebuilds, so an edit re-indexes the briefings it changed and remakes only the files
//! that change. Indexes are made one at a time, and one whose rebuild a newer one
//! followed before it began is skipped, so what is served only ever gets newer.

use crate::text::lock;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::http::Shared;
use crate::diag::Diagnostic;
use crate::search::{Corpus, IndexFile, KeptIndex, Out};
use crate::text::FastMap;

#[derive(Default)]
pub struct Reindexer {
    latest: Arc<AtomicU64>,
    /// By the folder of each index.
    kept: Arc<Mutex<FastMap<String, KeptIndex>>>,
}

impl Reindexer {
    /// Indexes `corpora` (the site as it is served now), then serves the index in place of
    /// the last one.
    pub fn start(&self, shared: &Shared, corpora: Vec<Corpus>) {
        let mine = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        let (shared, latest, kept) = (shared.clone(), self.latest.clone(), self.kept.clone());
        std::thread::spawn(move || {
            // One index at a time: the next one starts from what this one kept.
            let mut kept = lock(&kept);
            if latest.load(Ordering::SeqCst) != mine {
                return;
            }
            let mut mine_kept: Vec<KeptIndex> = (corpora.iter())
                .map(|c| kept.remove(&c.dir).unwrap_or_else(KeptIndex::in_memory))
                .collect();
            let out = Memory {
                shared: &shared,
                files: Mutex::default(),
                kept: Mutex::default(),
            };
            let mut write = || crate::search::write_all(&corpora, &mut mine_kept, &out);
            let written = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                Ok(pool) => pool.install(write),
                Err(_) => write(),
            };
            match written {
                Ok(()) => {
                    let dirs: Vec<String> = corpora.iter().map(|c| c.dir.clone()).collect();
                    serve_index(&shared, &dirs, out);
                    mine_kept.iter_mut().for_each(|k| k.commit(None));
                }
                Err(diags) => crate::report::note!("{}", diags.render(false)),
            }
            for (corpus, k) in corpora.iter().zip(mine_kept) {
                kept.insert(corpus.dir.clone(), k);
            }
        });
    }
}

/// The preview's memory as an index is written into it: new files are collected, to be
/// served together once the index is whole.
struct Memory<'a> {
    shared: &'a Shared,
    files: Mutex<Vec<IndexFile>>,
    kept: Mutex<HashSet<String>>,
}

impl Out for Memory<'_> {
    fn put(&self, file: IndexFile) -> Result<(), Diagnostic> {
        lock(&self.files).push(file);
        Ok(())
    }

    fn keep(&self, path: &str) -> bool {
        let served = match self.shared.served.read() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        let there = served.files.contains_key(path);
        if there {
            lock(&self.kept).insert(path.to_string());
        }
        there
    }
}

/// Serves the index `out` holds in the folders `dirs`, in place of the last one.
fn serve_index(shared: &Shared, dirs: &[String], out: Memory<'_>) {
    let files = out.files.into_inner().unwrap_or_default();
    let kept = out.kept.into_inner().unwrap_or_default();
    let mut served = match shared.served.write() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    let new: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let stale: Vec<String> = (served.files.keys())
        .filter(|p| dirs.iter().any(|d| p.starts_with(d.as_str())))
        .filter(|p| !new.contains(p.as_str()) && !kept.contains(p.as_str()))
        .cloned()
        .collect();
    for path in stale {
        served.files.remove(&path);
    }
    for f in files {
        served.files.insert(f.path, Arc::from(f.bytes));
    }
}
