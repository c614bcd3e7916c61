//! What a site reads, declared once: its folders under the root and `site.yaml`. The
//! loader, the theme, the watcher and the preview's classifier all take their folders and
//! their rule for editor leftovers from here, so an input one of them knows is an input all
//! of them know.

use std::path::Path;

use super::CONFIG_FILE;

/// Briefings, intros, profiles, pages, and pictures beside them.
pub const CONTENT: &str = "content";
/// Files copied to the output as they are; pictures named from the site's root.
pub const STATIC: &str = "static";
/// Themes, each a folder of templates, static files and labels.
pub const THEMES: &str = "themes";
/// The site's own templates, over its theme's.
pub const TEMPLATES: &str = "templates";
/// The site's own labels and date formats per language, over its theme's.
pub const I18N: &str = "i18n";

/// Every input folder, under the site's root.
pub const FOLDERS: [&str; 5] = [CONTENT, STATIC, THEMES, TEMPLATES, I18N];

/// What a changed path is to the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A content file (Markdown).
    Content,
    /// A picture under `content/`, which pages beside it show.
    Picture,
    /// A file of `static/`, `themes/`, `templates/` or `i18n/`, or `site.yaml`: every page
    /// may read it.
    Site,
}

/// Files editors and tools leave behind, never read: hidden and `_` files, backups, swap
/// and temporary files (vim's `4913` probe too).
pub fn is_leftover(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('_')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// What `path` (under `root`) is to the site; `None` for paths it does not read: the
/// output folder, the cache, version control, editor leftovers.
pub fn classify(root: &Path, path: &Path) -> Option<Input> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.iter().any(|p| is_leftover(p)) {
        return None;
    }
    match parts.first()?.as_str() {
        CONTENT if is_picture(path) => Some(Input::Picture),
        CONTENT => Some(Input::Content),
        STATIC | THEMES | TEMPLATES | I18N => Some(Input::Site),
        f if f == CONFIG_FILE && parts.len() == 1 => Some(Input::Site),
        _ => None,
    }
}

/// A picture file, by its extension.
pub fn is_picture(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("jpg" | "jpeg" | "png" | "webp" | "gif" | "svg" | "avif")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_never_inputs() {
        for name in [
            ".x.md.swp",
            "_draft.md",
            "a.md~",
            "a.md.tmp",
            ".#a.md",
            "x.swp",
            "4913",
        ] {
            assert!(is_leftover(name), "{name}");
        }
        assert!(!is_leftover("a.md"));
    }

    #[test]
    fn every_input_is_classified_and_nothing_else() {
        let root = Path::new("/site");
        let at = |p: &str| classify(root, &root.join(p));
        assert_eq!(at("content/a.md"), Some(Input::Content));
        assert_eq!(at("content/map.PNG"), Some(Input::Picture));
        for p in [
            "static/x.css",
            "themes/t/templates/base.html",
            "templates/a.html",
            "i18n/uk.yaml",
            "site.yaml",
        ] {
            assert_eq!(at(p), Some(Input::Site), "{p}");
        }
        for p in [
            "public/index.html",
            ".brief-cache/x",
            ".git/HEAD",
            "content/.a.md.swp",
            "content/4913",
            "notes.txt",
            "sub/site.yaml",
        ] {
            assert_eq!(at(p), None, "{p}");
        }
    }
}
