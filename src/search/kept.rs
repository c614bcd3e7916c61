//! What one language's index keeps between builds, so that an edit re-indexes only the
//! briefings it changed and rewrites only the files whose bytes change: each briefing's
//! entry (its stems and forms by number, see `vocab`) under a key made from everything
//! indexed of it, the vocabulary that numbers them, and a print of each file written.
//!
//! `brief build` keeps them in the build cache (entries in packs under `search/`, the rest
//! in one entry); the preview keeps them in memory. What a build made counts only once the
//! build is done (`commit`): a failed build leaves the output as it was, so the prints of
//! files it never delivered must not be taken for the files on disk.

use crate::text::lock;
use std::sync::{Arc, Mutex};

use super::vocab::Vocab;
use crate::cache::Store;
use crate::cache::pack::{Finished, Packs, Spot};
use crate::text::{FastMap, hash_of};

/// Bumped when an entry's or a file's form changes, so older ones are not read.
const FORMAT: u32 = 1;

/// How many packs of entries there may be before they are merged.
const MOST_PACKS: usize = 8;

/// A vocabulary with more numbered stems than this beyond twice those in use is begun
/// again, with every entry, so that words no briefing has any more do not pile up.
const SLACK: usize = 10_000;

pub struct KeptIndex {
    pub vocab: Vocab,
    /// Each file of the index as last delivered, from its folder, with its print.
    pub prints: FastMap<String, u64>,
    /// Numbers the vocabulary: entries of another one are not read.
    generation: u64,
    place: Place,
    /// What the last `write` made, counted once the build is done.
    pending: Option<Pending>,
}

struct Pending {
    prints: FastMap<String, u64>,
    stems_used: usize,
}

enum Place {
    Memory {
        entries: FastMap<u64, Arc<[u8]>>,
        used: Mutex<FastMap<u64, Arc<[u8]>>>,
    },
    Disk(Disk),
}

struct Disk {
    store: Store,
    /// The name of the entry that holds the rest.
    name: String,
    packs: Mutex<Packs>,
    spots: FastMap<u64, Spot>,
    used: Mutex<FastMap<u64, Spot>>,
}

/// What the build cache holds besides the entries.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Saved {
    /// The marker of the output folder the prints are of (see `output::marker_print`).
    marker: Option<u64>,
    generation: u64,
    vocab: Vocab,
    prints: FastMap<String, u64>,
    spots: FastMap<u64, Spot>,
    packs: Finished,
}

impl KeptIndex {
    /// Nothing kept yet, held in memory.
    pub fn in_memory() -> KeptIndex {
        KeptIndex {
            vocab: Vocab::default(),
            prints: FastMap::default(),
            generation: 0,
            place: Place::Memory {
                entries: FastMap::default(),
                used: Mutex::default(),
            },
            pending: None,
        }
    }

    /// What the build cache `store` keeps for the index in the folder `dir`, for a build
    /// into the output folder whose marker hashes to `marker`: the prints are those of
    /// another folder's files, or of files since replaced, unless it is the marker they
    /// were delivered with.
    pub fn open(store: &Store, dir: &str, marker: Option<u64>) -> KeptIndex {
        let folder = format!("{:016x}", hash_of(dir));
        let name = format!("search-{folder}");
        let mut saved: Saved = (store.get(&name, base()))
            .and_then(|bytes| crate::cache::decode(&bytes))
            .unwrap_or_else(|| Saved {
                // A cache lost or unreadable: entries left from before are not read.
                generation: now_nanos(),
                ..Saved::default()
            });
        saved.vocab.reopen();
        if saved.marker != marker || marker.is_none() {
            saved.prints.clear();
        }
        let packs = Packs::open(&store.dir().join("search").join(folder), &saved.packs);
        KeptIndex {
            vocab: saved.vocab,
            prints: saved.prints,
            generation: saved.generation,
            place: Place::Disk(Disk {
                store: store.clone(),
                name,
                packs: Mutex::new(packs),
                spots: saved.spots,
                used: Mutex::default(),
            }),
            pending: None,
        }
    }

    /// The entry kept for a briefing with `key`, if there is one.
    pub fn get(&self, key: u64) -> Option<Vec<u8>> {
        let key = self.entry_key(key);
        match &self.place {
            Place::Memory { entries, used } => {
                let bytes = entries.get(&key)?.clone();
                let copy = bytes.to_vec();
                lock(used).insert(key, bytes);
                Some(copy)
            }
            Place::Disk(disk) => {
                let spot = *disk.spots.get(&key)?;
                let pack = lock(&disk.packs).holding(spot)?;
                let bytes = pack.read(spot, key)?;
                lock(&disk.used).insert(key, spot);
                Some(bytes)
            }
        }
    }

    /// Keeps the entries of briefings indexed now, each with its key.
    pub fn put(&self, entries: &[(u64, Vec<u8>)]) {
        let keyed: Vec<(u64, &[u8])> = (entries.iter())
            .map(|(key, bytes)| (self.entry_key(*key), bytes.as_slice()))
            .collect();
        match &self.place {
            Place::Memory { used, .. } => {
                let mut used = lock(used);
                for (key, bytes) in keyed {
                    used.insert(key, Arc::from(bytes));
                }
            }
            Place::Disk(disk) => {
                let Some((spots, _)) = lock(&disk.packs).append(&keyed) else {
                    return;
                };
                let mut used = lock(&disk.used);
                for ((key, _), spot) in keyed.iter().zip(spots) {
                    used.insert(*key, spot);
                }
            }
        }
    }

    /// Records what a `write` made: the vocabulary back, how many of its stems are in use,
    /// and the print of every file of the index.
    pub fn made(&mut self, vocab: Vocab, stems_used: usize, prints: FastMap<String, u64>) {
        self.vocab = vocab;
        self.pending = Some(Pending { prints, stems_used });
    }

    /// Once the index `write` made is delivered, into the output folder whose marker now
    /// hashes to `marker` (none for the preview): its prints are those of the files there,
    /// and the entries it used are the ones kept (in the cache, for `brief build`).
    pub fn commit(&mut self, marker: Option<u64>) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        self.prints = pending.prints;
        let fresh = self.vocab.stems.len() > 2 * pending.stems_used + SLACK;
        if fresh {
            self.vocab = Vocab::default();
            self.generation = self.generation.wrapping_add(1);
        }
        match &mut self.place {
            Place::Memory { entries, used } => {
                *entries = std::mem::take(&mut *lock(used));
                if fresh {
                    entries.clear();
                }
            }
            Place::Disk(disk) => {
                disk.spots = std::mem::take(&mut *lock(&disk.used));
                if fresh {
                    disk.spots.clear();
                }
                disk.save(marker, self.generation, &self.vocab, &self.prints);
            }
        }
    }

    /// The key an entry is kept under: the briefing's key in this vocabulary.
    fn entry_key(&self, key: u64) -> u64 {
        hash_of((self.generation, key))
    }
}

impl Disk {
    /// Writes the vocabulary, the prints and where the entries are; merges packs when
    /// there are too many or most of their bytes are not used any more.
    fn save(
        &mut self,
        marker: Option<u64>,
        generation: u64,
        vocab: &Vocab,
        prints: &FastMap<String, u64>,
    ) {
        let mut packs = lock(&self.packs);
        let finished = packs.finish();
        let merged =
            crate::cache::pack::to_merge(&finished, self.spots.values().copied(), MOST_PACKS);
        if !merged.is_empty() {
            let mut spots: Vec<&mut Spot> = self.spots.values_mut().collect();
            if packs.merge(&merged, &mut spots).is_err() {
                self.spots.clear();
            }
        }
        let saved = SavedRef {
            marker,
            generation,
            vocab,
            prints,
            spots: &self.spots,
            packs: packs.finished(),
        };
        if let Some(bytes) = crate::cache::encode(&saved) {
            let _ = self.store.put(&self.name, base(), &bytes);
        }
        packs.remove_unlisted();
    }
}

/// `Saved` as it is written, borrowing what it keeps.
#[derive(serde::Serialize)]
struct SavedRef<'a> {
    marker: Option<u64>,
    generation: u64,
    vocab: &'a Vocab,
    prints: &'a FastMap<String, u64>,
    spots: &'a FastMap<u64, Spot>,
    packs: Finished,
}

/// What every kept thing depends on: brief's version and the form of entries and files.
fn base() -> u64 {
    hash_of((env!("CARGO_PKG_VERSION"), FORMAT))
}

fn now_nanos() -> u64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.map_or(0, |d| d.as_nanos() as u64)
}
