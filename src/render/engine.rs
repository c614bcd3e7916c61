//! Tera set-up and Tera errors as diagnostics. All Tera use lives in `render/`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tera::{ErrorKind, Tera};

use super::theme::TemplateSource;
use crate::diag::{Diagnostic, Diagnostics};

/// Parses every template once. On failure, each template is parsed on its own so every
/// syntax error is reported, not just the first.
pub fn build(templates: &BTreeMap<String, TemplateSource>) -> Result<Tera, Diagnostics> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml", ".htm"]);
    let all = templates.iter().map(|(n, s)| (n.as_str(), s.text.as_str()));
    match tera.add_raw_templates(all) {
        Ok(()) => Ok(tera),
        Err(first) => {
            let mut diags = Diagnostics::default();
            for (name, source) in templates {
                if let Err(e) = Tera::new().add_raw_template(name, &source.text)
                    && matches!(e.kind(), ErrorKind::SyntaxError(_))
                {
                    diags.push(to_diagnostic(&e, templates));
                }
            }
            if diags.is_empty() {
                diags.push(to_diagnostic(&first, templates));
            }
            Err(diags)
        }
    }
}

/// A Tera error pointing into the template file a writer would edit.
pub fn to_diagnostic(e: &tera::Error, templates: &BTreeMap<String, TemplateSource>) -> Diagnostic {
    let path_of = |name: &str| {
        templates
            .get(name)
            .map_or_else(|| PathBuf::from(name), |s| s.display.clone())
    };
    match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let what = if matches!(e.kind(), ErrorKind::SyntaxError(_)) {
                "template syntax error"
            } else {
                "template error"
            };
            let span = report.span();
            let d = Diagnostic::new(
                path_of(report.filename()),
                format!("{what}: {}", report.message()),
            );
            let d = match templates.get(report.filename()) {
                Some(src) if span.start_line > 0 => {
                    let width = if span.end_line == span.start_line {
                        span.end_col.saturating_sub(span.start_col)
                    } else {
                        1
                    };
                    d.at(&src.text, span.start_line, span.start_col + 1)
                        .width(width)
                }
                _ => d,
            };
            d.help("fix the template; see the Tera 2 documentation for its syntax")
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::new(
            path_of(current),
            format!("this template extends `{parent}`, which does not exist"),
        )
        .help("fix the name in {% extends %} or add the missing template"),
        ErrorKind::TemplateNotFound(name) => Diagnostic::new(
            PathBuf::from("templates"),
            format!("the template `{name}` is missing"),
        )
        .help("add it to your theme's templates/ folder, or remove the override that needs it"),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            Diagnostic::new(path_of(tpl), format!("template error: {e}"))
                .help("templates must not extend or include themselves, directly or in a cycle")
        }
        _ if e.to_string().contains("recursion depth for components") => {
            Diagnostic::new(PathBuf::from("templates"), format!("template error: {e}")).help(
                "a component calls itself without end (Tera stops at 20 levels); make the recursion stop",
            )
        }
        _ => Diagnostic::new(PathBuf::from("templates"), format!("template error: {e}"))
            .help("check the templates of your theme"),
    }
}
