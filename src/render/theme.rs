//! The theme: the default templates and static files embedded in the binary, overridden file
//! by file by the site's `themes/<name>/` and then by its `templates/` and `static/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{Config, inputs};
use crate::content::discover::walk;
use crate::diag::{Diagnostic, Diagnostics, display_path};

macro_rules! embedded {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../themes/default/", $dir, "/", $name)) as &[u8])),*]
    };
}

/// The default theme, compiled in so `brief` works on a site with no `themes/` folder.
const DEFAULT_TEMPLATES: &[(&str, &[u8])] = embedded!("templates":
    "base.html",
    "index.html",
    "briefing.html",
    "taxonomy.html",
    "taxon.html",
    "page.html",
    "corrections.html",
    "redirect.html",
    "archive.html",
    "claims.html",
    "404.html",
    "robots.txt",
    "atom.xml",
    "search.html",
    "email.html",
    "email.txt",
    "editions.xml",
    "partials/card.html",
    "partials/edition.html",
    "partials/feed_entry.html",
    "partials/pagination.html",
    "partials/factbox.html",
    "partials/picture.html",
    "partials/claim.html",
    "partials/citation.html",
    "partials/callout.html",
);
const DEFAULT_STATIC: &[(&str, &[u8])] =
    embedded!("static": "style.css", "search.js", "favicon.svg");

/// The prefix under which every built-in template can be extended:
/// `{% extends "builtin/briefing.html" %}`.
pub const BUILTIN: &str = "builtin";

/// Where a template or static file came from, for messages and for reading it.
#[derive(Debug, Clone)]
pub enum Origin {
    Embedded(&'static [u8]),
    File { path: PathBuf, display: PathBuf },
}

/// A template's source text and where it came from.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub text: String,
    /// The file a writer would edit, e.g. `themes/default/templates/base.html`.
    pub display: PathBuf,
}

#[derive(Debug, Default)]
pub struct Theme {
    /// Template name (`partials/card.html`) -> source.
    pub templates: BTreeMap<String, TemplateSource>,
    /// Output path (`style.css`) -> origin.
    pub statics: BTreeMap<String, Origin>,
}

impl Theme {
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Diagnostics> {
        let mut theme = Theme::default();
        let mut diags = Diagnostics::default();
        for (name, bytes) in DEFAULT_TEMPLATES {
            let source = TemplateSource {
                text: String::from_utf8_lossy(bytes).into_owned(),
                display: PathBuf::from(format!("(built-in theme) templates/{name}")),
            };
            // Under its own name, which a theme or site may replace, and as
            // `builtin/<name>`, which they may extend.
            theme
                .templates
                .insert(format!("{BUILTIN}/{name}"), source.clone());
            theme.templates.insert(name.to_string(), source);
        }
        for (name, bytes) in DEFAULT_STATIC {
            theme
                .statics
                .insert(name.to_string(), Origin::Embedded(bytes));
        }
        if let Some(name) = &config.theme {
            let dir = root.join(inputs::THEMES).join(name);
            if dir.is_dir() {
                // The site's own templates may extend the theme's as `<theme>/<file>`.
                theme.overlay_templates(root, &dir.join(inputs::TEMPLATES), Some(name), &mut diags);
                theme.overlay_static(root, &dir.join(inputs::STATIC), &mut diags);
            } else if name != "default" {
                diags.push(
                    Diagnostic::new(crate::config::CONFIG_FILE, format!("the theme `{name}` was not found: there is no folder themes/{name}/"))
                        .help("create the folder, fix the name, or remove `theme:` to use the built-in theme"),
                );
            }
        }
        theme.overlay_templates(root, &root.join(inputs::TEMPLATES), None, &mut diags);
        theme.overlay_static(root, &root.join(inputs::STATIC), &mut diags);
        diags.into_result(theme)
    }

    /// Puts the templates under `dir` over those loaded so far; a theme's are also kept as
    /// `<prefix>/<file>`.
    fn overlay_templates(
        &mut self,
        root: &Path,
        dir: &Path,
        prefix: Option<&str>,
        diags: &mut Diagnostics,
    ) {
        for (rel, path) in files_under(root, dir, diags) {
            let display = display_path(root, &path);
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let source = TemplateSource { text, display };
                    if let Some(prefix) = prefix {
                        self.templates
                            .insert(format!("{prefix}/{rel}"), source.clone());
                    }
                    self.templates.insert(rel, source);
                }
                Err(e) => diags.push(
                    Diagnostic::new(display, format!("cannot read this template: {e}"))
                        .help("templates must be readable UTF-8 text files"),
                ),
            }
        }
    }

    fn overlay_static(&mut self, root: &Path, dir: &Path, diags: &mut Diagnostics) {
        for (rel, path) in files_under(root, dir, diags) {
            let display = display_path(root, &path);
            self.statics.insert(rel, Origin::File { path, display });
        }
    }
}

/// Files below `dir` as (`/`-separated relative path, full path), editor leftovers skipped.
fn files_under(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    for item in walk(dir) {
        match item {
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push((rel.join("/"), e.path().to_path_buf()));
            }
            Ok(_) => {}
            Err(err) => {
                let at = err
                    .path()
                    .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                diags.push(
                    Diagnostic::new(
                        display_path(root, &at),
                        format!("cannot read this entry: {err}"),
                    )
                    .help("remove broken or looping symbolic links and check permissions"),
                );
            }
        }
    }
    out
}
