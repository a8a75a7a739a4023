//! Paper cards: what a listing shows of a paper (title, authors, a one-line
//! summary, its links and votes), built once per paper, when a page first
//! shows it, and shared, as Tera values, by every page that lists it.

use std::sync::OnceLock;

use serde::Serialize;

use super::{date_display, paper_url, topic_url};
use crate::config::Config;
use crate::links;
use crate::markdown::{self, Trust};
use crate::math;
use crate::model::Model;
use crate::paper::Paper;

/// A paper in a listing. Only what listings show: a paper's own page adds
/// its details (`pages::PaperDetails`). Fourteen fields keep a card's Tera
/// map at 16 slots; at 100,000 papers every slot is 6 MB.
#[derive(Serialize)]
struct PaperCard<'a> {
    url: String,
    title_html: String,
    /// The title as plain text, only where the HTML holds formulas (whose
    /// text content reads badly): for the reading list.
    title_text: Option<String>,
    /// The authors a listing names ([`crate::paper::listed_authors`]).
    authors_short: String,
    /// The AI summary, else the abstract's first sentence, cut to fit.
    summary_html: String,
    date: String,
    date_display: String,
    arxiv: Option<&'a str>,
    pdf: Option<&'a str>,
    /// The first code repository.
    code: Option<&'a str>,
    stars: Option<u64>,
    project: Option<&'a str>,
    upvotes: Option<u64>,
    // `topics`, the paper's topics most relevant first, is added after
    // serialization: links shared by every card of a topic.
}

/// A topic as cards link to it; `slug` is what the topic filter of a day
/// matches.
#[derive(Serialize)]
struct TopicLink<'a> {
    url: String,
    label: &'a str,
    slug: &'a str,
}

/// Every paper's card as a Tera value, built once, when a page first needs
/// it (a rebuild that renders a few pages makes a few cards), and shared
/// by every page that lists it (Tera values are reference-counted).
pub struct Cards {
    values: Vec<OnceLock<tera::Value>>,
    /// Each topic's link, as a value that cards share.
    topic_links: Vec<tera::Value>,
}

impl std::fmt::Debug for Cards {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cards").field("papers", &self.values.len()).finish()
    }
}

/// The cards of a model, to index by paper: `deck[i]` is paper `i`'s card.
pub struct Deck<'a> {
    cards: &'a Cards,
    config: &'a Config,
    model: &'a Model,
}

impl std::ops::Index<usize> for Deck<'_> {
    type Output = tera::Value;

    fn index(&self, i: usize) -> &tera::Value {
        self.cards.values[i].get_or_init(|| self.cards.card(self.config, self.model, i))
    }
}

impl Cards {
    /// The cards of every paper of `model`, each made when first shown.
    pub fn new(model: &Model) -> Cards {
        let topic_links = model
            .topics
            .topics
            .iter()
            .map(|t| {
                tera::Value::from_serializable(&TopicLink { url: topic_url(&t.slug), label: &t.name, slug: &t.slug })
            })
            .collect();
        Cards { values: (0..model.papers.len()).map(|_| OnceLock::new()).collect(), topic_links }
    }

    /// The cards of `model`, which they were made for, with `config`.
    pub fn deck<'a>(&'a self, config: &'a Config, model: &'a Model) -> Deck<'a> {
        Deck { cards: self, config, model }
    }

    /// Rebuilds the card of paper `i` after it changed; whether the card
    /// (what listings show) changed, or may have (no page had shown it).
    pub fn refresh(&mut self, config: &Config, model: &Model, i: usize) -> bool {
        let value = self.card(config, model, i);
        let changed = self.values[i].get() != Some(&value);
        self.values[i] = OnceLock::from(value);
        changed
    }

    fn card(&self, config: &Config, model: &Model, i: usize) -> tera::Value {
        let paper = &model.papers[i];
        let title_html = math::inline_html(&paper.title);
        let card = PaperCard {
            url: paper_url(paper),
            title_text: title_html.contains("<math").then(|| math::plain_text(&paper.title)),
            title_html,
            authors_short: crate::paper::listed_authors(&paper.authors),
            summary_html: summary_html(paper, config.build.excerpt_chars),
            date: paper.date().to_string(),
            date_display: date_display(paper.date()),
            arxiv: web_link(&paper.arxiv),
            pdf: web_link(&paper.pdf),
            code: paper.code.iter().map(String::as_str).find(|u| links::is_web_url(u)),
            stars: paper.github_stars.filter(|_| !paper.code.is_empty()),
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

pub(super) fn excerpt_text(body: &str, max_chars: usize) -> String {
    // Only the start can show: convert that much (twice the characters, as
    // markup takes room), not the whole abstract.
    let (start, cut) = math::cut_at_space(body, max_chars * 2);
    let text = markdown::to_plain_text(start);
    if !cut && text.chars().count() <= max_chars {
        return text;
    }
    let end = text.char_indices().nth(max_chars).map_or(text.len(), |(i, _)| i);
    format!("{}…", text[..end].rfind(' ').map_or(&text[..end], |p| &text[..p]))
}

/// What a listing says of a paper in one line: its AI summary when there is
/// one, else the first sentence of its abstract; either cut at a space
/// before `max_chars`.
fn summary_html(paper: &Paper, max_chars: usize) -> String {
    match &paper.ai_summary {
        Some(summary) => {
            let (start, cut) = math::cut_at_space(summary, max_chars);
            let html = math::inline_html(start);
            if cut { format!("{html}…") } else { html }
        }
        None => first_sentence_html(&paper.body, max_chars),
    }
}

/// The first sentence of the first paragraph of a Markdown body, cut at a
/// space (so never inside a formula, a link or an escape) and rendered like
/// the body.
fn first_sentence_html(body: &str, max_chars: usize) -> String {
    let first = body.trim_start().split("\n\n").next().unwrap_or("");
    let sentence = &first[..sentence_end(first)];
    let (start, cut) = math::cut_at_space(sentence, max_chars);
    let html = markdown::to_html(start, Trust::Imported);
    let html = html.trim_end().trim_start_matches("<p>").trim_end_matches("</p>");
    if cut { format!("{html}…") } else { html.to_string() }
}

/// Words that end in a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] =
    &["e.g", "i.e", "al", "etc", "vs", "cf", "fig", "figs", "eq", "eqs", "no", "sec", "approx", "resp", "mr", "dr"];

/// The byte where the first sentence of `text` ends (after its `.`, `!` or
/// `?`): the first such mark outside a formula that a space and a capital
/// letter, a digit or a bracket follow, and that does not end an
/// abbreviation or an initial. The whole text when there is none.
fn sentence_end(text: &str) -> usize {
    let mut offset = 0;
    for segment in math::segments(text) {
        let piece = match segment {
            math::Segment::Text(t) => t,
            math::Segment::Math { source, .. } => {
                offset += source.len();
                continue;
            }
        };
        for (i, c) in piece.char_indices() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            let mut after = piece[i + 1..].chars();
            let starts_sentence = after.next() == Some(' ')
                && after.next().is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || n == '(' || n == '[');
            let word = piece[..i].rsplit([' ', '(']).next().unwrap_or("");
            let abbreviation = ABBREVIATIONS.contains(&word.to_lowercase().as_str())
                || (word.chars().count() == 1 && word.chars().all(char::is_uppercase));
            if starts_sentence && (c != '.' || !abbreviation) {
                return offset + i + 1;
            }
        }
        offset += piece.len();
    }
    text.len()
}

/// The cards of `papers`, as one Tera list.
pub(super) fn card_list(values: &Deck, papers: &[usize]) -> tera::Value {
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
    fn the_summary_is_the_first_sentence_cut_outside_formulas() {
        let body = "We study $x^2 + y^2$ e.g. in 3.5 dims. Then more. And more.";
        assert_eq!(
            first_sentence_html(body, 300),
            "We study <math><msup><mi>x</mi><mn>2</mn></msup><mo>+</mo><msup><mi>y</mi><mn>2</mn></msup></math> e.g. in 3.5 dims."
        );
        let html = first_sentence_html("Alpha beta $x^2 + y^2$ gamma delta epsilon.", 15);
        assert_eq!(html, "Alpha beta…");
        assert_eq!(first_sentence_html("Short.", 300), "Short.");
        assert_eq!(first_sentence_html("By J. Smith et al. (2020). Next.", 300), "By J. Smith et al. (2020).");
        assert_eq!(first_sentence_html("Does it work? Yes.", 300), "Does it work?");
        assert_eq!(first_sentence_html("No full stop at all", 300), "No full stop at all");
        assert_eq!(first_sentence_html("First.\n\nSecond paragraph.", 300), "First.");
    }

    #[test]
    fn the_ai_summary_wins_and_is_escaped() {
        let mut paper = Paper { body: "Abstract sentence. More.".into(), ..Paper::default() };
        assert_eq!(summary_html(&paper, 160), "Abstract sentence.");
        paper.ai_summary = Some("A <b>model</b> with $O(n)$ cost.".into());
        let html = summary_html(&paper, 160);
        assert!(html.starts_with("A &lt;b&gt;model&lt;/b&gt; with <math>"), "{html}");
        assert_eq!(summary_html(&paper, 16), "A &lt;b&gt;model&lt;/b&gt;…");
    }
}
