//! Reading `content/`: digests, paper pages and hand-written pages, into one
//! list of papers (one per id) and a list of pages. File access lives here;
//! parsing lives in `source`, `paper` and `page`.
//!
//! Paper pages on disk win over records derived from digests of the same
//! paper, except that the days a digest lists the paper on are added, so a
//! day page always shows every paper its digest lists. The pages are read
//! first, so their ids stand and digest records find them (see
//! [`Catalog`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::catalog::Catalog;
use crate::config::Site;
use crate::error::{Context, ImportError, Result, Warning, bail, read_text};
use crate::page::Page;
use crate::paper::{Paper, title_key};
use crate::source;

/// Pages whose output paths paperpress generates itself.
const RESERVED_PAGES: &[&str] = &["index.html", "404.html", "search.html"];
/// Output folders paperpress generates itself.
const RESERVED_FOLDERS: &[&str] = &["papers", "days", "topics", "digests"];

/// Everything under `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// One record per paper, sorted by id.
    pub papers: Vec<Paper>,
    /// Hand-written pages, in navigation order.
    pub pages: Vec<Page>,
    /// `content/_index.md`: text for the home page.
    pub home: Option<Page>,
    /// What reading the digests reported.
    pub report: ReadReport,
}

/// What reading the digests reported.
#[derive(Debug, Default, Clone)]
pub struct ReadReport {
    /// How many digest files were read.
    pub digest_files: usize,
    /// Records that could not be read, with their lines.
    pub skipped: Vec<ImportError>,
    /// Records read with a remark.
    pub warnings: Vec<Warning>,
}

/// Loads the content of `site`.
pub fn load(site: &Site) -> Result<Content> {
    let dir = &site.content_dir;
    let mut content = Content::default();
    let mut catalog = Catalog::default();
    for page in load_paper_pages(&dir.join("papers"))? {
        catalog.add_page(page);
    }
    let (catalog, report) = load_digests(&dir.join("digests"), catalog)?;
    content.report = report;
    content.papers = catalog.into_papers();
    let (home, pages) = load_pages(dir)?;
    content.home = home;
    content.pages = pages;
    Ok(content)
}

fn sorted_files(dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("failed to list `{}`", dir.display()))?;
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') && entry.depth() > 0 {
            continue;
        }
        let matches = entry.path().extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e));
        if entry.file_type().is_file() && matches {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// Parses every digest and merges the records into `catalog` by identity,
/// in file order.
fn load_digests(dir: &Path, catalog: Catalog) -> Result<(Catalog, ReadReport)> {
    let files = sorted_files(dir, &["txt", "json", "xml", "atom"])?;
    // Files are parsed (and their title keys made) in parallel, while one
    // thread merges them, in file order, as they come in.
    let (parsed, merged) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        let merger = scope.spawn(move || -> Result<(Catalog, ReadReport)> {
            let mut catalog = catalog;
            let mut report = ReadReport::default();
            let mut waiting = BTreeMap::new();
            for (index, result) in merged {
                waiting.insert(index, result);
                // The next file in order is the one after those merged.
                while let Some(result) = waiting.remove(&report.digest_files) {
                    let (parsed, keys): (source::Parsed, Vec<String>) = result?;
                    report.digest_files += 1;
                    report.skipped.extend(parsed.skipped);
                    report.warnings.extend(parsed.warnings);
                    for (paper, key) in parsed.papers.into_iter().zip(keys) {
                        catalog.add_keyed(paper, key);
                    }
                }
            }
            Ok((catalog, report))
        });
        files.par_iter().enumerate().for_each_with(parsed, |parsed, (index, file)| {
            let result = source::parse_file(file, None, None).map(|p| {
                let keys = p.papers.iter().map(|paper| title_key(&paper.title)).collect();
                (p, keys)
            });
            // A merger that stopped at an error no longer listens.
            let _ = parsed.send((index, result));
        });
        merger.join().expect("the merger does not panic")
    })
}

/// Parses every page under `content/papers/`; two pages with one id is an error.
fn load_paper_pages(dir: &Path) -> Result<Vec<Paper>> {
    let files = sorted_files(dir, &["md"])?;
    let pages: Vec<(PathBuf, Paper)> = files
        .par_iter()
        .map(|path| {
            let text = read_text(path)?;
            let paper = Paper::from_page(&text, path)?;
            Ok((path.clone(), paper))
        })
        .collect::<Result<_>>()?;
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for (path, paper) in &pages {
        if let Some(first) = seen.insert(&paper.id, path) {
            bail!(
                "`{}` and `{}` are both pages for paper `{}`: merge them into one page",
                first.display(),
                path.display(),
                paper.id
            );
        }
    }
    Ok(pages.into_iter().map(|(_, p)| p).collect())
}

/// The page file of every paper id under `papers_dir`; pages that do not
/// parse are left out (import then treats their path as taken).
pub fn paper_page_paths(papers_dir: &Path) -> Result<BTreeMap<String, PathBuf>> {
    let mut paths = BTreeMap::new();
    for (paper, path) in paper_pages(papers_dir)? {
        paths.entry(paper.id).or_insert(path);
    }
    Ok(paths)
}

/// Every paper page under `papers_dir` that parses, with its file, in
/// file order; the first page of an id wins.
pub fn paper_pages(papers_dir: &Path) -> Result<Vec<(Paper, PathBuf)>> {
    let mut seen = std::collections::HashSet::new();
    let mut pages = Vec::new();
    for path in sorted_files(papers_dir, &["md"])? {
        if let Ok(text) = read_text(&path)
            && let Ok(paper) = Paper::from_page(&text, &path)
            && seen.insert(paper.id.clone())
        {
            pages.push((paper, path));
        }
    }
    Ok(pages)
}

/// Hand-written pages: every `.md` under `content/` outside `papers/` and
/// `digests/`; `_index.md` at the top is the home page text.
fn load_pages(dir: &Path) -> Result<(Option<Page>, Vec<Page>)> {
    let mut home = None;
    let mut pages = Vec::new();
    for path in sorted_files(dir, &["md"])? {
        let relative = path.strip_prefix(dir).expect("walked files are inside the content folder");
        let first = relative.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
        if relative.components().count() > 1 && matches!(first.as_deref(), Some("papers" | "digests")) {
            continue;
        }
        let output = relative.with_extension("html").to_string_lossy().replace('\\', "/");
        let text = read_text(&path)?;
        if output == "_index.html" {
            home = Some(Page::parse(&text, &path, "index.html".into())?);
            continue;
        }
        let top = output.split('/').next().unwrap_or_default();
        if RESERVED_PAGES.contains(&output.as_str()) || (output.contains('/') && RESERVED_FOLDERS.contains(&top)) {
            bail!("`{}` would be written to `{output}`, which paperpress generates: rename the file", path.display());
        }
        pages.push(Page::parse(&text, &path, output)?);
    }
    pages.sort_by(|a, b| (a.weight, &a.title, &a.path).cmp(&(b.weight, &b.title, &b.path)));
    Ok((home, pages))
}
