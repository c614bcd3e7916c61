//! The one place YAML is read (site.yaml and front matter), with limits against hostile input
//! and errors turned into located diagnostics.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{Budget, Options};

use crate::diag::Diagnostic;
use crate::text::nearest;

pub use serde_saphyr::Spanned;

/// The deepest nesting one YAML document may have.
pub const MAX_DEPTH: usize = 64;
/// The most values (scalars, lists, maps, with aliases expanded) one YAML document may hold.
pub const MAX_NODES: usize = 250_000;

/// Parser options shared by every YAML read: no snippets (we render our own), bounded
/// alias expansion and nesting so a "billion laughs" document fails fast.
fn options() -> Options {
    let mut options = Options::default();
    options.with_snippet = false;
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    options.budget = Some(budget);
    options
}

/// Where a YAML document sits inside a file: the first line of the document is
/// `first_line` of the file (front matter starts on line 2, after `---`).
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    pub path: &'a Path,
    pub file_text: &'a str,
    pub first_line: usize,
}

impl Origin<'_> {
    /// A diagnostic at a YAML location (1-based line and column within the document).
    pub fn diag(&self, line: u32, col: u32, message: impl Into<String>) -> Diagnostic {
        let d = Diagnostic::new(self.path, message);
        if line == 0 {
            return d;
        }
        d.at(
            self.file_text,
            line as usize + self.first_line - 1,
            col as usize,
        )
    }

    /// The file line and column of a spanned value (0 when unknown), as small numbers.
    pub fn line_col<T>(&self, value: &Spanned<T>) -> (u32, u16) {
        let loc = value.referenced;
        if loc.line() == 0 {
            return (0, 0);
        }
        let line = loc.line() as usize + self.first_line - 1;
        (
            u32::try_from(line).unwrap_or(0),
            u16::try_from(loc.column()).unwrap_or(0),
        )
    }

    /// A diagnostic pointing at a spanned value, underlining it.
    pub fn diag_at<T>(&self, value: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        let loc = value.referenced;
        let width = (loc.span().len() as usize).max(1);
        self.diag(loc.line() as u32, loc.column() as u32, message)
            .width(width)
    }
}

/// Parses `text` (a YAML document) into `T`, or one located diagnostic.
pub fn parse<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| to_diagnostic(&e, origin))
}

/// Parses with a `DeserializeSeed`, for documents whose keys depend on configuration.
pub fn parse_seed<'de, S>(
    text: &'de str,
    seed: S,
    origin: Origin<'_>,
) -> Result<S::Value, Diagnostic>
where
    S: serde::de::DeserializeSeed<'de>,
{
    serde_saphyr::with_deserializer_from_str_with_options(text, options(), |de| {
        seed.deserialize(de)
    })
    .map_err(|e| to_diagnostic(&e, origin))
}

fn to_diagnostic(error: &serde_saphyr::Error, origin: Origin<'_>) -> Diagnostic {
    let error = error.without_snippet();
    let (line, col) = error
        .location()
        .map_or((0, 0), |l| (l.line() as u32, l.column() as u32));
    match error {
        serde_saphyr::Error::SerdeUnknownField {
            field, expected, ..
        } => {
            return unknown_field(origin.diag(line, col, ""), field, expected.iter().copied());
        }
        serde_saphyr::Error::SerdeMissingField { field, .. } => {
            return origin
                .diag(line, col, format!("missing required field `{field}`"))
                .help(format!("add `{field}:` to this entry"));
        }
        _ => {}
    }
    let mut message = error.to_string();
    let suffix = format!(" at line {line}, column {col}");
    if let Some(stripped) = message.strip_suffix(&suffix) {
        message = stripped.to_string();
    }
    let d = origin.diag(line, col, "");
    if let Some(curly) = curly_quote(origin, line) {
        return curly;
    }
    if let Some(unclosed) = unclosed_bracket(origin, line) {
        return unclosed;
    }
    let key = d
        .source_line
        .as_deref()
        .and_then(|l| l.split_once(':'))
        .map(|(k, _)| k.trim().trim_start_matches("- ").to_string())
        .filter(|k| !k.is_empty() && !k.contains(' '))
        .unwrap_or_else(|| "field".to_string());
    let (message, help) = explain(&message, &key);
    Diagnostic { message, ..d }.help(help)
}

/// A `[` or `{` opened on an earlier line and never closed: the parser only notices lines
/// later, at the next field, so the error points back at the bracket. Brackets inside
/// quotes and comments are skipped; a list that goes on over several lines and closes is
/// fine.
fn unclosed_bracket(origin: Origin<'_>, error_line: u32) -> Option<Diagnostic> {
    let lines = origin.file_text.lines().skip(origin.first_line - 1);
    let mut open: Vec<(u32, usize, char)> = Vec::new();
    for (n, text) in (1..=error_line).zip(lines) {
        let mut quote = None;
        // A quote opens a quoted value only where a value starts (`Kremlin's` has none).
        let mut value_starts = true;
        for (col, c) in text.chars().enumerate() {
            let starts_here = value_starts;
            if !c.is_whitespace() {
                value_starts = matches!(c, ':' | '[' | '{' | ',' | '-');
            }
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') if starts_here => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => open.push((n, col + 1, c)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    let &(line, col, bracket) = open.first().filter(|(l, ..)| *l < error_line)?;
    let (close, what) = if bracket == '[' {
        (']', "list")
    } else {
        ('}', "map")
    };
    let opened = origin.diag(line, col as u32, "");
    let shown = opened
        .source_line
        .as_deref()
        .unwrap_or("")
        .trim_end()
        .to_string();
    Some(
        opened
            .with_message(format!("this `{bracket}` is never closed"))
            .help(format!(
                "end the {what} with `{close}` on this line, e.g. `{shown}{close}`"
            )),
    )
}

/// Curly quotes (“ ” ‘ ’), as word processors write them, look like quotes but are text to
/// YAML, so the parser's complaint is about something else. Points at a value that starts
/// with one, on the offending line or the line before it.
fn curly_quote(origin: Origin<'_>, line: u32) -> Option<Diagnostic> {
    const CURLY: [char; 4] = ['\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}'];
    [line, line.saturating_sub(1)]
        .into_iter()
        .filter(|&l| l > 0)
        .find_map(|l| {
            let text = origin.diag(l, 1, "").source_line?;
            let (key, value) = text.split_once(':')?;
            let value = value.trim_start();
            value.starts_with(CURLY).then_some(())?;
            let col = text[..text.len() - value.len()].chars().count() + 1;
            let straight = value.trim_end().trim_matches(CURLY).replace('"', "\\\"");
            let key = key.trim().trim_start_matches("- ");
            Some(
                origin
                    .diag(l, col as u32, "curly quotes (“ ”) are not YAML quotes")
                    .help(format!(
                        "write straight quotes instead: {key}: \"{straight}\""
                    )),
            )
        })
}

/// Builds the "unknown field" diagnostic with the nearest known name, used for serde's own
/// unknown-field errors and for keys we check ourselves.
pub fn unknown_field<'a>(
    d: Diagnostic,
    field: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let mut d = d.width(field.chars().count());
    d.message = format!("unknown field `{field}`");
    let list = known
        .clone()
        .into_iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match nearest(field, known) {
        Some(near) => d.help(format!("did you mean `{near}`? Known fields: {list}")),
        None => d.help(format!("remove it or use one of: {list}")),
    }
}

/// The largest value of the unsigned field the parser could not read a number into.
fn whole_number_limit(message: &str) -> Option<u64> {
    match message.strip_prefix("invalid ")? {
        "u8" => Some(u8::MAX.into()),
        "u16" => Some(u16::MAX.into()),
        "u32" => Some(u32::MAX.into()),
        "u64" | "usize" => Some(u64::MAX),
        _ => None,
    }
}

/// Rewrites the parser's wording into something a writer can act on; `key` is the field
/// on the offending line, when there is one.
fn explain(message: &str, key: &str) -> (String, String) {
    if let Some(dup) = message.strip_prefix("duplicate mapping key: ") {
        let dup = dup.split(',').next().unwrap_or(dup);
        return (
            format!("the field `{dup}` appears twice"),
            "keep one of the two lines".into(),
        );
    }
    if message.contains("expected sequence") {
        return (
            format!("`{key}` must be a list"),
            format!("write `{key}: [First, Second]`, or one item per line starting with `- `"),
        );
    }
    if message.contains("expected mapping") {
        return (
            format!("`{key}` holds fields of its own, not a value"),
            format!(
                "write `{key}:` alone on its line, then each of its fields on a line below, indented by two spaces"
            ),
        );
    }
    if message.contains("expected string") {
        // The parser says this for any single value (text, number, yes/no) given a list
        // or a group of fields.
        return (
            format!("`{key}` takes one value, not a list or a group of fields"),
            format!(
                "write the value on the same line after `{key}:`; put text in quotes if it contains `:`, `#`, `[` or `{{`"
            ),
        );
    }
    if let Some(largest) = whole_number_limit(message) {
        return (
            format!("`{key}` must be a whole number"),
            format!("write digits only, from 0 to {largest}, e.g. `{key}: 20`"),
        );
    }
    if message.starts_with("invalid floating point") {
        return (
            format!("`{key}` must be a number"),
            format!("write a number such as `{key}: 1.5`"),
        );
    }
    if message.contains("cannot deserialize null") {
        return (
            format!("`{key}` has no value"),
            format!("write a value after `{key}:`, or remove the line"),
        );
    }
    if message.contains("invalid boolean") {
        return (
            format!("`{key}` must be true or false"),
            format!("write `{key}: true` or `{key}: false`"),
        );
    }
    if message.contains("recursive references") {
        return (
            "a YAML alias refers to the value that contains it".into(),
            "write the values out instead of using `*alias` inside its own `&anchor`".into(),
        );
    }
    if let Some(code) = message
        .strip_prefix("unexpected character: `\\u{")
        .and_then(|rest| rest.split_once('}'))
        .map(|(hex, _)| hex)
    {
        return (
            format!(
                "invalid YAML: an invisible control character (U+{:0>4}) is not allowed here",
                code.to_uppercase()
            ),
            "delete it; such characters often come along when text is pasted from other programs"
                .into(),
        );
    }
    if let Some(what) = message.strip_prefix("budget breached: ") {
        let limit = match what.split([' ', '{']).next().unwrap_or("") {
            "Nodes" | "Events" => format!("more than {MAX_NODES} values"),
            "Depth" => format!("nested more than {MAX_DEPTH} deep"),
            "Aliases" | "Anchors" => "too many aliases or anchors".to_string(),
            _ => "over a size limit".to_string(),
        };
        return (
            format!("YAML too large: {limit}"),
            format!(
                "one YAML document may hold at most {MAX_NODES} values, aliases expanded, nested at most {MAX_DEPTH} deep; write fewer values or move bulk data out of content/"
            ),
        );
    }
    let help = if message.contains("mapping values are not allowed") {
        "a value containing `: ` must be quoted, e.g. title: \"Talks: day two\"".into()
    } else if message.contains("tab") {
        "indent YAML with spaces, not tabs".into()
    } else if message.contains("unclosed quote") || message.contains("did not find expected") {
        "check that quotes and brackets are closed on this line".into()
    } else if message.starts_with("budget") || message.contains("alias") {
        "YAML aliases and nesting are limited; write the values out instead".into()
    } else {
        "front matter and site.yaml are YAML; check this line's syntax".into()
    };
    (format!("invalid YAML: {message}"), help)
}
