//! The files of one index as they are delivered, each with a print: a hash of what it is
//! made from. A file whose print is the one it had when last delivered, and which is still
//! there as it was, is not made again (see `KeptIndex`).

use crate::text::lock;
use std::sync::Mutex;

use rayon::prelude::*;

use super::{IndexFile, Made, Out, RESULTS_PER_CHUNK, Source, doc, encode, writer};
use crate::diag::{Diagnostic, Diagnostics};
use crate::text::{FastMap, hash_of};

/// A file of result data to make: its number, its briefings, and the result data of
/// those indexed now.
struct ResultsFile<'a> {
    n: usize,
    sources: &'a [Source],
    made: &'a mut [Option<String>],
}

pub struct Files<'a> {
    dir: &'a str,
    previous: &'a FastMap<String, u64>,
    out: &'a dyn Out,
    printed: Mutex<Vec<(String, u64)>>,
}

impl<'a> Files<'a> {
    /// The files of the index in the folder `dir`, with the prints they had when last
    /// delivered to `out`.
    pub fn new(dir: &'a str, previous: &'a FastMap<String, u64>, out: &'a dyn Out) -> Self {
        Files {
            dir,
            previous,
            out,
            printed: Mutex::default(),
        }
    }

    /// Whether the file `name` would be made as it was last time and is kept as it is.
    fn kept(&self, name: &str, print: u64) -> bool {
        lock(&self.printed).push((name.to_string(), print));
        self.previous.get(name) == Some(&print) && self.out.keep(&format!("{}{name}", self.dir))
    }

    fn put(&self, name: &str, raw: &[u8]) -> Result<(), Diagnostic> {
        let bytes = match name {
            "meta.json" => raw.to_vec(),
            _ => encode::gzip(raw),
        };
        self.out.put(IndexFile {
            path: format!("{}{name}", self.dir),
            bytes,
        })
    }

    /// The files of result data of `batch`, numbered from `first`. A file's print is made
    /// from the keys of its briefings, so an unchanged one is known without making it.
    pub fn results(
        &self,
        batch: &[Source],
        first: usize,
        mut results: Vec<Option<String>>,
    ) -> Result<(), Diagnostics> {
        let stale: Vec<ResultsFile> = (batch.chunks(RESULTS_PER_CHUNK))
            .zip(results.chunks_mut(RESULTS_PER_CHUNK))
            .enumerate()
            .map(|(c, (sources, made))| ResultsFile {
                n: first / RESULTS_PER_CHUNK + c,
                sources,
                made,
            })
            .filter(|f| {
                let keys: Vec<u64> = f.sources.iter().map(|s| s.key).collect();
                !self.kept(&format!("r/{}.bin", f.n), hash_of(keys))
            })
            .collect();
        let problems: Vec<Diagnostic> = (stale.into_par_iter())
            .filter_map(|f| self.result_file(f).err())
            .collect();
        Diagnostics(problems).into_result(())
    }

    fn result_file(&self, file: ResultsFile) -> Result<(), Diagnostic> {
        let ResultsFile { n, sources, made } = file;
        for (source, result) in sources.iter().zip(made.iter_mut()) {
            if result.is_none() {
                *result = Some(doc::result(source)?);
            }
        }
        let texts: Vec<&str> = made.iter().flatten().map(String::as_str).collect();
        let file = writer::results(n, &texts);
        self.put(&file.name, &file.raw)
    }

    /// The files `Writer::finish` made, those that changed gzipped in parallel.
    pub fn made(&self, files: Vec<Made>) -> Result<(), Diagnostics> {
        let problems: Vec<Diagnostic> = (files.into_par_iter())
            .filter(|f| !self.kept(&f.name, quick_hash(&f.raw)))
            .filter_map(|f| self.put(&f.name, &f.raw).err())
            .collect();
        Diagnostics(problems).into_result(())
    }

    /// The meta file, whose version changes whenever any other file does; returns the
    /// print of every file.
    pub fn meta(
        &self,
        docs: usize,
        chunks: Vec<String>,
        filters: Vec<serde_json::Value>,
    ) -> Result<FastMap<String, u64>, Diagnostic> {
        let mut printed = std::mem::take(&mut *lock(&self.printed));
        printed.sort_unstable();
        let meta = serde_json::json!({
            "format": 1,
            "version": format!("{:016x}", hash_of(&printed)),
            "docs": docs,
            "per_results": RESULTS_PER_CHUNK,
            "per_facets": writer::FACETS_PER_CHUNK,
            "chunks": chunks,
            "filters": filters,
        });
        self.put("meta.json", encode::json(&meta).as_bytes())?;
        Ok(printed.into_iter().collect())
    }
}

/// A hash of a file's bytes, for its print: quick, as an index has megabytes of them.
fn quick_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.finish()
}
