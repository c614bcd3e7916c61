//! Content files as the build cache keeps them, under `content/` in the cache. Each file
//! that loaded without errors is kept as what validating it made (`Converted`), keyed by a
//! hash of its bytes, its path, brief's version and the configuration, with the size and
//! time of every picture file it read. Its body's HTML is an entry of its own. A build that
//! finds a file's entry, with its pictures as they were, skips parsing the file and
//! rendering its Markdown, and leaves the body on disk until a page shows it.
//!
//! A file whose size and modification time are those it had when a build last read it is
//! not read again: an index keeps each file's key with them. As with git's index, a file
//! changed less than two seconds before that build's index was written is read again, so
//! an edit that keeps the size within the file system's clock tick is still seen.
//!
//! One build at a time uses the cache (a lock); another one that runs meanwhile loads
//! without it. Entries no file uses any more are removed after a build that made new ones.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::prose::Html;
use super::{Converted, Kind};
use crate::cache::Store;
use crate::config::Config;
use crate::picture::Place;
use crate::text::hash_of;

/// The folder of content entries in the cache.
const FOLDER: &str = "content";

/// The entry of the index of files read: path -> size, time and key.
const INDEX: &str = "content-index";

/// How close to the index's writing a file's time must be for it to be read again.
const RACY_NANOS: i128 = 2_000_000_000;

/// The files a build read: each one's size and modification time, and its key.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct FileIndex {
    /// When it was written, in nanoseconds since 1970.
    written: i128,
    files: std::collections::HashMap<PathBuf, (u64, i128, u64)>,
}

/// The content entries of one site's cache, for one build.
pub struct Cached {
    store: Store,
    /// brief's version and the configuration, which every entry depends on.
    base: u64,
    /// Where a picture written from the site's root may be found, in order.
    static_dirs: Vec<PathBuf>,
    /// The keys this build used or made, so the others can be removed.
    used: Mutex<HashSet<u64>>,
    made: AtomicUsize,
    /// What the last build read; emptied once loading is done.
    index: std::sync::RwLock<FileIndex>,
    /// What this build read.
    read: Mutex<FileIndex>,
    /// Held while the build uses the cache.
    _lock: std::fs::File,
}

/// Each file a picture was, or could have been, read from, with its size and
/// modification time (`None`: there was no such file).
type PictureFiles = Vec<(PathBuf, Option<(u64, i128)>)>;

/// A file's entry: what it was converted to, the picture files that went into it, and
/// the size and time of its body's entry as written.
#[derive(serde::Deserialize)]
struct Entry {
    pictures: PictureFiles,
    body: (u64, i128),
    value: Converted,
}

/// An entry as it is written, borrowing what it keeps.
#[derive(serde::Serialize)]
struct EntryRef<'a> {
    pictures: PictureFiles,
    body: (u64, i128),
    value: &'a Converted,
}

impl Cached {
    /// The content entries of `store` for a site with `config`; `None` when the cache is
    /// not used, or another build is using it.
    pub fn open(store: Store, config: &Config) -> Option<Cached> {
        if !store.is_used() {
            return None;
        }
        std::fs::create_dir_all(store.dir()).ok()?;
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(store.dir().join("content.lock"))
            .ok()?;
        lock.try_lock().ok()?;
        let base = hash_of((env!("CARGO_PKG_VERSION"), format!("{config:?}")));
        let index = (store.get(INDEX, base))
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Some(Cached {
            store,
            base,
            static_dirs: config.static_dirs(),
            used: Mutex::default(),
            made: AtomicUsize::new(0),
            index: std::sync::RwLock::new(index),
            read: Mutex::default(),
            _lock: lock,
        })
    }

    /// The key the file at `display`, with size and time `seen`, had when the last build
    /// read it, if it cannot have changed since.
    pub fn known(&self, display: &Path, seen: (u64, i128)) -> Option<u64> {
        let index = self
            .index
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let &(size, time, key) = index.files.get(display)?;
        let settled = time < index.written - RACY_NANOS;
        ((size, time) == seen && settled).then_some(key)
    }

    /// Records that the file at `display`, with size and time `seen` before it was read,
    /// has the key `key`.
    pub fn read(&self, display: &Path, seen: (u64, i128), key: u64) {
        let mut read = self
            .read
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        read.files
            .insert(display.to_path_buf(), (seen.0, seen.1, key));
    }

    /// Keeps the index of the files this build read, for the next build, and lets go of
    /// both indexes.
    pub fn keep_index(&self) {
        let mut read = std::mem::take(
            &mut *self
                .read
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let before = std::mem::take(
            &mut *self
                .index
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        if read.files == before.files {
            return;
        }
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        read.written = now.map_or(0, |d| d.as_nanos() as i128);
        if let Ok(bytes) = serde_json::to_vec(&read) {
            let _ = self.store.put(INDEX, self.base, &bytes);
        }
    }

    /// The cache these entries are kept in.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The key of the file at `display` of kind `kind` whose bytes are `bytes`.
    pub fn key(&self, display: &Path, kind: &Kind, bytes: &[u8]) -> u64 {
        hash_of((self.base, display, format!("{kind:?}"), bytes))
    }

    /// What the file with `key` was converted to, if it is kept and its pictures are as
    /// they were; its body stays in the cache. The body's entry must be as it was written
    /// (its bytes are checked when a page reads them).
    pub fn get(&self, key: u64) -> Option<Converted> {
        let bytes = self.store.get(&name(key, "json"), key)?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        let same = (entry.pictures.iter()).all(|(path, seen)| crate::cache::stat(path) == *seen);
        let body = self.store.dir().join(name(key, "html"));
        if !same || crate::cache::stat(&body) != Some(entry.body) {
            return None;
        }
        let mut value = entry.value;
        value.prose_mut().html = Html::Cached { path: body, key };
        self.lock_used().insert(key);
        Some(value)
    }

    /// Keeps `value`, converted from the file with `key`, and moves its body into the
    /// cache. A cache that cannot be written leaves the body in memory.
    pub fn put(&self, key: u64, value: &mut Converted) {
        let Html::Text(html) = &value.prose().html else {
            return;
        };
        let body = self.store.dir().join(name(key, "html"));
        let written = self.store.put(&name(key, "html"), key, html.as_bytes());
        let Some(seen) = written.ok().and_then(|()| crate::cache::stat(&body)) else {
            return;
        };
        let entry = EntryRef {
            pictures: self.picture_files(value),
            body: seen,
            value,
        };
        let kept = serde_json::to_vec(&entry)
            .ok()
            .is_some_and(|json| self.store.put(&name(key, "json"), key, &json).is_ok());
        if kept {
            value.prose_mut().html = Html::Cached { path: body, key };
            self.lock_used().insert(key);
            self.made.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The picture files `value` read, and for a picture written from the site's root,
    /// each folder it could come from, so one put in front of it is noticed.
    fn picture_files(&self, value: &Converted) -> PictureFiles {
        let mut files = Vec::new();
        for picture in value.pictures() {
            if let Place::Static(path) = &picture.place {
                files.extend(self.static_dirs.iter().map(|d| d.join(path)));
            }
            files.extend(picture.file.clone());
        }
        files.sort();
        files.dedup();
        (files.into_iter())
            .map(|f| {
                let seen = crate::cache::stat(&f);
                (f, seen)
            })
            .collect()
    }

    /// Removes the entries this build did not use, when it made new ones (an edit leaves
    /// the old version's entry behind).
    pub fn prune(&self) {
        if self.made.load(Ordering::Relaxed) == 0 {
            return;
        }
        let used = self.lock_used();
        let folder = self.store.dir().join(FOLDER);
        let stale = walkdir::WalkDir::new(&folder)
            .min_depth(2)
            .max_depth(2)
            .into_iter()
            .flatten()
            .filter(|e| {
                let key = e.file_name().to_str().and_then(|n| n.split('.').next());
                key.and_then(|k| u64::from_str_radix(k, 16).ok())
                    .is_none_or(|k| !used.contains(&k))
            });
        for e in stale {
            let _ = std::fs::remove_file(e.path());
        }
    }

    fn lock_used(&self) -> std::sync::MutexGuard<'_, HashSet<u64>> {
        self.used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// An entry's name in the cache: `content/ab/ab12....json`.
fn name(key: u64, ext: &str) -> String {
    format!("{FOLDER}/{:02x}/{key:016x}.{ext}", key >> 56)
}
