//! Topics, in order of precedence: explicit `topics = [...]` in a paper's
//! front matter; `[[topics]]` rules matched against title, abstract and AI
//! keywords; automatic topics, key phrases mined from the papers no rule
//! tags. Pure and deterministic.
//!
//! Rule matching is whole-word and case-insensitive over normalised tokens
//! (see [`super::text`]); a title match counts `title_weight` times and a
//! paper needs `min_score` for a rule to tag it, so a passing mention in
//! the abstract does not. Every phrase lookup goes through an index keyed
//! by the phrase's first word, so the cost grows with the text, not with
//! texts x keywords.

use std::collections::BTreeMap;

use rayon::prelude::*;

use rustc_hash::{FxHashMap, FxHashSet};

use super::Doc;
use super::text::{Token, phrase, word_hash};
use crate::config::{TaxonomyConfig, TopicRule};
use crate::paper::Paper;

/// Where a topic comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TopicKind {
    /// A `[[topics]]` rule in `site.toml`.
    Rule,
    /// Named in a paper's front matter but not in `site.toml`.
    Explicit,
    /// Mined from the papers themselves.
    Auto,
}

/// A topic and its papers.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// Display name.
    pub name: String,
    /// URL slug, unique among topics.
    pub slug: String,
    /// One sentence for the overview (rules only).
    pub description: String,
    /// Where it comes from.
    pub kind: TopicKind,
    /// For automatic topics, the phrases that define it (normalised).
    pub phrases: Vec<String>,
    /// Paper indexes, newest first.
    pub papers: Vec<usize>,
}

/// The topics of a site.
#[derive(Debug, Clone, Default)]
pub struct Topics {
    /// Topics with at least one paper: rules in `site.toml` order, then
    /// explicit ones, then automatic ones by size.
    pub topics: Vec<Topic>,
    /// Topic indexes of each paper, most relevant first.
    pub of_paper: Vec<Vec<usize>>,
    /// Papers that neither front matter nor a rule gave a topic (some of
    /// them may have automatic topics).
    pub uncaught: Vec<usize>,
}

/// Words too general to be a topic on their own; they may still be part of
/// a longer phrase (`machine learning`, `graph neural network`).
const GENERIC: &[&str] = &[
    "accuracy",
    "advantage",
    "ai",
    "algorithm",
    "analysis",
    "application",
    "approach",
    "architecture",
    "aware",
    "baseline",
    "benchmark",
    "capability",
    "class",
    "classification",
    "comparison",
    "complexity",
    "data",
    "dataset",
    "deep",
    "difficulty",
    "domain",
    "efficiency",
    "efficient",
    "evaluating",
    "evaluation",
    "feature",
    "field",
    "framework",
    "function",
    "general",
    "guide",
    "impact",
    "implication",
    "inference",
    "information",
    "insight",
    "knowledge",
    "language",
    "learn",
    "learning",
    "lens",
    "lesson",
    "level",
    "look",
    "machine",
    "measure",
    "ml",
    "model",
    "modeling",
    "network",
    "neural",
    "new",
    "order",
    "part",
    "position",
    "prediction",
    "process",
    "purpose",
    "quality",
    "recipe",
    "report",
    "representation",
    "scale",
    "semantic",
    "set",
    "setting",
    "source",
    "space",
    "step",
    "strategy",
    "structure",
    "study",
    "system",
    "task",
    "technique",
    "text",
    "theory",
    "time",
    "tool",
    "training",
    "type",
    "value",
    "variable",
    "version",
    "work",
    "world",
];

/// Rules compiled for matching.
pub struct Matcher {
    /// Phrase token lists, by rule.
    rules: Vec<Vec<Vec<String>>>,
    /// Hash of the first word of a phrase -> (rule, phrase) pairs.
    by_first: FxHashMap<u64, Vec<(usize, usize)>>,
}

impl Matcher {
    /// Compiles the keyword phrases of `rules`.
    pub fn new(rules: &[TopicRule]) -> Matcher {
        let mut by_first: FxHashMap<u64, Vec<(usize, usize)>> = FxHashMap::default();
        let compiled: Vec<Vec<Vec<String>>> =
            rules.iter().map(|r| r.keywords.iter().map(|k| phrase(k)).filter(|p| !p.is_empty()).collect()).collect();
        for (r, phrases) in compiled.iter().enumerate() {
            for (p, words) in phrases.iter().enumerate() {
                by_first.entry(word_hash(&words[0])).or_default().push((r, p));
            }
        }
        Matcher { rules: compiled, by_first }
    }

    /// Adds, per rule, the number of phrase occurrences in `tokens` (at most
    /// `cap` per rule) times `weight`.
    fn add(&self, tokens: &[Token], weight: u32, cap: u32, scores: &mut [u32]) {
        let mut hits = vec![0u32; self.rules.len()];
        for (i, token) in tokens.iter().enumerate() {
            let Some(candidates) = self.by_first.get(&token.hash) else { continue };
            for &(r, p) in candidates {
                let words = &self.rules[r][p];
                let matches =
                    tokens.len() >= i + words.len() && words.iter().zip(&tokens[i..]).all(|(w, t)| *w == t.norm);
                if matches {
                    hits[r] += 1;
                }
            }
        }
        for (score, hit) in scores.iter_mut().zip(hits) {
            *score += hit.min(cap) * weight;
        }
    }
}

/// What topic assignment needs from one paper, computed while its text is
/// at hand (see [`super::enrich`]).
#[derive(Debug, Default)]
pub struct PaperEvidence {
    /// Rules that tag it, best first.
    pub rules: Vec<usize>,
    /// Candidate phrases, only for papers that may need an automatic topic.
    pub phrases: Vec<PhraseHit>,
}

/// A candidate phrase in one paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseHit {
    /// Hash of the normalised words: the key.
    pub key: u64,
    /// The words and how the paper wrote them; kept for title phrases only,
    /// since only phrases found in some title can name a topic.
    pub text: Option<Box<PhraseText>>,
    /// Whether it is in the title.
    pub in_title: bool,
    /// Occurrences in the abstract (at most 3 counted).
    pub in_abstract: u8,
}

/// A title phrase's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseText {
    /// Normalised words, space-separated.
    pub words: String,
    /// As written in the title.
    pub surface: String,
}

/// The key of a phrase, from the hashes of its normalised words (see
/// [`super::text::word_hash`]).
pub fn phrase_key(word_hashes: impl IntoIterator<Item = u64>) -> u64 {
    word_hashes
        .into_iter()
        .fold(0xcbf2_9ce4_8422_2325, |key, word| (key.rotate_left(23) ^ word).wrapping_mul(0x0100_0000_01b3))
}

impl PhraseHit {
    /// Weighed like a rule: a title match counts 3, each abstract match 1;
    /// a paper belongs to the phrase's topic from 2.
    fn belongs(&self) -> bool {
        self.in_title || self.in_abstract >= 2
    }
}

/// Assigns topics from each paper's evidence: front matter first, then
/// rules, then automatic topics for the rest.
pub fn assign(papers: &[Paper], evidence: &[PaperEvidence], rules: &[TopicRule], settings: &TaxonomyConfig) -> Topics {
    let mut topics: Vec<Topic> = rules
        .iter()
        .map(|r| Topic {
            name: r.name.clone(),
            slug: r.slug(),
            description: r.description.clone(),
            kind: TopicKind::Rule,
            phrases: Vec::new(),
            papers: Vec::new(),
        })
        .collect();
    let mut of_paper: Vec<Vec<usize>> = vec![Vec::new(); papers.len()];
    let mut uncaught = Vec::new();
    for (i, paper) in papers.iter().enumerate() {
        if !paper.topics.is_empty() {
            of_paper[i] = explicit_topics(&paper.topics, &mut topics);
        } else if !evidence[i].rules.is_empty() {
            of_paper[i] = evidence[i].rules.clone();
        } else {
            uncaught.push(i);
        }
    }
    if settings.auto && !uncaught.is_empty() {
        let taken: Vec<u64> = rules
            .iter()
            .flat_map(|r| r.keywords.iter().map(|k| phrase_key(phrase(k).iter().map(|w| word_hash(w)))))
            .collect();
        for auto in mine(evidence, &uncaught, settings.auto_min_papers.max(2), &taken) {
            let index = topics.len();
            for &p in &auto.papers {
                of_paper[p].push(index);
            }
            let slug = unique_slug(&slug::slugify(&auto.name), &topics);
            // Papers are filled in below, from `of_paper`, like every topic's.
            topics.push(Topic { slug, papers: Vec::new(), ..auto });
        }
    }
    for (i, list) in of_paper.iter().enumerate() {
        for &t in list {
            topics[t].papers.push(i);
        }
    }
    drop_empty(topics, of_paper, uncaught, papers)
}

/// Whether a paper may need automatic topics: it names none and no rule tags it.
pub fn needs_phrases(paper: &Paper, rules: &[usize], settings: &TaxonomyConfig) -> bool {
    settings.auto && paper.topics.is_empty() && rules.is_empty()
}

/// The rules that tag a paper, best score first, at most `max_per_paper`.
pub fn rule_topics(matcher: &Matcher, doc: &Doc, rules: &[TopicRule], settings: &TaxonomyConfig) -> Vec<usize> {
    let mut scores = vec![0u32; rules.len()];
    matcher.add(&doc.title_tokens, settings.title_weight, 2, &mut scores);
    matcher.add(&doc.abstract_tokens, 1, 3, &mut scores);
    for keyword in &doc.keyword_tokens {
        matcher.add(keyword, 1, 2, &mut scores);
    }
    let mut tagged: Vec<(u32, usize)> = scores
        .iter()
        .enumerate()
        .filter(|&(r, &s)| s > 0 && s >= rules[r].min_score.unwrap_or(settings.min_score))
        .map(|(r, &s)| (s, r))
        .collect();
    tagged.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    tagged.into_iter().take(settings.max_per_paper.max(1)).map(|(_, r)| r).collect()
}

/// Topics named in front matter: a rule with that name or slug, or a topic
/// of its own.
fn explicit_topics(names: &[String], topics: &mut Vec<Topic>) -> Vec<usize> {
    let mut out = Vec::new();
    for name in names {
        let slug = slug::slugify(name);
        let found = topics.iter().position(|t| t.slug == slug || t.name.eq_ignore_ascii_case(name.trim()));
        let index = found.unwrap_or_else(|| {
            topics.push(Topic {
                name: name.trim().to_string(),
                slug: slug.clone(),
                description: String::new(),
                kind: TopicKind::Explicit,
                phrases: Vec::new(),
                papers: Vec::new(),
            });
            topics.len() - 1
        });
        if !out.contains(&index) && !slug.is_empty() {
            out.push(index);
        }
    }
    out
}

fn unique_slug(base: &str, topics: &[Topic]) -> String {
    let base = if base.is_empty() { "topic" } else { base };
    let mut slug = base.to_string();
    let mut n = 2;
    while topics.iter().any(|t| t.slug == slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// Removes topics without papers, renumbers, and sorts each topic's papers
/// newest first.
fn drop_empty(topics: Vec<Topic>, of_paper: Vec<Vec<usize>>, uncaught: Vec<usize>, papers: &[Paper]) -> Topics {
    // Each paper's place in the newest-first order, computed once for all topics.
    let mut order: Vec<usize> = (0..papers.len()).collect();
    order.par_sort_by_cached_key(|&p| newest_first_key(&papers[p]));
    let mut place = vec![0u32; papers.len()];
    for (rank, &p) in order.iter().enumerate() {
        place[p] = rank as u32;
    }
    let mut renumber = vec![usize::MAX; topics.len()];
    let mut kept = Vec::new();
    for (old, topic) in topics.into_iter().enumerate() {
        if !topic.papers.is_empty() {
            renumber[old] = kept.len();
            kept.push(topic);
        }
    }
    kept.par_iter_mut().for_each(|topic| topic.papers.sort_unstable_by_key(|&p| place[p]));
    let of_paper = of_paper.into_iter().map(|list| list.into_iter().map(|t| renumber[t]).collect()).collect();
    Topics { topics: kept, of_paper, uncaught }
}

/// Sort key putting the most recently listed papers first, each day in its
/// digest order.
pub fn newest_first_key(paper: &Paper) -> (std::cmp::Reverse<jiff::civil::Date>, u32, String) {
    let last = paper.days.last().expect("a loaded paper has at least one day");
    (std::cmp::Reverse(last.date), last.rank.unwrap_or(u32::MAX), paper.id.clone())
}

/// What the phrase counting keeps for one candidate.
#[derive(Default)]
struct PhraseStats<'a> {
    /// Papers with the phrase in the title.
    title: usize,
    /// Papers that belong to the phrase (title, or twice in the abstract).
    papers: Vec<usize>,
    /// The normalised words, from a title.
    words: &'a str,
    /// How titles wrote it, and how often.
    surfaces: BTreeMap<&'a str, u32>,
}

/// Phrases considered for automatic topics, best first.
const MAX_CANDIDATES: usize = 5_000;

/// Sites larger than this mine phrases from titles only: abstracts would
/// make the count slow and the phrases generic.
const ABSTRACT_MINING_LIMIT: usize = 20_000;

/// Mines automatic topics for the papers in `pool`: phrases of one to three
/// words that several of them share, preferring title phrases and longer
/// ones; phrases that overlap (one inside the other, or mostly the same
/// papers) are merged. A paper gets at most two automatic topics.
fn mine(evidence: &[PaperEvidence], pool: &[usize], min_papers: usize, taken: &[u64]) -> Vec<Topic> {
    let stats = count_phrases(evidence, pool);
    let max_papers = if pool.len() >= 10 { pool.len() * 3 / 10 } else { pool.len() };
    let mut candidates: Vec<(f64, &str, &PhraseStats)> = stats
        .iter()
        .filter(|(key, s)| {
            // A single word needs more evidence than a phrase to name a topic.
            let single = !s.words.contains(' ');
            let (min_titles, min_size) = if single { (2, min_papers.max(3)) } else { (1, min_papers) };
            s.title >= min_titles && s.papers.len() >= min_size && s.papers.len() <= max_papers && !taken.contains(key)
        })
        .map(|(_, s)| {
            // Title phrases first, longer phrases first, and phrases that
            // set a few papers apart before those that half the pool shares.
            let words = s.words.split(' ').count() as f64;
            let df = s.papers.len() as f64;
            let specificity = (1.0 + pool.len() as f64 / df).ln();
            let score = (s.title as f64 * 3.0 + df) * (1.0 + 0.5 * (words - 1.0)) * specificity;
            (score, s.words, s)
        })
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    // Past the best few thousand, phrases are shared by a couple of papers
    // each and add little; looking at them all would cost time that grows
    // with the pool times the topics.
    candidates.truncate(MAX_CANDIDATES);

    let mut topics: Vec<Topic> = Vec::new();
    // Each topic's papers as a set, for overlap tests in time linear in the phrase's papers.
    let mut members: Vec<FxHashSet<usize>> = Vec::new();
    // How many automatic topics each paper has so far.
    let mut per_paper: FxHashMap<usize, u8> = FxHashMap::default();
    let max_topics = (pool.len() / 2).clamp(3, 60);
    for (_, key, s) in candidates {
        let free: Vec<usize> =
            s.papers.iter().copied().filter(|p| per_paper.get(p).copied().unwrap_or(0) < 2).collect();
        if free.len() < min_papers {
            continue;
        }
        if let Some(t) = (0..topics.len()).find(|&t| overlaps(&topics[t], &members[t], key, &s.papers)) {
            if topics[t].papers.len() + free.len() <= max_papers {
                for p in free {
                    if members[t].insert(p) {
                        topics[t].papers.push(p);
                        *per_paper.entry(p).or_default() += 1;
                    }
                }
                topics[t].phrases.push(key.to_string());
            }
            continue;
        }
        if topics.len() >= max_topics {
            continue;
        }
        for &p in &free {
            *per_paper.entry(p).or_default() += 1;
        }
        members.push(free.iter().copied().collect());
        topics.push(Topic {
            name: display_name(&s.surfaces),
            slug: String::new(),
            description: String::new(),
            kind: TopicKind::Auto,
            phrases: vec![key.to_string()],
            papers: free,
        });
    }
    for topic in &mut topics {
        topic.papers.sort_unstable();
    }
    topics.sort_by(|a, b| b.papers.len().cmp(&a.papers.len()).then_with(|| a.name.cmp(&b.name)));
    topics
}

/// Whether a phrase belongs to an existing topic: one phrase contains the
/// other, they cover mostly the same papers, or the phrase's papers are
/// nearly all in the topic already.
fn overlaps(topic: &Topic, members: &FxHashSet<usize>, key: &str, papers: &[usize]) -> bool {
    // The phrases that started and first grew the topic define it.
    let contains = topic.phrases.iter().take(8).any(|p| words_within(key, p) || words_within(p, key));
    if contains {
        return true;
    }
    let shared = papers.iter().filter(|p| members.contains(p)).count();
    let union = topic.papers.len() + papers.len() - shared;
    // Mostly the same papers, or a narrower phrase within the topic's papers.
    union > 0 && (shared * 2 >= union || shared * 5 >= papers.len() * 4)
}

/// Whether the words of `inner` appear, in order and adjacent, in `outer`.
fn words_within(inner: &str, outer: &str) -> bool {
    outer.match_indices(inner).any(|(at, _)| {
        let end = at + inner.len();
        (at == 0 || outer.as_bytes()[at - 1] == b' ') && (end == outer.len() || outer.as_bytes()[end] == b' ')
    })
}

/// Counts candidate phrases over the pool.
fn count_phrases<'a>(evidence: &'a [PaperEvidence], pool: &[usize]) -> FxHashMap<u64, PhraseStats<'a>> {
    let mut stats: FxHashMap<u64, PhraseStats> = FxHashMap::default();
    for &p in pool {
        for hit in &evidence[p].phrases {
            let entry = stats.entry(hit.key).or_default();
            if hit.belongs() {
                entry.papers.push(p);
            }
            if let Some(text) = &hit.text {
                entry.title += 1;
                entry.words = &text.words;
                *entry.surfaces.entry(&text.surface).or_default() += 1;
            }
        }
    }
    stats
}

/// The candidate phrases of a paper, each once. Large sites mine titles
/// only (see [`ABSTRACT_MINING_LIMIT`]).
pub fn phrases_of(doc: &Doc, site_size: usize) -> Vec<PhraseHit> {
    let mut found: FxHashMap<u64, PhraseHit> = FxHashMap::default();
    for (key, text) in candidates(&doc.title, &doc.title_tokens, true) {
        found.entry(key).or_insert(PhraseHit { key, text: text.map(Box::new), in_title: true, in_abstract: 0 });
    }
    if site_size <= ABSTRACT_MINING_LIMIT {
        for (key, _) in candidates(&doc.abstract_text, &doc.abstract_tokens, false) {
            let hit = found.entry(key).or_insert(PhraseHit { key, text: None, in_title: false, in_abstract: 0 });
            hit.in_abstract = (hit.in_abstract + 1).min(3);
        }
    }
    let mut hits: Vec<PhraseHit> = found.into_values().collect();
    hits.sort_unstable_by_key(|h| h.key);
    hits
}

/// Candidate phrases of a text: one to three adjacent words (not across
/// punctuation), neither starting nor ending with a stop word, no numbers,
/// and no single generic word. Returns (normalised key, surface form).
fn candidates(text: &str, tokens: &[Token], with_text: bool) -> Vec<(u64, Option<PhraseText>)> {
    let mut out = Vec::new();
    for start in 0..tokens.len() {
        for len in 1..=3 {
            let end = start + len;
            if end > tokens.len() {
                break;
            }
            let words = &tokens[start..end];
            if end > start + 1 && !adjacent(text, &tokens[end - 2], &tokens[end - 1]) {
                break;
            }
            let first = &words[0].norm;
            let usable = |w: &Token| w.norm.len() >= 2 && !w.norm.bytes().all(|b| b.is_ascii_digit());
            if words[0].stop || words[len - 1].stop || !words.iter().all(usable) {
                continue;
            }
            if len == 1 && !good_single_word(first, &text[words[0].start..words[0].end]) {
                continue;
            }
            let key = phrase_key(words.iter().map(|w| w.hash));
            if !with_text {
                out.push((key, None));
                continue;
            }
            // `In-Context Learning` keeps its `In-` in the name, though `in`
            // is a stop word and not part of the key.
            let from = match start.checked_sub(1) {
                Some(before) if &text[tokens[before].end..words[0].start] == "-" => tokens[before].start,
                _ => words[0].start,
            };
            let phrase_words = words.iter().map(|w| w.norm.as_str()).collect::<Vec<_>>().join(" ");
            out.push((
                key,
                Some(PhraseText { words: phrase_words, surface: text[from..words[len - 1].end].to_string() }),
            ));
        }
    }
    out
}

/// A single word makes a topic only if it is a term: not generic, not a
/// past participle (`learned`), at least five letters unless written as an
/// acronym (`MoE`, `GAN`).
fn good_single_word(norm: &str, surface: &str) -> bool {
    let acronym = surface.chars().skip(1).any(|c| c.is_uppercase());
    GENERIC.binary_search(&norm).is_err() && !norm.ends_with("ed") && (acronym || norm.chars().count() >= 5)
}

/// Two tokens are adjacent when only spaces or a hyphen separate them.
fn adjacent(text: &str, a: &Token, b: &Token) -> bool {
    text[a.end..b.start].chars().all(|c| c == ' ' || c == '-')
}

/// The most frequent way the phrase was written, in sentence case; words
/// with capitals inside (`LLMs`, `MoE`, `ImageNet`) keep their spelling.
fn display_name(surfaces: &BTreeMap<&str, u32>) -> String {
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

#[cfg(test)]
mod tests;
