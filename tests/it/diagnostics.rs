//! Every bad input named for the build, with its exact message and location.

use crate::support::*;

/// Builds a site with one extra file and returns stderr, asserting exit code 1.
fn fails(files: &[(&str, &str)]) -> String {
    let site = site(files);
    let r = run(site.path(), &["build"]);
    assert_eq!(
        r.code, 1,
        "expected failure, got:\n{}{}",
        r.stdout, r.stderr
    );
    assert!(!site.path().join("public").exists(), "nothing written");
    r.stderr
}

fn assert_has(stderr: &str, expected: &str) {
    assert!(
        stderr.contains(expected),
        "expected:\n{expected}\n--- in stderr:\n{stderr}"
    );
}

#[test]
fn invalid_yaml() {
    let err = fails(&[(
        "content/a.md",
        "---\ntitle: \"Broken: yaml\ndate: 2025-01-01\n---\n",
    )]);
    assert_has(
        &err,
        "error: invalid YAML: unclosed quote\n --> content/a.md:2:8\n  |\n2 | title: \"Broken: yaml\n  |        ^\n  |\nhelp: check that quotes and brackets are closed on this line",
    );
}

#[test]
fn unquoted_colon_in_a_value() {
    let err = fails(&[(
        "content/a.md",
        "---\ntitle: Talks: day two\ndate: 2025-01-01\n---\n",
    )]);
    assert_has(
        &err,
        "error: invalid YAML: mapping values are not allowed in this context\n --> content/a.md:2:13",
    );
    assert_has(&err, "help: a value containing `: ` must be quoted");
}

#[test]
fn front_matter_never_closed() {
    let err = fails(&[("content/a.md", "---\ntitle: x\ndate: 2025-01-01\nBody.\n")]);
    assert_has(
        &err,
        "error: the front matter is never closed\n --> content/a.md:1:1\n  |\n1 | ---\n  | ^\n  |\nhelp: add a line `---` after the last front-matter field",
    );
}

#[test]
fn no_front_matter() {
    let err = fails(&[("content/a.md", "# Just Markdown\n")]);
    assert_has(
        &err,
        "error: the file does not start with front matter\n --> content/a.md:1:1",
    );
}

#[test]
fn missing_title_and_date_are_both_reported() {
    let err = fails(&[("content/a.md", "---\nsummary: s\n---\n")]);
    assert_has(
        &err,
        "error: missing required field `title`\n --> content/a.md:1:1\n  |\n1 | ---\n  | ^^^\n  |\nhelp: add a line such as `title: \"Envoy carries ceasefire reply\"` to the front matter",
    );
    assert_has(
        &err,
        "error: missing required field `date`\n --> content/a.md:1:1",
    );
    assert_has(&err, "error: found 2 problems; nothing was written");
}

#[test]
fn impossible_date() {
    let err = fails(&[("content/a.md", "---\ntitle: x\ndate: 2025-13-45\n---\n")]);
    assert_has(
        &err,
        "error: `date` is not a valid date: there is no month 13; months run from 01 to 12\n --> content/a.md:3:7\n  |\n3 | date: 2025-13-45\n  |       ^^^^^^^^^^\n  |\nhelp: write a date as YYYY-MM-DD or an RFC 3339 timestamp such as 2025-03-14T09:30:00+03:00",
    );
    let err = fails(&[("content/a.md", "---\ntitle: x\ndate: 2025-02-29\n---\n")]);
    assert_has(
        &err,
        "error: `date` is not a valid date: February 2025 has no day 29; it has 28 days",
    );
}

#[test]
fn unknown_field_suggests_the_nearest() {
    let err = fails(&[(
        "content/a.md",
        "---\ntitle: x\ndate: 2025-01-01\ntopic: [a]\n---\n",
    )]);
    assert_has(
        &err,
        "error: unknown field `topic`\n --> content/a.md:4:1\n  |\n4 | topic: [a]\n  | ^^^^^\n  |\nhelp: did you mean `topics`?",
    );
}

#[test]
fn unknown_field_in_a_source() {
    let err = fails(&[(
        "content/a.md",
        "---\ntitle: x\ndate: 2025-01-01\nsources:\n  - id: a\n    name: A\n    link: https://e.org/\n---\n",
    )]);
    assert_has(&err, "error: unknown field `link`\n --> content/a.md:7:5");
}

#[test]
fn bad_slugs() {
    for (slug, line) in [
        ("Upper", "slug: Upper"),
        ("with space", "slug: with space"),
        ("../escape", "slug: ../escape"),
    ] {
        let err = fails(&[(
            "content/a.md",
            &format!("---\ntitle: x\ndate: 2025-01-01\n{line}\n---\n"),
        )]);
        assert_has(
            &err,
            &format!("error: invalid slug {slug:?}\n --> content/a.md:4:7"),
        );
        assert_has(
            &err,
            "help: a slug uses lowercase letters, digits and `-` only",
        );
    }
    let err = fails(&[(
        "content/Bad Name.md",
        "---\ntitle: x\ndate: 2025-01-01\n---\n",
    )]);
    assert_has(
        &err,
        "error: the file name \"Bad Name\" is not a valid slug\n--> content/Bad Name.md",
    );
    assert_has(&err, "or add `slug: bad-name` to the front matter");
}

#[test]
fn duplicate_slug_names_both_files() {
    let err = fails(&[
        (
            "content/a/talks.md",
            "---\ntitle: x\ndate: 2025-01-01\n---\n",
        ),
        (
            "content/b.md",
            "---\ntitle: y\ndate: 2025-01-02\nslug: talks\n---\n",
        ),
    ]);
    assert_has(
        &err,
        "error: the slug `talks` is also used by content/a/talks.md\n --> content/b.md:4:7",
    );
    assert_has(&err, "help: each briefing needs its own slug");
}

#[test]
fn non_utf8_file() {
    let site = site(&[]);
    std::fs::create_dir_all(site.path().join("content")).expect("mkdir");
    std::fs::write(
        site.path().join("content/a.md"),
        b"---\ntitle: \"caf\xe9\"\ndate: 2025-01-01\n---\n",
    )
    .expect("write");
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert_has(
        &r.stderr,
        "error: this file is not valid UTF-8 text\n --> content/a.md:2:12",
    );
    assert_has(&r.stderr, "help: save the file with UTF-8 encoding");
}

#[test]
fn site_yaml_bad_base_url() {
    let site = site(&[]);
    write(
        site.path(),
        "site.yaml",
        "title: T\nbase_url: example.org/news\n",
    );
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert_has(
        &r.stderr,
        "error: `base_url` must start with http:// or https://\n --> site.yaml:2:11\n  |\n2 | base_url: example.org/news\n  |           ^^^^^^^^^^^^^^^^\n  |\nhelp: use an absolute http(s) URL",
    );
}

#[test]
fn site_yaml_unknown_key() {
    let site = site(&[]);
    write(
        site.path(),
        "site.yaml",
        "title: T\nbase_url: https://e.org/\npaginte: 10\n",
    );
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert_has(
        &r.stderr,
        "error: unknown field `paginte`\n --> site.yaml:3:1\n  |\n3 | paginte: 10\n  | ^^^^^^^\n  |\nhelp: did you mean `paginate`?",
    );
}

#[test]
fn missing_site_yaml() {
    let dir = tempfile::TempDir::new().expect("temp");
    let r = run(dir.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert_has(&r.stderr, "error: cannot read the site configuration");
    assert_has(&r.stderr, "help: run `brief init` to create a site");
}

#[test]
fn template_syntax_error_shows_teras_location() {
    let err = fails(&[
        ("content/a.md", "---\ntitle: x\ndate: 2025-01-01\n---\n"),
        (
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title \n{% endblock main %}\n",
        ),
        ("templates/taxon.html", "{% if %}\n"),
    ]);
    assert_has(&err, "error: template syntax error: ");
    assert_has(&err, "--> templates/page.html:4:");
    assert_has(&err, "--> templates/taxon.html:1:");
    assert_has(&err, "error: found 2 problems");
}

#[test]
fn unknown_related_slug() {
    let err = fails(&[(
        "content/a.md",
        "---\ntitle: x\ndate: 2025-01-01\nrelated: [nope]\n---\n",
    )]);
    assert_has(
        &err,
        "error: `related` names an unknown briefing `nope`\n --> content/a.md:4:11",
    );
}

#[test]
fn empty_topic_slug_and_unsafe_source_url() {
    let err = fails(&[(
        "content/a.md",
        "---\ntitle: x\ndate: 2025-01-01\ntopics: [\"!!!\"]\nsources:\n  - id: s\n    name: S\n    url: \"javascript:alert(1)\"\n---\n",
    )]);
    assert_has(
        &err,
        "error: the topic name \"!!!\" has no letters or digits to make a URL from\n --> content/a.md:4:10",
    );
    assert_has(
        &err,
        "error: the source URL \"javascript:alert(1)\" is not allowed\n --> content/a.md:8:10",
    );
}

#[test]
fn three_broken_files_are_all_reported_and_public_is_untouched() {
    let site = site(&[(
        "content/good.md",
        "---\ntitle: Good\ndate: 2025-01-01\n---\nOk.\n",
    )]);
    build_ok(site.path());
    let before = tree(&site.path().join("public"));
    let home_before = read(site.path(), "public/index.html");

    write(site.path(), "content/one.md", "---\ntitle: x\n");
    write(
        site.path(),
        "content/two.md",
        "---\ntitle: x\ndate: 2025-02-30\n---\n",
    );
    write(
        site.path(),
        "content/three.md",
        "---\ntitle: x\ndate: 2025-01-01\ntopic: [a]\n---\n",
    );
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert_has(&r.stderr, "--> content/one.md:1:1");
    assert_has(&r.stderr, "--> content/two.md:3:7");
    assert_has(&r.stderr, "--> content/three.md:4:1");
    assert_has(&r.stderr, "error: found 3 problems; nothing was written");
    assert_eq!(tree(&site.path().join("public")), before);
    assert_eq!(read(site.path(), "public/index.html"), home_before);
}

#[test]
fn a_string_where_a_list_belongs() {
    let err = fails(&[(
        "content/a.md",
        "---\ntitle: x\ndate: 2025-01-01\ntopics: Ukraine war\n---\n",
    )]);
    assert_has(
        &err,
        "error: `topics` must be a list\n --> content/a.md:4:9\n  |\n4 | topics: Ukraine war\n  |         ^\n  |\nhelp: write `topics: [First, Second]`, or one item per line starting with `- `",
    );
}

#[test]
fn a_list_where_text_belongs() {
    let err = fails(&[("content/a.md", "---\ntitle: [A]\ndate: 2025-01-01\n---\n")]);
    assert_has(
        &err,
        "error: `title` takes one value, not a list or a group of fields\n --> content/a.md:2:8",
    );
}

/// A number the parser cannot read is named as such, with the range, not as the parser's
/// type name (it said `invalid u32`).
#[test]
fn a_number_site_yaml_cannot_read() {
    for (value, col) in [("-3", 11), ("twenty", 11), ("2.5", 11)] {
        let site = site(&[]);
        write(
            site.path(),
            "site.yaml",
            &format!("title: T\nbase_url: https://e.org/\npaginate: {value}\n"),
        );
        let r = run(site.path(), &["build"]);
        assert_eq!(r.code, 1);
        assert_has(
            &r.stderr,
            &format!(
                "error: `paginate` must be a whole number\n --> site.yaml:3:{col}\n  |\n3 | paginate: {value}\n"
            ),
        );
        assert_has(
            &r.stderr,
            "help: write digits only, from 0 to 4294967295, e.g. `paginate: 20`",
        );
    }
}

#[test]
fn a_value_where_fields_belong() {
    let site = site(&[]);
    write(
        site.path(),
        "site.yaml",
        "title: T\nbase_url: https://e.org/\nfeeds: full\n",
    );
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert_has(
        &r.stderr,
        "error: `feeds` holds fields of its own, not a value\n --> site.yaml:3:8\n  |\n3 | feeds: full\n",
    );
    assert_has(
        &r.stderr,
        "help: write `feeds:` alone on its line, then each of its fields on a line below, indented by two spaces",
    );
}

#[test]
fn a_word_where_a_fractional_number_belongs() {
    let site = site(&[]);
    write(
        site.path(),
        "site.yaml",
        "title: T\nbase_url: https://e.org/\nrelated:\n  min_score: high\n",
    );
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert_has(
        &r.stderr,
        "error: `min_score` must be a number\n --> site.yaml:4:14\n",
    );
    assert_has(&r.stderr, "help: write a number such as `min_score: 1.5`");
}

#[test]
fn fact_without_value() {
    let err = fails(&[(
        "content/a.md",
        "---\ntitle: x\ndate: 2025-01-01\nfacts:\n  - label: Troops\n---\n",
    )]);
    assert_has(
        &err,
        "error: missing required field `value`\n --> content/a.md:5:5\n  |\n5 |   - label: Troops\n  |     ^\n  |\nhelp: add `value:` to this entry",
    );
}

#[test]
fn duplicate_field() {
    let err = fails(&[(
        "content/a.md",
        "---\ntitle: x\ntitle: y\ndate: 2025-01-01\n---\n",
    )]);
    assert_has(
        &err,
        "error: the field `title` appears twice\n --> content/a.md:3:1",
    );
}

#[test]
fn unknown_fact_source() {
    let err = fails(&[(
        "content/a.md",
        "---\ntitle: x\ndate: 2025-01-01\nsources:\n  - id: peskov\n    name: P\nfacts:\n  - label: L\n    value: V\n    source: pesckov\n---\n",
    )]);
    assert_has(
        &err,
        "error: unknown source id `pesckov`\n  --> content/a.md:10:13",
    );
    assert_has(&err, "help: did you mean `peskov`?");
}

/// A briefing whose front matter is 4 lines long (body starts on line 6) with `body`.
fn briefing_with_body(body: &str) -> String {
    format!("---\ntitle: x\ndate: 2025-01-01\nsources: [{{id: peskov, name: P}}]\n---\n{body}")
}

#[test]
fn unknown_story_target() {
    let err = fails(&[
        ("content/other.md", "---\ntitle: o\ndate: 2025-01-01\n---\n"),
        (
            "content/a.md",
            &briefing_with_body("Intro.\nSee [earlier](story:othr) too.\n"),
        ),
    ]);
    assert_has(
        &err,
        "error: unknown briefing `othr` in `story:othr`\n --> content/a.md:7:5\n  |\n7 | See [earlier](story:othr) too.\n  |     ^^^^^^^^^^^^^^^^^^^^^\n  |\nhelp: did you mean `story:other`?",
    );
}

#[test]
fn unknown_topic_target() {
    let err = fails(&[(
        "content/a.md",
        &briefing_with_body("[war](topic:ukraine-war)\n"),
    )]);
    assert_has(
        &err,
        "error: unknown topic `ukraine-war` in `topic:ukraine-war`\n --> content/a.md:6:1",
    );
}

#[test]
fn unknown_entity_in_a_page() {
    let err = fails(&[
        (
            "content/a.md",
            "---\ntitle: x\ndate: 2025-01-01\npeople: [Vladimir Putin]\n---\n",
        ),
        (
            "content/pages/about.md",
            "---\ntitle: About\n---\nWe cover [Putin](people:putin-v).\n",
        ),
    ]);
    assert_has(
        &err,
        "error: unknown entity `putin-v` in `people:putin-v`\n --> content/pages/about.md:4:10",
    );
}

#[test]
fn unknown_entity_kind() {
    let err = fails(&[(
        "content/a.md",
        &briefing_with_body("[Putin](person:vladimir-putin)\n"),
    )]);
    assert_has(
        &err,
        "error: unknown annotation `person:`\n --> content/a.md:6:1",
    );
    assert_has(&err, "help: did you mean `people:`?");
}

#[test]
fn unknown_source_in_the_body() {
    let err = fails(&[(
        "content/a.md",
        &briefing_with_body("[He said](source:pesko) so.\n"),
    )]);
    assert_has(
        &err,
        "error: unknown source id `pesko`\n --> content/a.md:6:1",
    );
    assert_has(&err, "help: did you mean `peskov`?");
}

#[test]
fn unknown_claim_status() {
    let err = fails(&[(
        "content/a.md",
        &briefing_with_body("They [won](claim:disputd \"no\").\n"),
    )]);
    assert_has(
        &err,
        "error: unknown claim status `disputd`\n --> content/a.md:6:6",
    );
    assert_has(&err, "help: did you mean `disputed`?");
}

#[test]
fn facts_block_errors_point_inside_the_markdown() {
    let err = fails(&[(
        "content/a.md",
        &briefing_with_body(
            "Intro.\n\n```facts\n- label: A\n  value: B\n- label: C\n  value: [unclosed\n```\n",
        ),
    )]);
    assert_has(&err, "--> content/a.md:12:");
    let err = fails(&[(
        "content/a.md",
        &briefing_with_body("```facts\n- label: A\n  value: B\n  source: nope\n```\n"),
    )]);
    assert_has(
        &err,
        "error: unknown source id `nope`\n --> content/a.md:9:11",
    );
}

#[test]
fn all_annotation_errors_in_a_file_are_reported() {
    // Problems inside one file are all reported together; links to other files are checked
    // once every file has loaded.
    let err = fails(&[(
        "content/a.md",
        &briefing_with_body("[a](source:x) [b](claim:maybe) [c](story:none) [d](topic:none)\n"),
    )]);
    assert_has(&err, "error: found 2 problems");
    let err = fails(&[(
        "content/a.md",
        &briefing_with_body("[c](story:none) [d](topic:none) [e](story:gone)\n"),
    )]);
    assert_has(&err, "error: found 3 problems");
}

#[test]
fn intros_profiles_and_pages_report_every_problem_in_the_file() {
    let err = fails(&[
        (
            "content/entities/people/Bad Name.md",
            "---\naliases: [\"--\"]\n---\nSee [x](story:nowhere) and [y](claim:maybe).\n",
        ),
        (
            "content/pages/about.md",
            "---\nslug: About Us\n---\n[z](claim:perhaps)\n",
        ),
        (
            "content/topics/energy.md",
            "---\ntitel: Energy\n---\n[w](source:none)\n",
        ),
    ]);
    for expected in [
        "error: the file name \"Bad Name\" is not a valid slug\n--> content/entities/people/Bad Name.md",
        "error: missing required field `name`\n --> content/entities/people/Bad Name.md:1:1",
        "error: this alias has no letters or digits\n --> content/entities/people/Bad Name.md:2:11",
        "error: unknown claim status `maybe`\n --> content/entities/people/Bad Name.md:4:28",
        "error: missing required field `title`\n --> content/pages/about.md:1:1",
        "error: invalid slug \"About Us\"\n --> content/pages/about.md:2:7",
        "error: unknown claim status `perhaps`\n --> content/pages/about.md:4:1",
        "error: unknown field `titel`\n --> content/topics/energy.md:2:1",
        "error: unknown source id `none`\n --> content/topics/energy.md:4:1",
    ] {
        assert_has(&err, expected);
    }
    assert_has(&err, "error: found 9 problems; nothing was written");
}
