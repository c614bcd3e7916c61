//! What every target shares: a fixed site configuration and checks on diagnostics.

use std::path::Path;
use std::sync::OnceLock;

use brief::config::Config;
use brief::diag::Diagnostics;

pub const SITE_YAML: &str = "title: Fuzz\nbase_url: https://example.org/news/\n\
entities:\n  people: People\n  places: Places\n  orgs: Organisations\n";

pub fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| match Config::parse(SITE_YAML, Path::new("site.yaml")) {
        Ok(config) => config,
        Err(d) => panic!("the fuzz site.yaml is invalid: {d}"),
    })
}

/// Every diagnostic must render, and point inside the file it names.
pub fn check_diagnostics(diags: &Diagnostics, text: &str) {
    // Lone carriage returns are line breaks, as brief counts them.
    let text = brief::text::normalize_line_breaks(text);
    let rendered = diags.render(false);
    assert!(!rendered.is_empty());
    for d in &diags.0 {
        assert!(!d.message.is_empty(), "a diagnostic without a message");
        if d.line > 0 {
            let lines = text.lines().count().max(1);
            assert!(
                d.line <= lines + 1,
                "line {} past the end of a {lines}-line file: {}",
                d.line,
                d.message
            );
        }
    }
}
