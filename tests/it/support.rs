//! Helpers: copy a fixture, write an ad-hoc site, run the binary.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("fixture readable");
        let rel = entry.path().strip_prefix(from).expect("under fixture");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create dir");
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A temporary copy of `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    copy_dir(&fixtures().join(name), dir.path());
    dir
}

/// A site with a minimal site.yaml plus the given files (path, contents).
pub fn site(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    write(
        dir.path(),
        "site.yaml",
        "title: Test\nbase_url: https://example.org/\n",
    );
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

/// `site` over files whose paths and texts were made at run time.
pub fn site_of(files: &[(String, String)]) -> TempDir {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    site(&refs)
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("has parent")).expect("create parent");
    fs::write(path, text).expect("write file");
}

pub fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
}

/// `brief` with NO_COLOR, run in `dir`.
pub fn brief(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("brief").expect("binary built");
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(dir: &Path, args: &[&str]) -> Run {
    let out = brief(dir).args(args).output().expect("run brief");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Builds the site in `dir`; panics with the diagnostics if it fails.
pub fn build_ok(dir: &Path) -> Run {
    let r = run(dir, &["build"]);
    assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
    r
}

/// Checks that `text` (a page, a feed...) contains each of `expected`.
pub fn assert_has_all(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "{e}\n--- in:\n{text}");
    }
}

/// Builds the site in `dir`, which must fail, reporting each of `expected` (a message with
/// its place, a help line...). Returns the run.
pub fn build_fails_with(dir: &Path, expected: &[&str]) -> Run {
    let r = run(dir, &["build"]);
    assert_eq!(
        r.code, 1,
        "the build should fail:\n{}{}",
        r.stdout, r.stderr
    );
    for e in expected {
        assert!(r.stderr.contains(e), "{e}\n--- in:\n{}", r.stderr);
    }
    r
}

/// Every file below `root`, as sorted `/`-separated relative paths.
pub fn tree(root: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}
