//! Finds the content files under `content/` and says what each one is, from where it lives.
//! Editor leftovers are skipped; symlink loops and unreadable entries are reported.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics, display_path};

pub const CONTENT_DIR: &str = crate::config::inputs::CONTENT;

/// What a content file is, decided by its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Briefing,
    /// `content/topics/<slug>.md`
    TopicIntro,
    /// `content/entities/<kind>/<slug>.md`
    EntityProfile(String),
    /// `content/pages/<slug>.md`
    Page,
    /// `content/authors/<slug>.md`
    AuthorProfile,
}

#[derive(Debug, Clone)]
pub struct Entry {
    /// Absolute (or root-joined) path to read.
    pub path: PathBuf,
    /// Path relative to the site root, for messages.
    pub display: PathBuf,
    pub kind: Kind,
}

/// Everything below `dir` in name order, following symbolic links (walkdir reports loops)
/// and skipping editor leftovers.
pub fn walk(dir: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::config::inputs::is_leftover(&e.file_name().to_string_lossy())
        })
}

/// Walks `<root>/content` (following symlinks, reporting loops) and classifies `.md` files.
pub fn discover(root: &Path) -> (Vec<Entry>, Diagnostics) {
    discover_under(root, &root.join(CONTENT_DIR))
}

/// Like `discover`, for one folder under `content/` (a folder created or renamed).
pub fn discover_under(root: &Path, dir: &Path) -> (Vec<Entry>, Diagnostics) {
    let content = root.join(CONTENT_DIR);
    let mut entries = Vec::new();
    let mut diags = Diagnostics::default();
    if !dir.is_dir() || !dir.starts_with(&content) {
        return (entries, diags);
    }
    // Links may point anywhere inside the site, never out of it.
    let site = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut outside: Vec<PathBuf> = Vec::new();
    for item in walk(dir) {
        let entry = match item {
            Ok(entry) => entry,
            Err(err)
                if err
                    .path()
                    .is_some_and(|p| outside.iter().any(|o| p.starts_with(o))) =>
            {
                continue;
            }
            Err(err) => {
                let at = err
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| PathBuf::from(CONTENT_DIR));
                let dangling = err.path().is_some_and(|p| {
                    p.symlink_metadata().is_ok_and(|m| m.is_symlink()) && !p.exists()
                });
                let (message, help) = if err.loop_ancestor().is_some() {
                    (
                        "this symbolic link points back to a folder that contains it".to_string(),
                        "remove the link or point it elsewhere; it was not followed",
                    )
                } else if dangling {
                    (
                        "this symbolic link points to a file that does not exist".to_string(),
                        "fix the link's target or remove the link",
                    )
                } else {
                    let why = err
                        .io_error()
                        .map_or_else(|| err.to_string(), ToString::to_string);
                    (
                        format!("cannot read this entry: {why}"),
                        "check that it exists and that you have permission to read it; if it vanished during the build, build again",
                    )
                };
                diags.push(Diagnostic::new(at, message).help(help));
                continue;
            }
        };
        if outside.iter().any(|p| entry.path().starts_with(p)) {
            continue;
        }
        // Only what would be read matters: folders and Markdown files.
        let read =
            entry.file_type().is_dir() || entry.path().extension().is_some_and(|x| x == "md");
        if entry.path_is_symlink() && read {
            let target = entry.path().canonicalize();
            if !target.as_ref().is_ok_and(|t| t.starts_with(&site)) {
                let to = target
                    .map(|t| format!(" (to {})", t.display()))
                    .unwrap_or_default();
                diags.push(
                    Diagnostic::new(
                        display_path(root, entry.path()),
                        format!("this symbolic link points outside the site{to}"),
                    )
                    .help("brief reads only files inside the site's folder; copy the file in or remove the link"),
                );
                outside.push(entry.path().to_path_buf());
                continue;
            }
        }
        if !entry.file_type().is_file() {
            if read && !entry.file_type().is_dir() {
                diags.push(
                    Diagnostic::new(
                        display_path(root, entry.path()),
                        "this is not a regular file (a pipe, socket or device)",
                    )
                    .help("content files are plain text files; move this one out of content/"),
                );
            }
            continue;
        }
        match classify_parts(root, &content, entry.path()) {
            Ok(Some(e)) => entries.push(e),
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }
    (entries, diags)
}

/// What the file at `path` is, if it is a content file at all (for single-file reloads).
pub fn classify(root: &Path, path: &Path) -> Option<Entry> {
    let content = root.join(CONTENT_DIR);
    let rel = path.strip_prefix(&content).ok()?;
    if rel
        .components()
        .any(|c| crate::config::inputs::is_leftover(&c.as_os_str().to_string_lossy()))
    {
        return None;
    }
    classify_parts(root, &content, path).ok().flatten()
}

fn classify_parts(root: &Path, content: &Path, path: &Path) -> Result<Option<Entry>, Diagnostic> {
    if path.extension().and_then(|e| e.to_str()) != Some("md") {
        return Ok(None);
    }
    let rel = path.strip_prefix(content).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let display = display_path(root, path);
    let kind = match parts.first().map(String::as_str) {
        Some("topics") if parts.len() == 2 => Kind::TopicIntro,
        Some("pages") if parts.len() == 2 => Kind::Page,
        Some("authors") if parts.len() == 2 => Kind::AuthorProfile,
        Some("entities") if parts.len() == 3 => Kind::EntityProfile(parts[1].clone()),
        Some(reserved @ ("topics" | "pages" | "entities" | "authors")) => {
            let expected = match reserved {
                "entities" => "content/entities/<kind>/<slug>.md",
                "topics" => "content/topics/<slug>.md",
                "authors" => "content/authors/<slug>.md",
                _ => "content/pages/<slug>.md",
            };
            return Err(Diagnostic::new(
                display,
                format!("misplaced file in the `{reserved}` folder"),
            )
            .help(format!(
                "files there must be at {expected}; briefings go elsewhere under content/"
            )));
        }
        _ => Kind::Briefing,
    };
    Ok(Some(Entry {
        path: path.to_path_buf(),
        display,
        kind,
    }))
}
