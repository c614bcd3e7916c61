//! Search stage: the rendered briefing pages, as they are written, into a Pagefind index
//! (`pagefind/` at the site's root). Pagefind splits the index into fragments a browser
//! fetches only as a query needs them, and keeps one index per language (from each page's
//! `lang`). The theme marks what is indexed: `data-pagefind-body` around the briefing, its
//! filters, sort key and result metadata.

use std::collections::HashSet;
use std::sync::mpsc;
use std::thread::JoinHandle;

use crate::diag::Diagnostic;
use crate::model::Site;

/// Where the index is written, from the site's root.
pub const BUNDLE_DIR: &str = "pagefind/";

/// How many rendered pages may wait to be taken by the indexer.
const QUEUE: usize = 64;

/// The output paths of the pages search finds: every published briefing of every language.
/// Drafts and scheduled briefings, shown only in a preview build, stay out; a site with
/// `search: false` has none.
pub fn searchable(sites: &[Site]) -> HashSet<String> {
    let mut paths = HashSet::new();
    for site in sites.iter().filter(|s| s.config.search) {
        for e in &site.briefings {
            if !e.briefing.draft && !e.briefing.scheduled {
                paths.insert(format!("{}{}index.html", site.config.home, e.url));
            }
        }
    }
    paths
}

/// A file of the index, with its path from the site's root.
pub struct IndexFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Collects the pages to index while the build renders and writes the others, then
/// indexes them on a thread of its own. Only the part Pagefind reads is kept.
pub struct Indexer {
    pages: Option<mpsc::SyncSender<(String, String)>>,
    worker: Option<JoinHandle<Result<Vec<IndexFile>, String>>>,
}

impl Indexer {
    pub fn start() -> Indexer {
        let (tx, rx) = mpsc::sync_channel::<(String, String)>(QUEUE);
        let worker = std::thread::spawn(move || index_all(rx));
        Indexer {
            pages: Some(tx),
            worker: Some(worker),
        }
    }

    /// Adds the page written at `path` (from the site's root) with its HTML.
    pub fn add(&self, path: &str, html: &str) {
        if let Some(tx) = &self.pages {
            // A closed channel means the indexer failed; `finish` reports why.
            let _ = tx.send((path.to_string(), indexed_part(html)));
        }
    }

    /// Waits for every page to be indexed and returns the index's files.
    pub fn finish(mut self) -> Result<Vec<IndexFile>, Diagnostic> {
        self.pages = None;
        let failed = |why: String| {
            Diagnostic::new(
                BUNDLE_DIR,
                format!("the search index could not be built: {why}"),
            )
            .help("build again; if it keeps failing, report it with the page named here")
        };
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(result)) => result.map_err(failed),
            Some(Err(_)) => Err(failed("the indexer stopped".into())),
            None => Ok(Vec::new()),
        }
    }
}

/// What Pagefind reads of a page: its `<html>` tag (the language) and the element marked
/// `data-pagefind-body`, without the navigation, lists and footer around it, which it
/// would parse only to skip. The whole page when the theme marks no body.
fn indexed_part(html: &str) -> String {
    let body = html.find(" data-pagefind-body").and_then(|at| {
        let start = html[..at].rfind('<')?;
        let tag = html[start + 1..at].split_whitespace().next()?;
        let end = html.rfind(&format!("</{tag}>"))? + tag.len() + 3;
        (end > start).then(|| &html[start..end])
    });
    let open = html
        .find("<html")
        .and_then(|s| Some(&html[s..s + html[s..].find('>')? + 1]));
    match (open, body) {
        (Some(open), Some(body)) => format!("{open}<body>{body}</body></html>"),
        _ => html.to_string(),
    }
}

/// Pagefind's ready-made interfaces, which the theme's search page does not load: it uses
/// `pagefind.js` and styles its own results.
fn is_unused_ui(file: &std::path::Path) -> bool {
    let name = file.to_string_lossy();
    [
        "pagefind-ui.",
        "pagefind-modular-ui.",
        "pagefind-component-ui.",
        "pagefind-highlight.",
    ]
    .iter()
    .any(|prefix| name.starts_with(prefix))
}

/// Feeds every page `rx` brings to Pagefind, then builds the index.
fn index_all(rx: mpsc::Receiver<(String, String)>) -> Result<Vec<IndexFile>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let config = pagefind::options::PagefindServiceConfig::builder().build();
        let mut index =
            pagefind::api::PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        let start = std::time::Instant::now();
        let mut busy = std::time::Duration::ZERO;
        // Pagefind numbers pages in the order they come, and pages are rendered in
        // parallel: sorted, the same site always makes the same index, byte for byte.
        let mut pages: Vec<(String, String)> = rx.into_iter().collect();
        pages.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (path, html) in pages {
            let t = std::time::Instant::now();
            index
                .add_html_file(Some(path.clone()), None, html)
                .await
                .map_err(|e| format!("{path}: {e}"))?;
            busy += t.elapsed();
        }
        let added = start.elapsed();
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        if std::env::var_os("BRIEF_TIMINGS").is_some() {
            crate::note!(
                "  search index: pages {busy:.1?} of {added:.1?}, index files {:.1?}",
                start.elapsed() - added
            );
        }
        Ok(files
            .into_iter()
            .filter(|f| !is_unused_ui(&f.filename))
            .map(|f| IndexFile {
                path: format!(
                    "{BUNDLE_DIR}{}",
                    f.filename.to_string_lossy().replace('\\', "/")
                ),
                bytes: f.contents,
            })
            .collect())
    })
}
