//! The build cache in `.brief-cache/build/`: a build reuses what the previous one kept
//! (each content file's converted value and body, and the site's shapes), and the result
//! is always what a build without it makes. A damaged, stale or foreign cache is ignored.

use std::path::Path;

use crate::edits::{Rng, every_kind_start, random_edit};
use crate::support::*;

/// A build in this process, for its report: into `output`, reusing the build cache unless
/// `fresh` (then it neither reads nor keeps it, and writes every file).
fn build_into(dir: &Path, output: &Path, fresh: bool) -> Result<brief::BuildReport, String> {
    let options = brief::BuildOptions {
        root: dir.to_path_buf(),
        output: Some(output.to_path_buf()),
        write: true,
        clean: fresh,
        no_cache: fresh,
        ..Default::default()
    };
    brief::build_site(&options).map_err(|d| d.render(false))
}

/// Random edits of every kind, each followed by a build that reuses what the previous build
/// kept: briefings edited, added and removed; drafts and scheduled ones; topics and people
/// re-spelt; profiles with aliases, topic intros, author profiles and pages coming and
/// going; site.yaml; a template; a static file. After each, the output equals a build that
/// reuses nothing, byte for byte.
#[test]
fn builds_reusing_the_cache_after_random_edits_match_fresh_builds() {
    const SEED: u64 = 0x0b5e_55ed_cafe_2026;
    let mut rng = Rng(SEED);
    let site = site_of(&every_kind_start(&mut rng));
    let dir = site.path();
    let public = dir.join("public");
    let fresh_dir = tempfile::TempDir::new().expect("temp");
    let fresh = fresh_dir.path().join("fresh");
    build_into(dir, &public, false).expect("first build");
    let mut reusing = 0;
    for step in 0..80 {
        let (rel, text) = random_edit(dir, &mut rng);
        let at = format!("seed {SEED:#x}, step {step}: {rel} <- {text:?}");
        match &text {
            Some(text) => write(dir, &rel, text),
            None => std::fs::remove_file(dir.join(&rel)).expect("remove"),
        }
        let built = build_into(dir, &public, false);
        let expected = build_into(dir, &fresh, true);
        match (built, expected) {
            (Ok(built), Ok(_)) => {
                reusing += usize::from(built.written.reused > 0);
                assert_same_output(&public, &fresh, &at);
            }
            (Err(built), Err(expected)) => assert_eq!(built, expected, "{at}"),
            (built, expected) => panic!("{at}: {built:?} but {expected:?} without the cache"),
        }
    }
    assert!(reusing > 40, "only {reusing} of 80 builds reused files");
}

#[test]
fn a_build_with_nothing_changed_makes_only_the_files_made_every_time() {
    let site = fixture("basic");
    let dir = site.path();
    let public = dir.join("public");
    let first = build_into(dir, &public, false).expect("build");
    assert_eq!(first.written.reused, 0);
    let again = build_into(dir, &public, false).expect("build");
    // Pages, the site feed, the 404 page, robots.txt, the news sitemap, the theme's files
    // and the search page are compared every time; every other file is reused.
    assert!(
        again.written.changed.is_empty(),
        "{:?}",
        again.written.changed
    );
    assert!(
        again.written.reused * 2 > again.files,
        "{} of {} reused",
        again.written.reused,
        again.files
    );
}

/// The cache entry damaged in several ways, or made for another output folder: the build
/// ignores it, makes every file, and still writes only what changed.
#[test]
fn a_damaged_or_foreign_build_cache_is_ignored() {
    let site = fixture("basic");
    let dir = site.path();
    let public = dir.join("public");
    build_into(dir, &public, false).expect("build");
    let entry = dir.join(".brief-cache/build/shapes");
    let whole = std::fs::read(&entry).expect("the cache entry");
    let header_end = whole.iter().position(|&b| b == b'\n').expect("header");
    let mut flipped = whole.clone();
    flipped[header_end + 10] ^= 0x20;
    let mut garbage = whole[..header_end + 1].to_vec();
    garbage.extend(std::iter::repeat_n(b'x', whole.len() - header_end - 1));
    let damaged: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", whole[..whole.len() / 2].to_vec()),
        ("a byte changed", flipped),
        ("empty", Vec::new()),
        ("the header alone", whole[..header_end + 1].to_vec()),
        ("garbage under a whole header", garbage),
        (
            "another version",
            String::from_utf8_lossy(&whole)
                .replacen("brief-cache 1", "brief-cache 0", 1)
                .into_bytes(),
        ),
    ];
    for (how, bytes) in damaged {
        std::fs::write(&entry, &bytes).expect("damage");
        let file = "content/news/2025/beta.md";
        let text = read(dir, file);
        write(dir, file, &format!("{text}\nOne more line: {how}.\n"));
        let built = build_into(dir, &public, false).expect(how);
        // The search index keeps what it can of its own (see `search_index_is_incremental`).
        let index = files_under(&public.join("search/index"));
        assert!(
            built.written.reused <= index,
            "{how}: nothing else is reused"
        );
        let (_keep, clean) = clean_build(dir);
        assert_same_output(&public, &clean, how);
        // The build made the entry whole again.
        let again = build_into(dir, &public, false).expect(how);
        assert!(again.written.reused > 0, "{how}: the next build reuses");
    }
    // Another output folder's build replaces the entry: the first folder renders all.
    let other = tempfile::TempDir::new().expect("temp");
    build_into(dir, &other.path().join("out"), false).expect("build");
    let built = build_into(dir, &public, false).expect("build");
    assert_eq!(built.written.reused, 0, "the entries were another folder's");
    assert!(built.written.changed.is_empty());
}

#[test]
fn no_cache_neither_reads_nor_keeps_the_cache() {
    let site = fixture("basic");
    let dir = site.path();
    let r = run(dir, &["build", "--no-cache"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!dir.join(".brief-cache/build").exists());
    build_into(dir, &dir.join("public"), false).expect("build");
    assert!(dir.join(".brief-cache/build/shapes").is_file());
    let again = build_into(dir, &dir.join("public"), false).expect("build");
    assert!(again.written.reused > 0);
}

/// The output is the previous build's only as far as its marker says: a file tampered
/// with after it is made again even though the build knows it did not change.
#[test]
fn a_reused_file_changed_behind_the_builds_back_is_made_again() {
    let site = fixture("basic");
    let dir = site.path();
    let public = dir.join("public");
    build_into(dir, &public, false).expect("build");
    write(&public, "2025/03/14/alpha/index.html", "tampered");
    std::fs::remove_file(public.join("topics/index.html")).expect("remove");
    let built = build_into(dir, &public, false).expect("build");
    assert!(built.written.reused > 0);
    let mut changed = built.written.changed.clone();
    changed.sort();
    assert_eq!(
        changed,
        ["2025/03/14/alpha/index.html", "topics/index.html"],
        "only the damaged files"
    );
    let (_keep, clean) = clean_build(dir);
    assert_same_output(&public, &clean, "after repair");
}

/// One entry in a pack of the content cache: the pack, and where the entry's bytes are.
struct Record {
    pack: std::path::PathBuf,
    range: std::ops::Range<usize>,
}

/// The packs of the content cache, by path inside the site, with their sizes.
fn packs(dir: &Path) -> Vec<(String, u64)> {
    let folder = dir.join(".brief-cache/build/content");
    (tree(&folder).into_iter())
        .map(|f| {
            let size = std::fs::metadata(folder.join(&f)).expect("stat").len();
            (f, size)
        })
        .collect()
}

/// Every entry in the content cache's packs, in order. A pack lays its entries out one
/// after the other: a header line whose fifth field is the length of the bytes that
/// follow it.
fn content_records(dir: &Path) -> Vec<Record> {
    let folder = dir.join(".brief-cache/build/content");
    let mut records = Vec::new();
    for (name, _) in packs(dir) {
        let pack = folder.join(name);
        let bytes = std::fs::read(&pack).expect("pack");
        let mut at = 0;
        while at < bytes.len() {
            let newline = at
                + bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .expect("header");
            let header = std::str::from_utf8(&bytes[at..newline]).expect("text");
            let len: usize = (header.split(' ').nth(4))
                .and_then(|l| l.parse().ok())
                .expect("length");
            let end = newline + 1 + len;
            records.push(Record {
                pack: pack.clone(),
                range: at..end,
            });
            at = end;
        }
    }
    records
}

/// Changes the bytes of `record` to `bytes`, keeping its pack's modification time when
/// `keep_time`, as a damage the pack's size and time cannot show.
fn damage(record: &Record, bytes: &[u8], keep_time: bool) {
    let meta = std::fs::metadata(&record.pack).expect("stat");
    let mut all = std::fs::read(&record.pack).expect("read");
    all.splice(record.range.clone(), bytes.iter().copied());
    std::fs::write(&record.pack, &all).expect("write");
    if keep_time {
        set_time(&record.pack, meta.modified().expect("mtime"));
    }
}

/// Each content file's entries damaged in one way after another (a build repairing them
/// between rounds): the build ignores them, converts the files again, and makes what a
/// build without the cache makes. Bodies and entries take turns; entries are damaged a
/// second time with their pack's size and time kept, which only their checksum shows.
/// Then the cache is whole again: the next build converts nothing.
#[test]
fn damaged_content_entries_are_ignored_and_made_again() {
    let site = fixture("basic");
    let dir = site.path();
    let public = dir.join("public");
    build_into(dir, &public, false).expect("build");
    let records = content_records(dir).len();
    assert!(records >= 12, "{records} entries");
    type Damage = fn(&[u8]) -> Option<Vec<u8>>;
    let damages: [(&str, Damage); 6] = [
        ("truncated", |b| Some(b[..b.len() / 2].to_vec())),
        ("empty", |_| Some(Vec::new())),
        ("deleted", |_| None),
        ("a byte changed", |b| {
            let mut b = b.to_vec();
            let last = b.len() - 2;
            b[last] ^= 0x01;
            Some(b)
        }),
        ("garbage", |b| Some(vec![b'{'; b.len()])),
        ("another version", |b| {
            // The digit after `brief-cache `, at the start of every record, is the format.
            let mut b = b.to_vec();
            let at = "brief-cache ".len();
            b[at] = if b[at] == b'0' { b'9' } else { b'0' };
            Some(b)
        }),
    ];
    // Damages that keep the size are made a third time with the pack's time kept.
    let keeps_size = |damage: &Damage| damage(b"brief-cache 1 x").is_some_and(|b| b.len() == 15);
    let rounds = (damages.iter())
        .flat_map(|d| [(d, false, 0), (d, false, 1), (d, true, 1)])
        .filter(|((_, damage), keep_time, _)| !keep_time || keeps_size(damage));
    for ((how, damage), keep_time, turn) in rounds {
        let round = format!("{how}, time kept: {keep_time}, turn {turn}");
        // Bodies (turn 0), then entries: each file's body and entry lie side by side.
        // The last records are damaged first, so the others stay where they are.
        for record in content_records(dir).iter().skip(turn).step_by(2).rev() {
            let Ok(bytes) = std::fs::read(&record.pack) else {
                continue; // deleted already
            };
            match damage(&bytes[record.range.clone()]) {
                Some(b) => self::damage(record, &b, keep_time),
                None => std::fs::remove_file(&record.pack).expect("delete"),
            }
        }
        build_into(dir, &public, false).expect(&round);
        let (_keep, clean) = clean_build(dir);
        assert_same_output(&public, &clean, &round);
        let repaired = packs(dir);
        build_into(dir, &public, false).expect(&round);
        assert_eq!(
            packs(dir),
            repaired,
            "{round}: whole again, nothing converted"
        );
    }
}

/// A body damaged without its pack's size or time changing is caught by its checksum when
/// a page reads it: the build fails and says so, never publishing a wrong page, and the
/// next build converts the files again.
#[test]
fn a_body_damaged_in_place_fails_the_build_once() {
    let site = fixture("basic");
    let dir = site.path();
    let public = dir.join("public");
    build_into(dir, &public, false).expect("build");
    let before = contents(&public);
    // The cache is reused only by a build that renders the body: an edit of its file's
    // neighbours leaves it cached, and a changed template renders every page.
    for record in content_records(dir).iter().step_by(2) {
        let bytes = std::fs::read(&record.pack).expect("pack");
        let mut body = bytes[record.range.clone()].to_vec();
        let last = body.len() - 2;
        body[last] ^= 0x01;
        damage(record, &body, true);
    }
    write(
        dir,
        "templates/partials/footer.html",
        "<footer>New footer</footer>\n",
    );
    let err = build_into(dir, &public, false).expect_err("damaged bodies");
    assert!(
        err.contains("error: a body kept in the build cache was changed or damaged"),
        "{err}"
    );
    assert!(
        err.contains("build again: the damaged entry was removed and will be made anew"),
        "{err}"
    );
    assert_eq!(contents(&public), before, "the output is untouched");
    build_into(dir, &public, false).expect("the next build");
    let (_keep, clean) = clean_build(dir);
    assert_same_output(&public, &clean, "after the damaged bodies");
}

/// A picture replaced under a briefing whose file did not change: its entry is stale (the
/// picture's size is part of the page), and the page shows the new size.
#[test]
fn a_picture_replaced_under_a_cached_briefing_is_read_again() {
    let lead = "---\ntitle: Pictured\ndate: 2025-03-14\nimage:\n  src: convoy.jpg\n  alt: A convoy\ntopics: [Energy]\n---\nText.\n\n![The map](/img/map.png)\n";
    let site = site(&[("content/2025/lead.md", lead)]);
    let dir = site.path();
    crate::pictures::picture(dir, "content/2025/convoy.jpg", 2000, 1000);
    crate::pictures::picture(dir, "static/img/map.png", 1000, 500);
    let public = dir.join("public");
    build_into(dir, &public, false).expect("build");
    crate::pictures::picture(dir, "content/2025/convoy.jpg", 1200, 900);
    crate::pictures::picture(dir, "static/img/map.png", 640, 640);
    build_into(dir, &public, false).expect("build");
    let page = read(&public, "2025/03/lead/index.html");
    assert!(page.contains("width=\"1200\" height=\"900\""), "{page}");
    assert!(page.contains("width=\"640\" height=\"640\""), "{page}");
    let (_keep, clean) = clean_build(dir);
    assert_same_output(&public, &clean, "after the pictures changed");
}

/// Another build holding the cache: this one loads without it, and is still right.
#[test]
fn a_build_while_another_holds_the_cache_goes_without_it() {
    let site = fixture("basic");
    let dir = site.path();
    let public = dir.join("public");
    std::fs::create_dir_all(dir.join(".brief-cache/build")).expect("mkdir");
    let lock = std::fs::File::create(dir.join(".brief-cache/build/content.lock")).expect("lock");
    lock.lock().expect("hold the lock");
    build_into(dir, &public, false).expect("build");
    assert!(content_records(dir).is_empty(), "nothing kept meanwhile");
    drop(lock);
    build_into(dir, &public, false).expect("build");
    assert!(!content_records(dir).is_empty());
    let (_keep, clean) = clean_build(dir);
    assert_same_output(&public, &clean, "after both builds");
}

/// Entries no file uses any more do not pile up. One file edited again and again adds a
/// small pack each time; past eight packs, all but the largest are merged, leaving out
/// the old versions. A pack no entry is in any more is removed at once.
#[test]
fn entries_no_file_uses_are_dropped_when_packs_are_merged() {
    let site = fixture("basic");
    let dir = site.path();
    let public = dir.join("public");
    build_into(dir, &public, false).expect("build");
    let records = content_records(dir).len();
    let file = "content/news/2025/beta.md";
    let text = read(dir, file);
    for edit in 1..=20 {
        write(dir, file, &format!("{text}\nEdit {edit}.\n"));
        build_into(dir, &public, false).expect("build");
        let count = packs(dir).len();
        assert!(count <= 9, "edit {edit}: {count} packs");
        let now = content_records(dir).len();
        assert!(now <= records + 2 * 9, "edit {edit}: {now} entries");
    }
    // Every file edited: the first pack holds only old versions, and goes.
    for rel in tree(&dir.join("content")) {
        let rel = format!("content/{rel}");
        let text = read(dir, &rel);
        write(dir, &rel, &format!("{text}\n"));
    }
    build_into(dir, &public, false).expect("build");
    assert_eq!(content_records(dir).len(), records);
    let (_keep, clean) = clean_build(dir);
    assert_same_output(&public, &clean, "after the edits");
}

/// Sets a file's modification time.
fn set_time(path: &Path, time: std::time::SystemTime) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    file.set_modified(time).expect("set the time");
}

/// A file is read again when its size or time differ from the last build's; and when it
/// changed less than two seconds before that build's index was written, even with the
/// same size and time (an edit within the file system's clock tick).
#[test]
fn an_edited_file_is_read_again_whatever_its_size_and_time() {
    let site = fixture("basic");
    let dir = site.path();
    let public = dir.join("public");
    let file = dir.join("content/news/2025/beta.md");
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    set_time(&file, hour_ago);
    build_into(dir, &public, false).expect("build");
    let page = "2025/03/10/beta/index.html";
    let text = read(dir, "content/news/2025/beta.md");
    // Longer, with its old time.
    std::fs::write(&file, format!("{text}\nA longer ending.\n")).expect("edit");
    set_time(&file, hour_ago);
    build_into(dir, &public, false).expect("build");
    assert!(read(&public, page).contains("A longer ending."));
    // As long, with a new time.
    std::fs::write(&file, format!("{text}\nA changed ending.\n")).expect("edit");
    build_into(dir, &public, false).expect("build");
    assert!(read(&public, page).contains("A changed ending."));
    // As long and with the same time as when the last build read it: that was moments
    // before the index was written, so it is read again.
    let time = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .expect("time");
    std::fs::write(&file, format!("{text}\nA shifted ending.\n")).expect("edit");
    set_time(&file, time);
    build_into(dir, &public, false).expect("build");
    assert!(read(&public, page).contains("A shifted ending."));
    let (_keep, clean) = clean_build(dir);
    assert_same_output(&public, &clean, "after the edits");
}

/// Related lists kept in the cache are used only while what they are computed from is the
/// same: a topic re-spelt in the newest briefing renames the reason its neighbour gives.
#[test]
fn kept_related_lists_follow_a_respelt_topic() {
    let newest = "---\ntitle: Newest\ndate: 2025-03-02\ntopics: [Drones, Grain]\n---\nBody.\n";
    let older = "---\ntitle: Older\ndate: 2025-03-01\ntopics: [Drones, Grain]\n---\nBody.\n";
    let site = site(&[("content/newest.md", newest), ("content/older.md", older)]);
    let dir = site.path();
    let public = dir.join("public");
    build_into(dir, &public, false).expect("build");
    let page = "2025/03/older/index.html";
    assert!(
        read(&public, page).contains("Drones and Grain"),
        "{}",
        read(&public, page)
    );
    write(
        dir,
        "content/newest.md",
        &newest.replace("Drones", "DRONES"),
    );
    build_into(dir, &public, false).expect("build");
    assert!(
        read(&public, page).contains("DRONES and Grain"),
        "{}",
        read(&public, page)
    );
    let (_keep, clean) = clean_build(dir);
    assert_same_output(&public, &clean, "after the topic was re-spelt");
}

/// How many files there are under `dir`.
fn files_under(dir: &std::path::Path) -> usize {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return 0;
    };
    (listing.flatten())
        .map(|e| match e.path().is_dir() {
            true => files_under(&e.path()),
            false => 1,
        })
        .sum()
}

/// The content cache is keyed by what converting a file reads of site.yaml: a new
/// `paginate` or title converts nothing again; a new language converts every file.
#[test]
fn only_what_conversion_reads_of_site_yaml_converts_files_again() {
    let site = fixture("newsroom");
    let dir = site.path();
    let public = dir.join("public");
    build_into(dir, &public, false).expect("first");
    let converted = packs(dir);
    let config = read(dir, "site.yaml");
    write(dir, "site.yaml", &format!("{config}paginate: 3\n"));
    build_into(dir, &public, false).expect("paginate");
    let title = config.replace("title: \"Newsroom <Fixture> & Co\"", "title: Renamed");
    assert_ne!(title, config);
    write(dir, "site.yaml", &format!("{title}paginate: 3\n"));
    build_into(dir, &public, false).expect("title");
    assert_eq!(packs(dir), converted, "nothing converted again");
    write(dir, "site.yaml", &format!("{title}languages: [en, uk]\n"));
    build_into(dir, &public, false).expect("languages");
    assert_ne!(packs(dir), converted, "every file converted again");
}
