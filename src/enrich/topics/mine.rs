//! Automatic topics: names the papers share (`Gaussian splatting`, `GUI
//! agents`, `Mamba`), mined from all papers, and offered under the rule
//! topic most of their papers have.
//!
//! A name is a phrase of one to four words that the titles or AI keywords
//! of several papers use. Three passes, each linear in the papers:
//! [`Names::collect`] counts the phrases of titles and AI keywords and
//! keeps those several papers share; [`Names::abstract_sightings`] (in the
//! text analysis, beside the rules) and [`Names::mentions`] find them in each paper and measures how
//! the abstracts use them; [`automatic_topics`] keeps the specific ones
//! and makes topics of them.
//!
//! What makes a phrase specific is measured, not listed: a name is
//! written as one (a single word must be capitalised or an acronym in the
//! middle of sentences: `Mamba`, `LoRA`, not `dynamic`), it heads what it
//! says rather than modifying the next word (`real-world data`, `3D
//! Gaussian`), papers that use it use it again and in their titles, and it
//! sets a small share of papers apart. A phrase that is mostly part of a
//! longer one (`large language` in `large language model`) gives way to it.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::super::Doc;
use super::super::text::{Token, phrase, tokens, word_hash};
use super::{Topic, TopicKind};
use crate::config::{TaxonomyConfig, TopicRule, topic_slug};
use crate::math;
use crate::paper::Paper;

/// In [`Names::scan`]: a phrase that is no candidate itself.
const NOT_A_NAME: u32 = u32::MAX >> 1;

/// In [`Names::scan`]: a longer candidate begins with this phrase.
const BEGINS_NAME: u32 = !NOT_A_NAME;

/// The longest name, in words.
const MAX_WORDS: usize = 4;

/// An automatic topic may hold at most this share (percent) of the papers:
/// a topic without children above a tenth of a site is too broad to browse.
const MAX_SHARE: usize = 10;

/// A topic needs at least one paper in this many of a large site, so that
/// 100,000 papers do not make thousands of tiny topics.
const MIN_SHARE_DIVISOR: usize = 1_000;

/// A name has a word that at most this share of abstracts use...
const MAX_WORD_SHARE: f64 = 0.05;

/// ...on sites of at least this many papers.
const MIN_PAPERS_FOR_WORD_SHARE: usize = 500;

/// The start of a phrase key, before any word.
const KEY_SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// The most papers an automatic topic of a site of `n` papers may hold: a
/// tenth, or on a small site (a single day) ten.
fn max_papers(n: usize, min: usize) -> usize {
    (n * MAX_SHARE / 100).max(SMALL_SITE_TOPIC).max(min)
}

/// The most papers an automatic topic may hold on a site of a hundred papers
/// or fewer.
const SMALL_SITE_TOPIC: usize = 10;

/// The key of a phrase, one word hash at a time (see [`word_hash`]).
fn extend_key(key: u64, word: u64) -> u64 {
    (key.rotate_left(23) ^ word).wrapping_mul(0x0100_0000_01b3)
}

/// The key of a phrase from the hashes of its normalised words.
pub fn phrase_key(word_hashes: impl IntoIterator<Item = u64>) -> u64 {
    word_hashes.into_iter().fold(KEY_SEED, extend_key)
}

/// What the abstracts say about a name, summed over papers.
#[derive(Debug, Default)]
struct Usage {
    /// Papers with the name in the abstract.
    papers: AtomicU32,
    /// Occurrences in abstracts (at most 5 a paper).
    occurrences: AtomicU32,
    /// Occurrences not at the start of a sentence.
    mid: AtomicU32,
    /// Of those, written with a capital letter (`Mamba`, `LoRA`).
    capitalised: AtomicU32,
    /// Occurrences right before another word of the same noun phrase, as a
    /// modifier (`real-world data`, `3D Gaussian splatting`).
    modifying: AtomicU32,
    /// Titles where it modifies the next word.
    title_modifying: AtomicU32,
    /// Papers with it in the title that use it in the abstract too.
    title_and_abstract: AtomicU32,
}

/// Candidate names: phrases the titles and AI keywords of several papers
/// share, with what the papers do with them.
#[derive(Debug, Default)]
pub struct Names {
    /// Phrase key -> candidate.
    index: FxHashMap<u64, u32>,
    /// Candidate -> phrase key (ascending).
    keys: Vec<u64>,
    /// What abstracts are scanned with, in one lookup a word: phrase key ->
    /// the candidate it is ([`NOT_A_NAME`] if none), with [`BEGINS_NAME`]
    /// set when a longer candidate begins with it.
    scan: FxHashMap<u64, u32>,
    /// Each candidate's normalised words, space-separated, once seen.
    words: Vec<OnceLock<Box<str>>>,
    /// Papers with the candidate in the title.
    titled: Vec<u32>,
    /// Candidates only `topics.lock` names: found in the papers for the
    /// locked topics, never mined (so that a lock changes nothing mining
    /// chooses).
    lock_only: Vec<bool>,
    /// How abstracts use it.
    usage: Vec<Usage>,
}

/// A paper's mention of a candidate name, strong enough to make it one of
/// the name's papers (scored like a rule: see [`TaxonomyConfig`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// The candidate.
    pub name: u32,
    /// In the title.
    pub title: bool,
}

/// A candidate sighted in an abstract: its phrase key, and what was seen
/// (the `IN_LEAD`, `IN_ABSTRACT`, `MID_SENTENCE`, `CAPITALISED` and
/// `MODIFIES` bits).
pub type AbstractSighting = (u64, u8);

/// The phrases of `tokens` (of `text`) that can name a topic: one to
/// [`MAX_WORDS`] adjacent words (not across punctuation), neither first
/// nor last a stop word, no number or single letter, and not cutting a
/// hyphenated compound. Calls `found(start, end, key)`.
fn phrases_of(text: &str, tokens: &[Token], mut found: impl FnMut(usize, usize, u64)) {
    for start in 0..tokens.len() {
        if tokens[start].stop || !usable(&tokens[start]) || inside_compound(text, tokens, start) {
            continue;
        }
        let mut key = extend_key(KEY_SEED, tokens[start].hash);
        let mut end = start + 1;
        loop {
            let compound_goes_on = tokens.get(end).is_some_and(|next| hyphenated(text, &tokens[end - 1], next));
            if !tokens[end - 1].stop && !compound_goes_on {
                found(start, end, key);
            }
            if end - start == MAX_WORDS || !extends(text, tokens, end) {
                break;
            }
            key = extend_key(key, tokens[end].hash);
            end += 1;
        }
    }
}

/// A word that can be part of a name: two characters or more, not a number.
fn usable(token: &Token) -> bool {
    token.norm.len() >= 2 && !token.norm.bytes().all(|b| b.is_ascii_digit())
}

/// Whether word `i` continues a hyphenated compound that began with a word
/// other than a stop word: a name neither starts nor ends inside a
/// compound (`language-action` is no name in `vision-language-action`),
/// though it may drop the stop words a compound begins with (`context
/// learning` of `In-Context Learning`).
fn inside_compound(text: &str, tokens: &[Token], i: usize) -> bool {
    let mut at = i;
    while at > 0 && hyphenated(text, &tokens[at - 1], &tokens[at]) {
        at -= 1;
        if !tokens[at].stop {
            return true;
        }
    }
    false
}

/// Whether a hyphen, and nothing else, joins two tokens.
fn hyphenated(text: &str, a: &Token, b: &Token) -> bool {
    &text[a.end..b.start] == "-"
}

/// Two tokens are adjacent when only spaces or a hyphen separate them.
fn adjacent(text: &str, a: &Token, b: &Token) -> bool {
    text[a.end..b.start].bytes().all(|c| c == b' ' || c == b'-')
}

/// A text and its words.
type Words = (String, Vec<Token>);

/// The words of a paper's title and of each of its AI keywords, for the
/// first count.
fn title_and_keyword_tokens(paper: &Paper) -> (Words, Vec<Words>) {
    let title = math::source_text(&paper.title);
    let title_tokens = tokens(&title);
    let keywords = paper.ai_keywords.iter().map(|k| (k.clone(), tokens(k))).collect();
    ((title, title_tokens), keywords)
}

/// The distinct phrase keys of a paper's title (`true`) and AI keywords
/// (`false`), a title phrase once even when a keyword has it too, and
/// whether each is a single word.
fn paper_keys(paper: &Paper) -> Vec<(u64, bool, bool)> {
    let ((title, title_tokens), keywords) = title_and_keyword_tokens(paper);
    let mut keys: Vec<(u64, bool, bool)> = Vec::new();
    phrases_of(&title, &title_tokens, |start, end, key| keys.push((key, true, end - start == 1)));
    for (keyword, tokens) in &keywords {
        phrases_of(keyword, tokens, |start, end, key| keys.push((key, false, end - start == 1)));
    }
    // Title first for each key, then one entry per key.
    keys.sort_unstable_by_key(|&(key, title, _)| (key, !title));
    keys.dedup_by_key(|k| k.0);
    keys
}

impl Names {
    /// The fewest papers an automatic topic of a site of `papers` needs.
    pub fn min_papers(papers: usize, settings: &TaxonomyConfig) -> usize {
        settings.auto_min_papers.max(2).max(papers / MIN_SHARE_DIVISOR)
    }

    /// Counts the phrases of every title and AI keyword and keeps, as
    /// candidates, those at least `min_papers` papers share and at most a
    /// tenth of them.
    pub fn collect(papers: &[Paper], settings: &TaxonomyConfig) -> Names {
        Names::collect_with(papers, settings, &[])
    }

    /// [`Names::collect`], with the phrases of locked topics (normalised
    /// words, space-separated) as candidates too, whatever their counts.
    pub fn collect_with(papers: &[Paper], settings: &TaxonomyConfig, locked: &[&str]) -> Names {
        if !settings.auto || papers.is_empty() {
            return Names::default();
        }
        let chunk = (papers.len() / (4 * rayon::current_num_threads().max(1))).max(256);
        let (counts, single_words) = count_keys(papers, chunk);
        let min = Names::min_papers(papers.len(), settings) as u32;
        let max = max_papers(papers.len(), min as usize) as u32;
        // Single words stay however common, so that how common each word of
        // a phrase is can be told (see `rarest_word_share`).
        let mut kept: Vec<(u64, (u32, u32))> = counts
            .into_iter()
            .filter(|&(key, (t, k))| t + k >= min && (t.max(k) <= max || single_words.contains(&key)))
            .collect();
        let mined: FxHashSet<u64> = kept.iter().map(|&(key, _)| key).collect();
        let locked: FxHashMap<u64, &str> = locked
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| (phrase_key(p.split(' ').map(word_hash)), *p))
            .filter(|(key, _)| !mined.contains(key))
            .collect();
        kept.extend(locked.keys().map(|&key| (key, (0, 0))));
        kept.sort_unstable_by_key(|&(key, _)| key);
        let mut names = Names {
            index: kept.iter().enumerate().map(|(i, &(key, _))| (key, i as u32)).collect(),
            keys: kept.iter().map(|&(key, _)| key).collect(),
            titled: kept.iter().map(|&(_, (t, _))| t).collect(),
            words: (0..kept.len()).map(|_| OnceLock::new()).collect(),
            usage: (0..kept.len()).map(|_| Usage::default()).collect(),
            lock_only: kept.iter().map(|(key, _)| locked.contains_key(key)).collect(),
            scan: FxHashMap::default(),
        };
        let mut prefixes = names.prefixes_of(papers, chunk);
        for (key, words) in &locked {
            let _ = names.words[names.index[key] as usize].set(words.to_string().into_boxed_str());
            let words: Vec<&str> = words.split(' ').collect();
            prefixes.extend((1..words.len()).map(|n| phrase_key(words[..n].iter().map(|w| word_hash(w)))));
        }
        names.scan = names.index.clone();
        for prefix in prefixes {
            *names.scan.entry(prefix).or_insert(NOT_A_NAME) |= BEGINS_NAME;
        }
        names
    }

    /// Keys of every proper beginning of a candidate, found in the titles
    /// and keywords that hold the candidates.
    fn prefixes_of(&self, papers: &[Paper], chunk: usize) -> FxHashSet<u64> {
        papers
            .par_chunks(chunk)
            .map(|chunk| {
                let mut prefixes = FxHashSet::default();
                for paper in chunk {
                    let ((title, title_tokens), keywords) = title_and_keyword_tokens(paper);
                    let texts = std::iter::once((title.as_str(), &title_tokens))
                        .chain(keywords.iter().map(|(k, t)| (k.as_str(), t)));
                    for (text, tokens) in texts {
                        phrases_of(text, tokens, |start, end, key| {
                            if end - start > 1 && self.index.contains_key(&key) {
                                let mut prefix = KEY_SEED;
                                for token in &tokens[start..end - 1] {
                                    prefix = extend_key(prefix, token.hash);
                                    prefixes.insert(prefix);
                                }
                            }
                        });
                    }
                }
                prefixes
            })
            .reduce(FxHashSet::default, |mut a, b| {
                a.extend(b);
                a
            })
    }

    /// The candidate a phrase (normalised words, space-separated) is.
    pub fn candidate(&self, words: &str) -> Option<u32> {
        self.index.get(&phrase_key(words.split(' ').map(word_hash))).copied()
    }

    /// Whether there are no candidates.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Finds the candidates in one paper's title and AI keywords, takes
    /// the sightings [`Names::abstract_sightings`] found in its abstract
    /// (for this site's candidates or an earlier build's: those that are no
    /// candidate now are left out), adds to what is known of how abstracts
    /// use them, and returns the paper's strong mentions: in the title or
    /// an AI keyword, or enough in the abstract to score like a rule's
    /// match.
    pub fn mentions(&self, paper: &Paper, in_abstract: &[AbstractSighting], settings: &TaxonomyConfig) -> Vec<Mention> {
        if self.is_empty() {
            return Vec::new();
        }
        let ((title, title_tokens), keywords) = title_and_keyword_tokens(paper);
        // Every sighting as one number (candidate, then what was seen),
        // sorted and summed per candidate: cheaper than a map per paper.
        let mut seen: Vec<u64> = Vec::with_capacity(in_abstract.len() + 8);
        phrases_of(&title, &title_tokens, |start, end, key| {
            if let Some(&name) = self.index.get(&key) {
                self.remember_words(name, &title_tokens[start..end]);
                seen.push(sighting(name, IN_TITLE | if modifies(&title, &title_tokens, end) { MODIFIES } else { 0 }));
            }
        });
        for (keyword, tokens) in &keywords {
            phrases_of(keyword, tokens, |start, end, key| {
                if let Some(&name) = self.index.get(&key) {
                    self.remember_words(name, &tokens[start..end]);
                    seen.push(sighting(name, IN_KEYWORD));
                }
            });
        }
        for &(key, flags) in in_abstract {
            if let Some(&name) = self.index.get(&key) {
                seen.push(sighting(name, u64::from(flags)));
            }
        }
        seen.sort_unstable();
        let mut mentions = Vec::new();
        for run in seen.chunk_by(|a, b| a >> 32 == b >> 32) {
            let name = (run[0] >> 32) as u32;
            if let Some(mention) = self.count(name, run, settings) {
                mentions.push(mention);
            }
        }
        mentions
    }

    /// Every sighting of a candidate in the abstract, by the candidate's
    /// phrase key. Whether a phrase is sighted at a place depends on the
    /// text alone, not on the other candidates, so an earlier build's
    /// sightings hold for the candidates both builds have.
    pub fn abstract_sightings(&self, doc: &Doc) -> Vec<AbstractSighting> {
        let mut found = Vec::new();
        if self.is_empty() {
            return found;
        }
        let lead = doc.lead_tokens();
        let (text, tokens) = (&doc.abstract_text, &doc.abstract_tokens);
        self.scan_abstract(text, tokens, |start, end, name| {
            let mut flags = if start < lead { IN_LEAD } else { IN_ABSTRACT };
            if !sentence_start(text, tokens, start) {
                flags |= MID_SENTENCE;
                if text[tokens[start].start..tokens[end - 1].end].chars().any(char::is_uppercase) {
                    flags |= CAPITALISED;
                }
            }
            if modifies(text, tokens, end) {
                flags |= MODIFIES;
            }
            found.push((self.keys[name as usize], flags as u8));
        });
        found
    }

    /// The phrase keys of the candidates, ascending.
    pub fn keys(&self) -> &[u64] {
        &self.keys
    }

    /// The words of each of `keys` (candidates' phrase keys), as the titles
    /// and AI keywords of `papers` write them; a key no title or keyword
    /// has (a locked topic's phrase) is left out.
    pub fn words_of(papers: &[Paper], keys: &FxHashSet<u64>) -> FxHashMap<u64, Vec<Token>> {
        if keys.is_empty() {
            return FxHashMap::default();
        }
        papers
            .par_iter()
            .fold(FxHashMap::default, |mut words: FxHashMap<u64, Vec<Token>>, paper| {
                let ((title, title_tokens), keywords) = title_and_keyword_tokens(paper);
                let texts = std::iter::once((title.as_str(), &title_tokens))
                    .chain(keywords.iter().map(|(k, t)| (k.as_str(), t)));
                for (text, tokens) in texts {
                    phrases_of(text, tokens, |start, end, key| {
                        if keys.contains(&key) {
                            words.entry(key).or_insert_with(|| tokens[start..end].to_vec());
                        }
                    });
                }
                words
            })
            .reduce(FxHashMap::default, |mut a, b| {
                for (key, words) in b {
                    a.entry(key).or_insert(words);
                }
                a
            })
    }

    /// Adds one paper's sightings of candidate `name` to what is known of
    /// it, and makes a mention of them if they are strong enough.
    fn count(&self, name: u32, run: &[u64], settings: &TaxonomyConfig) -> Option<Mention> {
        let has = |flag: u64| run.iter().any(|s| s & flag != 0);
        let abstract_runs: Vec<u64> = run.iter().copied().filter(|s| s & (IN_LEAD | IN_ABSTRACT) != 0).collect();
        let usage = &self.usage[name as usize];
        let title = has(IN_TITLE);
        if title && run.iter().any(|s| s & (IN_TITLE | MODIFIES) == (IN_TITLE | MODIFIES)) {
            usage.title_modifying.fetch_add(1, Relaxed);
        }
        if !abstract_runs.is_empty() {
            let count = |flag: u64| (abstract_runs.iter().filter(|s| *s & flag != 0).count() as u32).min(5);
            usage.papers.fetch_add(1, Relaxed);
            usage.occurrences.fetch_add((abstract_runs.len() as u32).min(5), Relaxed);
            usage.mid.fetch_add(count(MID_SENTENCE), Relaxed);
            usage.capitalised.fetch_add(count(CAPITALISED), Relaxed);
            usage.modifying.fetch_add(count(MODIFIES), Relaxed);
            if title {
                usage.title_and_abstract.fetch_add(1, Relaxed);
            }
        }
        let later = abstract_runs.iter().filter(|s| *s & IN_ABSTRACT != 0).count() as u32;
        let score = u32::from(title) * settings.title_weight
            + u32::from(has(IN_KEYWORD)) * settings.keyword_weight
            + u32::from(has(IN_LEAD)) * settings.lead_weight
            + later.min(3);
        (score >= settings.min_score.max(1)).then_some(Mention { name, title })
    }

    /// Calls `found(start, end, candidate)` for every candidate in an
    /// abstract, one lookup per word tried.
    fn scan_abstract(&self, text: &str, tokens: &[Token], mut found: impl FnMut(usize, usize, u32)) {
        for start in 0..tokens.len() {
            if tokens[start].stop || !usable(&tokens[start]) || inside_compound(text, tokens, start) {
                continue;
            }
            let mut key = extend_key(KEY_SEED, tokens[start].hash);
            let mut end = start + 1;
            while let Some(&entry) = self.scan.get(&key) {
                let name = entry & NOT_A_NAME;
                let compound_goes_on = tokens.get(end).is_some_and(|next| hyphenated(text, &tokens[end - 1], next));
                if name != NOT_A_NAME && !compound_goes_on {
                    found(start, end, name);
                }
                if entry & BEGINS_NAME == 0 || end - start == MAX_WORDS || !extends(text, tokens, end) {
                    break;
                }
                key = extend_key(key, tokens[end].hash);
                end += 1;
            }
        }
    }

    fn remember_words(&self, name: u32, words: &[Token]) {
        self.words[name as usize]
            .get_or_init(|| words.iter().map(|t| t.norm.as_str()).collect::<Vec<_>>().join(" ").into_boxed_str());
    }
}

/// How many titles (first) and AI keyword lists (second) hold each phrase
/// key, and the keys of single words.
fn count_keys(papers: &[Paper], chunk: usize) -> (FxHashMap<u64, (u32, u32)>, FxHashSet<u64>) {
    papers
        .par_chunks(chunk)
        .map(|chunk| {
            let mut counts: FxHashMap<u64, (u32, u32)> = FxHashMap::default();
            let mut singles: FxHashSet<u64> = FxHashSet::default();
            for paper in chunk {
                for (key, title, single) in paper_keys(paper) {
                    let entry = counts.entry(key).or_default();
                    if title {
                        entry.0 += 1
                    } else {
                        entry.1 += 1
                    }
                    if single {
                        singles.insert(key);
                    }
                }
            }
            (counts, singles)
        })
        .reduce(Default::default, |(a, mut sa), (b, sb)| {
            sa.extend(sb);
            let merged = if a.len() < b.len() { merge_counts(b, a) } else { merge_counts(a, b) };
            (merged, sa)
        })
}

fn merge_counts(mut a: FxHashMap<u64, (u32, u32)>, b: FxHashMap<u64, (u32, u32)>) -> FxHashMap<u64, (u32, u32)> {
    for (key, (t, k)) in b {
        let entry = a.entry(key).or_default();
        entry.0 += t;
        entry.1 += k;
    }
    a
}

/// What a sighting of a candidate was, as bits under its candidate number.
const IN_TITLE: u64 = 1;
const IN_KEYWORD: u64 = 2;
const IN_LEAD: u64 = 4;
const IN_ABSTRACT: u64 = 8;
const MID_SENTENCE: u64 = 16;
const CAPITALISED: u64 = 32;
const MODIFIES: u64 = 64;

/// A sighting of candidate `name`, sorting with the others of `name`.
fn sighting(name: u32, flags: u64) -> u64 {
    (u64::from(name) << 32) | flags
}

/// Whether a phrase ending before word `end` may go on to it: a usable word
/// joined by a space or a hyphen, and a stop word only inside a compound or
/// as `of` (see [`phrases_of`]).
fn extends(text: &str, tokens: &[Token], end: usize) -> bool {
    let Some(next) = tokens.get(end) else { return false };
    if !usable(next) || !adjacent(text, &tokens[end - 1], next) {
        return false;
    }
    let joined = tokens
        .get(end + 1)
        .is_some_and(|after| hyphenated(text, &tokens[end - 1], next) && hyphenated(text, next, after));
    !next.stop || joined || next.norm == "of"
}

/// Whether the phrase that ends before word `end` modifies the word after
/// it, as part of one noun phrase (`real-world data`).
fn modifies(text: &str, tokens: &[Token], end: usize) -> bool {
    tokens.get(end).is_some_and(|t| !t.stop && usable(t) && adjacent(text, &tokens[end - 1], t))
}

/// Whether word `i` starts a sentence (or the text).
fn sentence_start(text: &str, tokens: &[Token], i: usize) -> bool {
    i == 0 || text[tokens[i - 1].end..tokens[i].start].contains(['.', '!', '?', ':', '\n'])
}

/// What mining needs from the rest of topic assignment.
pub struct Context<'a> {
    /// The papers.
    pub papers: &'a [Paper],
    /// Each paper's evidence, with its mentions.
    pub evidence: &'a [super::PaperEvidence],
    /// The rules, whose keywords are not mined again.
    pub rules: &'a [TopicRule],
    /// Each paper's topics from front matter and rules.
    pub of_paper: &'a [Vec<usize>],
    /// The topics so far: rules, then front matter topics.
    pub topics: &'a [Topic],
    /// Papers whose front matter names their topics: mining leaves them be.
    pub explicit: &'a [bool],
}

/// How specific a candidate is, from how the papers use it.
#[derive(Debug, Clone)]
struct Profile {
    /// A rule's keyword already: not a topic of its own.
    taken: bool,
    /// Abstracts using its rarest word.
    rarest: usize,
    words: String,
    word_count: usize,
    papers: Vec<usize>,
    titled: u32,
    /// Share of abstract occurrences in mid-sentence that are capitalised.
    capitalised: f64,
    /// Share of abstract occurrences that modify a following word.
    modifying: f64,
    /// Share of the papers mentioning it that have it in the title.
    keyness: f64,
    /// Share of the papers with it in the title that use it in the
    /// abstract too: a name is discussed, a title idiom (`bridging the
    /// gap`) is not.
    support: f64,
}

/// The automatic topics: specific candidates with enough papers, each
/// under the rule topic most of its papers have.
pub fn automatic_topics(names: &Names, context: &Context, settings: &TaxonomyConfig) -> Vec<Topic> {
    if names.is_empty() {
        return Vec::new();
    }
    let n = context.papers.len();
    let min = Names::min_papers(n, settings);
    let max = max_papers(n, min);
    let members = members_of(names, context);
    let taken: FxHashSet<u64> = context
        .rules
        .iter()
        .flat_map(|r| r.keywords.iter().chain(&r.title_keywords))
        .map(|k| phrase_key(phrase(k).iter().map(|w| word_hash(w))))
        .collect();
    let keys: FxHashMap<u32, u64> = names.index.iter().map(|(&k, &v)| (v, k)).collect();
    let mut profiles: Vec<Profile> = (0..names.words.len())
        .filter(|&c| !names.lock_only[c] && (min..=max).contains(&members[c].len()))
        .filter_map(|c| profile(names, c as u32, &members[c], taken.contains(&keys[&(c as u32)])))
        .collect();
    for p in &mut profiles {
        p.rarest = rarest_word_papers(names, &p.words);
    }
    // A rule's keywords are not mined again, but they still absorb their
    // fragments (`anything` of `segment anything`).
    let usable: Vec<bool> = profiles.iter().map(|p| p.taken || specific(p, min, n)).collect();
    let mut profiles = without_fragments(profiles, &usable);
    profiles.retain(|p| !p.taken);
    let chosen = choose(profiles, n);
    place(chosen, context, min)
}

/// How many abstracts use the phrase's rarest word: a name has a word of
/// its own (`splatting`, `mind`), a phrase of common words (`unified
/// framework`) has none. A word too rare to be a candidate counts as used
/// by none.
fn rarest_word_papers(names: &Names, words: &str) -> usize {
    words
        .split(' ')
        .filter(|w| !crate::enrich::text::is_stop_word(w))
        .map(|w| {
            let key = extend_key(KEY_SEED, word_hash(w));
            let mined = names.index.get(&key).filter(|&&c| !names.lock_only[c as usize]);
            mined.map_or(0, |&c| names.usage[c as usize].papers.load(Relaxed))
        })
        .min()
        .unwrap_or(0) as usize
}

/// Each candidate's papers: those with a strong mention, front matter
/// topics aside.
fn members_of(names: &Names, context: &Context) -> Vec<Vec<usize>> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); names.words.len()];
    for (p, evidence) in context.evidence.iter().enumerate() {
        if context.explicit[p] {
            continue;
        }
        for mention in &evidence.mentions {
            members[mention.name as usize].push(p);
        }
    }
    members
}

fn ratio_of(a: u32, b: u32) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn profile(names: &Names, c: u32, papers: &[usize], taken: bool) -> Option<Profile> {
    let words = names.words[c as usize].get()?.to_string();
    let usage = &names.usage[c as usize];
    let ratio = |a: &AtomicU32, b: &AtomicU32| {
        let b = b.load(Relaxed);
        if b == 0 { 0.0 } else { a.load(Relaxed) as f64 / b as f64 }
    };
    let in_abstract = usage.papers.load(Relaxed);
    let titled = names.titled[c as usize];
    let mentioned = (in_abstract.max(papers.len() as u32)).max(titled);
    Some(Profile {
        taken,
        rarest: 0,
        word_count: words.split(' ').count(),
        words,
        papers: papers.to_vec(),
        titled,
        capitalised: ratio(&usage.capitalised, &usage.mid),
        modifying: (usage.modifying.load(Relaxed) + usage.title_modifying.load(Relaxed)) as f64
            / (usage.occurrences.load(Relaxed) + titled).max(1) as f64,
        keyness: titled as f64 / mentioned.max(1) as f64,
        support: ratio_of(usage.title_and_abstract.load(Relaxed), titled),
    })
}

/// Whether a candidate reads as a name rather than a word, for a site of `n`
/// papers whose topics need `min` papers: several titles use it and their abstracts
/// discuss it, one of its words is rare, it heads its noun phrase, and a
/// single word is written as a name (`Mamba`, `LoRA`) in the middle of
/// sentences.
fn specific(p: &Profile, min: usize, n: usize) -> bool {
    // How common a word is cannot be told from a few hundred papers, and on
    // a small site a name's own papers make its rare word common.
    let rare = n < MIN_PAPERS_FOR_WORD_SHARE
        || p.rarest as f64 <= (n as f64 * MAX_WORD_SHARE).max(2.0 * p.papers.len() as f64);
    if p.support < 0.5 || (p.titled as usize) < (min / 2).max(2) || !rare {
        return false;
    }
    if p.word_count == 1 {
        // Named in a few titles and discussed in many more abstracts
        // (`Mamba`), not the name several unrelated papers gave themselves.
        let discussed = (0.1..=0.5).contains(&p.keyness);
        p.titled as usize >= min && p.capitalised >= 0.8 && p.modifying <= 0.3 && discussed
    } else {
        p.modifying <= 0.4 && p.keyness >= 0.2
    }
}

/// Keeps the `usable` candidates, and of two, one inside the other
/// (`gaussian splatting`, `3d gaussian splatting`), drops the one that adds
/// nothing: the shorter when it is mostly part of the longer (`large
/// language` of `large language model`), else the longer when its papers
/// are mostly the shorter's. Only a usable candidate absorbs another.
fn without_fragments(profiles: Vec<Profile>, usable: &[bool]) -> Vec<Profile> {
    let by_words: FxHashMap<&str, usize> = profiles.iter().enumerate().map(|(i, p)| (p.words.as_str(), i)).collect();
    let mut dropped = vec![false; profiles.len()];
    for (l, longer) in profiles.iter().enumerate() {
        let words: Vec<&str> = longer.words.split(' ').collect();
        for len in 1..words.len() {
            for start in 0..=words.len() - len {
                let inner = words[start..start + len].join(" ");
                let Some(&s) = by_words.get(inner.as_str()) else { continue };
                let shorter = &profiles[s];
                let shared = shared_count(&shorter.papers, &longer.papers);
                if usable[l] && shared * 10 >= shorter.papers.len() * 8 {
                    dropped[s] = true;
                } else if usable[s] && shared * 10 >= longer.papers.len() * 8 {
                    dropped[l] = true;
                }
            }
        }
    }
    let kept = profiles.into_iter().zip(usable).zip(dropped);
    kept.filter(|&((_, &usable), dropped)| usable && !dropped).map(|((p, _), _)| p).collect()
}

/// How many papers two sorted lists share.
fn shared_count(a: &[usize], b: &[usize]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// A chosen name and the phrases merged into it.
struct Chosen {
    head: Profile,
    aliases: Vec<String>,
    papers: Vec<usize>,
}

/// Picks topics best first; a candidate whose papers are mostly a chosen
/// topic's joins it.
fn choose(mut profiles: Vec<Profile>, n: usize) -> Vec<Chosen> {
    let score = |p: &Profile| {
        let specificity = (1.0 + n as f64 / p.papers.len() as f64).ln();
        (p.titled as f64 * 2.0 + p.papers.len() as f64) * (1.0 + 0.3 * (p.word_count as f64 - 1.0)) * specificity
    };
    profiles.sort_by(|a, b| score(b).total_cmp(&score(a)).then_with(|| a.words.cmp(&b.words)));
    let mut chosen: Vec<Chosen> = Vec::new();
    // Each paper's chosen topics, for overlap counts linear in a candidate's papers.
    let mut topics_of: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for p in profiles {
        let mut shared: FxHashMap<usize, usize> = FxHashMap::default();
        for paper in &p.papers {
            for &t in topics_of.get(paper).into_iter().flatten() {
                *shared.entry(t).or_default() += 1;
            }
        }
        let overlapping = shared.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((t, common)) = overlapping {
            let size = chosen[t].papers.len();
            let inside = common * 10 >= p.papers.len() * 8;
            let same = common * 2 >= size + p.papers.len() - common;
            if inside || same {
                let related =
                    words_within(&p.words, &chosen[t].head.words) || words_within(&chosen[t].head.words, &p.words);
                if inside && related {
                    for &paper in &p.papers {
                        let list = topics_of.entry(paper).or_default();
                        if !list.contains(&t) {
                            list.push(t);
                            chosen[t].papers.push(paper);
                        }
                    }
                    chosen[t].aliases.push(p.words.clone());
                }
                continue;
            }
        }
        let t = chosen.len();
        for &paper in &p.papers {
            topics_of.entry(paper).or_default().push(t);
        }
        chosen.push(Chosen { papers: p.papers.clone(), head: p, aliases: Vec::new() });
    }
    chosen
}

/// Whether the words of `inner` appear, in order and adjacent, in `outer`.
fn words_within(inner: &str, outer: &str) -> bool {
    outer.match_indices(inner).any(|(at, _)| {
        let end = at + inner.len();
        (at == 0 || outer.as_bytes()[at - 1] == b' ') && (end == outer.len() || outer.as_bytes()[end] == b' ')
    })
}

/// Makes topics of the chosen names: each under the rule topic most of its
/// papers have (the most specific such), keeping only papers of that topic,
/// and named as titles write it. A name that would only repeat its parent
/// (nearly all of a topic without children, or words its rules already
/// say), or whose slug a rule or front matter topic has, is dropped.
fn place(chosen: Vec<Chosen>, context: &Context, min: usize) -> Vec<Topic> {
    let topics = context.topics;
    let sizes = subtree_sizes(context);
    let mut slugs: FxHashSet<String> = topics.iter().map(|t| t.slug.clone()).collect();
    let mut out = Vec::new();
    for mut c in chosen {
        c.papers.sort_unstable();
        let parent = parent_of(&c.papers, context);
        if parent.is_some_and(|p| said_by_ancestors(&c.head.words, p, context)) {
            continue;
        }
        // Without a parent, a name must gather papers the rules left out; one
        // whose papers the rules scatter over many topics is not a subject
        // (`unified framework`, `data augmentation`).
        let uncaught = c.papers.iter().filter(|&&p| context.of_paper[p].is_empty()).count();
        if parent.is_none() && uncaught * 2 < c.papers.len() {
            continue;
        }
        if let Some(p) = parent {
            // A child narrows its parent: it holds only the parent's papers,
            // so the parent's page keeps every paper whatever is mined.
            c.papers.retain(|&paper| holds(context, paper, p));
            let is_leaf = !topics.iter().any(|t| t.parent == Some(p));
            if c.papers.len() < min || (is_leaf && c.papers.len() * 10 >= sizes[p] * 8) {
                continue;
            }
        }
        let slug = topic_slug(&c.head.words);
        if !slugs.insert(slug.clone()) {
            continue;
        }
        let mut phrases = vec![c.head.words.clone()];
        phrases.extend(c.aliases);
        out.push(Topic {
            name: display_name(&c.head, context),
            parent,
            phrases,
            papers: c.papers,
            ..Topic::new(String::new(), slug, TopicKind::Auto)
        });
    }
    out
}

/// Whether every word of a name is a word of the keywords of `topic`, its
/// ancestors or a top topic: `LLM agents` under an agents rule, when a top
/// topic has `LLM`, says nothing the rules do not.
fn said_by_ancestors(words: &str, topic: usize, context: &Context) -> bool {
    let topics = context.topics;
    let chain = std::iter::successors(Some(topic), |&a| topics[a].parent);
    let roots = (0..context.rules.len()).filter(|&t| topics[t].parent.is_none());
    let mut known: FxHashSet<String> = FxHashSet::default();
    for t in chain.chain(roots) {
        if let Some(rule) = context.rules.get(t).filter(|_| topics[t].kind == TopicKind::Rule) {
            known.extend(rule.keywords.iter().chain(&rule.title_keywords).flat_map(|k| phrase(k)));
        }
    }
    words.split(' ').filter(|w| !crate::enrich::text::is_stop_word(w)).all(|w| known.contains(w))
}

/// Whether `paper` is in topic `t` or below it, by its rule and front
/// matter topics.
pub(super) fn holds(context: &Context, paper: usize, t: usize) -> bool {
    context.of_paper[paper]
        .iter()
        .any(|&own| std::iter::successors(Some(own), |&a| context.topics[a].parent).any(|a| a == t))
}

/// How many papers each topic so far holds, its descendants' included.
fn subtree_sizes(context: &Context) -> Vec<usize> {
    let mut sizes = vec![0; context.topics.len()];
    for list in context.of_paper {
        let mut seen: Vec<usize> =
            list.iter().flat_map(|&t| std::iter::successors(Some(t), |&a| context.topics[a].parent)).collect();
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            sizes[t] += 1;
        }
    }
    sizes
}

/// The most specific topic at least half of `papers` are in.
fn parent_of(papers: &[usize], context: &Context) -> Option<usize> {
    let mut counts: FxHashMap<usize, usize> = FxHashMap::default();
    for &paper in papers {
        let mut seen: Vec<usize> = context.of_paper[paper]
            .iter()
            .flat_map(|&t| std::iter::successors(Some(t), |&a| context.topics[a].parent))
            .collect();
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            *counts.entry(t).or_default() += 1;
        }
    }
    let depth = |t: usize| std::iter::successors(Some(t), |&a| context.topics[a].parent).count();
    counts
        .into_iter()
        .filter(|&(_, count)| count * 2 >= papers.len())
        .max_by(|a, b| depth(a.0).cmp(&depth(b.0)).then(a.1.cmp(&b.1)).then(b.0.cmp(&a.0)))
        .map(|(t, _)| t)
}

/// The way the topic's papers' titles most often write its name, in
/// sentence case; words with capitals inside (`LLMs`, `MoE`) keep them.
fn display_name(head: &Profile, context: &Context) -> String {
    let mut surfaces: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    let target: Vec<&str> = head.words.split(' ').collect();
    for &p in &head.papers {
        let title = math::source_text(&context.papers[p].title);
        let tokens = tokens(&title);
        for start in 0..tokens.len() {
            let end = start + target.len();
            if end <= tokens.len() && tokens[start..end].iter().zip(&target).all(|(t, w)| t.norm == *w) {
                let from = match start.checked_sub(1) {
                    // `In-Context Learning` keeps its `In-`, though `in` is a stop word.
                    Some(before) if tokens[before].stop && hyphenated(&title, &tokens[before], &tokens[start]) => {
                        tokens[before].start
                    }
                    _ => tokens[start].start,
                };
                *surfaces.entry(title[from..tokens[end - 1].end].to_string()).or_default() += 1;
                break;
            }
        }
    }
    if surfaces.is_empty() {
        surfaces.insert(head.words.clone(), 1);
    }
    sentence_case(&surfaces)
}

/// The most frequent way the phrase was written, in sentence case; words
/// with capitals inside (`LLMs`, `MoE`, `ImageNet`) keep their spelling.
pub(super) fn sentence_case(surfaces: &std::collections::BTreeMap<String, u32>) -> String {
    let (surface, _) = surfaces.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).expect("a phrase was seen");
    let shouting = surface.contains(' ') && !surface.chars().any(char::is_lowercase);
    let mut name = String::with_capacity(surface.len());
    let mut part = String::new();
    for c in surface.chars().chain(std::iter::once(' ')) {
        if c == ' ' || c == '-' {
            let acronym =
                part.chars().filter(|c| c.is_alphabetic()).count() <= 5 && !part.chars().any(char::is_lowercase);
            let keep = !shouting && (acronym || part.chars().skip(1).any(char::is_uppercase));
            name.push_str(&if keep { part.clone() } else { part.to_lowercase() });
            name.push(c);
            part.clear();
        } else {
            part.push(c);
        }
    }
    name.pop();
    let mut chars = name.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
