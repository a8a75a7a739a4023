//! Rendering: the model through the theme's templates into output files.
//!
//! Templates get `Serialize` view structs, never `Paper` itself. Every link
//! is relative: each page gets `root` (`""`, `"../"`, ...) and every URL in
//! a view is relative to the site root, so the site works from `file://`,
//! at a domain root and under a sub-path alike. This module only reads the
//! model and returns files; `output` writes them.

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

use std::collections::BTreeMap;

use crate::config::Config;
use crate::enrich::topics::{Topic, TopicKind};
use crate::error::{Context, Result, anyhow};
use crate::markdown::{self, Trust};
use crate::math;
use crate::model::{Day, Model};
use crate::paper::Paper;
use crate::search;
use crate::theme::Theme;

/// A file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile { path: path.into(), bytes: bytes.into() }
    }
}

/// Site-wide values, in every template as `site`.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: Option<String>,
    nav: Vec<Link>,
    extra: &'a toml::Table,
    paper_count: usize,
    day_count: usize,
    /// Whether the search box and page are built.
    search: bool,
}

/// A link: a URL relative to the site root and its label (may hold HTML
/// for titles with formulas, see `label_html`).
#[derive(Serialize, Clone)]
struct Link {
    url: String,
    label: String,
}

/// A paper in a listing.
#[derive(Serialize, Clone)]
struct PaperCard {
    id: String,
    url: String,
    title_html: String,
    title_text: String,
    authors: Vec<String>,
    /// At most five names, then "et al.".
    authors_short: String,
    excerpt_html: String,
    /// Plain-text start of the abstract, for `<meta name=description>`.
    excerpt_text: String,
    date: String,
    date_display: String,
    arxiv: Option<String>,
    pdf: Option<String>,
    code: Vec<String>,
    project: Option<String>,
    upvotes: Option<u64>,
    /// The paper's topics, most relevant first.
    topics: Vec<Link>,
}

/// What a paper's own page adds to its card.
#[derive(Serialize)]
struct PaperDetails<'a> {
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
    kind: TopicKind,
    count: usize,
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

/// Renders every page of the site.
pub fn render(
    config: &Config,
    model: &Model,
    theme: &mut Theme,
    progress: &indicatif::ProgressBar,
) -> Result<Vec<OutputFile>> {
    let site = SiteView {
        title: &config.title,
        description: &config.description,
        language: &config.language,
        base_url: config.base_url(),
        nav: model
            .pages
            .iter()
            .filter(|p| p.menu)
            .map(|p| Link { url: href(&p.path), label: p.title.clone() })
            .collect(),
        extra: &config.extra,
        paper_count: model.papers.len(),
        day_count: model.days.len(),
        search: config.search.enabled,
    };
    theme.tera.global_context().insert("site", &site);
    let tera = &theme.tera;
    let cards: Vec<PaperCard> = crate::timed("cards", || {
        model
            .papers
            .par_iter()
            .enumerate()
            .map(|(i, p)| card(p, &topic_links(model, i), config.build.excerpt_chars))
            .collect()
    });
    // Every card shows on several pages (its paper's, its day's, its
    // topics', as a neighbour and as related): serialized once, shared.
    let card_values: Vec<tera::Value> = cards.par_iter().map(tera::Value::from_serializable).collect();
    let cards_v = &card_values[..];

    progress.set_length((model.papers.len() + model.days.len() + model.pages.len() + 4) as u64);
    let mut files: Vec<OutputFile> = crate::timed("paper pages", || {
        (0..model.papers.len())
            .into_par_iter()
            .map(|i| {
                let file = paper_page(tera, model, &cards, cards_v, i);
                progress.inc(1);
                file
            })
            .collect::<Result<_>>()
    })?;
    let day_files: Vec<OutputFile> = crate::timed("day pages", || {
        model
            .days
            .par_iter()
            .enumerate()
            .map(|(i, day)| {
                let file = day_page(tera, model, cards_v, i, day);
                progress.inc(1);
                file
            })
            .collect::<Result<_>>()
    })?;
    files.extend(day_files);
    files.extend(crate::timed("topic pages", || topic_pages(tera, model, cards_v, config.build.paginate_by))?);
    for page in &model.pages {
        let mut ctx = page_context(&page.path);
        ctx.insert(
            "page",
            &PageView {
                title: &page.title,
                body_html: markdown::to_html(&page.body, Trust::Owner),
                extra: &page.extra,
            },
        );
        files.push(render_file(tera, "page.html", &page.path, &ctx)?);
        progress.inc(1);
    }
    files.push(home_page(tera, model, cards_v)?);
    files.push(archive_page(tera, model)?);
    files.push(not_found_page(tera, config)?);
    progress.inc(3);
    if config.search.enabled {
        files.push(render_file(tera, "search.html", "search.html", &page_context("search.html"))?);
        let docs = crate::timed("search documents", || search_docs(model, &cards));
        files.extend(search::build(&docs, &config.search));
    }
    files.extend(static_files(theme));
    Ok(files)
}

/// The papers as search indexes and shows them.
fn search_docs(model: &Model, cards: &[PaperCard]) -> Vec<search::SearchDoc> {
    model
        .papers
        .par_iter()
        .zip(cards)
        .map(|(paper, card)| search::SearchDoc {
            url: card.url.clone(),
            title: card.title_text.clone(),
            authors: paper.authors.clone(),
            topics: card.topics.iter().map(|t| t.label.clone()).collect(),
            abstract_text: markdown::to_plain_text(&paper.body),
            date: card.date.clone(),
        })
        .collect()
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    body_html: String,
    extra: &'a toml::Table,
}

/// `404.html` is served at whatever path was missing, so relative links
/// cannot work there: with a base URL its links are absolute.
fn not_found_page(tera: &tera::Tera, config: &Config) -> Result<OutputFile> {
    let mut ctx = page_context("404.html");
    if let Some(base) = config.base_url() {
        ctx.insert("root", &base);
    }
    render_file(tera, "404.html", "404.html", &ctx)
}

/// A path as it goes into an `href`: spaces and other unsafe characters
/// percent-encoded (page file names are the owner's).
pub(crate) fn href(path: &str) -> String {
    const PATH: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    percent_encoding::utf8_percent_encode(path, PATH).to_string()
}

/// The relative prefix from `path` back to the site root.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn page_context(path: &str) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("root", &root_of(path));
    ctx.insert("path", path);
    ctx
}

fn render_file(tera: &tera::Tera, template: &str, path: &str, ctx: &tera::Context) -> Result<OutputFile> {
    let html = tera
        .render(template, ctx)
        .map_err(|e| anyhow!("{e}"))
        .with_context(|| format!("failed to render `{path}` with template `{template}`"))?;
    Ok(OutputFile::new(path, html))
}

/// A paper page's path relative to the site root.
pub(crate) fn paper_url(paper: &Paper) -> String {
    format!("papers/{}.html", paper.file_stem())
}

fn day_url(date: Date) -> String {
    format!("days/{date}.html")
}

fn date_display(date: Date) -> String {
    date.strftime("%b %-d, %Y").to_string()
}

fn topic_url(slug: &str) -> String {
    format!("topics/{slug}.html")
}

fn topic_links(model: &Model, paper: usize) -> Vec<Link> {
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
fn card_list(values: &[tera::Value], papers: &[usize]) -> tera::Value {
    tera::Value::from(papers.iter().map(|&p| values[p].clone()).collect::<Vec<_>>())
}

/// A view merged into a card: the card's fields plus the view's.
fn with_card(card: &tera::Value, view: &impl Serialize) -> tera::Map {
    let mut map = card.as_map().expect("a card serializes to a map").clone();
    let extra = tera::Value::from_serializable(view).into_map().expect("views serialize to maps");
    map.extend(extra);
    map
}

fn paper_page(
    tera: &tera::Tera,
    model: &Model,
    cards: &[PaperCard],
    values: &[tera::Value],
    i: usize,
) -> Result<OutputFile> {
    let paper = &model.papers[i];
    let card = &cards[i];
    let mut ctx = page_context(&card.url);
    let details = PaperDetails {
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
    render_file(tera, "paper.html", &card.url, &ctx)
}

/// A day and its papers, for its page and the home page.
fn day_value(day: &Day, values: &[tera::Value]) -> tera::Value {
    let view = DayView { date: day.date.to_string(), date_display: date_display(day.date), url: day_url(day.date) };
    let mut map = tera::Value::from_serializable(&view).into_map().expect("views serialize to maps");
    map.insert(tera::value::Key::from("papers"), card_list(values, &day.papers));
    tera::Value::from(map)
}

fn day_page(tera: &tera::Tera, model: &Model, values: &[tera::Value], i: usize, day: &Day) -> Result<OutputFile> {
    let url = day_url(day.date);
    let mut ctx = page_context(&url);
    ctx.insert_value("day", day_value(day, values));
    let link = |d: &Day| Link { url: day_url(d.date), label: date_display(d.date) };
    ctx.insert("previous", &i.checked_sub(1).map(|j| link(&model.days[j])));
    ctx.insert("next", &model.days.get(i + 1).map(link));
    render_file(tera, "day.html", &url, &ctx)
}

fn home_page(tera: &tera::Tera, model: &Model, values: &[tera::Value]) -> Result<OutputFile> {
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

#[derive(Serialize)]
struct TopicCount {
    url: String,
    label: String,
    count: usize,
}

fn topic_view(topic: &Topic) -> TopicView<'_> {
    TopicView {
        name: &topic.name,
        slug: &topic.slug,
        url: topic_url(&topic.slug),
        description: &topic.description,
        kind: topic.kind,
        count: topic.papers.len(),
    }
}

/// The topics overview and every topic's pages: `topics/<slug>.html`, then
/// `topics/<slug>/2.html`, ... with `per_page` papers each, newest first.
fn topic_pages(tera: &tera::Tera, model: &Model, values: &[tera::Value], per_page: usize) -> Result<Vec<OutputFile>> {
    let overview_path = "topics/index.html";
    let mut ctx = page_context(overview_path);
    let views: Vec<TopicView> = model.topics.topics.iter().map(topic_view).collect();
    ctx.insert("topics", &views);
    let mut files = vec![render_file(tera, "topics.html", overview_path, &ctx)?];
    let pages: Vec<(usize, usize)> = model
        .topics
        .topics
        .iter()
        .enumerate()
        .flat_map(|(t, topic)| (1..=topic.papers.len().div_ceil(per_page)).map(move |n| (t, n)))
        .collect();
    let rendered: Vec<OutputFile> = pages
        .par_iter()
        .map(|&(t, n)| {
            let topic = &model.topics.topics[t];
            let total = topic.papers.len().div_ceil(per_page);
            let page_url =
                |n: usize| if n == 1 { topic_url(&topic.slug) } else { format!("topics/{}/{n}.html", topic.slug) };
            let path = page_url(n);
            let mut ctx = page_context(&path);
            ctx.insert("topic", &topic_view(topic));
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
        })
        .collect::<Result<_>>()?;
    files.extend(rendered);
    Ok(files)
}

fn archive_page(tera: &tera::Tera, model: &Model) -> Result<OutputFile> {
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

/// A BibTeX `@misc` entry for papers with an arXiv id.
fn bibtex(paper: &Paper) -> Option<String> {
    let arxiv_id = crate::links::normalize_arxiv_id(&paper.id)?;
    let year = arxiv_year(&arxiv_id).unwrap_or(paper.date().year());
    let surname = paper
        .authors
        .first()
        .and_then(|a| a.split_whitespace().last())
        .map(|s| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase())
        .unwrap_or_default();
    let first_word = math::plain_text(&paper.title)
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.len() > 3)
        .unwrap_or("paper")
        .to_lowercase();
    let key = if surname.is_empty() {
        format!("arxiv{}", arxiv_id.replace(['/', '.'], ""))
    } else {
        format!("{surname}{year}{first_word}")
    };
    let mut entry = format!("@misc{{{key},\n  title = {{{}}},\n", bibtex_text(&paper.title));
    if !paper.authors.is_empty() {
        entry.push_str(&format!("  author = {{{}}},\n", bibtex_text(&paper.authors.join(" and "))));
    }
    entry.push_str(&format!("  year = {{{year}}},\n  eprint = {{{arxiv_id}}},\n  archivePrefix = {{arXiv}},\n"));
    if let Some(class) = &paper.primary_category {
        entry.push_str(&format!("  primaryClass = {{{}}},\n", bibtex_text(class)));
    }
    if let Some(doi) = &paper.doi {
        entry.push_str(&format!("  doi = {{{}}},\n", bibtex_text(doi)));
    }
    entry.push_str(&format!("  url = {{https://arxiv.org/abs/{arxiv_id}}}\n}}"));
    Some(entry)
}

/// The year of a new-style arXiv id (`2510.19779` -> 2025) or an old-style
/// one (`cond-mat/0412498` -> 2004).
fn arxiv_year(id: &str) -> Option<i16> {
    let digits = id.rsplit('/').next()?;
    let yy: i16 = digits.get(..2)?.parse().ok()?;
    Some(if yy >= 91 { 1900 + yy } else { 2000 + yy })
}

/// Braces would unbalance the entry; everything else BibTeX reads as text.
fn bibtex_text(text: &str) -> String {
    text.replace(['{', '}'], "")
}

fn static_files(theme: &Theme) -> Vec<OutputFile> {
    let mut files: Vec<OutputFile> =
        theme.static_files.iter().map(|(path, bytes)| OutputFile::new(path.clone(), bytes.clone())).collect();
    let (light, dark) = markdown::highlight_css();
    files.push(OutputFile::new("syntax-light.css", light));
    files.push(OutputFile::new("syntax-dark.css", dark));
    // GitHub Pages: serve the files as they are, without Jekyll.
    files.push(OutputFile::new(".nojekyll", ""));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths_are_percent_encoded_in_links() {
        assert_eq!(href("notes/my notes & more.html"), "notes/my%20notes%20%26%20more.html");
        assert_eq!(href("about.html"), "about.html");
    }

    #[test]
    fn root_prefix_follows_depth() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("papers/x.html"), "../");
        assert_eq!(root_of("notes/2025/a.html"), "../../");
    }

    #[test]
    fn excerpt_cuts_at_a_space_outside_formulas() {
        let body = "Alpha beta $x^2 + y^2$ gamma delta epsilon.";
        let html = excerpt_html(body, 15);
        assert_eq!(html, "Alpha beta…");
        assert_eq!(excerpt_html("Short.", 300), "Short.");
    }

    #[test]
    fn bibtex_for_arxiv_papers_only() {
        let mut paper = Paper {
            id: "2510.19779".into(),
            title: "AdaSPEC: Selective {Knowledge} Distillation".into(),
            authors: vec!["Yuezhou Hu".into(), "Tuo Zhao".into()],
            days: vec![crate::paper::Listing::new(jiff::civil::date(2025, 10, 24), None)],
            ..Paper::default()
        };
        let entry = bibtex(&paper).unwrap();
        assert!(
            entry.starts_with("@misc{hu2025adaspec,\n  title = {AdaSPEC: Selective Knowledge Distillation},"),
            "{entry}"
        );
        assert!(entry.contains("author = {Yuezhou Hu and Tuo Zhao}"));
        assert!(entry.contains("eprint = {2510.19779},\n  archivePrefix = {arXiv},\n  url"));
        paper.primary_category = Some("cs.CL".into());
        assert!(bibtex(&paper).unwrap().contains("archivePrefix = {arXiv},\n  primaryClass = {cs.CL},\n"));
        paper.id = "some-slug".into();
        assert_eq!(bibtex(&paper), None);
        assert_eq!(arxiv_year("cond-mat/0412498"), Some(2004));
    }
}
