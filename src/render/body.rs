//! A body on its page: the markers of its HTML filled in with the theme's partials (fact
//! boxes, claims, citations, callouts) and the page's addresses (links, pictures).

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::markers::{self, Fill};
use super::pictures::{self, PictureView};
use super::views::{ClaimView, FactView};
use crate::content::{Prose, Source};
use crate::diag::Diagnostic;

impl Renderer<'_> {
    /// `prose` shown on the page at `url`, whose way to the root is `root`; `sources` are
    /// the ones its citations and facts name.
    pub(super) fn body_html(
        &self,
        prose: &Prose,
        sources: &[Source],
        url: &str,
        root: &str,
    ) -> Result<String, Diagnostic> {
        let mut fill = BodyFill {
            renderer: self,
            prose,
            sources,
            url,
            root,
            error: None,
        };
        let text = prose.html.read()?;
        let html = markers::resolve(&text, root, self.site, &mut fill);
        match fill.error {
            Some(e) => Err(e),
            None => Ok(html),
        }
    }
}

struct BodyFill<'b, 'r> {
    renderer: &'b Renderer<'r>,
    prose: &'b Prose,
    sources: &'b [Source],
    url: &'b str,
    root: &'b str,
    /// The first template error; the rest of the body is still filled in.
    error: Option<Diagnostic>,
}

/// A callout as `partials/callout.html` sees it.
#[derive(Serialize)]
struct CalloutView<'a> {
    /// `note`, `tip`, `important`, `warning` or `caution`.
    kind: &'a str,
    title: &'a str,
}

/// A cited source as `partials/citation.html` sees it.
#[derive(Serialize)]
struct CitedView<'a> {
    number: usize,
    name: &'a str,
}

impl BodyFill<'_, '_> {
    /// `partial` with `name` set to `value` and the marked HTML as `content`.
    fn partial(
        &mut self,
        partial: &str,
        name: &'static str,
        value: &impl Serialize,
        content: &str,
    ) -> String {
        let mut ctx = Context::new();
        ctx.insert("root", self.root);
        ctx.insert(name, value);
        ctx.insert("content", content);
        self.render(partial, &ctx)
    }

    /// Renders `partial`; its first error is kept for the page and an empty string stands in.
    fn render(&mut self, partial: &str, ctx: &Context) -> String {
        self.renderer
            .render_template(partial, ctx)
            .unwrap_or_else(|e| {
                self.error.get_or_insert(e);
                String::new()
            })
    }
}

impl Fill for BodyFill<'_, '_> {
    fn factbox(&mut self, n: usize) -> String {
        let Some(facts) = self.prose.fact_boxes.get(n) else {
            return String::new();
        };
        let facts = FactView::list(facts, self.sources, self.renderer.locale);
        // Several boxes in one body are numbered, so each landmark has a name of its own.
        let mut ctx = Context::new();
        ctx.insert("root", self.root);
        ctx.insert("facts", &facts);
        ctx.insert("number", &(n + 1));
        ctx.insert("count", &self.prose.fact_boxes.len());
        self.render("partials/factbox.html", &ctx)
    }

    fn picture(&mut self, n: usize) -> String {
        match self.prose.pictures.get(n) {
            Some(p) => PictureView::new(p, self.url, self.renderer.site.config.up_to_site())
                .attributes(self.root, pictures::COLUMN),
            None => String::new(),
        }
    }

    fn wrap(&mut self, kind: &str, arg: &str, content: String) -> String {
        let number: usize = arg.parse().unwrap_or(0);
        match kind {
            "claim" => match self.prose.claims.get(number.wrapping_sub(1)) {
                Some(c) => {
                    let claim = ClaimView::new(c, self.renderer.speaker(c), self.renderer.locale);
                    self.partial("partials/claim.html", "claim", &claim, &content)
                }
                None => content,
            },
            "cite" => match self.sources.get(number.wrapping_sub(1)) {
                Some(s) => {
                    let cited = CitedView {
                        number,
                        name: &s.name,
                    };
                    self.partial("partials/citation.html", "source", &cited, &content)
                }
                None => content,
            },
            "callout" => {
                let title = match arg {
                    "tip" => "callout_tip",
                    "important" => "callout_important",
                    "warning" => "callout_warning",
                    "caution" => "callout_caution",
                    _ => "callout_note",
                };
                let callout = CalloutView {
                    kind: arg,
                    title: self.renderer.locale.text(title),
                };
                self.partial("partials/callout.html", "callout", &callout, &content)
            }
            _ => content,
        }
    }
}
