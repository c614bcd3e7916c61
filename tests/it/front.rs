//! The home page as a front page: a lead story (the newest featured briefing, else the
//! newest), a block per section site.yaml names, then the river of latest briefings.

use crate::support::*;

const SITE: &str = "title: Desk\nbase_url: https://example.org/\nsections: [energy, \"Kyiv\"]\n";

fn briefing(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n{extra}---\nText.\n")
}

fn desk() -> tempfile::TempDir {
    let site = site(&[
        (
            "content/old-lead.md",
            &briefing(
                "Old lead",
                "2025-03-01",
                "featured: true\ntopics: [Energy]\n",
            ),
        ),
        (
            "content/featured-draft.md",
            &briefing("Draft lead", "2025-03-09", "featured: true\ndraft: true\n"),
        ),
        (
            "content/newest.md",
            &briefing("Newest", "2025-03-08", "topics: [Energy]\nplaces: [Kyiv]\n"),
        ),
        (
            "content/e1.md",
            &briefing("Energy one", "2025-03-05", "topics: [Energy]\n"),
        ),
        (
            "content/e2.md",
            &briefing("Energy two", "2025-03-04", "topics: [Energy]\n"),
        ),
        (
            "content/e3.md",
            &briefing("Energy three", "2025-03-03", "topics: [Energy]\n"),
        ),
    ]);
    write(site.path(), "site.yaml", SITE);
    site
}

/// The text of the home page between two markers.
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html
        .find(from)
        .unwrap_or_else(|| panic!("no {from} in {html}"));
    let end = html[start..].find(to).map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[test]
fn the_newest_published_featured_briefing_leads_and_is_not_repeated_below() {
    let site = desk();
    build_ok(site.path());
    let home = read(site.path(), "public/index.html");
    let lead = between(&home, "class=\"lead-story", "</section>");
    assert!(
        lead.contains("Old lead") && lead.contains("Top story"),
        "{lead}"
    );
    assert!(!home.contains("Draft lead"), "a draft never leads: {home}");
    let river = between(&home, "latest-heading", "</section>");
    assert!(
        river.contains("Newest") && !river.contains("Old lead"),
        "{river}"
    );
}

#[test]
fn without_a_featured_briefing_the_newest_leads() {
    let site = desk();
    write(
        site.path(),
        "content/old-lead.md",
        &briefing("Old lead", "2025-03-01", "topics: [Energy]\n"),
    );
    build_ok(site.path());
    let home = read(site.path(), "public/index.html");
    let lead = between(&home, "class=\"lead-story", "</section>");
    assert!(lead.contains("Newest"), "{lead}");
}

#[test]
fn each_section_shows_its_newest_briefings_in_site_yaml_order() {
    let site = desk();
    build_ok(site.path());
    let home = read(site.path(), "public/index.html");
    let sections = between(&home, "class=\"sections\"", "class=\"home\"");
    let energy = between(sections, "section-1", "</section>");
    assert_has_all(
        energy,
        &[
            "href=\"./topics/energy/\">Energy</a>",
            "Newest",
            "Energy one",
            "Energy two",
            "More in Energy",
        ],
    );
    assert!(!energy.contains("Energy three"), "three at most: {energy}");
    let kyiv = between(sections, "section-2", "</section>");
    assert!(
        kyiv.contains("places/kyiv/") && kyiv.contains("Newest"),
        "{kyiv}"
    );
    // Later pages are the river only.
    write(site.path(), "site.yaml", &format!("{SITE}paginate: 2\n"));
    build_ok(site.path());
    let second = read(site.path(), "public/page/2/index.html");
    assert!(!second.contains("lead-story") && !second.contains("class=\"sections\""));
}

#[test]
fn a_section_no_briefing_uses_is_an_error_at_its_entry() {
    let site = desk();
    write(
        site.path(),
        "site.yaml",
        "title: Desk\nbase_url: https://example.org/\nsections: [energy, enrgy, sport]\n",
    );
    build_fails_with(
        site.path(),
        &[
            "error: the section `enrgy` is not a topic or entity any briefing uses\n --> site.yaml:3:20",
            "help: did you mean `energy`?",
            "error: the section `sport` is not a topic or entity any briefing uses\n --> site.yaml:3:27",
            "help: a section is the slug of a topic or an entity that briefings list, as in its address (topics/<slug>/)",
        ],
    );
}

#[test]
fn featured_must_be_true_or_false() {
    let site = desk();
    write(
        site.path(),
        "content/e1.md",
        &briefing("Energy one", "2025-03-05", "featured: yes please\n"),
    );
    let run = build_fails_with(site.path(), &["content/e1.md:4:11"]);
    assert!(run.stderr.contains("featured"), "{}", run.stderr);
}
