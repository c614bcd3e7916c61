//! `brief serve`: build into memory, serve over HTTP on its own thread, watch the site's
//! folders, rebuild what changed and reload open pages. A broken edit keeps the last good
//! site served and shows the errors over the page until they are fixed.

mod http;
mod rebuild;
mod remodel;
mod search;
mod watch;
pub mod workspace;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Instant;

use crate::diag::{Diagnostic, Diagnostics};
pub use http::resolve;
use http::{Notice, Shared};
use workspace::{Update, Workspace};

/// Options of `brief serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub interface: IpAddr,
    pub drafts: bool,
    pub future: bool,
    pub open: bool,
    pub poll: bool,
    /// Render errors in colour (a terminal).
    pub color: bool,
}

/// Messages to the rebuild loop.
pub(crate) enum Message {
    Changed(Vec<PathBuf>),
    WatchError(String),
    Stop,
}

/// Binds the first free port from `port` on (up to 20 tries).
fn bind(interface: IpAddr, port: u16) -> Result<TcpListener, Diagnostic> {
    let mut last = None;
    for p in port..port.saturating_add(20) {
        match TcpListener::bind(SocketAddr::new(interface, p)) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(Diagnostic::new(
        "--port",
        format!(
            "cannot listen on {interface} ports {port}-{}: {}",
            port.saturating_add(19),
            last.map_or_else(String::new, |e| e.to_string())
        ),
    )
    .help("choose another --port, or check --interface"))
}

fn apply(shared: &Shared, update: Update) {
    let mut served = match shared.served.write() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    served.generation += 1;
    let generation = served.generation;
    for path in update.removed {
        served.files.remove(&path);
        served.changed_in.insert(path, generation);
    }
    for (path, bytes) in update.changed {
        served.changed_in.insert(path.clone(), generation);
        served.files.insert(path, bytes);
    }
    served.error = None;
}

/// Prints the site's warnings when they changed, and hands them to the pages' overlay.
/// Called after the reload: they take a moment on a large site, and open pages update their
/// bar when the warnings arrive.
fn show_warnings(shared: &Shared, workspace: &Workspace, color: bool) {
    let t = std::time::Instant::now();
    let warnings = workspace.warnings();
    crate::report::timing!("  warnings {:.1?} ({})", t.elapsed(), warnings.len());
    let text =
        (!warnings.is_empty()).then(|| warnings.render_warnings(false, crate::diag::Shown::First));
    let mut served = match shared.served.write() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    if served.warnings == text {
        return;
    }
    if !warnings.is_empty() {
        crate::report::note!(
            "{}",
            warnings.render_warnings(color, crate::diag::Shown::First)
        );
    }
    let _ = shared
        .notices
        .send(Notice::Warnings(text.clone().unwrap_or_default()));
    served.warnings = text;
}

fn report(shared: &Shared, diags: &Diagnostics, color: bool, served: bool) {
    let then = if served {
        "the last good site is still served"
    } else {
        "nothing to serve until they are fixed"
    };
    crate::report::note!("{}", diags.render_then(color, then));
    let text = diags.render_then(false, then);
    if let Ok(mut served) = shared.served.write() {
        served.error = Some(text.clone());
    }
    let _ = shared.notices.send(Notice::Error(text));
}

/// The URL paths of the HTML pages in `update`, one per line.
fn changed_pages(update: &Update) -> String {
    let paths: Vec<String> = (update.changed.iter())
        .filter_map(|(path, _)| path.strip_suffix("index.html"))
        .map(|dir| format!("/{dir}"))
        .collect();
    paths.join("\n")
}

/// Runs the preview until Ctrl-C.
pub fn serve(options: ServeOptions) -> Result<(), Diagnostics> {
    crate::render::watchdog::when_stopped_say(
        "the preview stopped; fix the template, then start `brief serve` again",
    );
    let listener = bind(options.interface, options.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Diagnostic::new("--port", e.to_string()))?;
    let host = match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());

    let shared = Shared::new();
    let start = Instant::now();
    let publish = crate::content::Publish::now(options.drafts, options.future);
    let reindexer = search::Reindexer::default();
    let mut workspace = match Workspace::open(&root, publish, &url) {
        Ok((ws, update)) => {
            let n = update.changed.len();
            apply(&shared, update);
            reindexer.start(&shared, ws.corpora());
            show_warnings(&shared, &ws, options.color);
            crate::report::note!("built {n} files in {:.0?}", start.elapsed());
            Some(ws)
        }
        Err(diags) => {
            report(&shared, &diags, options.color, false);
            None
        }
    };

    let (tx, rx) = mpsc::channel::<Message>();
    let mut watcher = watch::start(&root, options.poll, tx.clone()).map_err(|e| {
        Diagnostic::new(&root, format!("cannot watch the site for changes: {e}")).help("try --poll")
    })?;
    {
        let shared = shared.clone();
        let tx = tx.clone();
        let (ready_tx, ready) = mpsc::channel();
        std::thread::spawn(move || run_http(listener, shared, tx, ready_tx));
        // Announce only once Ctrl-C is handled, so an early Ctrl-C still exits cleanly.
        let _ = ready.recv();
    }
    crate::report::out!("serving {} at {url} (Ctrl-C to stop)", root.display());
    if options.open {
        open_browser(&url);
    }

    while let Ok(message) = rx.recv() {
        let paths = match message {
            Message::Stop => break,
            Message::WatchError(e) => {
                crate::report::note!("watch error: {e}");
                continue;
            }
            Message::Changed(paths) => paths,
        };
        // Drain what arrived meanwhile, so a burst (a checkout) is one rebuild.
        let mut paths = paths;
        let mut stop = false;
        while let Ok(more) = rx.try_recv() {
            match more {
                Message::Changed(p) => paths.extend(p),
                Message::Stop => stop = true,
                Message::WatchError(e) => crate::report::note!("watch error: {e}"),
            }
        }
        if stop {
            break;
        }
        watcher.watch_new_folders(&root, &paths);
        let changes = workspace::changes(&root, paths);
        if changes.content.is_empty() && !changes.everything {
            continue;
        }
        let start = Instant::now();
        let result = match workspace.as_mut() {
            Some(ws) => ws.rebuild(&changes),
            None => Workspace::open(
                &root,
                crate::content::Publish::now(options.drafts, options.future),
                &url,
            )
            .map(|(ws, update)| {
                workspace = Some(ws);
                update
            }),
        };
        match result {
            Ok(update) => {
                let n = update.changed.len() + update.removed.len();
                apply(&shared, update);
                let _ = shared.notices.send(Notice::Reload);
                // What no open page shows (search index, sitemaps) follows the reload.
                match workspace.as_mut().map(Workspace::catch_up) {
                    Some(Err(diags)) => report(&shared, &diags, options.color, true),
                    later => {
                        let later = later.and_then(Result::ok).unwrap_or_default();
                        let n = n + later.changed.len();
                        let pages = changed_pages(&later);
                        apply(&shared, later);
                        if !pages.is_empty() {
                            let _ = shared.notices.send(Notice::Changed(pages));
                        }
                        crate::report::note!("rebuilt {n} files in {:.0?}", start.elapsed());
                    }
                }
                if let Some(ws) = &workspace {
                    reindexer.start(&shared, ws.corpora());
                    show_warnings(&shared, ws, options.color);
                }
            }
            Err(diags) => report(&shared, &diags, options.color, workspace.is_some()),
        }
    }
    // Everything lives in memory: nothing to clean up on disk. Returning ends the process
    // and with it the HTTP thread and any open live-reload streams.
    crate::report::out!("stopped");
    Ok(())
}

/// The HTTP server's thread: its own runtime; Ctrl-C tells the rebuild loop to stop.
fn run_http(
    listener: TcpListener,
    shared: Shared,
    tx: mpsc::Sender<Message>,
    ready: mpsc::Sender<()>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            crate::report::note!("cannot start the HTTP server: {e}");
            let _ = tx.send(Message::Stop);
            return;
        }
    };
    runtime.block_on(async move {
        let served = async {
            listener.set_nonblocking(true)?;
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, http::router(shared)).await
        };
        let stop = tx.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                let _ = stop.send(Message::Stop);
            }
        });
        // Let the task above run once: its first poll installs the Ctrl-C handler.
        tokio::task::yield_now().await;
        let _ = ready.send(());
        if let Err(e) = served.await {
            crate::report::note!("the HTTP server stopped: {e}");
        }
        let _ = tx.send(Message::Stop);
    });
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        crate::report::note!("could not open a browser; visit {url}");
    }
}
