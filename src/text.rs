//! Text helpers every stage may use: slugs (the URL-safe names of briefings, topics,
//! entities and pages) and line breaks. A leaf: it imports no other module of brief.

/// Unicode-aware slug of a free-text name ("Київ" -> `kyiv`, "U.S.-Russia relations" ->
/// `u-s-russia-relations`). Only `[a-z0-9-]` can come out, so a slug is always a safe
/// single path segment.
pub fn slugify(name: &str) -> String {
    // An apostrophe joins its word ("What's next?" -> `whats-next`), as Hugo's slugs do.
    let joined;
    let name = if name.contains(APOSTROPHES) {
        joined = name.replace(APOSTROPHES, "");
        joined.as_str()
    } else {
        name
    };
    if name.chars().any(is_cyrillic) {
        slug::slugify(transliterate_cyrillic(name))
    } else {
        slug::slugify(name)
    }
}

/// The straight, curly and modifier-letter apostrophes.
const APOSTROPHES: [char; 3] = ['\'', '’', 'ʼ'];

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// Cyrillic by Ukraine's national romanization (the one that gives "Kyiv", "Zelenskyi"),
/// which the generic table does not follow; Russian-only letters take their usual forms.
fn transliterate_cyrillic(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut word_start = true;
    for c in name.chars() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let latin = match (lower, word_start) {
            ('є', true) => "ye",
            ('ї', true) => "yi",
            ('й', true) => "y",
            ('ю', true) => "yu",
            ('я', true) => "ya",
            ('а', _) => "a",
            ('б', _) => "b",
            ('в', _) => "v",
            ('г', _) => "h",
            ('ґ', _) => "g",
            ('д', _) => "d",
            ('е', _) | ('э', _) | ('ё', _) => "e",
            ('є', _) => "ie",
            ('ж', _) => "zh",
            ('з', _) => "z",
            ('и', _) | ('ы', _) => "y",
            ('і', _) | ('ї', _) | ('й', _) => "i",
            ('к', _) => "k",
            ('л', _) => "l",
            ('м', _) => "m",
            ('н', _) => "n",
            ('о', _) => "o",
            ('п', _) => "p",
            ('р', _) => "r",
            ('с', _) => "s",
            ('т', _) => "t",
            ('у', _) => "u",
            ('ф', _) => "f",
            ('х', _) => "kh",
            ('ц', _) => "ts",
            ('ч', _) => "ch",
            ('ш', _) => "sh",
            ('щ', _) => "shch",
            ('ь', _) | ('ъ', _) | ('\'', _) | ('’', _) => "",
            ('ю', _) => "iu",
            ('я', _) => "ia",
            _ => {
                out.push(c);
                word_start = !c.is_alphanumeric();
                continue;
            }
        };
        out.push_str(latin);
        word_start = false;
    }
    out
}

/// Whether `s` is a valid explicit slug: `[a-z0-9-]+`, not starting or ending with `-`.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Turns lone carriage returns (old Mac line ends) into newlines. YAML and Markdown read
/// them as line breaks; with this, so does every line number brief reports. Both are one
/// byte, so offsets into the file stay valid.
pub fn normalize_line_breaks(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !text.contains('\r') || !(0..bytes.len()).any(lone) {
        return std::borrow::Cow::Borrowed(text);
    }
    let fixed: String = text
        .char_indices()
        .map(|(i, c)| if c == '\r' && lone(i) { '\n' } else { c })
        .collect();
    std::borrow::Cow::Owned(fixed)
}

/// A map for keys a build looks up per file or per term, hundreds of thousands of times
/// at a large site: hashed faster than `HashMap`'s default, which guards against keys chosen
/// to collide, a risk a site's own content does not carry.
pub type FastMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;

/// A hash of `value`, the same in every build by the same brief.
pub fn hash_of(value: impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Combines two hashes into one that depends on both and on their order (a bijective
/// mixer over already well-spread values).
pub fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.rotate_left(23) ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub fn mix_all(seed: u64, values: impl IntoIterator<Item = u64>) -> u64 {
    values.into_iter().fold(seed, mix)
}

/// The `Content-Type` a file of the built site is served with, by the preview and by a
/// deployed store alike.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if path.ends_with("atom.xml") || path.ends_with("editions.xml") => {
            "application/atom+xml"
        }
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_without_markdown_marks_and_read_in_whole_minutes() {
        assert_eq!(
            word_count("## What next\n\n- Talks — *soon*, in Київ. 2025 >"),
            7
        );
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(220), 1);
        assert_eq!(reading_minutes(221), 2);
    }

    #[test]
    fn nearest_suggests_close_names_only() {
        let known = ["title", "topics", "summary"];
        assert_eq!(nearest("topic", known), Some("topics"));
        assert_eq!(nearest("summry", known), Some("summary"));
        assert_eq!(nearest("zzz", known), None);
    }

    #[test]
    fn files_are_served_as_what_they_are() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("topics/x/atom.xml"), "application/atom+xml");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("img/a.JPG"), "image/jpeg");
    }

    #[test]
    fn slugify_handles_unicode_and_punctuation() {
        assert_eq!(slugify("Київ"), "kyiv");
        assert_eq!(slugify("Володимир Зеленський"), "volodymyr-zelenskyi");
        assert_eq!(slugify("Юрій Їжак"), "yurii-yizhak");
        assert_eq!(slugify("Kyiv’s offer"), "kyivs-offer");
        assert_eq!(slugify("What's next?"), "whats-next");
        assert_eq!(slugify("U.S.-Russia relations"), "u-s-russia-relations");
        assert_eq!(slugify("Ukraine war"), "ukraine-war");
        assert_eq!(slugify("  Ceasefire   talks! "), "ceasefire-talks");
        assert_eq!(slugify("Zelenskyy’s plan"), "zelenskyys-plan");
        assert_eq!(slugify("../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn explicit_slugs_are_strict() {
        assert!(is_valid_slug("putin-witkoff-ceasefire"));
        assert!(is_valid_slug("2025-talks"));
        for bad in ["", "Upper", "with space", "../x", "a/b", "-a", "a-", "é"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }
}

/// The value behind `m`, even if a thread panicked while holding it: what it guards is
/// only ever whole values, so a poisoned lock still holds a usable one.
pub fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The known name closest to `unknown`, if any is close enough to be a plausible typo.
pub fn nearest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Byte offsets of one text as lines and columns. Where each line starts is found once, so
/// each offset is a binary search, and the text of the last line asked for is kept and
/// shared: a file with tens of thousands of links, even on one line, is located in linear
/// time.
#[derive(Debug, Default)]
pub struct Lines {
    starts: std::sync::OnceLock<Vec<usize>>,
    last: std::sync::Mutex<Option<Located>>,
}

/// The last offset located: its line (0-based), that line's text, and its column.
#[derive(Debug)]
struct Located {
    index: usize,
    text: std::sync::Arc<str>,
    offset: usize,
    col: usize,
}

impl Lines {
    /// The 1-based line and column (in characters) of byte `offset` of `text`, and that
    /// line's text without its line break.
    pub fn locate(&self, text: &str, offset: usize) -> (usize, usize, std::sync::Arc<str>) {
        let starts = self.starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        });
        let offset = offset.min(text.len());
        let index = starts.partition_point(|&start| start <= offset).max(1) - 1;
        let start = starts[index];
        let chars = |from: usize| text.get(from..offset).map_or(0, |t| t.chars().count());
        let line_text = || {
            let end = starts.get(index + 1).map_or(text.len(), |&next| next - 1);
            let line = text.get(start..end).unwrap_or("");
            std::sync::Arc::<str>::from(line.trim_end_matches('\r'))
        };
        let Ok(mut last) = self.last.lock() else {
            return (index + 1, chars(start) + 1, line_text());
        };
        // Links come in reading order: count on from the last one on the same line.
        let (shared, col) = match last.take() {
            Some(l) if l.index == index && l.offset <= offset => {
                let col = l.col + chars(l.offset);
                (l.text, col)
            }
            Some(l) if l.index == index => (l.text, chars(start) + 1),
            _ => (line_text(), chars(start) + 1),
        };
        *last = Some(Located {
            index,
            text: shared.clone(),
            offset,
            col,
        });
        (index + 1, col, shared)
    }
}

#[cfg(test)]
mod lines_tests {
    use super::Lines;

    /// Line, column and line text as a scan from the start finds them.
    fn scanned(text: &str, offset: usize) -> (usize, usize, String) {
        let before = &text[..offset];
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = before.matches('\n').count() + 1;
        let col = before[start..].chars().count() + 1;
        (
            line,
            col,
            text[start..end].trim_end_matches('\r').to_string(),
        )
    }

    #[test]
    fn every_offset_is_located_as_a_scan_finds_it_in_any_order() {
        let text = "ab\r\nпривіт [x](y) z\n\nlast line — é [a](b)";
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let lines = Lines::default();
        // Forwards, then backwards, then jumping between lines.
        let order = offsets
            .iter()
            .chain(offsets.iter().rev())
            .chain(offsets.iter().step_by(3));
        for &offset in order {
            let (line, col, line_text) = lines.locate(text, offset);
            assert_eq!(
                (line, col, line_text.to_string()),
                scanned(text, offset),
                "at {offset}"
            );
        }
    }
}

/// How many words `text` has: runs of characters between spaces that hold a letter or a
/// digit (Markdown's marks and dashes alone are not words). Read byte by byte, as every
/// body of a large site is counted.
pub fn word_count(text: &str) -> usize {
    // A letter or digit, or the first byte of a letter outside ASCII: lead bytes C3-DF
    // (Latin to Arabic), E0-E1 and E3-EF (Indic to CJK), F0 and up. C2 (`«`, no-break
    // space) and E2 (dashes, quotes, arrows) start marks.
    let wordy =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, 0xC3..=0xE1 | 0xE3..=0xEF | 0xF0..);
    let (mut count, mut in_word, mut counted) = (0, false, false);
    for &b in text.as_bytes() {
        if b.is_ascii_whitespace() {
            in_word = false;
            continue;
        }
        if !in_word {
            (in_word, counted) = (true, false);
        }
        if !counted && wordy(b) {
            (count, counted) = (count + 1, true);
        }
    }
    count
}

/// The minutes a reader takes to read `words` words, at least one.
pub fn reading_minutes(words: usize) -> usize {
    /// Words a minute, a common figure for reading news on a screen.
    const PACE: usize = 220;
    words.div_ceil(PACE).max(1)
}

/// Whether `url` is an http(s) address, in any case.
pub fn is_web(url: &str) -> bool {
    let url = url.trim_start().as_bytes();
    let starts = |prefix: &str| {
        url.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    starts("http://") || starts("https://")
}
