//! Content files as the build cache keeps them, in packs under `content/` in the cache
//! (see `crate::cache::pack`). Each file that loaded without errors is kept as what
//! validating it made (`Converted`), keyed by a hash of its bytes, its path, brief's version
//! and what conversion reads of the configuration (`Config::conversion_key`), with the size
//! and time of every picture file it read. Its body's HTML is an entry of its own. A build
//! that finds a file's entry, with its pictures as they were, skips parsing the file and
//! rendering its Markdown, and leaves the body on disk until a page shows it.
//!
//! An index keeps where each entry is, and each file's size, modification time and key:
//! a file whose size and time are those it had when a build last read it is not read
//! again. As with git's index, a file changed less than two seconds before that build's
//! index was written is read again, so an edit that keeps the size within the file
//! system's clock tick is still seen.
//!
//! One build at a time uses the cache (a lock); another one that runs meanwhile loads
//! without it. Entries no file uses any more stay in their pack until packs are merged:
//! when there are too many, or when most of the bytes are no longer used.

use crate::text::lock;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

use super::prose::Html;
use super::{Converted, Kind};
use crate::cache::Store;
use crate::cache::pack::{Finished, Packs, Spot};
use crate::config::Config;
use crate::picture::Place;
use crate::text::{FastMap, hash_of};

/// The folder of content packs in the cache.
const FOLDER: &str = "content";

/// The entry of the index of files read: path -> size, time and key.
const INDEX: &str = "content-index";

/// How close to the index's writing a file's time must be for it to be read again.
const RACY_NANOS: i128 = 2_000_000_000;

/// How many packs there may be before all but the largest are merged into one.
const MOST_PACKS: usize = 8;

/// The files a build read: each one's size and modification time, and its key; where each
/// key's entry and body are; and the packs they are in.
#[derive(Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct FileIndex {
    /// When it was written, in nanoseconds since 1970.
    written: i128,
    files: FastMap<PathBuf, (u64, i128, u64)>,
    entries: FastMap<u64, KeptEntry>,
    packs: Finished,
}

/// Where a file's entry and its body are.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
struct KeptEntry {
    entry: Spot,
    body: Spot,
}

/// The content entries of one site's cache, for one build.
pub struct Cached {
    store: Store,
    /// brief's version and what conversion reads of the configuration, which every entry
    /// depends on.
    base: u64,
    /// Where a picture written from the site's root may be found, in order.
    static_dirs: Vec<PathBuf>,
    packs: Mutex<Packs>,
    /// The entries this build used or made.
    used: Mutex<FastMap<u64, KeptEntry>>,
    /// What the last build read; emptied once loading is done.
    index: RwLock<FileIndex>,
    /// What this build read; the index for the next build once loading is done.
    read: Mutex<FileIndex>,
    /// Held while the build uses the cache.
    _lock: std::fs::File,
}

/// Each file a picture was, or could have been, read from, with its size and
/// modification time (`None`: there was no such file).
type PictureFiles = Vec<(PathBuf, Option<(u64, i128)>)>;

/// A file's entry: what it was converted to, and the picture files that went into it.
#[derive(serde::Deserialize)]
struct Entry {
    pictures: PictureFiles,
    value: Converted,
}

/// An entry as it is written, borrowing what it keeps.
#[derive(serde::Serialize)]
struct EntryRef<'a> {
    pictures: PictureFiles,
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
        let base = hash_of((env!("CARGO_PKG_VERSION"), config.conversion_key()));
        let index: FileIndex = (store.get(INDEX, base))
            .and_then(|bytes| crate::cache::decode(&bytes))
            .unwrap_or_default();
        let packs = Packs::open(&store.dir().join(FOLDER), &index.packs);
        Some(Cached {
            store,
            base,
            static_dirs: config.static_dirs(),
            packs: Mutex::new(packs),
            used: Mutex::default(),
            index: RwLock::new(index),
            read: Mutex::default(),
            _lock: lock,
        })
    }

    /// The key the file at `display`, with size and time `seen`, had when the last build
    /// read it, if it cannot have changed since.
    pub fn known(&self, display: &Path, seen: (u64, i128)) -> Option<u64> {
        let index = reading(&self.index);
        let &(size, time, key) = index.files.get(display)?;
        let settled = time < index.written - RACY_NANOS;
        ((size, time) == seen && settled).then_some(key)
    }

    /// Records that the file at `display`, with size and time `seen` before it was read,
    /// has the key `key`.
    pub fn read(&self, display: &Path, seen: (u64, i128), key: u64) {
        (lock(&self.read).files).insert(display.to_path_buf(), (seen.0, seen.1, key));
    }

    /// Keeps the index of the files this build read and the entries it used, for the next
    /// build, and lets go of the previous index.
    pub fn keep_index(&self) {
        let before = std::mem::take(&mut *writing(&self.index));
        let mut read = lock(&self.read);
        read.entries = std::mem::take(&mut *lock(&self.used));
        read.packs = lock(&self.packs).finish();
        read.written = before.written;
        if *read == before {
            return;
        }
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        read.written = now.map_or(0, |d| d.as_nanos() as i128);
        self.write_index(&read);
    }

    fn write_index(&self, index: &FileIndex) {
        if let Some(bytes) = crate::cache::encode(index) {
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
    /// they were; its body stays in the cache (its bytes are checked when a page reads
    /// them).
    pub fn get(&self, key: u64) -> Option<Converted> {
        let kept = *reading(&self.index).entries.get(&key)?;
        let (entry_pack, body_pack) = {
            let packs = lock(&self.packs);
            (packs.holding(kept.entry)?, packs.holding(kept.body)?)
        };
        let bytes = entry_pack.read(kept.entry, key)?;
        let entry: Entry = crate::cache::decode(&bytes)?;
        let same = (entry.pictures.iter()).all(|(path, seen)| crate::cache::stat(path) == *seen);
        same.then_some(())?;
        let mut value = entry.value;
        value.prose_mut().html = Html::Cached {
            pack: body_pack,
            spot: kept.body,
            key,
        };
        lock(&self.used).insert(key, kept);
        Some(value)
    }

    /// Keeps `value`, converted from the file with `key`, and moves its body into the
    /// cache. A cache that cannot be written leaves the body in memory.
    pub fn put(&self, key: u64, value: &mut Converted) {
        let Html::Text(html) = &value.prose().html else {
            return;
        };
        let entry = EntryRef {
            pictures: self.picture_files(value),
            value,
        };
        let Some(bytes) = crate::cache::encode(&entry) else {
            return;
        };
        // The body and its entry side by side, so that they share a pack.
        let appended = lock(&self.packs).append(&[(key, html.as_bytes()), (key, &bytes)]);
        let Some((spots, pack)) = appended else {
            return;
        };
        let kept = KeptEntry {
            body: spots[0],
            entry: spots[1],
        };
        value.prose_mut().html = Html::Cached {
            pack,
            spot: kept.body,
            key,
        };
        lock(&self.used).insert(key, kept);
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

    /// After a build: merges packs when there are too many or most of their bytes are no
    /// longer used, and removes every file of the folder the index does not point to.
    /// Packs are merged by whole packs, so a build that changed little moves little.
    pub fn prune(&self) {
        let mut packs = lock(&self.packs);
        let mut index = lock(&self.read);
        let merged = to_merge(&index);
        if !merged.is_empty() {
            let mut spots: Vec<&mut Spot> = (index.entries.values_mut())
                .flat_map(|k| [&mut k.entry, &mut k.body])
                .collect();
            if packs.merge(&merged, &mut spots).is_err() {
                return;
            }
            index.packs = packs.finished();
            self.write_index(&index);
        }
        packs.remove_unlisted();
    }
}

/// The packs to merge (see `crate::cache::pack::to_merge`).
fn to_merge(index: &FileIndex) -> Vec<u32> {
    let spots = index.entries.values().flat_map(|k| [k.entry, k.body]);
    crate::cache::pack::to_merge(&index.packs, spots, MOST_PACKS)
}

fn reading<T>(rw: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    rw.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn writing<T>(rw: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    rw.write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
