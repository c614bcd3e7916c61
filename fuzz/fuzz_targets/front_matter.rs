//! Any bytes as a content file of any kind: splitting, YAML parsing and validation must
//! return an item or located diagnostics, never panic or hang.
#![no_main]

mod common;

use std::path::Path;

use brief::content::{self, Kind, frontmatter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = match selector % 4 {
        0 => Kind::TopicIntro,
        1 => Kind::EntityProfile("people".into()),
        2 => Kind::Page,
        _ => Kind::Briefing,
    };
    if let Ok(text) = std::str::from_utf8(bytes)
        && let Ok(split) = frontmatter::split(text)
    {
        // The halves are slices of the file, in order.
        assert!(split.body_start <= text.len());
        assert!(text.is_char_boundary(split.body_start));
        assert!(split.yaml_line <= split.body_line);
    }
    let display = Path::new("content/fuzz.md");
    let config = common::config();
    if let Err(diags) = content::load_bytes(
        bytes,
        display,
        &kind,
        config,
        content::Publish::now(selector & 4 != 0, selector & 8 != 0),
    ) {
        common::check_diagnostics(&diags, &String::from_utf8_lossy(bytes));
    }
});
