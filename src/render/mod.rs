//! Rendering: the model through the theme's templates into output files.
//!
//! Templates get `Serialize` view structs, never `Paper` itself. Every link
//! is relative: each page gets `root` (`""`, `"../"`, ...) and every URL in
//! a view is relative to the site root, so the site works from `file://`,
//! at a domain root and under a sub-path alike. This module only reads the
//! model and returns files; `output` writes them.

mod archive;
mod bibtex;
mod cards;
mod pages;
pub mod reads;
mod scholar;

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

pub use cards::Cards;

use crate::config::Config;
use crate::error::{Context, Result};
use crate::markdown;
use crate::model::Model;
use crate::paper::Paper;
use crate::search;
use crate::sink::{Collect, OutputFile, Sink};
use crate::theme::{Theme, template_error};
pub(crate) use crate::urls::{href, paper_url};

/// Site-wide values, in every template as `site`.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: Option<String>,
    /// Whether the Atom feeds are written (see `feed::written`).
    feed: bool,
    nav: Vec<Link>,
    extra: &'a toml::Table,
    /// Only on the pages that show site-wide counts (home, topics, all
    /// days, search): a page that showed them would change with every new
    /// paper, and a daily rebuild would have to render it again.
    paper_count: Option<usize>,
    /// As `paper_count`.
    day_count: Option<usize>,
    /// Whether the search box and page are built.
    search: bool,
    /// Whether the site has a `static/extra.css`, loaded after the theme's CSS.
    extra_css: bool,
}

/// A link: a URL relative to the site root and its label (may hold HTML
/// for titles with formulas, see `label_html`).
#[derive(Serialize, Clone, PartialEq)]
struct Link {
    url: String,
    label: String,
}

/// Puts the site-wide values (`site` in every template) into the
/// templates' global context.
pub fn prepare(config: &Config, model: &Model, theme: &mut Theme) {
    let site = site_view(config, model, theme, false);
    theme.tera.global_context().insert("site", &site);
}

/// `site` with the paper and day counts, for the pages that show them.
fn counted_site(config: &Config, model: &Model, theme: &Theme) -> tera::Value {
    tera::Value::from_serializable(&site_view(config, model, theme, true))
}

fn site_view<'a>(config: &'a Config, model: &Model, theme: &Theme, counts: bool) -> SiteView<'a> {
    SiteView {
        title: &config.title,
        description: &config.description,
        language: &config.language,
        base_url: config.base_url(),
        feed: crate::feed::written(config, model),
        nav: model
            .pages
            .iter()
            .filter(|p| p.menu)
            .map(|p| Link { url: href(&p.path), label: p.title.clone() })
            .collect(),
        extra: &config.extra,
        paper_count: counts.then_some(model.papers.len()),
        day_count: counts.then_some(model.days.len()),
        search: config.search.enabled,
        extra_css: theme.static_files.contains_key("extra.css"),
    }
}

/// Renders every page of the site into memory.
pub fn render(
    config: &Config,
    model: &Model,
    theme: &mut Theme,
    progress: &indicatif::ProgressBar,
) -> Result<Vec<OutputFile>> {
    prepare(config, model, theme);
    let cards = crate::timed("cards", || Cards::new(model));
    let files = Collect::default();
    render_search_page(config, model, theme, &files)?;
    render_search_index(config, model, &files, None)?;
    render_all(config, model, theme, &cards, &files, progress)?;
    Ok(files.into_files())
}

/// A page of the site that a build can leave as it is when nothing it
/// reads has changed (see [`reads`]): one of the many, per paper, day or
/// topic. The few site-wide pages are rendered every time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Listed {
    /// A paper's page.
    Paper(usize),
    /// A day's page.
    Day(usize),
    /// A day's `.bib`.
    DayBib(usize),
    /// Page `n` of a topic (see `pages::topic_page`).
    Topic(usize, usize),
    /// A topic's `.bib`.
    TopicBib(usize),
}

/// Every listed page of the site, papers first.
pub fn listed(config: &Config, model: &Model) -> Vec<Listed> {
    let papers = (0..model.papers.len()).map(Listed::Paper);
    let days = (0..model.days.len()).flat_map(|d| [Listed::Day(d), Listed::DayBib(d)]);
    let topics = pages::topic_page_numbers(model, config.build.paginate_by.max(1)).into_iter();
    let topics = topics.map(|(t, n)| Listed::Topic(t, n));
    let bibs = (0..model.topics.topics.len()).map(Listed::TopicBib);
    papers.chain(days).chain(topics).chain(bibs).collect()
}

/// The output path of a listed page.
pub fn listed_path(config: &Config, model: &Model, page: Listed) -> String {
    match page {
        Listed::Paper(i) => paper_url(&model.papers[i]),
        Listed::Day(d) => day_url(model.days[d].date),
        Listed::DayBib(d) => pages::day_bib_url(&model.days[d]),
        Listed::Topic(t, n) => {
            let topic = &model.topics.topics[t];
            let latest = pages::full_pages(topic.listed.len(), config.build.paginate_by.max(1)) + 1;
            pages::topic_page_url(topic, n, latest)
        }
        Listed::TopicBib(t) => pages::topic_bib_url(&model.topics.topics[t]),
    }
}

/// Renders one listed page.
pub fn render_listed(config: &Config, model: &Model, theme: &Theme, cards: &Cards, page: Listed) -> Result<OutputFile> {
    let (tera, values) = (&theme.tera, &cards.deck(config, model));
    match page {
        Listed::Paper(i) => pages::paper_page(tera, model, values, i),
        Listed::Day(d) => pages::day_page(tera, model, values, d),
        Listed::DayBib(d) => Ok(pages::day_bib(model, d)),
        Listed::Topic(t, n) => pages::topic_page(tera, model, values, (t, n), config.build.paginate_by),
        Listed::TopicBib(t) => Ok(pages::topic_bib(model, t)),
    }
}

/// Renders every listed page into `sink`, by kind, each kind timed.
pub fn render_listed_all(config: &Config, model: &Model, theme: &Theme, cards: &Cards, sink: &dyn Sink) -> Result<()> {
    let all = listed(config, model);
    let kind = |of: fn(&Listed) -> bool| all.iter().copied().filter(of).collect::<Vec<_>>();
    let groups = [
        ("paper pages", kind(|p| matches!(p, Listed::Paper(_)))),
        ("day pages", kind(|p| matches!(p, Listed::Day(_) | Listed::DayBib(_)))),
        ("topic pages", kind(|p| matches!(p, Listed::Topic(..) | Listed::TopicBib(_)))),
    ];
    for (stage, pages) in groups {
        crate::timed(stage, || {
            pages.par_iter().try_for_each(|&page| sink.put(render_listed(config, model, theme, cards, page)?))
        })?;
    }
    Ok(())
}

/// Renders every page into `sink`, with the theme prepared and the cards
/// built; `progress` counts the listed pages.
pub fn render_all(
    config: &Config,
    model: &Model,
    theme: &Theme,
    cards: &Cards,
    sink: &dyn Sink,
    progress: &indicatif::ProgressBar,
) -> Result<()> {
    progress.set_length(listed(config, model).len() as u64);
    let counting = |file: OutputFile| {
        progress.inc(1);
        sink.put(file)
    };
    render_listed_all(config, model, theme, cards, &Counting(&counting, sink))?;
    render_site_pages(config, model, theme, cards, sink)
}

/// A sink that hands each file to a function, and asks another sink for paths.
struct Counting<'a>(&'a (dyn Fn(OutputFile) -> Result<()> + Sync), &'a dyn Sink);

impl Sink for Counting<'_> {
    fn put(&self, file: OutputFile) -> Result<()> {
        (self.0)(file)
    }

    fn paths(&self) -> Vec<String> {
        self.1.paths()
    }
}

/// The pages rendered at every build, whatever changed: the home page,
/// the overviews, hand-written pages, the reading list, `404.html`, the
/// day list for the picker, the topic names for the day filter, and the
/// theme's static files.
pub fn render_site_pages(config: &Config, model: &Model, theme: &Theme, cards: &Cards, sink: &dyn Sink) -> Result<()> {
    let tera = &theme.tera;
    let site = counted_site(config, model, theme);
    sink.put(pages::topics_overview(tera, model, &site)?)?;
    sink.put(pages::topic_names_script(model))?;
    for page in &model.pages {
        sink.put(pages::hand_written_page(tera, page)?)?;
    }
    sink.put(pages::home_page(tera, model, &cards.deck(config, model), &site)?)?;
    sink.put(archive::archive_page(tera, model, &site)?)?;
    sink.put(archive::dates_script(model))?;
    sink.put(pages::saved_page(tera)?)?;
    sink.put(pages::not_found_page(tera, config)?)?;
    for retired in &model.topics.retired {
        sink.put(pages::moved_topic_page(config, model, retired))?;
    }
    static_files(theme).into_iter().try_for_each(|file| sink.put(file))
}

/// The search index, when search is on. A full build makes it before the
/// pages: the index needs the most memory of any stage, and is done with
/// it before the pages need theirs. With a cache folder, the search memo
/// there spares the papers that did not change their analysis.
pub fn render_search_index(
    config: &Config,
    model: &Model,
    sink: &dyn Sink,
    cache: Option<&std::path::Path>,
) -> Result<()> {
    if !config.search.enabled {
        return Ok(());
    }
    match cache {
        // The memo in the cache folder knows most papers: their titles and
        // abstracts are made only if the index needs them.
        Some(cache) => {
            let (outlines, keys) = crate::timed("search documents", || search_outlines(model));
            let texts = |i: usize| search_texts(&model.papers[i]);
            search::write_lazily(outlines, search::Lazy { keys, texts: &texts }, &config.search, sink, cache)
        }
        None => search::write(crate::timed("search documents", || search_docs(model)), &config.search, sink),
    }
}

/// The search page (`search.html`), when search is on.
pub fn render_search_page(config: &Config, model: &Model, theme: &Theme, sink: &dyn Sink) -> Result<()> {
    if !config.search.enabled {
        return Ok(());
    }
    sink.put(pages::search_page(&theme.tera, model, &counted_site(config, model, theme))?)
}

/// A note when the theme's `search.js` (a copy `paperpress theme eject`
/// made before an upgrade, say) checks for another index format than the
/// build writes: its search box would find nothing.
pub fn search_client_note(config: &Config, theme: &Theme) -> Option<String> {
    let client = theme.static_files.get("search.js")?;
    let reads = format!("meta.format !== {}", search::FORMAT);
    let stale = config.search.enabled && !client.windows(reads.len()).any(|w| w == reads.as_bytes());
    stale.then(|| {
        format!(
            "the theme's `search.js` does not read search index format {}, which this paperpress writes: its search \
             box will find nothing. Take the new one from `paperpress theme eject` (run in an empty folder) and keep your changes",
            search::FORMAT
        )
    })
}

/// The pages that show paper `i`, after it changed: its own page and the
/// `.bib` files of its days and topics, and, when its card changed (what
/// listings show of it), the pages listing it: its days, the home page, its
/// topics' pages, and the pages of the papers that show it as a neighbour
/// or as related. The search index and the feeds are left to the next full
/// build.
pub fn pages_of_paper(
    config: &Config,
    model: &Model,
    theme: &Theme,
    cards: &Cards,
    i: usize,
    card_changed: bool,
) -> Result<Vec<OutputFile>> {
    let tera = &theme.tera;
    let values = &cards.deck(config, model);
    let mut papers = vec![i];
    let mut days = Vec::new();
    let mut topic_pages = Vec::new();
    let mut files: Vec<OutputFile> = model.topics.of_paper[i].iter().map(|&t| pages::topic_bib(model, t)).collect();
    for date in model.papers[i].dates() {
        let d = model.days.binary_search_by_key(&date, |d| d.date).expect("a paper's days are in the model");
        files.push(pages::day_bib(model, d));
    }
    if card_changed {
        for date in model.papers[i].dates() {
            let d = model.days.binary_search_by_key(&date, |d| d.date).expect("a paper's days are in the model");
            days.push(d);
            let list = &model.days[d].papers;
            let at = list.iter().position(|&p| p == i).expect("a paper is listed on its days");
            papers.extend(at.checked_sub(1).map(|a| list[a]));
            papers.extend(list.get(at + 1).copied());
        }
        papers.extend(model.related.iter().enumerate().filter(|(_, r)| r.contains(&i)).map(|(p, _)| p));
        let per_page = config.build.paginate_by.max(1);
        for &t in &model.topics.of_paper[i] {
            let papers = &model.topics.topics[t].papers;
            let at = papers.iter().position(|&p| p == i).expect("a topic lists its papers");
            let latest = pages::full_pages(papers.len(), per_page) + 1;
            let from_oldest = papers.len() - 1 - at;
            topic_pages.push((t, (from_oldest / per_page + 1).min(latest)));
        }
    }
    papers.sort_unstable();
    papers.dedup();
    files.extend(papers.par_iter().map(|&p| pages::paper_page(tera, model, values, p)).collect::<Result<Vec<_>>>()?);
    for d in days {
        files.push(pages::day_page(tera, model, values, d)?);
        if d + 1 == model.days.len() {
            files.push(pages::home_page(tera, model, values, &counted_site(config, model, theme))?);
        }
    }
    for tn in topic_pages {
        files.push(pages::topic_page(tera, model, values, tn, config.build.paginate_by)?);
    }
    Ok(files)
}

/// The papers as search indexes and shows them.
fn search_docs(model: &Model) -> Vec<search::SearchDoc> {
    model
        .papers
        .par_iter()
        .enumerate()
        .map(|(i, paper)| {
            search_doc(paper, model.topics.of_paper[i].iter().map(|&t| model.topics.topics[t].name.clone()).collect())
        })
        .collect()
}

/// Every paper as the search index holds it, without its title and
/// abstract, and its key: a hash of everything its document is made from
/// (its URL and arXiv id come from its id).
fn search_outlines(model: &Model) -> (Vec<search::SearchDoc>, Vec<u128>) {
    model
        .papers
        .par_iter()
        .enumerate()
        .map(|(i, paper)| {
            let topics: Vec<String> =
                model.topics.of_paper[i].iter().map(|&t| model.topics.topics[t].name.clone()).collect();
            let key = crate::cache_file::hash128(&(
                &paper.title,
                &paper.body,
                &paper.authors,
                &topics,
                &paper.id,
                paper.date(),
                paper.code.first(),
            ));
            (search_outline(paper, topics), key)
        })
        .unzip()
}

/// A paper's title and abstract as the search index holds them.
fn search_texts(paper: &Paper) -> (String, String) {
    // Sized to fit: 100,000 of them are held at once while the index is built.
    let mut text = markdown::to_plain_text(&paper.body);
    text.shrink_to_fit();
    (crate::math::plain_text(&paper.title), text)
}

/// A paper as the search index holds it, with the names of its topics.
pub fn search_doc(paper: &Paper, topics: Vec<String>) -> search::SearchDoc {
    let (title, abstract_text) = search_texts(paper);
    search::SearchDoc { title, abstract_text, ..search_outline(paper, topics) }
}

/// [`search_doc`] without the title and abstract.
fn search_outline(paper: &Paper, topics: Vec<String>) -> search::SearchDoc {
    search::SearchDoc {
        url: paper_url(paper),
        title: String::new(),
        authors: paper.authors.clone(),
        topics,
        abstract_text: String::new(),
        date: paper.date().to_string(),
        arxiv_id: crate::links::normalize_arxiv_id(&paper.id),
        code: paper.code.first().cloned(),
    }
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
    // Straight into bytes, sized for a typical page: no growing copies and
    // no second pass to check the UTF-8 that Tera wrote from strings.
    let mut html = Vec::with_capacity(PAGE_BYTES);
    tera.render_to(template, ctx, &mut html)
        .map_err(template_error)
        .with_context(|| format!("failed to render `{path}` with template `{template}`"))?;
    Ok(OutputFile::new(path, html))
}

/// Room for a rendered page; a paper page is about 11 KB.
const PAGE_BYTES: usize = 16 * 1024;

fn day_url(date: Date) -> String {
    format!("days/{date}.html")
}

fn date_display(date: Date) -> String {
    date.strftime("%b %-d, %Y").to_string()
}

fn topic_url(slug: &str) -> String {
    format!("topics/{slug}.html")
}

fn static_files(theme: &Theme) -> Vec<OutputFile> {
    let mut files: Vec<OutputFile> =
        theme.static_files.iter().map(|(path, bytes)| OutputFile::new(path.clone(), bytes.clone())).collect();
    let (light, dark) = markdown::highlight_css();
    // One stylesheet for both schemes (a page loads one file, not two);
    // the two files of each scheme stay for templates that name them.
    let both = format!(
        "@media (prefers-color-scheme: light), print {{\n{light}}}\n@media screen and (prefers-color-scheme: dark) {{\n{dark}}}\n"
    );
    files.push(OutputFile::new("syntax.css", both));
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
}
