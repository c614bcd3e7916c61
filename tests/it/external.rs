//! `--external`: every web address the site uses is asked, against a real HTTP server on
//! loopback that answers each way an address can fail.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::get;

use crate::support::*;

/// A server on loopback, counting the requests it gets.
struct Server {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

fn start() -> Server {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("address");
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    // Unavailable for its first two requests (a HEAD and a GET), then fine: only a
    // second try finds it alive.
    let flaky_seen = Arc::new(AtomicUsize::new(0));
    let flaky = move || {
        let seen = flaky_seen.fetch_add(1, Ordering::SeqCst);
        async move {
            match seen < 2 {
                true => StatusCode::SERVICE_UNAVAILABLE,
                false => StatusCode::OK,
            }
        }
    };
    let app = Router::new()
        .route("/flaky", get(flaky))
        .route("/ok", get(|| async { "fine" }))
        .route("/gone", get(|| async { (StatusCode::NOT_FOUND, "no") }))
        .route("/removed", get(|| async { (StatusCode::GONE, "gone") }))
        .route(
            "/moved",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/gone")]) }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(4)).await;
                "late"
            }),
        )
        .route(
            "/no-head",
            get(|| async { "fine" }).head(|| async { StatusCode::METHOD_NOT_ALLOWED }),
        )
        .layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                counted.fetch_add(1, Ordering::SeqCst);
                next.run(request)
            },
        ));
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            let _ = axum::serve(listener, app).await;
        });
    });
    Server { addr, requests }
}

/// Whether `report` has the line `message` with the place under it (indented by the width
/// of the line numbers).
fn shown_at(report: &str, message: &str, place: &str) -> bool {
    let lines: Vec<&str> = report.lines().collect();
    (lines.windows(2)).any(|w| w[0] == message && w[1].trim_start() == format!("--> {place}"))
}

/// The refused address a site links to.
fn site_refused(site: &tempfile::TempDir) -> String {
    let text = read(site.path(), "content/talks.md");
    let start = text
        .find("[nobody home](")
        .map(|i| i + "[nobody home](".len())
        .unwrap_or(0);
    text[start..].split(')').next().unwrap_or("").to_string()
}

/// A port nothing listens on: bound, then let go.
fn refused() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}/")
}

fn site_linking(server: &Server, extra_yaml: &str) -> tempfile::TempDir {
    let refused = refused();
    let briefing = format!(
        "---\ntitle: Talks\ndate: 2025-03-14\nsources:\n  - id: gone\n    name: A page that went\n    url: {gone}\n---\n\
[Still there]({ok}) and [moved away]({moved}).\n\n\
[Removed]({removed}), [slow]({slow}), [nobody home]({refused}) and [no HEAD]({no_head}).\n\n\
[Gone again]({gone}), [back soon]({flaky})\n\n\
![A map that went]({gone})\n",
        flaky = server.url("/flaky"),
        gone = server.url("/gone"),
        ok = server.url("/ok"),
        moved = server.url("/moved"),
        removed = server.url("/removed"),
        slow = server.url("/slow"),
        no_head = server.url("/no-head"),
    );
    let author = format!(
        "---\nname: Ann Lee\nlinks: [{}]\n---\n",
        server.url("/removed")
    );
    let site = site(&[
        ("content/talks.md", &briefing),
        ("content/authors/ann-lee.md", &author),
    ]);
    let yaml = format!(
        "title: Test\nbase_url: https://example.org/\nlink_checker:\n  timeout_seconds: 1\n{extra_yaml}"
    );
    write(site.path(), "site.yaml", &yaml);
    site
}

#[test]
fn every_dead_address_is_reported_at_each_line_that_uses_it() {
    let server = start();
    let site = site_linking(&server, "");
    let r = run(site.path(), &["check", "--external", "--warnings", "all"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let at = |path: &str| format!("http://{}{path}", server.addr);
    let expected = [
        (
            format!("the address {} answers 404 Not Found", at("/gone")),
            "content/talks.md:7:10",
        ),
        (
            format!("the address {} answers 404 Not Found", at("/gone")),
            "content/talks.md:13:14",
        ),
        (
            format!(
                "the address {} redirects to {}, which answers 404 Not Found",
                at("/moved"),
                at("/gone")
            ),
            "content/talks.md:9:59",
        ),
        (
            format!("the address {} answers 410 Gone", at("/removed")),
            "content/talks.md:11:11",
        ),
        (
            format!("the address {} answers 410 Gone", at("/removed")),
            "content/authors/ann-lee.md:3:9",
        ),
        (
            format!("the address {} did not answer within 1 s", at("/slow")),
            "content/talks.md:11:51",
        ),
    ];
    for (message, place) in &expected {
        assert!(
            shown_at(&r.stderr, &format!("warning: {message}"), place),
            "{message} at {place}\n--- in:\n{}",
            r.stderr
        );
    }
    let refused = format!(
        "warning: the address {} cannot be reached: Connection refused",
        site_refused(&site)
    );
    assert!(
        shown_at(&r.stderr, &refused, "content/talks.md:11:95"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("help: update the address or remove the link; if it is checked wrongly, add its start to `link_checker.skip_prefixes` in site.yaml"));
    for alive in ["/ok ", "/no-head ", "/flaky "] {
        assert!(
            !r.stderr.contains(&at(alive)),
            "{alive} is alive:\n{}",
            r.stderr
        );
    }
    assert!(
        r.stderr
            .contains("external addresses: 8 checked, 0 from the cache, 0 skipped; 5 dead"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("warning: 8 warnings; `--strict` makes warnings errors"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_second_run_asks_nothing_and_strict_makes_dead_addresses_errors() {
    let server = start();
    let site = site_linking(&server, "");
    let first = run(site.path(), &["check", "--external"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let asked = server.requests.load(Ordering::SeqCst);
    let second = run(site.path(), &["build", "--external", "--strict"]);
    assert_eq!(second.code, 1, "{}", second.stderr);
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        asked,
        "the cache answered"
    );
    assert!(
        second
            .stderr
            .contains("external addresses: 0 checked, 8 from the cache, 0 skipped; 5 dead"),
        "{}",
        second.stderr
    );
    assert!(second.stderr.contains(&format!(
        "error: the address {} answers 410 Gone",
        server.url("/removed")
    )));
    assert!(
        !site.path().join("public").exists(),
        "a failed build writes nothing"
    );
}

#[test]
fn skipped_prefixes_are_not_asked_and_the_output_does_not_change() {
    let server = start();
    let skip = "  skip_prefixes: [\"http://127.0.0.1:\"]\n";
    let site = site_linking(&server, skip);
    let r = run(site.path(), &["build", "--external", "--strict"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);
    assert!(
        r.stderr
            .contains("external addresses: 0 checked, 0 from the cache, 8 skipped; 0 dead"),
        "{}",
        r.stderr
    );
    let with = contents(&site.path().join("public"));
    std::fs::remove_dir_all(site.path().join("public")).expect("remove");
    build_ok(site.path());
    assert_eq!(
        with,
        contents(&site.path().join("public")),
        "--external never changes the output"
    );
}

#[test]
fn with_no_cache_time_every_run_asks_again() {
    let server = start();
    let site = site_linking(&server, "  cache_hours: 0\n");
    for _ in 0..2 {
        let r = run(site.path(), &["check", "--external"]);
        assert!(
            r.stderr
                .contains("external addresses: 8 checked, 0 from the cache"),
            "{}",
            r.stderr
        );
    }
}

/// A one-briefing site whose `link_checker:` (from line 4 of site.yaml) fails with `expected`.
fn link_checker_fails_with(settings: &str, expected: &[&str]) {
    let site = site(&[(
        "content/a.md",
        "---\ntitle: A\ndate: 2025-03-14\n---\nText.\n",
    )]);
    let yaml = format!("title: Test\nbase_url: https://example.org/\nlink_checker:\n{settings}");
    write(site.path(), "site.yaml", &yaml);
    build_fails_with(site.path(), expected);
}

#[test]
fn a_timeout_of_zero_is_an_error_at_its_line() {
    link_checker_fails_with(
        "  timeout_seconds: 0\n",
        &[
            "error: `link_checker.timeout_seconds` must be at least 1\n --> site.yaml:4:20",
            "help: the default is 10 seconds",
        ],
    );
}

#[test]
fn a_skipped_prefix_without_its_scheme_is_an_error_at_its_line() {
    link_checker_fails_with(
        "  skip_prefixes:\n    - https://example.org/\n    - example.com/\n",
        &[
            "error: `example.com/` would skip no address\n --> site.yaml:6:7",
            "help: start it as the addresses it skips do, e.g. `https://example.com/`",
            "error: found 1 problem",
        ],
    );
}
