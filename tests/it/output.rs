//! Output safety: atomic replacement, the marker file, never deleting foreign folders.

use crate::support::*;

#[test]
fn refuses_a_non_empty_folder_it_did_not_create() {
    let site = fixture("basic");
    let target = tempfile::TempDir::new().expect("temp");
    write(target.path(), "precious.txt", "keep me");
    let r = run(
        site.path(),
        &["build", "--output", target.path().to_str().expect("utf-8")],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("it is not empty and was not created by brief"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was deleted"));
    assert_eq!(read(target.path(), "precious.txt"), "keep me");
    assert_eq!(tree(target.path()), ["precious.txt"]);
}

#[test]
fn refuses_the_site_root_itself() {
    let site = fixture("basic");
    let before = tree(site.path());
    let r = run(site.path(), &["build", "--output", "."]);
    assert_eq!(r.code, 1);
    assert_eq!(tree(site.path()), before);
}

#[test]
fn replaces_its_own_output_and_an_empty_folder() {
    let site = fixture("basic");
    let out = tempfile::TempDir::new().expect("temp");
    let target = out.path().join("empty");
    std::fs::create_dir(&target).expect("mkdir");
    let arg = target.to_str().expect("utf-8");
    assert_eq!(run(site.path(), &["build", "--output", arg]).code, 0);
    assert!(target.join(".brief-output").is_file());
    // A stale file from an earlier build disappears on the next one.
    write(&target, "stale.html", "old");
    assert_eq!(run(site.path(), &["build", "--output", arg]).code, 0);
    assert!(!target.join("stale.html").exists());
    assert!(target.join("index.html").is_file());
    // No temporary folders are left beside the output.
    let mut siblings: Vec<_> = std::fs::read_dir(out.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    siblings.sort();
    assert_eq!(siblings, [".empty.brief-lock", "empty"]);
}

#[test]
fn names_from_content_cannot_escape_the_output() {
    let site = site(&[(
        "content/a.md",
        "---\ntitle: x\ndate: 2025-01-01\ntopics: [\"../../etc\", \"..\\\\win\", \"%2e%2e/x\", \"/abs\"]\npeople: [\"../../../tmp/evil\"]\n---\n",
    )]);
    build_ok(site.path());
    let files = tree(&site.path().join("public"));
    assert!(
        files.contains(&"topics/etc/index.html".to_string()),
        "{files:?}"
    );
    assert!(
        files.contains(&"topics/win/index.html".to_string()),
        "{files:?}"
    );
    assert!(
        files.contains(&"topics/2e-2e-x/index.html".to_string()),
        "{files:?}"
    );
    assert!(
        files.contains(&"topics/abs/index.html".to_string()),
        "{files:?}"
    );
    assert!(
        files.contains(&"people/tmp-evil/index.html".to_string()),
        "{files:?}"
    );
    assert!(!site.path().join("etc").exists());
}

#[test]
fn page_slug_colliding_with_a_section_is_an_error() {
    let site = site(&[
        (
            "content/a.md",
            "---\ntitle: x\ndate: 2025-01-01\ntopics: [t]\n---\n",
        ),
        ("content/pages/topics.md", "---\ntitle: Topics page\n---\n"),
    ]);
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("two pages would be written to topics/index.html"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_error_while_rendering_leaves_the_previous_output_and_no_temp_folder() {
    let site = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-01-01\n---\nBody.\n",
    )]);
    build_ok(site.path());
    let before = tree(&site.path().join("public"));
    write(
        site.path(),
        "templates/briefing.html",
        "{% extends \"base.html\" %}{% block main %}{{ briefing.no_such_field }}{% endblock main %}",
    );
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("--> templates/briefing.html:1:"),
        "{}",
        r.stderr
    );
    assert_eq!(tree(&site.path().join("public")), before);
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("brief-tmp") || n.contains("brief-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
