//! Paper cards: what a listing shows of a paper (title, authors, excerpt,
//! topics, links), built once per paper and shared, as Tera values, by
//! every page that lists it.

use rayon::prelude::*;
use serde::Serialize;

use super::{Link, date_display, paper_url, topic_url};
use crate::config::Config;
use crate::links;
use crate::markdown::{self, Trust};
use crate::math;
use crate::model::Model;

/// A paper in a listing. Only what listings show: a paper's own page adds
/// its details (`pages::PaperDetails`). Thirteen fields keep a card's Tera
/// map at 16 slots; at 100,000 papers every slot is 6 MB.
#[derive(Serialize)]
struct PaperCard<'a> {
    id: &'a str,
    url: String,
    title_html: String,
    authors: &'a [String],
    /// At most five names, then "et al.".
    authors_short: String,
    excerpt_html: String,
    date: String,
    date_display: String,
    arxiv: Option<&'a str>,
    code: Vec<&'a str>,
    project: Option<&'a str>,
    upvotes: Option<u64>,
    // `topics`, the paper's topics most relevant first, is added after
    // serialization: links shared by every card of a topic.
}

/// Every paper's card as a Tera value, built once and shared by every page
/// that lists it (Tera values are reference-counted).
pub struct Cards {
    pub(super) values: Vec<tera::Value>,
    /// Each topic's link, as a value that cards share.
    topic_links: Vec<tera::Value>,
}

impl std::fmt::Debug for Cards {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cards").field("papers", &self.values.len()).finish()
    }
}

impl Cards {
    /// The cards of every paper of `model`.
    pub fn new(config: &Config, model: &Model) -> Cards {
        let topic_links = model
            .topics
            .topics
            .iter()
            .map(|t| tera::Value::from_serializable(&Link { url: topic_url(&t.slug), label: t.name.clone() }))
            .collect();
        let mut cards = Cards { values: Vec::new(), topic_links };
        cards.values = (0..model.papers.len()).into_par_iter().map(|i| cards.card(config, model, i)).collect();
        cards
    }

    /// Rebuilds the card of paper `i` after it changed; whether the card
    /// (what listings show) changed.
    pub fn refresh(&mut self, config: &Config, model: &Model, i: usize) -> bool {
        let value = self.card(config, model, i);
        let changed = value != self.values[i];
        self.values[i] = value;
        changed
    }

    fn card(&self, config: &Config, model: &Model, i: usize) -> tera::Value {
        let paper = &model.papers[i];
        let card = PaperCard {
            id: &paper.id,
            url: paper_url(paper),
            title_html: math::inline_html(&paper.title),
            authors: &paper.authors,
            authors_short: authors_short(&paper.authors),
            excerpt_html: excerpt_html(&paper.body, config.build.excerpt_chars),
            date: paper.date().to_string(),
            date_display: date_display(paper.date()),
            arxiv: web_link(&paper.arxiv),
            code: paper.code.iter().map(String::as_str).filter(|u| links::is_web_url(u)).collect(),
            project: web_link(&paper.project),
            upvotes: paper.upvotes,
        };
        let mut map = tera::Value::from_serializable(&card).into_map().expect("a card serializes to a map");
        let topics = model.topics.of_paper[i].iter().map(|&t| self.topic_links[t].clone()).collect::<Vec<_>>();
        map.insert(tera::value::Key::from("topics"), tera::Value::from(topics));
        tera::Value::from(map)
    }
}

/// A link field of a paper, if it is a web link: a page may say anything
/// (an old import, a typo), but only `http(s)` links are published.
pub(super) fn web_link(link: &Option<String>) -> Option<&str> {
    link.as_deref().filter(|url| links::is_web_url(url))
}

fn authors_short(authors: &[String]) -> String {
    if authors.len() > 6 { format!("{} et al.", authors[..5].join(", ")) } else { authors.join(", ") }
}

pub(super) fn excerpt_text(body: &str, max_chars: usize) -> String {
    // Only the start can show: convert that much (twice the characters, as
    // markup takes room), not the whole abstract.
    let (start, cut) = cut_at_space(body, max_chars * 2);
    let text = markdown::to_plain_text(start);
    if !cut && text.chars().count() <= max_chars {
        return text;
    }
    let end = text.char_indices().nth(max_chars).map_or(text.len(), |(i, _)| i);
    format!("{}…", text[..end].rfind(' ').map_or(&text[..end], |p| &text[..p]))
}

/// The start of the first paragraph, cut at a space (so never inside a
/// formula, a link or an escape) and rendered like the body.
fn excerpt_html(body: &str, max_chars: usize) -> String {
    let first = body.trim_start().split("\n\n").next().unwrap_or("");
    let (start, cut) = cut_at_space(first, max_chars);
    let html = markdown::to_html(start, Trust::Imported);
    let html = html.trim_end().trim_start_matches("<p>").trim_end_matches("</p>");
    if cut { format!("{html}…") } else { html.to_string() }
}

/// `text` up to its last space before character `max_chars`, never inside
/// a formula; whether anything was cut.
fn cut_at_space(text: &str, max_chars: usize) -> (&str, bool) {
    let Some((mut end, _)) = text.char_indices().nth(max_chars) else { return (text, false) };
    // Do not cut inside a formula: move the cut before it.
    for segment in math::segments(text) {
        if let math::Segment::Math { source, .. } = segment {
            let start = source.as_ptr() as usize - text.as_ptr() as usize;
            if start < end && end < start + source.len() {
                end = start;
            }
        }
    }
    (text[..end].rfind(' ').map_or(&text[..end], |p| &text[..p]), true)
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
