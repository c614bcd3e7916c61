//! Inputs the fuzzers found that once crashed brief, each now a located error, and a short
//! property run over arbitrary front matter and Markdown as part of the suite.

use crate::support::*;

fn error_of(file: &str) -> String {
    let site = site(&[("content/x.md", file)]);
    let r = run(site.path(), &["build"]);
    assert_eq!(r.code, 1, "expected failure:\n{}", r.stderr);
    r.stderr
}

#[test]
fn a_five_digit_year_is_an_error_not_a_panic() {
    let err = error_of("---\ntitle: One\ndate: 20250-5-01\n---\nBody.\n");
    assert!(
        err.contains("content/x.md:3:7")
            && err.contains("the year 20250 is out of range; write it with four digits"),
        "{err}"
    );
}

#[test]
fn lone_carriage_returns_are_line_breaks_in_errors() {
    // Old Mac line ends: YAML reads each `\r` as a line break, and so must the error.
    let err = error_of("---\rtitle: One\rdate: 2025-03-14\rsummary: \"a\u{1b}b\"\r---\rBody.\r");
    assert!(
        err.contains("content/x.md:4:")
            && err.contains("4 | summary:")
            && err.contains("control character (U+001B)"),
        "{err}"
    );
}

fn assert_error(file: &str, location: &str, message: &str, help: &str) {
    let err = error_of(file);
    for expected in [location, message, help] {
        assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    }
}

const HEAD: &str = "---\ntitle: One\ndate: 2025-03-14\n";

#[test]
fn yaml_errors_found_by_property_runs_speak_plainly() {
    // A source with `id:` and nothing after it.
    assert_error(
        &format!("{HEAD}sources:\n  - id:\n    name: Reuters\n---\nBody.\n"),
        "content/x.md:5",
        "`id` has no value",
        "write a value after `id:`, or remove the line",
    );
    assert_error(
        &format!("{HEAD}draft: maybe\n---\nBody.\n"),
        "content/x.md:4",
        "`draft` must be true or false",
        "write `draft: true` or `draft: false`",
    );
    assert_error(
        &format!("{HEAD}bomb: &a [*a, *a]\n---\nBody.\n"),
        "content/x.md:4",
        "a YAML alias refers to the value that contains it",
        "write the values out",
    );
    assert_error(
        &format!("{HEAD}summary: \"a\u{8b}b\"\n---\nBody.\n"),
        "content/x.md:4",
        "invalid YAML: an invisible control character (U+008B) is not allowed here",
        "delete it",
    );
}

mod properties {
    use std::path::{Component, Path, PathBuf};

    use brief::config::Config;
    use brief::content::{self, Content, Kind, Publish};
    use brief::model::Site;
    use brief::render::Engine;
    use brief::render::drive::{self, Plan};
    use proptest::prelude::*;

    const SITE_YAML: &str = "title: Props\nbase_url: https://example.org/news/\n\
        entities:\n  people: People\n  places: Places\n";

    fn config() -> Config {
        Config::parse(SITE_YAML, Path::new("site.yaml")).expect("valid site.yaml")
    }

    fn quoted(s: &str) -> String {
        serde_json::to_string(s).expect("a string serialises")
    }

    /// Any text, from ordinary words to hostile names and control characters.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => "[A-Za-z ]{1,20}",
            1 => Just("../../etc".to_string()),
            1 => Just("%2e%2e/x".to_string()),
            1 => Just("/abs".to_string()),
            1 => Just("..\\x".to_string()),
            1 => Just(String::new()),
            2 => "\\PC{0,16}",
            1 => "\\p{Cc}{1,3}",
        ]
    }

    fn list(item: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
        prop::collection::vec(item, 0..5).prop_map(|v| format!("[{}]", v.join(", ")))
    }

    fn date() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("2025-03-14".to_string()),
            Just("2025-03-14T09:30:00+03:00".to_string()),
            Just("20250-5-01".to_string()),
            Just("2025-02-30".to_string()),
            Just("0000-01-01".to_string()),
            Just("9999-12-31T23:59:59-12:00".to_string()),
            "[0-9T:+-]{0,14}",
        ]
    }

    fn source() -> impl Strategy<Value = String> {
        let url = prop_oneof![
            Just("https://example.org/a".to_string()),
            Just("javascript:alert(1)".to_string()),
            text(),
        ];
        (prop::sample::select(vec!["a", "b", ""]), text(), url).prop_map(|(id, name, url)| {
            format!(
                "{{id: {id}, name: {}, url: {}}}",
                quoted(&name),
                quoted(&url)
            )
        })
    }

    fn fact() -> impl Strategy<Value = String> {
        (
            text(),
            text(),
            prop::sample::select(vec!["a", "nope", "null"]),
            date(),
        )
            .prop_map(|(label, value, source, as_of)| {
                format!(
                    "{{label: {}, value: {}, source: {source}, as_of: {as_of}}}",
                    quoted(&label),
                    quoted(&value)
                )
            })
    }

    /// Front matter with each field present or not, values plausible, broken or hostile,
    /// and now and then a line that breaks the YAML itself.
    fn front_matter() -> impl Strategy<Value = String> {
        let quoted_text = || text().prop_map(|t| quoted(&t));
        let fields = (
            prop::option::weighted(0.9, quoted_text()),
            prop::option::weighted(0.9, date()),
            prop::option::of(date()),
            prop::option::of(quoted_text()),
            prop::option::of(list(quoted_text())),
            prop::option::of(list(quoted_text())),
            prop::option::of(list(quoted_text())),
            prop::option::of(list(source())),
            prop::option::of(list(fact())),
            prop::option::of(list(quoted_text())),
            prop::option::of(list(
                (date(), text()).prop_map(|(d, n)| format!("{{date: {d}, note: {}}}", quoted(&n))),
            )),
            prop::option::of(prop_oneof![
                quoted_text(),
                Just("true".to_string()),
                Just("maybe".to_string())
            ]),
        );
        let broken = prop::option::weighted(
            0.1,
            prop::sample::select(vec![
                "bomb: &a [*a, *a]",
                "{",
                "title: twice",
                "\tindented: tab",
                "unknown: 1",
            ]),
        );
        (fields, broken).prop_map(|(f, broken)| {
            let keys = [
                "title",
                "date",
                "updated",
                "summary",
                "topics",
                "people",
                "places",
                "sources",
                "facts",
                "related",
                "corrections",
                "draft",
            ];
            let values = [f.0, f.1, f.2, f.3, f.4, f.5, f.6, f.7, f.8, f.9, f.10, f.11];
            let mut lines: Vec<String> = keys
                .iter()
                .zip(values)
                .filter_map(|(k, v)| v.map(|v| format!("{k}: {v}")))
                .collect();
            lines.extend(broken.map(str::to_string));
            lines.join("\n")
        })
    }

    /// Markdown built from the pieces annotations and fact boxes are made of.
    fn body() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("[claim](claim:confirmed \"note\")".to_string()),
            Just("[x](claim:maybe)".to_string()),
            Just("[s](source:a)".to_string()),
            Just("[p](people:ada-lovelace)".to_string()),
            Just("[t](topic:energy)".to_string()),
            Just("[b](story:other)".to_string()),
            Just("\n```facts\n- label: A\n  value: 1\n```\n".to_string()),
            Just("\n```facts\n- {\n```\n".to_string()),
            Just("\n```rust\nfn main() {}\n```\n".to_string()),
            Just("[^1]\n\n[^1]: note\n".to_string()),
            Just("\n> > - - quote\n".to_string()),
            Just("\n| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
            Just("<script>alert(1)</script>".to_string()),
            "\\PC{0,30}",
            "[\\[\\]()*_`#>\n -~]{0,30}",
        ];
        prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
    }

    fn file() -> impl Strategy<Value = String> {
        (front_matter(), body()).prop_map(|(yaml, body)| format!("---\n{yaml}\n---\n{body}"))
    }

    fn assert_located(diags: &brief::diag::Diagnostics, text: &str) {
        // Lone carriage returns are line breaks, as brief counts them.
        let text = &*brief::text::normalize_line_breaks(text);
        assert!(!diags.render(false).is_empty());
        for d in &diags.0 {
            assert!(!d.message.is_empty());
            assert!(d.line <= text.lines().count() + 1, "{d}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn any_file_loads_or_gives_located_errors(text in file(), kind in 0u8..8) {
            let kind = match kind {
                0 => Kind::TopicIntro,
                1 => Kind::EntityProfile("people".into()),
                2 => Kind::Page,
                _ => Kind::Briefing,
            };
            let r = content::load_bytes(text.as_bytes(), Path::new("content/x.md"), &kind, &config(), Publish::now(true, true));
            if let Err(diags) = r {
                assert_located(&diags, &text);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn any_small_site_renders_inside_the_output(files in prop::collection::vec(file(), 1..5)) {
            let config = config();
            let mut items = Vec::new();
            for (i, text) in files.iter().enumerate() {
                let display = PathBuf::from(format!("content/b{i}.md"));
                if let Ok(item) = content::load_bytes(text.as_bytes(), &display, &Kind::Briefing, &config, Publish::now(true, true)) {
                    items.push(item);
                }
            }
            let engine = Engine::load(Path::new("/nonexistent"), &config).expect("embedded theme");
            if let Ok(site) = Site::build(config, Content::from_items(items)) {
                let rendered = drive::render(&[engine], &[site], &[Plan::everything()], &Inside);
                if let Err(diags) = rendered {
                    assert!(!diags.render(false).is_empty());
                }
            }
        }
    }

    /// A sink that checks every file stays inside the output folder.
    struct Inside;

    impl drive::Sink for Inside {
        fn sees_every_file(&self) -> bool {
            true
        }

        fn keep(&self, _path: &str) -> bool {
            false
        }

        fn put(
            &self,
            f: brief::render::OutFile,
            _print: Option<u64>,
        ) -> Result<(), brief::diag::Diagnostic> {
            assert!(
                Path::new(&f.path)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_))),
                "{} leaves the output",
                f.path
            );
            Ok(())
        }
    }
}
