//! schema.org JSON-LD, safe inside a `<script>` element.

use serde_json::json;

use super::views::{ClaimView, modified};
use crate::model::{Entry, Site};

/// JSON that is safe inside a `<script>` element: no `<`, `>` or `&` can close it or
/// start markup, and line separators cannot break it.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    script_safe(serde_json::to_string(value).unwrap_or_else(|_| "{}".into()))
}

/// Escapes serialized JSON for a `<script>` element. The characters replaced only occur
/// inside JSON strings, where their `\u` escapes mean the same.
fn script_safe(json: String) -> String {
    // U+2028 and U+2029 are the only characters encoded as E2 80 A8 and E2 80 A9.
    let bytes = json.as_bytes();
    let needs = bytes.iter().enumerate().any(|(i, &b)| {
        matches!(b, b'<' | b'>' | b'&')
            || (b == 0xE2
                && bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)))
    });
    if !needs {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A briefing's JSON-LD: a list of its schema.org `NewsArticle`, then one `ClaimReview`
/// per annotated claim, as the page shows them.
pub fn json_ld(site: &Site, entry: &Entry, claims: &[ClaimView]) -> String {
    let publisher = json!({
        "@type": "Organization",
        "name": site.config.title,
        "url": site.config.base_url,
    });
    let mut items = vec![news_article(site, entry, &publisher)];
    // A draft's or a scheduled briefing's verdicts are not published yet.
    let claims = if entry.briefing.is_public() {
        claims
    } else {
        &[]
    };
    let reviewed = entry.briefing.prose.claims.iter().zip(claims);
    items.extend(reviewed.map(|(claim, view)| claim_review(site, entry, claim, view, &publisher)));
    script_safe_json(&serde_json::Value::Array(items))
}

/// schema.org `ClaimReview` for one claim: Google's fact-check markup. The review is as
/// new as the page's newest correction, since that may have changed it.
fn claim_review(
    site: &Site,
    entry: &Entry,
    claim: &crate::markdown::Claim,
    view: &ClaimView,
    publisher: &serde_json::Value,
) -> serde_json::Value {
    let b = &entry.briefing;
    let base = &site.config.base_url;
    let corrected = super::views::newest_correction(b);
    let mut item = json!({"@type": "Claim"});
    if let (Some((kind, _)), Some(by)) = (&claim.by, &view.by) {
        let kind = if kind == "people" {
            "Person"
        } else {
            "Organization"
        };
        item["author"] =
            json!({"@type": kind, "name": by.name, "url": format!("{base}{}", by.url)});
    }
    let source = claim.source.and_then(|n| b.sources.get(n.wrapping_sub(1)));
    if let Some(source) = source {
        let mut work = json!({"@type": "CreativeWork", "name": source.name});
        if let Some(url) = &source.url {
            work["url"] = json!(url);
        }
        item["appearance"] = work;
    }
    json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": format!("{base}{}#claim-{}", entry.url, claim.number),
        "claimReviewed": claim.text,
        "datePublished": corrected.unwrap_or(&b.date).iso(),
        "author": publisher,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": claim.status.rating(),
            "bestRating": 4,
            "worstRating": 1,
            "alternateName": view.label,
        },
        "itemReviewed": item,
    })
}

/// schema.org `NewsArticle` for a briefing.
fn news_article(site: &Site, entry: &Entry, publisher: &serde_json::Value) -> serde_json::Value {
    let b = &entry.briefing;
    let url = format!("{}{}", site.config.base_url, entry.url);
    let authors: Vec<serde_json::Value> = if b.authors.is_empty() {
        vec![publisher.clone()]
    } else {
        b.authors
            .iter()
            .map(|a| {
                let url = format!(
                    "{}{}/{}/",
                    site.config.base_url,
                    crate::model::AUTHORS,
                    a.slug
                );
                json!({"@type": "Person", "name": a.name, "url": url})
            })
            .collect()
    };
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": b.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": b.date.iso(),
        "dateModified": modified(b).unwrap_or(&b.date).iso(),
        "author": authors,
        "publisher": publisher,
        "inLanguage": site.config.language,
        "keywords": b.topics.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
    });
    if let Some(obj) = article.as_object_mut() {
        if let Some(summary) = &b.summary {
            obj.insert("description".into(), json!(summary));
        }
        let image = (b.image.as_ref())
            .and_then(|i| super::pictures::share(&i.picture, &entry.url, &site.config));
        if let Some((url, _)) = image {
            obj.insert("image".into(), json!([url]));
        }
        if let Some(dateline) = &b.dateline {
            obj.insert("dateline".into(), json!(dateline));
        }
        if !b.corrections.is_empty() {
            let corrections: Vec<serde_json::Value> = b
                .corrections
                .iter()
                .map(|c| json!({"@type": "CorrectionComment", "text": c.note, "datePublished": c.date.iso()}))
                .collect();
            obj.insert("correction".into(), json!(corrections));
        }
    }
    article
}
