//! Text site.yaml may give once or per language: `title: Desk` or
//! `title: {en: Ceasefire Desk, uk: Бюро перемир'я}`; the same for `description` and each
//! entity kind's label. Each language's pages take their own, else the shared one.

use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};

use crate::diag::Diagnostics;
use crate::yaml::{Origin, Spanned};

/// As written: one text for every language, or texts by language code.
#[derive(Debug)]
pub(super) enum RawLocalized {
    One(String),
    ByLanguage(Vec<(Spanned<String>, String)>),
}

impl Default for RawLocalized {
    fn default() -> Self {
        RawLocalized::One(String::new())
    }
}

impl<'de> Deserialize<'de> for RawLocalized {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct LocalizedVisitor;
        impl<'de> Visitor<'de> for LocalizedVisitor {
            type Value = RawLocalized;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("text, or text by language such as `{en: Desk, uk: Бюро}`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawLocalized::One(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry::<Spanned<String>, String>()? {
                    pairs.push(pair);
                }
                Ok(RawLocalized::ByLanguage(pairs))
            }
        }
        de.deserialize_any(LocalizedVisitor)
    }
}

/// Validated: a text for every language, or some by language code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Localized {
    /// Given once, for every language.
    shared: Option<String>,
    /// Given by language, in the order written.
    by_language: Vec<(String, String)>,
}

impl Localized {
    /// One text for every language.
    pub fn shared(text: &str) -> Localized {
        Localized {
            shared: Some(text.to_string()),
            by_language: Vec::new(),
        }
    }

    /// The text given for language `code` itself, if any.
    pub fn given_for(&self, code: &str) -> Option<&str> {
        (self.by_language.iter())
            .find(|(c, _)| c == code)
            .map(|(_, text)| text.as_str())
    }

    /// Given once for every language rather than by language.
    pub fn is_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// The text for language `code`: its own, else the shared one, else the main
    /// language's, else the first given.
    pub fn for_language(&self, code: &str, main: &str) -> &str {
        self.given_for(code)
            .or(self.shared.as_deref())
            .or_else(|| self.given_for(main))
            .or_else(|| self.by_language.first().map(|(_, t)| t.as_str()))
            .unwrap_or("")
    }

    /// Checks that every language code written is one of the site's.
    pub(super) fn from_raw(
        raw: &RawLocalized,
        languages: &[String],
        origin: Origin<'_>,
        diags: &mut Diagnostics,
    ) -> Localized {
        match raw {
            RawLocalized::One(text) => Localized::shared(text),
            RawLocalized::ByLanguage(pairs) => {
                for (code, _) in pairs.iter().filter(|(c, _)| !languages.contains(&c.value)) {
                    diags.push(
                        origin
                            .diag_at(
                                code,
                                format!("`{}` is not one of this site's languages", code.value),
                            )
                            .help(format!(
                                "give the text for each of: {}; or add `{}` to `languages:`",
                                languages.join(", "),
                                code.value
                            )),
                    );
                }
                Localized {
                    shared: None,
                    by_language: (pairs.iter())
                        .map(|(c, t)| (c.value.clone(), t.clone()))
                        .collect(),
                }
            }
        }
    }
}
