//! Building fixture sites and checking the pages, links and output tree.

use crate::support::*;

#[test]
fn basic_site_output_tree() {
    let site = fixture("basic");
    let r = build_ok(site.path());
    assert!(
        r.stdout
            .starts_with("built 3 briefings, 2 topics, 4 entities -> "),
        "{}",
        r.stdout
    );
    let files = tree(&site.path().join("public"));
    let expected = [
        ".brief-output",
        "2025/01/05/email.html",
        "2025/01/05/email.txt",
        "2025/01/05/gamma-custom/index.html",
        "2025/01/05/index.html",
        "2025/01/index.html",
        "2025/03/10/beta/index.html",
        "2025/03/10/email.html",
        "2025/03/10/email.txt",
        "2025/03/10/index.html",
        "2025/03/14/alpha/index.html",
        "2025/03/14/email.html",
        "2025/03/14/email.txt",
        "2025/03/14/index.html",
        "2025/03/index.html",
        "2025/index.html",
        "2025/page/2/index.html",
        "404.html",
        "about/index.html",
        "atom.xml",
        "authors/ann-writer/atom.xml",
        "authors/ann-writer/index.html",
        "authors/bo-editor/atom.xml",
        "authors/bo-editor/index.html",
        "authors/index.html",
        "claims/confirmed/index.html",
        "claims/disputed/index.html",
        "claims/false/index.html",
        "claims/index.html",
        "claims/unverified/index.html",
        "corrections/atom.xml",
        "corrections/index.html",
        "editions.xml",
        "favicon.svg",
        "img/logo.gif",
        "index.html",
        "news-sitemap.xml",
        "orgs/index.html",
        "orgs/kremlin/atom.xml",
        "orgs/kremlin/index.html",
        "page/2/index.html",
        "people/index.html",
        "people/steve-witkoff/atom.xml",
        "people/steve-witkoff/index.html",
        "people/vladimir-putin/atom.xml",
        "people/vladimir-putin/index.html",
        "places/index.html",
        "places/kyiv/atom.xml",
        "places/kyiv/index.html",
        "robots.txt",
        "search.js",
        "search/index.html",
        "search/index/d/0.bin",
        "search/index/f/0.bin",
        "search/index/meta.json",
        "search/index/r/0.bin",
        "sitemap.xml",
        "style.css",
        "topics/ceasefire-talks/atom.xml",
        "topics/ceasefire-talks/index.html",
        "topics/index.html",
        "topics/ukraine-war/atom.xml",
        "topics/ukraine-war/index.html",
        "topics/ukraine-war/page/2/index.html",
    ];
    // The search index's lists of each filter value are named by a hash of the value.
    let files: Vec<&str> = (files.iter().map(String::as_str))
        .filter(|f| !f.starts_with("search/index/v/"))
        .collect();
    assert_eq!(files, expected);
}

#[test]
fn briefing_page_shows_everything_escaped() {
    let site = fixture("basic");
    build_ok(site.path());
    let html = read(site.path(), "public/2025/03/14/alpha/index.html");
    for needle in [
        "<html lang=\"en-GB\" dir=\"ltr\">",
        "<title>Alpha &amp; &lt;Omega&gt; — Fixture Desk</title>",
        "<h1>Alpha &amp; &lt;Omega&gt;</h1>",
        "<link rel=\"canonical\" href=\"https://example.org/briefs/2025/03/14/alpha/\">",
        "<link rel=\"stylesheet\" href=\"../../../../style.css\">",
        "<span class=\"dateline\">KYIV</span>",
        "By <a class=\"author\" href=\"../../../../authors/ann-writer/\">Ann Writer</a> and <a class=\"author\" href=\"../../../../authors/bo-editor/\">Bo Editor</a>",
        // The date as written, in its own offset (it is still the 13th in UTC).
        "<time datetime=\"2025-03-14T00:30:00+03:00\">14 March 2025, 00:30 (UTC+3)</time>",
        // The newest correction is the modified date.
        "Updated <time datetime=\"2025-03-16T00:00:00+00:00\">",
        "16 March 2025</time>: Fixed a date.",
        "<dt>Proposal</dt>",
        "30-day ceasefire <a class=\"cite\" href=\"#source-1\"",
        "<li id=\"source-1\"><a href=\"https://example.org/peskov\">Dmitry Peskov</a></li>",
        // A topic with an intro is shown by the intro's title, as on its own page.
        "<a href=\"../../../../topics/ukraine-war/\">The war in Ukraine</a>",
        // The alias "Putin" links to the profile's canonical slug, by the profile's name.
        "<a href=\"../../../../people/vladimir-putin/\">Vladimir Putin</a>",
        "<a href=\"../../../../places/kyiv/\">Київ</a>",
        "<h2 id=\"background\">Background</h2>",
        "<h2 id=\"background-1\">Background</h2>",
        "<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">Warning</p>",
        "<span class=\"raw\">raw html</span>",
        "<table>",
        "Related briefings",
        "<a href=\"../../../../2025/03/10/beta/\">Beta</a>",
    ] {
        assert!(html.contains(needle), "missing {needle:?} in:\n{html}");
    }
    assert!(!html.contains("<Omega>"), "unescaped title");
}

#[test]
fn home_is_paginated_newest_first() {
    let site = fixture("basic");
    build_ok(site.path());
    let home = read(site.path(), "public/index.html");
    let alpha = home.find("Alpha &amp;").expect("alpha on page 1");
    let beta = home.find(">Beta<").expect("beta on page 1");
    assert!(alpha < beta, "newest first");
    assert!(!home.contains(">Gamma<"), "gamma is on page 2");
    assert!(home.contains("href=\"./page/2/\">Older →</a>"), "{home}");
    assert!(home.contains("Page 1 of 2"));
    let page2 = read(site.path(), "public/page/2/index.html");
    assert!(page2.contains(">Gamma<"));
    assert!(page2.contains("href=\"../../\">← Newer</a>"), "{page2}");
    assert!(home.contains("Most active topics"));
}

#[test]
fn drafts_and_editor_files_are_skipped_unless_asked() {
    let site = fixture("basic");
    build_ok(site.path());
    let all = tree(&site.path().join("public")).join("\n");
    assert!(!all.contains("draft"), "{all}");
    assert!(!all.contains("secret-topic"));
    assert!(!all.contains("ignored"));

    let r = run(site.path(), &["build", "--drafts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        site.path()
            .join("public/2025/04/01/draft/index.html")
            .is_file()
    );
    assert!(
        site.path()
            .join("public/topics/secret-topic/index.html")
            .is_file()
    );
}

#[test]
fn topic_and_entity_pages() {
    let site = fixture("basic");
    build_ok(site.path());
    let topic = read(site.path(), "public/topics/ukraine-war/index.html");
    assert!(
        topic.contains("<h1>The war in Ukraine</h1>"),
        "intro title wins"
    );
    assert!(topic.contains("Intro <strong>text</strong> for the topic."));
    assert!(topic.contains("3 briefings, newest first"));
    assert!(topic.contains("Page 1 of 2"));
    let topics = read(site.path(), "public/topics/index.html");
    assert!(
        topics.contains("The war in Ukraine</a> <span class=\"count\">3 briefings</span>"),
        "{topics}"
    );
    assert!(topics.contains("Ceasefire talks</a> <span class=\"count\">1 briefing</span>"));

    let putin = read(site.path(), "public/people/vladimir-putin/index.html");
    assert!(putin.contains("<h1>Vladimir Putin</h1>"));
    assert!(putin.contains("Also known as Putin"));
    assert!(putin.contains("Profile body."));
    assert!(
        putin.contains("2 briefings, newest first"),
        "alias and full name merged"
    );
    let people = read(site.path(), "public/people/index.html");
    assert!(people.contains("<h1>People</h1>"));
    assert!(people.contains("Steve Witkoff"));
}

#[test]
fn base_url_override_and_404_use_the_base_path() {
    let site = fixture("basic");
    let r = run(
        site.path(),
        &["build", "--base-url", "https://news.example.com/desk"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = read(site.path(), "public/2025/03/10/beta/index.html");
    assert!(page.contains("href=\"https://news.example.com/desk/2025/03/10/beta/\""));
    let not_found = read(site.path(), "public/404.html");
    assert!(
        not_found.contains("href=\"/desk/style.css\""),
        "{not_found}"
    );
    assert!(not_found.contains("<h1>Page not found</h1>"));
}

#[test]
fn standalone_pages_and_robots() {
    let site = fixture("basic");
    build_ok(site.path());
    let about = read(site.path(), "public/about/index.html");
    assert!(about.contains("<h1>About us</h1>"));
    assert!(about.contains("About body."));
    let home = read(site.path(), "public/index.html");
    assert!(
        home.contains("<a href=\"./about/\">About us</a>"),
        "pages are in the nav"
    );
    assert!(read(site.path(), "public/robots.txt").contains("User-agent: *"));
}

#[test]
fn theme_and_templates_override_file_by_file() {
    let site = fixture("theme-override");
    build_ok(site.path());
    let home = read(site.path(), "public/index.html");
    let month = read(site.path(), "public/2025/05/index.html");
    assert!(
        month.contains("<div class=\"custom-card\">One</div>"),
        "theme partial: {month}"
    );
    assert!(
        home.contains("<p class=\"kicker\">Top story</p>"),
        "built-in index.html still used"
    );
    let about = read(site.path(), "public/about/index.html");
    assert!(about.contains("<p class=\"site-override\">About</p>"));
    assert_eq!(
        read(site.path(), "public/style.css"),
        "body { color: red; }\n"
    );
}

#[test]
fn site_without_a_theme_folder_uses_the_embedded_theme() {
    let site = site(&[(
        "content/x.md",
        "---\ntitle: X\ndate: 2025-01-01\n---\nHello.\n",
    )]);
    build_ok(site.path());
    assert!(read(site.path(), "public/style.css").contains("prefers-color-scheme: dark"));
    assert!(read(site.path(), "public/2025/01/x/index.html").contains("<p>Hello.</p>"));
}

#[test]
fn example_site_builds_without_warnings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::TempDir::new().expect("temp dir");
    let output = out.path().join("site");
    let r = run(
        root,
        &["build", "--output", output.to_str().expect("utf-8 path")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "", "no warnings");
    // Six in English and their six translations into Ukrainian.
    assert!(r.stdout.starts_with("built 12 briefings"), "{}", r.stdout);
    let page = read(&output, "2025/03/putin-witkoff-ceasefire/index.html");
    assert!(page.contains("Correction"));
    assert!(output.join("topics/ceasefire-talks/index.html").is_file());
    assert!(output.join("about/index.html").is_file());
    assert!(
        !output.join("2025/03/phone-call-expected").exists(),
        "draft left out"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let site = site(&[("content/a.md", "---\ntitle: A\ndate: 2025-01-01\n---\n")]);
    std::os::unix::fs::symlink(
        site.path().join("content"),
        site.path().join("content/loop"),
    )
    .expect("symlink");
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "error: this symbolic link points back to a folder that contains it\n--> content/loop"
        ),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlinked_content_folder_is_followed() {
    // A folder linked in from elsewhere inside the site is read; links out of the site are
    // refused (see hostile.rs).
    let site = site(&[]);
    write(
        site.path(),
        "shared/b.md",
        "---\ntitle: Linked\ndate: 2025-01-01\n---\n",
    );
    std::fs::create_dir_all(site.path().join("content")).expect("mkdir");
    std::os::unix::fs::symlink("../shared", site.path().join("content/linked")).expect("symlink");
    build_ok(site.path());
    assert!(site.path().join("public/2025/01/b/index.html").is_file());
}
