//! A newcomer's second trial: slips that once passed silently, messages that blamed the wrong
//! place, and pages that showed headings over nothing.

use crate::support::*;

const TWO_LANGUAGES: &str = "title: Desk\nbase_url: https://example.org/\nlanguages: [en, uk]\n";

/// Every shown `ul`, `ol`, `nav`, `section` and `aside` of `html` that holds nothing but a
/// heading.
fn empty_blocks(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in ["ul", "ol", "nav", "section", "aside"] {
        let open = format!("<{tag}");
        let close = format!("</{tag}>");
        let mut rest = html;
        while let Some(start) = rest.find(&open) {
            rest = &rest[start + open.len()..];
            if !rest.starts_with([' ', '>']) {
                continue;
            }
            let Some(end) = rest.find(&close) else { break };
            let opening_end = rest.find('>').map_or(0, |i| i + 1);
            // A hidden list is filled by a script (search results) and shown only then.
            let hidden = rest[..opening_end].contains(" hidden");
            let inner = &rest[opening_end..end];
            if !hidden && without_headings(inner).trim().is_empty() {
                found.push(format!("<{tag}{}", &rest[..end.min(200)]));
            }
        }
    }
    found
}

/// The text of `html` with its headings and tags taken out.
fn without_headings(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let tag = &rest[lt..];
        let heading =
            tag.len() > 3 && tag.as_bytes()[1] == b'h' && tag.as_bytes()[2].is_ascii_digit();
        let skip = if heading {
            tag.find("</h")
                .and_then(|c| tag[c..].find('>').map(|g| c + g + 1))
        } else {
            tag.find('>').map(|g| g + 1)
        };
        let Some(skip) = skip else { break };
        // A link or a picture is content even without text.
        if tag.starts_with("<a ") || tag.starts_with("<img") {
            text.push('*');
        }
        rest = &tag[skip..];
    }
    text.push_str(rest);
    text
}

#[test]
fn no_page_shows_a_heading_over_nothing() {
    let dir = site(&[
        ("site.yaml", TWO_LANGUAGES),
        (
            "content/alone.md",
            "---\ntitle: Alone\ndate: 2025-01-01\ntopics: [Only here]\n---\nText.\n",
        ),
        (
            "content/pair-one.md",
            "---\ntitle: Pair one\ndate: 2025-01-02\ntopics: [Shared]\n---\nText.\n",
        ),
        (
            "content/pair-two.md",
            "---\ntitle: Pair two\ndate: 2025-01-03\ntopics: [Shared]\n---\nText.\n",
        ),
        (
            "content/pair-two.uk.md",
            "---\ntitle: Пара два\ndate: 2025-01-03\ntopics: [Shared]\n---\nТекст.\n",
        ),
    ]);
    build_ok(dir.path());
    let alone = read(dir.path(), "public/2025/01/alone/index.html");
    assert!(!alone.contains("topic-nav"), "{alone}");
    let translation = read(dir.path(), "public/uk/2025/01/pair-two/index.html");
    assert!(!translation.contains("topic-nav"), "{translation}");
    let paired = read(dir.path(), "public/2025/01/pair-two/index.html");
    assert_has_all(&paired, &["topic-nav", "Pair one"]);
    assert_no_empty_blocks(&dir.path().join("public"));
    for name in ["newsroom", "basic"] {
        let fixture = fixture(name);
        build_ok(fixture.path());
        assert_no_empty_blocks(&fixture.path().join("public"));
    }
}

fn assert_no_empty_blocks(public: &std::path::Path) {
    for page in tree(public) {
        if page.ends_with(".html") {
            let html = read(public, &page);
            assert_eq!(empty_blocks(&html), Vec::<String>::new(), "in {page}");
        }
    }
}

#[test]
fn a_footnote_with_no_note_is_an_error_naming_the_notes_there_are() {
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-01-01\n---\nSaid so[^1], then more[^2], `[^3]` and \\[^4].\n\n[^1]: The note.\n",
    )]);
    let r = build_fails_with(
        dir.path(),
        &[
            "error: footnote [^2] has no note: it would be published as typed\n --> content/a.md:5:23\n  |\n5 | Said so[^1], then more[^2], `[^3]` and \\[^4].\n  |                       ^^^^",
            "help: the only note here is [^1]: use it, or add this one on a line of its own, e.g. `[^2]: Where this comes from.`",
        ],
    );
    assert_eq!(r.stderr.matches("has no note").count(), 1, "{}", r.stderr);
}

#[test]
fn the_same_fact_twice_in_one_briefing_with_two_values_warns() {
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-03-11\nfacts:\n  - label: Drones shot down\n    value: \"4\"\n  - label: Drones shot down\n    value: \"5\"\n  - label: Drones launched\n    value: \"9\"\n    as_of: 2025-03-10\n  - label: Drones launched\n    value: \"12\"\n---\nText.\n",
    )]);
    let r = build_ok(dir.path());
    assert_has_all(
        &r.stderr,
        &[
            "warning: Drones shot down: '5' here, '4' at line 5 of this briefing\n --> content/a.md:7:12\n  |\n7 |   - label: Drones shot down\n  |            ^^^^^^^^^^^^^^^^\n  |\nhelp: a briefing states a fact once: correct one of the values, or give each an `as_of` date if the figure changed",
        ],
    );
    assert!(r.stdout.ends_with("; 1 warning\n"), "{}", r.stdout);
}

#[test]
fn past_the_first_screens_warnings_are_counted_by_kind() {
    // Thirty facts, each stated twice on one day with two values; one intro nobody uses.
    let mut files: Vec<(String, String)> = (0..30)
        .map(|i| {
            (
                format!("content/b{i:02}.md"),
                format!("---\ntitle: B{i}\ndate: 2025-03-11\nfacts:\n  - label: Figure {i}\n    value: \"1\"\n  - label: Figure {i}\n    value: \"2\"\n---\nText.\n"),
            )
        })
        .collect();
    files.push((
        "content/topics/unused.md".into(),
        "---\ntitle: Unused\n---\nIntro.\n".into(),
    ));
    let dir = site_of(&files);
    let r = build_ok(dir.path());
    assert_eq!(r.stderr.matches("\nhelp: ").count(), 20, "{}", r.stderr);
    assert!(
        r.stderr.trim_end().ends_with("and 10 more fact conflicts: `brief check --warnings all` lists them\nand 1 more intro no briefing uses: `brief check --warnings all` lists them\nwarning: 31 warnings; `--strict` makes warnings errors"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.ends_with("; 31 warnings\n"), "{}", r.stdout);
    let all = run(dir.path(), &["check", "--warnings", "all"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    assert_eq!(all.stderr.matches("\nhelp: ").count(), 31, "{}", all.stderr);
    assert!(
        !all.stderr.contains("more fact conflicts"),
        "{}",
        all.stderr
    );
}

#[test]
fn names_spelled_nearly_alike_warn_with_both_places_and_both_fixes() {
    let dir = site(&[
        (
            "content/a.md",
            "---\ntitle: A\ndate: 2025-01-01\npeople: [Sergey Sobyanin, Dmitry Peskov, Person 7]\n---\nText.\n",
        ),
        (
            "content/b.md",
            "---\ntitle: B\ndate: 2025-01-02\npeople: [Dmitry Peskov, Person 77]\n---\nText.\n",
        ),
        (
            "content/c.md",
            "---\ntitle: C\ndate: 2025-01-03\npeople:\n  - Sergei Sobyanin\n  - Dmitri Peskov\n---\nText.\n",
        ),
        (
            "content/entities/people/sergey-sobyanin.md",
            "---\nname: Sergey Sobyanin\n---\nMayor of Moscow.\n",
        ),
    ]);
    let r = build_ok(dir.path());
    assert_has_all(
        &r.stderr,
        &[
            "warning: `Sergei Sobyanin` here and `Sergey Sobyanin` in content/a.md:4 are two people spelled nearly alike\n --> content/c.md:5:5\n  |\n5 |   - Sergei Sobyanin\n  |     ^^^^^^^^^^^^^^^\n  |\nhelp: if they are one, write `Sergey Sobyanin` here, or add `aliases: [Sergei Sobyanin]` to content/entities/people/sergey-sobyanin.md; if they are two, give each a profile in content/entities/people/",
            "warning: `Dmitri Peskov` here and `Dmitry Peskov` in content/b.md:4 are two people spelled nearly alike\n --> content/c.md:6:5",
            "help: if they are one, write `Dmitry Peskov` here, or create content/entities/people/dmitry-peskov.md with `aliases: [Dmitri Peskov]`; if they are two, give each a profile in content/entities/people/",
        ],
    );
    assert!(r.stdout.ends_with("; 2 warnings\n"), "{}", r.stdout);
    // An alias in the profile makes the two one person: no warning is left about them.
    write(
        dir.path(),
        "content/entities/people/sergey-sobyanin.md",
        "---\nname: Sergey Sobyanin\naliases: [Sergei Sobyanin]\n---\nMayor of Moscow.\n",
    );
    let r = build_ok(dir.path());
    assert!(!r.stderr.contains("Sobyanin"), "{}", r.stderr);
    assert!(r.stdout.ends_with("; 1 warning\n"), "{}", r.stdout);
}

#[test]
fn a_profile_name_is_the_name_on_every_page() {
    let dir = site(&[
        (
            "content/a.md",
            "---\ntitle: A\ndate: 2025-01-01\nauthors: [desk editor]\npeople: [Steve Witkoff, Vlad Putin]\ntopics: [war]\n---\nText.\n",
        ),
        (
            "content/entities/people/steve-witkoff.md",
            "---\nname: Steven Witkoff\n---\nEnvoy.\n",
        ),
        (
            "content/entities/people/vladimir-putin.md",
            "---\nname: Vladimir Putin\naliases: [Vlad Putin]\n---\nPresident.\n",
        ),
        (
            "content/authors/desk-editor.md",
            "---\nname: Desk Editor\n---\nEdits the desk.\n",
        ),
        (
            "content/topics/war.md",
            "---\ntitle: The war\n---\nIntro.\n",
        ),
    ]);
    build_ok(dir.path());
    let page = read(dir.path(), "public/2025/01/a/index.html");
    let home = read(dir.path(), "public/index.html");
    let feed = read(dir.path(), "public/atom.xml");
    for text in [&page, &home] {
        assert_has_all(text, &[">Desk Editor</a>", ">The war</a>"]);
        assert!(!text.contains("desk editor"), "{text}");
    }
    assert_has_all(
        &page,
        &[
            ">Steven Witkoff</a>",
            ">Vladimir Putin</a>",
            "\"name\":\"Desk Editor\"",
        ],
    );
    assert!(
        !page.contains("Steve Witkoff") && !page.contains("Vlad Putin"),
        "{page}"
    );
    assert_has_all(&feed, &["<name>Desk Editor</name>"]);
}

#[test]
fn a_file_with_twenty_thousand_links_locates_the_last_one() {
    // Half on lines of their own, half on one long line; the bad link is the last.
    let mut body = "See [it](story:other).\n".repeat(10_000);
    body.push_str(&"See [it](story:other). ".repeat(10_000));
    body.push_str("And [this](story:othr).\n");
    let text = format!("---\ntitle: Many\ndate: 2025-01-02\n---\n{body}");
    let dir = site(&[
        ("content/many.md", &text),
        (
            "content/other.md",
            "---\ntitle: Other\ndate: 2025-01-01\n---\nText.\n",
        ),
    ]);
    let r = build_fails_with(
        dir.path(),
        &["error: unknown briefing `othr` in `story:othr`\n--> content/many.md:10005:230005\n"],
    );
    assert!(
        r.stderr.contains("help: did you mean `story:other`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn front_matter_text_gets_the_body_s_smart_punctuation() {
    let dir = site(&[(
        "content/kremlin-s-chance.md",
        "---\ntitle: \"Kremlin's 'very good chance' -- and more...\"\ndate: 2025-01-01\nsummary: The \"deal\" isn't done.\nfacts:\n  - label: Envoy's odds\n    value: \"'very good'\"\ncorrections:\n  - date: 2025-01-02\n    note: Fixed the envoy's name.\n---\nSaid [it](claim:disputed \"Kyiv's denial\").\n\n![A map](https://example.org/map.png \"The 'front' -- today\")\n",
    )]);
    build_ok(dir.path());
    let page = read(dir.path(), "public/2025/01/kremlin-s-chance/index.html");
    assert_has_all(
        &page,
        &[
            "<h1>Kremlin’s ‘very good chance’ – and more…</h1>",
            "The “deal” isn’t done.",
            "<dt>Envoy’s odds</dt>",
            "‘very good’",
            "Fixed the envoy’s name.",
            "Kyiv’s denial",
            "The ‘front’ – today",
        ],
    );
}

#[test]
fn a_duplicate_slug_is_blamed_on_the_slug_line_that_set_it() {
    let dir = site(&[
        (
            "content/witkoff-putin-moscow.md",
            "---\ntitle: A\ndate: 2025-01-01\n---\nText.\n",
        ),
        (
            "content/phone-call-needed.md",
            "---\ntitle: B\ndate: 2025-01-02\nslug: witkoff-putin-moscow\n---\nText.\n",
        ),
    ]);
    let r = build_fails_with(
        dir.path(),
        &[
            "error: the slug `witkoff-putin-moscow` is also used by content/witkoff-putin-moscow.md\n --> content/phone-call-needed.md:4:7\n  |\n4 | slug: witkoff-putin-moscow\n  |       ^^^^^^^^^^^^^^^^^^^^\n  |\nhelp: each briefing needs its own slug: change this `slug:`, or remove it to use the file's name",
        ],
    );
    assert!(r.stderr.contains("found 1 problem"), "{}", r.stderr);
}

#[test]
fn an_unclosed_bracket_is_reported_where_it_opens() {
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-01-02\ntopics: [Kremlin's war\nsummary: x\n---\nText.\n",
    )]);
    build_fails_with(
        dir.path(),
        &[
            "error: this `[` is never closed\n --> content/a.md:4:9\n  |\n4 | topics: [Kremlin's war\n  |         ^\n  |\nhelp: end the list with `]` on this line, e.g. `topics: [Kremlin's war]`",
        ],
    );
    // A list over two lines that closes, and brackets in quotes, are fine.
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-01-02\ntopics: [One,\n  Two]\nsummary: \"x: [y\"\n---\nText.\n",
    )]);
    build_ok(dir.path());
}

#[test]
fn a_file_named_for_a_language_the_site_lacks_says_so() {
    let dir = site(&[(
        "content/talks.de.md",
        "---\ntitle: Gespräche\ndate: 2025-01-02\n---\nText.\n",
    )]);
    build_fails_with(
        dir.path(),
        &[
            "error: `de` in the file name is not one of this site's languages\n--> content/talks.de.md\n |\nhelp: this site is written in `en` only: rename the file to `talks.md`, or list its languages in site.yaml, e.g. `languages: [en, de]`",
        ],
    );
    // A dot that is no language is still a slug problem.
    let dir = site(&[(
        "content/talks.v2.md",
        "---\ntitle: Talks\ndate: 2025-01-02\n---\nText.\n",
    )]);
    build_fails_with(
        dir.path(),
        &["error: the file name \"talks.v2\" is not a valid slug"],
    );
}

#[test]
fn a_date_that_reads_two_ways_is_refused_with_both_readings() {
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 03/04/2025\n---\nText.\n",
    )]);
    build_fails_with(
        dir.path(),
        &[
            "error: `date` is not a valid date: `03/04/2025` could be 3 April or 4 March: write 2025-04-03 or 2025-03-04 to say which\n --> content/a.md:3:7",
        ],
    );
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 03/14/2025\n---\nText.\n",
    )]);
    build_fails_with(
        dir.path(),
        &[
            "error: `date` is not a valid date: write dates as YYYY-MM-DD, e.g. 2025-03-14 for `03/14/2025`",
        ],
    );
}

#[test]
fn a_missing_picture_with_a_near_twin_beside_it_suggests_the_twin() {
    let dir = site(&[
        (
            "content/a.md",
            "---\ntitle: A\ndate: 2025-01-02\nimage:\n  src: witkoff-kremiln.jpg\n  alt: The envoy\n---\nText.\n\n![A map](/img/mapp.png)\n",
        ),
        ("content/witkoff-kremlin.jpg", "not read: the name is wrong"),
        ("static/img/map.png", "not read either"),
    ]);
    build_fails_with(
        dir.path(),
        &[
            "error: the image `witkoff-kremiln.jpg` does not exist (looked for content/witkoff-kremiln.jpg)\n --> content/a.md:5:8\n  |\n5 |   src: witkoff-kremiln.jpg\n  |        ^^^^^^^^^^^^^^^^^^^\n  |\nhelp: did you mean `witkoff-kremlin.jpg`?",
            "error: the image `/img/mapp.png` does not exist (looked for static/img/mapp.png)\n  --> content/a.md:10:1",
            "help: did you mean `/img/map.png`?",
        ],
    );
}

#[test]
fn a_site_from_init_in_two_languages_shows_translated_labels_and_per_language_texts() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let site = dir.path().join("desk");
    let r = run(dir.path(), &["init", "desk"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let config = read(&site, "site.yaml");
    assert!(
        config.starts_with("# Site configuration. Every key is described in docs/content.md"),
        "{config}"
    );
    assert!(!config.contains("entities:"), "{config}");
    let config = config
        .replace("language: en", "languages: [en, uk]")
        .replace(
            "title: \"My briefings\"",
            "title: {en: \"My briefings\", uk: \"Мої брифінги\"}",
        );
    write(&site, "site.yaml", &config);
    write(
        &site,
        "content/briefings/welcome.uk.md",
        "---\ntitle: Вітаємо\ndate: 2025-01-01\ntranslation_of: welcome\ntopics: [getting-started]\npeople: [Desk Editor]\n---\nТекст.\n",
    );
    build_ok(&site);
    let home = read(&site, "public/uk/index.html");
    assert_has_all(
        &home,
        &[
            "<title>Мої брифінги</title>",
            ">Люди</a>",
            "topics/getting-started/\">Getting started</a>",
        ],
    );
    assert!(
        !home.contains(">People<") && !home.contains(">getting-started<"),
        "{home}"
    );
    assert_has_all(
        &read(&site, "public/index.html"),
        &["<title>My briefings</title>", ">People</a>"],
    );
}

#[test]
fn labels_given_by_language_apply_to_their_language_and_unknown_codes_are_errors() {
    let dir = site(&[
        (
            "site.yaml",
            "title: Desk\nbase_url: https://example.org/\nlanguages: [en, uk]\ndescription: {en: Sourced briefs, uk: Брифінги з джерелами}\nentities:\n  people: {en: Names, uk: Імена}\n  companies: Companies\n",
        ),
        (
            "content/a.md",
            "---\ntitle: A\ndate: 2025-01-01\npeople: [Ann]\ncompanies: [Acme]\n---\nText.\n",
        ),
    ]);
    build_ok(dir.path());
    let uk = read(dir.path(), "public/uk/index.html");
    assert_has_all(
        &uk,
        &[
            ">Імена</a>",
            ">Companies</a>",
            "content=\"Брифінги з джерелами\"",
        ],
    );
    assert_has_all(
        &read(dir.path(), "public/index.html"),
        &[">Names</a>", "content=\"Sourced briefs\""],
    );
    write(
        dir.path(),
        "site.yaml",
        "title: {en: Desk, de: Pult}\nbase_url: https://example.org/\nlanguages: [en, uk]\n",
    );
    build_fails_with(
        dir.path(),
        &[
            "error: `de` is not one of this site's languages\n --> site.yaml:1:19\n  |\n1 | title: {en: Desk, de: Pult}\n  |                   ^^\n  |\nhelp: give the text for each of: en, uk; or add `de` to `languages:`",
        ],
    );
}

#[test]
fn a_build_leaves_nothing_beside_site_yaml_but_its_output_and_cache() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let r = run(dir.path(), &["init", "desk"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let site = dir.path().join("desk");
    build_ok(&site);
    let mut top: Vec<String> = std::fs::read_dir(&site)
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(
        top,
        [
            ".brief-cache",
            ".gitignore",
            "content",
            "public",
            "site.yaml"
        ]
    );
    assert_eq!(read(&site, ".gitignore"), "/public/\n/.brief-cache/\n");
}

#[test]
fn a_new_briefing_drops_apostrophes_and_is_dated_in_the_machine_s_offset() {
    let dir = site(&[]);
    let out = brief(dir.path())
        .env("TZ", "Asia/Tokyo")
        .args(["new", "What's next?"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = read(dir.path(), "content/briefings/whats-next.md");
    let date = text
        .lines()
        .find(|l| l.starts_with("date: "))
        .expect("a date line");
    assert!(date.ends_with("+09:00"), "{date}");
}

#[test]
fn an_empty_file_is_left_out_with_a_warning() {
    let dir = site(&[
        (
            "content/a.md",
            "---\ntitle: A\ndate: 2025-01-01\n---\nText.\n",
        ),
        ("content/notes.md", "\n  \n"),
    ]);
    let r = build_ok(dir.path());
    assert_has_all(
        &r.stderr,
        &[
            "warning: this file is empty, so it was left out\n--> content/notes.md\n |\nhelp: write a briefing in it, starting with front matter between `---` lines, or delete it",
        ],
    );
    assert!(r.stdout.ends_with("; 1 warning\n"), "{}", r.stdout);
    assert_eq!(run(dir.path(), &["build", "--strict"]).code, 1);
}

#[test]
fn the_alt_text_help_names_the_folder_the_docs_use() {
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-01-01\n---\n![](/img/map.png)\n",
    )]);
    build_fails_with(
        dir.path(),
        &[
            "help: write ![what it shows](/img/photo.jpg \"caption | credit\"); for an image that only decorates, write ![-](/img/photo.jpg)",
        ],
    );
}
