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
//! the papers that changed.

mod analyze;
mod encode;
pub mod memo;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::path::Path;
use std::time::Instant;

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

/// Writes the index files for `docs` under [`DIR`] into `sink`, each as
/// soon as it is encoded, so that the index never sits in memory whole.
/// The papers are taken by value and freed once their display data is
/// written: at 100,000 papers that is 150 MB of text the postings do not need.
/// With a cache folder, the papers the memo has are not analysed again.
pub fn write(mut docs: Vec<SearchDoc>, config: &SearchConfig, sink: &dyn Sink, cache: Option<&Path>) -> Result<()> {
    let start = Instant::now();
    number(&mut docs);
    let texts: Vec<[Cow<str>; 4]> = docs.iter().map(|d| d.field_texts()).collect();
    let (terms, hashes) = match cache {
        Some(cache) => {
            let (terms, hashes, reuse) = memo::terms(&texts, cache);
            log::debug!("search memo: {} papers remembered, {} analysed", reuse.remembered, reuse.analysed);
            (terms, Some(hashes))
        }
        None => (analyze::terms_of(&texts), None),
    };
    let elasticlunr_json = config.elasticlunr_json.then(|| elasticlunr_index(&texts).to_json());
    drop(texts);
    let analysed = start.elapsed();
    let analysis = analyze::lay_out(&terms);
    let stats = match (cache, hashes) {
        // The memo is written while the index is encoded.
        (Some(cache), Some(hashes)) => {
            rayon::join(|| encode::write(analysis, docs, config, sink), || memo::save(cache, &hashes, &terms)).0
        }
        _ => {
            drop(terms);
            encode::write(analysis, docs, config, sink)
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
    write(docs.to_vec(), config, &sink, None).expect("collecting files in memory cannot fail");
    sink.into_files()
}

/// Puts `docs` in the order that numbers them: oldest first, then by URL.
/// A new day's papers take the next numbers, so the postings and display
/// files of the papers before them keep their bytes: a daily rebuild
/// rewrites only the files that the new papers' words reach. (The reader's
/// search, `Engine.find`, puts newer papers first among equal scores.)
fn number(docs: &mut [SearchDoc]) {
    docs.sort_by(|a, b| (&a.date, &a.url).cmp(&(&b.date, &b.url)));
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
