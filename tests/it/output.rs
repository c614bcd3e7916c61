//! Output safety: atomic replacement, the marker file, never deleting foreign folders;
//! incremental builds that write only what changed.

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
    // A page of an earlier build that the site no longer makes disappears on the next
    // build; a file put in the folder by hand stays until `--clean`.
    write(
        site.path(),
        "content/gone.md",
        "---\ntitle: Gone\ndate: 2025-01-02\n---\nSoon gone.\n",
    );
    assert_eq!(run(site.path(), &["build", "--output", arg]).code, 0);
    assert!(target.join("2025/01/02/gone/index.html").is_file());
    std::fs::remove_file(site.path().join("content/gone.md")).expect("remove");
    write(&target, "by-hand.html", "mine");
    assert_eq!(run(site.path(), &["build", "--output", arg]).code, 0);
    assert!(
        !target.join("2025/01/02").exists(),
        "the page and its empty folders"
    );
    assert_eq!(read(&target, "by-hand.html"), "mine");
    assert_eq!(
        run(site.path(), &["build", "--clean", "--output", arg]).code,
        0
    );
    assert!(!target.join("by-hand.html").exists());
    assert!(target.join("index.html").is_file());
    // Nothing is left beside the output: no temporary folder, no lock.
    let mut siblings: Vec<_> = std::fs::read_dir(out.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    siblings.sort();
    assert_eq!(siblings, ["empty"]);
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
        .filter(|n| n.contains("brief-tmp") || n.contains("brief-old") || n.contains("brief-stage"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Inode and modification time of every file, to tell which ones a build touched.
fn identities(
    dir: &std::path::Path,
) -> std::collections::BTreeMap<String, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    tree(dir)
        .into_iter()
        .filter(|f| f != ".brief-output")
        .map(|f| {
            let meta = std::fs::metadata(dir.join(&f)).expect("stat");
            (f, (meta.ino(), meta.modified().expect("mtime")))
        })
        .collect()
}

#[test]
fn a_build_with_nothing_changed_writes_nothing() {
    let site = fixture("basic");
    build_ok(site.path());
    let public = site.path().join("public");
    let before = identities(&public);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let r = build_ok(site.path());
    let n = before.len();
    assert!(
        r.stdout.contains(&format!(
            "-> {n} files, 0 written, {n} unchanged, 0 removed in"
        )),
        "{}",
        r.stdout
    );
    assert_eq!(identities(&public), before, "same inodes and times");
}

#[test]
fn an_edit_writes_only_what_changed_and_matches_a_clean_build() {
    let site = fixture("basic");
    build_ok(site.path());
    let public = site.path().join("public");
    let before = identities(&public);
    let file = "content/news/2025/beta.md";
    let text = read(site.path(), file);
    write(site.path(), file, &format!("{text}\nA new closing line.\n"));
    let changes = site.path().join("changes.txt");
    let r = run(
        site.path(),
        &["build", "--changes", changes.to_str().expect("utf-8")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let listed = read(site.path(), "changes.txt");
    assert!(
        listed.starts_with("+ 2025/03/10/beta/index.html\n"),
        "{listed}"
    );
    assert!(
        listed
            .lines()
            .all(|l| l.starts_with("+ ") || l.starts_with("- ")),
        "{listed}"
    );
    // Pages that do not show the body are left as they were.
    let after = identities(&public);
    for untouched in [
        "index.html",
        "about/index.html",
        "2025/03/14/alpha/index.html",
        "style.css",
    ] {
        assert_eq!(after[untouched], before[untouched], "{untouched}");
    }
    assert_ne!(
        after["2025/03/10/beta/index.html"],
        before["2025/03/10/beta/index.html"]
    );
    let (_keep, clean) = clean_build(site.path());
    assert_same_output(&public, &clean, "after the edit");
}

/// Random edits, each followed by a build over the last one: the output always equals a
/// clean build of the same content.
#[test]
fn builds_after_random_edits_match_clean_builds() {
    let site = fixture("basic");
    let dir = site.path();
    build_ok(dir);
    let mut seed: u64 = 0x005e_ed0f_b01d;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for step in 0..12 {
        let i = next(5);
        match next(4) {
            0 => write(
                dir,
                &format!("content/extra{i}.md"),
                &format!(
                    "---\ntitle: Extra {i} {step}\ndate: 2025-02-0{}\ntopics: [Extra {}]\n---\nBody {step}.\n",
                    i + 1,
                    next(3)
                ),
            ),
            1 => {
                let _ = std::fs::remove_file(dir.join(format!("content/extra{i}.md")));
            }
            2 => write(
                dir,
                "content/pages/about.md",
                &format!("---\ntitle: About {step}\n---\nAbout us, take {step}.\n"),
            ),
            _ => write(
                dir,
                &format!("content/extra{i}.md"),
                &format!(
                    "---\ntitle: Extra {i}\ndate: 2025-02-0{}\n---\nA different body {step}.\n",
                    i + 1
                ),
            ),
        }
        let r = run(dir, &["build"]);
        assert_eq!(r.code, 0, "step {step}: {}", r.stderr);
        let (_keep, clean) = clean_build(dir);
        assert_same_output(&dir.join("public"), &clean, &format!("step {step}"));
    }
}

#[test]
fn a_damaged_manifest_means_every_file_is_written() {
    let site = fixture("basic");
    build_ok(site.path());
    let marker = site.path().join("public/.brief-output");
    let whole = std::fs::read_to_string(&marker).expect("marker");
    for damaged in [
        whole[..whole.len() / 2].to_string(),
        whole.replace("brief-manifest 1", "brief-manifest 9"),
        "This folder is generated by brief and replaced on each build.\n".to_string(),
        whole.replace('\t', " "),
    ] {
        std::fs::write(&marker, &damaged).expect("damage");
        // The page the damaged entry describes is written again, whatever it says.
        write(site.path(), "public/index.html", "tampered");
        let r = build_ok(site.path());
        assert!(!r.stdout.contains("unchanged"), "{}", r.stdout);
        let (_keep, clean) = clean_build(site.path());
        assert_same_output(&site.path().join("public"), &clean, &damaged);
    }
    // A file changed behind brief's back is written again even with a good manifest.
    write(site.path(), "public/about/index.html", "tampered");
    build_ok(site.path());
    assert!(read(site.path(), "public/about/index.html").contains("<html"));
}

#[test]
fn a_move_a_killed_build_left_is_finished_and_an_unfinished_stage_is_dropped() {
    let site = fixture("basic");
    let dir = site.path();
    build_ok(dir);
    let public = dir.join("public");
    // A stage that was ready: its file moved in, its removal done, before this build runs.
    let stage = dir.join(".public.brief-stage-99");
    write(&stage, "index.html", "staged");
    write(&stage, ".brief-removals", "about/index.html");
    std::fs::copy(
        public.join(".brief-output"),
        stage.join(".brief-manifest-next"),
    )
    .expect("copy");
    write(&stage, ".brief-ready", "");
    // A stage whose build never finished: dropped, never moved in.
    let unfinished = dir.join(".public.brief-stage-98");
    write(&unfinished, "2025/03/10/beta/index.html", "half");
    // A build that fails still finishes the move first, and writes nothing of its own.
    write(dir, "templates/page.html", "{{ no_such_variable }}");
    assert_eq!(run(dir, &["build"]).code, 1);
    assert!(!stage.exists() && !unfinished.exists());
    assert_eq!(read(&public, "index.html"), "staged");
    assert!(!public.join("about/index.html").exists());
    assert!(read(&public, "2025/03/10/beta/index.html").contains("<html"));
    std::fs::remove_file(dir.join("templates/page.html")).expect("fix");
    build_ok(dir);
    let (_keep, clean) = clean_build(dir);
    assert_same_output(&public, &clean, "after the edit");
}

#[test]
fn clean_writes_every_file_again() {
    let site = fixture("basic");
    build_ok(site.path());
    let public = site.path().join("public");
    let before = identities(&public);
    let r = run(site.path(), &["build", "--clean"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("unchanged"), "{}", r.stdout);
    let after = identities(&public);
    assert!(
        before.keys().all(|k| after[k] != before[k]),
        "every file is new"
    );
}
