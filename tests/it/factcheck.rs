//! Fact-check data: a schema.org `ClaimReview` for every annotated claim of a published
//! briefing, beside its `NewsArticle`.

use serde_json::{Value, json};

use crate::support::*;

const SOURCES: &str = "sources:
  - id: post
    name: A post on social media
    url: https://example.org/post
  - id: staff
    name: General Staff, by phone
";

fn briefing(front: &str, body: &str) -> String {
    format!(
        "---\ntitle: Talks\ndate: 2025-03-14T10:00:00+00:00\npeople: [Donald Trump]\norgs: [Kremlin]\n{front}{SOURCES}---\n{body}"
    )
}

/// The page's ClaimReviews, after its NewsArticle.
fn reviews(page: &str) -> Vec<Value> {
    let ld = json_ld(page);
    let items = ld.as_array().expect("a list of JSON-LD items");
    assert_eq!(items[0]["@type"], "NewsArticle");
    items[1..].to_vec()
}

const BODY: &str = "
The army said [the war would end in a day](claim:false?by=people:donald-trump \"It did not\"),
as [a post put it](source:post).

- [talks start soon](claim:unverified?by=orgs:kremlin) after [a call](source:staff)
- [nothing cited here](claim:confirmed)

[Troops are surrounded](claim:disputed), no source in this paragraph.
";

#[test]
fn every_claim_is_a_claim_review_with_its_rating_speaker_and_source() {
    let site = site(&[("content/talks.md", &briefing("", BODY))]);
    build_ok(site.path());
    let page = read(site.path(), "public/2025/03/talks/index.html");
    let reviews = reviews(&page);
    assert_eq!(reviews.len(), 4);
    assert_eq!(
        reviews[0],
        json!({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": "https://example.org/2025/03/talks/#claim-1",
            "claimReviewed": "the war would end in a day",
            "datePublished": "2025-03-14T10:00:00+00:00",
            "author": {"@type": "Organization", "name": "Test", "url": "https://example.org/"},
            "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 4, "worstRating": 1, "alternateName": "False"},
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@type": "Person", "name": "Donald Trump", "url": "https://example.org/people/donald-trump/"},
                "appearance": {"@type": "CreativeWork", "name": "A post on social media", "url": "https://example.org/post"},
            },
        })
    );
    // An organisation speaks as one; a source without an address appears by name; the
    // source cited after the claim in the same list item counts.
    assert_eq!(
        reviews[1]["itemReviewed"],
        json!({
            "@type": "Claim",
            "author": {"@type": "Organization", "name": "Kremlin", "url": "https://example.org/orgs/kremlin/"},
            "appearance": {"@type": "CreativeWork", "name": "General Staff, by phone"},
        })
    );
    assert_eq!(reviews[1]["reviewRating"]["ratingValue"], 3);
    assert_eq!(reviews[1]["reviewRating"]["alternateName"], "Unverified");
    // A source in the item before does not count for the next one, nor for a later paragraph.
    assert_eq!(reviews[2]["itemReviewed"], json!({"@type": "Claim"}));
    assert_eq!(reviews[2]["reviewRating"]["ratingValue"], 4);
    assert_eq!(reviews[3]["itemReviewed"], json!({"@type": "Claim"}));
    assert_eq!(reviews[3]["reviewRating"]["ratingValue"], 2);
    assert_eq!(
        reviews[3]["url"],
        "https://example.org/2025/03/talks/#claim-4"
    );
}

#[test]
fn a_corrected_briefing_dates_its_reviews_by_the_newest_correction() {
    let front = "corrections:\n  - date: 2025-03-16\n    note: Later.\n  - date: 2025-03-15\n    note: Sooner.\n";
    let site = site(&[("content/talks.md", &briefing(front, BODY))]);
    build_ok(site.path());
    let page = read(site.path(), "public/2025/03/talks/index.html");
    for review in reviews(&page) {
        assert_eq!(review["datePublished"], "2025-03-16T00:00:00+00:00");
    }
}

#[test]
fn the_rating_is_named_in_the_language_of_the_page() {
    let site = site(&[("content/talks.md", &briefing("", BODY))]);
    write(
        site.path(),
        "site.yaml",
        "title: Тест\nbase_url: https://example.org/\nlanguage: uk\n",
    );
    build_ok(site.path());
    let page = read(site.path(), "public/2025/03/talks/index.html");
    let names: Vec<Value> = reviews(&page)
        .iter()
        .map(|r| r["reviewRating"]["alternateName"].clone())
        .collect();
    assert_eq!(
        names,
        [
            json!("Неправда"),
            json!("Не перевірено"),
            json!("Підтверджено"),
            json!("Оскаржується")
        ]
    );
}

#[test]
fn drafts_and_scheduled_briefings_shown_in_a_preview_have_no_claim_reviews() {
    let draft = briefing("draft: true\n", BODY);
    let later = briefing("", BODY).replace("2025-03-14", "2099-03-14");
    let site = site(&[("content/talks.md", &draft), ("content/later.md", &later)]);
    let r = run(site.path(), &["build", "--drafts", "--future"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for page in ["2025/03/talks/index.html", "2099/03/later/index.html"] {
        let page = read(site.path(), &format!("public/{page}"));
        assert!(page.contains("claim-4"), "the claims are shown");
        assert_eq!(reviews(&page), Vec::<Value>::new());
    }
}

#[test]
fn a_hostile_claim_cannot_close_the_script() {
    let body = "[`</script><script>alert(1)</script>` & more](claim:false)\n";
    let site = site(&[("content/talks.md", &briefing("", body))]);
    build_ok(site.path());
    let page = read(site.path(), "public/2025/03/talks/index.html");
    assert_eq!(page.matches("<script>alert").count(), 0);
    let script = page
        .split("application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next());
    assert!(script.is_some_and(|s| !s.contains('<')), "{script:?}");
    assert_eq!(
        reviews(&page)[0]["claimReviewed"],
        "</script><script>alert(1)</script> & more"
    );
}
