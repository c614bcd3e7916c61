//! Each fixture site's whole built output as a reviewed snapshot (insta), so that a change
//! of the theme or of any page shows as a diff of the pages themselves. After an intended
//! change, `INSTA_UPDATE=always cargo test --test it golden` writes the new snapshots in
//! `tests/it/snapshots/`; review them with `git diff` before committing.

use crate::support::*;

/// Every file of `public`, in path order: text files whole, others by size and checksum.
/// The output's manifest is left out: it holds modification times.
fn whole_output(public: &std::path::Path) -> String {
    let mut out = String::new();
    for path in tree(public) {
        if path == ".brief-output" {
            continue;
        }
        let bytes = std::fs::read(public.join(&path)).expect("read output file");
        let text = ["html", "xml", "txt", "css", "js", "json", "svg"]
            .iter()
            .any(|ext| path.ends_with(&format!(".{ext}")))
            .then(|| String::from_utf8(bytes.clone()).ok())
            .flatten();
        match text {
            Some(text) => out.push_str(&format!("=== {path}\n{text}\n")),
            None => out.push_str(&format!(
                "=== {path} ({} bytes, fnv {:016x})\n",
                bytes.len(),
                fnv1a(&bytes)
            )),
        }
    }
    out
}

/// FNV-1a: a checksum that stays the same across Rust versions.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn assert_golden(name: &str) {
    let site = fixture(name);
    build_ok(site.path());
    let output = whole_output(&site.path().join("public"));
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, output);
    });
}

#[test]
fn the_basic_fixture_builds_as_reviewed() {
    assert_golden("basic");
}

#[test]
fn the_newsroom_fixture_builds_as_reviewed() {
    assert_golden("newsroom");
}

#[test]
fn the_theme_override_fixture_builds_as_reviewed() {
    assert_golden("theme-override");
}
