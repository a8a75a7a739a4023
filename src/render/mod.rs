//! Rendering: the model through the theme's templates into output files.
//!
//! Templates get `Serialize` view structs, never `Paper` itself. Every link
//! is relative: each page gets `root` (`""`, `"../"`, ...) and every URL in
//! a view is relative to the site root, so the site works from `file://`,
//! at a domain root and under a sub-path alike. This module only reads the
//! model and returns files; `output` writes them.

mod bibtex;
mod cards;
mod pages;

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

pub use cards::Cards;

use crate::config::Config;
use crate::error::{Context, Result, anyhow};
use crate::markdown;
use crate::model::Model;
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
#[derive(Serialize, Clone, PartialEq)]
struct Link {
    url: String,
    label: String,
}

/// Puts the site-wide values (`site` in every template) into the
/// templates' global context.
pub fn prepare(config: &Config, model: &Model, theme: &mut Theme) {
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
}

/// Renders every page of the site.
pub fn render(
    config: &Config,
    model: &Model,
    theme: &mut Theme,
    progress: &indicatif::ProgressBar,
) -> Result<Vec<OutputFile>> {
    prepare(config, model, theme);
    let cards = crate::timed("cards", || Cards::new(config, model));
    render_all(config, model, theme, &cards, progress)
}

/// Renders every page, with the theme prepared and the cards built.
pub fn render_all(
    config: &Config,
    model: &Model,
    theme: &Theme,
    cards: &Cards,
    progress: &indicatif::ProgressBar,
) -> Result<Vec<OutputFile>> {
    let tera = &theme.tera;
    let values = &cards.values[..];
    let per_page = config.build.paginate_by;
    progress.set_length((model.papers.len() + model.days.len() + model.pages.len() + 4) as u64);
    let each = |f: &(dyn Fn(usize) -> Result<OutputFile> + Sync), count: usize| -> Result<Vec<OutputFile>> {
        (0..count)
            .into_par_iter()
            .map(|i| {
                let file = f(i);
                progress.inc(1);
                file
            })
            .collect()
    };
    let mut files = crate::timed("paper pages", || {
        each(&|i| pages::paper_page(tera, model, &cards.views, values, i), model.papers.len())
    })?;
    files.extend(crate::timed("day pages", || each(&|d| pages::day_page(tera, model, values, d), model.days.len()))?);
    let numbers = pages::topic_page_numbers(model, per_page);
    files.extend(crate::timed("topic pages", || {
        numbers.par_iter().map(|&tn| pages::topic_page(tera, model, values, tn, per_page)).collect::<Result<Vec<_>>>()
    })?);
    files.push(pages::topics_overview(tera, model)?);
    for page in &model.pages {
        files.push(pages::hand_written_page(tera, page)?);
        progress.inc(1);
    }
    files.push(pages::home_page(tera, model, values)?);
    files.push(pages::archive_page(tera, model)?);
    files.push(pages::not_found_page(tera, config)?);
    progress.inc(3);
    if config.search.enabled {
        files.push(render_file(tera, "search.html", "search.html", &page_context("search.html"))?);
        let docs = crate::timed("search documents", || search_docs(model, &cards.views));
        files.extend(search::build(&docs, &config.search));
    }
    files.extend(static_files(theme));
    Ok(files)
}

/// The pages that show paper `i`, after it changed: its own page, and, when
/// its card changed (what listings show of it), the pages listing it: its
/// days, the home page, its topics' pages, and the pages of the papers that
/// show it as a neighbour or as related. The search index and the feeds
/// are left to the next full build.
pub fn pages_of_paper(
    config: &Config,
    model: &Model,
    theme: &Theme,
    cards: &Cards,
    i: usize,
    card_changed: bool,
) -> Result<Vec<OutputFile>> {
    let tera = &theme.tera;
    let values = &cards.values[..];
    let mut papers = vec![i];
    let mut days = Vec::new();
    let mut topic_pages = Vec::new();
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
        let per_page = config.build.paginate_by;
        for &t in &model.topics.of_paper[i] {
            let at = model.topics.topics[t].papers.iter().position(|&p| p == i).expect("a topic lists its papers");
            topic_pages.push((t, at / per_page + 1));
        }
    }
    papers.sort_unstable();
    papers.dedup();
    let mut files = papers
        .par_iter()
        .map(|&p| pages::paper_page(tera, model, &cards.views, values, p))
        .collect::<Result<Vec<_>>>()?;
    for d in days {
        files.push(pages::day_page(tera, model, values, d)?);
        if d + 1 == model.days.len() {
            files.push(pages::home_page(tera, model, values)?);
        }
    }
    for tn in topic_pages {
        files.push(pages::topic_page(tera, model, values, tn, config.build.paginate_by)?);
    }
    Ok(files)
}

/// The papers as search indexes and shows them.
fn search_docs(model: &Model, cards: &[cards::PaperCard]) -> Vec<search::SearchDoc> {
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
}
