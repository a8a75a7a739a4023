//! Search: the site's papers -> an elasticlunr-rs analysis -> a compact
//! index that the theme's `search.js` loads with `<script>` tags, so search
//! works from `file://` as well as from a server.
//!
//! elasticlunr-rs (English) is the source of truth for tokens and stems:
//! every field goes through its tokenizer and pipeline. Term frequencies,
//! document frequencies and field lengths follow `Index::add_doc`; a test
//! checks them against the crate's own index. The output is our own format
//! (`docs/search.md`): papers numbered `0..N-1` (oldest first), postings per
//! stem and field, and display data. A small index is one file; a large one
//! is split into shards by stem, and display data into small files by paper
//! number, so a query downloads only what it needs.
//!
//! This module reads its input and hands files to a sink; `output` writes
//! them. The one file it keeps itself is its memo in the cache folder
//! ([`memo`]): each paper's analysed terms, so a rebuild analyses only
//! the papers that changed. A rebuild gives the papers as outlines (no
//! title or abstract) with a key each ([`write_lazily`]), and the texts
//! are made only for the papers the memo does not know and the display
//! files that changed; each file goes to the sink with a hash of what it
//! is made from, so that an incremental build makes only the files whose
//! inputs changed.

mod analyze;
mod encode;
pub mod memo;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::SearchConfig;
use crate::error::Result;
use crate::sink::{Collect, OutputFile, Sink};

/// The indexed fields, in the order the client adds up their scores.
pub const FIELDS: [&str; 4] = ["title", "authors", "topics", "abstract"];

/// The folder of the output that holds the index files.
pub const DIR: &str = "search";

/// The version of the index files, which the client checks.
pub use encode::FORMAT;

/// One paper as search sees it. The caller decides what goes in (topic
/// names, plain-text title and abstract); search never reads the model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchDoc {
    /// Page URL relative to the site root (`papers/2508.01234.html`).
    pub url: String,
    /// Title as plain text (formulas as their TeX source).
    pub title: String,
    /// Author names.
    pub authors: Vec<String>,
    /// Topic names.
    pub topics: Vec<String>,
    /// The abstract as plain text.
    pub abstract_text: String,
    /// `YYYY-MM-DD`, shown with results; it numbers the papers, and newer
    /// papers win score ties in the reader's search.
    pub date: String,
    /// The arXiv id without version, which finds the paper before any
    /// word does.
    pub arxiv_id: Option<String>,
    /// The first code repository, shown with results.
    pub code: Option<String>,
}

impl SearchDoc {
    /// The text of each of [`FIELDS`], as elasticlunr-rs indexes it.
    fn field_texts(&self) -> [Cow<'_, str>; 4] {
        [
            Cow::Borrowed(&self.title),
            Cow::Owned(self.authors.join(", ")),
            Cow::Owned(self.topics.join(", ")),
            Cow::Borrowed(&self.abstract_text),
        ]
    }
}

/// What [`write_lazily`] needs besides the papers' outlines: each paper's
/// key, and a way to make its title and abstract.
pub struct Lazy<'a> {
    /// Per paper, a hash of everything its document holds (equal keys,
    /// equal documents): the memo finds a paper's terms by it, and a
    /// display file is recorded by its papers' keys.
    pub keys: Vec<u128>,
    /// Paper `i`'s title and abstract, as [`SearchDoc`] holds them.
    pub texts: &'a (dyn Fn(usize) -> (String, String) + Sync),
}

/// Writes the index files for `docs` under [`DIR`] into `sink`, each as
/// soon as it is encoded, so that the index never sits in memory whole.
/// The papers are taken by value and freed once their display data is
/// written: at 100,000 papers that is 150 MB of text the postings do not need.
pub fn write(docs: Vec<SearchDoc>, config: &SearchConfig, sink: &dyn Sink) -> Result<()> {
    index(Numbered::new(docs, None), config, sink, None)
}

/// [`write`], for papers given as outlines (their documents without title
/// and abstract) and `lazy`, with the memo in the cache folder `cache`:
/// a paper's title and abstract are made only when the index needs them
/// (a paper the memo does not know, a display file whose papers changed),
/// so that a rebuild after a new day makes a few hundred of them, not
/// every paper's.
pub fn write_lazily(
    outlines: Vec<SearchDoc>,
    lazy: Lazy,
    config: &SearchConfig,
    sink: &dyn Sink,
    cache: &Path,
) -> Result<()> {
    index(Numbered::new(outlines, Some(lazy)), config, sink, Some(cache))
}

/// The papers in the order that numbers them: oldest first, then by URL.
/// A new day's papers take the next numbers, so the postings and display
/// files of the papers before them keep their bytes: a daily rebuild
/// rewrites only the files that the new papers' words reach. (The reader's
/// search, `Engine.find`, puts newer papers first among equal scores.)
struct Numbered<'a> {
    docs: Vec<SearchDoc>,
    /// Per paper, whether its document has its title and abstract.
    filled: Vec<bool>,
    /// Per paper, its key (see [`Lazy`]): given when the build keeps a
    /// record, whose index files are then recorded by what they are made of.
    keys: Option<Vec<u128>>,
    /// Per paper, where it was in the caller's list.
    origin: Vec<usize>,
    /// Makes a paper's title and abstract, by its place in the caller's list.
    texts: Option<&'a (dyn Fn(usize) -> (String, String) + Sync)>,
}

impl<'a> Numbered<'a> {
    /// `docs` numbered; complete documents unless `lazy` says how to
    /// complete them.
    fn new(docs: Vec<SearchDoc>, lazy: Option<Lazy<'a>>) -> Numbered<'a> {
        let mut origin: Vec<usize> = (0..docs.len()).collect();
        origin.sort_by(|&a, &b| (&docs[a].date, &docs[a].url).cmp(&(&docs[b].date, &docs[b].url)));
        let mut slots: Vec<Option<SearchDoc>> = docs.into_iter().map(Some).collect();
        let docs = origin.iter().map(|&i| slots[i].take().expect("each paper once")).collect();
        let (keys, texts) = match lazy {
            Some(Lazy { keys, texts }) => (Some(origin.iter().map(|&i| keys[i]).collect()), Some(texts)),
            None => (None, None),
        };
        Numbered { docs, filled: vec![texts.is_none(); origin.len()], keys, origin, texts }
    }

    /// Puts their titles and abstracts into the documents of the papers
    /// `wanted` picks (by number) that lack them.
    fn fill(&mut self, wanted: impl Fn(usize) -> bool + Sync) {
        let Some(texts) = self.texts else { return };
        let origin = &self.origin;
        self.docs.par_iter_mut().zip(&mut self.filled).enumerate().for_each(|(j, (doc, filled))| {
            if !*filled && wanted(j) {
                (doc.title, doc.abstract_text) = texts(origin[j]);
                *filled = true;
            }
        });
    }

    /// The documents of papers `range`, with their titles and abstracts.
    fn with_texts(&self, range: std::ops::Range<usize>) -> Cow<'_, [SearchDoc]> {
        match self.texts {
            Some(texts) if !self.filled[range.clone()].iter().all(|&f| f) => {
                let mut docs = self.docs[range.clone()].to_vec();
                for (doc, j) in docs.iter_mut().zip(range).filter(|(_, j)| !self.filled[*j]) {
                    (doc.title, doc.abstract_text) = texts(self.origin[j]);
                }
                Cow::Owned(docs)
            }
            _ => Cow::Borrowed(&self.docs[range]),
        }
    }
}

fn index(mut papers: Numbered, config: &SearchConfig, sink: &dyn Sink, cache: Option<&Path>) -> Result<()> {
    let start = Instant::now();
    if config.elasticlunr_json {
        papers.fill(|_| true);
    }
    let terms = match (cache, &papers.keys) {
        (Some(cache), Some(keys)) => {
            let recalled = memo::recall(keys, cache);
            let missing = recalled.missing();
            // Most papers new (a first build): every title and abstract is
            // needed for the display files too, so all are made now.
            let all = missing.len() * 2 > papers.docs.len();
            let mut wanted = vec![all; papers.docs.len()];
            missing.iter().for_each(|&j| wanted[j] = true);
            papers.fill(|j| wanted[j]);
            let fresh: Vec<[Cow<str>; 4]> = missing.iter().map(|&j| papers.docs[j].field_texts()).collect();
            let (terms, reuse) = recalled.terms(&fresh);
            log::debug!("search memo: {} papers remembered, {} analysed", reuse.remembered, reuse.analysed);
            terms
        }
        _ => {
            papers.fill(|_| true);
            let texts: Vec<[Cow<str>; 4]> = papers.docs.iter().map(|d| d.field_texts()).collect();
            analyze::terms_of(&texts)
        }
    };
    let elasticlunr_json = config.elasticlunr_json.then(|| {
        let texts: Vec<[Cow<str>; 4]> = papers.docs.iter().map(|d| d.field_texts()).collect();
        elasticlunr_index(&texts).to_json()
    });
    let analysed = start.elapsed();
    let analysis = analyze::lay_out(&terms);
    let keys = papers.keys.take();
    let stats = match (cache, &keys) {
        // The memo is written while the index is encoded.
        (Some(cache), Some(keys)) => {
            rayon::join(
                || encode::write(analysis, papers, Some(keys), config, sink),
                || memo::save(cache, keys, &terms),
            )
            .0
        }
        _ => {
            drop(terms);
            encode::write(analysis, papers, None, config, sink)
        }
    };
    let stats = stats?;
    log::debug!(
        "search index: {} papers, {} stems, {} files ({} made, {} bytes); analysis {:.1} ms, encoding {:.1} ms",
        stats.docs,
        stats.stems,
        stats.files,
        stats.made,
        stats.bytes,
        analysed.as_secs_f64() * 1000.0,
        (start.elapsed() - analysed).as_secs_f64() * 1000.0,
    );
    if let Some(json) = elasticlunr_json {
        sink.put(OutputFile { path: format!("{DIR}/elasticlunr.json"), bytes: json.into_bytes() })?;
    }
    Ok(())
}

/// The index files for `docs`, in memory and sorted by path: for tests and
/// benchmarks; a build streams them with [`write`].
pub fn build(docs: &[SearchDoc], config: &SearchConfig) -> Vec<OutputFile> {
    let sink = Collect::default();
    write(docs.to_vec(), config, &sink).expect("collecting files in memory cannot fail");
    sink.into_files()
}

/// The complete elasticlunr-rs index of `texts` (refs `"0"`, `"1"`, ...),
/// as Zola and mdBook ship it; one thread, and about 2.6 KB per paper.
fn elasticlunr_index(texts: &[[Cow<str>; 4]]) -> elasticlunr::Index {
    let mut index = elasticlunr::IndexBuilder::new().save_docs(false).add_fields(FIELDS).build();
    for (number, fields) in texts.iter().enumerate() {
        index.add_doc(&number.to_string(), fields.iter().map(|f| f.as_ref()));
    }
    index
}
