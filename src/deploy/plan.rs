//! What a deploy does, worked out before anything is sent: the built files whose bytes the
//! store does not have (assets, then pages, so a page never links to what is not there
//! yet), and the objects under the prefix the site no longer has. What the store has is
//! known from the manifest the last deploy left beside the site (`.brief-deploy.json`:
//! each file's MD5), else from the object's ETag, which S3 makes the MD5 of an upload.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    /// `/`-separated, from the output folder: `2025/03/talks/index.html`.
    pub path: String,
    pub file: PathBuf,
    /// The MD5 of its bytes, in hex: what S3 gives as a single upload's ETag.
    pub md5: String,
}

/// What a deploy will do.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Files that are not pages, to upload first.
    pub assets: Vec<Local>,
    /// HTML pages, uploaded once every asset is there.
    pub pages: Vec<Local>,
    /// Paths (from the prefix) of objects the site no longer has, removed last.
    pub deletions: Vec<String>,
    pub unchanged: usize,
}

/// Every file under `dir`, with its MD5; files and folders whose names start with `.` are
/// brief's own (`.brief-output`) and stay home.
pub fn local_files(dir: &Path) -> Result<Vec<Local>, String> {
    let mut files = Vec::new();
    let walk = walkdir::WalkDir::new(dir).sort_by_file_name().into_iter();
    let hidden =
        |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
    for entry in walk.filter_entry(|e| !hidden(e)) {
        let entry = entry.map_err(|e| e.to_string())?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).map_err(|e| e.to_string())?;
        let path: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let bytes =
            std::fs::read(entry.path()).map_err(|e| format!("{}: {e}", entry.path().display()))?;
        files.push(Local {
            path: path.join("/"),
            file: entry.path().to_path_buf(),
            md5: md5_hex(&bytes),
        });
    }
    Ok(files)
}

pub fn md5_hex(bytes: &[u8]) -> String {
    use md5::Digest as _;
    let digest = md5::Md5::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The manifest a deploy leaves under the prefix: each file's MD5 by path.
pub const MANIFEST: &str = ".brief-deploy.json";

/// The plan from the built files, the store's objects under the prefix (path from the
/// prefix -> ETag) and the last deploy's manifest (path -> MD5).
pub fn plan(
    local: Vec<Local>,
    remote: &HashMap<String, Option<String>>,
    manifest: &HashMap<String, String>,
) -> Plan {
    let mut plan = Plan::default();
    let mut kept = std::collections::HashSet::from([MANIFEST.to_string()]);
    for file in local {
        kept.insert(file.path.clone());
        let there = remote.get(&file.path);
        // ETags are quoted; one that is not an MD5 (a multipart upload) never matches.
        let tag = there
            .and_then(|tag| tag.as_deref())
            .map(|t| t.trim_matches('"'));
        let known = there.is_some() && manifest.get(&file.path) == Some(&file.md5);
        if known || tag == Some(file.md5.as_str()) {
            plan.unchanged += 1;
        } else if file.path.ends_with(".html") {
            plan.pages.push(file);
        } else {
            plan.assets.push(file);
        }
    }
    plan.deletions = remote
        .keys()
        .filter(|p| !kept.contains(*p))
        .cloned()
        .collect();
    plan.deletions.sort();
    plan
}

/// The `Cache-Control` a file is served with: pages, feeds and the search index change
/// with every edit, so a CDN keeps them minutes; pictures and the theme's files a day.
pub fn cache_control(path: &str) -> &'static str {
    let changes_often = [".html", ".xml", ".txt", ".json", ".bin"]
        .iter()
        .any(|e| path.ends_with(e))
        || path.starts_with("search/")
        || path.contains("/search/");
    match changes_often {
        true => "public, max-age=300",
        false => "public, max-age=86400",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(path: &str, md5: &str) -> Local {
        Local {
            path: path.into(),
            file: PathBuf::from(path),
            md5: md5.into(),
        }
    }

    #[test]
    fn only_what_differs_is_sent_assets_first_and_what_is_gone_is_removed() {
        let remote: HashMap<String, Option<String>> = [
            ("index.html", Some("\"aa\"")),
            ("style.css", Some("\"old\"")),
            ("gone/index.html", Some("\"cc\"")),
            ("big.png", Some("\"dd-2\"")),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_string(), t.map(String::from)))
        .collect();
        let files = vec![
            local("index.html", "aa"),
            local("style.css", "new"),
            local("big.png", "dd"),
            local("a/index.html", "ee"),
        ];
        let manifest = HashMap::from([("a/index.html".to_string(), "ee".to_string())]);
        let plan = plan(files, &remote, &manifest);
        assert_eq!(plan.unchanged, 1);
        assert_eq!(
            plan.assets
                .iter()
                .map(|l| l.path.as_str())
                .collect::<Vec<_>>(),
            ["style.css", "big.png"]
        );
        // The manifest knows it, but the store lost it: it goes up again.
        assert_eq!(
            plan.pages
                .iter()
                .map(|l| l.path.as_str())
                .collect::<Vec<_>>(),
            ["a/index.html"]
        );
        assert_eq!(plan.deletions, ["gone/index.html"]);
    }

    #[test]
    fn the_manifest_knows_what_a_listing_without_etags_cannot_say() {
        let remote = HashMap::from([
            ("index.html".to_string(), None),
            (MANIFEST.to_string(), None),
        ]);
        let manifest = HashMap::from([("index.html".to_string(), "aa".to_string())]);
        let plan = plan(
            vec![local("index.html", "aa"), local("new.css", "bb")],
            &remote,
            &manifest,
        );
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.assets.len(), 1);
        assert!(plan.deletions.is_empty(), "the manifest itself stays");
    }

    #[test]
    fn pages_change_often_and_pictures_seldom() {
        assert_eq!(cache_control("index.html"), "public, max-age=300");
        assert_eq!(cache_control("search/index/d/0.bin"), "public, max-age=300");
        assert_eq!(cache_control("img/a.960w.png"), "public, max-age=86400");
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
    }
}
