//! The command line: exit codes, help, init and new.

use crate::support::*;

#[test]
fn help_and_version() {
    let dir = tempfile::TempDir::new().expect("temp");
    let r = run(dir.path(), &["--help"]);
    assert_eq!(r.code, 0);
    for cmd in ["build", "check", "init", "new"] {
        assert!(r.stdout.contains(cmd), "{}", r.stdout);
    }
    let r = run(dir.path(), &["build", "--help"]);
    assert!(r.stdout.contains("--output <DIR>"));
    assert!(r.stdout.contains("--drafts"));
    assert!(r.stdout.contains("--base-url <URL>"));
    assert!(r.stdout.contains("--root <DIR>"));
    let r = run(dir.path(), &["--version"]);
    assert_eq!(
        r.stdout.trim(),
        format!("brief {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::TempDir::new().expect("temp");
    assert_eq!(run(dir.path(), &["bild"]).code, 2);
    assert_eq!(run(dir.path(), &["build", "--nope"]).code, 2);
    assert_eq!(run(dir.path(), &["new"]).code, 2);
}

/// One topic and one entity are counted in the singular by both commands.
#[test]
fn the_summary_line_counts_one_topic_and_one_entity_in_the_singular() {
    let site = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-03-14\ntopics: [Talks]\nplaces: [Kyiv]\n---\nText.\n",
    )]);
    let r = run(site.path(), &["check"]);
    assert!(
        r.stdout.starts_with("ok: 1 briefing, 1 topic, 1 entity, "),
        "{}",
        r.stdout
    );
    let r = run(site.path(), &["build"]);
    assert!(
        r.stdout
            .starts_with("built 1 briefing, 1 topic, 1 entity -> "),
        "{}",
        r.stdout
    );
}

#[test]
fn check_validates_without_writing() {
    let site = fixture("basic");
    let r = run(site.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("ok: 3 briefings"), "{}", r.stdout);
    assert!(!site.path().join("public").exists());

    write(
        site.path(),
        "content/bad.md",
        "---\ntitle: x\ndate: nope\n---\n",
    );
    let r = run(site.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("--> content/bad.md:3:7"), "{}", r.stderr);
    assert!(!site.path().join("public").exists());
}

#[test]
fn root_flag_builds_elsewhere() {
    let site = fixture("basic");
    let elsewhere = tempfile::TempDir::new().expect("temp");
    let root = site.path().to_str().expect("utf-8");
    let r = run(elsewhere.path(), &["build", "--root", root]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(site.path().join("public/index.html").is_file());
}

#[test]
fn init_creates_a_site_that_builds_and_refuses_non_empty() {
    let dir = tempfile::TempDir::new().expect("temp");
    let r = run(dir.path(), &["init", "mysite"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("mysite");
    assert!(site.join("site.yaml").is_file());
    assert!(site.join("content/briefings/welcome.md").is_file());
    assert_eq!(
        std::fs::read_to_string(site.join(".gitignore")).expect(".gitignore"),
        "/public/\n/.brief-cache/\n"
    );
    let r = run(&site, &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("built 1 briefing, 1 topic, 0 entities"),
        "{}",
        r.stdout
    );

    let r = run(dir.path(), &["init", "mysite"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("the folder is not empty"), "{}", r.stderr);
    assert!(site.join("public/index.html").is_file(), "nothing removed");
}

#[test]
fn new_writes_a_briefing_and_refuses_to_overwrite() {
    let dir = tempfile::TempDir::new().expect("temp");
    assert_eq!(run(dir.path(), &["init"]).code, 0);
    let r = run(
        dir.path(),
        &[
            "new",
            "Envoy: \"talks\" resume",
            "--topics",
            "Ukraine war,Ceasefire talks",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = r.stdout.trim();
    assert!(
        path.ends_with("content/briefings/envoy-talks-resume.md"),
        "{path}"
    );
    let text = std::fs::read_to_string(dir.path().join(path)).expect("file written");
    assert!(
        text.contains("title: \"Envoy: \\\"talks\\\" resume\"\n"),
        "{text}"
    );
    assert!(
        text.contains("topics: [\"Ukraine war\", \"Ceasefire talks\"]"),
        "{text}"
    );
    let today = jiff::ZonedDateTime::now().date().to_string();
    assert!(text.contains(&format!("date: {today}T")), "{text}");

    let r = run(dir.path(), &["build", "--drafts"]);
    assert_eq!(r.code, 0, "new briefing builds: {}", r.stderr);
    // Dated to the second it was made, never a moment ahead: built at once, it is published.
    assert!(!r.stdout.contains("scheduled"), "{}", r.stdout);

    let r = run(dir.path(), &["new", "Envoy: \"talks\" resume"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
}

#[test]
fn new_outside_a_site_explains() {
    let dir = tempfile::TempDir::new().expect("temp");
    let r = run(dir.path(), &["new", "Title"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("this folder is not a brief site"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_closed_output_pipe_is_not_a_crash() {
    let site = fixture("basic");
    let bin = assert_cmd::cargo::cargo_bin("brief");
    let mut child = std::process::Command::new(bin)
        .arg("build")
        .current_dir(site.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
