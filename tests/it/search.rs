//! The search index as the browser reads it: a reader of its files written from the format
//! (not from brief's code), then what a build puts in it: every published briefing, oldest
//! first, its prose without box labels, stems shared by a word's forms, filters, and the
//! same bytes from the same site.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::support::{assert_has_all, build_ok, read, run, site, write};

/// One language's index in a built site.
pub struct Index {
    dir: PathBuf,
    pub meta: serde_json::Value,
}

/// A dictionary entry: a form, its stem, and the briefings having the stem with weights.
#[derive(Debug)]
pub struct Entry {
    pub form: String,
    pub stem: String,
    pub docs: Vec<u32>,
    pub weights: Vec<u8>,
    /// The postings are in a file of their own.
    pub external: bool,
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn varint(&mut self) -> u64 {
        let (mut n, mut shift) = (0u64, 0);
        loop {
            let b = self.bytes[self.at];
            self.at += 1;
            n |= u64::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                return n;
            }
        }
    }

    fn take(&mut self, n: usize) -> &[u8] {
        self.at += n;
        &self.bytes[self.at - n..self.at]
    }

    fn after_shared(&mut self, before: &[u8]) -> Vec<u8> {
        let shared = self.varint() as usize;
        let len = self.varint() as usize;
        let mut out = before[..shared].to_vec();
        out.extend_from_slice(self.take(len));
        out
    }
}

/// Numbers written as gaps, then `count` weight bytes if `weights`.
fn decode_postings(bytes: &[u8], count: usize) -> (Vec<u32>, Vec<u8>) {
    let mut r = Reader { bytes, at: 0 };
    let mut last = 0;
    let docs: Vec<u32> = (0..count)
        .map(|_| {
            last += r.varint() as u32;
            last
        })
        .collect();
    let weights = r.bytes[r.at..].to_vec();
    (docs, weights)
}

impl Index {
    pub fn open(public: &Path, home: &str) -> Index {
        let dir = public.join(home).join("search/index");
        let meta = serde_json::from_str(&read(&dir, "meta.json")).expect("meta.json");
        Index { dir, meta }
    }

    fn file(&self, name: &str) -> Vec<u8> {
        gunzip(&std::fs::read(self.dir.join(name)).expect(name))
    }

    /// Every entry of the dictionary, in order.
    pub fn entries(&self) -> Vec<Entry> {
        let chunks = self.meta["chunks"].as_array().expect("chunks").len() + 1;
        let mut all = Vec::new();
        for n in 0..chunks {
            let bytes = self.file(&format!("d/{n}.bin"));
            let mut r = Reader {
                bytes: &bytes,
                at: 0,
            };
            let count = r.varint();
            let mut previous = Vec::new();
            for _ in 0..count {
                let form = r.after_shared(&previous);
                let stem = r.after_shared(&form);
                let df = r.varint() as usize;
                let size = r.varint() as usize;
                let (postings, external) = match size {
                    0 => {
                        let len = r.varint() as usize;
                        let name = String::from_utf8(r.take(len).to_vec()).expect("utf-8");
                        (self.file(&format!("p/{name}.bin")), true)
                    }
                    _ => (r.take(size).to_vec(), false),
                };
                let (docs, weights) = decode_postings(&postings, df);
                assert_eq!(weights.len(), df, "a weight for each briefing");
                all.push(Entry {
                    form: String::from_utf8(form.clone()).expect("utf-8"),
                    stem: String::from_utf8(stem).expect("utf-8"),
                    docs,
                    weights,
                    external,
                });
                previous = form;
            }
        }
        all
    }

    pub fn lookup(&self, form: &str) -> Option<Entry> {
        self.entries().into_iter().find(|e| e.form == form)
    }

    /// The result data of briefing `id`: `u`, `t`, `d`, `x`.
    pub fn result(&self, id: u32) -> serde_json::Value {
        let per = self.meta["per_results"].as_u64().expect("per_results") as u32;
        let chunk: serde_json::Value =
            serde_json::from_slice(&self.file(&format!("r/{}.bin", id / per))).expect("json");
        chunk[(id % per) as usize].clone()
    }

    pub fn titles(&self) -> Vec<String> {
        let docs = self.meta["docs"].as_u64().expect("docs") as u32;
        (0..docs)
            .map(|id| self.result(id)["t"].as_str().unwrap_or("").to_string())
            .collect()
    }

    /// The briefings having a filter's value.
    pub fn having(&self, key: &str, value: &str) -> Vec<u32> {
        let filter = (self.meta["filters"].as_array().expect("filters").iter())
            .find(|f| f["key"] == key)
            .expect(key);
        let v = (filter["values"].as_array().expect("values").iter())
            .find(|v| v[0] == value)
            .expect(value);
        let bytes = self.file(&format!("v/{}.bin", v[2].as_str().expect("name")));
        let mut r = Reader {
            bytes: &bytes,
            at: 0,
        };
        let count = r.varint() as usize;
        decode_postings(&bytes[r.at..], count).0
    }
}

#[test]
fn every_published_briefing_oldest_first_with_its_prose() {
    let site = crate::support::fixture("newsroom");
    build_ok(site.path());
    let public = site.path().join("public");
    let index = Index::open(&public, "");
    assert_eq!(index.meta["format"], 1);
    let titles = index.titles();
    assert_eq!(titles.len(), 5, "{titles:?}");
    // Numbered oldest first: "newest first" is the reverse of the numbers.
    let dates: Vec<String> = (0..5)
        .map(|id| {
            read(
                &public,
                &format!("{}index.html", index.result(id)["u"].as_str().unwrap()),
            )
        })
        .map(|page| page.split("datetime=\"").nth(1).unwrap_or("")[..25].to_string())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    let newest = index.result(4);
    assert_eq!(newest["d"].as_str().map(|d| d.is_empty()), Some(false));
    // A word of a title: its briefing has it, marked as in the title.
    let main = titles.iter().position(|t| t == "R1 main").expect("R1 main") as u32;
    let entry = index.lookup("main").expect("main");
    let at = entry.docs.iter().position(|&d| d == main).expect("indexed");
    assert_eq!(entry.weights[at] & 0x80, 0x80, "in the title");
    assert!(index.having("topics", "Ukraine war").contains(&main));
    assert_eq!(index.having("year", "2025").len(), 3);
}

/// A briefing's result holds its prose, never the labels of its boxes or the page's words.
#[test]
fn results_hold_prose_not_box_labels() {
    let body = "---\ntitle: Truce talks\ndate: 2025-03-14\nsources:\n  - id: tass\n    name: TASS\n    url: https://example.org/t\nfacts:\n  - label: Proposal\n    value: 30-day ceasefire\ncorrections:\n  - date: 2025-03-15\n    note: Fixed a name.\n---\nEnvoys met in Riyadh[^1] and [troops are surrounded](claim:disputed \"Kyiv denies it\"), [TASS said](source:tass).\n\n```facts\n- label: Drones\n  value: 4\n```\n\n> [!NOTE]\n> Talks resume Monday.\n\n[^1]: In the Saudi capital.\n";
    let site = site(&[("content/a.md", body)]);
    build_ok(site.path());
    let index = Index::open(&site.path().join("public"), "");
    let text = index.result(0)["x"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        text,
        "Envoys met in Riyadh and troops are surrounded, TASS said. Talks resume Monday. In the Saudi capital.",
        "{text}"
    );
    for label in [
        "Key facts",
        "Proposal",
        "Drones",
        "Claims",
        "Disputed",
        "Sources",
        "Note",
        "Correction",
    ] {
        assert!(!text.contains(label), "{label} in {text}");
    }
}

#[test]
fn forms_share_their_stem_and_common_words_have_files_of_their_own() {
    let mut files = vec![];
    for i in 0..200 {
        files.push((
            format!("content/b{i}.md"),
            format!("---\ntitle: Briefing {i}\ndate: 2025-01-01T{:02}:{:02}:00Z\n---\nThe talks went on; talking helps{}.\n", i / 60, i % 60, if i == 7 { " negotiators" } else { "" }),
        ));
    }
    let site = crate::support::site_of(&files);
    build_ok(site.path());
    let index = Index::open(&site.path().join("public"), "");
    let (talks, talking) = (
        index.lookup("talks").unwrap(),
        index.lookup("talking").unwrap(),
    );
    assert_eq!(
        (talks.stem.as_str(), talking.stem.as_str()),
        ("talk", "talk")
    );
    assert_eq!(talks.docs, (0..200).collect::<Vec<u32>>());
    assert!(
        talks.external,
        "a word in every briefing has a file of its own"
    );
    let rare = index.lookup("negotiators").unwrap();
    assert!(!rare.external);
    assert_eq!(index.result(rare.docs[0])["t"], "Briefing 7");
}

/// The same site makes the same index, byte for byte, with or without the build cache.
#[test]
fn the_index_is_the_same_from_build_to_build() {
    let site = crate::support::fixture("newsroom");
    build_ok(site.path());
    let first = crate::support::contents(&site.path().join("public/search/index"));
    let again = run(site.path(), &["build", "--no-cache", "--clean"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        first,
        crate::support::contents(&site.path().join("public/search/index"))
    );
}

/// A body edit rewrites only the index files whose bytes change.
#[test]
fn a_body_edit_rewrites_only_what_changed() {
    let mut files = vec![];
    for i in 0..40 {
        files.push((
            format!("content/b{i}.md"),
            format!(
                "---\ntitle: Briefing {i}\ndate: 2025-01-{:02}\n---\nCommon words here, word{i}.\n",
                i % 28 + 1
            ),
        ));
    }
    let site = crate::support::site_of(&files);
    build_ok(site.path());
    write(
        site.path(),
        "content/b3.md",
        "---\ntitle: Briefing 3\ndate: 2025-01-04\n---\nCommon words here, and zebras.\n",
    );
    let list = site.path().join("changes.txt");
    let r = run(site.path(), &["build", "--changes", list.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let changes = std::fs::read_to_string(&list).unwrap();
    let index: Vec<&str> = changes
        .lines()
        .filter(|l| l.contains("search/index/"))
        .collect();
    assert!(
        index.iter().any(|l| l.contains("search/index/r/")),
        "{changes}"
    );
    assert!(
        index.iter().any(|l| l.contains("search/index/meta.json")),
        "{changes}"
    );
    // Its results file and the dictionary changed; the other results files did not.
    assert!(index.len() <= 4, "{changes}");
    let idx = Index::open(&site.path().join("public"), "");
    assert!(idx.lookup("zebras").is_some());
    assert!(idx.lookup("word3").is_none());
}

#[test]
fn search_page_points_at_its_languages_index() {
    let site = crate::support::fixture("newsroom");
    build_ok(site.path());
    let public = site.path().join("public");
    assert_has_all(
        &read(&public, "search/index.html"),
        &[
            "<script src=\"../search.js\" data-index=\"../search/index/\" data-root=\"../\"",
            "<span data-key=\"topics\">Topics</span><span data-key=\"people\">People</span>",
            "<span data-key=\"year\">Year</span>",
        ],
    );
    assert!(!public.join("pagefind").exists());
}

/// Forty briefings, each with a word of its own, dated over two months.
fn forty_briefings() -> tempfile::TempDir {
    let files: Vec<(String, String)> = (0..40)
        .map(|i| {
            (
                format!("content/b{i}.md"),
                format!(
                    "---\ntitle: Briefing {i}\ndate: 2025-0{}-{:02}\ntopics: [Talks]\n---\nCommon words here, word{i}.\n",
                    1 + i / 28,
                    i % 28 + 1
                ),
            )
        })
        .collect();
    crate::support::site_of(&files)
}

/// Builds with the timings shown; returns what the search index says it indexed.
fn build_counting(dir: &Path) -> String {
    let out = crate::support::brief(dir)
        .args(["build", "--timings"])
        .output()
        .expect("run brief");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // No line: the build knew no briefing changed and kept the index whole.
    let line = (stderr.lines()).find(|l| l.contains("search index:"));
    line.map_or("kept whole", |l| l.split(", ").nth(1).unwrap_or_default())
        .to_string()
}

/// Each edit indexes only the briefings it changed, and leaves the same index as a clean
/// build of the site as it is then.
#[test]
fn edits_index_only_what_changed_and_match_a_clean_build() {
    let site = forty_briefings();
    let dir = site.path();
    assert_eq!(build_counting(dir), "40 of 40 briefings indexed");
    let steps: [(&str, &dyn Fn()); 5] = [
        ("a body edit", &|| {
            write(
                dir,
                "content/b3.md",
                &read(dir, "content/b3.md").replace("word3", "zebras"),
            )
        }),
        ("a new briefing between others", &|| {
            write(
                dir,
                "content/new.md",
                "---\ntitle: Newcomer\ndate: 2025-01-05T12:00:00Z\n---\nOkapis.\n",
            )
        }),
        ("a briefing deleted", &|| {
            std::fs::remove_file(dir.join("content/b10.md")).expect("remove")
        }),
        ("a briefing made a draft", &|| {
            let text = read(dir, "content/b20.md").replace("topics:", "draft: true\ntopics:");
            write(dir, "content/b20.md", &text)
        }),
        ("nothing changed", &|| {}),
    ];
    let expected = [
        "1 of 40 briefings indexed",
        "1 of 41 briefings indexed",
        "0 of 40 briefings indexed",
        "0 of 39 briefings indexed",
        "kept whole",
    ];
    for ((what, step), expected) in steps.iter().zip(expected) {
        step();
        assert_eq!(build_counting(dir), expected, "{what}");
        let (_keep, clean) = crate::support::clean_build(dir);
        crate::support::assert_same_output(&dir.join("public"), &clean, what);
    }
    let idx = Index::open(&dir.join("public"), "");
    assert!(idx.lookup("zebras").is_some() && idx.lookup("okapis").is_some());
    assert!(idx.lookup("word3").is_none() && idx.lookup("word10").is_none());
}

/// The kept index is the output folder's: a build into another folder, or a clean build,
/// does not make the first folder keep files it does not have.
#[test]
fn another_output_folder_makes_its_own_index() {
    let site = forty_briefings();
    let dir = site.path();
    build_ok(dir);
    write(
        dir,
        "content/b3.md",
        &read(dir, "content/b3.md").replace("word3", "zebras"),
    );
    let other = tempfile::TempDir::new().expect("temp");
    let out = other.path().join("out");
    let r = run(dir, &["build", "--output", out.to_str().expect("utf-8")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    build_ok(dir);
    let (_keep, clean) = crate::support::clean_build(dir);
    crate::support::assert_same_output(&dir.join("public"), &clean, "after another folder");
    assert!(
        Index::open(&dir.join("public"), "")
            .lookup("zebras")
            .is_some()
    );
}

/// A damaged search cache (entries cut short, garbage in its state) is no cache: the next
/// build indexes every briefing again and makes the same index as a clean build.
#[test]
fn a_damaged_search_cache_is_made_again() {
    let site = forty_briefings();
    let dir = site.path();
    build_ok(dir);
    let cache = dir.join(".brief-cache/build");
    let mut damaged = 0;
    for entry in std::fs::read_dir(cache.join("search")).expect("search packs") {
        for pack in std::fs::read_dir(entry.expect("entry").path()).expect("packs") {
            let path = pack.expect("pack").path();
            let bytes = std::fs::read(&path).expect("read");
            std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("cut");
            damaged += 1;
        }
    }
    assert!(damaged > 0, "the build kept its entries in packs");
    write(
        dir,
        "content/b3.md",
        &read(dir, "content/b3.md").replace("word3", "zebras"),
    );
    assert_eq!(build_counting(dir), "40 of 40 briefings indexed");
    let (_keep, clean) = crate::support::clean_build(dir);
    crate::support::assert_same_output(&dir.join("public"), &clean, "packs cut short");
    for state in std::fs::read_dir(&cache).expect("cache").flatten() {
        if state.file_name().to_string_lossy().starts_with("search-") {
            std::fs::write(state.path(), "garbage").expect("damage");
        }
    }
    write(
        dir,
        "content/b4.md",
        &read(dir, "content/b4.md").replace("word4", "okapis"),
    );
    assert_eq!(build_counting(dir), "40 of 40 briefings indexed");
    let (_keep, clean) = crate::support::clean_build(dir);
    crate::support::assert_same_output(&dir.join("public"), &clean, "state replaced");
    assert_eq!(build_counting(dir), "kept whole");
}
