//! The one way a site's files are rendered, by `brief build` into a folder and by the
//! preview into memory. Each language's plan names the files that may differ from what the
//! sink holds (every file, or an edit's candidates); the sink keeps the others, and says
//! whether a candidate whose view did not change needs rendering at all.

use rayon::prelude::*;
use std::collections::HashSet;

use super::candidates::{Candidates, When};
use super::kinds::Job;
use super::{Body, Engine, Listed, OutFile, Renderer, context, links};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;

/// Where rendered files go: a folder (`output::Sink`), the preview's memory, or nowhere
/// (`brief check`).
pub trait Sink: Sync {
    /// Whether the sink is offered every file of the site on each render: a folder's files
    /// may have changed behind the build's back, so each one outside the candidates is
    /// asked about (`keep`), and the site-wide checks run every time.
    fn sees_every_file(&self) -> bool;

    /// Keeps the file the sink has at `path`, which the plan says did not change. False
    /// when it has none (or not as it was left): the file is then rendered.
    fn keep(&self, path: &str) -> bool;

    /// Whether views are fingerprinted, so that a candidate whose view did not change is
    /// not rendered again (see `holds`).
    fn compares_views(&self) -> bool {
        false
    }

    /// Whether the sink has the file at `path` made from a view with this print.
    fn holds(&self, _path: &str, _print: u64) -> bool {
        false
    }

    /// Takes a rendered file, with its view's print when views are compared.
    fn put(&self, file: OutFile, print: Option<u64>) -> Result<(), Diagnostic>;

    /// Learns every file the site has, before any is rendered, when every one is listed.
    fn listed(&self, _paths: &HashSet<&str>) {}
}

/// Renders nothing anywhere: `brief check` renders every file to find its problems.
pub struct Nowhere;

impl Sink for Nowhere {
    fn sees_every_file(&self) -> bool {
        true
    }

    fn keep(&self, _path: &str) -> bool {
        false
    }

    fn put(&self, _file: OutFile, _print: Option<u64>) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// Which files of one language to render.
pub struct Plan {
    /// The files that may differ from what the sink has.
    pub candidates: Candidates,
    /// Which of them render now (the preview renders some after the reload); `None`: all.
    pub when: Option<When>,
}

impl Plan {
    /// Every file of the language.
    pub fn everything() -> Plan {
        Plan {
            candidates: Candidates::everything(),
            when: None,
        }
    }

    /// No file of the language: another language's edit changed nothing it shows.
    pub fn nothing() -> Plan {
        Plan {
            candidates: Candidates::default(),
            when: None,
        }
    }

    /// Whether the file `job` makes is rendered by this plan.
    fn wants(&self, site: &Site, job: &Job<'_>) -> bool {
        (self.candidates.when(site, job)).is_some_and(|w| self.when.is_none_or(|now| now == w))
    }

    /// Whether the set of files or the links between them may have changed: the site-wide
    /// checks run, and every file is listed to find those no longer made.
    fn checks(&self) -> bool {
        self.candidates.structure && self.when != Some(When::Later)
    }

    /// Whether the theme's files are offered too.
    fn statics(&self) -> bool {
        self.candidates.is_everything() && self.when != Some(When::Later)
    }
}

/// What a render found.
pub struct Rendered {
    /// How many files the site has, when every one was listed (see
    /// `Sink::sees_every_file` and `Plan::checks`); a file at the site's root that several
    /// languages make counts once.
    pub files: usize,
}

/// Renders the site in each of its languages (`engines[i]` for `sites[i]` with
/// `plans[i]`, the main one first) into `sink`. A file at the site's root that several
/// languages make (a picture under `static/`, the highlighting stylesheet) is the first
/// language's. Every language's problems are reported together.
pub fn render(
    engines: &[Engine],
    sites: &[Site],
    plans: &[Plan],
    sink: &dyn Sink,
) -> Result<Rendered, Diagnostics> {
    let every = sink.sees_every_file() || plans.iter().any(Plan::checks);
    let listed: Vec<Listed<'_>> = (sites.iter().zip(plans))
        .map(|(site, plan)| match every {
            true => super::jobs(site),
            false => super::jobs_where(site, |job| plan.wants(site, job)),
        })
        .collect();
    // Every path listed, each once: the first language to list it makes it.
    let mut paths: HashSet<&str> = HashSet::new();
    let mut firsts = Vec::new();
    for ((jobs, site), engine) in listed.iter().zip(sites).zip(engines) {
        let first: Vec<bool> = jobs
            .iter()
            .map(|(p, _)| !every || paths.insert(p))
            .collect();
        let statics = (engine.theme.statics.keys()).filter(|_| site.config.home.is_empty());
        let statics: Vec<&str> = statics
            .filter(|p| !every || paths.insert(p))
            .map(String::as_str)
            .collect();
        firsts.push((first, statics));
    }
    if every {
        sink.listed(&paths);
    }
    let mut diags = Diagnostics::default();
    let languages = engines.iter().zip(sites).zip(plans).zip(&listed);
    for ((((engine, site), plan), jobs), (first, statics)) in languages.zip(&firsts) {
        let language = Language {
            engine,
            site,
            plan,
            sink,
        };
        if let Err(d) = language.render(jobs, first, statics) {
            diags.extend(d);
        }
    }
    let files = paths.len();
    diags.sorted().into_result(Rendered { files })
}

/// One language's render.
struct Language<'a> {
    engine: &'a Engine,
    site: &'a Site,
    plan: &'a Plan,
    sink: &'a dyn Sink,
}

impl Language<'_> {
    /// Renders `jobs` (those `first` marks: the others are another language's) and the
    /// theme's files `statics`.
    fn render(
        &self,
        jobs: &Listed<'_>,
        first: &[bool],
        statics: &[&str],
    ) -> Result<(), Diagnostics> {
        let timings = std::time::Instant::now();
        let (site, theme) = (self.site, &self.engine.theme);
        let renderer = self.engine.renderer(site, self.sink.compares_views());
        let mut diags = Diagnostics::default();
        if self.plan.checks() || self.sink.sees_every_file() {
            super::check_unique_paths(site, jobs, theme, &mut diags);
            links::check(site, jobs, theme, &mut diags);
        }
        let checked = timings.elapsed();
        let errors: Vec<Diagnostic> = (jobs.par_iter().zip(first))
            .filter(|(_, first)| **first)
            .filter_map(|((path, job), _)| self.file(&renderer, path, job).err())
            .collect();
        diags.0.extend(errors);
        for path in statics {
            if let Some(origin) = theme.statics.get(*path)
                && let Err(d) = self.static_file(path, origin)
            {
                diags.push(d);
            }
        }
        crate::report::timing!(
            "  render: checks {checked:.0?}, pages {:.0?}",
            timings.elapsed() - checked
        );
        diags.sorted().into_result(())
    }

    /// Renders the file `job` makes at `path` into the sink, unless the sink keeps it.
    fn file(&self, renderer: &Renderer<'_>, path: &str, job: &Job<'_>) -> Result<(), Diagnostic> {
        if !self.plan.wants(self.site, job) && self.sink.keep(path) {
            return Ok(());
        }
        let prepared = renderer.prepare(path, job)?;
        let print = renderer.global.map(|_| prepared.fingerprint());
        if print.is_some_and(|print| self.sink.holds(path, print)) {
            return Ok(());
        }
        let body = renderer.finish(path, prepared)?;
        let file = OutFile {
            path: path.to_string(),
            body,
        };
        self.sink.put(file, print)
    }

    /// Offers one of the theme's files, when the plan or the sink asks for them.
    fn static_file(&self, path: &str, origin: &super::theme::Origin) -> Result<(), Diagnostic> {
        if !(self.plan.statics() || self.sink.sees_every_file()) {
            return Ok(());
        }
        let print = self
            .sink
            .compares_views()
            .then(|| context::of_static(origin));
        if print.is_some_and(|print| self.sink.holds(path, print)) {
            return Ok(());
        }
        let file = OutFile {
            path: path.to_string(),
            body: Body::Static(origin.clone()),
        };
        self.sink.put(file, print)
    }
}
