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
mod plain;
mod words;
mod writer;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::render::Engine;
use crate::text::FastMap;
pub use doc::{Indexed, Source};

/// Where each language's index is written, under its home.
pub const INDEX_DIR: &str = "search/index/";

/// Documents per file of result data: a page of results fetches a few small files.
pub const RESULTS_PER_CHUNK: usize = 8;

/// Briefings indexed at a time: a batch's text is all that is held.
const BATCH: usize = 512;

/// A file of the index, with its path from the site's root.
pub struct IndexFile {
    pub path: String,
    pub bytes: Vec<u8>,
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
            Source {
                briefing: e.briefing.clone(),
                url: format!("{}{}", site.config.home, e.url),
                date: engine.date_text(&b.date),
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

/// Writes the index of `corpus` through `put`, which receives each file once it is made.
/// Reports every briefing whose body could not be read.
pub fn write(
    corpus: &Corpus,
    put: &(dyn Fn(IndexFile) -> Result<(), Diagnostic> + Sync),
) -> Result<(), Diagnostics> {
    let words = words::Words::new(&corpus.lang);
    let mut writer = writer::Writer::new(corpus.dir.clone(), &corpus.filters);
    let mut diags = Diagnostics::default();
    for (b, batch) in corpus.sources.chunks(BATCH).enumerate() {
        let indexed: Vec<Result<Indexed, Diagnostic>> =
            batch.par_iter().map(|s| doc::index(s, &words)).collect();
        let first = b * BATCH;
        let mut done = Vec::with_capacity(indexed.len());
        for (i, result) in indexed.into_iter().enumerate() {
            match result {
                Ok(ix) => {
                    writer.add((first + i) as u32, &ix, &batch[i].facets);
                    done.push(ix);
                }
                Err(d) => diags.push(d),
            }
        }
        // A failed build writes nothing: the rest is only read for its problems.
        if !diags.is_empty() {
            continue;
        }
        let files: Vec<(String, Vec<u8>)> = (done.par_chunks(RESULTS_PER_CHUNK).enumerate())
            .map(|(n, docs)| writer::results(first / RESULTS_PER_CHUNK + n, docs))
            .collect();
        for (name, bytes) in files {
            put(writer.record(name, bytes)).map_err(Diagnostics::from)?;
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    for file in writer.finish(corpus.sources.len()) {
        put(file).map_err(Diagnostics::from)?;
    }
    Ok(())
}

/// The index of every corpus, through `put`.
pub fn write_all(
    corpora: &[Corpus],
    put: &(dyn Fn(IndexFile) -> Result<(), Diagnostic> + Sync),
) -> Result<(), Diagnostics> {
    let timer = std::time::Instant::now();
    for corpus in corpora {
        write(corpus, put)?;
    }
    if std::env::var_os("BRIEF_TIMINGS").is_some() {
        crate::note!("  search index: {:.2?}", timer.elapsed());
    }
    Ok(())
}
