//! The preview: which files a rebuild produces for which edit, and what the HTTP server
//! refuses to serve.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use brief::content::Publish;
use brief::serve::workspace::{Changes, Update, Workspace, changes};

use crate::edits::{Rng, every_kind_start, random_briefing, random_edit};
use crate::support::*;

const URL: &str = "http://127.0.0.1:9999/";

fn open(dir: &Path) -> Workspace {
    match Workspace::open(dir, Publish::default(), URL) {
        Ok((mut ws, _)) => {
            ws.verify_candidates(true);
            ws
        }
        Err(d) => panic!("{d}"),
    }
}

fn edit(dir: &Path, ws: &mut Workspace, rel: &str, text: Option<&str>) -> Update {
    edit_at(dir, ws, rel, text, rel)
}

/// Saves `text` at `rel` (or removes it), rebuilds, and checks that no file changed
/// outside the rebuild's candidates; `at` says where in a test a failure happened.
fn edit_at(dir: &Path, ws: &mut Workspace, rel: &str, text: Option<&str>, at: &str) -> Update {
    let path = dir.join(rel);
    match text {
        Some(t) => write(dir, rel, t),
        None => std::fs::remove_file(&path).expect("remove"),
    }
    match ws.rebuild(&changes(dir, [path])) {
        Ok(mut u) => {
            u.changed.extend(ws.catch_up().expect("catch up").changed);
            let missed = ws.take_missed();
            assert!(
                missed.is_empty(),
                "{at}: files changed outside the candidates: {missed:?}"
            );
            u
        }
        Err(d) => panic!("{d}"),
    }
}

fn changed(u: &Update) -> Vec<&str> {
    let mut v: Vec<&str> = u.changed.iter().map(|(p, _)| p.as_str()).collect();
    v.sort();
    v
}

const R2: &str = "---\ntitle: \"R2 twin\"\ndate: 2025-01-09\ntopics: [Ukraine war, Kursk offensive]\npeople: [Vladimir Putin]\n---\n";

#[test]
fn a_body_edit_rerenders_only_that_page() {
    let site = fixture("newsroom");
    let mut ws = open(site.path());
    let u = edit(
        site.path(),
        &mut ws,
        "content/r2.md",
        Some(&format!("{R2}New body text.\n")),
    );
    assert_eq!(changed(&u), ["2025/01/r2/index.html"]);
    assert!(u.removed.is_empty());
    let html = String::from_utf8_lossy(&u.changed[0].1).into_owned();
    assert!(html.contains("New body text."));
    assert!(
        html.contains("href=\"http://127.0.0.1:9999/atom.xml\""),
        "base_url is the preview's"
    );
}

#[test]
fn a_title_edit_rerenders_every_page_that_shows_it_and_no_other() {
    let site = fixture("newsroom");
    let mut ws = open(site.path());
    let u = edit(
        site.path(),
        &mut ws,
        "content/r2.md",
        Some(&R2.replace("R2 twin", "R2 renamed")),
    );
    let files = changed(&u);
    for expected in [
        "2025/01/r2/index.html",
        "2025/01/r1/index.html", // lists it as related
        "2025/01/r3/index.html", // its neighbour in a topic
        "index.html",
        "topics/ukraine-war/index.html",
        "topics/kursk-offensive/index.html",
        "people/vladimir-putin/index.html",
        "atom.xml",
        "topics/ukraine-war/atom.xml",
    ] {
        assert!(
            files.contains(&expected),
            "{expected} missing from {files:?}"
        );
    }
    for untouched in [
        "topics/drones/index.html",
        "2024/12/r4/index.html",
        "style.css",
        "about/index.html",
    ] {
        assert!(
            !files.contains(&untouched),
            "{untouched} re-rendered needlessly: {files:?}"
        );
    }
}

#[test]
fn new_deleted_and_renamed_briefings() {
    let site = fixture("newsroom");
    let mut ws = open(site.path());
    let u = edit(
        site.path(),
        &mut ws,
        "content/r6.md",
        Some("---\ntitle: R6 new\ndate: 2025-02-01\ntopics: [Drones]\n---\nNew.\n"),
    );
    let files = changed(&u);
    assert!(files.contains(&"2025/02/r6/index.html"));
    assert!(files.contains(&"topics/drones/index.html"));
    assert!(files.contains(&"index.html"));

    let u = edit(site.path(), &mut ws, "content/r6.md", None);
    assert!(
        u.removed.contains(&"2025/02/r6/index.html".to_string()),
        "{:?}",
        u.removed
    );

    // A rename arrives as the old and the new path.
    let old = site.path().join("content/r3.md");
    let new = site.path().join("content/r3-moved.md");
    std::fs::rename(&old, &new).expect("rename");
    let u = ws
        .rebuild(&changes(site.path(), [old, new]))
        .expect("rebuild");
    assert!(u.removed.contains(&"2025/01/r3/index.html".to_string()));
    assert!(changed(&u).contains(&"2025/01/r3-moved/index.html"));
}

#[test]
fn a_new_folder_of_briefings_is_picked_up() {
    let site = fixture("newsroom");
    let mut ws = open(site.path());
    write(
        site.path(),
        "content/extra/x.md",
        "---\ntitle: X\ndate: 2025-03-01\n---\nx\n",
    );
    write(
        site.path(),
        "content/extra/y.md",
        "---\ntitle: Y\ndate: 2025-03-02\n---\ny\n",
    );
    let u = ws
        .rebuild(&changes(site.path(), [site.path().join("content/extra")]))
        .expect("rebuild");
    let files = changed(&u);
    assert!(
        files.contains(&"2025/03/x/index.html") && files.contains(&"2025/03/y/index.html"),
        "{files:?}"
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_then_a_fix_works() {
    let site = fixture("newsroom");
    let mut ws = open(site.path());
    write(site.path(), "content/r2.md", "---\ntitle: x\n");
    let err = ws
        .rebuild(&changes(site.path(), [site.path().join("content/r2.md")]))
        .expect_err("broken edit fails");
    assert!(err.to_string().contains("content/r2.md:1:1"), "{err}");
    let u = edit(
        site.path(),
        &mut ws,
        "content/r2.md",
        Some(&format!("{R2}Fixed.\n")),
    );
    assert_eq!(changed(&u), ["2025/01/r2/index.html"]);
}

#[test]
fn template_and_config_changes_rebuild_everything() {
    let site = fixture("newsroom");
    let mut ws = open(site.path());
    write(
        site.path(),
        "templates/partials/card.html",
        "<div class=\"c\">{{ card.title }}</div>\n",
    );
    let u = ws
        .rebuild(&changes(
            site.path(),
            [site.path().join("templates/partials/card.html")],
        ))
        .expect("rebuild");
    assert!(changed(&u).contains(&"index.html"));
    // The newest briefing leads the home page; the others are cards.
    let html = u
        .changed
        .iter()
        .find(|(p, _)| p == "index.html")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned());
    assert!(html.is_some_and(|h| h.contains("<div class=\"c\">R2 twin</div>")));
    let c = changes(site.path(), [site.path().join("site.yaml")]);
    assert!(c.everything);
}

#[test]
fn editor_leftovers_and_the_output_folder_are_ignored() {
    let root = Path::new("/site");
    for ignored in [
        "/site/content/.r1.md.swp",
        "/site/content/r1.md~",
        "/site/content/4913",
        "/site/content/.#r1.md",
        "/site/content/r1.md.tmp",
        "/site/public/index.html",
        "/site/.git/index",
        "/site/.brief-cache/images/0a1b-480.jpg",
        "/elsewhere/x.md",
    ] {
        assert_eq!(
            changes(root, [ignored.into()]),
            Changes::default(),
            "{ignored}"
        );
    }
    let c = changes(
        root,
        ["/site/content/r1.md".into(), "/site/content/r1.md".into()],
    );
    assert_eq!(c.content.len(), 1, "duplicates collapse");
    // A picture beside a briefing: its pages and copies are made again; so is every page
    // when a label changes.
    for everything in ["/site/content/2025/convoy.JPG", "/site/i18n/en.yaml"] {
        let c = changes(root, [everything.into()]);
        assert!(c.everything && c.content.is_empty(), "{everything}: {c:?}");
    }
}

/// A running `brief serve` on the fixture, killed when dropped.
struct Server {
    child: std::process::Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path) -> Server {
    start_with(dir, 20_000 + (std::process::id() % 20_000) as u16, &[])
}

fn start_with(dir: &Path, port: u16, extra: &[&str]) -> Server {
    let child = assert_cmd::cargo::cargo_bin("brief");
    let mut child = std::process::Command::new(child)
        .args(["serve", "--port", &port.to_string()])
        .args(extra)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start brief serve");
    let mut out = child.stdout.take().expect("stdout");
    let mut text = String::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut buf = [0u8; 256];
    while !text.contains("Ctrl-C") && Instant::now() < deadline {
        let n = out.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        text.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let addr = text
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("no address in {text:?}"))
        .to_string();
    Server { child, addr }
}

/// The whole reply to a raw GET (the path is sent exactly as given).
fn request(addr: &str, path: &str) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut reply = Vec::new();
    let _ = s.read_to_end(&mut reply);
    reply
}

/// The status code of a reply.
fn status_of(reply: &str) -> u16 {
    reply
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// The status line and body of a raw GET (the path is sent exactly as given).
fn raw_get(addr: &str, path: &str) -> (u16, String) {
    let reply = String::from_utf8_lossy(&request(addr, path)).into_owned();
    (status_of(&reply), reply)
}

#[test]
fn the_server_never_serves_outside_the_site() {
    let site = fixture("newsroom");
    write(site.path(), "secret.txt", "top secret");
    std::os::unix::fs::symlink("/etc/hostname", site.path().join("content/link.txt")).ok();
    let server = start(site.path());
    let (status, body) = raw_get(&server.addr, "/");
    assert_eq!(status, 200);
    assert!(
        body.contains("new EventSource(\"/__brief/live?since=\""),
        "live reload injected"
    );
    for bad in [
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/secret.txt",
        "/site.yaml",
        "/content/r1.md",
        "/content/link.txt",
    ] {
        let (status, body) = raw_get(&server.addr, bad);
        assert_eq!(status, 404, "{bad}");
        assert!(
            !body.contains("top secret") && !body.contains("root:"),
            "{bad} leaked"
        );
    }
    let (status, _) = raw_get(&server.addr, "/topics");
    assert_eq!(status, 301);
}

#[test]
fn built_sites_have_no_live_reload() {
    let site = fixture("newsroom");
    build_ok(site.path());
    for f in tree(&site.path().join("public")) {
        let text = std::fs::read_to_string(site.path().join("public").join(&f)).unwrap_or_default();
        assert!(!text.contains("__brief/live"), "{f}");
    }
}

#[test]
fn a_taken_port_moves_to_the_next_one() {
    let site = fixture("newsroom");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let server = start_with(site.path(), port, &[]);
    let used: u16 = server
        .addr
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    assert!(used > port, "{used} after {port}");
    assert!(
        server.addr.starts_with("127.0.0.1:"),
        "binds loopback by default"
    );
    assert_eq!(raw_get(&server.addr, "/").0, 200);
}

#[test]
fn ctrl_c_exits_cleanly_and_leaves_nothing_behind() {
    let site = fixture("newsroom");
    let before = tree(site.path());
    let mut server = start(site.path());
    let pid = server.child.id().to_string();
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = server.child.try_wait().expect("wait") {
            break exit;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
    assert_eq!(tree(site.path()), before, "no temporary files");
}

#[test]
fn poll_mode_sees_edits() {
    let site = fixture("newsroom");
    let server = start_with(
        site.path(),
        23_000 + (std::process::id() % 5_000) as u16,
        &["--poll"],
    );
    std::thread::sleep(Duration::from_millis(300));
    write(
        site.path(),
        "content/r2.md",
        &format!("{R2}Seen by polling.\n"),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while !raw_get(&server.addr, "/2025/01/r2/")
        .1
        .contains("Seen by polling.")
    {
        assert!(Instant::now() < deadline, "edit not picked up");
        std::thread::sleep(Duration::from_millis(50));
    }
}

type Files = std::collections::BTreeMap<String, Vec<u8>>;

fn apply(files: &mut Files, u: Update) {
    for p in u.removed {
        files.remove(&p);
    }
    for (p, b) in u.changed {
        files.insert(p, b.to_vec());
    }
}

/// After any sequence of edits, what the preview serves equals a fresh build of the result:
/// skipped pages and reused related lists are never stale.
#[test]
fn incremental_rebuilds_match_a_fresh_build() {
    let site = fixture("newsroom");
    let dir = site.path();
    let (mut ws, first) = Workspace::open(dir, Publish::default(), URL).expect("open");
    let mut files = Files::new();
    apply(&mut files, first);
    let steps: &[(&str, Option<&str>)] = &[
        (
            "content/r2.md",
            Some(
                "---\ntitle: \"R2 twin\"\ndate: 2025-01-09\ntopics: [Ukraine war, Kursk offensive]\npeople: [Vladimir Putin]\n---\nBody only.\n",
            ),
        ),
        (
            "content/r2.md",
            Some(
                "---\ntitle: \"R2 retitled\"\ndate: 2025-01-09\ntopics: [Ukraine war]\npeople: [Vladimir Putin]\n---\nNow [links](story:r5).\n",
            ),
        ),
        (
            "content/r5.md",
            Some(
                "---\ntitle: \"R5 old\"\ndate: 2024-01-01\ntopics: [Ukraine war, Drones]\npeople: [Vladimir Putin]\n---\nOld body.\n",
            ),
        ),
        (
            "content/r6.md",
            Some(
                "---\ntitle: R6\ndate: 2025-01-05\ntopics: [Drones, Kursk offensive]\n---\nNew.\n",
            ),
        ),
        ("content/r3.md", None),
        (
            "content/r4.md",
            Some(
                "---\ntitle: \"R4 linker\"\ndate: 2024-12-01\ntopics: [Drones]\n---\nNo links now.\n",
            ),
        ),
    ];
    assert_steps_match_fresh_builds(dir, &mut ws, &mut files, steps);
}

/// Applies each edit, then checks the served files equal a fresh build's.
fn assert_steps_match_fresh_builds(
    dir: &Path,
    ws: &mut Workspace,
    files: &mut Files,
    steps: &[(&str, Option<&str>)],
) {
    for (rel, text) in steps {
        apply(files, edit(dir, ws, rel, *text));
        assert_matches_fresh_build(dir, files, &format!("editing {rel}"));
    }
}

/// Edits that change only what lists show of a briefing (title, summary, dateline,
/// authors) take the shortcut that skips the model; the result must still equal a fresh
/// build, for a briefing that others list as related, link to, and neighbour in topics.
#[test]
fn card_edits_match_a_fresh_build() {
    let site = fixture("newsroom");
    let dir = site.path();
    let (mut ws, first) = Workspace::open(dir, Publish::default(), URL).expect("open");
    let mut files = Files::new();
    apply(&mut files, first);
    let r1 = std::fs::read_to_string(dir.join("content/r1.md")).expect("r1");
    let retitled = r1.replace("R1 main", "R1 retitled");
    let resummarised = retitled.replace("The main briefing.", "A new summary.");
    let reauthored = resummarised.replace("authors: [Ann]", "authors: [Ann, Bo]\ndateline: KYIV");
    let r4 = "---\ntitle: \"R4 linker renamed\"\ndate: 2024-12-01\ntopics: [Drones]\n---\nThis links to [the main one](story:r1).\n";
    let steps: Vec<(&str, Option<&str>)> = vec![
        ("content/r1.md", Some(&retitled)),
        ("content/r1.md", Some(&resummarised)),
        ("content/r1.md", Some(&reauthored)),
        ("content/r4.md", Some(r4)),
        (
            "content/r3.md",
            Some(
                "---\ntitle: \"R3 renamed\"\ndate: 2025-01-01\ntopics: [Ukraine war]\n---\nBody.\n",
            ),
        ),
        ("content/r1.md", Some(&r1)),
    ];
    assert_steps_match_fresh_builds(dir, &mut ws, &mut files, &steps);
}

/// A page rendered by the body-edit shortcut is still known: deleting its file later
/// removes it from the served site.
#[test]
fn a_page_edited_then_deleted_is_removed() {
    let site = fixture("newsroom");
    let mut ws = open(site.path());
    let r5 = "---\ntitle: \"R5 old\"\ndate: 2024-01-01\ntopics: [Ukraine war]\npeople: [Vladimir Putin]\n---\nEdited.\n";
    let u = edit(site.path(), &mut ws, "content/r5.md", Some(r5));
    assert_eq!(changed(&u), ["2024/01/r5/index.html"]);
    let u = edit(site.path(), &mut ws, "content/r5.md", None);
    let gone = "2024/01/r5/index.html".to_string();
    assert!(u.removed.contains(&gone), "{:?}", u.removed);
}

/// The served files equal a fresh build's.
fn assert_matches_fresh_build(dir: &Path, files: &Files, after: &str) {
    let (_, fresh) = Workspace::open(dir, Publish::default(), URL).expect("fresh");
    let mut expected = Files::new();
    apply(&mut expected, fresh);
    let differing: Vec<&String> = expected
        .keys()
        .chain(files.keys())
        .filter(|k| expected.get(*k) != files.get(*k))
        .collect();
    assert!(
        differing.is_empty(),
        "after {after}: stale or missing {differing:?}"
    );
}

/// Deleting the whole content folder while serving empties the site; putting it back
/// restores it, as a fresh build would.
#[test]
fn the_content_folder_deleted_and_restored_while_serving() {
    let site = fixture("newsroom");
    let dir = site.path();
    let (mut ws, first) = Workspace::open(dir, Publish::default(), URL).expect("open");
    let mut files = Files::new();
    apply(&mut files, first);
    let content = dir.join("content");
    std::fs::rename(&content, dir.join("content-away")).expect("move away");
    let u = ws
        .rebuild(&changes(dir, [content.clone()]))
        .expect("rebuild");
    assert!(
        u.removed.contains(&"2025/01/r1/index.html".to_string()),
        "{:?}",
        u.removed
    );
    apply(&mut files, u);
    apply(&mut files, ws.catch_up().expect("catch up"));
    assert_matches_fresh_build(dir, &files, "deleting content/");
    std::fs::rename(dir.join("content-away"), &content).expect("move back");
    let u = ws.rebuild(&changes(dir, [content])).expect("rebuild");
    apply(&mut files, u);
    apply(&mut files, ws.catch_up().expect("catch up"));
    assert_matches_fresh_build(dir, &files, "restoring content/");
}

/// A burst of edits, broken and fixed in turn, ends in the same site as a fresh build of
/// the last version; broken versions never replace what is served.
#[test]
fn rapid_broken_and_fixed_edits_end_in_the_right_site() {
    let site = fixture("newsroom");
    let dir = site.path();
    let (mut ws, first) = Workspace::open(dir, Publish::default(), URL).expect("open");
    let mut files = Files::new();
    apply(&mut files, first);
    let path = dir.join("content/r2.md");
    for i in 0..30 {
        let text = if i % 3 == 1 {
            format!("---\ntitle: \"Broken {i}\ndate: 2025-01-09\n---\n")
        } else {
            R2.replace("R2 twin", &format!("R2 take {i}")) + "Body.\n"
        };
        std::fs::write(&path, text).expect("write");
        match ws.rebuild(&changes(dir, [path.clone()])) {
            Ok(mut u) => {
                assert_ne!(i % 3, 1, "a broken edit was accepted");
                u.changed.extend(ws.catch_up().expect("catch up").changed);
                apply(&mut files, u);
            }
            Err(d) => {
                assert_eq!(i % 3, 1, "edit {i} failed: {d}");
                let served = String::from_utf8_lossy(&files["2025/01/r2/index.html"]).into_owned();
                assert!(
                    served.contains(&format!("R2 take {}", i - 1)),
                    "last good version stays"
                );
            }
        }
    }
    assert_matches_fresh_build(dir, &files, "30 rapid edits");
}

/// A small generated site and a seeded series of edits of every kind (topics, entities,
/// `story:` and `topic:` links, `related:`, dates, titles, bodies, new and deleted files):
/// after each, what the preview serves equals a fresh build.
#[test]
fn random_edits_match_fresh_builds() {
    random_edits(0x2545_f491_4f6c_dd1d, 16, 20, 10, 100);
}

/// The same on lists longer than the window of candidates related lists are drawn from:
/// a briefing that moves is a candidate only for its neighbours there.
#[test]
fn random_edits_on_long_lists_match_fresh_builds() {
    random_edits(0x9e37_79b9_7f4a_7c15, 90, 100, 3, 40);
}

/// Starts a site of `start` random briefings, then makes `steps` random edits to
/// briefings b0..b{names}, each followed by a comparison with a fresh build.
fn random_edits(seed: u64, start: usize, names: usize, topics: usize, steps: usize) {
    let mut rng = Rng(seed);
    let first: Vec<(String, String)> = (0..start)
        .map(|i| {
            (
                format!("content/b{i}.md"),
                random_briefing(i, &mut rng, topics),
            )
        })
        .collect();
    let mut refs: Vec<(&str, &str)> = first
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    // A profile with an alias ("Ada" is Ada Lovelace), a titled intro, and an untitled
    // intro that links to a briefing which may move.
    refs.extend([
        (
            "content/entities/people/ada-lovelace.md",
            "---\nname: Ada Lovelace\naliases: [Ada]\n---\nProfile.\n",
        ),
        (
            "content/topics/energy.md",
            "---\ntitle: Energy and power\n---\nIntro.\n",
        ),
        (
            "content/topics/drones.md",
            "---\nsummary: Drones.\n---\nSee [one](story:b1).\n",
        ),
    ]);
    let site = site(&refs);
    let dir = site.path();
    // Short pages, so lists gain and lose pages as briefings come and go.
    write(
        dir,
        "site.yaml",
        "title: Test\nbase_url: https://example.org/\npaginate: 2\n",
    );
    let (mut ws, opened) = Workspace::open(dir, Publish::default(), URL).expect("open");
    ws.verify_candidates(true);
    let mut files = Files::new();
    apply(&mut files, opened);
    for step in 0..steps {
        let i = rng.below(names);
        let rel = format!("content/b{i}.md");
        let exists = dir.join(&rel).exists();
        let text = if exists && i >= 4 && rng.below(5) == 0 {
            None
        } else if exists && rng.below(3) == 0 {
            // Only the body or the title: the shortcuts.
            let old = read(dir, &rel);
            Some(if rng.below(2) == 0 {
                old.replace("Body ", "Body edited ")
            } else {
                old.replace("title: \"", "title: \"Edited ")
            })
        } else if exists && rng.below(3) == 0 {
            // Only a new date: the briefing moves, and closeness to it changes.
            let old = read(dir, &rel);
            let date = format!("date: 2025-0{}-{:02}", rng.below(3) + 1, rng.below(27) + 1);
            Some(
                old.lines()
                    .map(|l| {
                        if l.starts_with("date:") {
                            date.as_str()
                        } else {
                            l
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n",
            )
        } else if exists && rng.below(2) == 0 {
            // New topics, people and links on the same date: the order stays.
            let old = read(dir, &rel);
            let date = |t: &str| {
                t.lines()
                    .find(|l| l.starts_with("date:"))
                    .map(str::to_string)
            };
            let new = random_briefing(i, &mut rng, topics);
            Some(match (date(&old), date(&new)) {
                (Some(was), Some(is)) => new.replace(&is, &was),
                _ => new,
            })
        } else {
            Some(random_briefing(i, &mut rng, topics))
        };
        let at = format!("step {step}, {rel}: {text:?}");
        apply(
            &mut files,
            edit_at(dir, &mut ws, &rel, text.as_deref(), &at),
        );
        assert_matches_fresh_build(dir, &files, &at);
    }
}

/// A briefing moved to another month has a new URL: its old page goes, and pages that link
/// to it (another briefing, a topic intro) follow, although they share nothing else.
#[test]
fn a_briefing_moved_to_another_month_is_followed_by_what_links_to_it() {
    let site = site(&[
        (
            "content/a.md",
            "---\ntitle: A\ndate: 2025-01-10\ntopics: [Energy]\n---\nBody.\n",
        ),
        (
            "content/b.md",
            "---\ntitle: B\ndate: 2025-01-05\ntopics: [Grain]\n---\nSee [a](story:a).\n",
        ),
        (
            "content/c.md",
            "---\ntitle: C\ndate: 2025-01-01\ntopics: [Drones]\n---\nBody.\n",
        ),
        (
            "content/topics/drones.md",
            "---\nsummary: Drones.\n---\nSee [the one](story:a).\n",
        ),
    ]);
    let dir = site.path();
    let (mut ws, opened) = Workspace::open(dir, Publish::default(), URL).expect("open");
    ws.verify_candidates(true);
    let mut files = Files::new();
    apply(&mut files, opened);
    let moved = "---\ntitle: A\ndate: 2025-03-10\ntopics: [Energy]\n---\nBody.\n";
    let u = edit(dir, &mut ws, "content/a.md", Some(moved));
    assert!(
        u.removed.contains(&"2025/01/a/index.html".to_string()),
        "{:?}",
        u.removed
    );
    apply(&mut files, u);
    assert_matches_fresh_build(dir, &files, "moving a to March");
}

/// Re-spelling an entity (same slug, new display name) reaches every page that shows its
/// name, such as the "often alongside" lists of other entities' pages.
#[test]
fn a_respelled_entity_shows_everywhere_at_once() {
    let site = tempfile::TempDir::new().expect("temp");
    let dir = site.path();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // The incremental preview is for a site in one language: the example's main one.
    let config = read(example, "site.yaml").replace("languages: [en, uk]", "language: en");
    write(dir, "site.yaml", &config);
    let example_files = ["content", "static"].map(|d| walkdir::WalkDir::new(example.join(d)));
    for entry in example_files.into_iter().flatten() {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(example).expect("inside");
        if rel.to_string_lossy().ends_with(".uk.md") {
            continue;
        }
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(dir.join(rel)).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), dir.join(rel)).expect("copy");
        }
    }
    let (mut ws, first) = Workspace::open(dir, Publish::default(), URL).expect("open");
    let mut files = Files::new();
    apply(&mut files, first);
    let rel = "content/briefings/technical-talks-planned.md";
    let text = read(dir, rel).replacen("Donald Trump", "DONALD TRUMP", 1);
    assert!(text.contains("DONALD TRUMP"));
    apply(&mut files, edit(dir, &mut ws, rel, Some(&text)));
    let page =
        String::from_utf8_lossy(&files["people/volodymyr-zelenskyy/index.html"]).into_owned();
    assert!(page.contains("DONALD TRUMP"), "{page}");
    assert_matches_fresh_build(dir, &files, "re-spelling Donald Trump");
}

/// Edits of every kind a writer makes, beyond briefings' own fields: re-spelt topics and
/// people (same slug, new display name), drafts, briefings moved into the future, profiles
/// with aliases, topic intros and pages coming and going, site.yaml, a template override
/// and a static file. After each step the served site equals a fresh build.
#[test]
fn random_edits_of_every_kind_match_fresh_builds() {
    const SEED: u64 = 0x51f1_5eed_0dd5_2026;
    const STEPS: usize = 500;
    let mut rng = Rng(SEED);
    let site = site_of(&every_kind_start(&mut rng));
    let dir = site.path();
    let (mut ws, opened) = Workspace::open(dir, Publish::default(), URL).expect("open");
    ws.verify_candidates(true);
    let mut files = Files::new();
    apply(&mut files, opened);
    for step in 0..STEPS {
        let (rel, text) = random_edit(dir, &mut rng);
        let at = format!("seed {SEED:#x}, step {step}: {rel} <- {text:?}");
        apply(
            &mut files,
            edit_at(dir, &mut ws, &rel, text.as_deref(), &at),
        );
        assert_matches_fresh_build(dir, &files, &at);
    }
}

/// A claim edited in a body, with nothing else changed, reaches the claims log (the edit
/// that swaps the briefing in place).
#[test]
fn a_claim_edited_in_a_body_reaches_the_claims_log() {
    let site = fixture("newsroom");
    let dir = site.path();
    let (mut ws, first) = Workspace::open(dir, Publish::default(), URL).expect("open");
    ws.verify_candidates(true);
    let mut files = Files::new();
    apply(&mut files, first);
    let text = read(dir, "content/r1.md");
    let steps = [
        text.replace("Kyiv denies it", "Moscow denies it"),
        text.replace("[two](claim:disputed", "[two](claim:false"),
    ];
    for (n, edited) in steps.iter().enumerate() {
        let u = edit(dir, &mut ws, "content/r1.md", Some(edited));
        let paths = changed(&u);
        assert!(paths.contains(&"claims/index.html"), "step {n}: {paths:?}");
        apply(&mut files, u);
        assert_matches_fresh_build(dir, &files, &format!("claim edit {n}"));
    }
    let log = String::from_utf8_lossy(&files["claims/false/index.html"]).into_owned();
    assert!(log.contains("two"), "the claim moved to the false log");
}

/// An entity that one briefing lists and another only links to: taking the listing away
/// makes the link an error in the preview as in a build; putting it back mends it.
#[test]
fn taking_away_the_only_listing_of_a_linked_entity_is_an_error() {
    let listing =
        "---\ntitle: A\ndate: 2025-01-10\ntopics: [Energy]\npeople: [Bo Li]\n---\nBody.\n";
    let site = site(&[
        ("content/a.md", listing),
        (
            "content/b.md",
            "---\ntitle: B\ndate: 2025-01-05\ntopics: [Energy]\n---\nAs [Bo Li](people:bo-li) said.\n",
        ),
    ]);
    let dir = site.path();
    let (mut ws, first) = Workspace::open(dir, Publish::default(), URL).expect("open");
    let mut files = Files::new();
    apply(&mut files, first);
    write(
        dir,
        "content/a.md",
        &listing.replace("people: [Bo Li]\n", ""),
    );
    let err = ws
        .rebuild(&changes(dir, [dir.join("content/a.md")]))
        .expect_err("the link names nobody now");
    assert!(
        err.to_string()
            .contains("error: unknown entity `bo-li` in `people:bo-li`\n --> content/b.md:6:4"),
        "{err}"
    );
    apply(
        &mut files,
        edit(dir, &mut ws, "content/a.md", Some(listing)),
    );
    assert_matches_fresh_build(dir, &files, "listing Bo Li again");
}

/// A claim names its speaker: editing the claim shows on the speaker's page, re-spelling
/// the speaker shows in the claims box of the briefing quoting them, and the same holds for
/// a byline that gains or loses an author.
#[test]
fn attributed_claims_and_bylines_follow_edits() {
    let listing =
        "---\ntitle: A\ndate: 2025-01-10\nauthors: [Ann Smith]\npeople: [Bo Li]\n---\nBody.\n";
    let quoting = "---\ntitle: B\ndate: 2025-01-05\nauthors: [Ann Smith]\n---\n[We will win](claim:disputed?by=people:bo-li \"No evidence\").\n";
    let site = site(&[("content/a.md", listing), ("content/b.md", quoting)]);
    let dir = site.path();
    let (mut ws, first) = Workspace::open(dir, Publish::default(), URL).expect("open");
    let mut files = Files::new();
    apply(&mut files, first);
    let steps = [
        (
            "content/b.md",
            quoting.replace("No evidence", "Denied by Kyiv"),
        ),
        ("content/a.md", listing.replace("Bo Li", "BO LI")),
        ("content/b.md", quoting.replace("disputed", "false")),
        (
            "content/a.md",
            listing.replace("[Ann Smith]", "[Ann Smith, Cy Jones]"),
        ),
        ("content/b.md", quoting.replace("Ann Smith", "ANN SMITH")),
        (
            "content/authors/ann-smith.md",
            "---\nname: Ann Smith\nrole: Editor\n---\nBio.\n".to_string(),
        ),
    ];
    for (rel, text) in &steps {
        apply(&mut files, edit(dir, &mut ws, rel, Some(text)));
        assert_matches_fresh_build(dir, &files, rel);
    }
    let page = String::from_utf8_lossy(&files["people/bo-li/index.html"]).into_owned();
    assert!(
        page.contains("Claims by Bo Li") && page.contains("<q>We will win</q>"),
        "{page}"
    );
    assert!(files.contains_key("authors/cy-jones/index.html"));
}

/// A lead image and a figure in the preview: a new picture, a changed one and one taken
/// away each leave the served site equal to a fresh build, copies included.
#[test]
fn pictures_follow_edits_in_the_preview() {
    let text = "---\ntitle: A\ndate: 2025-01-10\nimage:\n  src: lead.jpg\n  alt: A road\n---\n![A map](/img/map.png)\n";
    let site = site(&[("content/a.md", text)]);
    let dir = site.path();
    crate::pictures::picture(dir, "content/lead.jpg", 1000, 600);
    crate::pictures::picture(dir, "static/img/map.png", 500, 500);
    let (mut ws, first) = Workspace::open(dir, Publish::default(), URL).expect("open");
    let mut files = Files::new();
    apply(&mut files, first);
    assert!(files.contains_key("2025/01/a/lead.960w.jpg"));
    assert_matches_fresh_build(dir, &files, "opened");
    crate::pictures::picture(dir, "content/lead.jpg", 2000, 600);
    let update = ws
        .rebuild(&changes(dir, [dir.join("content/lead.jpg")]))
        .expect("rebuild");
    apply(&mut files, update);
    assert!(files.contains_key("2025/01/a/lead.1600w.jpg"));
    assert_matches_fresh_build(dir, &files, "a wider lead image");
    apply(
        &mut files,
        edit(
            dir,
            &mut ws,
            "content/a.md",
            Some(&text.replace("![A map](/img/map.png)\n", "No map.\n")),
        ),
    );
    assert!(!files.contains_key("img/map.480w.png"));
    assert_matches_fresh_build(dir, &files, "the figure taken away");
}

/// The body of a GET, as bytes.
fn get_bytes(addr: &str, path: &str) -> (u16, Vec<u8>) {
    let reply = request(addr, path);
    let end = (reply.windows(4))
        .position(|w| w == b"\r\n\r\n")
        .map_or(reply.len(), |i| i + 4);
    let status = status_of(&String::from_utf8_lossy(&reply[..end]));
    (status, reply[end..].to_vec())
}

/// Waits until the served search meta file is there and differs from `before`.
fn served_meta_after(addr: &str, before: &[u8]) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = get_bytes(addr, "/search/index/meta.json");
        if status == 200 && body != before {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "the index did not follow the edit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// After each edit the preview serves the same search index as a fresh build: the index
/// it keeps in memory between edits never goes stale.
#[test]
fn the_preview_serves_the_index_of_each_edit() {
    let site = fixture("newsroom");
    let dir = site.path();
    let server = start_with(dir, 20_000 + (std::process::id() % 20_000) as u16 + 7, &[]);
    let mut meta = served_meta_after(&server.addr, b"");
    let edits: [(&str, Option<String>); 3] = [
        (
            "content/r2.md",
            Some(format!("{R2}Zebras crossed the border.\n")),
        ),
        (
            "content/fresh.md",
            Some("---\ntitle: Okapis at the talks\ndate: 2025-01-02\n---\nOkapis.\n".into()),
        ),
        ("content/fresh.md", None),
    ];
    for (rel, text) in edits {
        match &text {
            Some(text) => write(dir, rel, text),
            None => std::fs::remove_file(dir.join(rel)).expect("remove"),
        }
        meta = served_meta_after(&server.addr, &meta);
        let (_keep, clean) = clean_build(dir);
        let index = clean.join("search/index");
        for (name, bytes) in contents(&index) {
            let path = format!("/search/index/{name}");
            let (status, served) = get_bytes(&server.addr, &path);
            assert_eq!((status, served == bytes), (200, true), "{path} after {rel}");
        }
    }
}

/// Each input the site declares (`config::inputs`) reaches both a build and the running
/// preview, including folders made after the preview started (`i18n/` was once missed).
#[test]
fn every_input_reaches_the_build_and_the_preview() {
    let site = crate::support::site(&[(
        "content/a.md",
        "---\ntitle: First\ndate: 2025-01-01\n---\nText.\n",
    )]);
    let dir = site.path();
    let server = start_with(dir, 20_000 + (std::process::id() % 20_000) as u16 + 11, &[]);
    // What to write, then a page and what it must show.
    let steps: [(&str, &str, &str, &str); 8] = [
        (
            "content/b.md",
            "---\ntitle: Okapi report\ndate: 2025-01-02\n---\nOkapis.\n",
            "/",
            "Okapi report",
        ),
        (
            "static/notes.txt",
            "static okapi",
            "/notes.txt",
            "static okapi",
        ),
        (
            "templates/robots.txt",
            "# template okapi\n",
            "/robots.txt",
            "template okapi",
        ),
        (
            "i18n/en.yaml",
            "latest_briefings: Okapi first\n",
            "/",
            "Okapi first",
        ),
        // An edit of a file in a folder made while serving.
        (
            "i18n/en.yaml",
            "latest_briefings: Okapi latest\n",
            "/",
            "Okapi latest",
        ),
        (
            "templates/robots.txt",
            "# template okapis\n",
            "/robots.txt",
            "template okapis",
        ),
        (
            "themes/mine/static/theme.txt",
            "theme okapi",
            "/notes.txt",
            "static okapi",
        ),
        (
            "site.yaml",
            "title: Okapi Desk\nbase_url: https://example.org/\ntheme: mine\n",
            "/theme.txt",
            "theme okapi",
        ),
    ];
    for (rel, text, page, shows) in steps {
        write(dir, rel, text);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (status, body) = raw_get(&server.addr, page);
            if status == 200 && body.contains(shows) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the preview missed {rel}: {page} is\n{body}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let (_keep, built) = clean_build(dir);
    assert!(
        read(&built, "index.html").contains("Okapi report")
            && read(&built, "index.html").contains("Okapi latest")
    );
    assert!(read(&built, "index.html").contains("Okapi Desk"));
    assert_eq!(read(&built, "notes.txt"), "static okapi");
    assert_eq!(read(&built, "theme.txt"), "theme okapi");
    assert!(read(&built, "robots.txt").contains("template okapis"));
}

/// On every fixture, every content file edited (its body, then its title line), and a new
/// briefing added and deleted: after each step the preview equals a fresh build, so every
/// file outside an edit's candidates is checked unchanged.
#[test]
fn every_fixture_follows_each_kind_of_edit_as_a_fresh_build() {
    for name in ["basic", "newsroom", "theme-override"] {
        let site = fixture(name);
        let dir = site.path();
        let (mut ws, first) = Workspace::open(dir, Publish::default(), URL).expect("open");
        ws.verify_candidates(true);
        let mut files = Files::new();
        apply(&mut files, first);
        let sources: Vec<String> = tree(&dir.join("content"))
            .into_iter()
            .filter(|p| p.ends_with(".md"))
            .map(|p| format!("content/{p}"))
            .collect();
        assert!(!sources.is_empty(), "{name} has content");
        for rel in &sources {
            let text = read(dir, rel);
            let body = format!("{text}\nA sentence added in review.\n");
            apply(&mut files, edit(dir, &mut ws, rel, Some(&body)));
            assert_matches_fresh_build(dir, &files, &format!("{name}: a body edit of {rel}"));
            let retitled = body.replacen("title: ", "title: Edited ", 1);
            apply(&mut files, edit(dir, &mut ws, rel, Some(&retitled)));
            assert_matches_fresh_build(dir, &files, &format!("{name}: a title edit of {rel}"));
        }
        let fresh = "---\ntitle: Added in review\ndate: 2025-01-03\ntopics: [Review]\n---\nNew.\n";
        apply(
            &mut files,
            edit(dir, &mut ws, "content/added.md", Some(fresh)),
        );
        assert_matches_fresh_build(dir, &files, &format!("{name}: a new briefing"));
        apply(&mut files, edit(dir, &mut ws, "content/added.md", None));
        assert_matches_fresh_build(dir, &files, &format!("{name}: the new briefing deleted"));
    }
}
