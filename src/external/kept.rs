//! What earlier runs learnt of each address, in `.brief-cache/external.json`, trusted for
//! `link_checker.cache_hours`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::Outcome;

const FILE: &str = "external.json";
/// Changes when the file's meaning does: an older file is then ignored.
const FORMAT: u32 = 1;

#[derive(serde::Serialize, serde::Deserialize)]
struct File {
    format: u32,
    /// Address -> when it was asked (seconds since 1970) and what it answered.
    results: HashMap<String, (u64, Outcome)>,
}

pub struct Kept {
    path: PathBuf,
    results: HashMap<String, (u64, Outcome)>,
    now: u64,
    max_age: u64,
}

impl Kept {
    /// Reads what earlier runs kept under `root`, forgetting results older than `max_age`.
    pub fn open(root: &Path, max_age: Duration) -> Kept {
        let path = root.join(crate::config::CACHE_DIR).join(FILE);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let max_age = max_age.as_secs();
        let file = std::fs::read(&path).ok();
        let file: Option<File> = file.and_then(|bytes| serde_json::from_slice(&bytes).ok());
        let mut results = file
            .filter(|f| f.format == FORMAT)
            .map(|f| f.results)
            .unwrap_or_default();
        results.retain(|_, (at, _)| now.saturating_sub(*at) < max_age && *at <= now);
        Kept {
            path,
            results,
            now,
            max_age,
        }
    }

    pub fn get(&self, url: &str) -> Option<&Outcome> {
        self.results.get(url).map(|(_, outcome)| outcome)
    }

    pub fn put(&mut self, url: &str, outcome: Outcome) {
        self.results.insert(url.to_string(), (self.now, outcome));
    }

    /// Writes the results back; a cache that cannot be written is only slower next time.
    pub fn save(&self) {
        if self.max_age == 0 {
            return;
        }
        let file = File {
            format: FORMAT,
            results: self.results.clone(),
        };
        let Ok(bytes) = serde_json::to_vec(&file) else {
            return;
        };
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let temporary = self.path.with_extension("json.new");
        if std::fs::write(&temporary, bytes).is_ok() {
            let _ = std::fs::rename(&temporary, &self.path);
        }
    }
}
