//! `--external`: asks every web address the site links to or shows whether it still
//! answers, and reports the dead ones at every line that uses them. It reads the model and
//! never changes the output; results are kept in `.brief-cache/` for a while, so a second
//! run asks nothing.

mod fetch;
mod kept;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Kind};
use crate::model::Site;

pub use fetch::Outcome;

/// What a check found: a warning per use of a dead address, and the counts.
#[derive(Debug, Default)]
pub struct Checked {
    pub warnings: Diagnostics,
    pub summary: Summary,
}

/// The counts of the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Asked over the network by this run.
    pub checked: usize,
    /// Known from an earlier run, recently enough.
    pub cached: usize,
    /// Left out by `link_checker.skip_prefixes`.
    pub skipped: usize,
    /// Dead, asked now or known.
    pub dead: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Summary {
            checked,
            cached,
            skipped,
            dead,
        } = self;
        write!(
            f,
            "external addresses: {checked} checked, {cached} from the cache, {skipped} skipped; {dead} dead"
        )
    }
}

/// Where an address is used: a file, line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Use {
    path: PathBuf,
    line: u32,
    col: u32,
}

/// Checks every web address of `sites` (every language), with progress on a terminal when
/// `progress` is set.
pub fn check(sites: &[Site], config: &Config, progress: bool) -> Checked {
    let settings = &config.link_checker;
    let mut uses: BTreeMap<&str, Vec<Use>> = BTreeMap::new();
    for site in sites {
        for (path, prose) in site.files_with_prose() {
            for e in &prose.external {
                let place = Use {
                    path: path.to_path_buf(),
                    line: e.line,
                    col: e.col,
                };
                uses.entry(e.url.as_str()).or_default().push(place);
            }
        }
    }
    let skips = |url: &str| (settings.skip_prefixes.iter()).any(|p| url.starts_with(p.as_str()));
    let (skipped, asked): (Vec<&str>, Vec<&str>) = uses.keys().partition(|url| skips(url));
    let mut kept = kept::Kept::open(&config.root, settings.cache_for);
    let (known, unknown): (Vec<&str>, Vec<&str>) =
        asked.into_iter().partition(|url| kept.get(url).is_some());
    let fetched = fetch::all(&unknown, settings.timeout, progress);
    let outcomes = match fetched {
        Ok(outcomes) => outcomes,
        Err(why) => {
            let d = Diagnostic::new("site.yaml", format!("cannot check external links: {why}"))
                .help("check that this machine can make HTTPS requests");
            return Checked {
                warnings: Diagnostics(vec![d.warning(Kind::Other)]),
                summary: Summary::default(),
            };
        }
    };
    for (url, outcome) in unknown.iter().zip(outcomes) {
        kept.put(url, outcome);
    }
    kept.save();
    let mut warnings = Diagnostics::default();
    let mut dead = 0;
    // Each file is read once, however many dead addresses it has.
    let mut texts: HashMap<PathBuf, String> = HashMap::new();
    for (url, places) in &uses {
        if let Some(Outcome::Dead(why)) = kept.get(url) {
            dead += 1;
            for place in places {
                let text = texts.entry(place.path.clone()).or_insert_with(|| {
                    std::fs::read_to_string(config.root.join(&place.path)).unwrap_or_default()
                });
                warnings.push(dead_link(text, place, url, why));
            }
        }
    }
    Checked {
        warnings: warnings.sorted(),
        summary: Summary {
            checked: unknown.len(),
            cached: known.len(),
            skipped: skipped.len(),
            dead,
        },
    }
}

/// The warning for one use of a dead address, in a file whose text is `text`.
fn dead_link(text: &str, place: &Use, url: &str, why: &str) -> Diagnostic {
    Diagnostic::new(&place.path, format!("the address {url} {why}"))
        .at(text, place.line as usize, place.col as usize)
        .width(url.chars().count())
        .help("update the address or remove the link; if it is checked wrongly, add its start to `link_checker.skip_prefixes` in site.yaml")
        .warning(Kind::DeadLink)
}
