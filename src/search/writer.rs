//! The index of one language, made as its briefings come in date order (oldest first, so
//! document numbers are in date order and "newest first" is exact). Postings are kept
//! encoded as they grow, a few bytes a word: nothing holds the site's text. At the end the
//! dictionary is written in chunks, with the postings of rare words inline and those of
//! common ones in files of their own, which a query fetches only for its words.

use super::Made;
use super::encode::{self, Gaps};
use super::vocab::{Entry, Vocab};
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
    vocab: Vocab,
    /// By stem number.
    postings: Vec<Postings>,
    /// By form number: whether a document has the form.
    seen: Vec<bool>,
    filters: Vec<Filter>,
    /// Each document's filter values (numbers of `filters`), per filter.
    facets: Vec<Vec<Vec<u32>>>,
}

/// What `Writer::finish` made: the files but the meta file, and what the meta file lists.
pub struct Finished {
    pub files: Vec<Made>,
    /// The first form of each dictionary chunk but the first.
    pub chunks: Vec<String>,
    pub filters: Vec<serde_json::Value>,
    pub vocab: Vocab,
    /// How many of the vocabulary's stems some document has.
    pub stems_used: usize,
}

impl Writer {
    pub fn new(vocab: Vocab, filter_keys: &[String]) -> Writer {
        Writer {
            vocab,
            postings: Vec::new(),
            seen: Vec::new(),
            filters: (filter_keys.iter())
                .map(|k| Filter {
                    key: k.clone(),
                    ..Filter::default()
                })
                .collect(),
            facets: Vec::new(),
        }
    }

    /// The vocabulary, to number the words of a newly indexed document.
    pub fn vocab(&mut self) -> &mut Vocab {
        &mut self.vocab
    }

    /// Adds document `id`, numbered after every one added before.
    pub fn add(&mut self, id: u32, entry: &Entry, facets: &[Vec<String>]) {
        if self.postings.len() < self.vocab.stems.len() {
            self.postings
                .resize_with(self.vocab.stems.len(), Postings::default);
        }
        self.seen.resize(self.vocab.forms.len(), false);
        for &(stem, weight) in &entry.stems {
            let p = &mut self.postings[stem as usize];
            p.gaps.push(id);
            p.weights.push(weight);
        }
        for &form in &entry.forms {
            self.seen[form as usize] = true;
        }
        let mine = (self.filters.iter_mut().zip(facets))
            .map(|(filter, values)| values.iter().map(|v| filter.add(v, id)).collect())
            .collect();
        self.facets.push(mine);
    }

    /// The dictionary, the postings too large to be inline and the filters.
    pub fn finish(mut self) -> Finished {
        let mut files = Vec::new();
        let chunks = self.dictionary(&mut files);
        let filters = self.filter_files(&mut files);
        Finished {
            files,
            chunks,
            filters,
            stems_used: self.postings.iter().filter(|p| p.gaps.count > 0).count(),
            vocab: self.vocab,
        }
    }

    /// Writes the dictionary's chunks into `files`; returns the first form of each chunk
    /// but the first, by which the browser finds the chunk of a word.
    fn dictionary(&mut self, files: &mut Vec<Made>) -> Vec<String> {
        let forms = &self.vocab.forms;
        let mut seen: Vec<u32> = (self.seen.iter().enumerate())
            .filter(|(_, seen)| **seen)
            .map(|(n, _)| n as u32)
            .collect();
        seen.sort_unstable_by(|&a, &b| forms[a as usize].0.cmp(&forms[b as usize].0));
        let mut external: FastMap<u32, String> = FastMap::default();
        let mut firsts = Vec::new();
        let (mut chunk, mut entries, mut previous) = (Vec::new(), 0u64, "");
        for &n in &seen {
            let (form, stem) = &forms[n as usize];
            if chunk.len() >= CHUNK_BYTES {
                files.push(dictionary_chunk(firsts.len(), entries, &chunk));
                firsts.push(form.to_string());
                (chunk, entries, previous) = (Vec::new(), 0, "");
            }
            encode::after_shared(&mut chunk, form, encode::shared_prefix(previous, form));
            let (p, stem_text) = (
                &self.postings[*stem as usize],
                &self.vocab.stems[*stem as usize],
            );
            encode::after_shared(
                &mut chunk,
                stem_text,
                encode::shared_prefix(form, stem_text),
            );
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
                    .or_insert_with(|| encode::file_name(stem_text));
                encode::text(&mut chunk, name);
            }
            entries += 1;
            previous = form;
        }
        files.push(dictionary_chunk(firsts.len(), entries, &chunk));
        let mut external: Vec<(u32, String)> = external.into_iter().collect();
        external.sort_unstable();
        for (stem, name) in external {
            let p = &self.postings[stem as usize];
            let mut raw = p.gaps.bytes.clone();
            raw.extend_from_slice(&p.weights);
            files.push(Made::new(format!("p/{name}.bin"), raw));
        }
        firsts
    }

    /// Writes each filter's values (the most frequent, by name) with their documents, and
    /// each document's values in chunks; returns the filters as the meta file lists them.
    fn filter_files(&mut self, files: &mut Vec<Made>) -> Vec<serde_json::Value> {
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
                files.push(Made::new(format!("v/{file}.bin"), encode::id_list(gaps)));
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
            files.push(Made::new(format!("f/{n}.bin"), json));
        }
        listed
    }
}

/// Dictionary chunk `n`: its count of entries, then the entries.
fn dictionary_chunk(n: usize, entries: u64, body: &[u8]) -> Made {
    let mut raw = Vec::with_capacity(body.len() + 4);
    encode::varint(&mut raw, entries);
    raw.extend_from_slice(body);
    Made::new(format!("d/{n}.bin"), raw)
}

/// The file of results `n` (`r/n.bin`): the data of documents `n * RESULTS_PER_CHUNK` on.
pub fn results(n: usize, results: &[&str]) -> Made {
    let mut json = String::from("[");
    for (i, r) in results.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(r);
    }
    json.push(']');
    Made::new(format!("r/{n}.bin"), json.into_bytes())
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
