//! The index of one language, made as its briefings come in date order (oldest first, so
//! document numbers are in date order and "newest first" is exact). Postings are kept
//! encoded as they grow, a few bytes a word: nothing holds the site's text. At the end the
//! dictionary is written in chunks, with the postings of rare words inline and those of
//! common ones in files of their own, which a query fetches only for its words.

use super::doc::Indexed;
use super::encode::{self, Gaps};
use super::{IndexFile, RESULTS_PER_CHUNK};
use crate::text::FastMap;

/// Postings up to this many bytes live inline in the dictionary.
const INLINE: usize = 256;
/// A dictionary chunk ends once it holds this many bytes (before gzip).
const CHUNK_BYTES: usize = 16 * 1024;
/// Filter values a search page offers per filter: the most frequent.
const MOST_VALUES: usize = 255;
/// Documents per file of filter values.
pub const FACETS_PER_CHUNK: usize = 256;

/// A stem's postings so far.
#[derive(Default)]
struct Postings {
    stem: Box<str>,
    gaps: Gaps,
    weights: Vec<u8>,
}

/// One filter's values so far: each value's documents, by the order first seen.
#[derive(Default)]
struct Filter {
    key: String,
    numbers: FastMap<String, u32>,
    values: Vec<(String, Gaps)>,
}

/// The index of one language, as it is being made.
pub struct Writer {
    /// Where its files go, from the site's root (`uk/search/index/`).
    dir: String,
    stems: Vec<Postings>,
    stem_at: FastMap<Box<str>, u32>,
    forms: FastMap<Box<str>, u32>,
    filters: Vec<Filter>,
    /// Each document's filter values (numbers of `filters`), per filter.
    facets: Vec<Vec<Vec<u32>>>,
    /// The files written so far with a hash of each, for the meta file's version.
    printed: Vec<(String, u64)>,
}

impl Writer {
    pub fn new(dir: String, filter_keys: &[String]) -> Writer {
        Writer {
            dir,
            stems: Vec::new(),
            stem_at: FastMap::default(),
            forms: FastMap::default(),
            filters: (filter_keys.iter())
                .map(|k| Filter {
                    key: k.clone(),
                    ..Filter::default()
                })
                .collect(),
            facets: Vec::new(),
            printed: Vec::new(),
        }
    }

    /// A file of this index, gzipped unless it is the meta file.
    pub fn file(&mut self, name: String, bytes: Vec<u8>) -> IndexFile {
        let bytes = match name.as_str() {
            "meta.json" => bytes,
            _ => encode::gzip(&bytes),
        };
        self.record(name, bytes)
    }

    /// A file of this index made elsewhere (gzipped), such as `results`.
    pub fn record(&mut self, name: String, bytes: Vec<u8>) -> IndexFile {
        self.printed.push((name.clone(), quick_hash(&bytes)));
        IndexFile {
            path: format!("{}{name}", self.dir),
            bytes,
        }
    }

    /// Adds document `id`, numbered after every one added before.
    pub fn add(&mut self, id: u32, doc: &Indexed, facets: &[Vec<String>]) {
        let mut numbers = Vec::with_capacity(doc.stems.len());
        for (stem, weight) in &doc.stems {
            let at = match self.stem_at.get(stem) {
                Some(&at) => at,
                None => {
                    let at = self.stems.len() as u32;
                    self.stem_at.insert(stem.clone(), at);
                    self.stems.push(Postings {
                        stem: stem.clone(),
                        ..Postings::default()
                    });
                    at
                }
            };
            let p = &mut self.stems[at as usize];
            p.gaps.push(id);
            p.weights.push(*weight);
            numbers.push(at);
        }
        for (form, stem) in &doc.forms {
            if !self.forms.contains_key(form) {
                self.forms.insert(form.clone(), numbers[*stem as usize]);
            }
        }
        let mine = (self.filters.iter_mut().zip(facets))
            .map(|(filter, values)| values.iter().map(|v| filter.add(v, id)).collect())
            .collect();
        self.facets.push(mine);
    }

    /// The dictionary, the postings too large to be inline, the filters and the meta file.
    pub fn finish(mut self, docs: usize) -> Vec<IndexFile> {
        let mut files = Vec::new();
        let chunks = self.dictionary(&mut files);
        let filters = self.filter_files(&mut files);
        let version = crate::text::hash_of(&self.printed);
        let meta = serde_json::json!({
            "format": 1,
            "version": format!("{version:016x}"),
            "docs": docs,
            "per_results": RESULTS_PER_CHUNK,
            "per_facets": FACETS_PER_CHUNK,
            "chunks": chunks,
            "filters": filters,
        });
        files.push(self.file("meta.json".into(), encode::json(&meta).into_bytes()));
        files
    }

    /// Writes the dictionary's chunks into `files`; returns the first form of each chunk
    /// but the first, by which the browser finds the chunk of a word.
    fn dictionary(&mut self, files: &mut Vec<IndexFile>) -> Vec<String> {
        let mut forms: Vec<(Box<str>, u32)> = std::mem::take(&mut self.forms).into_iter().collect();
        forms.sort_unstable();
        let mut external: FastMap<u32, String> = FastMap::default();
        let mut firsts = Vec::new();
        let (mut chunk, mut entries, mut previous) = (Vec::new(), 0u64, String::new());
        for (form, stem) in &forms {
            if chunk.len() >= CHUNK_BYTES {
                let n = firsts.len();
                files.push(self.dictionary_chunk(n, entries, &chunk));
                firsts.push(form.to_string());
                (chunk, entries, previous) = (Vec::new(), 0, String::new());
            }
            encode::after_shared(&mut chunk, form, encode::shared_prefix(&previous, form));
            let p = &self.stems[*stem as usize];
            encode::after_shared(&mut chunk, &p.stem, encode::shared_prefix(form, &p.stem));
            encode::varint(&mut chunk, u64::from(p.gaps.count));
            let size = p.gaps.bytes.len() + p.weights.len();
            if size <= INLINE {
                encode::varint(&mut chunk, size as u64);
                chunk.extend_from_slice(&p.gaps.bytes);
                chunk.extend_from_slice(&p.weights);
            } else {
                encode::varint(&mut chunk, 0);
                let name = external
                    .entry(*stem)
                    .or_insert_with(|| encode::file_name(&p.stem));
                encode::text(&mut chunk, name);
            }
            entries += 1;
            previous = form.to_string();
        }
        files.push(self.dictionary_chunk(firsts.len(), entries, &chunk));
        let mut external: Vec<(u32, String)> = external.into_iter().collect();
        external.sort_unstable();
        for (stem, name) in external {
            let p = &self.stems[stem as usize];
            let mut bytes = p.gaps.bytes.clone();
            bytes.extend_from_slice(&p.weights);
            files.push(self.file(format!("p/{name}.bin"), bytes));
        }
        firsts
    }

    fn dictionary_chunk(&mut self, n: usize, entries: u64, body: &[u8]) -> IndexFile {
        let mut bytes = Vec::with_capacity(body.len() + 4);
        encode::varint(&mut bytes, entries);
        bytes.extend_from_slice(body);
        self.file(format!("d/{n}.bin"), bytes)
    }

    /// Writes each filter's values (the most frequent, by name) with their documents, and
    /// each document's values in chunks; returns the filters as the meta file lists them.
    fn filter_files(&mut self, files: &mut Vec<IndexFile>) -> Vec<serde_json::Value> {
        let mut listed = Vec::new();
        // Per filter: a value's number as first seen -> its place in the list, if kept.
        let mut places: Vec<Vec<Option<u32>>> = Vec::new();
        for f in std::mem::take(&mut self.filters) {
            let mut order: Vec<usize> = (0..f.values.len()).collect();
            order.sort_by(|&a, &b| {
                let (va, vb) = (&f.values[a], &f.values[b]);
                vb.1.count.cmp(&va.1.count).then_with(|| va.0.cmp(&vb.0))
            });
            order.truncate(MOST_VALUES);
            order.sort_by(|&a, &b| f.values[a].0.cmp(&f.values[b].0));
            let mut place = vec![None; f.values.len()];
            let mut values = Vec::new();
            for (i, &v) in order.iter().enumerate() {
                place[v] = Some(i as u32);
                let (name, gaps) = &f.values[v];
                let file = encode::file_name(&format!("{}\n{name}", f.key));
                files.push(self.file(format!("v/{file}.bin"), encode::id_list(gaps)));
                values.push(serde_json::json!([name, gaps.count, file]));
            }
            listed.push(serde_json::json!({"key": f.key, "values": values}));
            places.push(place);
        }
        let facets = std::mem::take(&mut self.facets);
        for (n, chunk) in facets.chunks(FACETS_PER_CHUNK).enumerate() {
            let docs: Vec<Vec<Vec<u32>>> = (chunk.iter())
                .map(|doc| {
                    (doc.iter().zip(&places))
                        .map(|(vs, place)| vs.iter().filter_map(|&v| place[v as usize]).collect())
                        .collect()
                })
                .collect();
            let json = serde_json::to_vec(&docs).unwrap_or_default();
            files.push(self.file(format!("f/{n}.bin"), json));
        }
        listed
    }
}

/// The file of results `n` (`r/n.bin`, gzipped): the data of documents
/// `n * RESULTS_PER_CHUNK` on.
pub fn results(n: usize, docs: &[Indexed]) -> (String, Vec<u8>) {
    let mut json = String::from("[");
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&d.result);
    }
    json.push(']');
    (format!("r/{n}.bin"), encode::gzip(json.as_bytes()))
}

/// A hash of a file's bytes, for the meta file's version: quick, as the result files
/// add up to about as much as the site's text.
fn quick_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.finish()
}

impl Filter {
    /// Adds document `id` to value `name`; returns the value's number.
    fn add(&mut self, name: &str, id: u32) -> u32 {
        let n = match self.numbers.get(name) {
            Some(&n) => n,
            None => {
                let n = self.values.len() as u32;
                self.numbers.insert(name.to_string(), n);
                self.values.push((name.to_string(), Gaps::default()));
                n
            }
        };
        self.values[n as usize].1.push(id);
        n
    }
}
