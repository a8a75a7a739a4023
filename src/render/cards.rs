//! Paper cards: what a listing shows of a paper (title, authors, excerpt,
//! topics, links), built once per paper and shared, as Tera values, by
//! every page that lists it.

use rayon::prelude::*;
use serde::Serialize;

use super::{Link, date_display, paper_url, topic_url};
use crate::config::Config;
use crate::markdown::{self, Trust};
use crate::math;
use crate::model::Model;
use crate::paper::Paper;

/// A paper in a listing.
#[derive(Serialize, Clone, PartialEq)]
pub(super) struct PaperCard {
    pub(super) id: String,
    pub(super) url: String,
    pub(super) title_html: String,
    pub(super) title_text: String,
    pub(super) authors: Vec<String>,
    /// At most five names, then "et al.".
    pub(super) authors_short: String,
    pub(super) excerpt_html: String,
    /// Plain-text start of the abstract, for `<meta name=description>`.
    pub(super) excerpt_text: String,
    pub(super) date: String,
    pub(super) date_display: String,
    pub(super) arxiv: Option<String>,
    pub(super) pdf: Option<String>,
    pub(super) code: Vec<String>,
    pub(super) project: Option<String>,
    pub(super) upvotes: Option<u64>,
    /// The paper's topics, most relevant first.
    pub(super) topics: Vec<Link>,
}

/// Every paper's card, as a view and as a shared Tera value (Tera values
/// are reference-counted, so a card listed on many pages is serialized once).
pub struct Cards {
    pub(super) views: Vec<PaperCard>,
    pub(super) values: Vec<tera::Value>,
}

impl std::fmt::Debug for Cards {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cards").field("papers", &self.views.len()).finish()
    }
}

impl Cards {
    /// The cards of every paper of `model`.
    pub fn new(config: &Config, model: &Model) -> Cards {
        let views: Vec<PaperCard> = model
            .papers
            .par_iter()
            .enumerate()
            .map(|(i, p)| card(p, &topic_links(model, i), config.build.excerpt_chars))
            .collect();
        let values = views.par_iter().map(tera::Value::from_serializable).collect();
        Cards { views, values }
    }

    /// Rebuilds the card of paper `i` after it changed; whether the card
    /// (what listings show) changed.
    pub fn refresh(&mut self, config: &Config, model: &Model, i: usize) -> bool {
        let view = card(&model.papers[i], &topic_links(model, i), config.build.excerpt_chars);
        let changed = view != self.views[i];
        self.values[i] = tera::Value::from_serializable(&view);
        self.views[i] = view;
        changed
    }
}

pub(super) fn topic_links(model: &Model, paper: usize) -> Vec<Link> {
    model.topics.of_paper[paper]
        .iter()
        .map(|&t| {
            let topic = &model.topics.topics[t];
            Link { url: topic_url(&topic.slug), label: topic.name.clone() }
        })
        .collect()
}

fn card(paper: &Paper, topics: &[Link], excerpt_chars: usize) -> PaperCard {
    PaperCard {
        id: paper.id.clone(),
        url: paper_url(paper),
        title_html: math::inline_html(&paper.title),
        title_text: math::plain_text(&paper.title),
        authors: paper.authors.clone(),
        authors_short: authors_short(&paper.authors),
        excerpt_html: excerpt_html(&paper.body, excerpt_chars),
        excerpt_text: excerpt_text(&paper.body, 200),
        date: paper.date().to_string(),
        date_display: date_display(paper.date()),
        arxiv: paper.arxiv.clone(),
        pdf: paper.pdf.clone(),
        code: paper.code.clone(),
        project: paper.project.clone(),
        upvotes: paper.upvotes,
        topics: topics.to_vec(),
    }
}

fn authors_short(authors: &[String]) -> String {
    if authors.len() > 6 { format!("{} et al.", authors[..5].join(", ")) } else { authors.join(", ") }
}

fn excerpt_text(body: &str, max_chars: usize) -> String {
    let text = markdown::to_plain_text(body);
    if text.chars().count() <= max_chars {
        return text;
    }
    let end = text.char_indices().nth(max_chars).map_or(text.len(), |(i, _)| i);
    format!("{}…", text[..end].rfind(' ').map_or(&text[..end], |p| &text[..p]))
}

/// The start of the first paragraph, cut at a space (so never inside a
/// formula, a link or an escape) and rendered like the body.
fn excerpt_html(body: &str, max_chars: usize) -> String {
    let first = body.trim_start().split("\n\n").next().unwrap_or("");
    let mut cut = first;
    if first.chars().count() > max_chars {
        let mut end = first.char_indices().nth(max_chars).map_or(first.len(), |(i, _)| i);
        // Do not cut inside a formula: move the cut before it.
        for segment in math::segments(first) {
            if let math::Segment::Math { source, .. } = segment {
                let start = source.as_ptr() as usize - first.as_ptr() as usize;
                if start < end && end < start + source.len() {
                    end = start;
                }
            }
        }
        cut = first[..end].rfind(' ').map_or(&first[..end], |p| &first[..p]);
    }
    let mut html = markdown::to_html(cut, Trust::Imported);
    let html_trimmed = html.trim_end().trim_start_matches("<p>").trim_end_matches("</p>").to_string();
    if cut.len() < first.len() {
        html = format!("{html_trimmed}…");
    } else {
        html = html_trimmed;
    }
    html
}

/// The cards of `papers`, as one Tera list.
pub(super) fn card_list(values: &[tera::Value], papers: &[usize]) -> tera::Value {
    tera::Value::from(papers.iter().map(|&p| values[p].clone()).collect::<Vec<_>>())
}

/// A view merged into a card: the card's fields plus the view's.
pub(super) fn with_card(card: &tera::Value, view: &impl Serialize) -> tera::Map {
    let mut map = card.as_map().expect("a card serializes to a map").clone();
    let extra = tera::Value::from_serializable(view).into_map().expect("views serialize to maps");
    map.extend(extra);
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_at_a_space_outside_formulas() {
        let body = "Alpha beta $x^2 + y^2$ gamma delta epsilon.";
        let html = excerpt_html(body, 15);
        assert_eq!(html, "Alpha beta…");
        assert_eq!(excerpt_html("Short.", 300), "Short.");
    }
}
