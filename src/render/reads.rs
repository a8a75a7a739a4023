//! What each listed page reads, as one hash: the record an incremental
//! build keeps of every output, so that the next build renders a page only
//! when something it shows has changed.
//!
//! A page's hash covers exactly what its render function passes to its
//! template, with cards and papers standing for the values made of them
//! (a card's hash is its paper's and its topics'). What every page reads
//! (the configuration, the theme, the site-wide `site` values) is not in
//! here: a change to it changes the build's key and renders everything.
//! Whoever changes what a page shows changes its hash here too; the
//! incremental build test compares every file with a full build's.

use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;

use super::Listed;
use super::pages::TopicPage;
use crate::config::Config;
use crate::model::Model;
use crate::paper::Paper;

/// The hash of every paper and of every card of a model.
#[derive(Debug, Default)]
pub struct Hashes {
    /// Each paper's record, every field.
    pub papers: Vec<u64>,
    /// Each paper's card: its record and its topics' names and slugs.
    pub cards: Vec<u64>,
}

impl Hashes {
    /// Hashes the papers and cards of `model`.
    pub fn new(model: &Model) -> Hashes {
        let papers: Vec<u64> = model.papers.par_iter().map(paper_hash).collect();
        let cards = (0..model.papers.len())
            .into_par_iter()
            .map(|i| {
                let mut h = DefaultHasher::new();
                papers[i].hash(&mut h);
                for &t in &model.topics.of_paper[i] {
                    let topic = &model.topics.topics[t];
                    (&topic.name, &topic.slug).hash(&mut h);
                }
                h.finish()
            })
            .collect();
        Hashes { papers, cards }
    }
}

/// What listed page `page` reads, hashed.
pub fn reads(config: &Config, model: &Model, hashes: &Hashes, page: Listed) -> u64 {
    let mut h = DefaultHasher::new();
    std::mem::discriminant(&page).hash(&mut h);
    let cards = |list: &[usize], h: &mut DefaultHasher| list.iter().for_each(|&p| hashes.cards[p].hash(h));
    let papers = |list: &[usize], h: &mut DefaultHasher| list.iter().for_each(|&p| hashes.papers[p].hash(h));
    match page {
        Listed::Paper(i) => {
            hashes.cards[i].hash(&mut h);
            cards(&model.related[i], &mut h);
            // The day its pager follows: where it is, and its neighbours.
            if let Some(day) = model.home_day_of(i) {
                let at = day.papers.iter().position(|&p| p == i).expect("a paper is listed on its own day");
                (day.date, at, day.papers.len()).hash(&mut h);
                cards(&day.papers[at.saturating_sub(1)..(at + 2).min(day.papers.len())], &mut h);
            }
        }
        Listed::Day(d) => {
            let day = &model.days[d];
            day.date.hash(&mut h);
            d.checked_sub(1).map(|p| model.days[p].date).hash(&mut h);
            model.days.get(d + 1).map(|n| n.date).hash(&mut h);
            cards(&day.papers, &mut h);
        }
        Listed::DayBib(d) => {
            model.days[d].date.hash(&mut h);
            papers(&model.days[d].papers, &mut h);
        }
        Listed::Topic(t, n) => {
            let page = TopicPage::new(model, (t, n), config.build.paginate_by);
            page.key().hash(&mut h);
            cards(page.papers, &mut h);
        }
        Listed::TopicBib(t) => {
            let topic = &model.topics.topics[t];
            topic.slug.hash(&mut h);
            papers(&topic.listed, &mut h);
        }
    }
    h.finish()
}

/// Every field of a paper, hashed. The fields are named one by one, so
/// that a field added to [`Paper`] does not compile until it is hashed.
pub fn paper_hash(paper: &Paper) -> u64 {
    let Paper {
        id,
        title,
        days,
        authors,
        topics,
        arxiv,
        pdf,
        code,
        project,
        upvotes,
        github_stars,
        ai_keywords,
        ai_summary,
        categories,
        primary_category,
        doi,
        journal_ref,
        comment,
        published,
        source,
        body,
        extra,
    } = paper;
    let mut h = crate::cache_file::long_hasher();
    (id, title, days, authors, topics, arxiv, pdf, code, project, upvotes, github_stars).hash(&mut h);
    (ai_keywords, ai_summary, categories, primary_category, doi, journal_ref, comment, published, source, body)
        .hash(&mut h);
    if !extra.is_empty() {
        extra.to_string().hash(&mut h);
    }
    h.finish()
}
