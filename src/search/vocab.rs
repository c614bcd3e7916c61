//! The words of one language's index, numbered: every stem and every form seen, in the order
//! first seen. A briefing's entry (what the cache keeps of it) names its stems and forms by
//! these numbers, so merging a kept briefing into the index is counting, not hashing text.
//! Numbers never change once given; a vocabulary mostly of words no briefing has any more
//! is started again (see `KeptIndex`).

use super::doc::Indexed;
use super::encode;
use crate::text::FastMap;

#[derive(Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Vocab {
    pub stems: Vec<Box<str>>,
    /// Each form with the number of its stem.
    pub forms: Vec<(Box<str>, u32)>,
    #[serde(skip)]
    stem_at: FastMap<Box<str>, u32>,
    #[serde(skip)]
    form_at: FastMap<Box<str>, u32>,
}

/// A briefing's entry, read: each stem's number with its weight, and each form's number.
#[derive(Debug, Default, PartialEq)]
pub struct Entry {
    pub stems: Vec<(u32, u8)>,
    pub forms: Vec<u32>,
}

impl Vocab {
    /// Finds words by their text again after the vocabulary was read back from the cache.
    pub fn reopen(&mut self) {
        self.stem_at = (self.stems.iter().enumerate())
            .map(|(n, s)| (s.clone(), n as u32))
            .collect();
        self.form_at = (self.forms.iter().enumerate())
            .map(|(n, (f, _))| (f.clone(), n as u32))
            .collect();
    }

    /// The entry of `doc`, numbering its new words: a count of stems, each stem's number
    /// and weight, a count of forms, each form's number.
    pub fn entry(&mut self, doc: &Indexed) -> Vec<u8> {
        let mut out = Vec::with_capacity(doc.stems.len() * 3 + doc.forms.len() * 2 + 8);
        let mut numbers = Vec::with_capacity(doc.stems.len());
        encode::varint(&mut out, doc.stems.len() as u64);
        for (stem, weight) in &doc.stems {
            let n = self.stem_number(stem);
            numbers.push(n);
            encode::varint(&mut out, u64::from(n));
            out.push(*weight);
        }
        encode::varint(&mut out, doc.forms.len() as u64);
        for (form, at) in &doc.forms {
            let stem = numbers.get(*at as usize).copied().unwrap_or_default();
            let n = match self.form_at.get(form) {
                Some(&n) => n,
                None => {
                    let n = self.forms.len() as u32;
                    self.forms.push((form.clone(), stem));
                    self.form_at.insert(form.clone(), n);
                    n
                }
            };
            encode::varint(&mut out, u64::from(n));
        }
        out
    }

    fn stem_number(&mut self, stem: &str) -> u32 {
        if let Some(&n) = self.stem_at.get(stem) {
            return n;
        }
        let n = self.stems.len() as u32;
        self.stems.push(stem.into());
        self.stem_at.insert(stem.into(), n);
        n
    }

    /// The entry in `bytes`, if it is whole and names only words of this vocabulary.
    pub fn read(&self, bytes: &[u8]) -> Option<Entry> {
        let mut at = 0;
        let mut entry = Entry::default();
        for _ in 0..encode::read_varint(bytes, &mut at)? {
            let n = u32::try_from(encode::read_varint(bytes, &mut at)?).ok()?;
            let weight = *bytes.get(at)?;
            at += 1;
            ((n as usize) < self.stems.len()).then_some(())?;
            entry.stems.push((n, weight));
        }
        for _ in 0..encode::read_varint(bytes, &mut at)? {
            let n = u32::try_from(encode::read_varint(bytes, &mut at)?).ok()?;
            ((n as usize) < self.forms.len()).then_some(())?;
            entry.forms.push(n);
        }
        (at == bytes.len()).then_some(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(stems: &[&str], forms: &[(&str, u32)]) -> Indexed {
        Indexed {
            stems: stems.iter().map(|s| (Box::from(*s), 7)).collect(),
            forms: forms.iter().map(|(f, n)| (Box::from(*f), *n)).collect(),
            result: String::new(),
        }
    }

    #[test]
    fn entries_number_words_once_and_read_back() {
        let mut vocab = Vocab::default();
        let first = vocab.entry(&doc(&["talk", "envoy"], &[("talks", 0), ("envoy", 1)]));
        let second = vocab.entry(&doc(&["envoy"], &[("envoy", 0)]));
        assert_eq!(vocab.stems.len(), 2);
        assert_eq!(
            vocab.read(&first),
            Some(Entry {
                stems: vec![(0, 7), (1, 7)],
                forms: vec![0, 1]
            })
        );
        assert_eq!(vocab.read(&second).map(|e| e.forms), Some(vec![1]));
        let mut reopened = Vocab {
            stems: vocab.stems.clone(),
            forms: vocab.forms.clone(),
            ..Vocab::default()
        };
        reopened.reopen();
        assert_eq!(reopened.entry(&doc(&["envoy"], &[("envoy", 0)])), second);
    }

    #[test]
    fn entries_of_another_vocabulary_or_cut_short_are_refused() {
        let mut vocab = Vocab::default();
        let bytes = vocab.entry(&doc(&["talk"], &[("talks", 0)]));
        assert_eq!(Vocab::default().read(&bytes), None);
        assert_eq!(vocab.read(&bytes[..bytes.len() - 1]), None);
    }
}
