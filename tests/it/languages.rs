//! Every label in the site's language: the built-in translations, a site's own strings
//! over them, dates in each language's words and order, right-to-left pages, and the
//! errors a translation file can have.

use crate::support::*;

const BRIEFING: &str = "---\ntitle: \"Переговори\"\ndate: 2025-03-14T14:00:00+03:00\nupdated: 2025-03-15\nauthors: [Олена Коваленко]\ntopics: [Енергетика]\n---\n> [!WARNING]\n> [Усе гаразд](claim:disputed \"Ні\").\n";
const SECOND: &str = "---\ntitle: \"Ще\"\ndate: 2025-03-10\ntopics: [Енергетика]\n---\nТекст.\n";

fn site_in(language: &str) -> tempfile::TempDir {
    let site = site(&[("content/a.md", BRIEFING), ("content/b.md", SECOND)]);
    write(
        site.path(),
        "site.yaml",
        &format!("title: Test\nbase_url: https://example.org/\nlanguage: {language}\n"),
    );
    site
}

#[test]
fn a_ukrainian_site_speaks_ukrainian() {
    let site = site_in("uk");
    build_ok(site.path());
    let public = site.path().join("public");
    let page = read(&public, "2025/03/a/index.html");
    assert_has_all(
        &page,
        &[
            "<html lang=\"uk\" dir=\"ltr\">",
            "Опубліковано <a href=\"../../../2025/03/14/\"><time datetime=\"2025-03-14T14:00:00+03:00\">14 березня 2025, 14:00 (UTC+3)</time></a>",
            "<p class=\"callout-title\">Попередження</p>",
            "<span aria-hidden=\"true\">⚠</span> Оскаржується",
            "<h2 id=\"claims-heading\">Твердження в цьому брифінгу</h2>",
            "<span class=\"byline\">Автор <a class=\"author\"",
            "href=\"#main\">Перейти до змісту</a>",
        ],
    );
    let topic = read(&public, "topics/enerhetyka/index.html");
    assert!(
        topic.contains("<h2 id=\"list-heading\">2 брифінги, спочатку новіші</h2>"),
        "{topic}"
    );
    assert!(topic.contains("<h3 class=\"month-label\">березень 2025</h3>"));
    let month = read(&public, "2025/03/index.html");
    assert!(month.contains("<h1>березень 2025</h1>"), "{month}");
}

#[test]
fn an_arabic_site_is_written_right_to_left() {
    let site = site_in("ar");
    build_ok(site.path());
    let page = read(&site.path().join("public"), "2025/03/a/index.html");
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"), "{page}");
    assert!(page.contains("<h2 id=\"claims-heading\">الادعاءات في هذا الموجز</h2>"));
    assert!(page.contains("14 مارس 2025، 14:00 (UTC+3)"), "{page}");
}

#[test]
fn a_site_changes_any_label_in_its_own_file() {
    let site = site_in("en-GB");
    write(
        site.path(),
        "i18n/en.yaml",
        "related_briefings: See also\nbyline_by: Words by\n",
    );
    build_ok(site.path());
    let page = read(&site.path().join("public"), "2025/03/a/index.html");
    assert!(
        page.contains("<h2 id=\"related-heading\">See also</h2>"),
        "{page}"
    );
    assert!(page.contains("<span class=\"byline\">Words by <a"));
    assert!(page.contains("<h2 id=\"sources-heading\">") || !page.contains("Sources"));
}

#[test]
fn a_translation_file_is_checked_key_by_key() {
    let site = site_in("en");
    write(
        site.path(),
        "i18n/en.yaml",
        "related_briefing: See also\nmonths: [Jan, Feb]\ncorrection: Fix\n",
    );
    build_fails_with(
        site.path(),
        &[
            "error: unknown translation key `related_briefing`\n --> i18n/en.yaml:1:1",
            "help: did you mean `related_briefings`?",
            "error: `months` has the wrong shape for this key\n --> i18n/en.yaml:2:1",
            "help: it is a list of 12 texts, e.g. [January, February, ...]",
            "error: `correction` has the wrong shape for this key\n --> i18n/en.yaml:3:1",
            "help: it has one text per plural form, at least `other:`",
        ],
    );
}

#[test]
fn a_language_brief_does_not_speak_needs_every_key() {
    let site = site_in("pl");
    build_fails_with(
        site.path(),
        &[
            "error: there are no labels in the language `pl`\n--> site.yaml",
            "help: the built-in theme speaks en, uk, ru, de, fr, es, ar; for another language, add i18n/pl.yaml with every key of the built-in en.yaml",
        ],
    );
    write(
        site.path(),
        "i18n/pl.yaml",
        "skip_link: Przejdź do treści\n",
    );
    build_fails_with(
        site.path(),
        &[
            "error: the key `related_briefings` is missing from the `pl` translation\n--> i18n/pl.yaml",
            "help: add `related_briefings:` with its pl text; the built-in en.yaml shows what it says",
        ],
    );
}
