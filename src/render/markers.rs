//! The markers a body's HTML holds (`MARK` + what + `MARK`, see `markdown`), filled in for
//! the page that shows it: site links get their addresses from that page, fact boxes,
//! pictures, claims, citations and callouts their markup from the theme's partials.

use crate::markdown::{MARK, Target};
use crate::model::Site;

/// What the page showing a body puts where its markers are.
pub(super) trait Fill {
    /// The fact box of the body's fact block `n`.
    fn factbox(&mut self, n: usize) -> String;
    /// The `<img>` attributes of the body's picture `n`.
    fn picture(&mut self, n: usize) -> String;
    /// The markup of a claim, citation or callout (`kind`, with `arg`: its number or its
    /// kind) around `content`, the HTML it marks.
    fn wrap(&mut self, kind: &str, arg: &str, content: String) -> String;
}

/// `html` with its markers filled in, on a page whose way to the root is `root`.
pub(super) fn resolve(html: &str, root: &str, site: &Site, fill: &mut impl Fill) -> String {
    if !html.contains(MARK) {
        return html.to_string();
    }
    // Wrappers open and close around the HTML they mark, and may nest (a claim in a
    // callout): each open one keeps what came before it.
    let mut open: Vec<(&str, &str, String)> = Vec::new();
    let mut out = String::with_capacity(html.len() + 256);
    // A path written from `/` is from the site's root, above this language's home.
    let up = site.config.up_to_site();
    for (i, part) in html.split(MARK).enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
            continue;
        }
        if let Some(closing) = part.strip_prefix('/') {
            match open.pop() {
                Some((kind, arg, before)) if kind == closing => {
                    let content = std::mem::replace(&mut out, before);
                    out.push_str(&fill.wrap(kind, arg, content));
                }
                // Markers come in pairs from the Markdown pass; a stray one is dropped.
                Some(other) => open.push(other),
                None => {}
            }
            continue;
        }
        let (kind, arg) = part.split_once(':').unwrap_or((part, ""));
        match kind {
            "root" => {
                out.push_str(root);
                out.push_str(up);
            }
            "factbox" => out.push_str(&fill.factbox(arg.parse().unwrap_or(usize::MAX))),
            "pic" => out.push_str(&fill.picture(arg.parse().unwrap_or(usize::MAX))),
            "claim" | "cite" | "callout" => {
                open.push((kind, arg, std::mem::take(&mut out)));
            }
            _ => {
                if let Some(url) = Target::from_marker(part).and_then(|t| site.target(&t)) {
                    out.push_str(root);
                    out.push_str(url);
                }
            }
        }
    }
    // Unclosed wrappers keep their content as it is.
    while let Some((_, _, before)) = open.pop() {
        let content = std::mem::replace(&mut out, before);
        out.push_str(&content);
    }
    out
}
