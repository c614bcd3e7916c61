//! A whole site from a handful of fuzzed files: load, model and render must finish with
//! pages or diagnostics, and every output path must stay inside the output folder.
#![no_main]

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use brief::content::{self, Content, Kind};
use brief::model::Site;
use brief::render::{Engine, OutFile, drive};
use libfuzzer_sys::fuzz_target;

/// Names the files take, so that topics and entities written in briefings can meet them.
const NAMES: [&str; 4] = ["energy", "ada-lovelace", "diplomacy", "kyiv"];

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    // No theme folder at this root: the embedded default theme is used.
    ENGINE.get_or_init(
        || match Engine::load(&PathBuf::from("/nonexistent"), common::config()) {
            Ok(engine) => engine,
            Err(d) => panic!("the embedded theme does not load: {d}"),
        },
    )
}

fuzz_target!(|data: &[u8]| {
    // NUL never appears in content (it is refused), so it separates the files.
    let mut items = Vec::new();
    for (i, chunk) in data.split(|&b| b == 0).take(8).enumerate() {
        let Some((&selector, bytes)) = chunk.split_first() else {
            continue;
        };
        let name = NAMES[i % NAMES.len()];
        let (kind, display) = match selector % 5 {
            0 => (Kind::TopicIntro, format!("content/topics/{name}.md")),
            1 => (
                Kind::EntityProfile("people".into()),
                format!("content/entities/people/{name}.md"),
            ),
            2 => (Kind::Page, format!("content/pages/{name}.md")),
            _ => (Kind::Briefing, format!("content/{i}-{name}.md")),
        };
        let display = PathBuf::from(display);
        match content::load_bytes(
            bytes,
            &display,
            &kind,
            common::config(),
            content::Publish::now(true, true),
        ) {
            Ok(item) => items.push(item),
            Err(diags) => common::check_diagnostics(&diags, &String::from_utf8_lossy(bytes)),
        }
    }
    let site = match Site::build(common::config().clone(), Content::from_items(items)) {
        Ok(site) => site,
        Err(diags) => {
            assert!(!diags.render(false).is_empty());
            return;
        }
    };
    let plans = [drive::Plan::everything()];
    let result = drive::render(
        std::slice::from_ref(engine()),
        std::slice::from_ref(&site),
        &plans,
        &Inside,
    );
    if let Err(diags) = result {
        assert!(!diags.render(false).is_empty());
    }
});

/// Checks that every output path stays inside the output folder.
struct Inside;

impl drive::Sink for Inside {
    fn sees_every_file(&self) -> bool {
        true
    }

    fn keep(&self, _path: &str) -> bool {
        false
    }

    fn put(&self, file: OutFile, _print: Option<u64>) -> Result<(), brief::diag::Diagnostic> {
        let path = std::path::Path::new(&file.path);
        assert!(
            path.components()
                .all(|c| matches!(c, std::path::Component::Normal(_))),
            "an output path leaves the output folder: {}",
            file.path
        );
        Ok(())
    }
}
