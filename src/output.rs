//! Write stage: the new site goes into a temporary sibling folder and replaces the output
//! folder only once complete, so a failed or interrupted build leaves the previous site as it
//! was. An existing folder is only replaced if brief made it (a marker file) or it is empty.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::render::theme::Origin;
use crate::render::{Body, OutFile};

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

/// Receives the files of a build as they are rendered and writes each into the temporary
/// folder at once, so a large site is never held in memory whole.
pub struct Sink {
    dir: PathBuf,
    output: PathBuf,
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl Sink {
    pub fn put(&self, f: &OutFile) -> Result<(), Diagnostic> {
        let err = |path: &Path, e: std::io::Error| {
            Diagnostic::new(
                &self.output,
                format!("cannot write {}: {e}", path.display()),
            )
            .help("check that the output folder's parent is writable and the disk is not full")
        };
        let path = safe_join(&self.dir, &f.path).ok_or_else(|| {
            Diagnostic::new(
                &self.output,
                format!("refusing to write outside the output folder: {}", f.path),
            )
        })?;
        if let Some(parent) = path.parent() {
            let known = self
                .made
                .lock()
                .map(|m| m.contains(parent))
                .unwrap_or(false);
            if !known {
                fs::create_dir_all(parent).map_err(|e| err(parent, e))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(parent.to_path_buf());
                }
            }
        }
        let result = match &f.body {
            Body::Text(text) => write_file(&path, text.as_bytes()),
            Body::Static(Origin::Embedded(bytes)) => write_file(&path, bytes),
            Body::Static(Origin::File { path: src, .. }) => fs::copy(src, &path).map(|_| ()),
        };
        result.map_err(|e| err(&path, e))
    }
}

/// Builds the new content of `output` through `fill`, then swaps it in; on any error the
/// previous output is left as it was.
pub fn write_with(
    output: &Path,
    fill: impl FnOnce(&Sink) -> Result<usize, Diagnostics>,
) -> Result<usize, Diagnostics> {
    check_replaceable(output)?;
    let io_err = |what: &str, path: &Path, e: std::io::Error| {
        Diagnostic::new(output, format!("cannot {what} {}: {e}", path.display()))
            .help("check that the output folder's parent is writable and the disk is not full")
    };
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| io_err("create", &parent, e))?;
    remove_leftovers(&parent, &name);

    let tmp = parent.join(format!(".{name}.brief-tmp-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    fs::create_dir_all(&tmp).map_err(|e| io_err("create", &tmp, e))?;
    fs::write(
        tmp.join(MARKER),
        b"This folder is generated by brief and replaced on each build.\n",
    )
    .map_err(|e| io_err("write", &tmp, e))?;
    let sink = Sink {
        dir: tmp.clone(),
        output: output.to_path_buf(),
        made: Default::default(),
    };
    let written = match fill(&sink) {
        Ok(n) => n,
        Err(d) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(d);
        }
    };

    let old = parent.join(format!(".{name}.brief-old-{}", std::process::id()));
    let had_old = output.exists();
    if had_old && let Err(e) = fs::rename(output, &old) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(io_err("move aside", output, e).into());
    }
    if let Err(e) = fs::rename(&tmp, output) {
        if had_old {
            let _ = fs::rename(&old, output);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(io_err("move into place", output, e).into());
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(written)
}

/// Removes temporary folders an interrupted earlier build left beside the output.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.brief-tmp-"), format!(".{name}.brief-old-")];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str()))
            && entry.path().join(MARKER).is_file()
        {
            let _ = fs::remove_dir_all(entry.path());
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
}
