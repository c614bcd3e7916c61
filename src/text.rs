//! Text helpers every stage may use: slugs (the URL-safe names of briefings, topics,
//! entities and pages) and line breaks. A leaf: it imports no other module of brief.

/// Unicode-aware slug of a free-text name ("Київ" -> `kyiv`, "U.S.-Russia relations" ->
/// `u-s-russia-relations`). Only `[a-z0-9-]` can come out, so a slug is always a safe
/// single path segment.
pub fn slugify(name: &str) -> String {
    if name.chars().any(is_cyrillic) {
        slug::slugify(transliterate_cyrillic(name))
    } else {
        slug::slugify(name)
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_handles_unicode_and_punctuation() {
        assert_eq!(slugify("Київ"), "kyiv");
        assert_eq!(slugify("Володимир Зеленський"), "volodymyr-zelenskyi");
        assert_eq!(slugify("Юрій Їжак"), "yurii-yizhak");
        assert_eq!(slugify("Kyiv’s offer"), "kyiv-s-offer");
        assert_eq!(slugify("U.S.-Russia relations"), "u-s-russia-relations");
        assert_eq!(slugify("Ukraine war"), "ukraine-war");
        assert_eq!(slugify("  Ceasefire   talks! "), "ceasefire-talks");
        assert_eq!(slugify("Zelenskyy’s plan"), "zelenskyy-s-plan");
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
