//! The day's edition as an email (`email.html`, `email.txt` beside the day page) and the
//! feed of editions (`editions.xml`).

use std::path::Path;

use crate::support::*;

const BASE: &str = "https://example.org/desk/";

fn briefing(slug: &str, time: &str, extra: &str) -> (String, String) {
    let text = format!(
        "---\ntitle: \"Headline {slug}\"\ndate: 2025-03-14T{time}:00+00:00\nsummary: \"Summary of {slug}.\"\ndateline: KYIV\nauthors: [Ann Lee]\ntopics: [Talks]\n{extra}facts:\n  - label: Troops\n    value: \"30,000 near {slug}\"\n---\nBody of {slug} with [a link](/about/).\n"
    );
    (format!("content/{slug}.md"), text)
}

fn site_with_a_day() -> tempfile::TempDir {
    let mut files = vec![
        briefing("early", "08:00", "featured: true\n"),
        briefing("noon", "12:00", ""),
        briefing("late", "18:00", ""),
    ];
    files.push((
        "content/other.md".into(),
        "---\ntitle: Another day\ndate: 2025-03-10\n---\nText.\n".into(),
    ));
    files.push((
        "content/pages/about.md".into(),
        "---\ntitle: About\n---\nUs.\n".into(),
    ));
    let site = site_of(&files);
    write(
        site.path(),
        "site.yaml",
        &format!("title: \"Desk <&>\"\nbase_url: {BASE}\n"),
    );
    build_ok(site.path());
    site
}

/// Builds `site` as "Desk" at `BASE`; returns the email of 14 March 2025.
fn build_edition(site: &Path) -> String {
    write(
        site,
        "site.yaml",
        &format!("title: Desk\nbase_url: {BASE}\n"),
    );
    build_ok(site);
    read(&site.join("public"), "2025/03/14/email.html")
}

/// What follows the first top-level `{...}` block of a stylesheet.
fn after_first_block(css: &str) -> &str {
    let mut depth = 0;
    for (i, c) in css.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 1 => return &css[i + 1..],
            '}' => depth -= 1,
            _ => {}
        }
    }
    ""
}

/// Every `href` and `src` in `html`.
fn addresses(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            found.push(part.split('"').next().unwrap_or("").to_string());
        }
    }
    found
}

/// The built file an absolute address of the site names.
fn built_file(public: &Path, url: &str) -> Option<std::path::PathBuf> {
    let path = url.strip_prefix(BASE)?.split('#').next()?;
    let file = match path.is_empty() || path.ends_with('/') {
        true => public.join(path).join("index.html"),
        false => public.join(path),
    };
    file.exists().then_some(file)
}

#[test]
fn the_days_edition_is_an_email_with_its_styles_inline_and_every_link_absolute() {
    let site = site_with_a_day();
    let public = site.path().join("public");
    let html = read(&public, "2025/03/14/email.html");
    assert!(
        html.len() < 102 * 1024,
        "{} bytes: Gmail clips past 102 KB",
        html.len()
    );
    assert!(!html.contains("<script"));
    // The one `<style>` left holds only the @media rules (dark mode) mail clients may read.
    assert_eq!(html.matches("<style").count(), 1);
    let style = html
        .split("<style>")
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .unwrap_or("");
    assert!(
        style
            .trim_start()
            .starts_with("@media (prefers-color-scheme: dark)"),
        "{style}"
    );
    assert!(
        after_first_block(style).trim().is_empty(),
        "a rule outside @media: {style}"
    );
    for class in [
        "headline\"",
        "meta\"",
        "summary\"",
        "facts\" role=\"presentation\"",
        "more\"",
        "footer\"",
        "story first\"",
    ] {
        let tag = format!("class=\"{class} style=\"");
        assert!(
            html.contains(&tag),
            "{tag} missing: every element's style is inline"
        );
    }
    assert!(html.contains("<body style=\""));
    for url in addresses(&html) {
        if url == "*|UNSUB|*" {
            continue;
        }
        assert!(url.starts_with(BASE), "{url} is not absolute");
        assert!(
            built_file(&public, &url).is_some(),
            "{url} is not a built page"
        );
    }
    // The featured briefing leads, then the rest newest first.
    let at = |s: &str| html.find(s).unwrap_or(usize::MAX);
    assert!(
        at("Headline early") < at("Headline late") && at("Headline late") < at("Headline noon")
    );
    assert!(!html.contains("Another day"));
    assert_has_all(
        &html,
        &[
            "<title>Desk &lt;&amp;&gt; — 14 March 2025</title>",
            "KYIV</span> · By Ann Lee · 1 min read</p>",
            "Summary of noon.</p>",
            ">Troops</th><td class=\"fact-value\" style=\"",
            ">30,000 near late</td>",
            &format!("<a href=\"{BASE}2025/03/late/\" style=\""),
            "<a href=\"*|UNSUB|*\" style=\"",
            "<meta name=\"color-scheme\" content=\"light dark\">",
            // The email's copy on the web is not a page for search engines.
            "<meta name=\"robots\" content=\"noindex\">",
        ],
    );
}

#[test]
fn the_text_version_holds_every_headline_and_address_within_72_columns() {
    let site = site_with_a_day();
    let text = read(&site.path().join("public"), "2025/03/14/email.txt");
    for slug in ["early", "noon", "late"] {
        assert!(text.contains(&format!("Headline {slug}\n")), "{text}");
        assert!(text.contains(&format!("{BASE}2025/03/{slug}/\n")), "{text}");
        assert!(
            text.contains(&format!("  - Troops: 30,000 near {slug}\n")),
            "{text}"
        );
    }
    assert!(text.starts_with(&format!("Desk <&> — 14 March 2025\n{BASE}2025/03/14/\n")));
    assert!(text.contains("Unsubscribe: *|UNSUB|*"));
    for line in text.lines() {
        assert!(
            line.chars().count() <= 72 || !line.trim().contains(' '),
            "{line:?}"
        );
    }
}

#[test]
fn the_feed_of_editions_has_each_day_newest_first_with_its_edition() {
    let site = site_with_a_day();
    let xml = read(&site.path().join("public"), "editions.xml");
    let doc = roxmltree::Document::parse(&xml).expect("editions.xml parses");
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 2);
    let text_of = |entry: &roxmltree::Node, tag: &str| {
        let node = entry.children().find(|n| n.has_tag_name(tag));
        node.and_then(|n| n.text()).unwrap_or("").to_string()
    };
    assert_eq!(text_of(&entries[0], "title"), "Desk <&> — 14 March 2025");
    assert_eq!(text_of(&entries[0], "id"), format!("{BASE}2025/03/14/"));
    assert_eq!(text_of(&entries[0], "updated"), "2025-03-14T18:00:00+00:00");
    let content = text_of(&entries[0], "content");
    assert!(
        content.contains(&format!(
            "<a href=\"{BASE}2025/03/early/\">Headline early</a>"
        )),
        "{content}"
    );
    assert_eq!(text_of(&entries[1], "id"), format!("{BASE}2025/03/10/"));
}

#[test]
fn an_edition_in_a_right_to_left_language_says_so_in_its_words() {
    let site = site(&[(
        "content/a.md",
        "---\ntitle: عنوان\ndate: 2025-03-14\n---\nنص.\n",
    )]);
    write(
        site.path(),
        "site.yaml",
        "title: مكتب\nbase_url: https://example.org/\nlanguage: ar\n",
    );
    build_ok(site.path());
    let html = read(&site.path().join("public"), "2025/03/14/email.html");
    assert_has_all(
        &html,
        &[
            "<html lang=\"ar\" dir=\"rtl\">",
            ">اقرأ الموجز</a>",
            ">إلغاء الاشتراك</a>",
        ],
    );
    let text = read(&site.path().join("public"), "2025/03/14/email.txt");
    assert!(
        text.contains("اقرأ الموجز: https://example.org/2025/03/a/"),
        "{text}"
    );
}

#[test]
fn a_busy_days_edition_stays_under_gmails_limit() {
    let summary =
        "A summary long enough to fill two lines of an email, as a busy desk writes them. "
            .repeat(3);
    let files: Vec<(String, String)> = (0..130)
        .map(|n| {
            let (path, text) = briefing(
                &format!("b{n:03}"),
                &format!("{:02}:{:02}", n / 60, n % 60),
                "",
            );
            (path, text.replace("Summary of", &summary))
        })
        .chain([(
            "content/pages/about.md".to_string(),
            "---\ntitle: About\n---\nUs.\n".to_string(),
        )])
        .collect();
    let site = site_of(&files);
    let html = build_edition(site.path());
    let public = site.path().join("public");
    assert!(html.len() < 102 * 1024, "{} bytes", html.len());
    assert_eq!(html.matches("class=\"story").count(), 20);
    assert_eq!(html.matches("class=\"brief\"").count(), 80);
    assert!(
        html.contains(&format!("<a href=\"{BASE}2025/03/14/\" style=\"")),
        "the rest are on the day page"
    );
    assert!(html.contains(">And 30 more briefings on the web</a>"));
    let text = read(&public, "2025/03/14/email.txt");
    assert!(text.contains(&format!(
        "And 30 more briefings on the web: {BASE}2025/03/14/"
    )));
    assert!(
        text.contains(&format!("Headline b050: {BASE}2025/03/b050/")),
        "a headline listed alone"
    );
}

#[test]
fn full_text_feeds_carry_each_whole_briefing_with_absolute_addresses() {
    let body = "---\ntitle: Talks\ndate: 2025-03-14\nsummary: Short.\npeople: [Ann Lee]\nsources:\n  - id: wire\n    name: The wire\n    url: https://example.com/wire\nfacts:\n  - label: Troops\n    value: \"30,000\"\n    source: wire\n---\nThe [whole body](/about/) says [they agreed](source:wire) and [this](claim:false?by=people:ann-lee \"No\").\n";
    let files = [
        ("content/talks.md", body),
        ("content/pages/about.md", "---\ntitle: About\n---\nUs.\n"),
    ];
    let summary_only = site(&files);
    build_ok(summary_only.path());
    let feed = read(&summary_only.path().join("public"), "atom.xml");
    assert!(
        feed.contains("<summary>Short.</summary>") && !feed.contains("<content"),
        "{feed}"
    );

    let full = site(&files);
    write(
        full.path(),
        "site.yaml",
        "title: Test\nbase_url: https://example.org/desk/\nfeeds:\n  content: full\n",
    );
    build_ok(full.path());
    for path in ["atom.xml", "people/ann-lee/atom.xml"] {
        assert!(full.path().join("public").join(path).exists(), "{path}");
    }
    let xml = read(&full.path().join("public"), "people/ann-lee/atom.xml");
    let doc = roxmltree::Document::parse(&xml).expect("the feed parses");
    let content = doc
        .descendants()
        .find(|n| n.has_tag_name("content"))
        .expect("a content element");
    assert_eq!(content.attribute("type"), Some("html"));
    let base = content.attribute(("http://www.w3.org/XML/1998/namespace", "base"));
    assert_eq!(base, Some("https://example.org/desk/2025/03/talks/"));
    let html = content.text().unwrap_or("");
    assert_has_all(
        html,
        &[
            "<a href=\"https://example.org/desk/about/\">whole body</a>",
            "<dt>Troops</dt>",
            "<q>this</q> — <a href=\"https://example.org/desk/people/ann-lee/\">Ann Lee</a> (No)",
            "<li id=\"source-1\"><a href=\"https://example.com/wire\">The wire</a></li>",
        ],
    );
}

#[test]
fn an_unknown_kind_of_feed_content_is_an_error_at_its_line() {
    let site = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-03-14\n---\nText.\n",
    )]);
    write(
        site.path(),
        "site.yaml",
        "title: Test\nbase_url: https://example.org/\nfeeds:\n  content: everything\n",
    );
    build_fails_with(
        site.path(),
        &[
            "error: `feeds.content` cannot be `everything`\n --> site.yaml:4:12",
            "help: write `content: full` for whole briefings in feeds, or `content: summary` (the default) for their summaries",
        ],
    );
}

#[test]
fn a_lead_image_in_the_edition_is_absolute_with_its_width_height_and_alt() {
    let site = site(&[(
        "content/lead.md",
        "---\ntitle: Pictured\ndate: 2025-03-14T09:00:00+00:00\nimage:\n  src: convoy.jpg\n  alt: \"A convoy <near> Kursk\"\n---\nText.\n",
    )]);
    crate::pictures::picture(site.path(), "content/convoy.jpg", 2000, 1000);
    let html = build_edition(site.path());
    let public = site.path().join("public");
    let img = html
        .split("<img ")
        .nth(1)
        .unwrap_or_else(|| panic!("no picture in {html}"));
    // The value of the picture's attribute `name`.
    let attribute = |name: &str| {
        img.split(&format!(" {name}=\""))
            .nth(1)
            .or_else(|| img.strip_prefix(&format!("{name}=\"")))
            .and_then(|s| s.split('"').next())
            .unwrap_or("")
    };
    // The mail inliner writes `<` and `>` in attribute values bare, as HTML allows.
    assert!(
        ["A convoy <near> Kursk", "A convoy &lt;near&gt; Kursk"].contains(&attribute("alt")),
        "{img}"
    );
    assert_eq!((attribute("width"), attribute("height")), ("560", "280"));
    let src = attribute("src");
    assert!(src.starts_with(BASE), "{src}");
    assert!(
        public.join(&src[BASE.len()..]).is_file(),
        "{src} is not a built file"
    );
}
