//! Enrich: what a build adds to the papers before rendering: topics and
//! related papers. Pure and deterministic.
//!
//! Each paper's text is analysed once, in parallel, and only compact
//! results are kept (rule hits, candidate phrases, a term vector), so
//! memory stays proportional to the papers, not to their tokens.

pub mod memo;
pub mod related;
pub mod text;
pub mod topics;

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::paper::Paper;
use crate::{links, markdown, math};
use text::{Token, tokens};
use topics::{Matcher, Names, PaperEvidence, Topics, neighbours};

/// A paper's text prepared for matching; lives only during analysis.
#[derive(Debug)]
pub struct Doc {
    /// Title as plain text.
    pub title: String,
    /// Abstract as plain text, URLs removed.
    pub abstract_text: String,
    /// Words of the title.
    pub title_tokens: Vec<Token>,
    /// Words of the abstract.
    pub abstract_tokens: Vec<Token>,
    /// The AI keywords (`ai_keywords`), as the record gave them.
    pub keywords: Vec<String>,
    /// Words of each AI keyword.
    pub keyword_tokens: Vec<Vec<Token>>,
}

impl Doc {
    /// Prepares `paper`'s text.
    pub fn new(paper: &Paper) -> Doc {
        let title = math::source_text(&paper.title);
        let mut abstract_text = markdown::to_plain_text(&paper.body);
        for (range, _) in links::find_urls(&abstract_text.clone()).into_iter().rev() {
            abstract_text.replace_range(range, " ");
        }
        Doc {
            title_tokens: tokens(&title),
            abstract_tokens: tokens(&abstract_text),
            keyword_tokens: paper.ai_keywords.iter().map(|k| tokens(k)).collect(),
            keywords: paper.ai_keywords.clone(),
            title,
            abstract_text,
        }
    }

    /// How many words of the abstract its first sentence holds: up to the
    /// first `.`, `?` or `!` followed by a space and a capital letter or a
    /// digit (so `e.g. a` and `3.5` do not end it).
    pub fn lead_tokens(&self) -> usize {
        let text = &self.abstract_text;
        let bytes = text.as_bytes();
        let end = memchr::memchr3_iter(b'.', b'?', b'!', bytes)
            .find(|&i| {
                let mut rest = text[i + 1..].chars();
                rest.next().is_some_and(char::is_whitespace)
                    && rest.find(|c| !c.is_whitespace()).is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                    && !ends_with_abbreviation(&text[..i])
            })
            .unwrap_or(text.len());
        self.abstract_tokens.partition_point(|t| t.start < end)
    }
}

/// Whether `text` ends with an abbreviation that a full stop follows
/// without ending the sentence (`et al.`, `e.g.`, `Fig.`).
fn ends_with_abbreviation(text: &str) -> bool {
    let word = text.rsplit(|c: char| !c.is_alphanumeric() && c != '.').next().unwrap_or("");
    matches!(word.to_ascii_lowercase().as_str(), "al" | "e.g" | "i.e" | "etc" | "fig" | "vs" | "eq" | "cf" | "approx")
        || (word.len() == 1 && word.chars().all(|c| c.is_uppercase()))
}

/// What a paper's analysis depends on besides its text: the rules and the
/// taxonomy's settings. Not `topics.lock`, which the daily workflow
/// rewrites: the phrases it adds are candidate names, which the memo
/// handles as it handles newly mined ones.
fn fingerprint(config: &Config) -> u64 {
    let mut h = DefaultHasher::new();
    serde_json::to_string(&(&config.topics, &config.taxonomy)).expect("the configuration serializes").hash(&mut h);
    h.finish()
}

/// The papers by first day, then id: the order in which related papers'
/// epochs take them.
fn epoch_order(papers: &[Paper]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..papers.len()).collect();
    order.sort_by(|&a, &b| {
        let first = |p: &Paper| p.days.first().map(|d| d.date);
        first(&papers[a]).cmp(&first(&papers[b])).then_with(|| papers[a].id.cmp(&papers[b].id))
    });
    order
}

/// Topics and related papers of a site.
#[derive(Debug, Default)]
pub struct Enriched {
    /// Topics and each paper's topics.
    pub topics: Topics,
    /// For each paper, the indexes of its most similar papers, best first.
    pub related: Vec<Vec<usize>>,
}

/// Computes topics and related papers.
pub fn enrich(papers: &[Paper], config: &Config) -> Enriched {
    enrich_with(papers, config, None)
}

/// [`enrich`], with the analysis memo in the cache folder `cache` (see
/// [`memo`]): only new and changed papers are cut into words.
pub fn enrich_with(papers: &[Paper], config: &Config, cache: Option<&Path>) -> Enriched {
    let settings = &config.taxonomy;
    let matcher = Matcher::new(&config.topics);
    let locked: Vec<&str> = config.locked.topics.iter().flat_map(|t| t.phrases.iter().map(String::as_str)).collect();
    let names = crate::timed("topic names", || Names::collect_with(papers, settings, &locked));
    let analyse = |paper: &Paper| {
        let doc = Doc::new(paper);
        let scanned = paper.topics.is_empty() && !names.is_empty();
        let scores = matcher.scores(&doc, settings);
        let rules = matcher.tagging(&scores, settings);
        memo::Analysed {
            vouch: if settings.neighbours { neighbours::vouch(&matcher, &scores, &rules) } else { Default::default() },
            rules,
            terms: related::term_counts(&doc),
            sightings: scanned.then(|| names.abstract_sightings(&doc)),
        }
    };
    type Parts = (Vec<PaperEvidence>, Vec<neighbours::Vouch>, Vec<related::TermCounts>, Option<Vec<u128>>);
    let (mut evidence, vouches, terms, hashes): Parts = crate::timed("text analysis", || {
        let fingerprint = fingerprint(config);
        let (all, hashes) = match cache {
            Some(cache) => {
                // A remembered paper that may hold a new candidate is only
                // scanned for candidates again: its rules and words are as
                // they were.
                let sight = |paper: &Paper| names.abstract_sightings(&Doc::new(paper));
                let (all, hashes, reuse) =
                    memo::analyse_all(papers, cache, fingerprint, &names, matcher.len(), analyse, sight);
                log::debug!("analysis memo: {} papers remembered, {} analysed", reuse.remembered, reuse.analysed);
                (all, Some(hashes))
            }
            None => (papers.par_iter().map(analyse).collect(), None),
        };
        // The memo is written while the mentions are counted.
        let (evidence, ()) = rayon::join(
            || {
                papers
                    .par_iter()
                    .zip(&all)
                    .map(|(paper, analysed)| memo::evidence(paper, analysed, &names, settings))
                    .collect()
            },
            || {
                if let (Some(cache), Some(hashes)) = (cache, &hashes) {
                    memo::save(cache, fingerprint, &names, hashes, &all);
                }
            },
        );
        let (vouches, terms) = all.into_iter().map(|a| (a.vouch, a.terms)).unzip();
        (evidence, vouches, terms, hashes)
    });
    // Related papers' memo knows a paper by its id and text.
    let keys: Option<Vec<u128>> =
        hashes.map(|h| papers.par_iter().zip(h).map(|(p, h)| crate::cache_file::hash128(&(&p.id, h))).collect());
    let memo = cache.zip(keys.as_deref()).map(|(cache, keys)| related::MemoAt { cache, keys });
    let order = epoch_order(papers);
    let similar = |k| related::most_similar_with(terms, &order, k, memo);
    let inputs =
        topics::Inputs { rules: &config.topics, matcher: &matcher, names: &names, settings, locked: &config.locked };
    if !settings.neighbours {
        // Topic assignment is mostly one thread's work: related papers use the other.
        let (topics, related) = rayon::join(
            || crate::timed("topics", || topics::assign(papers, &evidence, &inputs)),
            || crate::timed("related papers", || similar(settings.related)),
        );
        let mut topics = topics;
        topics.from_neighbours = vec![None; papers.len()];
        return Enriched { topics, related };
    }
    // Neighbour evidence needs the similar papers before topic assignment.
    let k = settings.related.max(neighbours::NEIGHBOURS);
    let mut related = crate::timed("related papers", || similar(k));
    let from_neighbours: Vec<Option<neighbours::FromNeighbours>> = crate::timed("neighbour evidence", || {
        (0..papers.len())
            .into_par_iter()
            .map(|i| {
                if !papers[i].topics.is_empty() {
                    return None;
                }
                neighbours::from_neighbours(&matcher, &vouches[i], &evidence[i].rules, &related[i], &vouches)
            })
            .collect()
    });
    for (e, found) in evidence.iter_mut().zip(&from_neighbours) {
        if let Some(found) = found {
            neighbours::apply(&matcher, &mut e.rules, found);
        }
    }
    // The most similar first: the first `related` of the ten are the list.
    related.iter_mut().for_each(|list| list.truncate(settings.related));
    let mut topics = crate::timed("topics", || topics::assign(papers, &evidence, &inputs));
    topics.from_neighbours = from_neighbours;
    Enriched { topics, related }
}
