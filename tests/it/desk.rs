//! The pages a desk publishing every day needs: cards with bylines and change marks, author
//! pages, the corrections and claims logs, date archives, redirects and sharing tags.

use crate::newsroom::assert_valid_atom;
use crate::support::*;

const FRESH: &str = "---\ntitle: \"Fresh\"\ndate: 2025-03-14T14:00:00+03:00\nauthors: [Ann Smith, Bo Li]\ntopics: [Energy]\n---\nBody.\n";
const UPDATED: &str = "---\ntitle: \"Updated one\"\ndate: 2025-03-10T09:30:00+00:00\nupdated: 2025-03-12\nauthors: [Ann Smith]\ntopics: [Energy]\n---\nBody.\n";
const CORRECTED: &str = "---\ntitle: \"Corrected one\"\ndate: 2025-03-01\nupdated: 2025-03-02\ntopics: [Energy]\ncorrections:\n  - date: 2025-03-05\n    note: \"The <script>alert(1)</script> figure was 30, not 300.\"\n  - date: 2025-03-03\n    note: \"Fixed the minister's name.\"\n---\nBody.\n";
const OLDER: &str = "---\ntitle: \"Older one\"\ndate: 2025-02-01\ntopics: [Energy]\ncorrections:\n  - date: 2025-03-04\n    note: \"Fixed the date.\"\n---\nBody.\n";

fn desk() -> tempfile::TempDir {
    let site = site(&[
        ("content/fresh.md", FRESH),
        ("content/updated.md", UPDATED),
        ("content/corrected.md", CORRECTED),
        ("content/older.md", OLDER),
    ]);
    build_ok(site.path());
    site
}

#[test]
fn cards_show_the_byline_the_time_and_whether_a_briefing_changed() {
    let site = desk();
    let home = read(&site.path().join("public"), "index.html");
    assert!(home.contains(
        "<p class=\"byline\">By <a class=\"author\" href=\"./authors/ann-smith/\">Ann Smith</a> and <a class=\"author\" href=\"./authors/bo-li/\">Bo Li</a> · <span class=\"reading-time\">1 min read</span></p>"
    ));
    assert!(
        home.contains(">14 March 2025, 14:00 (UTC+3)</time>"),
        "{home}"
    );
    assert!(home.contains(
        "<span class=\"change change-updated\">Updated <time datetime=\"2025-03-12T00:00:00+00:00\">12 March 2025</time></span>"
    ), "{home}");
    assert!(home.contains(
        "<span class=\"change change-corrected\">Corrected <time datetime=\"2025-03-05T00:00:00+00:00\">5 March 2025</time></span>"
    ), "{home}");
    // The same card on a topic page.
    let topic = read(&site.path().join("public"), "topics/energy/index.html");
    assert!(topic.contains("change-corrected"));
    assert!(topic.contains("<a class=\"author\" href=\"../../authors/bo-li/\">Bo Li</a>"));
}

#[test]
fn the_corrections_log_lists_every_correction_newest_first() {
    let site = desk();
    let public = site.path().join("public");
    let log = read(&public, "corrections/index.html");
    let order: Vec<usize> = [
        "The &lt;script&gt;alert(1)&lt;/script&gt; figure was 30",
        "Fixed the date.",
        "Fixed the minister",
    ]
    .iter()
    .map(|note| log.find(note).unwrap_or_else(|| panic!("{note} in {log}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(!log.contains("<script>alert"));
    assert!(
        log.contains("href=\"../2025/03/corrected/#correction-1\""),
        "{log}"
    );
    assert!(log.contains("href=\"../2025/03/corrected/#correction-2\""));
    assert!(log.contains("href=\"../2025/02/older/#correction-1\""));
    // Each briefing's notice links to the log, and its corrections carry the ids.
    let page = read(&public, "2025/03/corrected/index.html");
    assert!(page.contains("<li id=\"correction-2\">"));
    assert!(page.contains("href=\"../../../corrections/\""));
    let titles = assert_valid_atom(&public.join("corrections/atom.xml"));
    assert_eq!(
        titles,
        [
            "Correction: Corrected one",
            "Correction: Older one",
            "Correction: Corrected one"
        ]
    );
    let sitemap = read(&public, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/corrections/</loc>"));
}

#[test]
fn a_site_without_corrections_says_so() {
    let site = site(&[("content/fresh.md", FRESH)]);
    build_ok(site.path());
    let public = site.path().join("public");
    assert!(read(&public, "corrections/index.html").contains("No corrections yet."));
    assert!(assert_valid_atom(&public.join("corrections/atom.xml")).is_empty());
}

/// A briefing dated `hours_ago` hours before now, in UTC.
fn dated(slug: &str, hours_ago: i64) -> (String, String) {
    let at = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(hours_ago);
    let date = at.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string();
    (
        format!("content/{slug}.md"),
        format!("---\ntitle: \"{slug} <&> news\"\ndate: {date}\n---\nBody.\n"),
    )
}

#[test]
fn the_news_sitemap_lists_the_last_two_days() {
    let site = site_of(&[dated("recent", 2), dated("yesterday", 30), dated("old", 60)]);
    build_ok(site.path());
    let public = site.path().join("public");
    let xml = read(&public, "news-sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("news sitemap parses");
    let news = "http://www.google.com/schemas/sitemap-news/0.9";
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().namespace() == Some(news) && n.tag_name().name() == "title")
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(titles, ["recent <&> news", "yesterday <&> news"]);
    for tag in ["name", "language", "publication_date"] {
        assert_eq!(
            doc.descendants()
                .filter(|n| n.tag_name().namespace() == Some(news) && n.tag_name().name() == tag)
                .count(),
            2,
            "{tag}"
        );
    }
    assert!(read(&public, "robots.txt").contains("Sitemap: https://example.org/news-sitemap.xml"));
}

#[test]
fn the_news_sitemap_is_valid_when_nothing_is_recent() {
    let site = site_of(&[dated("old", 60)]);
    build_ok(site.path());
    let xml = read(&site.path().join("public"), "news-sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("news sitemap parses");
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    assert_eq!(
        doc.root_element()
            .children()
            .filter(|n| n.is_element())
            .count(),
        0
    );
}

const MOVED: &str = "---\ntitle: \"Moved <here>\"\ndate: 2025-03-14\naliases: [/2025/03/old-slug/, /archive/moved.html, /old/path]\n---\nBody.\n";

#[test]
fn an_alias_redirects_an_old_address_to_the_briefing() {
    let site = site(&[("content/moved.md", MOVED)]);
    build_ok(site.path());
    let public = site.path().join("public");
    let old = read(&public, "2025/03/old-slug/index.html");
    assert!(
        old.contains("<meta http-equiv=\"refresh\" content=\"0; url=../../../2025/03/moved/\">"),
        "{old}"
    );
    assert!(old.contains("<link rel=\"canonical\" href=\"https://example.org/2025/03/moved/\">"));
    assert!(old.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(old.contains("Moved &lt;here&gt;"));
    let file = read(&public, "archive/moved.html");
    assert!(file.contains("url=../2025/03/moved/"), "{file}");
    assert!(read(&public, "old/path/index.html").contains("url=../../2025/03/moved/"));
    assert!(!read(&public, "sitemap.xml").contains("old-slug"));
}

#[test]
fn an_alias_that_is_the_address_of_a_page_is_an_error() {
    let taken = "---\ntitle: \"Taken\"\ndate: 2025-03-14\naliases: [/topics/]\n---\nBody.\n";
    let site = site(&[("content/taken.md", taken)]);
    build_fails_with(
        site.path(),
        &[
            "error: this alias is the address of another page (topics/index.html)\n --> content/taken.md:4:11",
            "help: an alias is an old address that no longer has a page; remove it or correct it",
        ],
    );
}

#[test]
fn an_alias_must_be_a_path_on_the_site() {
    let bad = "---\ntitle: \"Bad\"\ndate: 2025-03-14\naliases: [old-slug/, \"https://example.org/x/\", /a/../b/, /]\n---\nBody.\n";
    let site = site(&[("content/bad.md", bad)]);
    build_fails_with(
        site.path(),
        &[
            "error: the alias `old-slug/` does not start with `/`\n --> content/bad.md:4:11",
            "error: the alias `https://example.org/x/` is a full web address, not a path on this site",
            "error: the alias `/a/../b/` may not contain `.` or `..` segments",
            "error: the alias `/` is the home page",
            "help: write an old address of this briefing on this site, starting with `/`, e.g. /2025/03/old-slug/",
        ],
    );
}

fn dated_on(slug: &str, date: &str) -> (String, String) {
    (
        format!("content/{slug}.md"),
        format!("---\ntitle: \"{slug}\"\ndate: {date}\n---\nBody.\n"),
    )
}

#[test]
fn date_archives_list_each_year_month_and_day() {
    let site = site_of(&[
        dated_on("a", "2025-03-14T18:00:00+00:00"),
        dated_on("b", "2025-03-14T09:00:00+00:00"),
        dated_on("c", "2025-03-02"),
        dated_on("d", "2025-01-20"),
        dated_on("e", "2024-12-31"),
    ]);
    build_ok(site.path());
    let public = site.path().join("public");
    let day = read(&public, "2025/03/14/index.html");
    assert!(day.contains("<h1>14 March 2025</h1>"), "{day}");
    assert_eq!(
        day.matches(">14 March 2025</h").count(),
        1,
        "one heading: {day}"
    );
    // Earlier and later periods at both ends of the list.
    assert_eq!(day.matches("2 March 2025</a>").count(), 2, "{day}");
    assert!(day.contains("2 briefings, newest first"));
    assert!(day.find(">a</a>").unwrap_or(usize::MAX) < day.find(">b</a>").unwrap_or(0));
    assert!(!day.contains(">c</a>"));
    // The previous and next day that have briefings.
    assert!(
        day.contains("<a rel=\"prev\" href=\"../../../2025/03/02/\"><span class=\"arrow\" aria-hidden=\"true\">←</span> 2 March 2025</a>"),
        "{day}"
    );
    assert!(!day.contains("rel=\"next\""));
    let month = read(&public, "2025/03/index.html");
    assert!(
        month.contains("<a href=\"../../2025/03/14/\">14 March 2025</a>"),
        "{month}"
    );
    assert!(month.contains("<a href=\"../../2025/03/02/\">2 March 2025</a>"));
    assert!(month.contains("rel=\"prev\" href=\"../../2025/01/\"><span class=\"arrow\" aria-hidden=\"true\">←</span> January 2025</a>"));
    let year = read(&public, "2025/index.html");
    assert!(year.contains("4 briefings, newest first"));
    assert!(
        year.contains("rel=\"prev\" href=\"../2024/\"><span class=\"arrow\" aria-hidden=\"true\">←</span> 2024</a>"),
        "{year}"
    );
    assert!(read(&public, "2024/index.html").contains("rel=\"next\" href=\"../2025/\">2025 <span class=\"arrow\" aria-hidden=\"true\">→</span></a>"));
    // A briefing's date leads to its day.
    let page = read(&public, "2025/03/a/index.html");
    assert!(
        page.contains("Published <a href=\"../../../2025/03/14/\"><time"),
        "{page}"
    );
    assert!(read(&public, "sitemap.xml").contains("<loc>https://example.org/2025/03/14/</loc>"));
}

#[test]
fn a_slug_that_would_take_an_archive_address_is_an_error() {
    let site = site(&[(
        "content/fourteen.md",
        "---\ntitle: \"Fourteen\"\ndate: 2025-03-14\nslug: \"14\"\n---\nBody.\n",
    )]);
    build_fails_with(
        site.path(),
        &[
            "error: this briefing's address /2025/03/14/ is where a date archive lives\n --> content/fourteen.md:4:7",
            "help: give it a slug with a letter in it (`slug: ...`), or change `permalink` in site.yaml",
        ],
    );
}

#[test]
fn pages_carry_open_graph_and_twitter_tags() {
    let site = desk();
    let public = site.path().join("public");
    let page = read(&public, "2025/03/corrected/index.html");
    for tag in [
        "<meta property=\"og:title\" content=\"Corrected one\">",
        "<meta property=\"og:url\" content=\"https://example.org/2025/03/corrected/\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:site_name\" content=\"Test\">",
        "<meta property=\"og:locale\" content=\"en\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
        "<meta property=\"article:published_time\" content=\"2025-03-01T00:00:00+00:00\">",
        "<meta property=\"article:modified_time\" content=\"2025-03-05T00:00:00+00:00\">",
        "<meta property=\"article:section\" content=\"Energy\">",
        "<meta property=\"article:tag\" content=\"Energy\">",
    ] {
        assert!(page.contains(tag), "{tag}\n--- in:\n{page}");
    }
    let topic = read(&public, "topics/energy/index.html");
    assert!(topic.contains("<meta property=\"og:title\" content=\"Energy\">"));
    assert!(topic.contains("<meta property=\"og:type\" content=\"website\">"));
    assert!(!topic.contains("article:published_time"));
}

const CLAIMS: &str = "---\ntitle: \"Claims here\"\ndate: 2025-03-14\n---\n[Talks went well](claim:confirmed \"Seen by us\"), [troops & tanks](claim:disputed \"Kyiv denies it\") and [a rumour](claim:false).\n";
const MORE_CLAIMS: &str = "---\ntitle: \"Older claims\"\ndate: 2025-03-01\n---\n[An older dispute](claim:disputed \"Still open\").\n";

#[test]
fn the_claims_log_groups_every_claim_by_status() {
    let site = site(&[
        ("content/claims.md", CLAIMS),
        ("content/more.md", MORE_CLAIMS),
    ]);
    build_ok(site.path());
    let public = site.path().join("public");
    let log = read(&public, "claims/index.html");
    let at = |needle: &str| {
        log.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {log}"))
    };
    // Groups in order, the newest briefing's claims first within one.
    assert!(at("id=\"group-confirmed\"") < at("id=\"group-disputed\""));
    assert!(at("id=\"group-disputed\"") < at("id=\"group-unverified\""));
    assert!(at("<q>troops &amp; tanks</q>") < at("<q>An older dispute</q>"));
    assert!(
        log.contains("<a href=\"../2025/03/claims/#claim-2\">Claims here</a>"),
        "{log}"
    );
    assert!(log.contains("<a href=\"../2025/03/more/#claim-1\">Older claims</a>"));
    assert!(log.contains("Disputed <span class=\"count\">2</span>"));
    // One status alone, without a server: its own page.
    let disputed = read(&public, "claims/disputed/index.html");
    assert!(disputed.contains("<q>An older dispute</q>"));
    assert!(!disputed.contains("<q>Talks went well</q>"));
    assert!(
        disputed.contains("<a href=\"../../claims/disputed/\" aria-current=\"page\">"),
        "{disputed}"
    );
    let unverified = read(&public, "claims/unverified/index.html");
    assert!(unverified.contains("<p>None.</p>"));
}

const PROFILE: &str = "---\nname: Ann Smith\nrole: Energy correspondent\nlinks: [\"https://example.org/ann\", \"https://www.social.example/@ann\"]\n---\nAnn covers gas & power.\n";

#[test]
fn each_author_has_a_page_with_their_briefings_a_feed_and_a_profile() {
    let site = site(&[
        ("content/fresh.md", FRESH),
        ("content/updated.md", UPDATED),
        ("content/corrected.md", CORRECTED),
        ("content/authors/ann-smith.md", PROFILE),
        (
            "content/authors/cy-new.md",
            "---\nname: Cy New\n---\nJoined this week.\n",
        ),
    ]);
    build_ok(site.path());
    let public = site.path().join("public");
    let ann = read(&public, "authors/ann-smith/index.html");
    assert!(ann.contains("<h1>Ann Smith</h1>"), "{ann}");
    assert!(ann.contains("<p class=\"role\">Energy correspondent</p>"));
    assert!(ann.contains("<a href=\"https://example.org/ann\" rel=\"me\">example.org</a>"));
    assert!(ann.contains(">social.example</a>"));
    assert!(ann.contains("Ann covers gas &amp; power."), "{ann}");
    assert!(ann.contains("2 briefings, newest first"));
    let (fresh, updated) = (ann.find(">Fresh</a>"), ann.find(">Updated one</a>"));
    assert!(fresh.is_some() && fresh < updated, "{ann}");
    assert!(!ann.contains(">Corrected one</a>"));
    assert_eq!(
        assert_valid_atom(&public.join("authors/ann-smith/atom.xml")),
        ["Fresh", "Updated one"]
    );
    // A byline without a profile still gets a page; a profile without a byline too.
    assert!(read(&public, "authors/bo-li/index.html").contains("1 briefing, newest first"));
    assert!(read(&public, "authors/cy-new/index.html").contains("No briefings yet."));
    let index = read(&public, "authors/index.html");
    assert_has_all(
        &index,
        &[
            "<a href=\"../authors/ann-smith/\">Ann Smith</a>",
            "<a href=\"../authors/bo-li/\">Bo Li</a>",
            "<a href=\"../authors/cy-new/\">Cy New</a>",
        ],
    );
    assert!(read(&public, "sitemap.xml").contains("authors/ann-smith/</loc>"));
    // JSON-LD names each author as a Person with their page.
    let page = read(&public, "2025/03/fresh/index.html");
    assert!(page.contains(
        r#"{"@type":"Person","name":"Ann Smith","url":"https://example.org/authors/ann-smith/"}"#
    ), "{page}");
}

#[test]
fn an_author_profile_is_checked_like_any_front_matter() {
    let site = site(&[
        ("content/a.md", FRESH),
        (
            "content/authors/ann-smith.md",
            "---\nrole: Editor\nlinks: [\"javascript:alert(1)\", \"example.org/ann\"]\nemail: ann@example.org\n---\nBio.\n",
        ),
        ("content/authors/Bad Name.md", "---\nname: Bad\n---\n"),
        ("content/authors/nested/x.md", "---\nname: X\n---\n"),
    ]);
    build_fails_with(
        site.path(),
        &[
            "error: unknown field `email`",
            "error: the file name \"Bad Name\" is not a valid slug\n--> content/authors/Bad Name.md",
            "error: misplaced file in the `authors` folder\n--> content/authors/nested/x.md",
            "help: files there must be at content/authors/<slug>.md",
        ],
    );
    // With the unknown field gone, the rest is reported at its place.
    write(
        site.path(),
        "content/authors/ann-smith.md",
        "---\nrole: Editor\nlinks: [\"javascript:alert(1)\", \"example.org/ann\"]\n---\nBio.\n",
    );
    std::fs::remove_dir_all(site.path().join("content/authors/nested")).ok();
    std::fs::remove_file(site.path().join("content/authors/Bad Name.md")).ok();
    build_fails_with(
        site.path(),
        &[
            "error: missing required field `name`\n --> content/authors/ann-smith.md:1:1",
            "help: add the author's name as bylines write it, e.g. `name: Olena Kovalenko`",
            "error: the link \"javascript:alert(1)\" is not a web address\n --> content/authors/ann-smith.md:3:9",
            "error: the link \"example.org/ann\" is not a web address\n --> content/authors/ann-smith.md:3:32",
            "help: write each of `links:` as a full address starting with https://",
        ],
    );
}

const SAID: &str = "---\ntitle: \"Said\"\ndate: 2025-03-14\npeople: [Donald Trump]\n---\nHe said [the war would end in a day](claim:false?by=people:donald-trump \"It did not\") and [talks start soon](claim:unverified?by=people:trump).\n";

#[test]
fn a_claim_names_who_made_it_and_shows_on_their_page() {
    let site = site(&[
        ("content/said.md", SAID),
        (
            "content/entities/people/donald-trump.md",
            "---\nname: Donald Trump\naliases: [Trump]\n---\nProfile.\n",
        ),
        (
            "content/other.md",
            "---\ntitle: \"Other\"\ndate: 2025-03-10\n---\n[Kyiv holds](claim:confirmed).\n",
        ),
    ]);
    build_ok(site.path());
    let public = site.path().join("public");
    let person = read(&public, "people/donald-trump/index.html");
    assert!(
        person.contains("<h2 id=\"claims-by-heading\">Claims by Donald Trump</h2>"),
        "{person}"
    );
    // Both claims, the one naming him by an alias too, linked to where they are made.
    assert_has_all(
        &person,
        &[
            "<q>the war would end in a day</q> <span class=\"claim-note\">It did not</span>",
            "<q>talks start soon</q>",
            "href=\"../../2025/03/said/#claim-1\"",
            "href=\"../../2025/03/said/#claim-2\"",
        ],
    );
    assert!(!person.contains("Kyiv holds"));
    let page = read(&public, "2025/03/said/index.html");
    assert!(page.contains(
        "<span class=\"claim-by\">— <a href=\"../../../people/donald-trump/\">Donald Trump</a></span>"
    ), "{page}");
    let log = read(&public, "claims/index.html");
    assert!(log.contains(
        "<span class=\"claim-by\">— <a href=\"../people/donald-trump/\">Donald Trump</a></span>"
    ));
    // A speaker who is only named as a speaker is not mentioned: no page lists the briefing.
    let other = read(&public, "people/index.html");
    assert!(other.contains("Donald Trump"));
}

#[test]
fn a_claims_speaker_must_be_an_entity_of_the_site() {
    let bad = "---\ntitle: \"Bad\"\ndate: 2025-03-14\n---\n[a](claim:false?by=nobody) [b](claim:false?by=persons:x) [c](claim:false?by=people:ghost) [d](claim:false?who=x)\n";
    let site = site(&[("content/bad.md", bad)]);
    build_fails_with(
        site.path(),
        &[
            "error: `by=nobody` does not say which kind of entity\n --> content/bad.md:5:1",
            "help: name who made the claim as `?by=<kind>:<slug>`, e.g. claim:disputed?by=people:donald-trump",
            "error: `persons` in `by=persons:x` is not an entity kind of this site\n --> content/bad.md:5:28",
            "help: a claim's speaker is one of: people, places, orgs",
            "error: `?who=x` is not a claim's speaker",
        ],
    );
    // A speaker the site has no page for, like a link to one.
    write(
        site.path(),
        "content/bad.md",
        "---\ntitle: \"Bad\"\ndate: 2025-03-14\n---\n[c](claim:false?by=people:ghost)\n",
    );
    build_fails_with(
        site.path(),
        &["error: unknown entity `ghost` in `people:ghost`\n --> content/bad.md:5:1"],
    );
}
