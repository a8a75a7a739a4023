//! Field texts -> stems, term frequencies, field lengths and postings,
//! exactly as `elasticlunr::Index::add_doc` counts them, but on every core.
//!
//! Tokens and stems come from elasticlunr-rs itself: each distinct piece of
//! text (split where `tokenize_whitespace` splits) goes once through the
//! crate's `English::tokenize` (trim, lowercase) and its pipeline (trimmer,
//! stop words, stemmer). The work runs in three passes: chunks of papers
//! collect their pieces; the distinct pieces (found in shards by hash) are
//! stemmed in parallel; the chunks count stems per field and the postings
//! are laid out by counting. Every pass runs on all cores.
//! Nothing here is quadratic: hash maps and one sort of the stems.

use std::cmp::Ordering;

use elasticlunr::Language;
use elasticlunr::lang::English;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

/// Postings of one field, by stem number: `docs[offsets[s]..offsets[s + 1]]`
/// are the papers holding stem `s` (ascending) and `counts` how often.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Postings {
    offsets: Vec<usize>,
    docs: Vec<u32>,
    counts: Vec<u32>,
}

impl Postings {
    /// The papers holding stem `stem`, and its count in each.
    pub(super) fn of(&self, stem: usize) -> (&[u32], &[u32]) {
        let range = self.offsets[stem]..self.offsets[stem + 1];
        (&self.docs[range.clone()], &self.counts[range])
    }
}

/// The analysed papers.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Analysis {
    /// Every stem, in [`index_order`].
    pub(super) stems: Vec<String>,
    /// Per paper, the number of stems in each field (elasticlunr's field length).
    pub(super) lengths: Vec<[u32; 4]>,
    /// Per field.
    pub(super) postings: Vec<Postings>,
}

/// The order elasticlunr.js walks its token tree in when it expands a
/// prefix: digits first (JavaScript lists integer-like keys first), then
/// other characters by code point; a prefix before its extensions.
pub(super) fn index_order(a: &str, b: &str) -> Ordering {
    // On UTF-8 bytes: their order is the code points' order, and a digit
    // byte is always the ASCII digit.
    let rank = |b: &u8| if b.is_ascii_digit() { u16::from(*b) - 0x30 } else { u16::from(*b) + 10 };
    a.as_bytes().iter().map(rank).cmp(b.as_bytes().iter().map(rank))
}

/// The pieces `tokenize_whitespace` makes of `text` (split at whitespace
/// and `-`, empty ones dropped), before trimming and lowercasing. ASCII
/// bytes are tested directly; other characters are decoded.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let mut start = None;
        while at < bytes.len() {
            let (separator, width) = match bytes[at] {
                b @ 0..=0x7f => (b == b'-' || b.is_ascii_whitespace() || b == 0x0b, 1),
                _ => {
                    let c = text[at..].chars().next().expect("`at` is at a character boundary");
                    (c.is_whitespace(), c.len_utf8())
                }
            };
            match (separator, start) {
                (true, Some(s)) => {
                    let piece = &text[s..at];
                    at += width;
                    return Some(piece);
                }
                (false, None) => start = Some(at),
                _ => {}
            }
            at += width;
        }
        start.map(|s| &text[s..])
    })
}

/// Papers per chunk: small enough that a chunk's vocabulary (a few ten
/// thousand pieces) stays in the core's cache while it is counted.
const CHUNK_PAPERS: usize = 1024;

/// The distinct pieces of all chunks are found in this many shards (by
/// hash of the piece), each on its own, in parallel.
const SHARDS: usize = 64;

/// A chunk of papers, its pieces numbered in the chunk's own vocabulary.
struct Chunk<'a> {
    vocabulary: Vec<&'a str>,
    /// Per shard, the numbers of the vocabulary's pieces that belong to it.
    by_shard: Vec<Vec<u32>>,
    /// Per paper, per field, its pieces in order.
    docs: Vec<[Vec<u32>; 4]>,
}

fn shard_of(piece: &str) -> usize {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(piece) as usize % SHARDS
}

fn collect_pieces<T: AsRef<str>>(texts: &[[T; 4]]) -> Chunk<'_> {
    let mut numbers: HashMap<&str, u32> = HashMap::default();
    let mut vocabulary = Vec::new();
    let mut by_shard = vec![Vec::new(); SHARDS];
    let docs = texts
        .iter()
        .map(|fields| {
            std::array::from_fn(|f| {
                pieces(fields[f].as_ref())
                    .map(|piece| {
                        *numbers.entry(piece).or_insert_with(|| {
                            let number = vocabulary.len() as u32;
                            vocabulary.push(piece);
                            by_shard[shard_of(piece)].push(number);
                            number
                        })
                    })
                    .collect()
            })
        })
        .collect();
    Chunk { vocabulary, by_shard, docs }
}

/// Every distinct piece of the chunks, and for each chunk the number of
/// each of its pieces among them. Shards work in parallel; each sees only
/// its own pieces.
fn distinct_pieces<'a>(chunks: &mut [Chunk<'a>]) -> (Vec<&'a str>, Vec<Vec<u32>>) {
    // Per shard: its distinct pieces, and per chunk the number of each of
    // the chunk's pieces in that shard (in `by_shard` order).
    type Found<'a> = (Vec<&'a str>, Vec<Vec<u32>>);
    let shards: Vec<Found<'a>> = (0..SHARDS)
        .into_par_iter()
        .map(|s| {
            let mut numbers: HashMap<&str, u32> = HashMap::default();
            let mut distinct = Vec::new();
            let found = chunks
                .iter()
                .map(|chunk| {
                    chunk.by_shard[s]
                        .iter()
                        .map(|&p| {
                            let piece = chunk.vocabulary[p as usize];
                            *numbers.entry(piece).or_insert_with(|| {
                                distinct.push(piece);
                                distinct.len() as u32 - 1
                            })
                        })
                        .collect()
                })
                .collect();
            (distinct, found)
        })
        .collect();
    let mut renumber: Vec<Vec<u32>> = chunks.iter().map(|c| vec![0; c.vocabulary.len()]).collect();
    let mut distinct = Vec::new();
    for (s, (pieces, found)) in shards.into_iter().enumerate() {
        let base = distinct.len() as u32;
        for (c, numbers) in found.into_iter().enumerate() {
            for (&p, number) in chunks[c].by_shard[s].iter().zip(numbers) {
                renumber[c][p as usize] = base + number;
            }
        }
        distinct.extend(pieces);
    }
    // Only the papers' pieces are needed from here on.
    for chunk in chunks.iter_mut() {
        chunk.by_shard = Vec::new();
        chunk.vocabulary = Vec::new();
    }
    (distinct, renumber)
}

/// Analysed papers before their postings are laid out: every stem in
/// [`index_order`], and each paper's terms by stem number, in flat arrays
/// (a few large vectors rather than one per paper and field, so that the
/// memo stores and reloads them quickly). What a paper's field texts
/// analyse to depends on those texts alone, so the memo (`memo`) keeps it
/// from one build to the next.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct Terms {
    pub(super) stems: Vec<String>,
    /// Per paper, the number of stems in each field.
    pub(super) lengths: Vec<[u32; 4]>,
    /// Paper `p`'s terms in field `f` are entries `ends[4p + f - 1]..ends[4p + f]`
    /// (from 0 for the first) of `stem` and `count`, stems ascending.
    #[serde(with = "crate::cache_file::packed_u32")]
    pub(super) ends: Vec<u32>,
    #[serde(with = "crate::cache_file::packed_u32")]
    pub(super) stem: Vec<u32>,
    #[serde(with = "crate::cache_file::packed_u32")]
    pub(super) count: Vec<u32>,
}

impl Terms {
    /// The range of paper `paper`'s terms in field `field`.
    pub(super) fn range(&self, paper: usize, field: usize) -> std::ops::Range<usize> {
        let at = 4 * paper + field;
        let start = if at == 0 { 0 } else { self.ends[at - 1] as usize };
        start..self.ends[at] as usize
    }

    /// Papers held.
    pub(super) fn len(&self) -> usize {
        self.lengths.len()
    }

    /// Room for `papers` more papers and `entries` more terms.
    pub(super) fn reserve(&mut self, papers: usize, entries: usize) {
        self.lengths.reserve_exact(papers);
        self.ends.reserve_exact(4 * papers);
        self.stem.reserve_exact(entries);
        self.count.reserve_exact(entries);
    }

    /// Adds paper `paper` of `from`, its stems renumbered by `number`.
    pub(super) fn push_from(&mut self, from: &Terms, paper: usize, number: &[u32]) {
        self.lengths.push(from.lengths[paper]);
        for field in 0..4 {
            let range = from.range(paper, field);
            self.stem.extend(from.stem[range.clone()].iter().map(|&s| number[s as usize]));
            self.count.extend_from_slice(&from.count[range]);
            self.ends.push(self.stem.len() as u32);
        }
    }
}

/// Adds one field's terms (its pieces' stems, counted) to `out`; returns
/// the field's length.
fn count_stems(pieces: &[u32], stem_of: &[Option<u32>], buffer: &mut Vec<u32>, out: &mut Terms) -> u32 {
    buffer.clear();
    buffer.extend(pieces.iter().filter_map(|&p| stem_of[p as usize]));
    buffer.sort_unstable();
    let first = out.stem.len();
    for &stem in buffer.iter() {
        match out.stem.last() {
            Some(&last) if last == stem && out.stem.len() > first => {
                *out.count.last_mut().expect("a count per stem") += 1
            }
            _ => {
                out.stem.push(stem);
                out.count.push(1);
            }
        }
    }
    out.ends.push(out.stem.len() as u32);
    buffer.len() as u32
}

/// Analyses the papers' field texts (in [`super::FIELDS`] order).
#[cfg(test)]
pub(super) fn analyze<T: AsRef<str> + Sync>(texts: &[[T; 4]]) -> Analysis {
    lay_out(&terms_of(texts))
}

/// Each paper's stems and their counts, for the papers' field texts (in
/// [`super::FIELDS`] order).
pub(super) fn terms_of<T: AsRef<str> + Sync>(texts: &[[T; 4]]) -> Terms {
    let mut chunks: Vec<Chunk> = texts.par_chunks(CHUNK_PAPERS).map(collect_pieces).collect();
    // Every distinct piece, stemmed once by the crate's pipeline.
    let (distinct, renumber) = distinct_pieces(&mut chunks);
    let stemmed: Vec<Option<String>> = distinct
        .par_iter()
        .map_init(
            || {
                let english = English::new();
                let pipeline = english.make_pipeline();
                (english, pipeline)
            },
            |(english, pipeline), piece| pipeline.run(english.tokenize(piece)).pop(),
        )
        .collect();
    let (stems, stem_of) = number_stems(&stemmed);

    // Each chunk's pieces are freed as soon as they are counted.
    let parts: Vec<Terms> = chunks
        .into_par_iter()
        .zip(renumber)
        .map(|(chunk, map)| {
            let local: Vec<Option<u32>> = map.iter().map(|&p| stem_of[p as usize]).collect();
            let mut buffer = Vec::new();
            let mut part = Terms::default();
            for fields in chunk.docs {
                let lengths = std::array::from_fn(|f| count_stems(&fields[f], &local, &mut buffer, &mut part));
                part.lengths.push(lengths);
            }
            part
        })
        .collect();
    let mut terms = Terms { stems, ..Terms::default() };
    terms.reserve(texts.len(), parts.iter().map(|p| p.stem.len()).sum());
    for part in parts {
        let base = terms.stem.len() as u32;
        terms.ends.extend(part.ends.iter().map(|&e| base + e));
        terms.stem.extend_from_slice(&part.stem);
        terms.count.extend_from_slice(&part.count);
        terms.lengths.extend_from_slice(&part.lengths);
    }
    terms
}

/// The postings of analysed papers.
pub(super) fn lay_out(terms: &Terms) -> Analysis {
    let postings = (0..4).into_par_iter().map(|f| postings(terms, f)).collect();
    Analysis { stems: terms.stems.clone(), lengths: terms.lengths.clone(), postings }
}

/// The distinct stems in [`index_order`], and each piece's stem number.
fn number_stems(stemmed: &[Option<String>]) -> (Vec<String>, Vec<Option<u32>>) {
    let unique: rustc_hash::FxHashSet<&str> = stemmed.iter().flatten().map(String::as_str).collect();
    let mut stems: Vec<&str> = unique.into_iter().collect();
    stems.par_sort_unstable_by(|a, b| index_order(a, b));
    let numbers: HashMap<&str, u32> = stems.iter().enumerate().map(|(i, s)| (*s, i as u32)).collect();
    let stem_of = stemmed.iter().map(|s| s.as_deref().map(|s| numbers[s])).collect();
    (stems.into_iter().map(str::to_string).collect(), stem_of)
}

/// Lays out field `field`'s postings by counting: papers stay in order.
fn postings(terms: &Terms, field: usize) -> Postings {
    let stem_count = terms.stems.len();
    let mut offsets = vec![0usize; stem_count + 1];
    for paper in 0..terms.len() {
        for &stem in &terms.stem[terms.range(paper, field)] {
            offsets[stem as usize + 1] += 1;
        }
    }
    for i in 1..offsets.len() {
        offsets[i] += offsets[i - 1];
    }
    let total = offsets[stem_count];
    let (mut papers, mut counts) = (vec![0u32; total], vec![0u32; total]);
    let mut next = offsets.clone();
    for paper in 0..terms.len() {
        let range = terms.range(paper, field);
        for (&stem, &count) in terms.stem[range.clone()].iter().zip(&terms.count[range]) {
            let slot = &mut next[stem as usize];
            papers[*slot] = paper as u32;
            counts[*slot] = count;
            *slot += 1;
        }
    }
    Postings { offsets, docs: papers, counts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_split_like_tokenize_whitespace() {
        for text in ["", " a  b-c--d ", "x\u{0b}y\u{85}z\u{a0}w\u{3000}v\u{200b}u", "naïve—café\tété\n", "-"] {
            let expected: Vec<&str> =
                text.split(|c: char| c.is_whitespace() || c == '-').filter(|p| !p.is_empty()).collect();
            assert_eq!(pieces(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }
}
