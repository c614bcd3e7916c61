//! Splits a content file into its YAML front matter and Markdown body, keeping the line
//! numbers of both so later errors point into the file the writer edits.

/// The two halves of a content file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line of the first YAML line (the line after the opening `---`).
    pub yaml_line: usize,
    /// Byte offset of the body in the file text.
    pub body_start: usize,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Why a file has no usable front matter, with the 1-based line to point at.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitError {
    pub line: usize,
    pub message: &'static str,
    pub help: &'static str,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits `text` (BOM already removed) at the `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError {
            line: 1,
            message: "the file is empty",
            help: "a briefing starts with front matter between `---` lines, e.g.\n---\ntitle: \"...\"\ndate: 2025-03-14\n---",
        });
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first) {
        return Err(SplitError {
            line: 1,
            message: "the file does not start with front matter",
            help: "put a line `---` first, then the fields (title, date, ...), then another `---`",
        });
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    let mut line_no = 1;
    for line in lines {
        line_no += 1;
        if is_fence(line) {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body_start: offset + line.len(),
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError {
        line: 1,
        message: "the front matter is never closed",
        help: "add a line `---` after the last front-matter field",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_line_numbers() {
        let text = "---\ntitle: x\ndate: 2025-01-01\n---\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "title: x\ndate: 2025-01-01\n");
        assert_eq!(&text[s.body_start..], "Body\n");
        assert_eq!((s.yaml_line, s.body_line), (2, 5));
    }

    #[test]
    fn accepts_crlf_and_trailing_spaces() {
        let text = "--- \r\ntitle: x\r\n---\t\r\nBody";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "title: x\r\n");
        assert_eq!(&text[s.body_start..], "Body");
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let s = split("---\n---").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body_start, 7);
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split("").unwrap_err().message, "the file is empty");
        assert_eq!(split("  \n\n").unwrap_err().message, "the file is empty");
        assert_eq!(
            split("title: x\n").unwrap_err().message,
            "the file does not start with front matter"
        );
        assert_eq!(
            split("---\ntitle: x\n").unwrap_err().message,
            "the front matter is never closed"
        );
        assert!(split("----\n---\n").is_err());
    }
}
