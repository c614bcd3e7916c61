//! Nothing wrong is published silently: each mistake is a located error (or a warning that
//! `--strict` turns into one), a failed build leaves the previous output as it was, and
//! drafts and scheduled briefings stay private.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::*;

const WITKOFF: &str = "---
title: Envoy meets Putin in Moscow
date: 2025-03-13T20:00:00+03:00
topics: [Ceasefire talks, Ukraine war]
people: [Steve Witkoff, Vladimir Putin]
facts:
  - label: Territory under Russian control
    value: nearly 20 percent
---
The envoy met the president late at night.
";

const KURSK: &str = "---
title: Pressure on Kursk
date: 2025-03-12
topics: [Ukraine war]
places: [Kursk]
---
Fighting continued.
";

/// A small site with a base path, two briefings, a page and a static image.
fn desk(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files = vec![
        ("content/witkoff-moscow.md", WITKOFF),
        ("content/kursk-pressure.md", KURSK),
        (
            "content/pages/about.md",
            "---\ntitle: About\n---\nWho we are.\n",
        ),
    ];
    files.extend_from_slice(extra);
    let dir = site(&files);
    crate::pictures::picture(dir.path(), "static/img/map.png", 100, 50);
    write(
        dir.path(),
        "site.yaml",
        "title: Desk\nbase_url: https://news.example.org/briefs/\n",
    );
    dir
}

/// Every file of the output with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(&dir.join("public"))
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(dir.join("public").join(&p)).expect("read output");
            (p, bytes)
        })
        .collect()
}

/// Builds the desk, then adds `bad` and builds with `args`: that build must fail and leave
/// the output exactly as it was. Returns what it printed.
fn refused(bad: &[(&str, &str)], args: &[&str]) -> String {
    let site = desk(&[]);
    build_ok(site.path());
    let before = snapshot(site.path());
    for (path, text) in bad {
        write(site.path(), path, text);
    }
    let r = run(site.path(), args);
    assert_eq!(r.code, 1, "expected a failure:\n{}{}", r.stdout, r.stderr);
    assert!(before == snapshot(site.path()), "the output changed");
    r.stderr
}

fn assert_has(text: &str, expected: &str) {
    assert!(
        text.contains(expected),
        "expected:\n{expected}\n--- in:\n{text}"
    );
}

fn briefing(front: &str, body: &str) -> String {
    format!("---\n{front}\n---\n{body}\n")
}

#[test]
fn an_entity_link_with_a_typo_is_an_error_with_the_nearest_slug() {
    let text = briefing(
        "title: Follow-up\ndate: 2025-03-14",
        "[Witkoff](people:steve-witkof) flew home.",
    );
    let err = refused(&[("content/follow-up.md", &text)], &["build"]);
    assert_has(
        &err,
        "error: unknown entity `steve-witkof` in `people:steve-witkof`\n --> content/follow-up.md:5:1\n  |\n5 | [Witkoff](people:steve-witkof) flew home.\n  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\nhelp: did you mean `people:steve-witkoff`?",
    );
}

#[test]
fn an_entity_no_briefing_lists_is_an_error() {
    let text = briefing(
        "title: Follow-up\ndate: 2025-03-14",
        "Asked by [a reporter](people:john-doe).",
    );
    let err = refused(&[("content/follow-up.md", &text)], &["build"]);
    assert_has(
        &err,
        "error: unknown entity `john-doe` in `people:john-doe`\n --> content/follow-up.md:5:10\n  |\n5 | Asked by [a reporter](people:john-doe).\n  |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\nhelp: no briefing lists it under `people:` and it has no profile: add it to a briefing's `people:` list, or create content/entities/people/john-doe.md",
    );
    let site = desk(&[("content/follow-up.md", &text)]);
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert!(!site.path().join("public/people/john-doe").exists());
}

#[test]
fn an_entity_with_a_profile_may_be_named_only_in_a_body_link() {
    let text = briefing(
        "title: Follow-up\ndate: 2025-03-14",
        "Asked by [a reporter](people:john-doe).",
    );
    let site = desk(&[
        ("content/follow-up.md", &text),
        (
            "content/entities/people/john-doe.md",
            "---\nname: John Doe\n---\nA reporter.\n",
        ),
    ]);
    build_ok(site.path());
    let page = read(site.path(), "public/people/john-doe/index.html");
    assert!(page.contains("Follow-up"), "{page}");
}

#[test]
fn an_intro_or_profile_that_nearly_names_one_in_use_is_an_error() {
    let err = refused(
        &[(
            "content/topics/ceasefire-talk.md",
            "---\ntitle: Ceasefire talks\n---\nThe talks.\n",
        )],
        &["build"],
    );
    assert_has(
        &err,
        "error: no briefing uses the slug `ceasefire-talk`; did you mean `ceasefire-talks`?\n--> content/topics/ceasefire-talk.md\n |\nhelp: briefings use `ceasefire-talks` (\"Ceasefire talks\"): rename this file to content/topics/ceasefire-talks.md",
    );
    let err = refused(
        &[(
            "content/entities/people/steve-witkof.md",
            "---\nname: Steven Witkoff\n---\nEnvoy.\n",
        )],
        &["build"],
    );
    assert_has(
        &err,
        "error: no briefing uses the slug `steve-witkof`; did you mean `steve-witkoff`?\n--> content/entities/people/steve-witkof.md",
    );
    // The same display name under another slug is a near miss too.
    let err = refused(
        &[(
            "content/topics/truce.md",
            "---\ntitle: Ukraine War\n---\nThe war.\n",
        )],
        &["build"],
    );
    assert_has(
        &err,
        "error: no briefing uses the slug `truce`; did you mean `ukraine-war`?",
    );
}

#[test]
fn an_intro_no_briefing_uses_is_a_warning_that_strict_makes_an_error() {
    let intro = (
        "content/topics/elections.md",
        "---\ntitle: Elections\n---\nComing up.\n",
    );
    let site = desk(&[intro]);
    let r = build_ok(site.path());
    assert_has(
        &r.stderr,
        "warning: no briefing uses the topic `elections` yet\n--> content/topics/elections.md\n |\nhelp: its page says there are no briefings yet until one lists `Elections` under `topics:`; if the file name is a typo, rename the file",
    );
    assert_has(
        &r.stderr,
        "warning: 1 warning; `--strict` makes warnings errors",
    );
    assert!(r.stdout.ends_with("; 1 warning\n"), "{}", r.stdout);
    let page = read(site.path(), "public/topics/elections/index.html");
    assert!(page.contains("No briefings yet."), "{page}");

    let err = refused(&[intro], &["build", "--strict"]);
    assert_has(&err, "error: no briefing uses the topic `elections` yet");
    assert_has(&err, "error: found 1 problem; nothing was written");
    let r = run(site.path(), &["check", "--strict"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let r = run(site.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("; 1 warning"), "{}", r.stdout);
}

#[test]
fn root_relative_urls_keep_the_base_path_in_build_and_serve() {
    let text = briefing(
        "title: Follow-up\ndate: 2025-03-14\nsources:\n  - id: desk\n    name: Our desk\n    url: /about/",
        "Read [about us](/about/) and [Kursk](../kursk-pressure/), see ![the map](/img/map.png \"Front line\") and [a note](/about/#team). [Desk](source:desk) says so.",
    );
    let site = desk(&[("content/follow-up.md", &text)]);
    build_ok(site.path());
    let page = read(site.path(), "public/2025/03/follow-up/index.html");
    for expected in [
        "<a href=\"../../../about/\">about us</a>",
        "<img src=\"../../../img/map.png\" width=\"100\" height=\"50\" alt=\"the map\" loading=\"lazy\" title=\"Front line\" />",
        "<a href=\"../../../about/#team\">a note</a>",
        "<a href=\"../../../about/\">Our desk</a>",
    ] {
        assert!(page.contains(expected), "{expected} in {page}");
    }
    assert!(!page.contains("href=\"/about/\""), "{page}");
    // The preview renders the same links.
    let (_, update) = brief::serve::workspace::Workspace::open(
        site.path(),
        brief::content::Publish::default(),
        "http://127.0.0.1:1111/",
    )
    .expect("preview opens");
    let served = update
        .changed
        .iter()
        .find(|(p, _)| p == "2025/03/follow-up/index.html")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("served page");
    assert!(
        served.contains("<a href=\"../../../about/\">about us</a>"),
        "{served}"
    );
}

#[test]
fn a_link_to_a_page_or_file_the_build_does_not_make_is_an_error() {
    let text = briefing(
        "title: Follow-up\ndate: 2025-03-14\nsources:\n  - id: old\n    name: Old page\n    url: /archive/",
        "See [about](/abuot/),\n[map](/img/nope.png) and [next](../no-such-briefing/).",
    );
    let err = refused(&[("content/follow-up.md", &text)], &["build"]);
    assert_has(
        &err,
        "error: the link `/archive/` points to nothing this site has\n --> content/follow-up.md:7:10\n  |\n7 |     url: /archive/\n  |          ^^^^^^^^^\n  |\nhelp: link to a page or file of this site",
    );
    assert_has(
        &err,
        "error: the link `/abuot/` points to nothing this site has\n --> content/follow-up.md:9:5\n  |\n9 | See [about](/abuot/),\n  |     ^^^^^^^^^^^^^^^^\n  |\nhelp: did you mean `/about/`? Links to this site must point to a page or file the build makes",
    );
    assert_has(
        &err,
        "error: the link `/img/nope.png` points to nothing this site has\n  --> content/follow-up.md:10:1",
    );
    assert_has(
        &err,
        "error: the link `../no-such-briefing/` points to nothing this site has\n  --> content/follow-up.md:10:26\n   |\n10 | [map](/img/nope.png) and [next](../no-such-briefing/).\n   |                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n   |\nhelp: link to a page or file of this site (files under static/ are copied as they are), or use a full http(s):// address",
    );
    assert_has(&err, "error: found 4 problems; nothing was written");
}

/// Every `id="..."` of a page.
fn ids(html: &str) -> Vec<&str> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect()
}

#[test]
fn a_page_has_one_id_namespace() {
    let text = briefing(
        "title: Follow-up\ndate: 2025-03-14\nsources:\n  - id: desk\n    name: Desk\n    url: https://example.org/",
        "## Analysts\n\nTwo analysts[^analysts] agree, [says the desk](source:desk), [and it holds](claim:confirmed).\n\n[^analysts]: Named in the text.\n\n## Sources heading\n\n## Claim 1\n\n## Main\n",
    );
    let site = desk(&[("content/follow-up.md", &text)]);
    build_ok(site.path());
    let page = read(site.path(), "public/2025/03/follow-up/index.html");
    let all = ids(&page);
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(all.len(), unique.len(), "duplicate ids in {all:?}");
    assert!(page.contains("<h2 id=\"analysts\">Analysts</h2>"), "{page}");
    assert!(page.contains("href=\"#fn-1\""), "{page}");
    assert!(page.contains("<li id=\"fn-1\">"), "{page}");
    assert!(page.contains("<h2 id=\"section-main\">Main</h2>"), "{page}");
}

#[test]
fn footnotes_are_collected_at_the_end_of_the_body() {
    let text = briefing(
        "title: Follow-up\ndate: 2025-03-14",
        "First[^2] claim.\n\n[^2]: The second note, written first.\n\nMiddle.\n\nLater[^1].\n\n[^1]: The first note.\n\nEnd of the body.",
    );
    let site = desk(&[("content/follow-up.md", &text)]);
    build_ok(site.path());
    let page = read(site.path(), "public/2025/03/follow-up/index.html");
    let at = |s: &str| page.find(s).unwrap_or_else(|| panic!("{s} in {page}"));
    assert!(at("End of the body.") < at("<section class=\"footnotes\""));
    assert!(at("The second note") < at("The first note"));
    assert!(page.contains("<a href=\"#fn-1\" id=\"fnref-1\" aria-label=\"Footnote 1\">1</a>"));
    assert!(page.contains("href=\"#fnref-2\" aria-label=\"Back to reference 2\">↩</a>"));
}

const FUTURE: &str = "---
title: Summit in 2052
date: 2052-03-14T09:00:00+03:00
topics: [Ukraine war]
people: [Vladimir Putin]
---
Not yet.
";

#[test]
fn a_briefing_dated_in_the_future_is_scheduled_not_published() {
    let site = desk(&[("content/summit.md", FUTURE)]);
    let r = build_ok(site.path());
    assert_has(
        &r.stdout,
        "scheduled: content/summit.md publishes 14 March 2052, 09:00 UTC+03:00 (build with --future to preview it)\n",
    );
    assert_has(
        &r.stdout,
        "built 2 briefings (1 scheduled, not published), ",
    );
    assert!(!site.path().join("public/2052").exists());
    for file in [
        "public/index.html",
        "public/atom.xml",
        "public/sitemap.xml",
        "public/topics/ukraine-war/index.html",
        "public/people/vladimir-putin/index.html",
        "public/2025/03/witkoff-moscow/index.html",
    ] {
        assert!(
            !read(site.path(), file).contains("Summit in 2052"),
            "{file}"
        );
    }

    let r = run(site.path(), &["build", "--future"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = read(site.path(), "public/2052/03/summit/index.html");
    assert!(
        page.contains("<meta name=\"robots\" content=\"noindex\">"),
        "{page}"
    );
    assert!(
        page.contains("Scheduled for 14 March 2052, 09:00 (UTC+3)"),
        "{page}"
    );
    let home = read(site.path(), "public/index.html");
    assert!(
        home.contains(
            "<p class=\"status status-scheduled\">Scheduled for 14 March 2052, 09:00 (UTC+3)</p>"
        ),
        "{home}"
    );
    assert!(!read(site.path(), "public/sitemap.xml").contains("2052"));
}

#[test]
fn drafts_shown_with_drafts_are_labelled_noindex_and_out_of_the_sitemap() {
    let draft = briefing(
        "title: Policy shift\ndate: 2025-03-15\ndraft: true\ntopics: [Ukraine war]",
        "Not ready.",
    );
    let site = desk(&[("content/policy-shift.md", &draft)]);
    build_ok(site.path());
    assert!(!site.path().join("public/2025/03/policy-shift").exists());
    let r = run(site.path(), &["build", "--drafts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = read(site.path(), "public/2025/03/policy-shift/index.html");
    assert!(
        page.contains("<meta name=\"robots\" content=\"noindex\">"),
        "{page}"
    );
    assert!(
        page.contains("<p class=\"status status-draft\">Draft: not public"),
        "{page}"
    );
    let home = read(site.path(), "public/index.html");
    assert!(
        home.contains("<p class=\"status status-draft\">Draft</p>"),
        "{home}"
    );
    assert!(!read(site.path(), "public/sitemap.xml").contains("policy-shift"));
    let published = read(site.path(), "public/2025/03/witkoff-moscow/index.html");
    assert!(!published.contains("noindex"));
}

#[test]
fn links_to_drafts_and_scheduled_briefings_say_why_they_fail() {
    let draft = briefing(
        "title: Policy shift\ndate: 2025-03-15\ndraft: true",
        "Not ready.",
    );
    let linking = briefing(
        "title: Follow-up\ndate: 2025-03-14\nrelated: [summit]",
        "As [the shift](story:policy-shift) shows.",
    );
    let err = refused(
        &[
            ("content/policy-shift.md", &draft),
            ("content/summit.md", FUTURE),
            ("content/follow-up.md", &linking),
        ],
        &["build"],
    );
    assert_has(
        &err,
        "error: `summit` is scheduled for 14 March 2052, 09:00 UTC+03:00 and not published yet\n --> content/follow-up.md:4:11\n  |\n4 | related: [summit]\n  |           ^^^^^^\n  |\nhelp: remove the link until then, or build with --future to preview it",
    );
    assert_has(
        &err,
        "error: `policy-shift` is a draft\n --> content/follow-up.md:6:4\n  |\n6 | As [the shift](story:policy-shift) shows.\n  |    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\nhelp: publish it (remove `draft: true`), remove the link, or build with --drafts",
    );
    let site = desk(&[
        ("content/policy-shift.md", &draft),
        ("content/summit.md", FUTURE),
        ("content/follow-up.md", &linking),
    ]);
    let r = run(site.path(), &["build", "--drafts", "--future"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn contradictions_are_errors_at_the_field() {
    let text = briefing(
        "title: Follow-up\ndate: 2025-03-14T12:00:00+03:00\nupdated: 2025-03-14T09:00:00+03:00\nrelated: [follow-up]\ncorrections:\n  - date: 2025-03-13\n    note: Fixed a name.",
        "Body.",
    );
    let err = refused(&[("content/follow-up.md", &text)], &["build"]);
    assert_has(
        &err,
        "error: `updated` (2025-03-14T09:00:00+03:00) is earlier than `date` (2025-03-14T12:00:00+03:00)\n --> content/follow-up.md:4:10\n  |\n4 | updated: 2025-03-14T09:00:00+03:00\n  |          ^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\nhelp: a briefing cannot be updated before it is published: fix one of the two dates",
    );
    assert_has(
        &err,
        "error: `related` names this briefing itself (`follow-up`)\n --> content/follow-up.md:5:11\n  |\n5 | related: [follow-up]\n  |           ^^^^^^^^^\n  |\nhelp: list other briefings' slugs under `related:`, or remove this one",
    );
    assert_has(
        &err,
        "error: this correction (2025-03-13) is dated before the briefing (2025-03-14T12:00:00+03:00)\n --> content/follow-up.md:7:11\n  |\n7 |   - date: 2025-03-13\n  |           ^^^^^^^^^^\n  |\nhelp: a correction comes after publication: fix the correction's date or the briefing's `date`",
    );
    // A bare date on the day of publication is not earlier.
    let same_day = briefing(
        "title: Same day\ndate: 2025-03-14T12:00:00+03:00\nupdated: 2025-03-14",
        "Body.",
    );
    build_ok(desk(&[("content/same-day.md", &same_day)]).path());
}

#[test]
fn the_same_fact_with_two_values_warns_at_both_places() {
    let kursk = briefing(
        "title: Pressure on Kursk\ndate: 2025-03-13\ntopics: [Ukraine war]",
        "Fighting.\n\n```facts\n- label: territory under  Russian control\n  value: 18 percent\n```",
    );
    let site = desk(&[("content/kursk-pressure.md", &kursk)]);
    let r = build_ok(site.path());
    assert_has(
        &r.stderr,
        "warning: territory under  Russian control: '18 percent' here, 'nearly 20 percent' in content/witkoff-moscow.md:7\n --> content/kursk-pressure.md:9:10\n  |\n9 | - label: territory under  Russian control\n  |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  |\nhelp: both briefings are about Ukraine war; correct one of the values, or give each an `as_of` date if the figure changed",
    );
    assert_has(
        &r.stderr,
        "warning: Territory under Russian control: 'nearly 20 percent' here, '18 percent' in content/kursk-pressure.md:9\n --> content/witkoff-moscow.md:7:12",
    );
    assert!(r.stdout.ends_with("; 2 warnings\n"), "{}", r.stdout);
    let r = run(site.path(), &["build", "--strict"]);
    assert_eq!(r.code, 1);

    // A later briefing's figure supersedes an earlier one, as a later `as_of` does; facts
    // about unrelated subjects never clash.
    let next_day = kursk.replace("date: 2025-03-13", "date: 2025-03-14");
    let r = build_ok(desk(&[("content/kursk-pressure.md", &next_day)]).path());
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let later = kursk.replace(
        "  value: 18 percent\n",
        "  value: 18 percent\n  as_of: 2025-03-12\n",
    );
    let earlier = WITKOFF.replace(
        "    value: nearly 20 percent\n",
        "    value: nearly 20 percent\n    as_of: 2025-02-01\n",
    );
    let site = desk(&[
        ("content/kursk-pressure.md", &later),
        ("content/witkoff-moscow.md", &earlier),
    ]);
    let r = build_ok(site.path());
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn an_unclosed_facts_block_is_reported_where_it_opens() {
    let text = briefing(
        "title: Follow-up\ndate: 2025-03-14",
        "Intro.\n\n```facts\n- label: Proposal\n  value: 30 days\n\nThe next paragraph: with a colon.",
    );
    let err = refused(&[("content/follow-up.md", &text)], &["build"]);
    assert_has(
        &err,
        "error: this ```facts block is never closed\n --> content/follow-up.md:7:1\n  |\n7 | ```facts\n  | ^^^^^^^^\n  |\nhelp: end it with a line of ``` after the last fact; without it the rest of the file is read as facts",
    );
    assert!(!err.contains("invalid YAML"), "{err}");
}

#[test]
fn an_unknown_key_in_a_facts_block_gets_a_suggestion() {
    let text = briefing(
        "title: Follow-up\ndate: 2025-03-14",
        "```facts\n- label: Proposal\n  value: 30 days\n  as_off: 2025-03-14\n```",
    );
    let err = refused(&[("content/follow-up.md", &text)], &["build"]);
    assert_has(
        &err,
        "error: unknown field `as_off`\n --> content/follow-up.md:8:3",
    );
    assert_has(&err, "help: did you mean `as_of`?");
}

#[test]
fn curly_quotes_are_named_as_the_problem() {
    let text = "---\ntitle: “Talks: day two”\ndate: 2025-03-14\n---\nBody.\n";
    let err = refused(&[("content/follow-up.md", text)], &["build"]);
    assert_has(
        &err,
        "error: curly quotes (“ ”) are not YAML quotes\n --> content/follow-up.md:2:8\n  |\n2 | title: “Talks: day two”\n  |        ^\n  |\nhelp: write straight quotes instead: title: \"Talks: day two\"",
    );
}

#[test]
fn dates_that_cannot_be_read_say_what_to_write() {
    for (written, why) in [
        (
            "2025-03-14 09:00 MSK",
            "time zone names such as `MSK` are not understood; write the offset from UTC instead, e.g. 2025-03-14T09:00:00+03:00",
        ),
        (
            "2025-03-14T09:00:00",
            "the time has no offset from UTC; add one, e.g. 2025-03-14T09:00:00+03:00 (or Z for UTC)",
        ),
        (
            "2025-2-28",
            "write dates as YYYY-MM-DD, e.g. 2025-02-28 for `2025-2-28`",
        ),
        (
            "28/02/2025",
            "write dates as YYYY-MM-DD, e.g. 2025-02-28 for `28/02/2025`",
        ),
    ] {
        let text = format!("---\ntitle: Follow-up\ndate: {written}\n---\nBody.\n");
        let err = refused(&[("content/follow-up.md", &text)], &["build"]);
        assert_has(
            &err,
            &format!("error: `date` is not a valid date: {why}\n --> content/follow-up.md:3:7"),
        );
        assert!(
            !err.contains("unparsed") && !err.contains("failed to"),
            "{err}"
        );
    }
}

#[test]
fn a_template_reading_a_missing_field_names_it_and_the_fields_there_are() {
    let template = "{% extends \"base.html\" %}{% block main %}\n<h1>{{ briefing.title }}</h1>\n{% for t in briefing.tags %}{{ t }}{% endfor %}\n{% endblock main %}\n";
    let err = refused(&[("templates/briefing.html", template)], &["build"]);
    assert_has(
        &err,
        "error: template error: `briefing` has no field `tags`\n --> templates/briefing.html:3:13\n  |\n3 | {% for t in briefing.tags %}{{ t }}{% endfor %}\n  |             ^^^^^^^^^^^^^\n  |\nhelp: `briefing` has: all_topics, authors, backlinks, changed, claims, corrections, date, dateline, day_url, entities, extra, facts, html, image, reading_time, related, sources, status, summary, title, topic_nav, topics, updated, url; fix the name, or check for it first with {% if briefing.tags %}",
    );
}

#[test]
fn the_preview_reports_warnings_and_leaves_out_scheduled_briefings() {
    use brief::content::Publish;
    use brief::serve::workspace::Workspace;
    let site = desk(&[
        ("content/summit.md", FUTURE),
        (
            "content/topics/elections.md",
            "---\ntitle: Elections\n---\nComing up.\n",
        ),
    ]);
    let url = "http://127.0.0.1:1111/";
    let (ws, update) = Workspace::open(site.path(), Publish::default(), url).expect("opens");
    assert!(update.changed.iter().all(|(p, _)| !p.starts_with("2052/")));
    let warnings = ws.warnings();
    assert_eq!(warnings.len(), 1, "{warnings}");
    assert_eq!(
        warnings.0[0].message,
        "no briefing uses the topic `elections` yet"
    );
    let (_, update) = Workspace::open(site.path(), Publish::now(false, true), url).expect("opens");
    assert!(
        update
            .changed
            .iter()
            .any(|(p, _)| p == "2052/03/summit/index.html")
    );
}
