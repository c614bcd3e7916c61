//! Search stage: brief's own static full-text index, one per language with `search` on, in
//! `search/index/` under that language's home, which the theme's `search.js` reads.
//!
//! The browser fetches only what a query needs: the meta file (the dictionary's chunk
//! bounds and the filters), the dictionary chunk of each word typed, the postings of the
//! common words (a rare word's are inline), and the results it shows. Briefings are
//! numbered oldest first, so "newest first" is the order of their numbers. The index is
//! made from the model in batches, in date order; what each briefing adds is encoded as
//! it comes, so memory grows with the index, never with the text.

mod doc;
mod encode;
mod files;
mod kept;
mod plain;
mod vocab;
mod words;
mod writer;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::render::Engine;
use crate::text::{FastMap, hash_of};
pub use doc::{Indexed, Source};
pub use kept::KeptIndex;

/// Where each language's index is written, under its home.
pub const INDEX_DIR: &str = "search/index/";

/// Documents per file of result data: a page of results fetches a few small files.
pub const RESULTS_PER_CHUNK: usize = 4;

/// Briefings indexed at a time: a batch's text is all that is held.
const BATCH: usize = 512;

/// A file of the index, with its path from the site's root.
pub struct IndexFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where an index goes: a build's output folder, or the preview's memory.
pub trait Out: Sync {
    fn put(&self, file: IndexFile) -> Result<(), Diagnostic>;
    /// Leaves the file at `path` as the last index left it; false when it is not there
    /// as it was, and must be made.
    fn keep(&self, path: &str) -> bool;
}

/// A file of the index as made, before gzip, with its name in the index's folder.
pub struct Made {
    pub name: String,
    pub raw: Vec<u8>,
}

impl Made {
    pub fn new(name: String, raw: Vec<u8>) -> Made {
        Made { name, raw }
    }
}

/// One language's searchable briefings, oldest first, with what the index needs of each.
#[derive(Clone)]
pub struct Corpus {
    /// Where the index goes, from the site's root.
    pub dir: String,
    pub lang: String,
    /// The filters' keys, in the order the search page lists them.
    pub filters: Vec<String>,
    pub sources: Vec<Source>,
}

/// The corpus of every language with search on. Drafts and scheduled briefings, shown only
/// in a preview build, stay out.
pub fn corpora(sites: &[Site], engines: &[Engine]) -> Vec<Corpus> {
    (sites.iter().zip(engines))
        .filter(|(site, _)| site.config.search)
        .map(|(site, engine)| corpus(site, engine))
        .collect()
}

fn corpus(site: &Site, engine: &Engine) -> Corpus {
    // A body's HTML is made from its file and the site's entity kinds alone.
    let settings = hash_of(format!("{:?}", site.config.entity_kinds));
    let names = |taxa: &[crate::model::Taxon]| -> FastMap<String, String> {
        taxa.iter()
            .map(|t| (t.slug.clone(), t.name.clone()))
            .collect()
    };
    let topics = names(&site.topics);
    let kinds: Vec<FastMap<String, String>> = site.kinds.iter().map(|k| names(&k.taxa)).collect();
    let authors = names(&site.authors);
    let facet = |terms: &[crate::content::Term], named: &FastMap<String, String>| {
        let mut values: Vec<String> = (terms.iter())
            .map(|t| {
                named
                    .get(&t.slug)
                    .cloned()
                    .unwrap_or_else(|| t.name.clone())
            })
            .collect();
        values.sort_unstable();
        values.dedup();
        values
    };
    let mut sources: Vec<Source> = (site.briefings.iter())
        .filter(|e| !e.briefing.draft && !e.briefing.scheduled)
        .map(|e| {
            let b = &e.briefing;
            let mut facets = vec![facet(&b.topics, &topics)];
            for ((_, terms), named) in b.entities.iter().zip(&kinds) {
                facets.push(facet(terms, named));
            }
            facets.push(facet(&b.authors, &authors));
            facets.push(vec![b.date.year().to_string()]);
            let url = format!("{}{}", site.config.home, e.url);
            let date = engine.date_text(&b.date);
            Source {
                key: doc::key(settings, b, &url, &date),
                briefing: e.briefing.clone(),
                url,
                date,
                facets,
            }
        })
        .collect();
    sources.sort_by(|a, b| {
        (a.briefing
            .date
            .timestamp()
            .cmp(&b.briefing.date.timestamp()))
        .then_with(|| a.url.cmp(&b.url))
    });
    let mut filters = vec!["topics".to_string()];
    filters.extend(site.kinds.iter().map(|k| k.kind.key.clone()));
    filters.extend(["authors".to_string(), "year".to_string()]);
    Corpus {
        dir: format!("{}{INDEX_DIR}", site.config.home),
        lang: site.config.language.clone(),
        filters,
        sources,
    }
}

/// Writes the index of `corpus` to `out`, reusing what `kept` holds: a briefing kept as it
/// is now is not indexed again, and a file made as it was last time is kept as it is.
/// Returns how many briefings it indexed; reports every one whose body could not be read.
pub fn write(corpus: &Corpus, kept: &mut KeptIndex, out: &dyn Out) -> Result<usize, Diagnostics> {
    let words = words::Words::new(&corpus.lang);
    let files = files::Files::new(&corpus.dir, &kept.prints, out);
    let mut writer = writer::Writer::new(std::mem::take(&mut kept.vocab), &corpus.filters);
    let (mut diags, mut indexed) = (Diagnostics::default(), 0);
    for (b, batch) in corpus.sources.chunks(BATCH).enumerate() {
        let results = add_batch(&mut writer, kept, batch, b * BATCH, &words, &mut diags);
        indexed += results.iter().flatten().count();
        // A failed build writes nothing: the rest is only read for its problems.
        if diags.is_empty() {
            files.results(batch, b * BATCH, results)?;
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let finished = writer.finish();
    files.made(finished.files)?;
    let prints = files.meta(corpus.sources.len(), finished.chunks, finished.filters)?;
    kept.made(finished.vocab, finished.stems_used, prints);
    Ok(indexed)
}

/// A briefing's entry as kept, or as indexed now with its result data.
enum Got {
    KeptIndex(vocab::Entry),
    Indexed(Result<Indexed, Diagnostic>),
}

/// Adds the briefings of `batch`, numbered from `first`, to `writer`: each one's kept
/// entry, or else its words indexed now (and then kept). Returns the result data of those
/// indexed now.
fn add_batch(
    writer: &mut writer::Writer,
    kept: &KeptIndex,
    batch: &[Source],
    first: usize,
    words: &words::Words,
    diags: &mut Diagnostics,
) -> Vec<Option<String>> {
    let vocab = writer.vocab();
    let got: Vec<Got> = (batch.par_iter())
        .map(
            |s| match kept.get(s.key).and_then(|bytes| vocab.read(&bytes)) {
                Some(entry) => Got::KeptIndex(entry),
                None => Got::Indexed(doc::index(s, words)),
            },
        )
        .collect();
    let mut results = vec![None; batch.len()];
    let mut fresh = Vec::new();
    for (i, (got, source)) in got.into_iter().zip(batch).enumerate() {
        let entry = match got {
            Got::KeptIndex(entry) => entry,
            Got::Indexed(Ok(indexed)) => {
                let bytes = writer.vocab().entry(&indexed);
                let entry = writer.vocab().read(&bytes).unwrap_or_default();
                fresh.push((source.key, bytes));
                results[i] = Some(indexed.result);
                entry
            }
            Got::Indexed(Err(d)) => {
                diags.push(d);
                continue;
            }
        };
        writer.add((first + i) as u32, &entry, &source.facets);
    }
    kept.put(&fresh);
    results
}

/// The index of every corpus, each with what it kept (`kept`, in the same order), to `out`.
pub fn write_all(
    corpora: &[Corpus],
    kept: &mut [KeptIndex],
    out: &dyn Out,
) -> Result<(), Diagnostics> {
    let (timer, mut indexed) = (std::time::Instant::now(), 0);
    for (corpus, kept) in corpora.iter().zip(kept) {
        indexed += write(corpus, kept, out)?;
    }
    if crate::report::timings() {
        let all: usize = corpora.iter().map(|c| c.sources.len()).sum();
        let took = timer.elapsed();
        crate::report::note!("  search index: {took:.2?}, {indexed} of {all} briefings indexed");
    }
    Ok(())
}
