//! Tera cannot interrupt a template that runs away (loops nested over large ranges, a
//! component calling itself twice at each level), and such a page would hang a build
//! forever. A watchdog thread notices a render that has run past the site's `timeout` and
//! ends the process with an error naming the template and the file. Nothing has replaced
//! the previous output by then, so it stays whole, as after any interrupted build.

use std::cell::Cell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// A render in progress: when it must end, and what to call it if it does not.
struct Running {
    deadline: Instant,
    limit: Duration,
    /// The template being rendered, once known (a page may render partials too).
    template: Option<PathBuf>,
    file: String,
}

thread_local! {
    /// The render this thread is doing, so `rendering` can name its template.
    static CURRENT: Cell<Option<u64>> = const { Cell::new(None) };
}

#[derive(Default)]
struct Watchdog {
    running: Mutex<HashMap<u64, Running>>,
    next: AtomicU64,
}

fn watchdog() -> &'static Watchdog {
    static WATCHDOG: OnceLock<Watchdog> = OnceLock::new();
    WATCHDOG.get_or_init(|| {
        std::thread::Builder::new()
            .name("brief-watchdog".into())
            .spawn(patrol)
            .ok();
        Watchdog::default()
    })
}

/// Checks the running renders a few times a second; one past its deadline ends the process.
fn patrol() {
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let now = Instant::now();
        let stuck = watchdog().running.lock().ok().and_then(|running| {
            running
                .values()
                .find(|r| r.deadline <= now)
                .map(stuck_message)
        });
        if let Some(message) = stuck {
            crate::report::note!("{message}");
            std::process::exit(1);
        }
    }
}

fn stuck_message(r: &Running) -> String {
    let template = r
        .template
        .clone()
        .unwrap_or_else(|| PathBuf::from("templates"));
    let diag = crate::diag::Diagnostic::new(
        template,
        format!(
            "rendering `{}` took more than {} s; the template may loop without end",
            r.file,
            r.limit.as_secs()
        ),
    )
    .help(
        "look for `for` loops nested over large ranges or components that call themselves; \
         if the page really needs longer, raise `timeout` (seconds) in site.yaml",
    );
    let then = STOPPED.get().copied().unwrap_or(BUILD_STOPPED);
    format!("{}\n{then}", diag.render(false))
}

const BUILD_STOPPED: &str = "build stopped; the previous output is unchanged";

/// What the process says after stopping a runaway render, when it is not a build.
static STOPPED: OnceLock<&'static str> = OnceLock::new();

/// Sets what is said after a runaway render stops the process (the preview says so).
pub fn when_stopped_say(then: &'static str) {
    let _ = STOPPED.set(then);
}

/// Runs `render`, which renders output file `file`, under the watchdog.
pub fn watch<T>(file: &str, limit: Duration, render: impl FnOnce() -> T) -> T {
    let dog = watchdog();
    let id = dog.next.fetch_add(1, Ordering::Relaxed);
    if let Ok(mut running) = dog.running.lock() {
        running.insert(
            id,
            Running {
                deadline: Instant::now() + limit,
                limit,
                template: None,
                file: file.to_string(),
            },
        );
    }
    let outer = CURRENT.replace(Some(id));
    let result = render();
    CURRENT.set(outer);
    if let Ok(mut running) = dog.running.lock() {
        running.remove(&id);
    }
    result
}

/// Notes that this thread's render has reached `template` (the file a writer would edit).
pub fn rendering(template: &Path) {
    let Some(id) = CURRENT.get() else { return };
    if let Ok(mut running) = watchdog().running.lock()
        && let Some(r) = running.get_mut(&id)
    {
        r.template = Some(template.to_path_buf());
    }
}
