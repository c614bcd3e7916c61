//! Themes extend templates instead of copying them: `builtin/<file>` is every built-in
//! template, `<theme>/<file>` a theme's own, and each replaces only the blocks it names.

use crate::support::*;

const BRIEFING: &str =
    "---\ntitle: \"Talks\"\ndate: 2025-03-14\ntopics: [Energy]\npeople: [Ann Smith]\n---\nBody.\n";
const OTHER: &str = "---\ntitle: \"More talks\"\ndate: 2025-03-13\ntopics: [Energy]\npeople: [Ann Smith]\n---\nMore.\n";

const RELATED_ONLY: &str = "{% extends \"builtin/briefing.html\" %}{% block related %}<p class=\"mine\">{{ briefing.related | length }} related</p>{% endblock related %}";

/// The part of `page` before and after its related briefings, without the blank space the
/// block leaves.
fn around_related(page: &str) -> (&str, &str) {
    let at = page
        .find("<section class=\"related\"")
        .or_else(|| page.find("<p class=\"mine\">"))
        .expect("a related section");
    let end = page[at..]
        .find("</section>")
        .or_else(|| page[at..].find("</p>"))
        .map(|e| at + e)
        .expect("its end");
    let after = page[end..]
        .trim_start_matches("</section>")
        .trim_start_matches("</p>");
    (page[..at].trim_end(), after.trim_start())
}

#[test]
fn a_site_template_replaces_one_block_of_the_built_in_page() {
    let site = site(&[("content/a.md", BRIEFING), ("content/b.md", OTHER)]);
    build_ok(site.path());
    let plain = read(site.path(), "public/2025/03/a/index.html");
    write(site.path(), "templates/briefing.html", RELATED_ONLY);
    build_ok(site.path());
    let extended = read(site.path(), "public/2025/03/a/index.html");
    assert!(
        extended.contains("<p class=\"mine\">1 related</p>"),
        "{extended}"
    );
    assert!(!extended.contains("Related briefings"));
    let (before, after) = around_related(&plain);
    let (before2, after2) = around_related(&extended);
    assert_eq!(
        before, before2,
        "everything before the block is the built-in page's"
    );
    assert_eq!(after, after2, "and everything after it");
}

#[test]
fn a_site_extends_its_theme_which_extends_the_built_in_theme() {
    let site = site(&[("content/a.md", BRIEFING), ("content/b.md", OTHER)]);
    write(
        site.path(),
        "site.yaml",
        "title: Test\nbase_url: https://example.org/\ntheme: paper\n",
    );
    write(
        site.path(),
        "themes/paper/templates/briefing.html",
        "{% extends \"builtin/briefing.html\" %}{% block sources %}<p class=\"paper\">paper sources</p>{% endblock sources %}",
    );
    write(
        site.path(),
        "templates/briefing.html",
        "{% extends \"paper/briefing.html\" %}{% block related %}<p class=\"site\">site related</p>{% endblock related %}",
    );
    build_ok(site.path());
    let page = read(site.path(), "public/2025/03/a/index.html");
    assert_has_all(
        &page,
        &[
            "<p class=\"paper\">paper sources</p>",
            "<p class=\"site\">site related</p>",
            "<h1>Talks</h1>",
            "<h2 id=\"entities-heading\">In this briefing</h2>",
        ],
    );
}

#[test]
fn extending_a_template_that_does_not_exist_is_an_error() {
    let site = site(&[("content/a.md", BRIEFING)]);
    write(
        site.path(),
        "templates/briefing.html",
        "{% extends \"builtin/briefing.htm\" %}{% block related %}{% endblock related %}",
    );
    build_fails_with(
        site.path(),
        &[
            "error: this template extends `builtin/briefing.htm`, which does not exist\n--> templates/briefing.html",
        ],
    );
    write(
        site.path(),
        "site.yaml",
        "title: Test\nbase_url: https://example.org/\ntheme: builtin\n",
    );
    build_fails_with(
        site.path(),
        &["error: `builtin` cannot be a theme's name\n --> site.yaml:3:8"],
    );
}

#[test]
fn claims_citations_and_callouts_come_from_partials_a_site_can_replace() {
    let text = "---\ntitle: \"Marked\"\ndate: 2025-03-14\nsources:\n  - id: wire\n    name: \"Wire <b>\"\n---\n> [!TIP]\n> [They said](source:wire) [it <i>works</i>](claim:false \"No: <script>x</script>\").\n";
    let site = site(&[("content/a.md", text)]);
    write(
        site.path(),
        "templates/partials/claim.html",
        "<mark data-status=\"{{ claim.status }}\" title=\"{{ claim.note }}\">{{ content | safe }}</mark>",
    );
    write(
        site.path(),
        "templates/partials/citation.html",
        "{{ content | safe }}<a href=\"#source-{{ source.number }}\">({{ source.name }})</a>",
    );
    write(
        site.path(),
        "templates/partials/callout.html",
        "<aside class=\"{{ callout.kind }}\"><b>{{ callout.title }}</b>{{ content | safe }}</aside>",
    );
    build_ok(site.path());
    let page = read(site.path(), "public/2025/03/a/index.html");
    assert!(page.contains(
        "<aside class=\"tip\"><b>Tip</b>\n<p>They said<a href=\"#source-1\">(Wire &lt;b&gt;)</a> <mark data-status=\"false\" title=\"No: &lt;script&gt;x&lt;/script&gt;\">it <i>works</i></mark>.</p>\n</aside>"
    ), "{page}");
}

/// The fields of every view type templates see, by type: `(type, fields)`. Read from the
/// source, so a new field cannot go undocumented. Fields that are skipped or flattened into
/// their parent are left out (a flattened type is documented on its own).
fn view_fields() -> Vec<(String, Vec<String>)> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render");
    let mut types = Vec::new();
    for file in [
        "views.rs",
        "pictures.rs",
        "body.rs",
        "feeds.rs",
        "languages.rs",
        "email.rs",
    ] {
        let text = std::fs::read_to_string(src.join(file)).expect("read source");
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next() {
            if !(line.starts_with("#[derive(") && line.contains("Serialize")) {
                continue;
            }
            let Some(decl) = lines.by_ref().find(|l| l.contains("struct ")) else {
                break;
            };
            let name = decl
                .split("struct ")
                .nth(1)
                .and_then(|rest| rest.split(['<', ' ', '{']).next())
                .unwrap_or_default()
                .to_string();
            let mut fields = Vec::new();
            let mut hidden = false;
            for body in lines.by_ref() {
                let body = body.trim();
                if body == "}" {
                    break;
                }
                if body.starts_with("#[serde(skip") || body.starts_with("#[serde(flatten") {
                    hidden = true;
                    continue;
                }
                if body.starts_with("//") || body.starts_with('#') || !body.contains(':') {
                    continue;
                }
                let field = body
                    .trim_start_matches("pub ")
                    .split(':')
                    .next()
                    .unwrap_or("");
                if !std::mem::take(&mut hidden) {
                    fields.push(field.trim().to_string());
                }
            }
            types.push((name, fields));
        }
    }
    types
}

#[test]
fn every_field_a_template_sees_is_documented() {
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/themes.md"),
    )
    .expect("docs/themes.md");
    let types = view_fields();
    assert!(types.len() > 30, "found only {} view types", types.len());
    let mut missing = Vec::new();
    for (name, fields) in &types {
        let Some(section) = docs.split(&format!("\n### {name}\n")).nth(1) else {
            missing.push(format!("the section `### {name}`"));
            continue;
        };
        let section = section.split("\n### ").next().unwrap_or(section);
        for field in fields {
            if !section.contains(&format!("| `{field}` |")) {
                missing.push(format!("{name}.{field}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/themes.md does not document: {missing:?}"
    );
}

/// The files of the walkthrough in docs/themes.md: each code block after a line naming a
/// file in backticks, with that file's path.
fn walkthrough() -> Vec<(String, String)> {
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/themes.md"),
    )
    .expect("docs/themes.md");
    let part = docs
        .split("## Make your own theme")
        .nth(1)
        .expect("the walkthrough");
    let mut files = Vec::new();
    let mut named = None;
    let mut lines = part.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("```") {
            let block: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with("```"))
                .collect();
            if let Some(path) = named.take() {
                files.push((path, block.join("\n") + "\n"));
            }
        } else if let Some(path) = line.strip_prefix('`').and_then(|l| l.split('`').next()) {
            named = Some(path.to_string());
        } else if line.contains("`site.yaml`") {
            named = Some("site.yaml".to_string());
        }
    }
    files
}

#[test]
fn the_make_your_own_theme_walkthrough_works() {
    let site = site(&[("content/a.md", BRIEFING), ("content/b.md", OTHER)]);
    let files = walkthrough();
    assert_eq!(files.len(), 4, "{files:?}");
    for (path, text) in &files {
        if path == "site.yaml" {
            let yaml = read(site.path(), "site.yaml") + text;
            write(site.path(), "site.yaml", &yaml);
        } else {
            write(site.path(), path, text);
        }
    }
    build_ok(site.path());
    let public = site.path().join("public");
    assert!(read(&public, "paper.css").contains("Georgia"));
    let page = read(&public, "2025/03/a/index.html");
    assert_has_all(
        &page,
        &[
            "<link rel=\"stylesheet\" href=\"../../../paper.css\">",
            "<section class=\"paper-related\">",
            "<li><a href=\"../../../2025/03/b/\">More talks</a></li>",
            "application/ld+json",
            "<h2 id=\"entities-heading\">In this briefing</h2>",
        ],
    );
    assert!(read(&public, "index.html").contains("paper.css"));
}
