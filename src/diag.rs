//! Diagnostics a writer reads: where the problem is (file, line, column, the offending line),
//! what is wrong and how to fix it. Every stage collects them and the build fails once, with all.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Whether a problem stops the build.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Severity {
    /// Something that may be intended: printed and counted; `--strict` makes it an error.
    Warning,
    /// Stops the build; nothing is written.
    #[default]
    Error,
}

/// What a warning is about, so that those past the first screens can be counted by kind.
/// One byte: a site may have tens of thousands of diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    #[default]
    Other,
    UnusedIntro,
    FactConflict,
    NearDuplicateName,
    EmptyFile,
    DeadLink,
}

impl Kind {
    /// The kind's name for one and for many, as a count line reads it.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Kind::Other => ("warning", "warnings"),
            Kind::UnusedIntro => ("intro no briefing uses", "intros no briefing uses"),
            Kind::FactConflict => ("fact conflict", "fact conflicts"),
            Kind::NearDuplicateName => ("near-duplicate name", "near-duplicate names"),
            Kind::EmptyFile => ("empty file", "empty files"),
            Kind::DeadLink => ("dead link", "dead links"),
        }
    }
}

/// How many warnings a report shows in full before it counts the rest by kind: a few
/// screens. `--warnings all` shows every one.
pub const SHOWN_IN_FULL: usize = 20;

/// Which warnings a report shows in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Shown {
    /// The first ones, then a line per kind with how many more there are
    #[default]
    First,
    /// Every warning in full
    All,
}

/// The longest line (in bytes) a diagnostic shows. Longer ones, as generated files have,
/// would cost their length for every link on them and fill the screen.
pub const LONGEST_SHOWN: usize = 2000;

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, as the writer would name it (relative to the site root where possible).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem is about the file as a whole.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    /// How many characters to underline (at least one); 32 bits keep the struct small.
    pub width: u32,
    /// The text of the offending line, when known; shared by the diagnostics of one line,
    /// which may be long and hold thousands of links.
    pub source_line: Option<std::sync::Arc<str>>,
    pub message: String,
    pub help: Option<String>,
    /// For warnings: what the warning is about.
    #[serde(skip)]
    pub kind: Kind,
}

impl Diagnostic {
    /// A problem with a whole file, no position known.
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            col: 0,
            width: 1,
            source_line: None,
            message: message.into(),
            help: None,
            kind: Kind::Other,
        }
    }

    /// Points the diagnostic at `line`:`col` of `text` (the whole file), keeping that line.
    pub fn at(self, text: &str, line: usize, col: usize) -> Self {
        let line_text = text.lines().nth(line.max(1) - 1).unwrap_or("");
        self.at_line(line_text.trim_end_matches('\r').into(), line, col)
    }

    /// Points the diagnostic at `line`:`col`, whose text is `line_text`.
    /// A line longer than `LONGEST_SHOWN` is not kept: the place is named without it.
    pub fn at_line(mut self, line_text: std::sync::Arc<str>, line: usize, col: usize) -> Self {
        self.line = line.max(1);
        self.col = col.max(1);
        self.source_line = (line_text.len() <= LONGEST_SHOWN).then_some(line_text);
        self
    }

    /// Underlines `width` characters from the column.
    pub fn width(mut self, width: usize) -> Self {
        self.width = u32::try_from(width).unwrap_or(u32::MAX).max(1);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same place with another message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// The same problem as a warning of this kind.
    pub fn warning(mut self, kind: Kind) -> Self {
        self.severity = Severity::Warning;
        self.kind = kind;
        self
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// `path:line:col`, or just the path when no position is known.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.path.display().to_string()
        } else {
            format!("{}:{}:{}", self.path.display(), self.line, self.col)
        }
    }

    /// Renders the diagnostic in the annotate-snippets style; `color` for terminals.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let path = self.path.display().to_string();
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(self.message.as_str());
        let group = if let Some(line) = &self.source_line {
            let span = char_span(line, self.col, self.width as usize);
            title.element(
                Snippet::source(&**line)
                    .line_start(self.line)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        } else if self.line > 0 {
            let origin = annotate_snippets::Origin::path(path.as_str())
                .line(self.line)
                .char_column(self.col);
            title.element(origin)
        } else {
            title.element(annotate_snippets::Origin::path(path.as_str()))
        };
        let mut groups = vec![group];
        if let Some(help) = &self.help {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        renderer.render(&groups).to_string()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Byte range of `width` characters starting at the 1-based character column `col`.
fn char_span(line: &str, col: usize, width: usize) -> std::ops::Range<usize> {
    let byte_at = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(i, _)| i)
    };
    let start = byte_at(col.saturating_sub(1));
    let end = byte_at(col.saturating_sub(1) + width).max(start);
    start..end
}

/// All the problems a stage found. A build that collects any fails, after reporting them all.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Orders diagnostics by file and position so output is stable across parallel runs.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.col, &a.message).cmp(&(&b.path, b.line, b.col, &b.message))
        });
        self.0.dedup();
        self
    }

    /// `Ok(value)` when nothing was collected.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Every diagnostic, then a count and what a build does about them.
    pub fn render(&self, color: bool) -> String {
        self.render_then(color, "nothing was written")
    }

    /// Splits off the warnings, keeping the errors.
    pub fn take_warnings(&mut self) -> Diagnostics {
        let (warnings, errors) = std::mem::take(&mut self.0)
            .into_iter()
            .partition(Diagnostic::is_warning);
        self.0 = errors;
        Diagnostics(warnings)
    }

    /// The warnings as errors, for `--strict`.
    pub fn into_errors(self) -> Diagnostics {
        Diagnostics(
            self.0
                .into_iter()
                .map(|d| Diagnostic {
                    severity: Severity::Error,
                    ..d
                })
                .collect(),
        )
    }

    /// Warnings alone, then a count; the build goes on. Past `SHOWN_IN_FULL`, unless all
    /// are asked for, the rest are counted by kind.
    pub fn render_warnings(&self, color: bool, shown: Shown) -> String {
        let n = self.0.len();
        let in_full = match shown {
            Shown::All => n,
            Shown::First => n.min(SHOWN_IN_FULL),
        };
        let mut out = String::new();
        for d in &self.0[..in_full] {
            out.push_str(&d.render(color));
            out.push_str("\n\n");
        }
        for (kind, more) in counted_by_kind(&self.0[in_full..]) {
            let (one, many) = kind.names();
            let what = if more == 1 { one } else { many };
            out.push_str(&format!(
                "and {} more {what}: `brief check --warnings all` lists them\n",
                thousands(more)
            ));
        }
        out.push_str(&format!(
            "warning: {} warning{}; `--strict` makes warnings errors",
            thousands(n),
            plural(n)
        ));
        out
    }

    /// Like `render`, saying `then` after the count (the preview keeps serving the last
    /// good site, which is more to the point for its writer).
    pub fn render_then(&self, color: bool, then: &str) -> String {
        let n = self.0.len();
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render(color));
            out.push_str("\n\n");
        }
        out.push_str(&format!("error: found {n} problem{}; {then}", plural(n)));
        out
    }
}

/// Each kind among `warnings` with how many there are, the most frequent first.
fn counted_by_kind(warnings: &[Diagnostic]) -> Vec<(Kind, usize)> {
    let mut counts: std::collections::BTreeMap<Kind, usize> = Default::default();
    for w in warnings {
        *counts.entry(w.kind).or_default() += 1;
    }
    let mut counts: Vec<(Kind, usize)> = counts.into_iter().collect();
    counts.sort_by_key(|&(kind, n)| (std::cmp::Reverse(n), kind));
    counts
}

/// 39990 as "39,990", for counts a writer reads at a glance.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// A path relative to the site root for messages; falls back to the path as given.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_count_says_what_follows() {
        let diags = Diagnostics(vec![Diagnostic::new("content/a.md", "bad")]);
        assert!(
            diags
                .render(false)
                .ends_with("error: found 1 problem; nothing was written")
        );
        assert!(
            diags
                .render_then(false, "the last good site is still served")
                .ends_with("error: found 1 problem; the last good site is still served")
        );
    }

    use super::*;

    #[test]
    fn renders_location_line_and_help() {
        let text = "---\ntitle: x\ntopic: [a]\n---\n";
        let d = Diagnostic::new("content/a.md", "unknown field `topic`")
            .at(text, 3, 1)
            .width(5)
            .help("did you mean `topics`?");
        let out = d.render(false);
        assert!(out.contains("error: unknown field `topic`"), "{out}");
        assert!(out.contains("content/a.md:3:1"), "{out}");
        assert!(out.contains("3 | topic: [a]"), "{out}");
        assert!(out.contains("^^^^^"), "{out}");
        assert!(out.contains("help: did you mean `topics`?"), "{out}");
    }

    #[test]
    fn spans_count_characters_not_bytes() {
        assert_eq!(char_span("é topic", 3, 5), 3..8);
        assert_eq!(char_span("ab", 5, 1), 2..2);
    }
}
