//! The preview of a site in more than one language. A page of one language links to its
//! translations and to the other languages' lists, so an edit anywhere may change pages of
//! every language: each change builds the whole site again, in memory, and serves the files
//! whose bytes differ.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::workspace::{Bytes, Update, served};
use crate::config::Config;
use crate::content::Publish;
use crate::diag::Diagnostics;
use crate::model::Site;
use crate::render::OutFile;

pub struct Multilingual {
    root: PathBuf,
    publish: Publish,
    base_url: String,
    /// The models of the last good build, one per language.
    sites: Vec<Site>,
    /// Every served file's bytes, to tell which ones a rebuild changed.
    files: HashMap<String, Bytes>,
    /// What search indexes of the last good build.
    corpora: Vec<crate::search::Corpus>,
}

impl Multilingual {
    /// Builds every language of the site at `root`, with `base_url` for the preview.
    pub fn open(
        root: &Path,
        publish: Publish,
        base_url: &str,
    ) -> Result<(Multilingual, Update), Diagnostics> {
        let mut preview = Multilingual {
            root: root.to_path_buf(),
            publish,
            base_url: base_url.to_string(),
            sites: Vec::new(),
            files: HashMap::new(),
            corpora: Vec::new(),
        };
        let update = preview.rebuild()?;
        Ok((preview, update))
    }

    /// Builds the site again; on error, the last good one stays served.
    pub fn rebuild(&mut self) -> Result<Update, Diagnostics> {
        // Every rebuild reads the clock again: briefings whose time came are published.
        let publish = Publish {
            now: jiff::Timestamp::now().max(self.publish.now),
            ..self.publish
        };
        let config = Config::load_for(&self.root, Some(&self.base_url))?;
        let assembled = crate::assemble(&self.root, &config, publish)?;
        let rendered = Mutex::new(Vec::new());
        crate::render::render_languages(
            &assembled.engines,
            &assembled.sites,
            Vec::new(),
            &|f: OutFile| {
                rendered
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(f);
                Ok(())
            },
        )?;
        let files = rendered
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let files: HashMap<String, Bytes> = served(files)?.into_iter().collect();
        let removed = (self.files.keys())
            .filter(|p| !files.contains_key(*p))
            .cloned()
            .collect();
        let changed = (files.iter())
            .filter(|(p, bytes)| self.files.get(*p) != Some(*bytes))
            .map(|(p, bytes)| (p.clone(), bytes.clone()))
            .collect();
        self.files = files;
        self.corpora = crate::search::corpora(&assembled.sites, &assembled.engines);
        self.sites = assembled.sites;
        self.publish = publish;
        Ok(Update { changed, removed })
    }

    /// The warnings of the site as it is served.
    pub fn warnings(&self) -> Diagnostics {
        crate::model::warnings_of(&self.sites)
    }

    /// What search indexes of the site as it is served.
    pub fn corpora(&self) -> Vec<crate::search::Corpus> {
        self.corpora.clone()
    }

    /// Every file served.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.files.keys()
    }
}
