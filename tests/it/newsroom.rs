//! The newsroom layer: annotations, claims, citations, fact blocks, related briefings,
//! backlinks, feeds, sitemap, search index, structured data, highlighting and escaping.

use std::path::Path;

use crate::support::*;

fn built(name: &str) -> tempfile::TempDir {
    let site = fixture(name);
    build_ok(site.path());
    site
}

#[test]
fn annotations_render_as_links_citations_and_claims() {
    let site = built("newsroom");
    let html = read(site.path(), "public/2025/01/r1/index.html");
    for needle in [
        "<span class=\"attributed\">Peskov said</span><sup class=\"cite\"><a href=\"#source-1\" aria-label=\"Source 1\">[1]</a></sup>",
        "<span class=\"attributed\">staff agreed</span><sup class=\"cite\"><a href=\"#source-2\"",
        "<a href=\"../../../2025/01/r2/\">the second</a>",
        "<a href=\"../../../topics/ukraine-war/\">the war</a>",
        "<a href=\"../../../people/volodymyr-zelenskyy/\">Zelenskyy</a>",
        "<span class=\"claim claim-confirmed\" id=\"claim-1\">one<a class=\"claim-tag\" href=\"#claim-note-1\" title=\"Seen by us\"><span aria-hidden=\"true\">✓</span> Confirmed",
        "<span class=\"claim claim-disputed\" id=\"claim-2\">two",
        "<span class=\"claim claim-unverified\" id=\"claim-3\">three<a class=\"claim-tag\" href=\"#claim-note-3\"><span aria-hidden=\"true\">?</span> Unverified",
        "<span class=\"claim claim-false\" id=\"claim-4\">four",
        "<li id=\"claim-note-2\" class=\"claim-entry claim-disputed\">",
        "<a href=\"#claim-2\"><q>two</q></a><span class=\"claim-note\">Kyiv denies it</span>",
        "<dt>Troops</dt>",
        "<dd>30,000 <a class=\"cite\" href=\"#source-2\" aria-label=\"Source 2\">[2]</a> <span class=\"as-of\">(as of <time datetime=\"2025-01-09T00:00:00+00:00\">9 January 2025</time>)</span></dd>",
        "<li id=\"source-2\">General Staff</li>",
    ] {
        assert!(html.contains(needle), "missing {needle:?}");
    }
    for syntax in [
        "source:", "claim:", "story:", "topic:", "people:", "```facts", "\u{1}",
    ] {
        assert!(
            !html.contains(syntax),
            "annotation syntax {syntax:?} reached the HTML"
        );
    }
    // An entity with a profile, linked only in the body, counts as a mention.
    let z = read(site.path(), "public/people/volodymyr-zelenskyy/index.html");
    assert!(z.contains("R1 main"));
}

#[test]
fn related_briefings_are_ranked_with_reasons() {
    let site = built("newsroom");
    let html = read(site.path(), "public/2025/01/r1/index.html");
    let section = &html[html.find("related-heading").expect("related section")..];
    let section = &section[..section.find("</section>").expect("section end")];
    let items: Vec<String> = section
        .split("<li>")
        .skip(1)
        .map(|li| {
            let title = li
                .split("\">")
                .nth(1)
                .and_then(|s| s.split("</a>").next())
                .unwrap_or("");
            let reason = li
                .split(" · ")
                .nth(1)
                .and_then(|s| s.split("</span>").next())
                .unwrap_or("");
            format!("{title} | {reason}")
        })
        .collect();
    assert_eq!(
        items,
        [
            "R2 twin | Shares Kursk offensive, Vladimir Putin and Ukraine war; linked from one to the other",
            "R4 linker | Linked from one to the other",
            "R5 old | Shares Vladimir Putin and Ukraine war",
            "R3 war only | Shares Ukraine war",
        ]
    );
    let backlinks = &html[html.find("backlinks-heading").expect("backlinks")..];
    assert!(backlinks.contains("R4 linker"));
    let r4 = read(site.path(), "public/2024/12/r4/index.html");
    assert!(!r4.contains("backlinks-heading"), "nothing links to r4");
}

#[test]
fn topic_timeline_and_prev_next() {
    let site = built("newsroom");
    let topic = read(site.path(), "public/topics/ukraine-war/index.html");
    let jan = topic
        .find("<h3 class=\"month-label\">January 2025</h3>")
        .expect("month group");
    let old = topic
        .find("<h3 class=\"month-label\">January 2024</h3>")
        .expect("older month");
    assert!(jan < old);
    assert!(topic.contains("href=\"https://example.org/desk/topics/ukraine-war/atom.xml\""));
    let r2 = read(site.path(), "public/2025/01/r2/index.html");
    assert!(
        r2.contains("Previous: <a href=\"../../../2025/01/r3/\">R3 war only</a>"),
        "{r2}"
    );
    assert!(r2.contains("Next: <a href=\"../../../2025/01/r1/\">R1 main</a>"));
    let putin = read(site.path(), "public/people/vladimir-putin/index.html");
    assert!(putin.contains("Often alongside"));
    assert!(
        putin.contains("Volodymyr Zelenskyy</a> <span class=\"count\">1</span>")
            || putin
                .contains("volodymyr-zelenskyy/\">Zelenskyy</a> <span class=\"count\">1</span>"),
        "{putin}"
    );
}

fn text_of<'a>(node: roxmltree::Node<'a, 'a>, tag: &str) -> Option<&'a str> {
    node.children()
        .find(|n| n.has_tag_name(tag))
        .and_then(|n| n.text())
}

/// Checks the Atom elements a feed reader needs.
pub(crate) fn assert_valid_atom(path: &Path) -> Vec<String> {
    let xml = std::fs::read_to_string(path).expect("feed readable");
    let doc =
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let feed = doc.root_element();
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    assert_eq!(feed.tag_name().name(), "feed");
    for tag in ["id", "title", "updated"] {
        assert!(
            text_of(feed, tag).is_some_and(|t| !t.is_empty()),
            "{} lacks {tag}",
            path.display()
        );
    }
    assert!(feed.children().any(|n| n.has_tag_name("author")));
    assert!(
        feed.children()
            .any(|n| n.has_tag_name("link") && n.attribute("rel") == Some("self"))
    );
    let mut titles = Vec::new();
    for entry in feed.children().filter(|n| n.has_tag_name("entry")) {
        for tag in ["id", "title", "updated", "published", "summary"] {
            assert!(
                text_of(entry, tag).is_some(),
                "entry lacks {tag} in {}",
                path.display()
            );
        }
        let updated = text_of(entry, "updated").unwrap_or("");
        assert!(
            brief::content::Date::parse(updated).is_ok(),
            "bad date {updated}"
        );
        assert!(entry.children().any(|n| {
            n.has_tag_name("link")
                && n.attribute("href")
                    .is_some_and(|h| h.starts_with("https://example.org/"))
        }));
        titles.push(text_of(entry, "title").unwrap_or("").to_string());
    }
    assert!(titles.len() <= 20);
    titles
}

#[test]
fn every_feed_is_valid_atom() {
    let site = built("newsroom");
    let public = site.path().join("public");
    let feeds: Vec<String> = tree(&public)
        .into_iter()
        .filter(|f| f.ends_with("atom.xml"))
        .collect();
    assert_eq!(
        feeds.len(),
        1 + 1 + 3 + 2 + 1,
        "site, corrections, 3 topics, 2 people, 1 author: {feeds:?}"
    );
    for f in &feeds {
        assert_valid_atom(&public.join(f));
    }
    let titles = assert_valid_atom(&public.join("atom.xml"));
    assert_eq!(
        titles,
        ["R1 main", "R2 twin", "R3 war only", "R4 linker", "R5 old"]
    );
    let home = read(&public, "index.html");
    assert!(home.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Newsroom &lt;Fixture&gt; &amp; Co\" href=\"https://example.org/desk/atom.xml\">"));
}

#[test]
fn site_feed_keeps_the_latest_twenty() {
    let mut files = Vec::new();
    for i in 0..25 {
        files.push((
            format!("content/b{i:02}.md"),
            format!("---\ntitle: B{i:02}\ndate: 2025-01-{:02}\n---\n", i + 1),
        ));
    }
    let site = site_of(&files);
    build_ok(site.path());
    let titles = assert_valid_atom(&site.path().join("public/atom.xml"));
    assert_eq!(titles.len(), 20);
    assert_eq!(titles[0], "B24");
}

#[test]
fn sitemap_lists_every_page_and_robots_points_at_it() {
    let site = built("newsroom");
    let public = site.path().join("public");
    let xml = read(&public, "sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap parses");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.len() >= 5 + 3 + 2);
    for loc in &locs {
        let rel = loc
            .strip_prefix("https://example.org/desk/")
            .expect("under base_url");
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        assert!(public.join(&file).is_file(), "{loc} has no file");
    }
    let lastmods = doc
        .descendants()
        .filter(|n| n.has_tag_name("lastmod"))
        .count();
    assert_eq!(lastmods, locs.len());
    assert!(read(&public, "robots.txt").contains("Sitemap: https://example.org/desk/sitemap.xml"));
}

/// `search: false` leaves out the index, the search page and its link.
#[test]
fn a_site_may_turn_search_off() {
    let site = crate::support::site(&[(
        "content/a.md",
        "---\ntitle: Published\ndate: 2025-03-01\n---\nText.\n",
    )]);
    write(
        site.path(),
        "site.yaml",
        "title: T\nbase_url: https://example.org/\nsearch: false\n",
    );
    build_ok(site.path());
    let public = site.path().join("public");
    assert!(!public.join("search").exists());
    assert!(!read(&public, "index.html").contains("search/"));
}

/// Drafts and scheduled briefings, published for a preview build, never enter the index.
#[test]
fn drafts_and_scheduled_briefings_stay_out_of_the_search_index() {
    let site = crate::support::site(&[
        (
            "content/a.md",
            "---\ntitle: Published\ndate: 2025-03-01\n---\nText.\n",
        ),
        (
            "content/b.md",
            "---\ntitle: Draft\ndate: 2025-03-02\ndraft: true\n---\nText.\n",
        ),
        (
            "content/c.md",
            "---\ntitle: Later\ndate: 2099-03-02\n---\nText.\n",
        ),
    ]);
    let r = run(site.path(), &["build", "--drafts", "--future"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let public = site.path().join("public");
    assert!(read(&public, "2025/03/b/index.html").contains("Draft"));
    let index = crate::search::Index::open(&public, "");
    assert_eq!(index.titles(), ["Published"]);
}

#[test]
fn news_article_json_ld() {
    let site = built("newsroom");
    let html = read(site.path(), "public/2025/01/r1/index.html");
    let ld = &json_ld(&html)[0];
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["headline"], "R1 main");
    assert_eq!(ld["description"], "The main briefing.");
    assert_eq!(ld["datePublished"], "2025-01-10T00:00:00+00:00");
    assert_eq!(ld["dateModified"], "2025-01-11T00:00:00+00:00");
    assert_eq!(ld["author"][0]["name"], "Ann");
    assert_eq!(ld["publisher"]["name"], "Newsroom <Fixture> & Co");
    assert_eq!(
        ld["keywords"],
        serde_json::json!(["Ukraine war", "Kursk offensive"])
    );
    assert_eq!(
        ld["mainEntityOfPage"]["@id"],
        "https://example.org/desk/2025/01/r1/"
    );
    assert_eq!(ld["correction"][0]["@type"], "CorrectionComment");
    assert_eq!(ld["correction"][0]["text"], "Fixed the day.");
}

#[test]
fn code_is_highlighted_and_the_stylesheet_written_once() {
    let site = built("newsroom");
    let public = site.path().join("public");
    let html = read(&public, "2025/01/r1/index.html");
    assert!(html.contains("<pre class=\"highlight\"><code class=\"language-rust\">"));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"../../../highlight.css\">"));
    assert!(read(&public, "highlight.css").contains(".hl-"));
    assert!(!read(&public, "2025/01/r2/index.html").contains("highlight.css"));

    let plain = crate::support::site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-01-01\n---\nNo code.\n",
    )]);
    build_ok(plain.path());
    assert!(!plain.path().join("public/highlight.css").exists());
}

const HOSTILE: &str = "</script><script>alert(1)</script> \"x\" & <b>";

#[test]
fn hostile_text_is_escaped_in_html_json_ld_and_xml() {
    let yaml_title = HOSTILE.replace('"', "\\\"");
    let text = format!(
        "---\ntitle: \"{yaml_title}\"\ndate: 2025-01-01\nsummary: \"{yaml_title}\"\ntopics: [\"{yaml_title}\"]\npeople: [\"{yaml_title}\"]\nsources:\n  - id: s\n    name: \"{yaml_title}\"\n    url: https://e.org/?a=1&b=2\ncorrections:\n  - date: 2025-01-02\n    note: \"{yaml_title}\"\n---\n[claim](claim:disputed \"{}\") [cite](source:s)\n",
        HOSTILE.replace('"', "&quot;")
    );
    let site = site(&[("content/evil.md", &text)]);
    build_ok(site.path());
    let public = site.path().join("public");
    for file in tree(&public) {
        if !(file.ends_with(".html") || file.ends_with(".xml") || file.ends_with(".json")) {
            continue;
        }
        let body = read(&public, &file);
        assert!(!body.contains("<script>alert(1)"), "raw script in {file}");
        assert!(!body.contains("<b>"), "raw <b> in {file}");
    }
    let html = read(&public, "2025/01/evil/index.html");
    assert!(
        html.contains(
            "<h1>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; “x” &amp; &lt;b&gt;</h1>"
        ),
        "{html}"
    );
    // Front-matter text gets the body's curly quotes; everything else stays as written.
    let shown = HOSTILE.replace("\"x\"", "“x”");
    let ld = &json_ld(&html)[0];
    assert_eq!(ld["headline"], shown.as_str());
    assert_eq!(ld["correction"][0]["text"], shown.as_str());
    let feed = read(&public, "atom.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed parses");
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("entry"))
        .and_then(|e| text_of(e, "title"));
    assert_eq!(title, Some(shown.as_str()));
}

/// Every fact box is a landmark with a name of its own: the key facts by that name, boxes
/// in the body numbered when there are several (axe's `landmark-unique`).
#[test]
fn every_fact_box_has_a_name_of_its_own() {
    let site = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-01-01\nfacts:\n  - label: Troops\n    value: \"1\"\n---\nText.\n\n```facts\n- label: Drones\n  value: \"2\"\n```\n\nMore.\n\n```facts\n- label: Shells\n  value: \"3\"\n```\n",
    )]);
    build_ok(site.path());
    let html = read(site.path(), "public/2025/01/a/index.html");
    let labels: Vec<&str> = html
        .split("<aside class=\"factbox\" aria-label=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(labels, ["Key facts", "Fact box 1", "Fact box 2"], "{html}");
}
