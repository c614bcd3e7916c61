//! The pipeline runs one way: config -> content (which calls markdown) -> model -> render ->
//! output, the preview on top. No module may import one that imports it back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const MODULES: &[&str] = &[
    "config", "content", "markdown", "model", "render", "output", "diag", "yaml", "serve",
    "scaffold", "text", "picture",
];

/// Each top-level module with the other modules its files name as `crate::<module>`.
fn imports() -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = BTreeMap::new();
    for &module in MODULES {
        let mut text = String::new();
        let file = src.join(format!("{module}.rs"));
        if file.exists() {
            text.push_str(&std::fs::read_to_string(&file).expect("read module"));
        }
        let folder = src.join(module);
        if folder.is_dir() {
            for entry in walkdir::WalkDir::new(&folder) {
                let entry = entry.expect("walk");
                if entry.path().extension().is_some_and(|e| e == "rs") {
                    text.push_str(&std::fs::read_to_string(entry.path()).expect("read file"));
                }
            }
        }
        let uses: BTreeSet<&str> = MODULES
            .iter()
            .copied()
            .filter(|&other| other != module && text.contains(&format!("crate::{other}")))
            .collect();
        graph.insert(module, uses);
    }
    graph
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = imports();
    // Depth-first search for a cycle, naming it when found.
    fn visit<'a>(
        node: &'a str,
        graph: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if let Some(at) = path.iter().position(|&n| n == node) {
            panic!(
                "import cycle: {}",
                [&path[at..], &[node]].concat().join(" -> ")
            );
        }
        if done.contains(node) {
            return;
        }
        path.push(node);
        for &next in &graph[node] {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(node);
    }
    let mut done = BTreeSet::new();
    for &module in MODULES {
        visit(module, &graph, &mut Vec::new(), &mut done);
    }
}

#[test]
fn the_stages_run_one_way() {
    let graph = imports();
    let order = ["config", "content", "model", "render", "output", "serve"];
    for (i, later) in order.iter().enumerate() {
        for earlier in &order[..i] {
            assert!(
                !graph[earlier].contains(later),
                "{earlier} imports {later}, a later stage"
            );
        }
    }
    // `text` is the leaf every stage may use; `picture` uses nothing else of brief.
    assert!(
        graph["text"].is_empty(),
        "text is a leaf: {:?}",
        graph["text"]
    );
    assert!(
        graph["picture"].iter().all(|&m| m == "text"),
        "picture uses only text: {:?}",
        graph["picture"]
    );
    assert!(
        !graph["markdown"].contains("content"),
        "markdown is called by content"
    );
}

/// The names of the types `src/model/` defines.
fn model_types() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/model");
    for entry in walkdir::WalkDir::new(&model) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read");
        for line in text.lines() {
            let line = line.trim_start();
            let line = line
                .strip_prefix("pub(crate) ")
                .or(line.strip_prefix("pub "))
                .unwrap_or(line);
            if let Some(rest) = line.strip_prefix("struct ").or(line.strip_prefix("enum ")) {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.insert(name);
            }
        }
    }
    names
}

#[test]
fn model_types_are_implemented_only_in_the_model() {
    let types = model_types();
    assert!(
        types.contains("Site") && types.contains("Index"),
        "{types:?}"
    );
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut outside = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("walk");
        let path = entry.path();
        if path.starts_with(src.join("model")) || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read");
        for line in text.lines() {
            if implemented(line).is_some_and(|name| types.contains(&name)) {
                outside.push(format!("{}: {line}", path.display()));
            }
        }
    }
    assert!(
        outside.is_empty(),
        "model types implemented outside src/model/:\n{}",
        outside.join("\n")
    );
}

/// The type an `impl` line implements (`impl<'a> Trait for model::Site<'a> {` -> `Site`).
fn implemented(line: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix("impl")?;
    // Skip the impl's own generic parameters, which may nest.
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in rest.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            c if depth == 0 && !c.is_whitespace() => {
                start = i;
                break;
            }
            _ => {}
        }
    }
    let head = rest[start..].split('{').next()?;
    let target = head.rsplit(" for ").next()?.trim();
    let path = target.split('<').next()?;
    Some(path.rsplit("::").next()?.trim().to_string())
}

#[test]
fn the_implemented_type_is_read_from_an_impl_line() {
    assert_eq!(implemented("impl Site {").as_deref(), Some("Site"));
    assert_eq!(implemented("impl<'a> Card<'a> {").as_deref(), Some("Card"));
    assert_eq!(
        implemented("impl<T: Hash<X>> fmt::Display for crate::model::Index {").as_deref(),
        Some("Index")
    );
    assert_eq!(implemented("    let x = 1;"), None);
}
