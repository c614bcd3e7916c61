//! Packs: many entries in one file. A build that keeps thousands of entries appends them to
//! one new pack instead of making a file for each, which on most disks costs as much as the
//! bytes. Each entry in a pack is laid out as a single entry file is (see the parent
//! module) and is found by its `Spot`. A pack is never changed once its build is done: an
//! entry that is no longer used stays until the pack is merged into a new one.
//!
//! Whoever keeps the spots keeps each pack's size and time as it was finished with them; a
//! pack that is not as recorded is not read, so a pack changed by anything but brief is no
//! pack.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where an entry is: its pack, and the offset and length of its bytes there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Spot {
    pub pack: u32,
    pub offset: u64,
    pub len: u64,
}

/// Each finished pack's size and modification time, by number.
pub type Finished = BTreeMap<u32, (u64, i128)>;

/// A pack's file, open for reading at any offset from any thread: a build that reads
/// thousands of entries opens each pack once.
#[derive(Debug)]
pub struct Pack {
    pub path: PathBuf,
    file: File,
}

impl Pack {
    /// The entry at `spot`, if it reads back whole and is for `key`.
    pub fn read(&self, spot: Spot, key: u64) -> Option<Vec<u8>> {
        super::parse(read_bytes(&self.file, spot).ok()?, key)
    }
}

/// The packs of one folder of the cache, for one build.
pub struct Packs {
    dir: PathBuf,
    /// The packs that are as recorded, with their sizes and times.
    sound: BTreeMap<u32, (u64, i128, Arc<Pack>)>,
    /// The pack this build appends to, made at its first entry.
    writing: Writing,
    /// The number the next new pack gets.
    next: u32,
}

#[derive(Default)]
enum Writing {
    #[default]
    None,
    Open(Open),
    /// Writing failed; entries made after that stay out of the cache.
    Failed,
}

/// A pack being written.
struct Open {
    number: u32,
    pack: Arc<Pack>,
    len: u64,
}

impl Open {
    /// Appends `bytes`, whole entries laid out one after the other, and says where they
    /// start.
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<u64> {
        (&self.pack.file).write_all(bytes)?;
        let offset = self.len;
        self.len += bytes.len() as u64;
        Ok(offset)
    }
}

impl Packs {
    /// The packs in `dir` recorded as `recorded`; one missing or not as recorded is left
    /// out.
    pub fn open(dir: &Path, recorded: &Finished) -> Packs {
        let sound = (recorded.iter())
            .filter_map(|(&number, &seen)| {
                let path = dir.join(file_name(number));
                let file = File::open(&path).ok()?;
                let now = file.metadata().ok().and_then(|m| super::seen(&m));
                let pack = Arc::new(Pack { path, file });
                (now == Some(seen)).then_some((number, (seen.0, seen.1, pack)))
            })
            .collect();
        let on_disk = numbers_in(dir).into_iter().max();
        let recorded_last = recorded.keys().next_back().copied();
        Packs {
            dir: dir.to_path_buf(),
            sound,
            writing: Writing::None,
            next: on_disk.max(recorded_last).map_or(0, |n| n + 1),
        }
    }

    /// The pack that holds `spot`, if the pack is sound and holds it whole.
    pub fn holding(&self, spot: Spot) -> Option<Arc<Pack>> {
        let (size, _, pack) = self.sound.get(&spot.pack)?;
        (spot.offset.checked_add(spot.len)? <= *size).then(|| pack.clone())
    }

    /// Appends one entry for each of `entries` (a key and its bytes) to this build's pack,
    /// one after the other, and says where they are, with the pack.
    pub fn append(&mut self, entries: &[(u64, &[u8])]) -> Option<(Vec<Spot>, Arc<Pack>)> {
        if let Writing::None = self.writing {
            self.writing = self.start().map_or(Writing::Failed, Writing::Open);
        }
        let Writing::Open(open) = &mut self.writing else {
            return None;
        };
        let mut bytes = Vec::new();
        let mut spots = Vec::with_capacity(entries.len());
        for (key, body) in entries {
            let start = bytes.len() as u64;
            super::lay_out(&mut bytes, *key, body);
            spots.push(Spot {
                pack: open.number,
                offset: open.len + start,
                len: bytes.len() as u64 - start,
            });
        }
        if open.write(&bytes).is_err() {
            self.writing = Writing::Failed;
            return None;
        }
        Some((spots, open.pack.clone()))
    }

    fn start(&self) -> std::io::Result<Open> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.dir.join(file_name(self.next));
        // Read too: its bodies are read back when pages are rendered.
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)?;
        Ok(Open {
            number: self.next,
            pack: Arc::new(Pack { path, file }),
            len: 0,
        })
    }

    /// Ends this build's writing, and records the sound packs with the new one.
    pub fn finish(&mut self) -> Finished {
        if let Writing::Open(open) = std::mem::take(&mut self.writing) {
            self.seal(open);
        }
        self.finished()
    }

    /// The sound packs' sizes and times.
    pub fn finished(&self) -> Finished {
        (self.sound.iter())
            .map(|(&n, &(size, time, _))| (n, (size, time)))
            .collect()
    }

    /// Records a pack whose writing is done as sound.
    fn seal(&mut self, open: Open) {
        if let Some(seen) = super::stat(&open.pack.path) {
            self.sound.insert(open.number, (seen.0, seen.1, open.pack));
        }
        self.next = open.number + 1;
    }

    /// Copies the entries at `spots` that are in packs numbered `merged` into a new pack,
    /// and points those spots at the copies. The merged packs are no longer sound; their
    /// files stay until `remove_unlisted`.
    pub fn merge(&mut self, merged: &[u32], spots: &mut [&mut Spot]) -> std::io::Result<()> {
        let mut moving: Vec<&mut Spot> = (spots.iter_mut())
            .filter(|s| merged.contains(&s.pack))
            .map(|s| &mut **s)
            .collect();
        moving.sort_by_key(|s| (s.pack, s.offset));
        for n in merged {
            self.sound.remove(n);
        }
        if moving.is_empty() {
            return Ok(());
        }
        let mut open = self.start()?;
        let mut reading: Option<(u32, File)> = None;
        for spot in moving {
            let file = match &mut reading {
                Some((n, file)) if *n == spot.pack => file,
                _ => {
                    let path = self.dir.join(file_name(spot.pack));
                    &mut reading.insert((spot.pack, File::open(path)?)).1
                }
            };
            let bytes = read_bytes(file, *spot)?;
            *spot = Spot {
                pack: open.number,
                offset: open.write(&bytes)?,
                len: spot.len,
            };
        }
        self.seal(open);
        Ok(())
    }

    /// Removes every file and folder in the packs' folder but the sound packs: merged packs,
    /// packs of killed builds, and anything else.
    pub fn remove_unlisted(&self) {
        let Ok(listing) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for item in listing.flatten() {
            let path = item.path();
            let kept = (item.file_name().to_str())
                .and_then(number_of)
                .is_some_and(|n| self.sound.contains_key(&n));
            if kept {
                continue;
            }
            let _ = match item.file_type() {
                Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
                _ => std::fs::remove_file(&path),
            };
        }
    }
}

/// The packs to merge, given the spots of every entry still used: those no entry is in any
/// more; and when there are more than `most`, or most of their bytes are not used, every
/// pack but the largest, and that one too when most of its own bytes are not used.
pub fn to_merge(packs: &Finished, spots: impl Iterator<Item = Spot>, most: usize) -> Vec<u32> {
    let mut used: BTreeMap<u32, u64> = BTreeMap::new();
    for spot in spots {
        *used.entry(spot.pack).or_default() += spot.len;
    }
    let used_of = |n: &u32| used.get(n).copied().unwrap_or(0);
    let total: u64 = packs.values().map(|s| s.0).sum();
    let all_used: u64 = used.values().sum();
    let crowded = packs.len() > most || all_used * 2 < total;
    let largest = packs.iter().max_by_key(|(_, s)| s.0).map(|(&n, _)| n);
    (packs.iter())
        .filter(|&(n, s)| {
            let mostly_unused = used_of(n) * 2 < s.0;
            used_of(n) == 0 || (crowded && (Some(*n) != largest || mostly_unused))
        })
        .map(|(&n, _)| n)
        .collect()
}

/// The bytes at `spot`, read without moving the file's position, so threads can share it.
fn read_bytes(file: &File, spot: Spot) -> std::io::Result<Vec<u8>> {
    let len = usize::try_from(spot.len).map_err(std::io::Error::other)?;
    let mut bytes = vec![0; len];
    read_exact_at(file, &mut bytes, spot.offset)?;
    Ok(bytes)
}

#[cfg(unix)]
fn read_exact_at(file: &File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut bytes: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, bytes, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                bytes = &mut bytes[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

fn file_name(number: u32) -> String {
    format!("{number:08}.pack")
}

fn number_of(name: &str) -> Option<u32> {
    let digits = name.strip_suffix(".pack")?;
    (digits.len() == 8).then_some(())?;
    digits.parse().ok()
}

/// The numbers of the packs in `dir`.
fn numbers_in(dir: &Path) -> Vec<u32> {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    (listing.flatten())
        .filter_map(|e| number_of(e.file_name().to_str()?))
        .collect()
}
