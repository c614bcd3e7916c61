//! Helpers: copy a fixture, write an ad-hoc site, run the binary.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
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
    run_command(brief(dir).args(args))
}

/// Runs a prepared `brief` command (with its own environment, say) to the end.
pub fn run_command(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("run brief");
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

/// Every file of an output folder with its bytes, the manifest aside (it records times).
pub fn contents(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    tree(dir)
        .into_iter()
        .filter(|f| f != ".brief-output")
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).expect("read");
            (f, bytes)
        })
        .collect()
}

/// Fails, naming the files that differ, unless two output folders hold the same files
/// with the same bytes.
pub fn assert_same_output(built: &std::path::Path, clean: &std::path::Path, what: &str) {
    let (a, b) = (contents(built), contents(clean));
    if a == b {
        return;
    }
    let names = |c: &[(String, Vec<u8>)]| {
        c.iter()
            .map(|(n, _)| n.clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (na, nb) = (names(&a), names(&b));
    let only_built: Vec<&String> = na.difference(&nb).collect();
    let only_clean: Vec<&String> = nb.difference(&na).collect();
    assert!(
        only_built.is_empty() && only_clean.is_empty(),
        "{what}: only in the build {only_built:?}, only in a clean build {only_clean:?}"
    );
    let differ: Vec<&String> = (a.iter().zip(&b))
        .filter(|(x, y)| x.1 != y.1)
        .map(|(x, _)| &x.0)
        .collect();
    let first = differ[0];
    panic!(
        "{what}: {differ:?} differ; {first} is\n{}\nand in a clean build\n{}",
        String::from_utf8_lossy(&std::fs::read(built.join(first)).unwrap_or_default()),
        String::from_utf8_lossy(&std::fs::read(clean.join(first)).unwrap_or_default())
    );
}

/// A clean build of `site` into a folder of its own, to compare with. It neither uses nor
/// touches the build cache, which stays the site's own output's.
pub fn clean_build(site: &std::path::Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::TempDir::new().expect("temp");
    let target = out.path().join("clean");
    let r = run(
        site,
        &[
            "build",
            "--no-cache",
            "--output",
            target.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    (out, target)
}

/// The JSON inside a page's `application/ld+json` script.
pub fn json_ld(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("json-ld present")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").expect("script closed");
    serde_json::from_str(&html[start..end]).expect("json-ld parses")
}
