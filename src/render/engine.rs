//! Tera set-up and Tera errors as diagnostics. All Tera use lives in `render/`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tera::{ErrorKind, Tera};

use super::theme::TemplateSource;
use crate::diag::{Diagnostic, Diagnostics};

/// Parses every template once. On failure, each template is parsed on its own so every
/// syntax error is reported, not just the first.
/// `locale` gives templates their `t(...)` function.
pub fn build(
    templates: &BTreeMap<String, TemplateSource>,
    locale: std::sync::Arc<super::i18n::Locale>,
) -> Result<Tera, Diagnostics> {
    let mut tera = Tera::new();
    translate(&mut tera, locale.clone());
    tera.autoescape_on(vec![".html", ".xml", ".htm"]);
    tera.set_escape_fn(escape_html);
    let all = templates.iter().map(|(n, s)| (n.as_str(), s.text.as_str()));
    match tera.add_raw_templates(all) {
        Ok(()) => Ok(tera),
        Err(first) => {
            let mut diags = Diagnostics::default();
            for (name, source) in templates {
                let mut alone = Tera::new();
                translate(&mut alone, locale.clone());
                if let Err(e) = alone.add_raw_template(name, &source.text)
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

/// Tera's HTML escaping, byte for byte, but writing the text between two escaped
/// characters at once: Tera's own writes one byte at a time, which made escaping the
/// largest part of rendering a page.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut plain = 0;
    for (i, byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[plain..i])?;
        out.write_all(entity)?;
        plain = i + 1;
    }
    out.write_all(&bytes[plain..])
}

/// Gives templates `t(key="...")`: the label `key` in the site's language, with `n=` for
/// counted labels and any other argument filled into its `{name}`.
fn translate(tera: &mut Tera, locale: std::sync::Arc<super::i18n::Locale>) {
    // Most calls name a plain label: those are made once, as values Tera shares.
    let plain: std::collections::HashMap<String, tera::Value> = locale
        .texts()
        .map(|(k, v)| (k.to_string(), tera::Value::from(v)))
        .collect();
    tera.register_function("t", move |kwargs: tera::Kwargs, _: &tera::State| {
        let key: &str = kwargs.must_get("key")?;
        if kwargs.iter().nth(1).is_none()
            && let Some(value) = plain.get(key)
        {
            return tera::TeraResult::Ok(value.clone());
        }
        if kwargs.get::<bool>("forms")?.unwrap_or(false) {
            return Ok(locale.forms_json(key).into());
        }
        let vars: Vec<(String, String)> = kwargs
            .iter()
            .filter_map(|(k, v)| {
                let k = k.as_str()?;
                let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                (!["key", "n", "forms"].contains(&k)).then(|| (k.to_string(), v))
            })
            .collect();
        let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let n: Option<i64> = kwargs.get("n")?;
        Ok(match n {
            Some(n) => locale.count(key, usize::try_from(n).unwrap_or(0), &vars),
            None => locale.fill(key, &vars),
        }
        .into())
    });
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

/// A template that uses a field its object does not have fails with Tera's words about
/// types ("Iteration not possible on type `undefined`"). Says instead which field is
/// missing from which object, and the fields that object has.
pub fn explain_undefined(d: Diagnostic, ctx: &tera::Context) -> Diagnostic {
    if !d.message.contains("undefined") {
        return d;
    }
    let Some(line) = d.source_line.as_deref() else {
        return d;
    };
    let expr: String = line
        .chars()
        .skip(d.col.saturating_sub(1))
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    let Some((object, field)) = expr.rsplit_once('.') else {
        return d;
    };
    let mut path = object.split('.');
    let mut value = path.next().and_then(|name| ctx.get(name));
    for part in path {
        value = value.and_then(|v| field_of(v, part));
    }
    let Some(map) = value.and_then(tera::Value::as_map) else {
        return d;
    };
    let mut fields: Vec<String> = map.keys().map(|k| k.to_string()).collect();
    fields.sort();
    Diagnostic {
        message: format!("template error: `{object}` has no field `{field}`"),
        ..d
    }
    .width(expr.chars().count())
    .help(format!(
        "`{object}` has: {}; fix the name, or check for it first with {{% if {expr} %}}",
        fields.join(", ")
    ))
}

fn field_of<'v>(value: &'v tera::Value, name: &str) -> Option<&'v tera::Value> {
    value
        .as_map()?
        .iter()
        .find(|(k, _)| k.as_str() == Some(name))
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    fn escaped(f: fn(&str, &mut dyn std::io::Write) -> std::io::Result<()>, s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        f(s, &mut out).expect("writing to memory");
        out
    }

    proptest! {
        /// Pages must not change with the faster escaping.
        #[test]
        fn escaping_writes_what_teras_own_writes(s in "[a-z<>&\"' é€\\n]{0,40}") {
            prop_assert_eq!(escaped(super::escape_html, &s), escaped(tera::escape_html, &s));
        }
    }

    #[test]
    fn every_special_character_is_escaped() {
        let out = escaped(super::escape_html, r#"<a href="x">Tom & 'Jerry'</a>"#);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }
}
