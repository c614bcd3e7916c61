//! brief: a static site generator for annotated news briefings.
//!
//! The pipeline runs one way: `content` (load files) -> `model` (the frozen site with its
//! indexes) -> `render` (pages through Tera) -> `output` (an atomic write of the folder).

pub mod cache;
pub mod config;
pub mod content;
pub mod deploy;
pub mod diag;
pub mod external;
pub mod markdown;
pub mod model;
pub mod output;
pub mod picture;
pub mod render;
pub mod report;
pub mod reuse;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod text;
pub mod yaml;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use config::Config;
use diag::Diagnostics;

/// How to build: from the command line or a test.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's root folder (holds site.yaml).
    pub root: PathBuf,
    /// Where to write; `<root>/public` when `None`.
    pub output: Option<PathBuf>,
    /// `--drafts`: publish drafts, labelled.
    pub drafts: bool,
    /// `--future`: publish briefings dated after now, labelled.
    pub future: bool,
    /// `--strict`: warnings fail the build.
    pub strict: bool,
    pub base_url: Option<String>,
    /// `false` for `brief check`: validate and render, write nothing.
    pub write: bool,
    /// `--clean`: write every file, as into an empty folder.
    pub clean: bool,
    /// `--changes FILE`: where to list the paths written and removed.
    pub changes: Option<PathBuf>,
    /// `--no-cache`: neither use nor keep the build cache.
    pub no_cache: bool,
    /// `--external`: check every web address the site uses (see `external`).
    pub external: bool,
}

impl BuildOptions {
    /// What this build publishes, by the clock now.
    pub fn publish(&self) -> content::Publish {
        content::Publish::now(self.drafts, self.future)
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did, for the summary line.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub briefings: usize,
    /// Briefings dated after the build's clock and left out, soonest first.
    pub scheduled: Vec<(PathBuf, content::Date)>,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,

    pub topics: usize,
    pub entities: usize,
    pub files: usize,
    /// What was written, left as it was, and removed.
    pub written: output::Written,
    /// Picture copies made by this build (the others came from the cache).
    pub pictures_resized: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
}

/// Loads site.yaml from the root and builds the site.
pub fn build_site(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let config = Config::load_for(&options.root, options.base_url.as_deref())?;
    build(config, options)
}

/// A site loaded and modelled, ready to render: per language, its engine and its model
/// (the main language first).
pub struct Assembled {
    pub engines: Vec<render::Engine>,
    pub sites: Vec<model::Site>,
    /// Briefings dated after the build's clock and left out, soonest first.
    pub scheduled: Vec<(PathBuf, content::Date)>,
    /// How long reading the theme and the content took.
    pub loaded: Duration,
}

/// Reads the theme and every content file, and models the site in each of its languages.
/// Reports every problem of every stage it reached.
pub fn assemble(
    root: &std::path::Path,
    config: &Config,
    publish: content::Publish,
) -> Result<Assembled, Diagnostics> {
    assemble_with(root, config, publish, None)
}

/// `assemble`, reading content through the build cache when there is one.
pub fn assemble_with(
    root: &std::path::Path,
    config: &Config,
    publish: content::Publish,
    cache: Option<&content::cached::Cached>,
) -> Result<Assembled, Diagnostics> {
    let start = Instant::now();
    let configs = config.per_language();
    let (engines, content) = rayon::join(
        || render::Engine::load_languages(root, &configs),
        || content::load_with(root, config, publish, cache),
    );
    let (engines, content) = match (engines, content) {
        (Ok(e), Ok(c)) => (e, c),
        (e, c) => {
            let mut diags = Diagnostics::default();
            for r in [e.err(), c.err()].into_iter().flatten() {
                diags.extend(r);
            }
            return Err(diags.sorted());
        }
    };
    let loaded = start.elapsed();
    let scheduled = content.scheduled();
    let kept = cache.map(|c| reuse::RelatedLists(c.store().clone()));
    let kept = kept.as_ref().map(|k| k as &dyn model::related::KeptRelated);
    let sites =
        model::build_languages_keeping(config, content, kept).map_err(Diagnostics::sorted)?;
    Ok(Assembled {
        engines,
        sites,
        scheduled,
        loaded,
    })
}

/// What the previous build into `output` left that this one can reuse: each language's
/// shape, and the files of it an edit may have changed.
struct Reusing {
    reuse: reuse::Reuse,
    shapes: Vec<render::candidates::Shape>,
    candidates: Vec<Option<render::candidates::Candidates>>,
    indexed: bool,
}

fn compare_with_previous(
    config: &Config,
    options: &BuildOptions,
    store: cache::Store,
    engines: &[render::Engine],
    sites: &[model::Site],
    output: &std::path::Path,
) -> Reusing {
    // The benchmark measures the build with and without the index in one run.
    let indexed = config.search;
    let settings = reuse::Settings {
        config,
        engines,
        drafts: options.drafts,
        future: options.future,
        indexed,
    };
    let mut reuse = reuse::Reuse::open(store, output, &settings, !options.clean);
    let (shapes, candidates) = reuse.compare(sites, engines);
    Reusing {
        reuse,
        shapes,
        candidates,
        indexed,
    }
}

/// Renders the site into `output`: only the files an edit may have changed, when the
/// previous build into it left its shapes in the cache (see `reuse`), and of those only
/// the ones whose bytes differ are written. The search index reuses what the build cache
/// `store` kept of it, when there is one.
fn write_site(
    reusing: Reusing,
    clean: bool,
    store: Option<&cache::Store>,
    assembled: (&[render::Engine], &[model::Site]),
    output: &std::path::Path,
) -> Result<output::Written, Diagnostics> {
    let Reusing {
        reuse,
        shapes,
        candidates,
        indexed,
    } = reusing;
    let (engines, sites) = assembled;
    let marker = output::marker_print(output).filter(|_| !clean);
    let index = SearchIndex::new(indexed, store.map(|s| (s, marker)), sites, engines);
    let locks =
        (sites.first()).map_or_else(|| ".".into(), |s| s.config.root.join(config::CACHE_DIR));
    let written = output::write_with(output, clean, &locks, |sink| {
        fill(sink, engines, sites, candidates, &index)
    })?;
    reuse.save(&shapes, written.marker);
    let mut kept = (index.kept.into_inner()).unwrap_or_else(std::sync::PoisonError::into_inner);
    for kept in &mut kept {
        kept.commit(Some(written.marker));
    }
    Ok(written)
}

/// The search index of a build: each language's corpus with what was kept of its index
/// (with the marker of the output folder the build goes into).
struct SearchIndex {
    corpora: Vec<search::Corpus>,
    kept: std::sync::Mutex<Vec<search::KeptIndex>>,
}

impl SearchIndex {
    fn new(
        indexed: bool,
        cache: Option<(&cache::Store, Option<u64>)>,
        sites: &[model::Site],
        engines: &[render::Engine],
    ) -> SearchIndex {
        let corpora = match indexed {
            true => search::corpora(sites, engines),
            false => Vec::new(),
        };
        let kept = (corpora.iter())
            .map(|c| match cache {
                Some((store, marker)) => search::KeptIndex::open(store, &c.dir, marker),
                None => search::KeptIndex::in_memory(),
            })
            .collect();
        SearchIndex {
            corpora,
            kept: std::sync::Mutex::new(kept),
        }
    }

    /// Writes the index into `sink`; returns how many files it has.
    fn write(&self, sink: &output::Sink) -> Result<usize, Diagnostics> {
        let out = SinkOut {
            sink,
            files: Default::default(),
        };
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        search::write_all(&self.corpora, &mut kept, &out)?;
        Ok(out.files.into_inner())
    }
}

/// The output folder as the search index is written into it, counting its files.
struct SinkOut<'a> {
    sink: &'a output::Sink,
    files: std::sync::atomic::AtomicUsize,
}

impl search::Out for SinkOut<'_> {
    fn put(&self, file: search::IndexFile) -> Result<(), diag::Diagnostic> {
        self.files
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.sink.put(&render::OutFile {
            path: file.path,
            body: render::Body::Bytes(file.bytes),
        })
    }

    fn keep(&self, path: &str) -> bool {
        let kept = self.sink.keep(path);
        if kept {
            self.files
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        kept
    }
}

/// Renders into `sink` each language's candidates (`None`: every file), keeping the other
/// files as they are, and makes the search index alongside, unless no briefing page
/// changed and the previous index is kept. Returns how many files the site has.
fn fill(
    sink: &output::Sink,
    engines: &[render::Engine],
    sites: &[model::Site],
    candidates: Vec<Option<render::candidates::Candidates>>,
    index: &SearchIndex,
) -> Result<usize, Diagnostics> {
    use render::candidates::Candidates;
    let pages_changed =
        (candidates.iter()).any(|c| c.as_ref().is_none_or(Candidates::briefing_pages));
    let dirs: Vec<&str> = index.corpora.iter().map(|c| c.dir.as_str()).collect();
    let kept_index = match pages_changed || dirs.is_empty() {
        true => None,
        false => dirs
            .iter()
            .map(|d| sink.intact_under(d))
            .collect::<Option<Vec<Vec<String>>>>(),
    };
    let plans: Vec<render::drive::Plan> = (candidates.into_iter())
        .map(|candidates| render::drive::Plan {
            candidates: candidates.unwrap_or_else(Candidates::everything),
            when: None,
        })
        .collect();
    let (pages, index_files) = rayon::join(
        || render::drive::render(engines, sites, &plans, sink).map(|r| r.files),
        || match &kept_index {
            Some(paths) => Ok(paths.iter().flatten().filter(|p| sink.keep(p)).count()),
            None => index.write(sink),
        },
    );
    Ok(pages? + index_files?)
}

/// Runs the whole pipeline. Every stage reports all its problems; nothing is written unless
/// every stage succeeded.
pub fn build(config: Config, options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let output = options.output_dir();
    if options.write {
        output::check_replaceable(&output)?;
    }
    // `brief check` writes nothing, the cache included.
    let store = cache::Store::open(&options.root, options.write && !options.no_cache);
    let cached = content::cached::Cached::open(store.clone(), &config);
    let Assembled {
        engines,
        sites,
        scheduled,
        loaded,
    } = assemble_with(&options.root, &config, options.publish(), cached.as_ref())?;
    // Both only read the model: the warnings are worked out while the site is compared
    // with the previous build's.
    let ((mut warnings, checked), reusing) = rayon::join(
        || {
            let checked = (options.external).then(|| external::check(&sites, &config, true));
            (model::warnings_of(&sites), checked)
        },
        || {
            let compare =
                || compare_with_previous(&config, options, store, &engines, &sites, &output);
            options.write.then(compare)
        },
    );
    if let Some(checked) = checked {
        warnings.extend(checked.warnings);
        crate::report::to_stderr(format_args!("{}", checked.summary));
    }
    if options.strict && !warnings.is_empty() {
        return Err(warnings.into_errors());
    }
    let modelled = start.elapsed();
    let written: output::Written = if let Some(reusing) = reusing {
        let store = cached.as_ref().map(content::cached::Cached::store);
        let assembled = (engines.as_slice(), sites.as_slice());
        let written = write_site(reusing, options.clean, store, assembled, &output)?;
        if let Some(cached) = &cached {
            cached.prune();
        }
        written
    } else {
        let everything: Vec<render::drive::Plan> = sites
            .iter()
            .map(|_| render::drive::Plan::everything())
            .collect();
        output::Written {
            files: render::drive::render(&engines, &sites, &everything, &render::drive::Nowhere)?
                .files,
            ..Default::default()
        }
    };
    if let Some(path) = &options.changes {
        std::fs::write(path, output::changes_text(&written)).map_err(|e| {
            diag::Diagnostic::new(path, format!("cannot write the list of changes: {e}"))
                .help("check that the folder exists and is writable")
        })?;
    }
    crate::report::timing!(
        "timings: load {loaded:.2?}, model {:.2?}, render and write {:.2?}",
        modelled - loaded,
        start.elapsed() - modelled
    );
    let main = &sites[0];
    let report = BuildReport {
        briefings: sites.iter().map(|s| s.briefings.len()).sum(),
        scheduled,
        warnings,
        topics: main.topics.len(),
        entities: main.kinds.iter().map(|k| k.taxa.len()).sum(),
        files: written.files,
        written,
        pictures_resized: engines.iter().map(render::Engine::pictures_resized).sum(),
        elapsed: start.elapsed(),
        output,
    };
    // Freeing a large site's model takes a while; the summary need not wait for it.
    std::thread::spawn(move || drop((sites, engines)));
    Ok(report)
}
