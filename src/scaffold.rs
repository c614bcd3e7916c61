//! `brief init` and `brief new`: the files a writer starts from.

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::diag::Diagnostic;
use crate::text::slugify;

const SITE_YAML: &str = r#"# Site configuration. Every key is described in docs/content.md ("site.yaml").
title: "My briefings"
base_url: "https://example.org/"
description: "Short, sourced briefings."
language: en
paginate: 20
permalinks:
  briefing: /:year/:month/:slug/
# People, places and organisations are entity kinds already, labelled in each language.
# To publish in more languages, list them; title and description may then be given per
# language, e.g. `title: {en: "My briefings", uk: "Мої брифінги"}`.
# languages: [en, uk]
"#;

/// Creates a new site in `dir`, which must be missing or empty. Returns the files written.
pub fn init(dir: &Path, today: &str) -> Result<Vec<PathBuf>, Diagnostic> {
    if let Ok(mut entries) = fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(Diagnostic::new(
                dir,
                format!(
                    "refusing to create a site in {}: the folder is not empty",
                    dir.display()
                ),
            )
            .help("choose a new or empty folder, e.g. `brief init my-site`"));
        }
    } else if dir.exists() {
        return Err(Diagnostic::new(dir, "this path exists and is not a folder")
            .help("choose a new or empty folder"));
    }
    let sample = format!(
        r#"---
title: "Welcome to brief"
date: {today}
summary: "What a briefing looks like: front matter on top, Markdown below."
dateline: NEWSROOM
authors: [Desk Editor]
topics: [Getting started]
sources:
  - id: readme
    name: The brief README
    url: https://example.org/
facts:
  - label: Files
    value: one Markdown file per briefing
    source: readme
---

Write the briefing here in Markdown. Headings, lists, tables, footnotes[^1] and
callouts all work.

> [!NOTE]
> Run `brief new "Your headline"` to start the next one.

[^1]: Footnotes are listed at the end of the body.
"#
    );
    let files = [
        (PathBuf::from(CONFIG_FILE), SITE_YAML.to_string()),
        (PathBuf::from("content/briefings/welcome.md"), sample),
        // The output and the cache are made by every build: not worth keeping in git.
        (
            PathBuf::from(".gitignore"),
            format!("/public/\n/{}/\n", crate::config::CACHE_DIR),
        ),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        let result = path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&path, text));
        result.map_err(|e| {
            Diagnostic::new(&path, format!("cannot write this file: {e}"))
                .help("check that the folder is writable")
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `content/briefings/<slug>.md` for a new briefing; never overwrites.
pub fn new_briefing(
    root: &Path,
    title: &str,
    topics: &[String],
    now: &str,
) -> Result<PathBuf, Diagnostic> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Diagnostic::new(
            root.join(CONFIG_FILE),
            "this folder is not a brief site: it has no site.yaml",
        )
        .help("run the command in your site's folder, pass --root, or create a site with `brief init`"));
    }
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::new(
            "content/briefings",
            format!("the title {title:?} has no letters or digits to name a file after"),
        )
        .help("give the briefing a title with words in it"));
    }
    let path = root.join("content/briefings").join(format!("{slug}.md"));
    if path.exists() {
        return Err(
            Diagnostic::new(&path, "a briefing with this file name already exists")
                .help("choose a different title, or edit the existing file"),
        );
    }
    let topics = topics
        .iter()
        .map(|t| quote(t.trim()))
        .filter(|t| t != "\"\"")
        .collect::<Vec<_>>()
        .join(", ");
    let text = format!(
        "---\ntitle: {}\ndate: {now}\nsummary: \"\"\ntopics: [{topics}]\ndraft: true\n---\n\nWrite the briefing here.\n",
        quote(title)
    );
    let written = path
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| {
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        });
    written.map_err(|e| {
        Diagnostic::new(&path, format!("cannot write this file: {e}"))
            .help("check that content/briefings is writable")
    })?;
    Ok(path)
}

/// A YAML double-quoted string.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_yaml_strings() {
        assert_eq!(
            quote(r#"Talks: "day two" \ more"#),
            r#""Talks: \"day two\" \\ more""#
        );
    }
}
