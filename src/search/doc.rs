//! One briefing as the index takes it: its words reduced to stems with a weight each, the
//! forms it wrote them in, the data a result shows, and its filter values.

use std::sync::Arc;

use super::plain::prose_text;
use super::words::Words;
use crate::content::Briefing;
use crate::diag::Diagnostic;
use crate::text::FastMap;

/// What the index reads of a briefing: the briefing, where it is, and what its result
/// shows beside the text.
#[derive(Clone)]
pub struct Source {
    pub briefing: Arc<Briefing>,
    /// From the site's root: `uk/2025/03/slug/`.
    pub url: String,
    /// Its date as the site's pages write it.
    pub date: String,
    /// Each filter's values for it, in the order of `Corpus::filters`.
    pub facets: Vec<Vec<String>>,
    /// A hash of everything indexed of it (see `key`): what the index keeps of it is
    /// reused while this stays the same.
    pub key: u64,
}

/// The key of a briefing as `source` shows it, in a site whose settings hash to `settings`
/// (they shape its HTML): its words and its result data come from these alone. The
/// prose's fingerprint is a hash of its whole file.
pub fn key(settings: u64, b: &Briefing, url: &str, date: &str) -> u64 {
    crate::text::hash_of((
        settings,
        &b.lang,
        &b.title,
        &b.summary,
        b.prose.fingerprint,
        url,
        date,
    ))
}

/// The stored prose of a result is cut here: excerpts come from the start of long texts.
const LONGEST_TEXT: usize = 40_000;

/// A briefing of this many words weighs a word's count as it is; longer ones less.
const TYPICAL_WORDS: f64 = 600.0;

/// The weight byte's top bit: the word is in the title.
pub const IN_TITLE: u8 = 0x80;

/// A briefing, indexed.
#[derive(Debug, Clone, PartialEq)]
pub struct Indexed {
    /// Each stem with its weight here (see `weight`), in the order first written.
    pub stems: Vec<(Box<str>, u8)>,
    /// Each form written, with its stem's place in `stems`.
    pub forms: Vec<(Box<str>, u32)>,
    /// The result's data, as JSON: address, title, date, prose.
    pub result: String,
}

/// The result data `search.js` shows.
#[derive(serde::Serialize)]
struct ResultData<'a> {
    u: &'a str,
    t: &'a str,
    d: &'a str,
    x: &'a str,
}

/// Indexes `source`: its title, summary and body prose.
pub fn index(source: &Source, words: &Words) -> Result<Indexed, Diagnostic> {
    let b = &source.briefing;
    let prose = prose_text(&b.prose.html.read()?);
    let mut tally = Tally::default();
    tally.add(words, &b.title, true);
    if let Some(summary) = &b.summary {
        tally.add(words, summary, false);
    }
    tally.add(words, &prose, false);
    Ok(tally.finish(result_data(source, prose)))
}

/// The data a result of `source` shows, as JSON.
pub fn result(source: &Source) -> Result<String, Diagnostic> {
    let html = source.briefing.prose.html.read()?;
    Ok(result_data(source, prose_text(&html)))
}

fn result_data(source: &Source, mut prose: String) -> String {
    if prose.len() > LONGEST_TEXT {
        let cut = (0..=LONGEST_TEXT)
            .rev()
            .find(|&i| prose.is_char_boundary(i))
            .unwrap_or(0);
        prose.truncate(cut);
    }
    let data = ResultData {
        u: &source.url,
        t: &source.briefing.title,
        d: &source.date,
        x: &prose,
    };
    super::encode::json(&data)
}

/// Counts a briefing's stems as its words come.
#[derive(Default)]
struct Tally {
    stems: Vec<(Box<str>, u32, bool)>,
    stem_at: FastMap<Box<str>, u32>,
    forms: FastMap<Box<str>, u32>,
    words: u32,
}

impl Tally {
    fn add(&mut self, words: &Words, text: &str, title: bool) {
        for form in words.forms(text) {
            self.words += 1;
            let at = match self.forms.get(form.as_ref()) {
                Some(&at) => at,
                None => {
                    let at = words.with_stem(&form, |stem| self.stem_number(stem));
                    self.forms.insert(form.as_ref().into(), at);
                    at
                }
            };
            let entry = &mut self.stems[at as usize];
            entry.1 += 1;
            entry.2 |= title;
        }
    }

    fn stem_number(&mut self, stem: &str) -> u32 {
        if let Some(&at) = self.stem_at.get(stem) {
            return at;
        }
        let at = self.stems.len() as u32;
        self.stems.push((stem.into(), 0, false));
        self.stem_at.insert(stem.into(), at);
        at
    }

    fn finish(self, result: String) -> Indexed {
        let length = f64::from(self.words.max(1));
        let stems = (self.stems.into_iter())
            .map(|(stem, count, title)| (stem, weight(count, length, title)))
            .collect();
        Indexed {
            stems,
            forms: self.forms.into_iter().collect(),
            result,
        }
    }
}

/// A word's weight in a briefing, in a byte: how often it is written, saturating and
/// scaled by the briefing's length (as BM25 does), in the low seven bits; `IN_TITLE` when
/// the title has it. It depends on the briefing alone, so an edit changes no other's.
fn weight(count: u32, length: f64, title: bool) -> u8 {
    let (k1, b) = (1.2, 0.75);
    let tf = f64::from(count);
    let saturated = tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * length / TYPICAL_WORDS));
    let scaled = (saturated * 50.0).round().clamp(1.0, 127.0) as u8;
    if title { scaled | IN_TITLE } else { scaled }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_saturate_and_mark_the_title() {
        assert!(weight(1, 600.0, false) < weight(3, 600.0, false));
        assert!(weight(3, 3000.0, false) < weight(3, 600.0, false));
        assert_eq!(weight(1000, 10.0, false), 110);
        assert_eq!(weight(1, 600.0, true) & IN_TITLE, IN_TITLE);
        assert!(weight(1, 1e9, false) >= 1);
    }
}
