use std::path::Path;

use super::*;
use crate::config::EntityKind;

fn kinds() -> Vec<EntityKind> {
    ["people", "places", "orgs"]
        .iter()
        .map(|k| EntityKind::named(k, k))
        .collect()
}

/// Renders `body` as the body of a file whose front matter takes 3 lines.
fn render_with(body: &str, sources: &[&str]) -> Result<Body, Diagnostics> {
    let text = format!("---\ntitle: x\n---\n{body}");
    let kinds = kinds();
    let sources: Vec<String> = sources.iter().map(|s| s.to_string()).collect();
    let cx = BodyContext {
        display: Path::new("content/a.md"),
        text: &text,
        body_start: 17,
        kinds: &kinds,
        sources: &sources,
        lines: Default::default(),
    };
    render(body, &cx)
}

fn html(body: &str) -> String {
    render_with(body, &[]).unwrap().html
}

#[test]
fn heading_ids_are_unique_and_respect_explicit_ones() {
    let html = html("## Talks\n\n## Talks\n\n## Next {#talks-1}\n");
    assert!(html.contains("<h2 id=\"talks\">Talks</h2>"), "{html}");
    assert!(html.contains("<h2 id=\"talks-2\">Talks</h2>"), "{html}");
    assert!(html.contains("<h2 id=\"talks-1\">Next</h2>"), "{html}");
}

#[test]
fn extensions_are_on() {
    let html = html(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\"\n\n- [x] done\n\nText[^1]\n\n[^1]: Note.\n",
    );
    assert!(html.contains("<table>"), "{html}");
    assert!(html.contains("<del>old</del>"), "{html}");
    assert!(html.contains("“quoted”"), "{html}");
    assert!(html.contains("type=\"checkbox\""), "{html}");
    assert!(html.contains("<section class=\"footnotes\""), "{html}");
}

#[test]
fn footnotes_are_listed_at_the_end_in_order_of_first_reference() {
    let html = html(
        "First[^b] then[^a] and again[^b].\n\n[^a]: Note A.\n\nMiddle paragraph.\n\n[^b]: Note B.\n",
    );
    let list = html
        .find("<section class=\"footnotes\"")
        .expect("footnote list");
    assert!(
        html.find("Middle paragraph").expect("middle") < list,
        "{html}"
    );
    assert!(
        !html[..list].contains("Note A"),
        "definitions left mid-body: {html}"
    );
    let (b, a) = (
        html.find("Note B").expect("b"),
        html.find("Note A").expect("a"),
    );
    assert!(b < a, "numbered by first reference: {html}");
    assert!(html.contains("<li id=\"fn-1\">\n<p>Note B. <a class=\"footnote-back\" href=\"#fnref-1\" aria-label=\"Back to reference 1 (1)\">↩</a> <a class=\"footnote-back\" href=\"#fnref-1-2\""), "{html}");
    assert!(html.contains("<sup class=\"footnote-ref\"><a href=\"#fn-2\" id=\"fnref-2\" aria-label=\"Footnote 2\">2</a></sup>"), "{html}");
    // Markers are bare numbers; citations are bracketed.
    assert!(!html.contains(">[1]<") && !html.contains(">[2]<"), "{html}");
}

#[test]
fn a_heading_and_a_footnote_never_share_an_id() {
    let html = html(
        "## Analysts\n\nSaid so[^analysts].\n\n[^analysts]: Two analysts.\n\n## Sources heading\n\n## Claim 1\n\n## Fn 1 {#fn-1}\n",
    );
    assert!(html.contains("<h2 id=\"analysts\">Analysts</h2>"), "{html}");
    assert!(html.contains("<li id=\"fn-1\">"), "{html}");
    assert!(html.contains("href=\"#fn-1\""), "{html}");
    assert!(
        html.contains("<h2 id=\"section-sources-heading\">"),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"section-claim-1\">"), "{html}");
    assert!(html.contains("<h2 id=\"section-fn-1\">"), "{html}");
    assert_eq!(html.matches("id=\"fn-1\"").count(), 1, "{html}");
}

#[test]
fn alerts_are_marked_as_callouts() {
    let html = html("> [!WARNING]\n> Figures are provisional.\n");
    assert!(
        html.contains(
            "\u{1}callout:warning\u{1}\n<p>Figures are provisional.</p>\n\u{1}/callout\u{1}"
        ),
        "{html:?}"
    );
    assert!(!html.contains("blockquote"), "{html}");
}

#[test]
fn raw_html_passes_through() {
    assert!(html("<aside>hi</aside>\n").contains("<aside>hi</aside>"));
}

#[test]
fn site_links_become_markers_and_refs() {
    let body = render_with(
        "See [talks](story:kursk-offensive), [the war](topic:ukraine-war) and [Putin](people:vladimir-putin).\n",
        &[],
    )
    .unwrap();
    assert!(
        body.html
            .contains("<a href=\"\u{1}story:kursk-offensive\u{1}\">talks</a>"),
        "{}",
        body.html
    );
    assert!(
        body.html
            .contains("<a href=\"\u{1}topic:ukraine-war\u{1}\">the war</a>")
    );
    assert!(
        body.html
            .contains("<a href=\"\u{1}people:vladimir-putin\u{1}\">Putin</a>")
    );
    let kinds: Vec<_> = body
        .refs
        .iter()
        .map(|r| (r.kind.clone(), r.slug.as_str(), r.text.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (RefKind::Story, "kursk-offensive", "talks"),
            (RefKind::Topic, "ukraine-war", "the war"),
            (RefKind::Entity("people".into()), "vladimir-putin", "Putin"),
        ]
    );
    assert_eq!(body.refs[0].place.location(), "content/a.md:4:5");
}

#[test]
fn sources_are_marked_as_numbered_citations() {
    let body = render_with("[Peskov said](source:peskov) it.\n", &["other", "peskov"]).unwrap();
    assert!(
        body.html
            .contains("\u{1}cite:2\u{1}Peskov said\u{1}/cite\u{1} it."),
        "{:?}",
        body.html
    );
}

#[test]
fn claims_are_marked_with_status_and_note() {
    let body = render_with(
        "Troops [are surrounded](claim:disputed \"Kyiv <denies> it\").\n",
        &[],
    )
    .unwrap();
    assert!(
        body.html
            .contains("Troops \u{1}claim:1\u{1}are surrounded\u{1}/claim\u{1}."),
        "{:?}",
        body.html
    );
    assert_eq!(body.claims.len(), 1);
    assert_eq!(body.claims[0].note, "Kyiv <denies> it");
    assert_eq!(body.claims[0].text, "are surrounded");
    assert_eq!(body.claims[0].status, ClaimStatus::Disputed);
}

#[test]
fn bad_annotations_are_located_errors() {
    let err = render_with(
        "Line one.\n[a](source:nope) [b](claim:maybe \"x\")\n[c](person:putin) [d](story:Bad_Slug)\n",
        &["peskov"],
    )
    .unwrap_err();
    let msgs: Vec<String> = err
        .0
        .iter()
        .map(|d| format!("{} {}", d.location(), d.message))
        .collect();
    assert_eq!(
        msgs,
        [
            "content/a.md:5:1 unknown source id `nope`",
            "content/a.md:5:18 unknown claim status `maybe`",
            "content/a.md:6:1 unknown annotation `person:`",
            "content/a.md:6:19 `Bad_Slug` is not a valid slug",
        ]
    );
    assert_eq!(
        err.0[2]
            .help
            .as_deref()
            .map(|h| h.starts_with("did you mean `people:`?")),
        Some(true)
    );
}

#[test]
fn ordinary_links_are_untouched() {
    let html = html("[a](https://e.org/x) [b](mailto:a@b.c) [c](../rel/) [d](#frag)\n");
    assert!(html.contains("<a href=\"https://e.org/x\">a</a>"));
    assert!(html.contains("<a href=\"mailto:a@b.c\">b</a>"));
    assert!(html.contains("<a href=\"../rel/\">c</a>"));
    assert!(html.contains("<a href=\"#frag\">d</a>"));
}

#[test]
fn writers_cannot_forge_markers() {
    let html = html("text \u{1}story:x\u{1} more\n");
    assert!(!html.contains('\u{1}'));
}

#[test]
fn fact_blocks_are_extracted_with_their_line() {
    let body = render_with("Intro.\n\n```facts\n- label: A\n  value: B\n```\n", &[]).unwrap();
    assert_eq!(body.fact_blocks.len(), 1);
    assert_eq!(body.fact_blocks[0].yaml, "- label: A\n  value: B\n");
    assert_eq!(body.fact_blocks[0].first_line, 7);
    assert!(body.html.contains("\u{1}factbox:0\u{1}"));
}

#[test]
fn code_is_highlighted_or_escaped() {
    let body = render_with(
        "```rust\nfn main() {}\n```\n\n```nosuchlang\n<b>\n```\n",
        &[],
    )
    .unwrap();
    assert!(body.highlighted);
    assert!(
        body.html
            .contains("<pre class=\"highlight\"><code class=\"language-rust\">"),
        "{}",
        body.html
    );
    assert!(body.html.contains("hl-"), "{}", body.html);
    assert!(
        body.html
            .contains("<pre><code class=\"language-nosuchlang\">&lt;b&gt;\n</code></pre>"),
        "{}",
        body.html
    );
    let plain = render_with("```\nx\n```\n", &[]).unwrap();
    assert!(!plain.highlighted);
}

#[test]
fn an_image_with_a_caption_alone_in_its_paragraph_is_a_figure() {
    let out = html(
        "Before.\n\n![Troops at a checkpoint](https://example.org/a.jpg \"Near Kursk | Photo: A. Reporter\")\n\nAfter.",
    );
    assert!(
        out.contains("<figure class=\"figure\"><img src=\"https://example.org/a.jpg\" alt=\"Troops at a checkpoint\" loading=\"lazy\" /><figcaption>Near Kursk <span class=\"credit\">Photo: A. Reporter</span></figcaption></figure>"),
        "{out}"
    );
    assert!(!out.contains("<p><figure"));
}

#[test]
fn an_image_among_words_keeps_its_caption_as_a_title() {
    let out = html("See ![a map](https://example.org/m.png \"The front <line>\") here.");
    assert!(
        out.contains("<p>See <img src=\"https://example.org/m.png\" alt=\"a map\" loading=\"lazy\" title=\"The front &lt;line&gt;\" /> here.</p>"),
        "{out}"
    );
}

#[test]
fn a_decorative_image_has_an_empty_alt_and_a_missing_alt_is_an_error() {
    let out = html("![-](https://example.org/rule.png)");
    assert!(out.contains("alt=\"\""), "{out}");
    let err = render_with("Text.\n\n![](https://example.org/a.jpg)\n", &[])
        .err()
        .map(|d| d.to_string())
        .unwrap_or_default();
    assert!(err.contains("this image has no alt text"), "{err}");
    assert!(err.contains("content/a.md:6:1"), "{err}");
    let err = render_with("![x](javascript:alert(1))\n", &[])
        .err()
        .map(|d| d.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("an image must be a file of this site or an http(s) address"),
        "{err}"
    );
}

#[test]
fn plain_text_gets_the_body_s_smart_punctuation_and_nothing_else() {
    use super::smart_text;
    assert_eq!(
        smart_text("Kremlin's 'very good chance' -- \"maybe\"..."),
        "Kremlin’s ‘very good chance’ – “maybe”…"
    );
    assert_eq!(
        smart_text("Talks --- then *more* <b>&amp; 1. [x](y) `c` \\ #1"),
        "Talks — then *more* <b>&amp; 1. [x](y) `c` \\ #1"
    );
    assert_eq!(
        smart_text("1. First - and -- second"),
        "1. First - and – second"
    );
    assert_eq!(smart_text("- listed\n# heading"), "- listed # heading");
    assert_eq!(smart_text("Plain words"), "Plain words");
}
