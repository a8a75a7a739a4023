//! Feeds and the files search engines read: an Atom feed of recent papers
//! and one per topic, `sitemap.xml`, `robots.txt`, and `CNAME` for GitHub
//! Pages. Reads the model, returns files; `output` writes them.
//!
//! Feeds and the sitemap need absolute URLs, so they come from `base_url`;
//! without one they are skipped (the caller says so) and everything else
//! still works. Nothing here reads the clock: a feed's `updated` is its
//! newest entry's digest day, so the same input gives the same bytes.

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::enrich::topics::newest_first_key;
use crate::error::{Context, Result};
use crate::markdown::{self, Trust};
use crate::math;
use crate::model::Model;
use crate::paper::Paper;
use crate::sink::OutputFile;
use crate::urls::{href, paper_url};

/// The sitemap protocol allows this many URLs per file; larger sites get a
/// sitemap index pointing at numbered sitemaps.
const SITEMAP_LIMIT: usize = 50_000;

#[derive(Serialize)]
struct FeedView<'a> {
    title: String,
    subtitle: &'a str,
    /// The feed's own absolute URL.
    url: String,
    /// The HTML page the feed follows.
    alternate: String,
    id: String,
    updated: String,
    generator_version: &'static str,
    entries: Vec<EntryView>,
}

#[derive(Serialize)]
struct EntryView {
    id: String,
    title: String,
    url: String,
    updated: String,
    published: Option<String>,
    authors: Vec<String>,
    categories: Vec<String>,
    summary_html: String,
}

/// Whether the build writes feeds: with a base URL, feeds turned on and at
/// least one paper. Pages link to the feeds only then (`site.feed`).
pub fn written(config: &Config, model: &Model) -> bool {
    config.base_url().is_some() && config.feed.enabled && !model.papers.is_empty()
}

/// The Atom feeds: `atom.xml` for the site, `topics/<slug>.xml` per topic.
/// Empty unless [`written`].
pub fn feeds(config: &Config, model: &Model, tera: &tera::Tera) -> Result<Vec<OutputFile>> {
    let Some(base) = config.base_url().filter(|_| written(config, model)) else { return Ok(Vec::new()) };
    let mut all: Vec<usize> = (0..model.papers.len()).collect();
    all.sort_by_cached_key(|&p| newest_first_key(&model.papers[p]));
    let site_feed = FeedSpec {
        path: "atom.xml".into(),
        title: config.title.clone(),
        alternate: "index.html".into(),
        papers: &all[..all.len().min(config.feed.limit)],
        whole_abstracts: true,
    };
    let topic_feeds = model.topics.topics.iter().map(|t| FeedSpec {
        path: format!("topics/{}.xml", t.slug),
        title: format!("{} · {}", t.name, config.title),
        alternate: format!("topics/{}.html", t.slug),
        papers: &t.papers[..t.papers.len().min(config.feed.topic_limit)],
        whole_abstracts: false,
    });
    let specs: Vec<FeedSpec> = std::iter::once(site_feed).chain(topic_feeds).collect();
    specs.par_iter().map(|spec| feed(spec, config, model, tera, &base)).collect()
}

struct FeedSpec<'a> {
    path: String,
    title: String,
    alternate: String,
    /// Newest first.
    papers: &'a [usize],
    /// Whether entries carry whole abstracts (the site feed) or their
    /// start (topic feeds, see [`TOPIC_SUMMARY_CHARS`]).
    whole_abstracts: bool,
}

/// Characters of an abstract that an entry of a topic feed carries: its
/// first paragraph up to here, cut at a space. The site feed carries whole
/// abstracts; a hundred topic feeds repeating them would take as much room
/// as the site's paper pages do for their abstracts on a small site.
const TOPIC_SUMMARY_CHARS: usize = 300;

fn feed(spec: &FeedSpec, config: &Config, model: &Model, tera: &tera::Tera, base: &str) -> Result<OutputFile> {
    let entries: Vec<EntryView> =
        spec.papers.iter().map(|&p| entry(&model.papers[p], model, p, base, spec.whole_abstracts)).collect();
    let updated = entries.iter().map(|e| e.updated.clone()).max().unwrap_or_default();
    let view = FeedView {
        title: spec.title.clone(),
        subtitle: &config.description,
        url: format!("{base}{}", spec.path),
        alternate: format!("{base}{}", spec.alternate),
        id: format!("{base}{}", spec.path),
        updated,
        generator_version: env!("CARGO_PKG_VERSION"),
        entries,
    };
    let mut ctx = tera::Context::new();
    ctx.insert("feed", &view);
    render_xml(tera, "atom.xml", &ctx, &spec.path)
}

fn render_xml(tera: &tera::Tera, template: &str, ctx: &tera::Context, path: &str) -> Result<OutputFile> {
    let xml = tera
        .render(template, ctx)
        .map_err(crate::theme::template_error)
        .with_context(|| format!("failed to render `{path}` with template `{template}`"))?;
    Ok(OutputFile { path: path.to_string(), bytes: xml_chars_only(xml).into_bytes() })
}

/// `xml` without the characters XML 1.0 does not allow (control
/// characters other than tab and line breaks, U+FFFE, U+FFFF), which no
/// escape can carry: a feed stays well-formed whatever a page holds.
fn xml_chars_only(xml: String) -> String {
    // C0 controls other than tab, line feed and carriage return, and the
    // two non-characters.
    let forbidden = |c: char| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}');
    let allowed = |c: char| !forbidden(c);
    if xml.chars().all(allowed) { xml } else { xml.chars().filter(|&c| allowed(c)).collect() }
}

fn entry(paper: &Paper, model: &Model, index: usize, base: &str, whole_abstract: bool) -> EntryView {
    let url = format!("{base}{}", paper_url(paper));
    // The arXiv abstract page is the paper's identity everywhere; a paper
    // without one is identified by its page here.
    let id = crate::links::normalize_arxiv_id(&paper.id)
        .map_or_else(|| url.clone(), |id| format!("https://arxiv.org/abs/{id}"));
    let last = paper.days.last().expect("a loaded paper has at least one day").date;
    EntryView {
        id,
        title: math::plain_text(&paper.title),
        url,
        updated: timestamp(last),
        published: paper.published.map(timestamp),
        authors: paper.authors.clone(),
        categories: model.topics.of_paper[index].iter().map(|&t| model.topics.topics[t].name.clone()).collect(),
        summary_html: if whole_abstract {
            markdown::to_html(&paper.body, Trust::Imported)
        } else {
            lead_html(&paper.body)
        },
    }
}

/// The start of an abstract as HTML: its first paragraph up to
/// [`TOPIC_SUMMARY_CHARS`], cut at a space outside formulas, with `…` where
/// anything is left out.
fn lead_html(body: &str) -> String {
    let body = body.trim();
    let (first, rest) = body.split_once("\n\n").unwrap_or((body, ""));
    let (start, cut) = math::cut_at_space(first, TOPIC_SUMMARY_CHARS);
    let html = markdown::to_html(start, Trust::Imported);
    if !cut && rest.trim().is_empty() {
        return html;
    }
    match html.trim_end().strip_suffix("</p>") {
        Some(open) => format!("{open}…</p>\n"),
        None => format!("{html}…"),
    }
}

/// Midnight UTC of a digest day, as RFC 3339.
fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
}

/// `sitemap.xml` listing every HTML page except `404.html` (split into
/// numbered files under a sitemap index past 50,000 pages) and `robots.txt`
/// pointing at it. Without a base URL, only a `robots.txt` that allows all.
pub fn sitemap(config: &Config, model: &Model, pages: &[&str], tera: &tera::Tera) -> Result<Vec<OutputFile>> {
    let Some(base) = config.base_url() else {
        return Ok(vec![OutputFile { path: "robots.txt".into(), bytes: b"User-agent: *\nAllow: /\n".to_vec() }]);
    };
    let lastmod = lastmod_of_papers(model);
    // The pages of retired topics only point elsewhere.
    let moved: std::collections::HashSet<String> =
        model.topics.retired.iter().map(|r| format!("topics/{}.html", r.slug)).collect();
    let mut urls: Vec<SitemapUrl> = pages
        .iter()
        .filter(|p| p.ends_with(".html") && **p != "404.html" && !moved.contains(**p))
        .map(|p| SitemapUrl { loc: format!("{base}{}", href(p)), lastmod: lastmod.get(*p).map(|d| d.to_string()) })
        .collect();
    urls.sort_by(|a, b| a.loc.cmp(&b.loc));
    let urls_context = |urls: &[SitemapUrl]| {
        let mut ctx = tera::Context::new();
        ctx.insert("urls", urls);
        ctx
    };
    let mut files = Vec::new();
    if urls.len() <= SITEMAP_LIMIT {
        files.push(render_xml(tera, "sitemap.xml", &urls_context(&urls), "sitemap.xml")?);
    } else {
        let mut parts = Vec::new();
        for (i, chunk) in urls.chunks(SITEMAP_LIMIT).enumerate() {
            let path = format!("sitemap-{}.xml", i + 1);
            files.push(render_xml(tera, "sitemap.xml", &urls_context(chunk), &path)?);
            parts.push(format!("{base}{path}"));
        }
        let mut ctx = tera::Context::new();
        ctx.insert("sitemaps", &parts);
        files.push(render_xml(tera, "sitemap_index.xml", &ctx, "sitemap.xml")?);
    }
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n");
    files.push(OutputFile { path: "robots.txt".into(), bytes: robots.into_bytes() });
    Ok(files)
}

/// The last digest day of every paper page, by output path.
fn lastmod_of_papers(model: &Model) -> std::collections::HashMap<String, Date> {
    model
        .papers
        .iter()
        .map(|p| (paper_url(p), p.days.last().expect("a loaded paper has at least one day").date))
        .chain(model.days.iter().map(|d| (format!("days/{}.html", d.date), d.date)))
        .collect()
}

/// `CNAME` for a custom domain on GitHub Pages, when configured.
pub fn cname(config: &Config) -> Option<OutputFile> {
    let domain = config.github_pages.cname.trim();
    (!domain.is_empty()).then(|| OutputFile { path: "CNAME".into(), bytes: format!("{domain}\n").into_bytes() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_12_feeds_drop_what_xml_cannot_hold() {
        let xml = xml_chars_only("<t>a\u{1}b\u{1b}c\td\u{fffe}\u{85}</t>".to_string());
        assert_eq!(xml, "<t>abc\td\u{85}</t>");
    }
}
