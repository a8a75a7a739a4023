//! The compact index format and its files (described in `docs/search.md`).
//!
//! Every file is a script, `paperpressSearchData(name, data);`, that the
//! client injects with a `<script>` tag. `search/index.js` holds the
//! settings and either everything (a small site) or the first stem and the
//! name of each shard. A shard of a split index is two files:
//! `search/v<name>.js`, a run of stems in the order elasticlunr.js expands
//! prefixes (where a misspelt word also looks for its correction), and
//! `search/s<name>.js`, their postings per field. Where shards start and
//! what they are called depend only on the stems near them, so a new day
//! rewrites the stem files of the few shards that gain a stem, not every
//! one after the first change. A file `search/d<i>.js` holds display data
//! of papers `i * docs_per_file ..`, and `search/i<group>.js` the paper
//! numbers of arXiv ids by the month in the id (`i2508.js` for
//! `2508.10833`).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::Relaxed;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::analyze::{Analysis, Postings, index_order};
use super::{DIR, FIELDS, Numbered, SearchDoc};
use crate::config::SearchConfig;
use crate::error::Result;
use crate::sink::{OutputFile, Sink};

/// Version of the format, checked by the client.
pub const FORMAT: u32 = 5;

/// Digits of the numbers in posting lists: the first 32 end a number,
/// the last 32 are followed by more digits (base 32, most significant first).
const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Expected size of a shard, uncompressed; a stem with longer postings gets
/// a shard of its own. See [`partition`].
const SHARD_BYTES: usize = 16 * 1024;

/// Papers per display-data file: a result costs one small file. Eight
/// rather than four halve the files a build writes (1,250 fewer at 10,000
/// papers) for ~20 KB more per query (55 KB gzip, median, at 10,000).
const DOCS_PER_FILE: usize = 8;

/// The postings per field of a run of stems (`""` where a stem is not in
/// a field), and the stems themselves in a small index; a split index
/// writes them once, in the shard's `v<name>.js`.
#[derive(Serialize)]
struct Shard<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    stems: Option<Vec<&'a str>>,
    postings: [Vec<&'a str>; 4],
}

/// What a result shows: title, URL (without the [`Names`] affixes), date,
/// topics (numbers in [`Names::topics`]), the abstract's first
/// [`DISPLAY_CHARS`] characters, authors as a listing names them ([`crate::paper::listed_authors`]), the
/// first code repository (`""` for none).
#[derive(Serialize)]
struct DocRecord<'a>(&'a str, &'a str, &'a str, Vec<usize>, Cow<'a, str>, String, &'a str);

/// What the display records of every paper share, said once in `index.js`:
/// the topic names, and the start and end of every URL (`papers/`, `.html`).
/// Topics are named in the order the papers (oldest first) first have them,
/// so that a new day's new topic takes the next number and the records of
/// the papers before it keep their bytes.
#[derive(Serialize)]
struct Names {
    topics: Vec<String>,
    #[serde(skip)]
    numbers: std::collections::HashMap<String, usize>,
    url_affixes: [String; 2],
}

impl Names {
    fn of(docs: &[SearchDoc]) -> Names {
        let mut numbers = std::collections::HashMap::new();
        let mut topics = Vec::new();
        for topic in docs.iter().flat_map(|d| &d.topics) {
            if !numbers.contains_key(topic) {
                numbers.insert(topic.clone(), topics.len());
                topics.push(topic.clone());
            }
        }
        let affixes = ["papers/", ".html"];
        let shared =
            docs.iter().all(|d| d.url.len() >= 12 && d.url.starts_with(affixes[0]) && d.url.ends_with(affixes[1]));
        let url_affixes = if shared { affixes.map(String::from) } else { [String::new(), String::new()] };
        Names { topics, numbers, url_affixes }
    }

    /// A hash of everything the display records of `docs`, whose keys
    /// are `keys`, are made from (a key stands for everything a paper's
    /// document holds; the topics' numbers are this index's).
    fn records_hash(&self, docs: &[SearchDoc], keys: &[u128]) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = twox_hash::XxHash3_64::new();
        self.url_affixes.hash(&mut hasher);
        for (doc, key) in docs.iter().zip(keys) {
            key.hash(&mut hasher);
            doc.topics.iter().for_each(|t| self.numbers[t].hash(&mut hasher));
            hasher.write_u8(0xff);
        }
        hasher.finish()
    }

    fn record<'a>(&self, doc: &'a SearchDoc) -> DocRecord<'a> {
        let short = crate::paper::listed_authors(&doc.authors);
        let code = doc.code.as_deref().unwrap_or("");
        let [prefix, suffix] = &self.url_affixes;
        let url = &doc.url[prefix.len()..doc.url.len() - suffix.len()];
        let topics = doc.topics.iter().map(|t| self.numbers[t]).collect();
        DocRecord(&doc.title, url, &doc.date, topics, display_start(&doc.abstract_text), short, code)
    }
}

/// Characters of an abstract that results can show an excerpt of: the
/// search page shows all 200 (two lines, as a web search does), the header
/// box 120 around the first match. The whole abstract is indexed; a match
/// further on shows the start. 320 characters took 120 bytes a paper more
/// of the real archive's output (0.52 KB of display data a paper then).
const DISPLAY_CHARS: usize = 200;

/// The start of `text`, cut at a space before [`DISPLAY_CHARS`] characters
/// and then marked `…`, so that a result does not pass for the whole abstract.
fn display_start(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(DISPLAY_CHARS) {
        Some((end, _)) => {
            let start = text[..end].rfind(' ').map_or(&text[..end], |space| &text[..space]);
            Cow::Owned(format!("{}…", start.trim_end_matches(|c: char| c.is_whitespace() || c == ',')))
        }
        None => Cow::Borrowed(text),
    }
}

/// Paper numbers by arXiv id, in groups that split the id where its month
/// ends: `2508.10833` is `10833` in group `2508`, `cond-mat/0412498` is
/// `498` in group `cond-mat_0412`.
fn id_groups(docs: &[SearchDoc]) -> BTreeMap<String, BTreeMap<&str, usize>> {
    let mut groups: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    for (number, doc) in docs.iter().enumerate() {
        let Some(id) = doc.arxiv_id.as_deref() else { continue };
        let (group, rest) = match id.split_once('/') {
            Some((archive, digits)) if digits.len() > 4 => (format!("{archive}_{}", &digits[..4]), &digits[4..]),
            _ if id.len() > 5 && id.as_bytes()[4] == b'.' => (id[..4].to_string(), &id[5..]),
            _ => continue,
        };
        groups.entry(group).or_default().insert(rest, number);
    }
    groups
}

/// `search/index.js`.
#[derive(Serialize)]
struct Meta<'a> {
    format: u32,
    docs: usize,
    fields: [&'static str; 4],
    boost: [u8; 4],
    bool: &'static str,
    expand: bool,
    docs_per_file: usize,
    /// What every display record refers to.
    names: Names,
    /// Split index: the shortest prefix that starts each shard.
    #[serde(skip_serializing_if = "Option::is_none")]
    shard_keys: Option<Vec<String>>,
    /// Split index: the name of each shard's files (`s<name>.js`, `v<name>.js`).
    #[serde(skip_serializing_if = "Option::is_none")]
    shard_names: Option<Vec<String>>,
    /// Split index: whether `v<name>.js` (the stems of each shard) are there.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    vocab: bool,
    /// Split index: the groups of arXiv ids that have an `i<group>.js`.
    #[serde(skip_serializing_if = "Option::is_none")]
    id_groups: Option<Vec<String>>,
    /// Single file: all postings...
    #[serde(skip_serializing_if = "Option::is_none")]
    shard: Option<Shard<'a>>,
    /// ...all display data...
    #[serde(skip_serializing_if = "Option::is_none")]
    doc_list: Option<Vec<DocRecord<'a>>>,
    /// ...and the paper numbers of arXiv ids, by group.
    #[serde(skip_serializing_if = "Option::is_none")]
    ids: Option<BTreeMap<String, BTreeMap<&'a str, usize>>>,
}

/// What [`write`] wrote, for the build log.
pub(super) struct Written {
    pub(super) docs: usize,
    pub(super) stems: usize,
    pub(super) files: usize,
    /// Files made: all but those an incremental build kept.
    pub(super) made: usize,
    /// Bytes of the files made.
    pub(super) bytes: usize,
}

/// Writes the index files of the analysed, numbered `papers` into `sink`.
/// With `keys` (the papers', when the build keeps a record), each file
/// goes with a hash of what it is made from, and is made only if the sink
/// needs it (see [`Sink::put_made`]). A split index is written in the
/// order that frees memory soonest: the display data (then the papers'
/// text is dropped), then the shards.
pub(super) fn write(
    analysis: Analysis,
    mut papers: Numbered,
    keys: Option<&[u128]>,
    config: &SearchConfig,
    sink: &dyn Sink,
) -> Result<Written> {
    let Analysis { stems: all_stems, lengths, postings } = analysis;
    // elasticlunr.js walks its token tree by UTF-16 unit, so a stem with a
    // character outside the BMP can never match there: leave it out.
    let numbers: Vec<usize> =
        all_stems.iter().enumerate().filter(|(_, s)| s.chars().all(|c| c <= '\u{ffff}')).map(|(i, _)| i).collect();
    let stems: Vec<&str> = numbers.iter().map(|&i| all_stems[i].as_str()).collect();
    // The posting lists of the stems `range` of `stems`.
    let lists = |range: Range<usize>| -> Vec<[String; 4]> {
        numbers[range]
            .iter()
            .map(|&stem| {
                std::array::from_fn(|field| {
                    let (papers, counts) = postings[field].of(stem);
                    posting_list(papers, counts, &lengths, field)
                })
            })
            .collect()
    };
    // Each stem's bytes in a shard, counted without writing its lists.
    let sizes: Vec<usize> = numbers
        .par_iter()
        .zip(&stems)
        .map(|(&stem, s)| {
            let lists: usize = (0..4)
                .map(|field| {
                    let (papers, counts) = postings[field].of(stem);
                    posting_list_len(papers, counts, &lengths, field) + 3
                })
                .sum();
            s.len() + 3 + lists
        })
        .collect();
    // Whether the index is small enough for one file; the display data
    // counts only when the postings alone are, and needs every paper's
    // title and abstract then.
    let postings_size: usize = sizes.iter().sum();
    let threshold = config.split_above_kb * 1024;
    let docs_size: usize = if postings_size <= threshold {
        papers.fill(|_| true);
        papers.docs.iter().map(|d| d.title.len() + d.url.len() + d.abstract_text.len() + 32).sum()
    } else {
        0
    };
    let docs = &papers.docs;
    let mut meta = Meta {
        format: FORMAT,
        docs: docs.len(),
        fields: FIELDS,
        boost: [config.boost_title, 1, 1, 1],
        bool: if config.use_boolean_and { "AND" } else { "OR" },
        expand: config.expand,
        docs_per_file: DOCS_PER_FILE,
        names: Names::of(docs),
        shard_keys: None,
        shard_names: None,
        vocab: false,
        id_groups: None,
        shard: None,
        doc_list: None,
        ids: None,
    };
    let paper_count = docs.len();
    let (files, made, bytes) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
    let make = |file: OutputFile| {
        made.fetch_add(1, Relaxed);
        bytes.fetch_add(file.bytes.len(), Relaxed);
        file
    };
    let put = |file: OutputFile| {
        files.fetch_add(1, Relaxed);
        sink.put(make(file))
    };
    // A file made from inputs that hash to `reads`: an incremental build
    // keeps it when the last build's was made from the same. Without keys
    // nothing is recorded by its inputs, and no hash is worked out.
    let put_made = |name: &str, reads: &dyn Fn() -> u64, file: &mut dyn FnMut() -> OutputFile| match keys {
        Some(_) => {
            files.fetch_add(1, Relaxed);
            sink.put_made(&format!("{DIR}/{name}.js"), reads(), &mut || make(file()))
        }
        None => put(file()),
    };
    if postings_size + docs_size <= threshold {
        let lists = lists(0..stems.len());
        let doc_list = Some(docs.iter().map(|d| meta.names.record(d)).collect());
        let whole = Meta {
            shard: Some(shard(&stems, &lists, 0..stems.len(), true)),
            doc_list,
            ids: Some(id_groups(docs)),
            ..meta
        };
        put(script("index", &whole))?;
    } else {
        let chunks: Vec<Range<usize>> =
            (0..docs.len()).step_by(DOCS_PER_FILE).map(|at| at..(at + DOCS_PER_FILE).min(docs.len())).collect();
        chunks.par_iter().enumerate().try_for_each(|(i, range)| {
            let name = format!("d{i}");
            let reads =
                || meta.names.records_hash(&docs[range.clone()], &keys.expect("hashes only with keys")[range.clone()]);
            put_made(&name, &reads, &mut || {
                let chunk = papers.with_texts(range.clone());
                script(&name, &chunk.iter().map(|d| meta.names.record(d)).collect::<Vec<_>>())
            })
        })?;
        let groups = id_groups(docs);
        for (group, ids) in &groups {
            let name = format!("i{group}");
            put_made(&name, &|| hash_of(ids), &mut || script(&name, ids))?;
        }
        meta.id_groups = Some(groups.into_keys().collect());
        drop(papers);
        let ranges = partition(&stems, &sizes, SHARD_BYTES);
        let names = shard_names(&stems, &ranges);
        ranges.par_iter().zip(&names).try_for_each(|(r, name)| {
            let reads = || postings_hash(&numbers[r.clone()], &postings, &lengths);
            put_made(&format!("s{name}"), &reads, &mut || {
                let lists = lists(r.clone());
                script(&format!("s{name}"), &shard(&stems[r.clone()], &lists, 0..r.len(), false))
            })?;
            put_made(&format!("v{name}"), &|| hash_of(&stems[r.clone()]), &mut || {
                script(&format!("v{name}"), &&stems[r.clone()])
            })
        })?;
        meta.shard_keys = Some(ranges.iter().map(|r| shard_key(&stems, r.start)).collect());
        meta.shard_names = Some(names);
        meta.vocab = true;
        put(script("index", &meta))?;
    }
    Ok(Written {
        docs: paper_count,
        stems: all_stems.len(),
        files: files.into_inner(),
        made: made.into_inner(),
        bytes: bytes.into_inner(),
    })
}

/// A posting list: the number of papers, the gaps between their numbers,
/// each count minus one, then each paper's field length; all in
/// [`ALPHABET`] digits. Grouping like values helps gzip.
fn posting_list(papers: &[u32], counts: &[u32], lengths: &[[u32; 4]], field: usize) -> String {
    if papers.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(papers.len() * 4 + 2);
    push_number(&mut out, papers.len() as u32);
    let mut next = 0;
    for &paper in papers {
        push_number(&mut out, paper - next);
        next = paper + 1;
    }
    for &count in counts {
        push_number(&mut out, count - 1);
    }
    for &paper in papers {
        push_number(&mut out, lengths[paper as usize][field]);
    }
    out
}

/// The length of [`posting_list`]'s list, without writing it.
fn posting_list_len(papers: &[u32], counts: &[u32], lengths: &[[u32; 4]], field: usize) -> usize {
    if papers.is_empty() {
        return 0;
    }
    let mut len = number_len(papers.len() as u32);
    let mut next = 0;
    for &paper in papers {
        len += number_len(paper - next);
        next = paper + 1;
    }
    len + counts.iter().map(|&c| number_len(c - 1)).sum::<usize>()
        + papers.iter().map(|&p| number_len(lengths[p as usize][field])).sum::<usize>()
}

/// The digits [`push_number`] writes for `value`.
fn number_len(value: u32) -> usize {
    // Five bits a digit, and one digit for 0.
    (32 - value.leading_zeros()).div_ceil(5).max(1) as usize
}

/// A hash of everything the postings file of the stems `numbers` is
/// made from: each stem's papers, counts and field lengths, per field.
fn postings_hash(numbers: &[usize], postings: &[Postings], lengths: &[[u32; 4]]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = twox_hash::XxHash3_64::new();
    for &stem in numbers {
        for (field, postings) in postings.iter().enumerate() {
            let (papers, counts) = postings.of(stem);
            hasher.write_usize(papers.len());
            hasher.write(bytemuck::cast_slice(papers));
            hasher.write(bytemuck::cast_slice(counts));
            for &paper in papers {
                hasher.write_u32(lengths[paper as usize][field]);
            }
        }
    }
    hasher.finish()
}

/// A hash of what a file is made from (a run of stems, a group of arXiv
/// ids and their papers' numbers).
fn hash_of<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut hasher = twox_hash::XxHash3_64::new();
    value.hash(&mut hasher);
    hasher.finish()
}

fn push_number(out: &mut String, mut value: u32) {
    let mut digits = [0u8; 7];
    let mut n = 0;
    loop {
        digits[n] = (value & 31) as u8;
        n += 1;
        value >>= 5;
        if value == 0 {
            break;
        }
    }
    for i in (0..n).rev() {
        let more = if i > 0 { 32 } else { 0 };
        out.push(ALPHABET[(digits[i] + more) as usize] as char);
    }
}

/// Consecutive runs of `stems` (of `sizes` bytes) of about `target` bytes
/// each, cut where the stems themselves say: once a shard holds
/// `target / 2` bytes, a stem of `s` bytes starts the next one when the
/// [`stable_hash`] of its text, as a fraction of 2^64, is below
/// `s / (target / 2)` (as if each byte started a shard with a chance of
/// 2 in `target`). A stem of more than `target` bytes has a shard of its
/// own, and no shard grows past `2 * target` bytes otherwise.
///
/// A cut depends only on the stem after it and the stems since the cut
/// before, so a new stem or a longer posting list moves at most the cuts
/// just after it, and the shards further on keep their stems. Cutting
/// where a running total passed `target` moved every later cut: a day of
/// 50 papers changed or added the stem files of 281 of 336 shards at
/// 10,000 papers (22 of 340 now). A posting list that grows by `d` bytes turns its stem into a
/// cut, or back, with a chance of `2d / target`.
fn partition(stems: &[&str], sizes: &[usize], target: usize) -> Vec<Range<usize>> {
    let (least, most, rate) = (target / 2, target * 2, (target / 2).max(1) as u128);
    let mut ranges = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, (&stem, &s)) in stems.iter().zip(sizes).enumerate() {
        let cut = size > 0
            && (sizes[i - 1] > target
                || s > target
                || size + s > most
                || (size >= least && u128::from(stable_hash(stem)) * rate < (s as u128) << 64));
        if cut {
            ranges.push(start..i);
            (start, size) = (i, 0);
        }
        size += s;
    }
    if start < sizes.len() || ranges.is_empty() {
        ranges.push(start..sizes.len());
    }
    ranges
}

/// The shortest prefix of shard `start`'s first stem that sorts after the
/// previous shard's last stem (`""` for the first shard).
fn shard_key(stems: &[&str], start: usize) -> String {
    if start == 0 {
        return String::new();
    }
    let (previous, first) = (stems[start - 1], stems[start]);
    let mut key = String::new();
    for c in first.chars() {
        key.push(c);
        if index_order(&key, previous).is_gt() {
            break;
        }
    }
    key
}

/// The name of each of the shards `ranges` of `stems`: six base-32 digits
/// (`0-9a-v`, one case, for file systems that ignore it) of a hash of the
/// shard's first stem, so that a shard keeps its name when others come
/// or go before it. Two shards whose first stems give the same name are
/// told apart in order: the later one hashes again, until its name is free.
fn shard_names(stems: &[&str], ranges: &[Range<usize>]) -> Vec<String> {
    const DIGITS: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
    let mut taken = std::collections::HashSet::new();
    let name = |hash: u64| (0..6).map(|d| DIGITS[(hash >> (5 * d)) as usize & 31] as char).collect::<String>();
    ranges
        .iter()
        .map(|r| {
            let hash = stable_hash(stems.get(r.start).copied().unwrap_or(""));
            (0..)
                .map(|attempt| name(if attempt == 0 { hash } else { rehash(hash, attempt) }))
                .find(|n| taken.insert(n.clone()))
                .expect("2^30 names and fewer shards")
        })
        .collect()
}

/// A hash of `text` for shard cuts and names: FxHash, as words are
/// hashed elsewhere ([`crate::enrich::text::word_hash`]); the same in
/// every build of one paperpress.
fn stable_hash(text: &str) -> u64 {
    crate::enrich::text::word_hash(text)
}

/// A hash of a name's `hash` and the `attempt` to find a free one.
fn rehash(hash: u64, attempt: u64) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write_u64(hash);
    hasher.write_u64(attempt);
    hasher.finish()
}

fn shard<'a>(stems: &[&'a str], lists: &'a [[String; 4]], range: Range<usize>, with_stems: bool) -> Shard<'a> {
    Shard {
        stems: with_stems.then(|| stems[range.clone()].to_vec()),
        postings: std::array::from_fn(|f| lists[range.clone()].iter().map(|l| l[f].as_str()).collect()),
    }
}

fn script(name: &str, data: &impl Serialize) -> OutputFile {
    let json = serde_json::to_string(data).expect("index data serializes: plain strings and numbers");
    OutputFile {
        path: format!("{DIR}/{name}.js"),
        bytes: format!("paperpressSearchData(\"{name}\",{json});\n").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Vec<u32> {
        let mut numbers = Vec::new();
        let mut value = 0;
        for b in text.bytes() {
            let digit = ALPHABET.iter().position(|&a| a == b).unwrap() as u32;
            value = value * 32 + (digit & 31);
            if digit < 32 {
                numbers.push(value);
                value = 0;
            }
        }
        numbers
    }

    #[test]
    fn posting_lists_hold_gaps_counts_and_lengths() {
        let lengths = [[0, 0, 0, 5], [0, 0, 0, 70], [0, 0, 0, 9], [0, 0, 0, 1200]];
        let list = posting_list(&[1, 3], &[1, 40], &lengths, 3);
        assert_eq!(decode(&list), [2, 1, 1, 0, 39, 70, 1200]);
        assert_eq!(posting_list(&[], &[], &lengths, 3), "");
    }

    #[test]
    fn a_posting_list_is_as_long_as_counted() {
        let lengths: Vec<[u32; 4]> =
            (0..40_000u32).map(|p| [p % 7, p * 13 % 5000, 0, p.wrapping_mul(2654435761) >> 8]).collect();
        for papers in [
            vec![],
            vec![0],
            vec![31],
            vec![32],
            vec![1023, 1024, 1056],
            vec![0, 1, 2, 39_999],
            (0..400).map(|p| p * 97).collect(),
        ] {
            let counts: Vec<u32> = papers.iter().map(|&p| 1 + p % 1500).collect();
            for field in 0..4 {
                let list = posting_list(&papers, &counts, &lengths, field);
                assert_eq!(posting_list_len(&papers, &counts, &lengths, field), list.len(), "{papers:?} {field}");
            }
        }
        for value in [0, 1, 31, 32, 1023, 1024, 32_767, 32_768, u32::MAX] {
            let mut out = String::new();
            push_number(&mut out, value);
            assert_eq!(number_len(value), out.len(), "{value}");
        }
    }

    #[test]
    fn results_show_the_start_of_long_abstracts() {
        assert_eq!(display_start("short"), "short");
        let long = "word ".repeat(400);
        let start = display_start(&long);
        let count = start.chars().count();
        assert!(count <= DISPLAY_CHARS + 1 && count > DISPLAY_CHARS - 6, "{count}");
        assert!(start.ends_with("word…"), "a cut start says it goes on: {start}");
        let wide = "é".repeat(2000);
        assert_eq!(display_start(&wide).chars().count(), DISPLAY_CHARS + 1);
    }

    #[test]
    fn arxiv_ids_are_grouped_by_month() {
        let doc = |id: Option<&str>| SearchDoc { arxiv_id: id.map(String::from), ..SearchDoc::default() };
        let docs = [doc(Some("2508.10833")), doc(None), doc(Some("cond-mat/0412498")), doc(Some("2508.00001"))];
        let groups = id_groups(&docs);
        let flat: Vec<(String, &str, usize)> =
            groups.iter().flat_map(|(g, ids)| ids.iter().map(move |(k, &n)| (g.clone(), *k, n))).collect();
        assert_eq!(
            flat,
            [("2508".into(), "00001", 3), ("2508".into(), "10833", 0), ("cond-mat_0412".into(), "498", 2)]
        );
    }

    #[test]
    fn shards_are_consecutive_and_keys_separate_them() {
        // Nothing cuts by hash below half the target, always above it a
        // stem of half the target or more.
        let stems = ["a", "b", "c", "d", "e", "f", "g"];
        assert_eq!(partition(&stems[..5], &[20, 20, 20, 150, 1], 100), [0..3, 3..4, 4..5], "a big stem alone");
        assert_eq!(partition(&stems, &[70; 7], 100), [0..1, 1..2, 2..3, 3..4, 4..5, 5..6, 6..7], "always past half");
        assert_eq!(partition(&[], &[], 25), vec![0..0; 1]);
        let stems = ["9", "ab", "abc", "b", "bcd"];
        assert_eq!(shard_key(&stems, 0), "");
        assert_eq!(shard_key(&stems, 2), "abc");
        assert_eq!(shard_key(&stems, 3), "b");
        assert_eq!(shard_key(&stems, 4), "bc");
    }

    /// Stems `w0000..`.
    fn words(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("w{i:04}")).collect()
    }

    #[test]
    fn shards_are_cut_by_their_stems_near_the_target() {
        let owned = words(4000);
        let stems: Vec<&str> = owned.iter().map(String::as_str).collect();
        let sizes = vec![40; stems.len()];
        let ranges = partition(&stems, &sizes, 1000);
        let bytes: Vec<usize> = ranges.iter().map(|r| r.len() * 40).collect();
        assert!(bytes.iter().all(|&b| b <= 2000), "{bytes:?}");
        assert!(bytes[..bytes.len() - 1].iter().all(|&b| b >= 520), "{bytes:?}");
        let mean = bytes.iter().sum::<usize>() / bytes.len();
        assert!((800..1300).contains(&mean), "about the target on average: {mean}");
        assert_eq!(ranges.iter().map(|r| r.len()).sum::<usize>(), stems.len());
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
    }

    #[test]
    fn a_new_stem_or_longer_postings_move_only_the_cuts_near_them() {
        let owned = words(4000);
        let stems: Vec<&str> = owned.iter().map(String::as_str).collect();
        let sizes = vec![40; stems.len()];
        let names = |stems: &[&str], sizes: &[usize]| {
            let ranges = partition(stems, sizes, 1000);
            let names = shard_names(stems, &ranges);
            names.into_iter().zip(ranges.iter().map(|r| stems[r.clone()].join(" "))).collect::<Vec<_>>()
        };
        let before = names(&stems, &sizes);
        // A stem inserted early on, and a posting list grown a little later.
        let (mut stems2, mut sizes2) = (stems.clone(), sizes.clone());
        stems2.insert(100, "w0099a");
        sizes2.insert(100, 40);
        sizes2[2000] += 30;
        let after = names(&stems2, &sizes2);
        let kept = after.iter().filter(|shard| before.contains(shard)).count();
        assert!(kept + 6 >= after.len(), "{kept} of {} shards kept their stems and name", after.len());
        assert!(before.len() > 100);
    }

    #[test]
    fn shard_names_are_short_distinct_and_stable() {
        // Enough shards that some first stems give the same six digits.
        let owned = words(100_000);
        let stems: Vec<&str> = owned.iter().map(String::as_str).collect();
        let ranges: Vec<Range<usize>> = (0..stems.len()).map(|i| i..i + 1).collect();
        let names = shard_names(&stems, &ranges);
        let digit = |b: u8| b.is_ascii_digit() || (b'a'..=b'v').contains(&b);
        assert!(names.iter().all(|n| n.len() == 6 && n.bytes().all(digit)));
        assert_eq!(names.iter().collect::<std::collections::HashSet<_>>().len(), names.len());
        assert_eq!(names, shard_names(&stems, &ranges), "the same names every time");
    }
}
