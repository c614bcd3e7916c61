//! The command line: clap definitions and what each command does. Errors map to exit codes:
//! 0 success, 1 content/config/theme problems, 2 usage errors (clap's own).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use brief::diag::{Diagnostic, Diagnostics};
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
        /// Include briefings and pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Use this base URL instead of site.yaml's `base_url`
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
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
        /// Include briefings and pages marked `draft: true`
        #[arg(long)]
        drafts: bool,
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
    brief::note!("{}", diags.into().render(color()));
    ExitCode::from(1)
}

fn fail_one(d: Diagnostic) -> ExitCode {
    brief::note!("{}", d.render(color()));
    ExitCode::from(1)
}

fn now() -> jiff::ZonedDateTime {
    jiff::ZonedDateTime::now()
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
        } => {
            let options = BuildOptions {
                root: root.root,
                output,
                drafts,
                base_url,
                write: true,
            };
            match brief::build_site(&options) {
                Ok(r) => {
                    brief::out!(
                        "built {} briefing{}, {} topic{}, {} entit{} -> {} files in {} in {:.0?}",
                        r.briefings,
                        if r.briefings == 1 { "" } else { "s" },
                        r.topics,
                        if r.topics == 1 { "" } else { "s" },
                        r.entities,
                        if r.entities == 1 { "y" } else { "ies" },
                        r.files,
                        r.output.display(),
                        r.elapsed
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
            open,
            poll,
        } => {
            let options = brief::serve::ServeOptions {
                root: root.root,
                port,
                interface,
                drafts,
                open,
                poll,
                color: color(),
            };
            match brief::serve::serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => fail(d),
            }
        }
        Command::Check { root, drafts } => {
            let options = BuildOptions {
                root: root.root,
                drafts,
                write: false,
                ..BuildOptions::default()
            };
            match brief::build_site(&options) {
                Ok(r) => {
                    brief::out!(
                        "ok: {} briefings, {} topics, {} entities, {} pages checked in {:.0?}",
                        r.briefings,
                        r.topics,
                        r.entities,
                        r.files,
                        r.elapsed
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => fail(d),
            }
        }
        Command::Init { dir, root } => {
            let dir = dir.unwrap_or(root.root);
            let today = now().date().to_string();
            match scaffold::init(&dir, &today) {
                Ok(files) => {
                    for f in files {
                        brief::out!("created {}", f.display());
                    }
                    brief::out!(
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
            let stamp = now().round(jiff::Unit::Second).unwrap_or_else(|_| now());
            let date = stamp.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
            match scaffold::new_briefing(&root.root, &title, &topics, &date) {
                Ok(path) => {
                    brief::out!("{}", path.display());
                    brief::note!(
                        "(created as a draft: set `draft: false` to publish; `brief build --drafts` shows drafts)"
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => fail_one(d),
            }
        }
    }
}
