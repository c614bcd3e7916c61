//! Write stage. Over an output folder brief made, a build writes only the files whose
//! bytes changed (`incremental`), so unchanged files keep their modification time and
//! deploy tools send only what changed. Otherwise, or with `--clean`, the new site goes into
//! a temporary sibling folder and replaces the output folder once complete. Either way a
//! failed build leaves the previous site as it was, and an existing folder is only written
//! to if brief made it (a marker file) or it is empty.

mod incremental;
pub mod manifest;

pub use incremental::changes_text;

use crate::text::lock;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::diag::{Diagnostic, Diagnostics};
use crate::render::theme::Origin;
use crate::render::{Body, OutFile};
use manifest::{Entry, Manifest};

/// What a write did, for the summary line and `--changes`.
#[derive(Debug, Default, Clone)]
pub struct Written {
    /// The files the build made (`fill`'s count).
    pub files: usize,
    /// Paths written because they are new or differ, in no particular order.
    pub changed: Vec<String>,
    /// Files left as they were, byte for byte.
    pub unchanged: usize,
    /// Of those, how many were not even made again: the build knew they had not changed.
    pub reused: usize,
    /// Paths the previous build made and this one does not.
    pub removed: Vec<String>,
    /// Whether only what changed was written (else the folder was replaced whole).
    pub incremental: bool,
    /// What the output's marker now says (see `marker_print`).
    pub marker: u64,
}

/// A hash of the marker of the output folder `output`: which build's files it holds.
/// `None` when there is no marker to read.
pub fn marker_print(output: &Path) -> Option<u64> {
    fs::read(output.join(MARKER)).ok().map(crate::text::hash_of)
}

/// Marks a folder as brief's output, so it may be replaced by the next build.
pub const MARKER: &str = ".brief-output";

/// Checks that `output` may be replaced: missing, empty, or marked as brief's.
pub fn check_replaceable(output: &Path) -> Result<(), Diagnostic> {
    let shown = output.display();
    match fs::symlink_metadata(output) {
        Err(_) => Ok(()),
        Ok(meta) if !meta.is_dir() => Err(Diagnostic::new(
            output,
            format!("the output path {shown} exists and is not a folder"),
        )
        .help("choose another --output, or move that file away")),
        Ok(_) => {
            if output.join(MARKER).is_file() {
                return Ok(());
            }
            let empty = fs::read_dir(output)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if empty {
                Ok(())
            } else {
                Err(Diagnostic::new(
                    output,
                    format!(
                        "refusing to replace {shown}: it is not empty and was not created by brief"
                    ),
                )
                .help("choose an empty or new folder for --output; nothing was deleted"))
            }
        }
    }
}

/// A path inside the output folder, refusing anything that could step outside it.
fn safe_join(base: &Path, rel: &str) -> Option<PathBuf> {
    if rel.is_empty() || rel.contains('\\') || rel.contains('\0') {
        return None;
    }
    let rel_path = Path::new(rel);
    if !rel_path
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    Some(base.join(rel_path))
}

/// Receives the files of a build as they are rendered and writes each at once, so a large
/// site is never held in memory whole. With the previous build's manifest, a file that
/// matches its entry (and is still on disk as it was left) is not written again.
pub struct Sink {
    dir: PathBuf,
    output: PathBuf,
    made: Mutex<std::collections::HashSet<PathBuf>>,
    previous: Option<Manifest>,
    /// Every file of this build, as the next build's manifest records it.
    entries: Mutex<crate::text::FastMap<String, Entry>>,
    changed: Mutex<Vec<String>>,
    /// Files kept without being made again (see `keep`).
    reused: std::sync::atomic::AtomicUsize,
}

/// A build renders into its output folder.
impl crate::render::drive::Sink for Sink {
    fn sees_every_file(&self) -> bool {
        true
    }

    fn keep(&self, path: &str) -> bool {
        Sink::keep(self, path)
    }

    fn put(&self, file: OutFile, _print: Option<u64>) -> Result<(), Diagnostic> {
        Sink::put(self, &file)
    }
}

impl Sink {
    fn new(dir: PathBuf, output: &Path, previous: Option<Manifest>) -> Sink {
        Sink {
            dir,
            output: output.to_path_buf(),
            made: Default::default(),
            previous,
            entries: Default::default(),
            changed: Default::default(),
            reused: Default::default(),
        }
    }

    pub fn put(&self, f: &OutFile) -> Result<(), Diagnostic> {
        let refused = || {
            Diagnostic::new(
                &self.output,
                format!("refusing to write outside the output folder: {}", f.path),
            )
        };
        let print = manifest::fingerprint(f);
        if let Some(entry) = self.unchanged(f, print) {
            safe_join(&self.output, &f.path).ok_or_else(refused)?;
            lock(&self.entries).insert(f.path.clone(), entry);
            return Ok(());
        }
        let path = safe_join(&self.dir, &f.path).ok_or_else(refused)?;
        self.write(&path, f)?;
        let (size, mtime) = manifest::stat(&path).unwrap_or((0, 0));
        lock(&self.entries).insert(f.path.clone(), Entry { print, size, mtime });
        lock(&self.changed).push(f.path.clone());
        Ok(())
    }

    /// Leaves the previous build's file at `path` as it is, for a file the build knows
    /// did not change. False when the previous build did not make it or it was changed
    /// since: then it must be made.
    pub fn keep(&self, path: &str) -> bool {
        match self.intact(path) {
            Some(entry) => {
                lock(&self.entries).insert(path.to_string(), entry);
                self.reused
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// The previous build's entry for `path`, if the file is still as it left it.
    fn intact(&self, path: &str) -> Option<Entry> {
        let entry = *self.previous.as_ref()?.0.get(path)?;
        let on_disk = manifest::stat(&safe_join(&self.output, path)?)?;
        (on_disk == (entry.size, entry.mtime)).then_some(entry)
    }

    /// The previous build's files under the folder `prefix` (`pagefind/`), if every one
    /// of them is still as it left it.
    pub fn intact_under(&self, prefix: &str) -> Option<Vec<String>> {
        let previous = self.previous.as_ref()?;
        let paths: Vec<String> = (previous.0.keys())
            .filter(|p| p.starts_with(prefix))
            .cloned()
            .collect();
        paths
            .iter()
            .all(|p| self.intact(p).is_some())
            .then_some(paths)
    }

    /// The previous build's entry for `f`, if it made the same file and the file is still
    /// as it left it.
    fn unchanged(&self, f: &OutFile, print: u64) -> Option<Entry> {
        self.intact(&f.path).filter(|entry| entry.print == print)
    }

    fn write(&self, path: &Path, f: &OutFile) -> Result<(), Diagnostic> {
        let err = |path: &Path, e: std::io::Error| {
            Diagnostic::new(
                &self.output,
                format!("cannot write {}: {e}", path.display()),
            )
            .help("check that the output folder's parent is writable and the disk is not full")
        };
        if let Some(parent) = path.parent() {
            let known = lock(&self.made).contains(parent);
            if !known {
                fs::create_dir_all(parent).map_err(|e| err(parent, e))?;
                lock(&self.made).insert(parent.to_path_buf());
            }
        }
        let result = match &f.body {
            Body::Text(text) => write_file(path, text.as_bytes()),
            Body::Bytes(bytes) => write_file(path, bytes),
            Body::Static(Origin::Embedded(bytes)) => write_file(path, bytes),
            Body::Static(Origin::File { path: src, .. }) => fs::copy(src, path).map(|_| ()),
        };
        result.map_err(|e| err(path, e))
    }

    /// What the build did: its manifest, the paths it wrote, how many files it kept
    /// without making them, and the previous build's manifest.
    fn finish(self) -> Finished {
        let reused = self.reused.load(std::sync::atomic::Ordering::Relaxed);
        let entries = self
            .entries
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let changed = self
            .changed
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Finished {
            manifest: Manifest(entries),
            changed,
            reused,
            previous: self.previous.unwrap_or_default(),
        }
    }
}

/// What a `Sink` was given, once the build is done.
struct Finished {
    manifest: Manifest,
    changed: Vec<String>,
    reused: usize,
    previous: Manifest,
}

/// Builds the new content of `output` through `fill`: only what changed over a folder
/// brief made (unless `clean`), else a whole new folder swapped in. On any error the
/// previous output is left as it was. `locks` is the folder of the lock that keeps two
/// builds from writing one output at once (the site's `.brief-cache/`, so that nothing
/// else appears beside site.yaml).
pub fn write_with(
    output: &Path,
    clean: bool,
    locks: &Path,
    fill: impl FnOnce(&Sink) -> Result<usize, Diagnostics>,
) -> Result<Written, Diagnostics> {
    check_replaceable(output)?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| io_err(output, "create", &parent, e))?;
    // One build at a time per output folder; the system releases the lock if a build dies.
    let _lock = lock_output(output, locks)?;
    recover_leftovers(output, &parent, &name);
    let previous = if clean {
        None
    } else {
        Manifest::read(&output.join(MARKER))
    };
    match previous {
        Some(previous) => incremental::write(output, &parent, &name, previous, fill),
        None => write_whole(output, &parent, &name, fill),
    }
}

fn io_err(output: &Path, what: &str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::new(output, format!("cannot {what} {}: {e}", path.display()))
        .help("check that the output folder's parent is writable and the disk is not full")
}

/// Takes the output folder's lock, or says another build holds it. The lock is named for
/// the folder's absolute path.
fn lock_output(output: &Path, locks: &Path) -> Result<fs::File, Diagnostics> {
    fs::create_dir_all(locks).map_err(|e| io_err(output, "create", locks, e))?;
    let absolute = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
    let lock_path = locks.join(format!(
        "output-{:016x}.lock",
        crate::text::hash_of(&absolute)
    ));
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| io_err(output, "create", &lock_path, e))?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        Err(fs::TryLockError::WouldBlock) => Err(Diagnostic::new(
            output,
            format!(
                "another brief build is writing {} right now",
                output.display()
            ),
        )
        .help("wait for it to finish, then build again; nothing was changed")
        .into()),
        Err(fs::TryLockError::Error(e)) => Err(io_err(output, "lock", &lock_path, e).into()),
    }
}

/// Writes the whole site into a temporary sibling folder, then swaps it in.
fn write_whole(
    output: &Path,
    parent: &Path,
    name: &str,
    fill: impl FnOnce(&Sink) -> Result<usize, Diagnostics>,
) -> Result<Written, Diagnostics> {
    let tmp = parent.join(format!(".{name}.brief-tmp-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir_all(&tmp).map_err(|e| io_err(output, "create", &tmp, e))?;
    let sink = Sink::new(tmp.clone(), output, None);
    let files = match fill(&sink) {
        Ok(n) => n,
        Err(d) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(d);
        }
    };
    let Finished {
        manifest, changed, ..
    } = sink.finish();
    let text = manifest.text();
    if let Err(e) = fs::write(tmp.join(MARKER), &text) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(io_err(output, "write", &tmp, e).into());
    }
    let old = parent.join(format!(".{name}.brief-old-{}", std::process::id()));
    let had_old = output.exists();
    if had_old && let Err(e) = fs::rename(output, &old) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(io_err(output, "move aside", output, e).into());
    }
    if let Err(e) = fs::rename(&tmp, output) {
        if had_old {
            let _ = fs::rename(&old, output);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(io_err(output, "move into place", output, e).into());
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(Written {
        files,
        changed,
        unchanged: 0,
        reused: 0,
        removed: Vec::new(),
        incremental: false,
        marker: crate::text::hash_of(text.as_bytes()),
    })
}

/// Cleans up after a build that was killed: its half-written folder goes; a previous
/// output it had moved aside but not yet replaced is put back first.
fn recover_leftovers(output: &Path, parent: &Path, name: &str) {
    let prefixes = [
        format!(".{name}.brief-tmp-"),
        format!(".{name}.brief-old-"),
        format!(".{name}.brief-stage-"),
    ];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    // `.public.brief-tmp-1234`: the name alone is ours (a killed build may have removed the
    // marker already while deleting it).
    let ours: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| {
            prefixes.iter().any(|x| {
                n.strip_prefix(x.as_str())
                    .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
            })
        })
        .collect();
    if !output.exists()
        && let Some((_, old)) = ours
            .iter()
            .find(|(n, p)| n.starts_with(prefixes[1].as_str()) && p.join(MARKER).is_file())
    {
        let _ = fs::rename(old, output);
    }
    for (n, path) in ours {
        // A build killed while moving its changed files in: finish the move.
        if n.starts_with(prefixes[2].as_str()) {
            incremental::finish_killed(output, &path);
        }
        if path.exists() {
            let _ = fs::remove_dir_all(path);
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(fs::File::create(path)?);
    f.write_all(bytes)?;
    f.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_join_refuses_escapes() {
        let base = Path::new("/out");
        assert!(safe_join(base, "a/b/index.html").is_some());
        for bad in ["../x", "/etc/passwd", "a/../../x", "a\\..\\x", "", "./a"] {
            assert!(safe_join(base, bad).is_none(), "{bad}");
        }
    }

    /// A build killed between moving the old output aside and moving the new one in: the
    /// next build puts the old one back before anything else, even if it then fails.
    #[test]
    fn a_moved_aside_output_is_put_back() {
        let dir = tempfile::TempDir::new().expect("temp");
        let old = dir.path().join(".public.brief-old-42");
        fs::create_dir_all(&old).expect("mkdir");
        fs::write(old.join(MARKER), "x").expect("marker");
        fs::write(old.join("index.html"), "previous").expect("page");
        let half = dir.path().join(".public.brief-tmp-43");
        fs::create_dir_all(&half).expect("mkdir");
        let output = dir.path().join("public");
        let locks = dir.path().join(".brief-cache");
        let result = write_with(&output, false, &locks, |_| {
            Err(Diagnostic::new("x", "failed").into())
        });
        assert!(result.is_err());
        assert_eq!(
            fs::read_to_string(output.join("index.html")).expect("restored"),
            "previous"
        );
        assert!(!old.exists() && !half.exists(), "leftovers removed");
    }
}
