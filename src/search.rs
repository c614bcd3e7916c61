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

/// How many rendered pages may wait for the indexer: enough to keep it busy, few enough
/// that a large site is never held in memory.
const QUEUE: usize = 64;

/// The output paths of the pages search finds: every published briefing of every language.
/// Drafts and scheduled briefings, shown only in a preview build, stay out.
pub fn searchable(sites: &[Site]) -> HashSet<String> {
    let mut paths = HashSet::new();
    for site in sites {
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

/// Indexes pages on a thread of its own while the build renders and writes the others.
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
            let _ = tx.send((path.to_string(), html.to_string()));
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
        for (path, html) in rx {
            index
                .add_html_file(Some(path.clone()), None, html)
                .await
                .map_err(|e| format!("{path}: {e}"))?;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
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
