//! The site model the renderers read: papers, the digest days that list
//! them in order, and hand-written pages. Built once from the content;
//! never changed by rendering.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::config::Config;
use crate::enrich::{self, topics::Topics};
use crate::page::Page;
use crate::paper::Paper;

/// One digest day.
#[derive(Debug, Clone)]
pub struct Day {
    /// The date.
    pub date: Date,
    /// Indexes into [`Model::papers`], in the day's order.
    pub papers: Vec<usize>,
}

/// Everything a build renders.
#[derive(Debug, Default)]
pub struct Model {
    /// Papers, sorted by id.
    pub papers: Vec<Paper>,
    /// Days, oldest first.
    pub days: Vec<Day>,
    /// Hand-written pages, in navigation order.
    pub pages: Vec<Page>,
    /// The home page text.
    pub home: Option<Page>,
    /// Topics, and each paper's topics.
    pub topics: Topics,
    /// Each paper's most similar papers, best first.
    pub related: Vec<Vec<usize>>,
}

impl Model {
    /// Groups the papers into days (each day lists its papers in digest
    /// order, then by upvotes, then by id, so the order is stable) and
    /// computes topics and related papers.
    pub fn new(papers: Vec<Paper>, pages: Vec<Page>, home: Option<Page>, config: &Config) -> Model {
        Model::new_with(papers, pages, home, config, None)
    }

    /// [`Model::new`], with the analysis memo in the cache folder `cache`
    /// (see [`enrich::memo`]).
    pub fn new_with(
        papers: Vec<Paper>,
        pages: Vec<Page>,
        home: Option<Page>,
        config: &Config,
        cache: Option<&std::path::Path>,
    ) -> Model {
        let mut days: BTreeMap<Date, Vec<usize>> = BTreeMap::new();
        for (i, paper) in papers.iter().enumerate() {
            for date in paper.dates() {
                days.entry(date).or_default().push(i);
            }
        }
        let days = days
            .into_iter()
            .map(|(date, mut list)| {
                list.sort_by_cached_key(|&p| {
                    let paper = &papers[p];
                    let rank = paper.rank_on(date).unwrap_or(u32::MAX);
                    (rank, std::cmp::Reverse(paper.upvotes), paper.id.clone())
                });
                Day { date, papers: list }
            })
            .collect();
        let enriched = enrich::enrich_with(&papers, config, cache);
        Model { papers, days, pages, home, topics: enriched.topics, related: enriched.related }
    }

    /// The newest day, shown on the home page.
    pub fn latest_day(&self) -> Option<&Day> {
        self.days.last()
    }

    /// The day a paper page's previous/next links follow: its latest day.
    pub fn home_day_of(&self, paper: usize) -> Option<&Day> {
        let date = self.papers[paper].days.last()?.date;
        self.days.binary_search_by_key(&date, |d| d.date).ok().map(|i| &self.days[i])
    }
}
