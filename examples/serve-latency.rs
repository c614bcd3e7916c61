//! Measures how long after saving a briefing `brief serve` serves the updated page:
//! `cargo run --release --example serve-latency -- --root DIR [--edits 20] [--kind KIND]
//! [--timings]`,
//! KIND one of body, title, topics, people, link (a new `story:` link), date (the briefing
//! moves in the order) or new (a new briefing file, deleted afterwards).
//! Each edit is saved the way editors do (write a temp file, rename it over the original);
//! the clock stops when an HTTP GET of the page returns the new text. Prints p50 and p95,
//! and for a site with search, how long after the save the served index had changed too.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn get(addr: &str, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    Some(body)
}

/// The served search meta file, which changes whenever the index does; `None` without one.
fn search_meta(addr: &str) -> Option<String> {
    let reply = get(addr, "/search/index/meta.json")?;
    let (head, body) = reply.split_once("\r\n\r\n")?;
    head.contains(" 200 ").then(|| body.to_string())
}

/// The address of the briefing `stem` (its file name without `.md`): a translation
/// (`b000001.uk`) is under its language's folder.
fn permalink(text: &str, stem: &str) -> Option<String> {
    let date = text.lines().find_map(|l| l.strip_prefix("date: "))?;
    let (slug, home) = match stem.split_once('.') {
        Some((slug, lang)) => (slug, format!("{lang}/")),
        None => (stem, String::new()),
    };
    Some(format!(
        "/{home}{}/{}/{slug}/",
        date.get(0..4)?,
        date.get(5..7)?
    ))
}

fn save_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("md.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

fn main() -> Result<(), String> {
    let mut root = PathBuf::from("corpus");
    let mut edits = 20usize;
    let mut kind = "body".to_string();
    let mut binary = PathBuf::from("target/release/brief");
    let mut timings = false;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--timings" {
            timings = true;
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--root" => root = value.into(),
            "--edits" => edits = value.parse().map_err(|_| "--edits takes a number")?,
            "--kind" => kind = value,
            "--brief" => binary = value.into(),
            other => {
                return Err(format!(
                    "unknown option {other}; use --root, --edits, --kind, --brief, --timings"
                ));
            }
        }
    }
    let mut child = Command::new(&binary)
        .args(["serve", "--port", "1400", "--root"])
        .arg(&root)
        .args(timings.then_some("--timings"))
        .stdout(Stdio::piped())
        // With --timings, the server's stage timings are shown.
        .stderr(if timings {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines
            .next()
            .ok_or("brief serve exited")?
            .map_err(|e| e.to_string())?;
        if let Some(rest) = line.split(" at ").nth(1) {
            break rest.split_whitespace().next().unwrap_or("").to_string();
        }
    };
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();

    let dir = root.join("content/briefings");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let (mut times, mut followed) = (Vec::new(), Vec::new());
    for k in 0..edits {
        let file = &files[(k * 7919) % files.len()];
        let slug = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let original = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
        let marker = format!("latency probe {k} {}", std::process::id());
        let other = files[(k * 7919 + 1) % files.len()]
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let (file, original, slug) = if kind == "new" {
            let slug = format!("latency-probe-{k}-{}", std::process::id());
            (dir.join(format!("{slug}.md")), String::new(), slug)
        } else {
            (file.clone(), original, slug)
        };
        let edited = match kind.as_str() {
            "title" => original.replacen("title: \"", &format!("title: \"{marker} "), 1),
            // A new topic or person: the model's indexes change, not just what lists show.
            "topics" => original.replacen("topics: [", &format!("topics: [\"{marker}\", "), 1),
            "people" => original.replacen("people: [", &format!("people: [\"{marker}\", "), 1),
            "link" => format!("{original}\n{marker}: see [this one](story:{other}).\n"),
            // A day earlier: the briefing moves in every list.
            "date" => {
                let line = original
                    .lines()
                    .find(|l| l.starts_with("date: "))
                    .ok_or("no date line")?;
                let day: u32 = line
                    .get(14..16)
                    .and_then(|d| d.parse().ok())
                    .ok_or("no day")?;
                let moved = format!(
                    "{}{:02}{}",
                    &line[..14],
                    if day > 1 { day - 1 } else { 2 },
                    &line[16..]
                );
                original.replacen(line, &moved, 1).replacen(
                    "title: \"",
                    &format!("title: \"{marker} "),
                    1,
                )
            }
            "new" => format!(
                "---\ntitle: \"{marker}\"\ndate: 2024-06-01\ntopics: [\"Topic 2\"]\npeople: [\"Person 4\"]\n---\n{marker}\n"
            ),
            _ => format!("{original}\n{marker}\n"),
        };
        let page = permalink(&edited, &slug).ok_or("no date line")?;
        // Let the previous restore finish rebuilding before the next edit.
        std::thread::sleep(Duration::from_millis(if kind == "body" {
            400
        } else {
            2000
        }));
        let meta = search_meta(&addr);
        let start = Instant::now();
        save_atomically(&file, &edited).map_err(|e| e.to_string())?;
        loop {
            if get(&addr, &page).is_some_and(|b| b.contains(&marker)) {
                break;
            }
            if start.elapsed() > Duration::from_secs(30) {
                return Err(format!("{page} never showed the edit"));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        times.push(start.elapsed());
        if let Some(meta) = meta {
            while search_meta(&addr).is_none_or(|now| now == meta) {
                if start.elapsed() > Duration::from_secs(30) {
                    return Err("the search index never followed the edit".into());
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            followed.push(start.elapsed());
        }
        if kind == "new" {
            std::fs::remove_file(&file).map_err(|e| e.to_string())?;
        } else {
            save_atomically(&file, &original).map_err(|e| e.to_string())?;
        }
    }
    let _ = child.kill();
    println!(
        "{kind} edits: {} on {}: {}",
        times.len(),
        root.display(),
        spread(&mut times)
    );
    if !followed.is_empty() {
        println!("  search index followed: {}", spread(&mut followed));
    }
    Ok(())
}

/// p50, p95, min and max of `times`.
fn spread(times: &mut [Duration]) -> String {
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    format!(
        "p50 {:.0?}, p95 {:.0?}, min {:.0?}, max {:.0?}",
        pct(0.5),
        pct(0.95),
        times[0],
        times[times.len() - 1]
    )
}
