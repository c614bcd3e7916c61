//! The command line: clap definitions and what each command does. Errors map to exit codes:
//! 0 success, 1 content/config/theme problems, 2 usage errors (clap's own).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use brief::diag::{Diagnostic, Diagnostics, Shown};

/// A line on stdout, through brief's reporting (a closed pipe is no error).
macro_rules! out {
    ($($arg:tt)*) => {
        brief::report::to_stdout(format_args!($($arg)*))
    };
}

/// A line on stderr, through brief's reporting.
macro_rules! note {
    ($($arg:tt)*) => {
        brief::report::to_stderr(format_args!($($arg)*))
    };
}
use brief::{BuildOptions, scaffold};

#[derive(Parser)]
#[command(
    name = "brief",
    version,
    about = "A static site generator for annotated news briefings",
    long_about = "brief turns Markdown briefings with YAML front matter into a static site: \
                  briefing pages with fact boxes and sources, topic and entity indexes, and \
                  standalone pages.",
    after_help = "Run `brief init my-site` to start a new site, then `brief build` inside it."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print how long each stage took, on stderr
    #[arg(long, global = true)]
    timings: bool,
}

#[derive(Args)]
struct Root {
    /// The site's folder (where site.yaml is)
    #[arg(long, value_name = "DIR", default_value = ".", global = true)]
    root: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output)
    Build {
        #[command(flatten)]
        root: Root,
        /// Write the site here instead of <root>/public
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Include briefings and pages marked `draft: true`, labelled as drafts
        #[arg(long)]
        drafts: bool,
        /// Include briefings dated in the future (scheduled), labelled as such
        #[arg(long)]
        future: bool,
        /// Treat warnings as errors (exit 1), e.g. in CI
        #[arg(long)]
        strict: bool,
        /// Show the first warnings in full and count the rest by kind, or show all of them
        #[arg(long, value_enum, default_value_t = Shown::First, value_name = "WHICH")]
        warnings: Shown,
        /// Use this base URL instead of site.yaml's `base_url`
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Write every file again, as into an empty folder
        #[arg(long)]
        clean: bool,
        /// Neither use nor update the build cache in .brief-cache/: render every page
        #[arg(long)]
        no_cache: bool,
        /// List the paths written (`+ path`) and removed (`- path`) in FILE, for deploy scripts
        #[arg(long, value_name = "FILE")]
        changes: Option<PathBuf>,
        /// Also ask every web address the site links to whether it still answers
        #[arg(long)]
        external: bool,
    },
    /// Preview the site: build, serve, rebuild on change and reload the browser
    Serve {
        #[command(flatten)]
        root: Root,
        /// First port to try; the next free one is used if it is taken
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on (127.0.0.1 keeps the preview on this machine)
        #[arg(long, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// Include briefings and pages marked `draft: true`, labelled as drafts
        #[arg(long)]
        drafts: bool,
        /// Include briefings dated in the future (scheduled), labelled as such
        #[arg(long)]
        future: bool,
        /// Open the preview in the default browser
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of using file-system events (network or container file systems)
        #[arg(long)]
        poll: bool,
    },
    /// Check the site for errors without writing anything
    Check {
        #[command(flatten)]
        root: Root,
        /// Check drafts too
        #[arg(long)]
        drafts: bool,
        /// Check briefings dated in the future (scheduled) too
        #[arg(long)]
        future: bool,
        /// Treat warnings as errors (exit 1), e.g. in CI
        #[arg(long)]
        strict: bool,
        /// Show the first warnings in full and count the rest by kind, or show all of them
        #[arg(long, value_enum, default_value_t = Shown::First, value_name = "WHICH")]
        warnings: Shown,
        /// Also ask every web address the site links to whether it still answers
        #[arg(long)]
        external: bool,
    },
    /// Upload the built site to the object store of `deploy:` in site.yaml, only what changed
    Deploy {
        #[command(flatten)]
        root: Root,
        /// The built site to upload instead of <root>/public
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Say what would be uploaded and removed, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Create a new site in DIR (default: the current folder), which must be empty
    Init {
        /// Folder to create the site in
        dir: Option<PathBuf>,
        #[command(flatten)]
        root: Root,
    },
    /// Create a new briefing in content/briefings/ and print its path
    New {
        /// The briefing's title
        title: String,
        /// Comma-separated topics, e.g. --topics "Ukraine war,Ceasefire talks"
        #[arg(long, value_delimiter = ',', value_name = "A,B")]
        topics: Vec<String>,
        #[command(flatten)]
        root: Root,
    },
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn fail(diags: impl Into<Diagnostics>) -> ExitCode {
    note!("{}", diags.into().render(color()));
    ExitCode::from(1)
}

fn fail_one(d: Diagnostic) -> ExitCode {
    note!("{}", d.render(color()));
    ExitCode::from(1)
}

/// "3 briefings, 1 topic, 2 entities": what a build or check found.
fn site_counts(r: &brief::BuildReport) -> String {
    format!(
        "{}, {} topic{}, {} entit{}",
        briefing_count(r),
        r.topics,
        plural(r.topics),
        r.entities,
        if r.entities == 1 { "y" } else { "ies" },
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "12 briefings" or "12 briefings (2 scheduled, not published)".
fn briefing_count(r: &brief::BuildReport) -> String {
    let mut text = format!("{} briefing{}", r.briefings, plural(r.briefings));
    if !r.scheduled.is_empty() {
        text.push_str(&format!(
            " ({} scheduled, not published)",
            r.scheduled.len()
        ));
    }
    text
}

/// "; 2 warnings" when there are any.
fn warning_count(r: &brief::BuildReport) -> String {
    match r.warnings.len() {
        0 => String::new(),
        n => format!("; {n} warning{}", plural(n)),
    }
}

/// Warnings in the errors' format, the first ones or all.
fn report_warnings(r: &brief::BuildReport, shown: Shown) {
    if !r.warnings.is_empty() {
        note!("{}\n", r.warnings.render_warnings(color(), shown));
    }
}

/// Warnings in the errors' format, then each scheduled briefing with its time.
fn report_warnings_and_schedule(r: &brief::BuildReport, shown: Shown) {
    report_warnings(r, shown);
    for (path, date) in &r.scheduled {
        out!(
            "scheduled: {} publishes {} (build with --future to preview it)",
            path.display(),
            date.human_with_time()
        );
    }
}

/// ", 3 written, 204 unchanged, 1 removed" when only what changed was written.
fn what_changed(w: &brief::output::Written) -> String {
    if !w.incremental {
        return String::new();
    }
    format!(
        ", {} written, {} unchanged, {} removed",
        w.changed.len(),
        w.unchanged,
        w.removed.len()
    )
}

/// `brief deploy`: what it uploaded and removed, one line each, then the counts.
fn deploy(root: &std::path::Path, output: Option<PathBuf>, dry_run: bool) -> ExitCode {
    let config = match brief::config::Config::load(root) {
        Ok(config) => config,
        Err(d) => {
            note!("{}", d.render_then(color(), "nothing was uploaded"));
            return ExitCode::from(1);
        }
    };
    let dir = output.unwrap_or_else(|| root.join("public"));
    match brief::deploy::deploy(&config, &dir, dry_run) {
        Ok(done) => {
            let (up, del) = match dry_run {
                true => ("would upload", "would remove"),
                false => ("uploaded", "removed"),
            };
            for path in &done.uploaded {
                out!("{up} {path}");
            }
            for path in &done.deleted {
                out!("{del} {path}");
            }
            out!(
                "{} to {}: {} {up}, {} {del}, {} unchanged",
                if dry_run { "dry run" } else { "deployed" },
                done.target,
                done.uploaded.len(),
                done.deleted.len(),
                done.unchanged
            );
            ExitCode::SUCCESS
        }
        Err(failed) => {
            note!("{}", failed.problems.render_then(color(), failed.outcome()));
            ExitCode::from(1)
        }
    }
}

fn now() -> jiff::ZonedDateTime {
    jiff::ZonedDateTime::now()
}

pub fn run(cli: Cli) -> ExitCode {
    brief::report::show_timings(cli.timings);
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            future,
            strict,
            warnings,
            base_url,
            clean,
            no_cache,
            changes,
            external,
        } => {
            let options = BuildOptions {
                root: root.root,
                output,
                drafts,
                future,
                strict,
                base_url,
                write: true,
                clean,
                changes,
                no_cache,
                external,
            };
            match brief::build_site(&options) {
                Ok(r) => {
                    report_warnings_and_schedule(&r, warnings);
                    out!(
                        "built {} -> {} files{}{} in {} in {:.0?}{}",
                        site_counts(&r),
                        r.files,
                        match r.pictures_resized {
                            0 => String::new(),
                            1 => " (1 picture resized)".to_string(),
                            n => format!(" ({n} pictures resized)"),
                        },
                        what_changed(&r.written),
                        r.output.display(),
                        r.elapsed,
                        warning_count(&r)
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => fail(d),
            }
        }
        Command::Serve {
            root,
            port,
            interface,
            drafts,
            future,
            open,
            poll,
        } => {
            let options = brief::serve::ServeOptions {
                root: root.root,
                port,
                interface,
                drafts,
                future,
                open,
                poll,
                color: color(),
            };
            match brief::serve::serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => fail(d),
            }
        }
        Command::Check {
            root,
            drafts,
            future,
            strict,
            warnings,
            external,
        } => {
            let options = BuildOptions {
                root: root.root,
                drafts,
                future,
                strict,
                external,
                write: false,
                ..BuildOptions::default()
            };
            match brief::build_site(&options) {
                Ok(r) => {
                    report_warnings(&r, warnings);
                    out!(
                        "ok: {}, {} page{} checked in {:.0?}{}",
                        site_counts(&r),
                        r.files,
                        plural(r.files),
                        r.elapsed,
                        warning_count(&r)
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => fail(d),
            }
        }
        Command::Deploy {
            root,
            output,
            dry_run,
        } => deploy(&root.root, output, dry_run),
        Command::Init { dir, root } => {
            let dir = dir.unwrap_or(root.root);
            let today = now().date().to_string();
            match scaffold::init(&dir, &today) {
                Ok(files) => {
                    for f in files {
                        out!("created {}", f.display());
                    }
                    out!(
                        "next: cd {} && brief build, then open public/index.html",
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => fail_one(d),
            }
        }
        Command::New {
            title,
            topics,
            root,
        } => {
            // Cut to the second, never rounded up: a briefing written now and built at once
            // must not be dated a moment ahead, which would make it scheduled.
            let truncate = jiff::ZonedDateTimeRound::new()
                .smallest(jiff::Unit::Second)
                .mode(jiff::RoundMode::Trunc);
            let stamp = now().round(truncate).unwrap_or_else(|_| now());
            let date = stamp.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
            match scaffold::new_briefing(&root.root, &title, &topics, &date) {
                Ok(path) => {
                    out!("{}", path.display());
                    note!(
                        "(created as a draft: set `draft: false` to publish; `brief build --drafts` shows drafts)"
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => fail_one(d),
            }
        }
    }
}
