//! What brief prints besides the site: results on stdout, notes on stderr, and the time
//! each stage took when asked for (`--timings`). A leaf: every stage may print through it.

use std::sync::atomic::{AtomicBool, Ordering};

/// `println!` that ignores a closed pipe instead of panicking (`brief build | head -1`).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that ignores a closed pipe instead of panicking.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// A note of how long a stage took, printed only with `--timings`.
#[macro_export]
macro_rules! timing {
    ($($arg:tt)*) => {{
        if $crate::report::timings() {
            $crate::note!($($arg)*);
        }
    }};
}

static TIMINGS: AtomicBool = AtomicBool::new(false);

/// Turns the stage timings on (`--timings`).
pub fn show_timings(on: bool) {
    TIMINGS.store(on, Ordering::Relaxed);
}

/// Whether stage timings are printed.
pub fn timings() -> bool {
    TIMINGS.load(Ordering::Relaxed)
}
