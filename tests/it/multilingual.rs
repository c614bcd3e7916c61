//! Sites in more than one language: the main language at the root and each other one under
//! `/<code>/`, translations linked both ways, each language's own lists, feeds, search and
//! sitemap, and the errors a translation can have.

use crate::support::*;

const SITE: &str = "title: Desk\nbase_url: https://example.org/briefs/\nlanguages: [en, uk]\n";
const EN: &str = "---\ntitle: Talks begin\ndate: 2025-03-14T14:00:00+03:00\ntopics: [Ceasefire talks]\npeople: [Vladimir Putin]\n---\nThe talks began. See [about](/about/) and the [map](/img/map.txt).\n";
const UK: &str = "---\ntitle: Переговори почалися\ndate: 2025-03-14T15:00:00+03:00\nlang: uk\ntranslation_of: talks\nslug: talks\ntopics: [ceasefire-talks]\npeople: [Володимир Путін]\n---\nПереговори почалися. Дивіться [мапу](/img/map.txt) і [сторінку](/uk/about/).\n";
const ONLY_EN: &str = "---\ntitle: English only\ndate: 2025-03-10\n---\nText.\n";

fn two_languages() -> tempfile::TempDir {
    let site = site(&[
        ("content/talks.md", EN),
        ("content/uk/talks.md", UK),
        ("content/only.md", ONLY_EN),
        (
            "content/topics/ceasefire-talks.uk.md",
            "---\ntitle: Переговори про перемир'я\n---\nВступ.\n",
        ),
        (
            "content/entities/people/vladimir-putin.uk.md",
            "---\nname: Володимир Путін\n---\n",
        ),
        (
            "content/pages/about.md",
            "---\ntitle: About\n---\nAbout us.\n",
        ),
        (
            "content/pages/about.uk.md",
            "---\ntitle: Про нас\n---\nХто ми.\n",
        ),
        ("static/img/map.txt", "map"),
    ]);
    write(site.path(), "site.yaml", SITE);
    site
}

#[test]
fn each_language_has_its_own_pages_under_its_folder() {
    let site = two_languages();
    build_ok(site.path());
    let public = site.path().join("public");
    let en = read(&public, "2025/03/talks/index.html");
    let uk = read(&public, "uk/2025/03/talks/index.html");
    assert_has_all(
        &en,
        &[
            "<html lang=\"en\" dir=\"ltr\">",
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/briefs/2025/03/talks/\">",
            "<link rel=\"alternate\" hreflang=\"uk\" href=\"https://example.org/briefs/uk/2025/03/talks/\">",
            "<p class=\"also-in\">Also in: <a href=\"../../../uk/2025/03/talks/\" hreflang=\"uk\" lang=\"uk\">Українська</a></p>",
            "<link rel=\"stylesheet\" href=\"../../../style.css\">",
        ],
    );
    assert_has_all(
        &uk,
        &[
            "<html lang=\"uk\" dir=\"ltr\">",
            "<link rel=\"canonical\" href=\"https://example.org/briefs/uk/2025/03/talks/\">",
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/briefs/2025/03/talks/\">",
            "<p class=\"also-in\">Іншими мовами: <a href=\"../../../../2025/03/talks/\" hreflang=\"en\" lang=\"en\">English</a></p>",
            // The theme's files and static/ are at the site's root, shared by every language.
            "<link rel=\"stylesheet\" href=\"../../../../style.css\">",
            "href=\"../../../../img/map.txt\"",
            "href=\"../../../../uk/about/\"",
            // Lists and names in the language: the topic's intro, the entity's profile.
            ">Переговори про перемир’я</a>",
            ">Володимир Путін</a>",
            "<a href=\"../../../topics/ceasefire-talks/\"",
        ],
    );
    // The switcher goes to the translation where there is one, else to the home.
    assert!(
        uk.contains(
            "<a href=\"../../../../2025/03/talks/\" lang=\"en\" hreflang=\"en\">English</a>"
        ),
        "{uk}"
    );
    let only = read(&public, "2025/03/only/index.html");
    assert!(
        only.contains("<a href=\"../../../uk/\" lang=\"uk\" hreflang=\"uk\">Українська</a>"),
        "{only}"
    );
    assert!(!only.contains("also-in"), "{only}");

    // Each language's home lists its own briefings.
    let home_uk = read(&public, "uk/index.html");
    assert!(home_uk.contains("Переговори почалися") && !home_uk.contains("English only"));
    let home_en = read(&public, "index.html");
    assert!(home_en.contains("English only") && !home_en.contains("Переговори почалися"));
    // Topic pages match across languages by slug.
    let topic_uk = read(&public, "uk/topics/ceasefire-talks/index.html");
    assert!(
        topic_uk.contains(
            "hreflang=\"en\" href=\"https://example.org/briefs/topics/ceasefire-talks/\""
        ),
        "{topic_uk}"
    );
    read(&public, "uk/people/vladimir-putin/index.html");
    read(&public, "uk/about/index.html");
    // Feeds, search and sitemaps per language; one robots.txt, one 404, one copy of static/.
    assert!(read(&public, "uk/atom.xml").contains("https://example.org/briefs/uk/2025/03/talks/"));
    // An index per language, under its home, stemmed in its language.
    let en = crate::search::Index::open(&public, "");
    let uk = crate::search::Index::open(&public, "uk/");
    assert!(
        en.result(0)["u"]
            .as_str()
            .is_some_and(|u| !u.starts_with("uk/"))
    );
    assert!(
        uk.result(0)["u"]
            .as_str()
            .is_some_and(|u| u.starts_with("uk/2025/"))
    );
    assert!(
        read(&public, "uk/search/index.html")
            .contains("data-index=\"../search/index/\" data-root=\"../../\"")
    );
    let robots = read(&public, "robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.org/briefs/uk/sitemap.xml"),
        "{robots}"
    );
    let files = tree(&public);
    assert!(
        !files.iter().any(|f| f.starts_with("uk/")
            && (f.ends_with("style.css")
                || f.contains("robots")
                || f.contains("404")
                || f.contains("img/"))),
        "{files:?}"
    );
}

#[test]
fn the_sitemap_lists_translations_with_hreflang_alternates() {
    let site = two_languages();
    build_ok(site.path());
    let sitemap = read(&site.path().join("public"), "sitemap.xml");
    assert_has_all(
        &sitemap,
        &[
            "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"",
            "<url><loc>https://example.org/briefs/2025/03/talks/</loc><lastmod>2025-03-14T14:00:00+03:00</lastmod><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/briefs/2025/03/talks/\"/><xhtml:link rel=\"alternate\" hreflang=\"uk\" href=\"https://example.org/briefs/uk/2025/03/talks/\"/></url>",
        ],
    );
    let uk = read(&site.path().join("public"), "uk/sitemap.xml");
    assert!(
        uk.contains("<loc>https://example.org/briefs/uk/2025/03/talks/</loc>"),
        "{uk}"
    );
}

#[test]
fn a_translation_of_a_missing_briefing_is_an_error_at_the_field() {
    let site = two_languages();
    write(
        site.path(),
        "content/uk/talks.md",
        &UK.replace("translation_of: talks", "translation_of: tallks"),
    );
    build_fails_with(
        site.path(),
        &[
            "error: no briefing in another language has the slug `tallks`\n --> content/uk/talks.md:5:17",
            "5 | translation_of: tallks",
            "help: did you mean `talks`?",
        ],
    );
}

#[test]
fn a_translation_whose_original_was_deleted_says_so() {
    let site = two_languages();
    std::fs::remove_file(site.path().join("content/talks.md")).expect("remove the original");
    build_fails_with(
        site.path(),
        &[
            "error: no briefing in another language has the slug `talks`: was the briefing this one translates deleted or renamed?\n --> content/uk/talks.md:5:17",
        ],
    );
}

#[test]
fn a_translation_of_a_briefing_in_its_own_language_is_an_error() {
    let site = two_languages();
    write(
        site.path(),
        "content/uk/other.md",
        "---\ntitle: Інше\ndate: 2025-03-11\nlang: uk\ntranslation_of: talks\n---\nТекст.\n",
    );
    write(
        site.path(),
        "content/uk/talks.md",
        &UK.replace("translation_of: talks\n", ""),
    );
    write(
        site.path(),
        "content/talks.md",
        &EN.replace("title: Talks begin", "title: Talks begin\nslug: talks-en"),
    );
    build_fails_with(
        site.path(),
        &[
            "error: `talks` is a briefing in the same language (uk); `translation_of` names one in another language\n --> content/uk/other.md:5:17",
        ],
    );
}

#[test]
fn two_translations_in_one_language_are_an_error() {
    let site = two_languages();
    write(
        site.path(),
        "content/uk/again.md",
        "---\ntitle: Ще раз\ndate: 2025-03-15\nlang: uk\ntranslation_of: talks\n---\nТекст.\n",
    );
    build_fails_with(
        site.path(),
        &[
            "error: content/uk/talks.md also translates this briefing into `uk`\n --> content/uk/again.md:5:17",
            "error: content/uk/again.md also translates this briefing into `uk`\n --> content/uk/talks.md:5:17",
            "help: a briefing has one translation per language: remove `translation_of` from one of them",
        ],
    );
}

#[test]
fn a_language_the_site_does_not_have_is_an_error() {
    let site = two_languages();
    write(
        site.path(),
        "content/de.md",
        "---\ntitle: Gespräche\ndate: 2025-03-15\nlang: de\n---\nText.\n",
    );
    write(
        site.path(),
        "content/topics/ceasefire-talks.de.md",
        "---\ntitle: Gespräche\n---\n",
    );
    build_fails_with(
        site.path(),
        &[
            "error: `de` is not one of this site's languages\n --> content/de.md:4:7",
            "help: use one of: en, uk",
            "error: `de` in the file name is not one of this site's languages\n--> content/topics/ceasefire-talks.de.md",
            "help: this site's languages are en, uk: rename the file to `ceasefire-talks.md` or `ceasefire-talks.<language>.md`, or add `de` to `languages:` in site.yaml",
        ],
    );
    // A site in one language says how to add more.
    let one = crate::support::site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-03-15\nlang: uk\n---\nText.\n",
    )]);
    build_fails_with(
        one.path(),
        &[
            "help: this site is written in `en`; to publish in more languages, list them in site.yaml, e.g. `languages: [en, uk]`",
        ],
    );
}

#[test]
fn bad_languages_in_site_yaml_are_errors_at_the_entry() {
    let site = two_languages();
    write(
        site.path(),
        "site.yaml",
        "title: Desk\nbase_url: https://example.org/\nlanguage: de\nlanguages: [en, uk, uk, topics, \"e n\"]\n",
    );
    build_fails_with(
        site.path(),
        &[
            "error: the language `uk` is listed twice\n --> site.yaml:4:21",
            "error: `topics` is a folder the site already uses\n --> site.yaml:4:25",
            "error: \"e n\" is not a language tag\n --> site.yaml:4:33",
            "error: `language` is `de` but `languages` starts with `en`\n --> site.yaml:3:11",
            "help: remove `language:`: with `languages:`, the first one listed is the site's main language",
        ],
    );
}

#[test]
fn the_preview_of_a_multilingual_site_serves_every_language_and_follows_edits() {
    use brief::content::Publish;
    use brief::serve::workspace::Workspace;
    use brief::serve::workspace::changes;
    let site = two_languages();
    let dir = site.path();
    let url = "http://127.0.0.1:1111/";
    let (mut preview, first) = Workspace::open(dir, Publish::default(), url).expect("open");
    let paths: Vec<&str> = first.changed.iter().map(|(p, _)| p.as_str()).collect();
    assert!(
        paths.contains(&"uk/2025/03/talks/index.html") && paths.contains(&"style.css"),
        "{paths:?}"
    );
    // The translation's new slug reaches the English page's "Also in" link.
    write(
        dir,
        "content/uk/talks.md",
        &UK.replace("slug: talks", "slug: rozmovy"),
    );
    let edit = changes(dir, [dir.join("content/uk/talks.md")]);
    let update = preview.rebuild(&edit).expect("rebuild");
    assert!(
        update
            .removed
            .contains(&"uk/2025/03/talks/index.html".to_string()),
        "{:?}",
        update.removed
    );
    let en = update
        .changed
        .iter()
        .find(|(p, _)| p == "2025/03/talks/index.html")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("the English page changed");
    assert!(en.contains("href=\"../../../uk/2025/03/rozmovy/\""), "{en}");
    // A broken edit keeps the last good site and says why.
    write(
        dir,
        "content/uk/talks.md",
        &UK.replace("translation_of: talks", "translation_of: nothing"),
    );
    let edit = changes(dir, [dir.join("content/uk/talks.md")]);
    let err = preview.rebuild(&edit).expect_err("broken");
    assert!(
        err.to_string()
            .contains("no briefing in another language has the slug `nothing`"),
        "{err}"
    );
}

/// A rebuild of a site in two languages reuses what did not change, counts every file
/// once (the files at the root are the first language's), and equals a clean build.
#[test]
fn a_rebuild_in_two_languages_counts_every_file_once() {
    let site = two_languages();
    let dir = site.path();
    let first = build_ok(dir);
    let count = |out: &str| {
        let words: Vec<&str> = out.split_whitespace().collect();
        let at = words.iter().position(|w| *w == "->").expect("a summary");
        words[at + 1].to_string()
    };
    let files = count(&first.stdout);
    let again = build_ok(dir);
    assert_eq!(count(&again.stdout), files, "{}", again.stdout);
    assert!(again.stdout.contains(", 0 written,"), "{}", again.stdout);
    let text = read(dir, "content/uk/talks.md");
    write(
        dir,
        "content/uk/talks.md",
        &format!("{text}\nЩе один рядок.\n"),
    );
    let edited = build_ok(dir);
    assert_eq!(count(&edited.stdout), files, "{}", edited.stdout);
    let (_keep, clean) = clean_build(dir);
    assert_same_output(&dir.join("public"), &clean, "after the edit");
}

/// The preview of a site in two languages takes each edit in (a body, a title, a new
/// translation, a new briefing, a deletion) and serves what a fresh preview of the result
/// serves, rendering only what may have changed: a body edit changes its own page and not
/// the other language's home.
#[test]
fn the_multilingual_preview_follows_each_edit_as_a_fresh_one() {
    use brief::content::Publish;
    use brief::serve::workspace::Workspace;
    use brief::serve::workspace::changes;
    use std::collections::BTreeMap;
    let site = two_languages();
    let dir = site.path();
    let url = "http://127.0.0.1:1111/";
    let (mut preview, first) = Workspace::open(dir, Publish::default(), url).expect("open");
    let mut served: BTreeMap<String, Vec<u8>> = first
        .changed
        .into_iter()
        .map(|(p, b)| (p, b.to_vec()))
        .collect();
    let steps: [(&str, Option<String>); 6] = [
        ("content/talks.md", Some(format!("{EN}One more sentence.\n"))),
        (
            "content/talks.md",
            Some(EN.replace("title: Talks begin", "title: Talks resume")),
        ),
        (
            "content/only.uk.md",
            Some("---\ntitle: Лише англійською\ndate: 2025-03-10\ntranslation_of: only\n---\nТекст.\n".into()),
        ),
        (
            "content/fresh.md",
            Some("---\ntitle: Fresh news\ndate: 2025-03-16\ntopics: [Ceasefire talks]\n---\nNew.\n".into()),
        ),
        ("content/only.uk.md", None),
        ("content/fresh.md", None),
    ];
    for (i, (rel, text)) in steps.iter().enumerate() {
        match text {
            Some(text) => write(dir, rel, text),
            None => std::fs::remove_file(dir.join(rel)).expect("remove"),
        }
        let edit = changes(dir, [dir.join(rel)]);
        let update = preview
            .rebuild(&edit)
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        if i == 0 {
            let changed: Vec<&str> = update.changed.iter().map(|(p, _)| p.as_str()).collect();
            assert!(changed.contains(&"2025/03/talks/index.html"), "{changed:?}");
            assert!(!changed.contains(&"uk/index.html"), "{changed:?}");
        }
        let later = preview.catch_up().expect("catch up");
        for p in &update.removed {
            served.remove(p);
        }
        for (p, b) in update.changed.into_iter().chain(later.changed) {
            served.insert(p, b.to_vec());
        }
        let (_, fresh) = Workspace::open(dir, Publish::default(), url).expect("fresh");
        let expected: BTreeMap<String, Vec<u8>> = fresh
            .changed
            .into_iter()
            .map(|(p, b)| (p, b.to_vec()))
            .collect();
        let differing: Vec<&String> = (expected.keys().chain(served.keys()))
            .filter(|p| expected.get(*p) != served.get(*p))
            .collect();
        assert!(differing.is_empty(), "after {rel}: differing {differing:?}");
    }
}

/// Regression: a build over a previous one made every page a translation's new address
/// changes again, not only the translation's own (the English page kept linking to the old
/// Ukrainian address, which the build had removed).
#[test]
fn a_translation_s_new_address_reaches_the_other_language_in_an_incremental_build() {
    let site = two_languages();
    let dir = site.path();
    build_ok(dir);
    write(
        dir,
        "content/uk/talks.md",
        &UK.replace("slug: talks", "slug: rozmovy"),
    );
    build_ok(dir);
    let en = read(dir, "public/2025/03/talks/index.html");
    assert!(en.contains("href=\"../../../uk/2025/03/rozmovy/\""), "{en}");
    assert!(!en.contains("uk/2025/03/talks/"), "{en}");
}

/// The example site, in two languages, follows every kind of edit of every content file
/// as a fresh preview would serve it: a body, a title, a topic, a date (which moves a
/// translated page), a new translation, a new briefing with a new topic, and deletions.
/// After each edit, no file outside the edit's candidates differs from a fresh render.
#[test]
fn the_example_site_follows_every_kind_of_edit_in_both_languages() {
    use brief::content::Publish;
    use brief::serve::workspace::{Update, Workspace, changes};
    use std::collections::BTreeMap;
    type Served = BTreeMap<String, Vec<u8>>;
    let site = tempfile::TempDir::new().expect("temp dir");
    let dir = site.path();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["content", "static", "templates", "themes"] {
        copy_dir(&repo.join(folder), &dir.join(folder));
    }
    std::fs::copy(repo.join("site.yaml"), dir.join("site.yaml")).expect("site.yaml");
    let url = "http://127.0.0.1:1111/";
    let (mut ws, first) = Workspace::open(dir, Publish::default(), url).expect("open");
    ws.verify_candidates(true);
    let apply = |served: &mut Served, update: Update| {
        for p in &update.removed {
            served.remove(p);
        }
        for (p, b) in update.changed {
            served.insert(p, b.to_vec());
        }
    };
    let mut served = Served::new();
    apply(&mut served, first);
    let step = |ws: &mut Workspace, served: &mut Served, rel: &str, text: Option<String>| {
        match text {
            Some(text) => write(dir, rel, &text),
            None => std::fs::remove_file(dir.join(rel)).expect("remove"),
        }
        let update =
            (ws.rebuild(&changes(dir, [dir.join(rel)]))).unwrap_or_else(|e| panic!("{rel}: {e}"));
        apply(served, update);
        apply(served, ws.catch_up().expect("catch up"));
        let missed = ws.take_missed();
        assert!(
            missed.is_empty(),
            "{rel}: changed outside the candidates: {missed:?}"
        );
        let (_, fresh) = Workspace::open(dir, Publish::default(), url).expect("fresh");
        let mut expected = Served::new();
        apply(&mut expected, fresh);
        let differing: Vec<&String> = (expected.keys().chain(served.keys()))
            .filter(|p| expected.get(*p) != served.get(*p))
            .collect();
        assert!(differing.is_empty(), "after {rel}: differing {differing:?}");
    };
    let sources: Vec<String> = (walkdir::WalkDir::new(dir.join("content")).into_iter())
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            Some(
                e.path()
                    .strip_prefix(dir)
                    .ok()?
                    .to_string_lossy()
                    .into_owned(),
            )
        })
        .collect();
    assert!(sources.len() > 30, "{sources:?}");
    for rel in &sources {
        let text = read(dir, rel);
        let body = format!("{text}\nA sentence added in review.\n");
        step(&mut ws, &mut served, rel, Some(body.clone()));
        let retitled = match body.contains("title: \"") {
            true => body.replacen("title: \"", "title: \"Edited ", 1),
            false => body.replacen("title: ", "title: Edited ", 1),
        };
        step(&mut ws, &mut served, rel, Some(retitled.clone()));
        if !rel.starts_with("content/briefings/") {
            continue;
        }
        let topical = retitled.replacen("topics: [", "topics: [Ukraine war, ", 1);
        step(&mut ws, &mut served, rel, Some(topical.clone()));
        let moved = topical.replacen("date: 2025-0", "date: 2024-0", 1);
        step(&mut ws, &mut served, rel, Some(moved));
    }
    // Without its `featured: true`, the lead gives way to the newest briefing.
    let lead = |served: &Served| {
        let home = String::from_utf8_lossy(&served["index.html"]).into_owned();
        let at = home.find("lead-title").expect("a lead");
        home[at..at + 120].to_string()
    };
    let rel = "content/briefings/kursk-encirclement-claim.md";
    let text = read(dir, rel);
    let before = lead(&served);
    step(
        &mut ws,
        &mut served,
        rel,
        Some(text.replacen("featured: true", "featured: false", 1)),
    );
    assert_ne!(lead(&served), before);
    step(&mut ws, &mut served, rel, Some(text));
    assert_eq!(lead(&served), before);
    // A topic only English names: the Ukrainian briefing that lists it by its slug
    // borrows the name, and gives it back when English drops the topic.
    let en = "content/briefings/moscow-drone-attack.md";
    let uk = "content/briefings/moscow-drone-attack.uk.md";
    let (en_text, uk_text) = (read(dir, en), read(dir, uk));
    let with_grain = en_text.replacen("topics: [", "topics: [Grain deal, ", 1);
    step(&mut ws, &mut served, en, Some(with_grain));
    let uk_grain = uk_text.replacen("topics: [", "topics: [grain-deal, ", 1);
    step(&mut ws, &mut served, uk, Some(uk_grain));
    let page = &served["uk/topics/grain-deal/index.html"];
    assert!(String::from_utf8_lossy(page).contains("Grain deal"));
    step(&mut ws, &mut served, en, Some(en_text));
    let page = &served["uk/topics/grain-deal/index.html"];
    assert!(!String::from_utf8_lossy(page).contains("Grain deal"));
    let translation =
        "---\ntitle: Новина\ndate: 2025-03-16\nlang: uk\ntranslation_of: added\n---\nТекст.\n";
    let added = "---\ntitle: Added in review\ndate: 2025-03-16\ntopics: [Review]\n---\nNew.\n";
    step(
        &mut ws,
        &mut served,
        "content/briefings/added.md",
        Some(added.into()),
    );
    step(
        &mut ws,
        &mut served,
        "content/briefings/added.uk.md",
        Some(translation.into()),
    );
    step(&mut ws, &mut served, "content/briefings/added.uk.md", None);
    step(&mut ws, &mut served, "content/briefings/added.md", None);
}
