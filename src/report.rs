//! What brief prints besides the site: results on stdout, notes on stderr, and the time
//! each stage took when asked for (`--timings`). A leaf: every stage prints through it, and
//! a closed pipe (`brief build | head -1`) is never an error.

use std::fmt;
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

/// A line on stdout.
pub fn to_stdout(args: fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stdout(), "{args}");
}

/// A line on stderr.
pub fn to_stderr(args: fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr(), "{args}");
}

/// Text on stderr with no line end: a progress line redrawn in place.
pub fn progress(args: fmt::Arguments<'_>) {
    let mut err = std::io::stderr();
    let _ = write!(err, "{args}");
    let _ = err.flush();
}

/// `println!` through `to_stdout`.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::report::to_stdout(format_args!($($arg)*))
    };
}

/// `eprintln!` through `to_stderr`.
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::report::to_stderr(format_args!($($arg)*))
    };
}

/// A note of how long a stage took, printed only with `--timings`.
macro_rules! timing {
    ($($arg:tt)*) => {
        if $crate::report::timings() {
            $crate::report::to_stderr(format_args!($($arg)*));
        }
    };
}

pub(crate) use {note, out, timing};

static TIMINGS: AtomicBool = AtomicBool::new(false);

/// Turns the stage timings on (`--timings`).
pub fn show_timings(on: bool) {
    TIMINGS.store(on, Ordering::Relaxed);
}

/// Whether stage timings are printed.
pub fn timings() -> bool {
    TIMINGS.load(Ordering::Relaxed)
}
