//! File watching: the site's input folders (`config::inputs`) recursively, and the root
//! itself non-recursively, so an editor that replaces site.yaml (write a temp file, rename it
//! over) is still seen, and so is an input folder made later.

use std::path::Path;
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{MetadataKind, ModifyKind};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer_opt};

use super::Message;
use crate::config::inputs;

/// Short: editors finish an atomic save within a few milliseconds, and every millisecond
/// here is latency between saving and seeing the page.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// Keeps the watcher alive; dropping it stops watching.
pub enum Handle {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, RecommendedCache>),
}

impl Handle {
    /// Watches each input folder among `paths` made after the preview started: its
    /// creation shows as a change of the root, which is watched on its own.
    pub fn watch_new_folders(&mut self, root: &Path, paths: &[std::path::PathBuf]) {
        for path in paths {
            let is_input = (path.parent() == Some(root))
                && path
                    .file_name()
                    .is_some_and(|n| inputs::FOLDERS.iter().any(|f| n == *f));
            if is_input && path.is_dir() {
                let _ = match self {
                    Handle::Native(d) => d.watch(path, RecursiveMode::Recursive),
                    Handle::Poll(d) => d.watch(path, RecursiveMode::Recursive),
                };
            }
        }
    }
}

fn handler(tx: Sender<Message>) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |result: DebounceEventResult| {
        let message = match result {
            Ok(events) => {
                // Reading files (which every rebuild does) must not look like a change.
                let paths: Vec<_> = events
                    .into_iter()
                    .filter(|e| {
                        !matches!(
                            e.event.kind,
                            EventKind::Access(_)
                                | EventKind::Modify(ModifyKind::Metadata(
                                    MetadataKind::AccessTime
                                        | MetadataKind::Permissions
                                        | MetadataKind::Ownership
                                        | MetadataKind::Extended
                                ))
                        )
                    })
                    .flat_map(|e| e.event.paths)
                    .collect();
                if paths.is_empty() {
                    return;
                }
                Message::Changed(paths)
            }
            Err(errors) => Message::WatchError(
                errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        };
        let _ = tx.send(message);
    }
}

fn watch_all<T: Watcher>(
    d: &mut Debouncer<T, RecommendedCache>,
    root: &Path,
) -> notify::Result<()> {
    d.watch(root, RecursiveMode::NonRecursive)?;
    for dir in inputs::FOLDERS {
        let path = root.join(dir);
        if path.is_dir() {
            d.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

pub fn start(root: &Path, poll: bool, tx: Sender<Message>) -> notify::Result<Handle> {
    if poll {
        // Modification times may have one-second granularity: compare contents too.
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(200))
            .with_compare_contents(true);
        let mut d = new_debouncer_opt::<_, PollWatcher, _>(
            DEBOUNCE,
            None,
            handler(tx),
            RecommendedCache::new(),
            config,
        )?;
        watch_all(&mut d, root)?;
        Ok(Handle::Poll(d))
    } else {
        let mut d = new_debouncer_opt::<_, RecommendedWatcher, _>(
            DEBOUNCE,
            None,
            handler(tx),
            RecommendedCache::new(),
            notify::Config::default(),
        )?;
        watch_all(&mut d, root)?;
        Ok(Handle::Native(d))
    }
}
