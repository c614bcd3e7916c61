//! What the preview serves from: the workspace of a site in one language, which patches its
//! model in place, or the preview of a site in several, which models every language again
//! and renders only the files an edit may have changed.

use std::collections::HashSet;
use std::path::Path;

use super::languages::Multilingual;
use super::workspace::{Changes, Update, Workspace};
use crate::config::Config;
use crate::content::Publish;
use crate::diag::Diagnostics;

pub enum Preview {
    One(Box<Workspace>),
    Many(Box<Multilingual>),
}

impl Preview {
    /// Loads and renders the site at `root`, served at `base_url`.
    pub fn open(
        root: &Path,
        publish: Publish,
        base_url: &str,
    ) -> Result<(Preview, Update), Diagnostics> {
        if Config::load(root)?.is_multilingual() {
            let (m, update) = Multilingual::open(root, publish, base_url)?;
            return Ok((Preview::Many(Box::new(m)), update));
        }
        let (ws, update) = Workspace::open(root, publish, base_url)?;
        Ok((Preview::One(Box::new(ws)), update))
    }

    /// Applies `changes`; on error the last good site stays served.
    pub fn rebuild(
        &mut self,
        changes: &Changes,
        root: &Path,
        publish: Publish,
        base_url: &str,
    ) -> Result<Update, Diagnostics> {
        match self {
            // site.yaml may have gained or lost languages: start again.
            _ if changes.everything => {
                let publish = Publish {
                    now: jiff::Timestamp::now().max(publish.now),
                    ..publish
                };
                let before: HashSet<String> = self.paths();
                let (fresh, mut update) = Preview::open(root, publish, base_url)?;
                let after = fresh.paths();
                update.removed = before.difference(&after).cloned().collect();
                *self = fresh;
                Ok(update)
            }
            Preview::One(ws) => ws.rebuild(changes),
            Preview::Many(m) => m.rebuild(changes, base_url),
        }
    }

    /// Renders what a rebuild left for after the reload.
    pub fn catch_up(&mut self) -> Result<Update, Diagnostics> {
        match self {
            Preview::One(ws) => ws.catch_up(),
            Preview::Many(_) => Ok(Update::default()),
        }
    }

    pub fn warnings(&self) -> Diagnostics {
        match self {
            Preview::One(ws) => ws.warnings(),
            Preview::Many(m) => m.warnings(),
        }
    }

    /// What search indexes of the site as it is served.
    pub fn corpora(&self) -> Vec<crate::search::Corpus> {
        match self {
            Preview::One(ws) => ws.corpora(),
            Preview::Many(m) => m.corpora(),
        }
    }

    fn paths(&self) -> HashSet<String> {
        match self {
            Preview::One(ws) => ws.paths().cloned().collect(),
            Preview::Many(m) => m.paths().cloned().collect(),
        }
    }
}
