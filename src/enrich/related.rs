//! Related papers: TF-IDF cosine similarity over title and abstract words,
//! through an inverted index, so the cost grows with the number of shared
//! words rather than with all pairs of papers.
//!
//! Small sites get exact cosine similarity over all their papers. Above
//! [`EXACT_LIMIT`] papers, three things make a paper's list depend only on
//! the papers compared, so that a new day changes only the lists its
//! papers enter and the next build can keep the rest (the memo below):
//! - words are weighed by their document frequency in an *epoch*: the
//!   first papers of the site (by first day, then id), a count that steps
//!   up by a quarter at a time ([`epoch_size`]); a new day does not move
//!   the weights until the site has grown by a quarter;
//! - each paper queries with its [`QUERY_TERMS`] heaviest words;
//! - a word's postings keep the papers whose weight reaches the weight of
//!   the epoch's [`POSTINGS_CAP`]-th heaviest paper for it: the usual
//!   impact-ordered pruning, linear in the number of papers, with a bar
//!   that does not move as papers come.
//!
//! A word that more than [`LONG_POSTINGS`] papers reach (one that many
//! papers since the epoch share) counts for none, so that no query costs
//! the square of a word's papers.
//!
//! The memo (`related.bin` in the cache folder) holds every list with its
//! scores. When the epoch is the one the memo was made in and the site
//! only gained papers, a paper keeps its list merged with the new papers
//! that beat it, and a new paper is queried; when papers went or changed,
//! or a word's postings grew long, every list is worked out again. The
//! result is the one a build without the memo gives, to the bit: a score
//! is summed in the same order either way.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::Doc;
use super::text::Token;
use crate::cache_file::{Reuse, packed_u32, packed_u64};

/// Up to this many papers, similarity is exact.
const EXACT_LIMIT: usize = 5_000;
/// Words a paper queries with on larger sites.
const QUERY_TERMS: usize = 12;
/// Papers of the epoch kept per word on larger sites.
const POSTINGS_CAP: usize = 200;
/// A word whose postings hold more papers than this on a large site (a
/// word that many papers since the epoch share: its bar was set by the
/// epoch's few) counts for none of them: its queries would cost the square
/// of its papers.
const LONG_POSTINGS: usize = 4 * POSTINGS_CAP;
/// Below this cosine, papers are not called related.
const MIN_SIMILARITY: f32 = 0.05;

/// What the memo file starts with: a memo of another version is not read.
const FORMAT: &str = concat!("paperpress ", env!("CARGO_PKG_VERSION"), " related memo 3\n");

/// The memo's file, in the cache folder.
const FILE: &str = "related.bin";

/// A paper's words, hashed, with their counts (title words count twice).
pub type TermCounts = Vec<(u64, u32)>;

/// Whether a word can carry similarity: no stop word, three characters or
/// more, not a number.
pub fn carries_similarity(token: &Token) -> bool {
    let word = token.norm.as_str();
    !(token.stop || word.chars().count() < 3 || word.bytes().all(|b| b.is_ascii_digit()))
}

/// Counts the words of a paper that can carry similarity.
pub fn term_counts(doc: &Doc) -> TermCounts {
    let mut counts: Vec<(u64, u32)> = Vec::with_capacity(doc.title_tokens.len() + doc.abstract_tokens.len());
    let title = doc.title_tokens.iter().map(|t| (t, 2));
    let body = doc.abstract_tokens.iter().map(|t| (t, 1));
    for (token, weight) in title.chain(body) {
        if carries_similarity(token) {
            counts.push((token.hash, weight));
        }
    }
    // Sorting and summing runs is cheaper than a hash map for a few hundred words.
    counts.sort_unstable_by_key(|&(hash, _)| hash);
    let mut out: TermCounts = Vec::with_capacity(counts.len());
    for (hash, weight) in counts {
        match out.last_mut() {
            Some((last, total)) if *last == hash => *total += weight,
            _ => out.push((hash, weight)),
        }
    }
    out
}

/// The `k` most similar papers of each paper, best first, ties by index;
/// the papers' order of first days is their order (see [`most_similar_with`]).
pub fn most_similar(terms: Vec<TermCounts>, k: usize) -> Vec<Vec<usize>> {
    let order: Vec<usize> = (0..terms.len()).collect();
    most_similar_with(terms, &order, k, None)
}

/// Where a build keeps the lists for the next one: the cache folder, and
/// each paper's key (a hash of its id and text).
#[derive(Debug, Clone, Copy)]
pub struct MemoAt<'a> {
    /// The cache folder.
    pub cache: &'a Path,
    /// Per paper, what its words come from.
    pub keys: &'a [u128],
}

/// The `k` most similar papers of each paper, best first, ties by index.
/// `order` lists the papers by first day, then id: an epoch is its start.
/// With `memo`, the lists of the last build are kept where they hold.
pub fn most_similar_with(terms: Vec<TermCounts>, order: &[usize], k: usize, memo: Option<MemoAt>) -> Vec<Vec<usize>> {
    similar(terms, order, k, memo).0
}

/// [`most_similar_with`], and how many lists the memo gave.
fn similar(terms: Vec<TermCounts>, order: &[usize], k: usize, memo: Option<MemoAt>) -> (Vec<Vec<usize>>, Reuse) {
    let n = terms.len();
    if n < 2 || k == 0 {
        return (vec![Vec::new(); n], Reuse::default());
    }
    let exact = n <= EXACT_LIMIT;
    let of = if exact { n } else { epoch_size(n) };
    let memo = memo.filter(|_| !exact);
    let fingerprint = memo.map(|m| fingerprint(order, m.keys, of, k)).unwrap_or_default();
    let previous = memo.and_then(|m| load(m.cache, fingerprint));
    let (weights, lists, queries, reuse) = match (memo, previous) {
        (Some(m), Some(previous)) => {
            let mut weights = previous.weights(of);
            match update(&weights, &terms, &previous, m.keys, k) {
                Some((lists, queries, reuse, lengths)) => {
                    weights.lengths = lengths;
                    (weights, lists, queries, reuse)
                }
                // Papers went or changed, or a word's postings grew long: every list anew.
                None => {
                    let vectors = terms.par_iter().map(|doc| weights.vector(doc)).collect();
                    drop(terms);
                    let (lists, queries) = full(&mut weights, vectors, k, None);
                    (weights, lists, queries, Reuse { remembered: 0, analysed: n })
                }
            }
        }
        _ => {
            let mut weights = Weights::of(&terms, &order[..of], exact);
            let vectors = terms.par_iter().map(|doc| weights.vector(doc)).collect();
            drop(terms);
            let mut in_epoch = vec![false; if exact { 0 } else { n }];
            order[..of].iter().filter(|_| !exact).for_each(|&p| in_epoch[p] = true);
            let (lists, queries) = full(&mut weights, vectors, k, (!exact).then_some(&in_epoch[..]));
            (weights, lists, queries, Reuse { remembered: 0, analysed: n })
        }
    };
    if let Some(m) = memo {
        log::debug!("related memo: {} lists kept, {} papers queried", reuse.remembered, reuse.analysed);
        save(m.cache, fingerprint, m.keys, &weights, &lists, &queries);
    }
    (lists.into_iter().map(|list| list.into_iter().map(|(d, _)| d as usize).collect()).collect(), reuse)
}

/// A list: papers (by index) with their scores, best first; or a word's
/// postings: papers with their weights for it.
type Scored = Vec<(u32, f32)>;

/// A paper's weighed words, by word.
type Vector = Vec<(u64, f32)>;

/// A paper's weighed words, unit length, and the length they had before:
/// what a word of the paper weighs can be worked out again from its count.
type Weighed = (Vector, f32);

/// A paper's query ([`Weights::query`]) and its vector's length before
/// it was made unit length: what the memo keeps of each paper, so that a
/// rebuild weighs only the words it needs of the papers it knew.
type Query = (Vector, f32);

/// How words weigh.
#[derive(Debug, Default)]
struct Weights {
    /// Whether similarity is exact (a small site): no query is cut short.
    exact: bool,
    /// How many papers weigh words: all of them, or the epoch's.
    of: usize,
    /// Per word, how many of those papers have it.
    df: FxHashMap<u64, u32>,
    /// On a large site, per word that more than [`POSTINGS_CAP`] papers
    /// of the epoch have, the weight a paper needs to count for it.
    bars: FxHashMap<u64, f32>,
    /// On a large site, how many papers reach each word's bar.
    lengths: FxHashMap<u64, u32>,
    /// The words more than [`LONG_POSTINGS`] papers reach.
    long: FxHashSet<u64>,
}

impl Weights {
    /// The weights given by `papers` of `terms`.
    fn of(terms: &[TermCounts], papers: &[usize], exact: bool) -> Weights {
        let mut df: FxHashMap<u64, u32> = FxHashMap::default();
        for &paper in papers {
            for &(term, _) in &terms[paper] {
                *df.entry(term).or_default() += 1;
            }
        }
        Weights { exact, of: papers.len(), df, ..Weights::default() }
    }

    /// A paper's TF-IDF vector, unit length. A word in one of the papers
    /// that weigh words only, or in more than half, carries no similarity;
    /// on a large site a word none of them has does (it is new since the
    /// epoch) and weighs as a word of one.
    fn vector(&self, doc: &TermCounts) -> Weighed {
        let mut v: Vector = doc.iter().filter_map(|&(term, count)| Some((term, self.raw(term, count)?))).collect();
        let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        (v, norm)
    }

    /// What `count` times the word `term` weighs in a paper before its
    /// vector is made unit length; `None` for a word that carries nothing.
    fn raw(&self, term: u64, count: u32) -> Option<f32> {
        let of = self.of;
        let d = self.df.get(&term).copied().unwrap_or(0);
        let kept = if self.exact { d >= 2 } else { d != 1 } && (d as usize) * 2 <= of;
        kept.then(|| (1.0 + (count as f32).ln()) * (of as f32 / d.max(1) as f32).ln())
    }

    /// What the word `term`, `count` times in a paper whose vector had
    /// length `norm`, weighs in its unit vector: [`Weights::vector`]'s
    /// weight, to the bit.
    fn weight(&self, term: u64, count: u32, norm: f32) -> Option<f32> {
        self.raw(term, count).map(|w| if norm > 0.0 { w / norm } else { w })
    }

    /// The words a paper queries with, in the order its scores add them:
    /// all on a small site, else the heaviest (ties by word).
    fn query(&self, vector: &Vector) -> Vector {
        let mut query = vector.clone();
        if !self.exact && query.len() > QUERY_TERMS {
            let heavier = |a: &(u64, f32), b: &(u64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            query.select_nth_unstable_by(QUERY_TERMS - 1, heavier);
            query.truncate(QUERY_TERMS);
            query.sort_by(heavier);
        }
        query
    }

    /// Whether a paper of weight `w` reaches `term`'s bar.
    fn reaches(&self, term: u64, w: f32) -> bool {
        self.bars.get(&term).is_none_or(|&bar| w >= bar)
    }

    /// Keeps the papers of `term`'s postings that count for it.
    fn prune(&self, term: u64, list: &mut Scored) {
        if self.long.contains(&term) {
            list.clear();
        } else if let Some(&bar) = self.bars.get(&term) {
            list.retain(|&(_, w)| w >= bar);
        }
    }
}

/// Every list, worked out from `vectors`, and every paper's query. On a
/// large site the bars are set first from the papers `in_epoch`, when
/// given; the postings' lengths and long words are counted.
fn full(
    weights: &mut Weights,
    vectors: Vec<Weighed>,
    k: usize,
    in_epoch: Option<&[bool]>,
) -> (Vec<Scored>, Vec<Query>) {
    let n = vectors.len();
    let queries: Vec<Query> = vectors.par_iter().map(|(v, norm)| (weights.query(v), *norm)).collect();
    let mut postings = postings(vectors.into_iter().map(|(v, _)| v).collect());
    if !weights.exact {
        if let Some(in_epoch) = in_epoch {
            weights.bars = postings.par_iter().filter_map(|(&term, list)| Some((term, bar(list, in_epoch)?))).collect();
        }
        let w = &*weights;
        postings.par_iter_mut().for_each(|(&term, list)| list.retain(|&(_, x)| w.reaches(term, x)));
        weights.lengths = postings.iter().map(|(&term, list)| (term, list.len() as u32)).collect();
        weights.long = weights.lengths.iter().filter(|&(_, &l)| l as usize > LONG_POSTINGS).map(|(&t, _)| t).collect();
        postings.retain(|term, _| !weights.long.contains(term));
    }
    let lists =
        query_all(&queries, &postings, (0..n).collect(), k).into_iter().map(Option::unwrap_or_default).collect();
    (lists, queries)
}

/// The postings of every word of `vectors`, papers in order. The words
/// are split in two by a bit of their hash and each half is gathered on a
/// thread of its own, both reading every vector: filling one map was one
/// core's work for a second at 100,000 papers.
fn postings(vectors: Vec<Vector>) -> FxHashMap<u64, Scored> {
    let half = |odd: u64| {
        let mut postings: FxHashMap<u64, Scored> = FxHashMap::default();
        for (doc, v) in vectors.iter().enumerate() {
            for &(term, w) in v.iter().filter(|(term, _)| term & 1 == odd) {
                postings.entry(term).or_default().push((doc as u32, w));
            }
        }
        postings
    };
    let (mut postings, odd) = rayon::join(|| half(0), || half(1));
    drop(vectors);
    postings.extend(odd);
    postings
}

/// The weight of the [`POSTINGS_CAP`]-th heaviest paper of the epoch in
/// a word's postings, when more have the word.
fn bar(list: &Scored, in_epoch: &[bool]) -> Option<f32> {
    let mut weights: Vec<f32> = list.iter().filter(|&&(d, _)| in_epoch[d as usize]).map(|&(_, w)| w).collect();
    if weights.len() <= POSTINGS_CAP {
        return None;
    }
    let (_, bar, _) = weights.select_nth_unstable_by(POSTINGS_CAP - 1, |a, b| b.total_cmp(a));
    Some(*bar)
}

/// The lists of `papers`, each `None` where not asked for.
fn query_all(
    queries: &[Query],
    postings: &FxHashMap<u64, Scored>,
    papers: Vec<usize>,
    k: usize,
) -> Vec<Option<Scored>> {
    let n = queries.len();
    let mut lists: Vec<Option<Scored>> = vec![None; n];
    let found: Vec<(usize, Scored)> = papers
        .into_par_iter()
        .map_init(
            || (vec![0f32; n], Vec::new()),
            |(scores, touched), i| {
                let found = scores_over(&queries[i].0, postings, scores, touched, i);
                (i, best_of(found, k))
            },
        )
        .collect();
    for (i, list) in found {
        lists[i] = Some(list);
    }
    lists
}

/// The scores of paper `i`'s query over `postings`: the papers other than
/// `i` that reach [`MIN_SIMILARITY`]. Each score adds its words in the
/// query's order, so that it is the same sum whichever postings hold it.
fn scores_over(
    query: &Vector,
    postings: &FxHashMap<u64, Scored>,
    scores: &mut [f32],
    touched: &mut Vec<usize>,
    i: usize,
) -> Scored {
    for (term, weight) in query {
        for &(doc, w) in postings.get(term).map(Vec::as_slice).unwrap_or_default() {
            if scores[doc as usize] == 0.0 {
                touched.push(doc as usize);
            }
            scores[doc as usize] += weight * w;
        }
    }
    scores[i] = 0.0;
    touched
        .drain(..)
        .filter(|&d| d != i)
        .map(|d| (d as u32, std::mem::take(&mut scores[d])))
        .filter(|&(_, s)| s >= MIN_SIMILARITY)
        .collect()
}

/// What [`update`] gives: every list, every query, how many lists were
/// kept, and each word's postings length.
type Updated = (Vec<Scored>, Vec<Query>, Reuse, FxHashMap<u64, u32>);

/// Every list, from the last build's where it holds, when the site only
/// gained papers: a paper it knew keeps its list merged with the new
/// papers that score for it, and a new paper is queried; with every
/// paper's query and the lengths of the postings now. Only the new papers
/// are weighed whole: a paper the memo knew brings its query, and its
/// weights for the words the new papers ask for. `None` when papers went
/// or changed (a list may need a paper it did not keep) or a word's
/// postings grew long (scores that held it change): the caller works out
/// every list.
fn update(weights: &Weights, terms: &[TermCounts], previous: &Memo, keys: &[u128], k: usize) -> Option<Updated> {
    let n = keys.len();
    let now: FxHashMap<u128, u32> = keys.iter().enumerate().map(|(i, &key)| (key, i as u32)).collect();
    // Where each paper of the last build is now; all of them must be there
    // (and two papers with one key, never with distinct ids, keep nothing).
    let moved: Vec<u32> = (0..previous.papers()).map(|p| now.get(&previous.key(p)).copied()).collect::<Option<_>>()?;
    if now.len() != n {
        return None;
    }
    let mut before: Vec<Option<usize>> = vec![None; n];
    for (p, &at) in moved.iter().enumerate() {
        before[at as usize] = Some(p);
    }
    let new: Vec<usize> = (0..n).filter(|&i| before[i].is_none()).collect();
    // The new papers' vectors, by paper.
    let mut vectors: Vec<Option<Weighed>> = vec![None; n];
    let made: Vec<Weighed> = new.par_iter().map(|&i| weights.vector(&terms[i])).collect();
    // The new papers of each word, in the order a query meets them, and
    // the words' postings as long as they are now.
    let mut fresh: FxHashMap<u64, Scored> = FxHashMap::default();
    let mut lengths = weights.lengths.clone();
    for (doc, (vector, _)) in new.iter().zip(&made) {
        for &(term, w) in vector.iter().filter(|&&(term, w)| weights.reaches(term, w)) {
            let length = lengths.entry(term).or_default();
            *length += 1;
            if *length as usize > LONG_POSTINGS && !weights.long.contains(&term) {
                return None;
            }
            if !weights.long.contains(&term) {
                fresh.entry(term).or_default().push((*doc as u32, w));
            }
        }
    }
    new.iter().zip(made).for_each(|(&i, v)| vectors[i] = Some(v));
    let queries: Vec<Query> = (0..n)
        .into_par_iter()
        .map(|i| match &vectors[i] {
            Some((vector, norm)) => (weights.query(vector), *norm),
            None => previous.query(before[i].expect("a paper is new or was known")),
        })
        .collect();
    let kept: Vec<Option<Scored>> = (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0f32; n], Vec::new()),
            |(scores, touched), i| {
                let mut list: Scored = Vec::with_capacity(k + 4);
                list.extend(previous.list(before[i]?).map(|(p, score)| (moved[p], score)));
                list.extend(scores_over(&queries[i].0, &fresh, scores, touched, i));
                Some(best_of(list, k))
            },
        )
        .collect();
    let reuse = Reuse { remembered: n - new.len(), analysed: new.len() };
    // Only the words the new papers ask for need their postings: each
    // paper's weight for them, from its vector when it is new, else from
    // its counts and the length its vector had.
    let asked: FxHashSet<u64> = new.iter().flat_map(|&i| queries[i].0.iter().map(|&(t, _)| t)).collect();
    let weighed: Vec<Vector> = (0..n)
        .into_par_iter()
        .map(|i| match &vectors[i] {
            Some((vector, _)) => vector.iter().copied().filter(|(t, _)| asked.contains(t)).collect(),
            None => terms[i]
                .iter()
                .filter(|(t, _)| asked.contains(t))
                .filter_map(|&(t, count)| Some((t, weights.weight(t, count, queries[i].1)?)))
                .collect(),
        })
        .collect();
    let mut postings = postings(weighed);
    postings.iter_mut().for_each(|(term, list)| weights.prune(*term, list));
    let queried = query_all(&queries, &postings, new, k);
    let lists = kept.into_iter().zip(queried).map(|(kept, queried)| kept.or(queried).unwrap_or_default()).collect();
    Some((lists, queries, reuse, lengths))
}

/// The `k` best of `candidates`, by score, ties by index.
fn best_of(mut candidates: Scored, k: usize) -> Scored {
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    // A new vector: truncating would keep every candidate's room (50 MB at 100k papers).
    candidates.iter().take(k).copied().collect()
}

/// The papers that weigh words on a site of `n` papers (above
/// [`EXACT_LIMIT`]): [`EXACT_LIMIT`] grown by a quarter as many times as
/// fits, so that a new epoch starts when the site has grown by a quarter.
fn epoch_size(n: usize) -> usize {
    let mut size = EXACT_LIMIT;
    while size + size / 4 <= n {
        size += size / 4;
    }
    size
}

/// What the memo holds for: the settings, the epoch and its papers.
fn fingerprint(order: &[usize], keys: &[u128], of: usize, k: usize) -> u64 {
    let mut h = DefaultHasher::new();
    (k, QUERY_TERMS, POSTINGS_CAP, MIN_SIMILARITY.to_bits(), of).hash(&mut h);
    order[..of].iter().for_each(|&p| keys[p].hash(&mut h));
    h.finish()
}

/// Every paper's list of the last build, in flat arrays.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Memo {
    /// The settings and epoch it holds for.
    fingerprint: u64,
    /// Per paper, its key (two halves).
    #[serde(with = "packed_u64")]
    keys: Vec<u64>,
    /// Per paper, where its list ends in `neighbours` and `scores`.
    #[serde(with = "packed_u32")]
    ends: Vec<u32>,
    /// The papers of each list, by their place in `keys`.
    #[serde(with = "packed_u32")]
    neighbours: Vec<u32>,
    /// Their scores, as bits.
    #[serde(with = "packed_u32")]
    scores: Vec<u32>,
    /// The epoch's words and how many of its papers have each.
    #[serde(with = "packed_u64")]
    df_terms: Vec<u64>,
    #[serde(with = "packed_u32")]
    df_counts: Vec<u32>,
    /// The words with a bar, and the bars as bits.
    #[serde(with = "packed_u64")]
    bar_terms: Vec<u64>,
    #[serde(with = "packed_u32")]
    bar_weights: Vec<u32>,
    /// How many papers reach each word's bar.
    #[serde(with = "packed_u64")]
    length_terms: Vec<u64>,
    #[serde(with = "packed_u32")]
    lengths: Vec<u32>,
    /// Per paper, its vector's length before it was made unit length
    /// (bits), and where its query ends in `query_terms` and `query_weights`.
    #[serde(with = "packed_u32")]
    norms: Vec<u32>,
    #[serde(with = "packed_u32")]
    query_ends: Vec<u32>,
    #[serde(with = "packed_u64")]
    query_terms: Vec<u64>,
    #[serde(with = "packed_u32")]
    query_weights: Vec<u32>,
}

impl Memo {
    fn papers(&self) -> usize {
        self.ends.len()
    }

    fn key(&self, paper: usize) -> u128 {
        (u128::from(self.keys[2 * paper]) << 64) | u128::from(self.keys[2 * paper + 1])
    }

    fn list(&self, paper: usize) -> impl Iterator<Item = (usize, f32)> + '_ {
        let start = if paper == 0 { 0 } else { self.ends[paper - 1] as usize };
        let end = self.ends[paper] as usize;
        (start..end).map(|j| (self.neighbours[j] as usize, f32::from_bits(self.scores[j])))
    }

    /// Paper `paper`'s query and its vector's length.
    fn query(&self, paper: usize) -> Query {
        let start = if paper == 0 { 0 } else { self.query_ends[paper - 1] as usize };
        let range = start..self.query_ends[paper] as usize;
        let query = self.query_terms[range.clone()]
            .iter()
            .zip(&self.query_weights[range])
            .map(|(&t, &w)| (t, f32::from_bits(w)))
            .collect();
        (query, f32::from_bits(self.norms[paper]))
    }

    /// The weights it was made with, over `of` papers.
    fn weights(&self, of: usize) -> Weights {
        Weights {
            exact: false,
            of,
            df: self.df_terms.iter().copied().zip(self.df_counts.iter().copied()).collect(),
            bars: self.bar_terms.iter().copied().zip(self.bar_weights.iter().map(|&b| f32::from_bits(b))).collect(),
            lengths: self.length_terms.iter().copied().zip(self.lengths.iter().copied()).collect(),
            long: self
                .length_terms
                .iter()
                .zip(&self.lengths)
                .filter(|&(_, &l)| l as usize > LONG_POSTINGS)
                .map(|(&t, _)| t)
                .collect(),
        }
    }

    /// Whether every number is in range, so that reading it cannot fail.
    fn well_formed(&self) -> bool {
        let n = self.ends.len();
        self.df_terms.len() == self.df_counts.len()
            && self.bar_terms.len() == self.bar_weights.len()
            && self.length_terms.len() == self.lengths.len()
            && self.keys.len() == 2 * n
            && self.neighbours.len() == self.scores.len()
            && self.ends.windows(2).all(|w| w[0] <= w[1])
            && self.ends.last().map_or(0, |&e| e as usize) == self.neighbours.len()
            && self.neighbours.iter().all(|&p| (p as usize) < n)
            && self.norms.len() == n
            && self.query_ends.len() == n
            && self.query_ends.windows(2).all(|w| w[0] <= w[1])
            && self.query_ends.last().map_or(0, |&e| e as usize) == self.query_terms.len()
            && self.query_weights.len() == self.query_terms.len()
    }
}

fn path(cache: &Path) -> PathBuf {
    cache.join(FILE)
}

fn load(cache: &Path, fingerprint: u64) -> Option<Memo> {
    let bytes = std::fs::read(path(cache)).ok()?;
    crate::cache_file::decode(FORMAT, &bytes).filter(|m: &Memo| m.fingerprint == fingerprint && m.well_formed())
}

/// Replaces the memo by this build's lists: best effort, as a memo that
/// cannot be written only means every list is worked out next time.
fn save(cache: &Path, fingerprint: u64, keys: &[u128], weights: &Weights, lists: &[Scored], queries: &[Query]) {
    let mut memo = Memo { fingerprint, ..Memo::default() };
    // Sorted, so that the same weights give the same file.
    let mut df: Vec<(u64, u32)> = weights.df.iter().map(|(&t, &d)| (t, d)).collect();
    df.sort_unstable();
    (memo.df_terms, memo.df_counts) = df.into_iter().unzip();
    let mut bars: Vec<(u64, u32)> = weights.bars.iter().map(|(&t, &b)| (t, b.to_bits())).collect();
    bars.sort_unstable();
    (memo.bar_terms, memo.bar_weights) = bars.into_iter().unzip();
    let mut lengths: Vec<(u64, u32)> = weights.lengths.iter().map(|(&t, &l)| (t, l)).collect();
    lengths.sort_unstable();
    (memo.length_terms, memo.lengths) = lengths.into_iter().unzip();
    for ((key, list), (query, norm)) in keys.iter().zip(lists).zip(queries) {
        memo.keys.extend([(key >> 64) as u64, *key as u64]);
        memo.neighbours.extend(list.iter().map(|&(d, _)| d));
        memo.scores.extend(list.iter().map(|&(_, s)| s.to_bits()));
        memo.ends.push(memo.neighbours.len() as u32);
        memo.norms.push(norm.to_bits());
        memo.query_terms.extend(query.iter().map(|&(t, _)| t));
        memo.query_weights.extend(query.iter().map(|&(_, w)| w.to_bits()));
        memo.query_ends.push(memo.query_terms.len() as u32);
    }
    let _ = crate::cache_file::write(&path(cache), FORMAT, &memo);
}

/// Removes the memo, so the next build works out every list (`build --full`).
pub fn forget(cache: &Path) -> crate::error::Result<()> {
    crate::cache_file::remove(&path(cache))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::text::tokens;

    fn doc(title: &str, abstract_text: &str) -> Doc {
        Doc {
            title: title.into(),
            abstract_text: abstract_text.into(),
            title_tokens: tokens(title),
            abstract_tokens: tokens(abstract_text),
            keywords: Vec::new(),
            keyword_tokens: Vec::new(),
        }
    }

    #[test]
    fn papers_sharing_rare_words_are_related() {
        let docs = [
            doc("Machine unlearning for classifiers", "We forget data points with unlearning."),
            doc("Unlearning diffusion models", "Unlearning concepts so the model forgets them."),
            doc("Galaxy morphology with telescopes", "Astronomy images of galaxies."),
            doc("Telescope images of galaxy clusters", "Astronomy at scale."),
            doc("Speech recognition", "Audio transcription for speech."),
        ];
        let terms: Vec<TermCounts> = docs.iter().map(term_counts).collect();
        let related = most_similar(terms.clone(), 2);
        assert_eq!(related[0].first(), Some(&1));
        assert_eq!(related[1].first(), Some(&0));
        assert_eq!(related[2].first(), Some(&3));
        assert!(!related[0].contains(&0), "a paper is not related to itself");
        assert_eq!(related, most_similar(terms, 2), "deterministic");
    }

    /// A large site's papers: each of `n` papers has a class word (one
    /// of 50), words of its class's vocabulary, a few of a shared one and
    /// a word of its own.
    fn large_site(n: usize, seed: u64) -> Vec<TermCounts> {
        let mut state = seed;
        let mut next = move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        (0..n)
            .map(|i| {
                let class = (i % 50) as u64;
                let mut words: Vec<(u64, u32)> = vec![(100_000 + class, 3), (1_000_000 + i as u64 + seed, 1)];
                for _ in 0..3 {
                    words.push((200_000 + class * 20 + (next() % 20) as u64, 1 + (next() % 2) as u32));
                    words.push(((next() % 9_000) as u64, 1));
                }
                words.sort_unstable();
                words.dedup_by_key(|w| w.0);
                words
            })
            .collect()
    }

    #[test]
    fn a_word_too_many_new_papers_share_counts_for_none() {
        let folder = tempfile::tempdir().unwrap();
        let keys = |terms: &[TermCounts]| -> Vec<u128> { terms.iter().map(crate::cache_file::hash128).collect() };
        let before = large_site(EXACT_LIMIT + 100, 3);
        let order: Vec<usize> = (0..before.len()).collect();
        similar(before.clone(), &order, 5, Some(MemoAt { cache: folder.path(), keys: &keys(&before) }));
        // A word no paper of the epoch has, in enough new papers to make its postings long.
        let mut after = before.clone();
        after.extend(large_site(LONG_POSTINGS + 1, 8).into_iter().map(|mut words| {
            words.push((3_000_000, 3));
            words
        }));
        let order: Vec<usize> = (0..after.len()).collect();
        let memo = MemoAt { cache: folder.path(), keys: &keys(&after) };
        let (kept, reuse) = similar(after.clone(), &order, 5, Some(memo));
        assert_eq!(reuse.remembered, 0, "the long word changes every score that held it");
        assert_eq!(kept, similar(after.clone(), &order, 5, None).0);
        let memo = load(folder.path(), fingerprint(&order, &keys(&after), epoch_size(after.len()), 5)).unwrap();
        assert!(memo.weights(epoch_size(after.len())).long.contains(&3_000_000));
    }

    #[test]
    fn large_sites_relate_papers_by_their_heaviest_words() {
        let terms = large_site(EXACT_LIMIT + 500, 7);
        let related = most_similar(terms, 5);
        let same_class =
            related.iter().enumerate().filter(|(i, l)| l.first().is_some_and(|j| j % 50 == i % 50)).count();
        assert!(same_class * 10 >= related.len() * 9, "{same_class} of {} lists start in their class", related.len());
    }

    #[test]
    fn the_memo_keeps_lists_and_gives_what_a_build_without_it_gives() {
        let folder = tempfile::tempdir().unwrap();
        let (k, before) = (10, large_site(EXACT_LIMIT + 600, 11));
        let keys = |terms: &[TermCounts]| -> Vec<u128> { terms.iter().map(crate::cache_file::hash128).collect() };
        let order: Vec<usize> = (0..before.len()).collect();
        let memo = MemoAt { cache: folder.path(), keys: &keys(&before) };
        let (first, reuse) = similar(before.clone(), &order, k, Some(memo));
        assert_eq!(reuse.remembered, 0, "no memo yet");
        assert_eq!(first, most_similar(before.clone(), k), "the memo is only written");

        // A new day of 40 papers, first by id (every index moves).
        let mut after = large_site(40, 99);
        after.extend(before.iter().cloned());
        let mut order: Vec<usize> = (40..after.len()).collect();
        order.extend(0..40);
        let memo = MemoAt { cache: folder.path(), keys: &keys(&after) };
        let (kept, reuse) = similar(after.clone(), &order, k, Some(memo));
        let (fresh, _) = similar(after.clone(), &order, k, None);
        assert_eq!(kept, fresh, "a build with the memo gives what one without it gives");
        assert_eq!((reuse.remembered, reuse.analysed), (before.len(), 40), "only the new papers are queried");
        let entered = (40..after.len()).filter(|&i| kept[i].iter().any(|&j| j < 40)).count();
        assert!(entered > 0, "new papers enter old lists");

        // A paper's text changed and one paper gone, both since the epoch
        // (its first 5,000 papers): every list anew, the same lists.
        after[40 + 5300].push((2_000_000, 1));
        after.remove(40 + 5400);
        let order: Vec<usize> = (40..after.len()).chain(0..40).collect();
        let memo = MemoAt { cache: folder.path(), keys: &keys(&after) };
        let (kept, reuse) = similar(after.clone(), &order, k, Some(memo));
        let (fresh, _) = similar(after.clone(), &order, k, None);
        assert_eq!((&kept, reuse.remembered), (&fresh, 0));

        // A damaged memo is a full computation, with the same lists.
        let file = folder.path().join(FILE);
        let mut bytes = std::fs::read(&file).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 1;
        std::fs::write(&file, bytes).unwrap();
        let (again, reuse) = similar(after.clone(), &order, k, Some(memo));
        assert_eq!((again, reuse.remembered), (fresh, 0));

        // A site grown by a quarter starts a new epoch: words weigh anew,
        // and every list is worked out again.
        let mut grown = after.clone();
        grown.extend(large_site(EXACT_LIMIT / 4, 5));
        assert!(epoch_size(grown.len()) > epoch_size(after.len()));
        let order: Vec<usize> = (40..grown.len()).chain(0..40).collect();
        let memo = MemoAt { cache: folder.path(), keys: &keys(&grown) };
        let (lists, reuse) = similar(grown.clone(), &order, k, Some(memo));
        assert_eq!(reuse.remembered, 0, "a new epoch keeps no list");
        assert_eq!(lists, similar(grown, &order, k, None).0);
    }
}
