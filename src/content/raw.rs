//! Serde structs that mirror front matter exactly. Nothing here is trusted or derived: the
//! conversion in `briefing.rs` validates these into domain types once.

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::config::EntityKind;
use crate::yaml::Spanned;

#[derive(Debug, Default)]
pub struct RawBriefing {
    pub title: Option<Spanned<String>>,
    pub date: Option<Spanned<String>>,
    pub updated: Option<Spanned<String>>,
    pub slug: Option<Spanned<String>>,
    pub lang: Option<Spanned<String>>,
    pub translation_of: Option<Spanned<String>>,
    pub summary: Option<String>,
    pub dateline: Option<String>,
    pub authors: Vec<Spanned<String>>,
    pub topics: Vec<Spanned<String>>,
    pub sources: Vec<RawSource>,
    pub facts: Vec<RawFact>,
    pub related: Vec<Spanned<String>>,
    pub aliases: Vec<Spanned<String>>,
    pub corrections: Vec<RawCorrection>,
    pub image: Option<Spanned<RawImage>>,
    pub draft: bool,
    pub featured: bool,
    pub extra: Option<serde_json::Value>,
    /// Entity lists by kind, in the order written.
    pub entities: Vec<(String, Vec<Spanned<String>>)>,
    /// Keys that are neither fields nor entity kinds; reported with a suggestion.
    pub unknown: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFact {
    pub label: Spanned<String>,
    pub value: Scalar,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub as_of: Option<Spanned<String>>,
}

/// A lead image: `image: {src: map.jpg, alt: ..., caption: ..., credit: ...}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawImage {
    pub src: Spanned<String>,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrection {
    pub date: Spanned<String>,
    pub note: String,
}

/// A value written as text or a number (`value: 30` and `value: "30 days"` both read).
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("text or a number")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(if v { "yes" } else { "no" }.to_string()))
            }
        }
        de.deserialize_any(ScalarVisitor)
    }
}

/// Reads a briefing's front matter; the entity kinds configured in site.yaml are known keys.
pub struct BriefingSeed<'a> {
    pub kinds: &'a [EntityKind],
}

impl<'de> DeserializeSeed<'de> for BriefingSeed<'_> {
    type Value = RawBriefing;
    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<RawBriefing, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BriefingSeed<'_> {
    type Value = RawBriefing;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("front matter fields such as `title: ...`")
    }

    fn visit_unit<E>(self) -> Result<RawBriefing, E> {
        Ok(RawBriefing::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawBriefing, A::Error> {
        let mut raw = RawBriefing::default();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            match key.value.as_str() {
                "title" => raw.title = map.next_value()?,
                "date" => raw.date = map.next_value()?,
                "updated" => raw.updated = map.next_value()?,
                "slug" => raw.slug = map.next_value()?,
                "lang" => raw.lang = map.next_value()?,
                "translation_of" => raw.translation_of = map.next_value()?,
                "summary" => raw.summary = map.next_value()?,
                "dateline" => raw.dateline = map.next_value()?,
                "authors" => raw.authors = map.next_value::<Option<_>>()?.unwrap_or_default(),
                "topics" => raw.topics = map.next_value::<Option<_>>()?.unwrap_or_default(),
                "sources" => raw.sources = map.next_value::<Option<_>>()?.unwrap_or_default(),
                "facts" => raw.facts = map.next_value::<Option<_>>()?.unwrap_or_default(),
                "related" => raw.related = map.next_value::<Option<_>>()?.unwrap_or_default(),
                "aliases" => raw.aliases = map.next_value::<Option<_>>()?.unwrap_or_default(),
                "corrections" => {
                    raw.corrections = map.next_value::<Option<_>>()?.unwrap_or_default()
                }
                "image" => raw.image = map.next_value()?,
                "draft" => raw.draft = map.next_value::<Option<bool>>()?.unwrap_or(false),
                "featured" => raw.featured = map.next_value::<Option<bool>>()?.unwrap_or(false),
                "extra" => raw.extra = map.next_value()?,
                kind if self.kinds.iter().any(|k| k.key == kind) => {
                    let names: Option<Vec<Spanned<String>>> = map.next_value()?;
                    raw.entities
                        .push((kind.to_string(), names.unwrap_or_default()));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    raw.unknown.push(key);
                }
            }
        }
        Ok(raw)
    }
}

/// Front matter of a topic intro (`content/topics/<slug>.md`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub title: Option<String>,
    pub summary: Option<String>,
}

/// Front matter of an entity profile (`content/entities/<kind>/<slug>.md`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntity {
    pub name: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub summary: Option<String>,
}

/// Front matter of an author profile (`content/authors/<slug>.md`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuthor {
    pub name: Option<Spanned<String>>,
    pub role: Option<String>,
    #[serde(default)]
    pub links: Vec<Spanned<String>>,
    pub image: Option<Spanned<String>>,
}

/// Front matter of a standalone page (`content/pages/<slug>.md`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    pub title: Option<Spanned<String>>,
    pub summary: Option<String>,
    pub slug: Option<Spanned<String>>,
    #[serde(default)]
    pub draft: bool,
}
