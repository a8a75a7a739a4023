//! The pages of a site: a paper's page, day pages, the home page, topic
//! pages, the reading list, hand-written pages and `404.html`; and the
//! `.bib` file of each day and topic.

use std::collections::BTreeMap;

use serde::Serialize;

use super::bibtex::{bib_file, bibtex};
use super::cards::{Deck, card_list, excerpt_text, with_card};
use super::scholar::{self, Elsewhere};
use super::{Link, OutputFile, date_display, day_url, page_context, paper_url, render_file, topic_url};
use crate::config::Config;
use crate::enrich::topics::{Retired, Topic, TopicKind, Topics};
use crate::error::Result;
use crate::markdown::{self, Trust};
use crate::model::{Day, Model};
use crate::page::Page;

/// What a paper's own page adds to its card.
#[derive(Serialize)]
struct PaperDetails<'a> {
    id: &'a str,
    authors: &'a [String],
    title_text: String,
    /// Plain-text start of the abstract, for `<meta name=description>`.
    excerpt_text: String,
    body_html: String,
    days: Vec<Link>,
    bibtex: String,
    /// Every code repository (the card has the first); web links only.
    code_links: Vec<&'a str>,
    #[serde(flatten)]
    elsewhere: Elsewhere,
    /// `citation_publication_date`.
    citation_date: String,
    /// The JSON-LD `ScholarlyArticle`, safe inside a `<script>`.
    json_ld: String,
    ai_summary: Option<&'a str>,
    /// The AI summary as HTML, its formulas as MathML.
    ai_summary_html: Option<String>,
    ai_keywords: &'a [String],
    categories: &'a [String],
    doi: Option<&'a str>,
    journal_ref: Option<&'a str>,
    comment: Option<&'a str>,
    published: Option<String>,
    extra: &'a toml::Table,
}

/// A topic, for the overview and its own pages.
#[derive(Serialize)]
struct TopicView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    description: &'a str,
    /// `rule`, `explicit` or `automatic`.
    kind: TopicKind,
    /// Papers, its descendants' included; on a topic's pages, only the
    /// latest says, so that the others stay as they are when papers are added.
    count: Option<usize>,
    /// Papers in none of its children (none where `count` is none).
    own: Option<usize>,
    /// Its broader topics, the top one first.
    parents: Vec<Link>,
    /// Its narrower topics, most papers first.
    children: Vec<TopicCount>,
}

/// A top topic and everything under it, for the overview.
#[derive(Serialize)]
struct TopicGroup<'v, 'a> {
    topic: &'v TopicView<'a>,
    /// Its descendants, depth first, each with its depth (1 for a child).
    descendants: Vec<NestedTopic<'v, 'a>>,
}

#[derive(Serialize)]
struct NestedTopic<'v, 'a> {
    topic: &'v TopicView<'a>,
    depth: usize,
}

/// Where a page of a topic is. A topic's pages are numbered from its
/// oldest papers: page 1 holds the oldest `paginate_by`, page 2 the next,
/// and the newest papers (between one and two pages' worth) are on the
/// topic's own page, the latest. A page, once full, never changes as days
/// are added: only the latest page and the few pages its pager links to do.
#[derive(Serialize)]
struct Pagination {
    /// This page's number (the latest page's is one more than the last full page's).
    current: usize,
    /// Whether this is the latest page, `topics/<slug>.html`.
    latest: bool,
    /// The next newer page, if any.
    previous: Option<String>,
    /// The next older page, if any.
    next: Option<String>,
    /// Newest first: the latest page, the pages near this one and the
    /// first; `None` where pages are left out.
    pages: Vec<Option<PageLink>>,
}

/// A page of a topic in its pager.
#[derive(Serialize)]
struct PageLink {
    url: String,
    /// `Latest`, or the page's number.
    label: String,
    /// Whether it is the page shown.
    current: bool,
}

#[derive(Serialize)]
struct DayView {
    date: String,
    date_display: String,
    url: String,
    /// Its papers as one `.bib` file.
    bib: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    body_html: String,
    extra: &'a toml::Table,
}

#[derive(Serialize)]
struct TopicCount {
    url: String,
    label: String,
    slug: String,
    count: usize,
}

pub(super) fn paper_page(tera: &tera::Tera, model: &Model, values: &Deck, i: usize) -> Result<OutputFile> {
    let paper = &model.papers[i];
    let url = paper_url(paper);
    let mut ctx = page_context(&url);
    let title_text = crate::math::plain_text(&paper.title);
    let elsewhere = scholar::elsewhere(paper);
    let json_ld = scholar::json_ld(paper, &title_text, elsewhere.arxiv_id.as_deref());
    let details = PaperDetails {
        id: &paper.id,
        authors: &paper.authors,
        excerpt_text: excerpt_text(&paper.body, 160),
        body_html: markdown::to_html(&paper.body, Trust::Imported),
        days: paper.dates().map(|d| Link { url: day_url(d), label: date_display(d) }).collect(),
        bibtex: bibtex(paper),
        code_links: paper.code.iter().map(String::as_str).filter(|u| crate::links::is_web_url(u)).collect(),
        elsewhere,
        citation_date: scholar::citation_date(paper),
        json_ld,
        title_text,
        ai_summary: paper.ai_summary.as_deref(),
        ai_summary_html: paper.ai_summary.as_deref().map(crate::math::inline_html),
        ai_keywords: &paper.ai_keywords,
        categories: &paper.categories,
        doi: paper.doi.as_deref().filter(|doi| crate::links::is_doi(doi)),
        journal_ref: paper.journal_ref.as_deref(),
        comment: paper.comment.as_deref(),
        published: paper.published.map(date_display),
        extra: &paper.extra,
    };
    let mut view = with_card(&values[i], &details);
    view.insert(tera::value::Key::from("related"), card_list(values, &model.related[i]));
    ctx.insert_value("paper", tera::Value::from(view));
    if let Some(day) = model.home_day_of(i) {
        let position = day.papers.iter().position(|&p| p == i).expect("a paper is listed on its own day");
        ctx.insert("day", &Link { url: day_url(day.date), label: date_display(day.date) });
        ctx.insert("position", &(position + 1));
        ctx.insert("day_count", &day.papers.len());
        let neighbour =
            |j: Option<usize>| j.and_then(|j| day.papers.get(j)).map_or_else(tera::Value::none, |&p| values[p].clone());
        ctx.insert_value("previous", neighbour(position.checked_sub(1)));
        ctx.insert_value("next", neighbour(Some(position + 1)));
    }
    render_file(tera, "paper.html", &url, &ctx)
}

/// A day and its papers, for its page and the home page.
fn day_value(day: &Day, values: &Deck) -> tera::Value {
    let view = DayView {
        date: day.date.to_string(),
        date_display: date_display(day.date),
        url: day_url(day.date),
        bib: day_bib_url(day),
    };
    let mut map = tera::Value::from_serializable(&view).into_map().expect("views serialize to maps");
    map.insert(tera::value::Key::from("papers"), card_list(values, &day.papers));
    tera::Value::from(map)
}

pub(super) fn day_bib_url(day: &Day) -> String {
    format!("days/{}.bib", day.date)
}

/// What a day's page and the home page share: day `i`, its neighbours,
/// its topics for the filter, and the first and last days for the picker.
fn day_context(path: &str, model: &Model, values: &Deck, i: usize) -> tera::Context {
    let day = &model.days[i];
    let mut ctx = page_context(path);
    ctx.insert_value("day", day_value(day, values));
    let link = |d: &Day| Link { url: day_url(d.date), label: date_display(d.date) };
    ctx.insert("previous", &i.checked_sub(1).map(|j| link(&model.days[j])));
    ctx.insert("next", &model.days.get(i + 1).map(link));
    ctx.insert("day_topics", &day_topics(model, day));
    ctx
}

pub(super) fn day_page(tera: &tera::Tera, model: &Model, values: &Deck, i: usize) -> Result<OutputFile> {
    let url = day_url(model.days[i].date);
    render_file(tera, "day.html", &url, &day_context(&url, model, values, i))
}

/// `days/<date>.bib`: the day's papers in digest order.
pub(super) fn day_bib(model: &Model, i: usize) -> OutputFile {
    let day = &model.days[i];
    OutputFile::new(day_bib_url(day), bib_file(model, &day.papers))
}

pub(super) fn home_page(tera: &tera::Tera, model: &Model, values: &Deck, site: &tera::Value) -> Result<OutputFile> {
    let mut ctx = match model.days.len() {
        0 => page_context("index.html"),
        n => day_context("index.html", model, values, n - 1),
    };
    ctx.insert_value("site", site.clone());
    if let Some(home) = &model.home {
        ctx.insert("intro_html", &markdown::to_html(&home.body, Trust::Owner));
    }
    ctx.insert("topic_count", &model.topics.topics.len());
    render_file(tera, "index.html", "index.html", &ctx)
}

/// `saved.html`: the reading list, which the browser fills in.
pub(super) fn saved_page(tera: &tera::Tera) -> Result<OutputFile> {
    render_file(tera, "saved.html", "saved.html", &page_context("saved.html"))
}

/// What the search page offers before anything is typed: the biggest
/// topics and the latest days.
pub(super) fn search_page(tera: &tera::Tera, model: &Model, site: &tera::Value) -> Result<OutputFile> {
    let mut ctx = page_context("search.html");
    ctx.insert_value("site", site.clone());
    let mut topics: Vec<TopicCount> = model.topics.topics.iter().map(|t| topic_count(t, t.papers.len())).collect();
    topics.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    topics.truncate(12);
    ctx.insert("topics", &topics);
    let recent: Vec<TopicCount> = model
        .days
        .iter()
        .rev()
        .take(7)
        .map(|d| TopicCount {
            url: day_url(d.date),
            label: date_display(d.date),
            slug: d.date.to_string(),
            count: d.papers.len(),
        })
        .collect();
    ctx.insert("recent", &recent);
    render_file(tera, "search.html", "search.html", &ctx)
}

fn topic_count(topic: &Topic, count: usize) -> TopicCount {
    TopicCount { url: topic_url(&topic.slug), label: topic.name.clone(), slug: topic.slug.clone(), count }
}

/// The topics of a day's papers with how many papers of the day each has,
/// most papers first.
fn day_topics(model: &Model, day: &Day) -> Vec<TopicCount> {
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for &p in &day.papers {
        for &t in &model.topics.of_paper[p] {
            *counts.entry(t).or_default() += 1;
        }
    }
    let mut out: Vec<TopicCount> =
        counts.into_iter().map(|(t, count)| topic_count(&model.topics.topics[t], count)).collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    out
}

fn topic_view(topics: &Topics, t: usize) -> TopicView<'_> {
    let topic = &topics.topics[t];
    let mut parents: Vec<Link> = std::iter::successors(topic.parent, |&p| topics.topics[p].parent)
        .map(|p| Link { url: topic_url(&topics.topics[p].slug), label: topics.topics[p].name.clone() })
        .collect();
    parents.reverse();
    TopicView {
        name: &topic.name,
        slug: &topic.slug,
        url: topic_url(&topic.slug),
        description: &topic.description,
        kind: topic.kind,
        count: Some(topic.papers.len()),
        own: Some(topic.listed.len()),
        parents,
        children: topic
            .children
            .iter()
            .map(|&c| {
                let child = &topics.topics[c];
                TopicCount {
                    url: topic_url(&child.slug),
                    label: child.name.clone(),
                    slug: child.slug.clone(),
                    count: child.papers.len(),
                }
            })
            .collect(),
    }
}

/// The topics overview, `topics/index.html`: the top topics, most papers
/// first, each with the topics under it (`groups`), and every topic in
/// that order (`topics`).
pub(super) fn topics_overview(tera: &tera::Tera, model: &Model, site: &tera::Value) -> Result<OutputFile> {
    let path = "topics/index.html";
    let mut ctx = page_context(path);
    ctx.insert_value("site", site.clone());
    let topics = &model.topics;
    let views: Vec<TopicView> = (0..topics.topics.len()).map(|t| topic_view(topics, t)).collect();
    ctx.insert("topics", &views);
    ctx.insert("groups", &topic_groups(topics, &views));
    render_file(tera, "topics.html", path, &ctx)
}

/// `topics/names.js`: every topic's name by slug, as a script (loaded with
/// a `<script>` tag, so it works from `file://`). A day's topic filter is
/// made from it and the cards' `data-t` by `list.js`, rather than written
/// into every day page (1,500 bytes a day page of the real archive).
pub(super) fn topic_names_script(model: &Model) -> OutputFile {
    let names: BTreeMap<&str, &str> = model.topics.topics.iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect();
    let json = serde_json::to_string(&names).expect("strings serialize");
    OutputFile::new("topics/names.js", format!("paperpressTopicNames({json});\n"))
}

/// The top topics, each with its descendants; `topics` is already in tree
/// order, each topic before its descendants, and `views` are theirs.
fn topic_groups<'v, 'a>(topics: &Topics, views: &'v [TopicView<'a>]) -> Vec<TopicGroup<'v, 'a>> {
    let mut groups: Vec<TopicGroup> = Vec::new();
    for (t, view) in views.iter().enumerate() {
        let depth = std::iter::successors(topics.topics[t].parent, |&p| topics.topics[p].parent).count();
        match groups.last_mut() {
            Some(group) if depth > 0 => group.descendants.push(NestedTopic { topic: view, depth }),
            _ => groups.push(TopicGroup { topic: view, descendants: Vec::new() }),
        }
    }
    groups
}

/// Every page of every topic, as `(topic, page number)`; the last number
/// of a topic is its latest page.
pub(super) fn topic_page_numbers(model: &Model, per_page: usize) -> Vec<(usize, usize)> {
    model
        .topics
        .topics
        .iter()
        .enumerate()
        .flat_map(|(t, topic)| (1..=full_pages(topic.listed.len(), per_page) + 1).map(move |n| (t, n)))
        .collect()
}

/// The full pages of a topic of `count` papers: all of them but the
/// latest, which holds at least one page's worth when there is one.
pub(super) fn full_pages(count: usize, per_page: usize) -> usize {
    (count / per_page.max(1)).saturating_sub(1)
}

/// The path of page `n` of `topic`, whose latest page is `latest`.
pub(super) fn topic_page_url(topic: &Topic, n: usize, latest: usize) -> String {
    if n == latest { topic_url(&topic.slug) } else { format!("topics/{}/{n}.html", topic.slug) }
}

/// Page `n` of topic `t` (see [`Pagination`]), newest first.
pub(super) fn topic_page(
    tera: &tera::Tera,
    model: &Model,
    values: &Deck,
    (t, n): (usize, usize),
    per_page: usize,
) -> Result<OutputFile> {
    let page = TopicPage::new(model, (t, n), per_page);
    let mut ctx = page_context(&page.path);
    ctx.insert("topic", &page.view);
    ctx.insert("bib", &topic_bib_url(page.topic));
    ctx.insert_value("papers", card_list(values, page.papers));
    ctx.insert("pagination", &page.pagination);
    render_file(tera, "topic.html", &page.path, &ctx)
}

/// What page `n` of topic `t` shows, but its cards.
pub(super) struct TopicPage<'a> {
    topic: &'a Topic,
    pub(super) path: String,
    view: TopicView<'a>,
    /// Its papers, newest first.
    pub(super) papers: &'a [usize],
    pagination: Pagination,
}

impl<'a> TopicPage<'a> {
    pub(super) fn new(model: &'a Model, (t, n): (usize, usize), per_page: usize) -> TopicPage<'a> {
        let topic = &model.topics.topics[t];
        let per_page = per_page.max(1);
        let count = topic.listed.len();
        let latest = full_pages(count, per_page) + 1;
        let mut view = topic_view(&model.topics, t);
        // Only the latest page says how many papers the topic has and
        // shows the topics under it: the others stay as they are when
        // papers are added.
        if n != latest {
            view.count = None;
            view.own = None;
            view.children.clear();
        }
        let end = count - (n - 1) * per_page;
        let start = if n == latest { 0 } else { end - per_page };
        TopicPage {
            topic,
            path: topic_page_url(topic, n, latest),
            view,
            papers: &topic.listed[start..end],
            pagination: pagination(topic, n, latest),
        }
    }

    /// Everything the page shows but its cards, as one string to hash.
    pub(super) fn key(&self) -> String {
        serde_json::to_string(&(&self.path, &self.view, &self.pagination)).expect("views serialize")
    }
}

/// The pager of page `n` of a topic whose latest page is `latest`.
fn pagination(topic: &Topic, n: usize, latest: usize) -> Pagination {
    // Counted from the latest page, the pager is the usual one: the first
    // (latest), the nearby and the last (page 1) pages.
    let from_latest = latest + 1 - n;
    let page = |k: usize| latest + 1 - k;
    let pages = nearby_pages(from_latest, latest)
        .into_iter()
        .map(|k| {
            k.map(|k| PageLink {
                url: topic_page_url(topic, page(k), latest),
                label: if k == 1 { "Latest".to_string() } else { page(k).to_string() },
                current: k == from_latest,
            })
        })
        .collect();
    Pagination {
        current: n,
        latest: n == latest,
        previous: (n < latest).then(|| topic_page_url(topic, n + 1, latest)),
        next: (n > 1).then(|| topic_page_url(topic, n - 1, latest)),
        pages,
    }
}

pub(super) fn topic_bib_url(topic: &Topic) -> String {
    format!("topics/{}.bib", topic.slug)
}

/// `topics/<slug>.bib`: every paper of topic `t`, newest first.
pub(super) fn topic_bib(model: &Model, t: usize) -> OutputFile {
    let topic = &model.topics.topics[t];
    OutputFile::new(topic_bib_url(topic), bib_file(model, &topic.listed))
}

/// The page numbers a pager shows on page `n` of `total`: the first, the
/// two either side of `n` and the last, with `None` for each gap (a gap of
/// one page shows that page instead).
fn nearby_pages(n: usize, total: usize) -> Vec<Option<usize>> {
    let mut shown: Vec<usize> = [1, total].into_iter().chain(n.saturating_sub(2).max(1)..=(n + 2).min(total)).collect();
    shown.sort_unstable();
    shown.dedup();
    let mut out = Vec::with_capacity(shown.len() + 2);
    for (i, &k) in shown.iter().enumerate() {
        match i.checked_sub(1).map(|j| k - shown[j]) {
            Some(2) => out.push(Some(k - 1)),
            Some(gap) if gap > 2 => out.push(None),
            _ => {}
        }
        out.push(Some(k));
    }
    out
}

/// A hand-written page.
pub(super) fn hand_written_page(tera: &tera::Tera, page: &Page) -> Result<OutputFile> {
    let mut ctx = page_context(&page.path);
    ctx.insert(
        "page",
        &PageView { title: &page.title, body_html: markdown::to_html(&page.body, Trust::Owner), extra: &page.extra },
    );
    render_file(tera, "page.html", &page.path, &ctx)
}

/// `404.html` is served at whatever path was missing, so relative links
/// cannot work there: with a base URL its links are absolute.
pub(super) fn not_found_page(tera: &tera::Tera, config: &Config) -> Result<OutputFile> {
    let mut ctx = page_context("404.html");
    if let Some(base) = config.base_url() {
        ctx.insert("root", &base);
    }
    render_file(tera, "404.html", "404.html", &ctx)
}

/// `topics/<slug>.html` of a locked automatic topic with no paper left: a
/// small page that says where its papers went (its parent, or the topics
/// overview) and takes the reader there. Its links are relative, so it
/// works from `file://` too; it is in no listing, feed or sitemap.
pub(super) fn moved_topic_page(config: &Config, model: &Model, retired: &Retired) -> OutputFile {
    let (href, place, said) = match retired.to {
        Some(t) => {
            let place = format!("the topic “{}”", escaped(&model.topics.topics[t].name));
            (
                format!("{}.html", escaped(&model.topics.topics[t].slug)),
                place.clone(),
                format!("its papers are in {place}"),
            )
        }
        None => ("index.html".to_string(), "all topics".to_string(), "see all topics".to_string()),
    };
    let name = escaped(&retired.name);
    let sentence = said.replacen(&place, &format!("<a href=\"{href}\">{place}</a>"), 1);
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{name}: see {place}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n<body>\n<main>\n<h1>{name}</h1>\n\
         <p>No paper is in this topic any more: {sentence}.</p>\n</main>\n</body>\n</html>\n",
        lang = escaped(&config.language),
    );
    OutputFile::new(topic_url(&retired.slug), html.into_bytes())
}

/// `text` escaped for HTML text and attributes.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(&mut out), text)
        .expect("writing to a string cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagers_show_the_first_nearby_and_last_pages() {
        let show = |n, total| {
            nearby_pages(n, total)
                .into_iter()
                .map(|k| k.map_or("…".to_string(), |k| k.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(show(1, 1), "1");
        assert_eq!(show(1, 3), "1 2 3");
        assert_eq!(show(1, 40), "1 2 3 … 40");
        assert_eq!(show(20, 40), "1 … 18 19 20 21 22 … 40");
        assert_eq!(show(5, 40), "1 2 3 4 5 6 7 … 40");
        assert_eq!(show(40, 40), "1 … 38 39 40");
    }
}
