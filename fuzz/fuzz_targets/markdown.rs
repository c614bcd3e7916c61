//! Any text as the body of a valid briefing: Markdown, annotations (claims, citations,
//! entity and story links) and fenced facts blocks must render or give located diagnostics.
#![no_main]

mod common;

use std::path::Path;

use brief::content::{self, Item, Kind};
use libfuzzer_sys::fuzz_target;

const FRONT_MATTER: &str = "---\ntitle: Fuzzed\ndate: 2025-03-14\ntopics: [Energy]\n\
sources:\n  - id: reuters\n    name: Reuters\n    url: https://example.org/r\n\
  - id: ap\n    name: AP\n---\n";

fuzz_target!(|body: &str| {
    let text = format!("{FRONT_MATTER}{body}");
    let display = Path::new("content/fuzz.md");
    match content::load_bytes(
        text.as_bytes(),
        display,
        &Kind::Briefing,
        common::config(),
        content::Publish::default(),
    ) {
        Ok(Item::Briefing(b)) => {
            // Every claim and reference the renderer fills in came from the body.
            assert!(b.prose.claims.len() <= body.len());
            assert!(b.prose.refs.len() <= body.len());
        }
        Ok(_) => panic!("a valid briefing was not loaded as one"),
        Err(diags) => common::check_diagnostics(&diags, &text),
    }
});
