//! How well topics fit a site's papers: the figures `paperpress topics`
//! reports and the default taxonomy is judged by.

use super::Topics;

/// A topic without children above this share (percent) of the papers is
/// too broad to browse.
pub const BROAD_SHARE: usize = 10;

/// The quality figures of a site's topics.
#[derive(Debug, Clone, PartialEq)]
pub struct Quality {
    /// Papers on the site.
    pub papers: usize,
    /// Papers with at least one topic.
    pub with_topic: usize,
    /// The topic without children that holds the most papers, and how many.
    pub largest_leaf: Option<(usize, usize)>,
    /// Papers with a topic that holds at most [`BROAD_SHARE`] percent of
    /// the papers.
    pub with_specific_topic: usize,
}

impl Quality {
    /// The figures of `topics` over `papers` papers.
    pub fn of(topics: &Topics, papers: usize) -> Quality {
        let specific = |t: usize| topics.topics[t].papers.len() * 100 <= papers * BROAD_SHARE;
        let largest_leaf = (0..topics.topics.len())
            .filter(|&t| topics.topics[t].children.is_empty())
            .map(|t| (t, topics.topics[t].papers.len()))
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
        Quality {
            papers,
            with_topic: topics.of_paper.iter().filter(|list| !list.is_empty()).count(),
            largest_leaf,
            with_specific_topic: topics.of_paper.iter().filter(|list| list.iter().any(|&t| specific(t))).count(),
        }
    }

    /// `part` as a percentage of the papers.
    pub fn percent(&self, part: usize) -> f64 {
        100.0 * part as f64 / self.papers.max(1) as f64
    }
}
