//! The one way a site's files are rendered, by `brief build` into a folder and by the
//! preview into memory. Each language's plan names the files that may differ from what the
//! sink holds (every file, or an edit's candidates); the sink keeps the others, and says
//! whether a candidate whose view did not change needs rendering at all.

use std::collections::HashSet;
use std::sync::Mutex;

use rayon::prelude::*;

use super::candidates::{Candidates, When};
use super::kinds::Job;
use super::{Body, Engine, OutFile, Renderer, context, links};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::text::lock;

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

/// What a render listed.
pub struct Rendered {
    /// Every file the site has, when every one was listed (see `Sink::sees_every_file` and
    /// `Plan::checks`); a file at the site's root that several languages make is one.
    pub every: Option<HashSet<String>>,
}

impl Rendered {
    /// How many files the site has, when every one was listed.
    pub fn files(&self) -> usize {
        self.every.as_ref().map_or(0, HashSet::len)
    }
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
    let listed = every.then(|| Mutex::new(HashSet::new()));
    let mut diags = Diagnostics::default();
    for ((engine, site), plan) in engines.iter().zip(sites).zip(plans) {
        let language = Language {
            engine,
            site,
            plan,
            sink,
            listed: listed.as_ref(),
        };
        if let Err(d) = language.render() {
            diags.extend(d);
        }
    }
    let every = listed.map(|l| l.into_inner().unwrap_or_else(|e| e.into_inner()));
    diags.sorted().into_result(Rendered { every })
}

/// One language's render.
struct Language<'a> {
    engine: &'a Engine,
    site: &'a Site,
    plan: &'a Plan,
    sink: &'a dyn Sink,
    /// Every path listed so far, when every file is.
    listed: Option<&'a Mutex<HashSet<String>>>,
}

impl Language<'_> {
    fn render(&self) -> Result<(), Diagnostics> {
        let timings = std::time::Instant::now();
        let (site, theme) = (self.site, &self.engine.theme);
        let renderer = self.engine.renderer(site, self.sink.compares_views());
        let jobs = match self.listed {
            Some(_) => super::jobs(site),
            None => super::jobs_where(site, |job| self.plan.wants(site, job)),
        };
        let prepared = timings.elapsed();
        let mut diags = Diagnostics::default();
        if self.plan.checks() || self.sink.sees_every_file() {
            super::check_unique_paths(site, &jobs, theme, &mut diags);
            links::check(site, &jobs, theme, &mut diags);
        }
        let errors: Vec<Diagnostic> = jobs
            .par_iter()
            .filter(|(path, _)| self.first(path))
            .filter_map(|(path, job)| self.file(&renderer, path, job).err())
            .collect();
        diags.0.extend(errors);
        // The theme's files are at the site's root, made by the main language.
        if site.config.home.is_empty() {
            for (path, origin) in &theme.statics {
                if let Err(d) = self.static_file(path, origin) {
                    diags.push(d);
                }
            }
        }
        crate::report::timing!(
            "  render: views {prepared:.0?}, pages {:.0?}",
            timings.elapsed() - prepared
        );
        diags.sorted().into_result(())
    }

    /// Whether `path` is listed for the first time (always, when files are not listed).
    fn first(&self, path: &str) -> bool {
        self.listed
            .is_none_or(|listed| lock(listed).insert(path.to_string()))
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
        let offered = self.plan.statics() || self.sink.sees_every_file();
        if !self.first(path) || !offered {
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
