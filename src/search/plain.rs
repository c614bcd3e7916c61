//! A body's prose as plain text, for the index and for result excerpts: its HTML without
//! tags, and without what is not the writer's prose (fact boxes, footnote numbers, the
//! markers the renderer fills in, code's markup). Blocks are kept apart by a space, so
//! words never run together across them.

use crate::markdown::MARK;

/// Elements whose content is not prose: skipped with everything inside them.
const SKIPPED: [&str; 4] = ["script", "style", "svg", "template"];

/// Elements that end a run of words: a space is put where they open or close.
const BLOCKS: [&str; 28] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// The plain text of a body's HTML as the Markdown stage left it (with its markers).
pub fn prose_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 2);
    // Markers inside tags (a link's target, a picture's attributes) go with their tag.
    strip_tags(html, &mut text);
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for (i, part) in text.split(MARK).enumerate() {
        // Odd parts are markers: a fact box, or where a claim or citation opens or closes.
        if i % 2 == 1 {
            continue;
        }
        // Each run of white space becomes one space, none at either end.
        for (j, piece) in part.split(char::is_whitespace).enumerate() {
            space |= j > 0;
            if piece.is_empty() {
                continue;
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push_str(piece);
        }
    }
    out
}

/// Appends the text of `html` to `out`, its entities decoded.
fn strip_tags(html: &str, out: &mut String) {
    let mut rest = html;
    // The element being skipped, and how many of it are open.
    let mut skipping: Option<(String, usize)> = None;
    while let Some(lt) = rest.find('<') {
        if skipping.is_none() {
            decode_into(&rest[..lt], out);
        }
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let closing = tag.starts_with('/');
        let named = tag.trim_start_matches('/');
        let length = (named.bytes())
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        let name = &named[..length];
        if let Some((skipped, depth)) = &mut skipping {
            if skipped.eq_ignore_ascii_case(name) {
                match closing {
                    true => *depth -= 1,
                    false if !tag.ends_with('/') => *depth += 1,
                    false => {}
                }
                if *depth == 0 {
                    skipping = None;
                }
            }
            continue;
        }
        if !closing && !tag.ends_with('/') && is_skipped(name, tag) {
            skipping = Some((name.to_string(), 1));
            continue;
        }
        if BLOCKS.iter().any(|b| b.eq_ignore_ascii_case(name)) {
            out.push(' ');
        }
    }
    if skipping.is_none() {
        decode_into(rest, out);
    }
}

/// Whether the element opened by `tag` (named `name`) holds no prose: scripts and the
/// like, a footnote's number where it is cited, and the way back from the footnote.
fn is_skipped(name: &str, tag: &str) -> bool {
    SKIPPED.iter().any(|s| s.eq_ignore_ascii_case(name))
        || (name.eq_ignore_ascii_case("sup") && tag.contains("footnote-ref"))
        || (name.eq_ignore_ascii_case("a") && tag.contains("footnote-back"))
}

/// Appends `text` with its character references decoded; one it does not know is kept
/// as written.
fn decode_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| Some((reference(&rest[1..end])?, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// The character a reference names (`amp`, `#39`, `#x2014`).
fn reference(name: &str) -> Option<char> {
    let code = match name {
        "amp" => return Some('&'),
        "lt" => return Some('<'),
        "gt" => return Some('>'),
        "quot" => return Some('"'),
        "apos" => return Some('\''),
        "nbsp" => return Some(' '),
        _ => name.strip_prefix('#')?,
    };
    let n = match code.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => code.parse().ok()?,
    };
    char::from_u32(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_prose_and_drops_markup() {
        let html = format!(
            "<p>Talks in <a href=\"{MARK}story:x{MARK}\">Riyadh</a>&nbsp;went on<sup class=\"footnote-ref\"><a href=\"#fn-1\">1</a></sup>.</p>\
             {MARK}factbox:0{MARK}<ul><li>one</li><li>two</li></ul>\
             <pre><code><span class=\"k\">let</span> x</code></pre><p>A &amp; B &#8212; &lt;ok&gt; &bogus;</p>\
             <p>{MARK}claim:1{MARK}Troops are surrounded{MARK}/claim{MARK}.</p>"
        );
        assert_eq!(
            prose_text(&html),
            "Talks in Riyadh went on. one two let x A & B \u{2014} <ok> &bogus; Troops are surrounded."
        );
    }

    #[test]
    fn skipped_elements_nest_and_unclosed_tags_end_the_text() {
        assert_eq!(
            prose_text("a<script>var x = 1;</script>b<svg><svg></svg>c</svg>d<p"),
            "abd"
        );
    }
}
