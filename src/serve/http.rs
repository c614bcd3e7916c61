//! The preview's HTTP side: serves the in-memory site, never a file from disk, so no request
//! can reach outside it; injects the live-reload script into HTML; streams rebuild events.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;
use tokio::sync::broadcast;

use super::workspace::Bytes;

const LIVE_JS: &str = include_str!("live.js");

/// What the browser is told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Reload,
    /// Pages that changed after the reload (later pages of long lists), one URL path per
    /// line: a page showing one of them reloads.
    Changed(String),
    /// The rendered diagnostics (plain text).
    Error(String),
    /// The site's warnings changed: the text, empty when there are none left.
    Warnings(String),
}

/// The site as served, swapped wholesale on each rebuild.
#[derive(Default)]
pub struct Served {
    pub files: HashMap<String, Bytes>,
    /// The diagnostics of the last failed rebuild, until a rebuild succeeds.
    pub error: Option<String>,
    /// The warnings of the last good build: shown over the page's foot, never blocking it.
    pub warnings: Option<String>,
    /// How many times files changed; a page is served with the number it shows.
    pub generation: u64,
    /// The generation in which each file last changed.
    pub changed_in: HashMap<String, u64>,
}

impl Served {
    /// Whether the file behind request path `page` changed after `generation`.
    fn newer_than(&self, page: &str, generation: u64) -> bool {
        let Some(path) = resolve(page) else {
            return false;
        };
        let newer = |p: &str| self.changed_in.get(p).is_some_and(|&g| g > generation);
        newer(&path) || newer(&format!("{path}/index.html"))
    }
}

#[derive(Clone)]
pub struct Shared {
    pub served: Arc<RwLock<Served>>,
    pub notices: broadcast::Sender<Notice>,
}

impl Shared {
    pub fn new() -> Shared {
        Shared {
            served: Arc::new(RwLock::new(Served::default())),
            notices: broadcast::channel(16).0,
        }
    }
}

pub fn router(shared: Shared) -> Router {
    let live = shared.clone();
    Router::new()
        .route(
            "/__brief/live",
            axum::routing::get(move |uri: Uri| events(live.clone(), uri)),
        )
        .fallback(move |uri: Uri| serve_path(shared.clone(), uri))
}

/// The live-reload stream of one page. Its query names the page and the generation it was
/// served in (`?since=3&page=/topics/`): a page that changed since, perhaps while it was
/// reloading, is told to reload at once.
async fn events(shared: Shared, uri: Uri) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.notices.subscribe();
    let query = uri.query().unwrap_or("");
    let since = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("since="))
        .and_then(|n| n.parse().ok());
    let page = query.split_once("page=").map(|(_, p)| p);
    // The warnings as they are now first: they may have changed while the page loaded.
    let (warnings, stale) = {
        let served = match shared.served.read() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        let stale =
            matches!((page, since), (Some(page), Some(since)) if served.newer_than(page, since));
        (served.warnings.clone(), stale)
    };
    let mut first = vec![Ok(Event::default()
        .event("warnings")
        .data(warnings.unwrap_or_default()))];
    if stale {
        first.push(Ok(Event::default().event("reload").data("1")));
    }
    let first = futures_util::stream::iter(first);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(Notice::Reload) => {
                    return Some((Ok(Event::default().event("reload").data("1")), rx));
                }
                Ok(Notice::Changed(paths)) => {
                    return Some((Ok(Event::default().event("changed").data(paths)), rx));
                }
                Ok(Notice::Error(text)) => {
                    return Some((Ok(Event::default().event("error-report").data(text)), rx));
                }
                Ok(Notice::Warnings(text)) => {
                    return Some((Ok(Event::default().event("warnings").data(text)), rx));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(futures_util::StreamExt::chain(first, stream)).keep_alive(KeepAlive::default())
}

/// The in-memory file a request path names, refusing anything that could step outside
/// the site: `..` (also percent-encoded), encoded slashes and backslashes, NUL.
pub fn resolve(raw_path: &str) -> Option<String> {
    let decoded = percent_decode(raw_path)?;
    if decoded.contains('\\')
        || decoded.contains('\0')
        || raw_path.to_ascii_lowercase().contains("%2f")
    {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if decoded.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Diagnostics for the page, read by the live-reload script.
#[derive(Clone, Copy, Default)]
struct Reports<'a> {
    /// The generation the page is served in.
    generation: u64,
    error: Option<&'a str>,
    warnings: Option<&'a str>,
}

/// The page with the live-reload script (and the current error and warnings, if any)
/// before `</body>`.
fn inject(html: &[u8], reports: Reports<'_>) -> Vec<u8> {
    let mut tail = String::new();
    for (id, text) in [
        ("__brief-error", reports.error),
        ("__brief-warnings", reports.warnings),
    ] {
        let Some(text) = text else { continue };
        tail.push_str(&format!("<pre id=\"{id}\" hidden>"));
        // Escaped so no diagnostic text can close the element or add markup.
        tail.push_str(
            &text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;"),
        );
        tail.push_str("</pre>");
    }
    tail.push_str(&format!(
        "<script>var __briefServed = {};",
        reports.generation
    ));
    tail.push_str(LIVE_JS);
    tail.push_str("</script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{tail}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tail}").into_bytes(),
    }
}

fn respond(status: StatusCode, path: &str, bytes: &[u8], reports: Reports<'_>) -> Response<Body> {
    let ty = crate::text::content_type(path);
    let body = if ty.starts_with("text/html") {
        inject(bytes, reports)
    } else {
        bytes.to_vec()
    };
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ty));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn serve_path(shared: Shared, uri: Uri) -> Response<Body> {
    let served = match shared.served.read() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    let error = Reports {
        generation: served.generation,
        error: served.error.as_deref(),
        warnings: served.warnings.as_deref(),
    };
    let raw = uri.path();
    if let Some(path) = resolve(raw) {
        if let Some(bytes) = served.files.get(&path) {
            return respond(StatusCode::OK, &path, bytes, error);
        }
        // `/topics` -> `/topics/`, as static hosts do.
        let dir_index = format!("{path}/index.html");
        if !raw.ends_with('/') && served.files.contains_key(&dir_index) {
            let mut res = Response::new(Body::empty());
            *res.status_mut() = StatusCode::MOVED_PERMANENTLY;
            if let Ok(location) = HeaderValue::from_str(&format!("{raw}/")) {
                res.headers_mut().insert(header::LOCATION, location);
            }
            return res;
        }
    }
    match served.files.get("404.html") {
        Some(bytes) => respond(StatusCode::NOT_FOUND, "404.html", bytes, error),
        None => respond(StatusCode::NOT_FOUND, "404.txt", b"not found", error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_served_before_its_file_changed_is_stale() {
        let mut served = Served::default();
        served.changed_in.insert("page/2/index.html".into(), 5);
        assert!(served.newer_than("/page/2/", 4));
        assert!(!served.newer_than("/page/2/", 5));
        assert!(served.newer_than("/page/2", 4), "a path without its slash");
        assert!(!served.newer_than("/topics/", 0));
        assert!(!served.newer_than("/../etc/", 0));
    }

    #[test]
    fn resolves_clean_urls() {
        assert_eq!(resolve("/").as_deref(), Some("index.html"));
        assert_eq!(resolve("/topics/").as_deref(), Some("topics/index.html"));
        assert_eq!(resolve("/style.css").as_deref(), Some("style.css"));
        assert_eq!(resolve("/caf%C3%A9/").as_deref(), Some("café/index.html"));
    }

    #[test]
    fn refuses_traversal() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/a%2f..%2f..%2fetc",
            "/..%5c..%5cwindows",
            "/a\\b",
            "/%00",
            "/%zz",
        ] {
            assert_eq!(resolve(bad), None, "{bad}");
        }
    }

    #[test]
    fn injects_before_body_end_and_escapes_errors() {
        let reports = Reports {
            generation: 7,
            error: Some("</script><b>"),
            warnings: Some("<i>"),
        };
        let out = inject(b"<html><body><p>x</p></body></html>", reports);
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("<pre id=\"__brief-error\" hidden>&lt;/script&gt;&lt;b&gt;</pre>"));
        assert!(out.contains("<pre id=\"__brief-warnings\" hidden>&lt;i&gt;</pre>"));
        assert!(out.ends_with("</script></body></html>"));
        assert!(out.contains("<script>var __briefServed = 7;"));
        assert!(out.contains("new EventSource(\"/__brief/live?since=\""));
    }
}
