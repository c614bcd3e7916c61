//! Words as search finds them: text split at Unicode word boundaries (UAX #29, the rule the
//! browser's `Intl.Segmenter` follows too), lowercased, and reduced to a stem by the
//! language's Snowball stemmer. The index maps each form it saw to its stem, so the
//! browser looks a typed word up as it is and needs no stemmer of its own.

use std::borrow::Cow;
use std::cell::RefCell;

use pagefind_stem::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

use crate::text::FastMap;

/// Longer "words" (hashes, long numbers, URLs run together) are not indexed.
pub const LONGEST: usize = 48;

/// Splits and stems text in one language.
pub struct Words {
    stemmer: Option<Stemmer>,
    /// Which language, for the stems each thread remembers.
    code: String,
}

/// Stems already worked out on this thread: a site writes the same words again and again.
/// Emptied when it grows past `REMEMBERED`, so memory stays bounded.
type Remembered = (String, FastMap<Box<str>, Box<str>>);
const REMEMBERED: usize = 100_000;

thread_local! {
    static STEMS: RefCell<Remembered> = RefCell::default();
}

impl Words {
    /// For the language `lang` (`en`, `de-AT`...). Languages without a stemmer are matched
    /// by their lowercased forms alone.
    pub fn new(lang: &str) -> Words {
        let code = lang.split(['-', '_']).next().unwrap_or(lang);
        let algorithm = match code.to_ascii_lowercase().as_str() {
            "ar" => Some(Algorithm::Arabic),
            "de" => Some(Algorithm::German),
            "en" => Some(Algorithm::English),
            "es" => Some(Algorithm::Spanish),
            "fr" => Some(Algorithm::French),
            "ru" => Some(Algorithm::Russian),
            _ => None,
        };
        Words {
            stemmer: algorithm.map(Stemmer::create),
            code: code.to_string(),
        }
    }

    /// Each word of `text` as the index keeps its form: lowercased, with typographic
    /// apostrophes made plain (a reader types `'`).
    pub fn forms<'t>(&self, text: &'t str) -> impl Iterator<Item = Cow<'t, str>> + 't {
        text.unicode_words()
            .filter(|w| w.len() <= LONGEST)
            .map(normalize)
    }

    /// Calls `then` with the stem of a form from `forms`, without copying a stem this
    /// thread already knows.
    pub fn with_stem<T>(&self, form: &str, then: impl FnOnce(&str) -> T) -> T {
        let Some(stemmer) = &self.stemmer else {
            return then(form);
        };
        STEMS.with_borrow_mut(|(code, known)| {
            if *code != self.code || known.len() > REMEMBERED {
                code.clone_from(&self.code);
                known.clear();
            }
            if let Some(stem) = known.get(form) {
                return then(stem);
            }
            let stem: Box<str> = stemmer.stem(form).into();
            let value = then(&stem);
            known.insert(form.into(), stem);
            value
        })
    }
}

/// `word` lowercased, with `’` as `'`.
fn normalize(word: &str) -> Cow<'_, str> {
    let plain = word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'\'');
    if plain {
        return Cow::Borrowed(word);
    }
    let lower = word.to_lowercase();
    match lower.contains('\u{2019}') {
        true => Cow::Owned(lower.replace('\u{2019}', "'")),
        false => Cow::Owned(lower),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(lang: &str, text: &str) -> Vec<String> {
        let w = Words::new(lang);
        w.forms(text)
            .map(|f| w.with_stem(&f, str::to_string))
            .collect()
    }

    #[test]
    fn english_forms_share_a_stem() {
        assert_eq!(
            stems("en", "Talks, talking; TALKED — Putin’s envoy"),
            ["talk", "talk", "talk", "putin", "envoy"]
        );
    }

    #[test]
    fn every_theme_language_splits_and_stems() {
        assert_eq!(
            stems("ru", "переговоры переговорах"),
            ["переговор", "переговор"]
        );
        assert_eq!(stems("de-AT", "Verhandlungen"), ["verhandl"]);
        // No Ukrainian stemmer is maintained: forms are matched as they are.
        assert_eq!(stems("uk", "Посланець, уламки"), ["посланець", "уламки"]);
        assert_eq!(stems("fr", "négociations"), ["négoci"]);
    }

    #[test]
    fn punctuation_and_long_runs_are_not_words() {
        let long = "x".repeat(LONGEST + 1);
        assert_eq!(stems("en", &format!("— ... {long} 30-day")), ["30", "day"]);
    }
}
