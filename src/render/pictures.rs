//! Pictures on pages: where each one is published, the narrower copies a browser may pick
//! from (`srcset`), and its size, so nothing moves while it loads.

use serde::Serialize;

use crate::picture::{Picture, Place, copy_path};

/// The width a picture takes in the text column: the full width of a phone, at most the
/// column's 42rem on wider screens.
pub const COLUMN: &str = "(min-width: 45rem) 42rem, calc(100vw - 2rem)";

/// Where a local picture is addressed from its language's home: a file under `static/` at
/// the site's root, which is `up` from there; a file beside a content file under the page at
/// `owner_url`.
pub fn published(p: &Picture, owner_url: &str, up: &str) -> Option<String> {
    match &p.place {
        Place::Remote(_) => None,
        Place::Static(path) => Some(format!("{up}{path}")),
        Place::Beside(rel) => Some(format!("{owner_url}{rel}")),
    }
}

/// Where a local picture's file is written, from the site's root, for a page of the
/// language whose folder is `home`.
pub fn output_path(p: &Picture, owner_url: &str, home: &str) -> Option<String> {
    match &p.place {
        Place::Remote(_) => None,
        Place::Static(path) => Some(path.clone()),
        Place::Beside(rel) => Some(format!("{home}{owner_url}{rel}")),
    }
}

/// A picture as an `<img>` needs it. Local addresses are from the site's root: a template
/// puts `root` before them (`local` says which).
#[derive(Serialize, Debug, Clone, PartialEq, Eq, Hash)]
pub struct PictureView {
    /// For browsers that do not read `srcset`: a copy fit for a column, not the widest.
    pub src: String,
    pub local: bool,
    /// The copies and the original, narrowest first; empty when there is only one file.
    pub srcset: Vec<Candidate>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq, Hash)]
pub struct Candidate {
    pub url: String,
    pub width: u32,
}

impl PictureView {
    /// `p`, whose file sits beside the page at `owner_url` or `up` at the site's root.
    pub fn new(p: &Picture, owner_url: &str, up: &str) -> PictureView {
        let Some(path) = published(p, owner_url, up) else {
            let src = match &p.place {
                Place::Remote(url) => url.clone(),
                _ => String::new(),
            };
            return PictureView {
                src,
                local: false,
                srcset: Vec::new(),
                width: None,
                height: None,
            };
        };
        let widths = p.widths();
        let mut srcset: Vec<Candidate> = widths
            .iter()
            .map(|&w| Candidate {
                url: copy_path(&path, w),
                width: w,
            })
            .collect();
        if let (Some((w, _)), false) = (p.size, srcset.is_empty()) {
            srcset.push(Candidate {
                url: path.clone(),
                width: w,
            });
        }
        let src = match widths.iter().rev().find(|&&w| w <= 960) {
            Some(&w) => copy_path(&path, w),
            None => path,
        };
        PictureView {
            src,
            local: true,
            srcset,
            width: p.size.map(|s| s.0),
            height: p.size.map(|s| s.1),
        }
    }

    /// The attributes of an `<img>` but `alt`, escaped, on a page whose way to the root is
    /// `root`; `sizes` is the width the picture takes there.
    pub fn attributes(&self, root: &str, sizes: &str) -> String {
        let prefix = if self.local { root } else { "" };
        let mut out = String::from("src=\"");
        escape_into(&mut out, &format!("{prefix}{}", self.src));
        out.push('"');
        if !self.srcset.is_empty() {
            let set: Vec<String> = (self.srcset.iter())
                .map(|c| format!("{prefix}{} {}w", c.url, c.width))
                .collect();
            out.push_str(" srcset=\"");
            escape_into(&mut out, &set.join(", "));
            out.push_str("\" sizes=\"");
            escape_into(&mut out, sizes);
            out.push('"');
        }
        if let (Some(w), Some(h)) = (self.width, self.height) {
            out.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
        }
        out
    }
}

fn escape_into(out: &mut String, text: &str) {
    let _ = pulldown_cmark_escape::escape_html(out, text);
}

/// The file social cards show of a picture: its widest copy up to 1600 pixels, with its
/// size; an absolute address on the site of `config`.
pub fn share(
    p: &Picture,
    owner_url: &str,
    config: &crate::config::Config,
) -> Option<(String, Option<(u32, u32)>)> {
    let base = config.site_url();
    match &p.place {
        Place::Remote(url) => Some((url.clone(), None)),
        _ => {
            let path = output_path(p, owner_url, &config.home)?;
            let size = p.size;
            let best = p.widths().last().copied();
            Some(match (best, size) {
                (Some(w), Some((full, _))) if full > 1600 => (
                    format!("{base}{}", copy_path(&path, w)),
                    Some((w, p.height_at(w))),
                ),
                _ => (format!("{base}{path}"), size),
            })
        }
    }
}
