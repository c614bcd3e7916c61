//! Writing only what changed. The files that differ from the previous build are written
//! into a sibling stage folder while the build runs; a failed build deletes it and the
//! output is untouched. Once the build succeeded, the stage is marked ready and its files
//! are moved into the output one by one (a rename each, so no file is ever half-written),
//! files no longer made are removed, and the new manifest replaces the old. A build killed
//! during that move leaves a ready stage, which the next build finishes first.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::manifest::Manifest;
use super::{Finished, MARKER, Sink, Written, io_err};
use crate::diag::Diagnostics;

/// In a stage folder: the paths to remove from the output, one per line.
const REMOVALS: &str = ".brief-removals";
/// In a stage folder: the manifest that goes into the output once its files are moved.
const NEXT_MANIFEST: &str = ".brief-manifest-next";
/// In a stage folder: present once the build succeeded and the move may start.
const READY: &str = ".brief-ready";

pub(super) fn write(
    output: &Path,
    parent: &Path,
    name: &str,
    previous: Manifest,
    fill: impl FnOnce(&Sink) -> Result<usize, Diagnostics>,
) -> Result<Written, Diagnostics> {
    let stage = parent.join(format!(".{name}.brief-stage-{}", std::process::id()));
    let _ = fs::remove_dir_all(&stage);
    fs::create_dir_all(&stage).map_err(|e| io_err(output, "create", &stage, e))?;
    let sink = Sink::new(stage.clone(), output, Some(previous));
    let files = match fill(&sink) {
        Ok(n) => n,
        Err(d) => {
            let _ = fs::remove_dir_all(&stage);
            return Err(d);
        }
    };
    let Finished {
        manifest,
        changed,
        reused,
        previous,
    } = sink.finish();
    let removed = gone(&previous, &manifest);
    let text = manifest.text();
    let ready = fs::write(stage.join(REMOVALS), removed.join("\n"))
        .and_then(|()| fs::write(stage.join(NEXT_MANIFEST), &text))
        .and_then(|()| fs::write(stage.join(READY), b""));
    if let Err(e) = ready {
        let _ = fs::remove_dir_all(&stage);
        return Err(io_err(output, "write", &stage, e).into());
    }
    move_in(output, &stage).map_err(|e| io_err(output, "move into", output, e))?;
    let _ = fs::remove_dir_all(&stage);
    Ok(Written {
        files,
        unchanged: manifest.0.len().saturating_sub(changed.len()),
        changed,
        reused,
        removed,
        incremental: true,
        marker: crate::text::hash_of(text.as_bytes()),
    })
}

/// Finishes the move of a stage a killed build left ready; a stage that is not ready is
/// a build that never succeeded, and is only deleted (by the caller).
pub(super) fn finish_killed(output: &Path, stage: &Path) {
    if stage.join(READY).is_file() && output.join(MARKER).is_file() {
        let _ = move_in(output, stage);
    }
}

/// Moves a ready stage's files into `output`, removes the files listed for removal, and
/// puts the new manifest in place last.
fn move_in(output: &Path, stage: &Path) -> std::io::Result<()> {
    for (from, rel) in staged_files(stage) {
        let to = output.join(&rel);
        if let Some(dir) = to.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::rename(&from, &to)?;
    }
    let removals = fs::read_to_string(stage.join(REMOVALS)).unwrap_or_default();
    for rel in removals.lines().filter(|l| !l.is_empty()) {
        if let Some(path) = super::safe_join(output, rel) {
            let _ = fs::remove_file(&path);
            prune_empty_folders(output, &path);
        }
    }
    fs::rename(stage.join(NEXT_MANIFEST), output.join(MARKER))
}

/// The files staged for the output, with their paths inside it.
fn staged_files(stage: &Path) -> Vec<(PathBuf, PathBuf)> {
    let control = [REMOVALS, NEXT_MANIFEST, READY];
    walkdir::WalkDir::new(stage)
        .min_depth(1)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(stage).ok()?.to_path_buf();
            let control = rel.to_str().is_some_and(|r| control.contains(&r));
            (!control).then(|| (e.path().to_path_buf(), rel))
        })
        .collect()
}

/// The files the previous build made and this one does not. They are known from the two
/// manifests, without walking a folder of a large site's files; a file put in the output
/// folder by hand is left alone (`--clean` writes the folder anew without it).
fn gone(previous: &Manifest, made: &Manifest) -> Vec<String> {
    let mut gone: Vec<String> = (previous.0.keys())
        .filter(|p| !made.0.contains_key(*p))
        .cloned()
        .collect();
    gone.sort();
    gone
}

/// Removes the folders above `removed` that it left empty, up to the output folder.
fn prune_empty_folders(output: &Path, removed: &Path) {
    let mut dir = removed.parent();
    while let Some(d) = dir {
        if d == output || !d.starts_with(output) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Paths written or removed, for `--changes`: `+ path` and `- path`, one per line.
pub fn changes_text(written: &Written) -> String {
    let mut lines: Vec<String> = written.changed.iter().map(|p| format!("+ {p}")).collect();
    lines.sort();
    let removed: HashSet<&String> = written.removed.iter().collect();
    let mut removed: Vec<&&String> = removed.iter().collect();
    removed.sort();
    lines.extend(removed.into_iter().map(|p| format!("- {p}")));
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}
