//! The preview's search index: made again from the model after each rebuild, on a thread
//! of its own, so a reload never waits for it. A newer rebuild makes an older index void
//! before it is served.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::http::Shared;
use crate::search::{Corpus, IndexFile};

#[derive(Default)]
pub struct Reindexer {
    latest: Arc<AtomicU64>,
}

impl Reindexer {
    /// Indexes `corpora` (the site as it is served now), then serves the index in place of
    /// the last one.
    pub fn start(&self, shared: &Shared, corpora: Vec<Corpus>) {
        let mine = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        let (shared, latest) = (shared.clone(), self.latest.clone());
        std::thread::spawn(move || {
            let files = Mutex::new(Vec::new());
            let put = |f: IndexFile| {
                lock(&files).push(f);
                Ok(())
            };
            let written = crate::search::write_all(&corpora, &put);
            if latest.load(Ordering::SeqCst) != mine {
                return;
            }
            match written {
                Ok(()) => {
                    let dirs: Vec<String> = corpora.iter().map(|c| c.dir.clone()).collect();
                    serve_index(&shared, &dirs, lock(&files).drain(..).collect());
                }
                Err(diags) => crate::note!("{}", diags.render(false)),
            }
        });
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Replaces the served index in the folders `dirs` with `files`.
fn serve_index(shared: &Shared, dirs: &[String], files: Vec<IndexFile>) {
    let mut served = match shared.served.write() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    let new: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let stale: Vec<String> = (served.files.keys())
        .filter(|p| dirs.iter().any(|d| p.starts_with(d.as_str())) && !new.contains(p.as_str()))
        .cloned()
        .collect();
    for path in stale {
        served.files.remove(&path);
    }
    for f in files {
        served.files.insert(f.path, Arc::from(f.bytes));
    }
}
