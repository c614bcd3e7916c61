//! Hostile content is refused with a located error or neutralised; interrupted and
//! concurrent builds never damage the previous output.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::support::*;

fn fails_with(files: &[(&str, &str)], expected: &str) {
    let site = site(files);
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1, "expected failure:\n{}", r.stderr);
    assert!(
        r.stderr.contains(expected),
        "expected:\n{expected}\n--- in stderr:\n{}",
        r.stderr
    );
    assert!(!site.path().join("public").exists(), "nothing written");
}

#[test]
fn nul_bytes_are_refused_where_they_are() {
    fails_with(
        &[(
            "content/a.md",
            "---\ntitle: A\ndate: 2025-01-01\n---\nbody\0x\n",
        )],
        "error: this file contains a NUL byte\n --> content/a.md:5:5\n  |\n5 | body␀x\n  |     ^\n  |\nhelp: text files never contain NUL",
    );
}

#[test]
fn files_over_the_size_limit_are_refused() {
    let big = format!(
        "---\ntitle: A\ndate: 2025-01-01\n---\n{}",
        "a".repeat(17 << 20)
    );
    fails_with(
        &[("content/big.md", &big)],
        "error: cannot read this file: it is larger than 16 MB, the limit for one content file\n--> content/big.md",
    );
}

#[test]
fn a_facts_block_of_100000_items_is_refused() {
    let mut text = String::from("---\ntitle: F\ndate: 2025-01-01\n---\n```facts\n");
    for i in 0..100_000 {
        text.push_str(&format!("- label: L{i}\n  value: V{i}\n"));
    }
    text.push_str("```\n");
    fails_with(
        &[("content/f.md", &text)],
        "error: YAML too large: more than 250000 values\n      --> content/f.md:100005:10",
    );
}

#[test]
fn alias_bombs_are_refused() {
    let mut text = String::from(
        "---\ntitle: B\ndate: 2025-01-01\nextra:\n  a: &a [x, x, x, x, x, x, x, x, x]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(", ");
        text.push_str(&format!("  {}: &{} [{refs}]\n", w[1], w[1]));
    }
    text.push_str("---\n");
    fails_with(
        &[("content/bomb.md", &text)],
        "error: YAML too large: more than 250000 values",
    );
}

#[test]
fn names_aiming_outside_the_output_stay_inside() {
    let site = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-01-01\ntopics: [\"../../etc\", \"/abs/path\", \"..\\\\..\\\\win\", \"%2e%2e%2fx\"]\npeople: [\"../../../root\"]\n---\nb\n",
    )]);
    build_ok(site.path());
    for dir in [
        "topics/etc",
        "topics/abs-path",
        "topics/win",
        "topics/2e-2e-2fx",
        "people/root",
    ] {
        assert!(
            site.path()
                .join("public")
                .join(dir)
                .join("index.html")
                .is_file(),
            "{dir}"
        );
    }
    let outside: Vec<String> = tree(site.path())
        .into_iter()
        .filter(|p| {
            !p.starts_with("public/")
                && !p.starts_with("content/")
                && p != "site.yaml"
                && !p.starts_with(".brief-cache/")
        })
        .collect();
    assert!(outside.is_empty(), "written outside public/: {outside:?}");
}

#[test]
fn slugs_that_differ_only_in_case_cannot_happen() {
    fails_with(
        &[
            ("content/Alpha.md", "---\ntitle: A\ndate: 2025-01-01\n---\n"),
            ("content/alpha.md", "---\ntitle: a\ndate: 2025-01-01\n---\n"),
        ],
        "error: the file name \"Alpha\" is not a valid slug\n--> content/Alpha.md",
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused() {
    let outside = tempfile::TempDir::new().expect("temp");
    write(
        outside.path(),
        "secret.md",
        "---\ntitle: Secret\ndate: 2025-01-01\n---\n",
    );
    let site = site(&[("content/a.md", "---\ntitle: A\ndate: 2025-01-01\n---\n")]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path().join("content/s.md"),
    )
    .expect("link");
    std::os::unix::fs::symlink(outside.path(), site.path().join("content/dir")).expect("link");
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("error: this symbolic link points outside the site (to ")
    );
    assert!(r.stderr.contains("--> content/s.md"), "{}", r.stderr);
    assert!(r.stderr.contains("--> content/dir\n"), "{}", r.stderr);
    assert!(r.stderr.contains("found 2 problems"), "{}", r.stderr);

    // A link to a file inside the site is fine.
    std::fs::remove_file(site.path().join("content/s.md")).expect("rm");
    std::fs::remove_file(site.path().join("content/dir")).expect("rm");
    write(
        site.path(),
        "drafts/in.md",
        "---\ntitle: Inside\ndate: 2025-01-02\n---\n",
    );
    std::os::unix::fs::symlink("../drafts/in.md", site.path().join("content/in.md")).expect("link");
    build_ok(site.path());
}

#[test]
fn recursive_and_runaway_templates_are_bounded() {
    fails_with(
        &[
            ("content/pages/p.md", "---\ntitle: P\n---\n"),
            (
                "templates/partials/loop.html",
                "{% include \"partials/loop.html\" %}",
            ),
            (
                "templates/page.html",
                "{% extends \"base.html\" %}{% block main %}{% include \"partials/loop.html\" %}{% endblock main %}",
            ),
        ],
        "error: template error: Circular include detected for template 'partials/loop.html'",
    );
    fails_with(
        &[
            ("content/pages/p.md", "---\ntitle: P\n---\n"),
            (
                "templates/page.html",
                "{% extends \"base.html\" %}{% block main %}{% for i in range(end=100000000) %}{{ i }}{% endfor %}{% endblock main %}",
            ),
        ],
        "exceeds the limit of 100000",
    );
}

#[test]
fn a_template_that_runs_too_long_stops_the_build_and_keeps_the_output() {
    let site = site(&[(
        "content/x.md",
        "---\ntitle: One\ndate: 2025-03-14\n---\nBody.\n",
    )]);
    build_ok(site.path());
    let before = read(site.path(), "public/index.html");
    write(
        site.path(),
        "site.yaml",
        "title: Test\nbase_url: https://example.org/\ntimeout: 1\n",
    );
    write(
        site.path(),
        "templates/briefing.html",
        "{% extends \"base.html\" %}{% block main %}{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}{% endblock main %}",
    );
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for expected in [
        "error: rendering `2025/03/x/index.html` took more than 1 s; the template may loop without end",
        "--> templates/briefing.html",
        "raise `timeout` (seconds) in site.yaml",
        "build stopped; the previous output is unchanged",
    ] {
        assert!(
            r.stderr.contains(expected),
            "{expected:?} in:\n{}",
            r.stderr
        );
    }
    assert_eq!(before, read(site.path(), "public/index.html"));
    // The next build clears what the stopped one left.
    write(
        site.path(),
        "templates/briefing.html",
        "{% extends \"base.html\" %}",
    );
    build_ok(site.path());
    assert!(leftovers(site.path()).is_empty());
}

/// The preview stops on a runaway template too (Tera cannot interrupt it), and says how
/// to go on; it would otherwise spin without end.
#[test]
fn a_runaway_template_stops_the_preview_with_a_message() {
    let site = site(&[
        (
            "content/x.md",
            "---\ntitle: One\ndate: 2025-03-14\n---\nBody.\n",
        ),
        (
            "templates/briefing.html",
            "{% extends \"base.html\" %}{% block main %}{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}{% endblock main %}",
        ),
    ]);
    write(
        site.path(),
        "site.yaml",
        "title: Test\nbase_url: https://example.org/\ntimeout: 1\n",
    );
    // `run` waits for the process: it must end by itself.
    let r = run(site.path(), &["serve", "--port", "1790"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for expected in [
        "error: rendering `2025/03/x/index.html` took more than 1 s; the template may loop without end",
        "the preview stopped; fix the template, then start `brief serve` again",
    ] {
        assert!(
            r.stderr.contains(expected),
            "{expected:?} in:\n{}",
            r.stderr
        );
    }
}

#[test]
fn a_component_that_calls_itself_is_stopped() {
    fails_with(
        &[
            (
                "content/x.md",
                "---\ntitle: One\ndate: 2025-03-14\n---\nBody.\n",
            ),
            (
                "templates/briefing.html",
                "{% extends \"base.html\" %}{% component echo(n: string) %}{{ <echo n={n} /> }}{% endcomponent echo %}{% block main %}{{ <echo n=\"x\" /> }}{% endblock main %}",
            ),
        ],
        "error: template error: Maximum render recursion depth for components exceeded.\n--> templates/briefing.html\n |\nhelp: a component calls itself without end (Tera stops at 20 levels); make the recursion stop",
    );
}

/// Leftovers of a build: temporary folders beside the output.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.contains(".brief-tmp-") || n.contains(".brief-old-") || n.contains(".brief-stage-")
        })
        .collect()
}

/// The output's files but the search index's, whose names change with its content.
fn pages(public: &Path) -> Vec<String> {
    tree(public)
        .into_iter()
        .filter(|f| !f.starts_with("search/index/"))
        .collect()
}

fn many_briefings(n: usize) -> tempfile::TempDir {
    let files: Vec<(String, String)> = (0..n)
        .map(|i| {
            (
                format!("content/b{i}.md"),
                format!(
                    "---\ntitle: Briefing {i}\ndate: 2025-01-{:02}\ntopics: [T{}]\n---\n{}\n",
                    i % 28 + 1,
                    i % 7,
                    "Some text. ".repeat(50)
                ),
            )
        })
        .collect();
    site_of(&files)
}

#[cfg(unix)]
#[test]
fn killed_builds_leave_the_previous_output_whole() {
    let site = many_briefings(300);
    let dir = site.path();
    build_ok(dir);
    let before = pages(&dir.join("public"));
    let home = read(dir, "public/index.html");
    for (k, signal) in [
        (5u64, "KILL"),
        (40, "INT"),
        (80, "KILL"),
        (150, "INT"),
        (300, "KILL"),
    ] {
        write(
            dir,
            "content/b0.md",
            &format!("---\ntitle: Changed {k}\ndate: 2025-01-01\n---\nx\n"),
        );
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("brief"))
            .current_dir(dir)
            .arg("build")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(k));
        let _ = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status();
        let output = child.wait_with_output().expect("wait");
        let now = pages(&dir.join("public"));
        let moving = leftovers(dir)
            .iter()
            .any(|n| n.contains(".brief-stage-") && dir.join(n).join(".brief-ready").is_file());
        if output.status.success() {
            let page = read(dir, "public/2025/01/b0/index.html");
            assert!(
                page.contains(&format!("Changed {k}")),
                "the new output, whole"
            );
        } else if now.is_empty() {
            // Killed between the two renames of the swap: the previous output waits, whole,
            // beside the folder, and the next build puts it back (checked after the loop).
            let aside: Vec<String> = leftovers(dir)
                .into_iter()
                .filter(|n| n.contains(".brief-old-"))
                .collect();
            assert_eq!(aside.len(), 1, "after {signal} at {k} ms: {aside:?}");
            assert_eq!(
                pages(&dir.join(&aside[0])),
                before,
                "after {signal} at {k} ms"
            );
            build_ok(dir);
        } else if moving {
            // Killed while moving the changed files in: the next build finishes the move.
            build_ok(dir);
            let page = read(dir, "public/2025/01/b0/index.html");
            assert!(
                page.contains(&format!("Changed {k}")),
                "after {signal} at {k} ms"
            );
            assert_eq!(
                pages(&dir.join("public")),
                before,
                "after {signal} at {k} ms"
            );
        } else if read(dir, "public/2025/01/b0/index.html").contains(&format!("Changed {k}")) {
            // Killed after the swap, on the way out: the new output, whole.
            assert_eq!(
                now, before,
                "after {signal} at {k} ms: the same files, new text"
            );
        } else {
            // Killed before the swap: the previous output, whole.
            assert_eq!(now, before, "after {signal} at {k} ms");
            assert!(read(dir, "public/index.html").starts_with(&home[..200]));
        }
        for left in leftovers(dir) {
            assert!(left.starts_with(".public.brief-"), "clearly named: {left}");
        }
    }
    build_ok(dir);
    assert_eq!(
        leftovers(dir),
        Vec::<String>::new(),
        "the next build cleans up"
    );
}

#[test]
fn a_second_build_on_the_same_output_waits_its_turn() {
    let site = site(&[("content/a.md", "---\ntitle: A\ndate: 2025-01-01\n---\n")]);
    build_ok(site.path());
    let before = tree(&site.path().join("public"));
    // The build's lock is in the cache folder, named for the output folder.
    let locks: Vec<String> = tree(&site.path().join(".brief-cache"))
        .into_iter()
        .filter(|p| p.starts_with("output-") && p.ends_with(".lock"))
        .collect();
    assert_eq!(locks.len(), 1, "{locks:?}");
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(site.path().join(".brief-cache").join(&locks[0]))
        .expect("lock file");
    lock.lock().expect("hold the lock as a running build does");
    write(
        site.path(),
        "content/a.md",
        "---\ntitle: B\ndate: 2025-01-01\n---\n",
    );
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("another brief build is writing")
            && r.stderr
                .contains("help: wait for it to finish, then build again; nothing was changed"),
        "{}",
        r.stderr
    );
    assert_eq!(tree(&site.path().join("public")), before);
    drop(lock);
    build_ok(site.path());
}

/// A full disk: the build fails with the system's reason and the previous output stays.
/// Needs a small tmpfs, which only root can mount; others get a read-only folder instead.
#[cfg(target_os = "linux")]
#[test]
fn a_full_or_read_only_disk_loses_nothing() {
    let site = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-01-01\n---\nSmall.\n",
    )]);
    let disk = tempfile::TempDir::new().expect("temp");
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=400k", "tmpfs"])
        .arg(disk.path())
        .status()
        .is_ok_and(|s| s.success());
    let out = disk.path().join("public");
    let out_arg = out.to_string_lossy().into_owned();
    let r = run(site.path(), &["build", "--output", &out_arg]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before = tree(&out);
    let big = format!(
        "---\ntitle: Big\ndate: 2025-01-02\n---\n{}\n",
        "word ".repeat(200_000)
    );
    write(site.path(), "content/big.md", &big);
    if !mounted {
        let mut perms = std::fs::metadata(disk.path()).expect("meta").permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o555);
        std::fs::set_permissions(disk.path(), perms).expect("chmod");
    }
    let r = run(site.path(), &["build", "--output", &out_arg]);
    let expected = if mounted {
        "No space left on device"
    } else {
        "Permission denied"
    };
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains(expected), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "help: check that the output folder's parent is writable and the disk is not full"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(tree(&out), before, "previous output untouched");
    assert_eq!(leftovers(disk.path()), Vec::<String>::new());
    if mounted {
        let _ = std::process::Command::new("umount")
            .arg(disk.path())
            .status();
    }
}

/// Builds a one-briefing site whose site.yaml has `setting` too, expecting `expected`.
fn setting_fails_with(setting: &str, expected: &str) {
    let site = site(&[("content/a.md", "---\ntitle: A\ndate: 2025-01-01\n---\n")]);
    write(
        site.path(),
        "site.yaml",
        &format!("title: Test\nbase_url: https://example.org/\n{setting}\n"),
    );
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(expected), "{}", r.stderr);
}

#[test]
fn paginate_has_an_upper_limit() {
    setting_fails_with(
        "paginate: 100000",
        "error: `paginate` may be at most 500\n --> site.yaml:3:11\n  |\n3 | paginate: 100000\n  |           ^^^^^^\n",
    );
}

#[test]
fn timeout_must_be_at_least_a_second() {
    setting_fails_with(
        "timeout: 0",
        "error: `timeout` must be at least 1 (seconds)\n --> site.yaml:3:10\n  |\n3 | timeout: 0\n  |          ^\n",
    );
}

#[test]
fn dangling_links_and_pipes_in_content_are_reported() {
    let site = site(&[("content/a.md", "---\ntitle: A\ndate: 2025-01-01\n---\n")]);
    let content = site.path().join("content");
    std::os::unix::fs::symlink("missing.md", content.join("gone.md")).expect("link");
    let made = std::process::Command::new("mkfifo")
        .arg(content.join("pipe.md"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1);
    for expected in [
        "error: this symbolic link points to a file that does not exist\n--> content/gone.md\n |\nhelp: fix the link's target or remove the link",
        "error: this is not a regular file (a pipe, socket or device)\n--> content/pipe.md\n |\nhelp: content files are plain text files; move this one out of content/",
        "found 2 problems; nothing was written",
    ] {
        assert!(
            r.stderr.contains(expected),
            "{expected:?} in:\n{}",
            r.stderr
        );
    }
    // The preview reads single files: a pipe must be refused there too, not waited on.
    let config = brief::config::Config::load(site.path()).expect("config");
    let err = brief::content::load_file(
        site.path(),
        &content.join("pipe.md"),
        &config,
        brief::content::Publish::default(),
    )
    .expect_err("a pipe is not content");
    assert_eq!(
        err.0[0].message,
        "cannot read this file: it is not a regular file (a pipe, socket or device)"
    );
}

#[test]
fn files_that_vanish_during_builds_give_errors_never_a_crash() {
    let site = many_briefings(60);
    let root = site.path().to_path_buf();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let (root, stop) = (root.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let i = n % 60;
                let path = root.join(format!("content/b{i}.md"));
                let text = std::fs::read(&path).ok();
                let _ = std::fs::remove_file(&path);
                let dir = root.join(format!("content/d{}", n % 7));
                let _ = std::fs::remove_dir_all(&dir);
                let _ = std::fs::create_dir_all(&dir);
                if let Some(text) = text {
                    let _ = std::fs::write(&path, text);
                }
                n += 1;
            }
        })
    };
    let options = brief::BuildOptions {
        root: root.clone(),
        write: true,
        ..Default::default()
    };
    let mut failed = 0;
    for _ in 0..25 {
        match brief::build_site(&options) {
            Ok(_) => {}
            Err(diags) => {
                failed += 1;
                for d in &diags.0 {
                    let known = d.message.starts_with("cannot read this file")
                        || d.message.starts_with("cannot read this entry")
                        || d.message.contains("the file is empty")
                        || d.message.contains("never closed")
                        || d.message.contains("missing required field");
                    assert!(known, "unexpected error while files vanish: {d}");
                    assert!(d.path.starts_with("content"), "{d}");
                }
            }
        }
        // Whatever happened, the output is a whole site.
        if root.join("public").exists() {
            assert!(root.join("public/index.html").is_file());
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().expect("churn thread");
    eprintln!("{failed} of 25 builds met a vanished file");
    assert!(leftovers(&root).is_empty(), "{:?}", leftovers(&root));
}
