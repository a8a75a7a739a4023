//! The pages of a site: a paper's page, day pages and the archive, the
//! home page, topic pages, hand-written pages and `404.html`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::bibtex::bibtex;
use super::cards::{card_list, excerpt_text, with_card};
use super::{Link, OutputFile, date_display, day_url, page_context, paper_url, render_file, topic_url};
use crate::config::Config;
use crate::enrich::topics::{TopicKind, Topics};
use crate::error::Result;
use crate::markdown::{self, Trust};
use crate::model::{Day, Model};
use crate::page::Page;

/// What a paper's own page adds to its card.
#[derive(Serialize)]
struct PaperDetails<'a> {
    title_text: String,
    /// Plain-text start of the abstract, for `<meta name=description>`.
    excerpt_text: String,
    pdf: Option<&'a str>,
    body_html: String,
    days: Vec<Link>,
    bibtex: Option<String>,
    github_stars: Option<u64>,
    ai_summary: Option<&'a str>,
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
    /// Papers, its descendants' included.
    count: usize,
    /// Papers in none of its children.
    own: usize,
    /// Its broader topics, the top one first.
    parents: Vec<Link>,
    /// Its narrower topics, most papers first.
    children: Vec<TopicCount>,
}

/// A top topic and everything under it, for the overview.
#[derive(Serialize)]
struct TopicGroup<'a> {
    topic: TopicView<'a>,
    /// Its descendants, depth first, each with its depth (1 for a child).
    descendants: Vec<NestedTopic<'a>>,
}

#[derive(Serialize)]
struct NestedTopic<'a> {
    topic: TopicView<'a>,
    depth: usize,
}

/// Where a paginated listing is.
#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    pages: Vec<Link>,
}

#[derive(Serialize)]
struct DayView {
    date: String,
    date_display: String,
    url: String,
}

#[derive(Serialize)]
struct MonthView {
    label: String,
    days: Vec<DayLink>,
}

#[derive(Serialize)]
struct DayLink {
    url: String,
    label: String,
    weekday: String,
    count: usize,
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
    count: usize,
}

pub(super) fn paper_page(tera: &tera::Tera, model: &Model, values: &[tera::Value], i: usize) -> Result<OutputFile> {
    let paper = &model.papers[i];
    let url = paper_url(paper);
    let mut ctx = page_context(&url);
    let details = PaperDetails {
        title_text: crate::math::plain_text(&paper.title),
        excerpt_text: excerpt_text(&paper.body, 200),
        pdf: paper.pdf.as_deref(),
        body_html: markdown::to_html(&paper.body, Trust::Imported),
        days: paper.dates().map(|d| Link { url: day_url(d), label: date_display(d) }).collect(),
        bibtex: bibtex(paper),
        github_stars: paper.github_stars,
        ai_summary: paper.ai_summary.as_deref(),
        ai_keywords: &paper.ai_keywords,
        categories: &paper.categories,
        doi: paper.doi.as_deref(),
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
fn day_value(day: &Day, values: &[tera::Value]) -> tera::Value {
    let view = DayView { date: day.date.to_string(), date_display: date_display(day.date), url: day_url(day.date) };
    let mut map = tera::Value::from_serializable(&view).into_map().expect("views serialize to maps");
    map.insert(tera::value::Key::from("papers"), card_list(values, &day.papers));
    tera::Value::from(map)
}

pub(super) fn day_page(tera: &tera::Tera, model: &Model, values: &[tera::Value], i: usize) -> Result<OutputFile> {
    let day = &model.days[i];
    let url = day_url(day.date);
    let mut ctx = page_context(&url);
    ctx.insert_value("day", day_value(day, values));
    let link = |d: &Day| Link { url: day_url(d.date), label: date_display(d.date) };
    ctx.insert("previous", &i.checked_sub(1).map(|j| link(&model.days[j])));
    ctx.insert("next", &model.days.get(i + 1).map(link));
    render_file(tera, "day.html", &url, &ctx)
}

pub(super) fn home_page(tera: &tera::Tera, model: &Model, values: &[tera::Value]) -> Result<OutputFile> {
    let mut ctx = page_context("index.html");
    ctx.insert_value("day", model.latest_day().map_or_else(tera::Value::none, |d| day_value(d, values)));
    if model.days.len() > 1 {
        let previous = &model.days[model.days.len() - 2];
        ctx.insert("previous", &Link { url: day_url(previous.date), label: date_display(previous.date) });
    }
    if let Some(home) = &model.home {
        ctx.insert("intro_html", &markdown::to_html(&home.body, Trust::Owner));
    }
    ctx.insert("day_topics", &model.latest_day().map(|d| day_topics(model, d)).unwrap_or_default());
    ctx.insert("topic_count", &model.topics.topics.len());
    render_file(tera, "index.html", "index.html", &ctx)
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
    let mut out: Vec<TopicCount> = counts
        .into_iter()
        .map(|(t, count)| {
            let topic = &model.topics.topics[t];
            TopicCount { url: topic_url(&topic.slug), label: topic.name.clone(), count }
        })
        .collect();
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
        count: topic.papers.len(),
        own: topic.own,
        parents,
        children: topic
            .children
            .iter()
            .map(|&c| {
                let child = &topics.topics[c];
                TopicCount { url: topic_url(&child.slug), label: child.name.clone(), count: child.papers.len() }
            })
            .collect(),
    }
}

/// The topics overview, `topics/index.html`: the top topics, most papers
/// first, each with the topics under it (`groups`), and every topic in
/// that order (`topics`).
pub(super) fn topics_overview(tera: &tera::Tera, model: &Model) -> Result<OutputFile> {
    let path = "topics/index.html";
    let mut ctx = page_context(path);
    let topics = &model.topics;
    let views: Vec<TopicView> = (0..topics.topics.len()).map(|t| topic_view(topics, t)).collect();
    ctx.insert("topics", &views);
    ctx.insert("groups", &topic_groups(topics));
    render_file(tera, "topics.html", path, &ctx)
}

/// The top topics, each with its descendants; `topics` is already in tree
/// order, each topic before its descendants.
fn topic_groups(topics: &Topics) -> Vec<TopicGroup<'_>> {
    let mut groups: Vec<TopicGroup> = Vec::new();
    for t in 0..topics.topics.len() {
        let depth = std::iter::successors(topics.topics[t].parent, |&p| topics.topics[p].parent).count();
        match groups.last_mut() {
            Some(group) if depth > 0 => group.descendants.push(NestedTopic { topic: topic_view(topics, t), depth }),
            _ => groups.push(TopicGroup { topic: topic_view(topics, t), descendants: Vec::new() }),
        }
    }
    groups
}

/// Every page of every topic, as `(topic, page number)`.
pub(super) fn topic_page_numbers(model: &Model, per_page: usize) -> Vec<(usize, usize)> {
    model
        .topics
        .topics
        .iter()
        .enumerate()
        .flat_map(|(t, topic)| (1..=topic.papers.len().div_ceil(per_page)).map(move |n| (t, n)))
        .collect()
}

/// Page `n` of topic `t`: `topics/<slug>.html`, then `topics/<slug>/2.html`,
/// ... with `per_page` papers each, newest first.
pub(super) fn topic_page(
    tera: &tera::Tera,
    model: &Model,
    values: &[tera::Value],
    (t, n): (usize, usize),
    per_page: usize,
) -> Result<OutputFile> {
    let topic = &model.topics.topics[t];
    let total = topic.papers.len().div_ceil(per_page);
    let page_url = |n: usize| if n == 1 { topic_url(&topic.slug) } else { format!("topics/{}/{n}.html", topic.slug) };
    let path = page_url(n);
    let mut ctx = page_context(&path);
    ctx.insert("topic", &topic_view(&model.topics, t));
    let slice = &topic.papers[(n - 1) * per_page..(n * per_page).min(topic.papers.len())];
    ctx.insert_value("papers", card_list(values, slice));
    ctx.insert("first_number", &((n - 1) * per_page + 1));
    ctx.insert(
        "pagination",
        &Pagination {
            current: n,
            total,
            previous: (n > 1).then(|| page_url(n - 1)),
            next: (n < total).then(|| page_url(n + 1)),
            pages: (1..=total).map(|k| Link { url: page_url(k), label: k.to_string() }).collect(),
        },
    );
    render_file(tera, "topic.html", &path, &ctx)
}

pub(super) fn archive_page(tera: &tera::Tera, model: &Model) -> Result<OutputFile> {
    let mut months: Vec<MonthView> = Vec::new();
    for day in model.days.iter().rev() {
        let label = day.date.strftime("%B %Y").to_string();
        if months.last().is_none_or(|m| m.label != label) {
            months.push(MonthView { label: label.clone(), days: Vec::new() });
        }
        let month = months.last_mut().expect("a month was just pushed");
        month.days.push(DayLink {
            url: day_url(day.date),
            label: day.date.strftime("%b %-d").to_string(),
            weekday: day.date.strftime("%A").to_string(),
            count: day.papers.len(),
        });
    }
    let path = "days/index.html";
    let mut ctx = page_context(path);
    ctx.insert("months", &months);
    render_file(tera, "days.html", path, &ctx)
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
