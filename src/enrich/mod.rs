//! Enrich: what a build adds to the papers before rendering: topics and
//! related papers. Pure and deterministic.
//!
//! Each paper's text is analysed once, in parallel, and only compact
//! results are kept (rule hits, candidate phrases, a term vector), so
//! memory stays proportional to the papers, not to their tokens.

pub mod related;
pub mod text;
pub mod topics;

use rayon::prelude::*;

use crate::config::Config;
use crate::paper::Paper;
use crate::{links, markdown, math};
use text::{Token, tokens};
use topics::{Matcher, PaperEvidence, Topics};

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
            title,
            abstract_text,
        }
    }
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
    let settings = &config.taxonomy;
    let matcher = Matcher::new(&config.topics);
    let analysed: Vec<(PaperEvidence, related::TermCounts)> = crate::timed("text analysis", || {
        papers
            .par_iter()
            .map(|paper| {
                let doc = Doc::new(paper);
                let rules = topics::rule_topics(&matcher, &doc, &config.topics, settings);
                let phrases = if topics::needs_phrases(paper, &rules, settings) {
                    topics::phrases_of(&doc, papers.len())
                } else {
                    Vec::new()
                };
                (PaperEvidence { rules, phrases }, related::term_counts(&doc))
            })
            .collect()
    });
    let (evidence, terms): (Vec<_>, Vec<_>) = analysed.into_iter().unzip();
    // Topic assignment is mostly one thread's work: related papers use the other.
    let (topics, related) = rayon::join(
        || crate::timed("topics", || topics::assign(papers, &evidence, &config.topics, settings)),
        || crate::timed("related papers", || related::most_similar(terms, settings.related)),
    );
    Enriched { topics, related }
}
