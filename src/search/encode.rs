//! The byte forms of the index's files, which `search.js` reads back: unsigned LEB128
//! varints, lists of document numbers as gaps, and gzip around every file but the meta
//! file, which browsers decompress natively (`DecompressionStream`).

use std::io::Write;

/// Appends `n` as a varint: seven bits a byte, low bits first.
pub fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The varint at `*at` in `bytes`, moving `at` past it; `None` past the end or when it
/// runs over 64 bits.
pub fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        n |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(n);
        }
    }
    None
}

/// Appends `s` as its length in bytes, then its UTF-8.
pub fn text(out: &mut Vec<u8>, s: &str) {
    varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Appends `s` after the `shared` bytes it has in common with the text before it.
pub fn after_shared(out: &mut Vec<u8>, s: &str, shared: usize) {
    varint(out, shared as u64);
    text(out, &s[shared..]);
}

/// How many leading bytes `a` and `b` share, ending on a character boundary of both.
pub fn shared_prefix(a: &str, b: &str) -> usize {
    let mut n = 0;
    for ((i, x), y) in a.char_indices().zip(b.chars()) {
        if x != y {
            return i;
        }
        n = i + x.len_utf8();
    }
    n
}

/// Document numbers in ascending order, as gaps from the one before (the first from 0).
#[derive(Debug, Default, Clone)]
pub struct Gaps {
    pub bytes: Vec<u8>,
    pub count: u32,
    last: Option<u32>,
}

impl Gaps {
    /// Adds `doc`, which must be above every number added before.
    pub fn push(&mut self, doc: u32) {
        let gap = match self.last {
            Some(last) => doc - last,
            None => doc,
        };
        varint(&mut self.bytes, u64::from(gap));
        self.count += 1;
        self.last = Some(doc);
    }
}

/// A list's file: its count, then its gaps.
pub fn id_list(gaps: &Gaps) -> Vec<u8> {
    let mut out = Vec::with_capacity(gaps.bytes.len() + 4);
    varint(&mut out, u64::from(gaps.count));
    out.extend_from_slice(&gaps.bytes);
    out
}

/// `bytes` gzipped. Fast compression: most of an index is gaps and prose, on which the
/// slowest levels gain little.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3 + 32),
        flate2::Compression::new(1),
    );
    // Writing to memory cannot fail.
    let _ = gz.write_all(bytes);
    gz.finish().unwrap_or_default()
}

/// `value` as JSON with `<`, `>` and `&` escaped, so no file of the index can be read as
/// markup even if a host serves it as HTML.
pub fn json(value: &impl serde::Serialize) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    if !text.contains(['<', '>', '&']) {
        return text;
    }
    // Outside strings JSON has none of these characters.
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A file name for `key` that stays the same from build to build.
pub fn file_name(key: &str) -> String {
    format!("{:016x}", crate::text::hash_of(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_gaps() {
        let mut out = Vec::new();
        for n in [0, 127, 128, 300] {
            varint(&mut out, n);
        }
        assert_eq!(out, [0, 127, 0x80, 1, 0xac, 2]);
        let mut at = 0;
        let back: Vec<u64> = std::iter::from_fn(|| read_varint(&out, &mut at)).collect();
        assert_eq!(back, [0, 127, 128, 300]);
        assert_eq!(read_varint(&[0x80], &mut 0), None);
        let mut gaps = Gaps::default();
        for doc in [3, 4, 200] {
            gaps.push(doc);
        }
        assert_eq!(id_list(&gaps), [3, 3, 1, 196, 1]);
    }

    #[test]
    fn json_escapes_markup() {
        assert_eq!(json(&"<b>&"), r#""\u003cb\u003e\u0026""#);
        let back: String = serde_json::from_str(&json(&"<b>&")).unwrap_or_default();
        assert_eq!(back, "<b>&");
    }

    #[test]
    fn shared_prefixes_end_on_characters() {
        assert_eq!(shared_prefix("talks", "talking"), 4);
        assert_eq!(shared_prefix("київ", "києві"), "ки".len());
        assert_eq!(shared_prefix("a", "a"), 1);
        assert_eq!(shared_prefix("", "a"), 0);
    }
}
