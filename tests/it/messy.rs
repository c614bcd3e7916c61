//! Messy but valid content: what files from many editors and systems look like. Each must
//! build, and the page must show what the writer meant.

use crate::support::*;

fn page(dir: &std::path::Path, slug: &str) -> String {
    let url = walkdir::WalkDir::new(dir.join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().ends_with(format!("{slug}/index.html")))
        .unwrap_or_else(|| panic!("no page for {slug}"));
    std::fs::read_to_string(url.path()).expect("read page")
}

#[test]
fn bom_crlf_tabs_trailing_spaces_and_comments() {
    let site = site(&[(
        "content/windows.md",
        "\u{feff}---  \r\n# written on Windows\r\ntitle: \"Saved with a BOM\"   # and a comment\r\ndate: 2025-01-01\r\ntopics: [Ukraine war]\t\r\n---\t \r\n\r\nFirst\tparagraph.\r\n\r\n- a\r\n- b\r\n",
    )]);
    build_ok(site.path());
    let html = page(site.path(), "windows");
    assert!(html.contains("<h1>Saved with a BOM</h1>"), "{html}");
    assert!(html.contains("First\tparagraph."));
    assert!(html.contains("<li>b</li>"));
    assert!(!html.contains('\r'), "no carriage returns in the output");
}

#[test]
fn empty_body_and_front_matter_only() {
    let site = site(&[
        (
            "content/empty.md",
            "---\ntitle: Empty\ndate: 2025-01-02\n---\n",
        ),
        ("content/bare.md", "---\ntitle: Bare\ndate: 2025-01-03\n---"),
    ]);
    build_ok(site.path());
    assert!(page(site.path(), "empty").contains("<h1>Empty</h1>"));
    assert!(page(site.path(), "bare").contains("<h1>Bare</h1>"));
}

#[test]
fn a_5_mb_briefing_and_a_1_mb_line() {
    let paragraph = "The talks went on through the night and into the next morning. ".repeat(16);
    let mut body = String::new();
    while body.len() < 5 * 1024 * 1024 {
        body.push_str(&paragraph);
        body.push_str("\n\n");
    }
    let line = "word ".repeat(1024 * 1024 / 5);
    let site = site(&[
        (
            "content/big.md",
            &format!("---\ntitle: Big\ndate: 2025-01-01\n---\n{body}END-OF-BIG\n"),
        ),
        (
            "content/long-line.md",
            &format!("---\ntitle: Long line\ndate: 2025-01-02\n---\n{line}END-OF-LINE\n"),
        ),
    ]);
    build_ok(site.path());
    assert!(page(site.path(), "big").contains("END-OF-BIG"));
    assert!(page(site.path(), "long-line").contains("END-OF-LINE"));
}

#[test]
fn ten_thousand_topics_on_one_briefing() {
    let topics: Vec<String> = (0..10_000).map(|i| format!("\"Topic {i}\"")).collect();
    let site = site(&[(
        "content/many.md",
        &format!(
            "---\ntitle: Many\ndate: 2025-01-01\ntopics: [{}]\n---\nBody.\n",
            topics.join(", ")
        ),
    )]);
    build_ok(site.path());
    assert!(
        site.path()
            .join("public/topics/topic-9999/index.html")
            .is_file()
    );
    assert!(page(site.path(), "many").contains("Topic 9999"));
}

#[test]
fn deeply_nested_lists_and_quotes() {
    let quotes = format!("{}deep quote\n", "> ".repeat(300));
    let list: String = (0..300)
        .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
        .collect();
    let site = site(&[(
        "content/nested.md",
        &format!("---\ntitle: Nested\ndate: 2025-01-01\n---\n{quotes}\n{list}"),
    )]);
    build_ok(site.path());
    let html = page(site.path(), "nested");
    assert!(html.contains("deep quote"));
    assert!(html.contains("level 299"));
}

#[test]
fn emoji_and_right_to_left_text() {
    let site = site(&[(
        "content/rtl.md",
        "---\ntitle: \"🕊️ هدنة في كييف — Truce talk\"\ndate: 2025-01-01\ntopics: [\"مفاوضات السلام\", \"🚀 Launches\"]\npeople: [\"محمد بن سلمان\"]\nsources:\n  - id: wire\n    name: \"وكالة الأنباء 📰\"\n---\nAs [reported](source:wire).\n",
    )]);
    build_ok(site.path());
    let html = page(site.path(), "rtl");
    assert!(html.contains("🕊️ هدنة في كييف — Truce talk"));
    assert!(html.contains("مفاوضات السلام"));
    assert!(html.contains("وكالة الأنباء 📰"));
    assert!(html.contains("محمد بن سلمان"));
    let home = read(site.path(), "public/index.html");
    assert!(home.contains("🕊️ هدنة في كييف"));
}

#[test]
fn files_in_deeply_nested_folders() {
    let deep = format!("content/{}deep.md", "level/".repeat(40));
    let site = site(&[(
        deep.as_str(),
        "---\ntitle: Deep\ndate: 2025-01-01\n---\nFound.\n",
    )]);
    build_ok(site.path());
    assert!(page(site.path(), "deep").contains("Found."));
}
