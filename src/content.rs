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
use crate::error::{Context, ImportError, Result, Warning, read_text};
use crate::page::Page;
use crate::paper::Paper;
use crate::parse_cache::ParseCache;
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
    /// The owner's files that could not be read (paper pages, hand-written
    /// pages), with their lines; left out of the site.
    pub skipped: Vec<ImportError>,
    /// Digest records and digest files that could not be read: data as a
    /// source sent it, left out of the site while the file stays as it is.
    /// A build reports them as warnings, so that one bad record from a
    /// source does not stop a digest from being published; `check` reports
    /// them as errors.
    pub data_skipped: Vec<ImportError>,
    /// Records read with a remark.
    pub warnings: Vec<Warning>,
    /// Things worth knowing that are not problems (a day without papers).
    pub notes: Vec<Warning>,
}

/// Loads the content of `site`.
pub fn load(site: &Site) -> Result<Content> {
    load_with(site, None)
}

/// Loads the content of `site`, taking the digests that `cache` holds as
/// they are from it.
pub fn load_with(site: &Site, cache: Option<&ParseCache>) -> Result<Content> {
    let dir = &site.content_dir;
    let mut content = Content::default();
    let mut catalog = Catalog::default();
    let mut pages_report = ReadReport::default();
    for page in load_paper_pages(&dir.join("papers"), &mut pages_report)? {
        catalog.add_page(page);
    }
    let (catalog, mut report) = load_digests(&dir.join("digests"), catalog, cache)?;
    report.skipped.extend(pages_report.skipped);
    content.report = report;
    content.papers = catalog.into_papers();
    let (home, pages) = load_pages(dir, &mut content.report)?;
    content.home = home;
    content.pages = pages;
    Ok(content)
}

fn sorted_files(dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    // Hidden files and folders are skipped, with what they hold (import's
    // copies of its pages live in `papers/.imported/`).
    let visible = |e: &walkdir::DirEntry| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.');
    for entry in WalkDir::new(dir).sort_by_file_name().into_iter().filter_entry(visible) {
        let entry = entry.with_context(|| format!("failed to list `{}`", dir.display()))?;
        let matches = entry.path().extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e));
        if entry.file_type().is_file() && matches {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// The digests under `dir`, by path: every `.txt`, `.json`, `.xml` and
/// `.atom` file, hidden ones left out.
pub fn digest_files(dir: &Path) -> Result<Vec<PathBuf>> {
    sorted_files(dir, &["txt", "json", "xml", "atom"])
}

/// Parses every digest and merges the records into `catalog` by identity,
/// in file order.
fn load_digests(dir: &Path, catalog: Catalog, cache: Option<&ParseCache>) -> Result<(Catalog, ReadReport)> {
    let files = digest_files(dir)?;
    // Files are parsed (and their title keys made) in parallel, while one
    // thread merges them, in file order, as they come in.
    let (parsed, merged) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        let merger = scope.spawn(move || -> Result<(Catalog, ReadReport)> {
            let mut catalog = catalog;
            let mut report = ReadReport::default();
            let mut waiting = BTreeMap::new();
            let mut next = 0;
            for (index, result) in merged {
                waiting.insert(index, result);
                // The next file in order is the one after those merged.
                while let Some(result) = waiting.remove(&next) {
                    next += 1;
                    // A file that cannot be read is reported, and the others read on.
                    let (parsed, keys): (source::Parsed, Vec<String>) = match result {
                        Ok(parsed) => parsed,
                        Err(e) => {
                            report.data_skipped.push(e);
                            continue;
                        }
                    };
                    report.digest_files += 1;
                    report.data_skipped.extend(parsed.skipped);
                    report.warnings.extend(parsed.warnings);
                    report.notes.extend(parsed.notes);
                    for (paper, key) in parsed.papers.into_iter().zip(keys) {
                        catalog.add_keyed(paper, key);
                    }
                }
            }
            Ok((catalog, report))
        });
        files.par_iter().enumerate().for_each_with(parsed, |parsed, (index, file)| {
            let result = parse_digest(file, cache);
            // A merger that stopped at an error no longer listens.
            let _ = parsed.send((index, result));
        });
        merger.join().expect("the merger does not panic")
    })
}

/// Parses one digest, or takes it from `cache`; with its papers' title keys.
fn parse_digest(file: &Path, cache: Option<&ParseCache>) -> crate::parse_cache::Outcome {
    let bytes = std::fs::read(file).map_err(|e| ImportError::file(file, format!("cannot read the file: {e}")))?;
    match cache {
        None => crate::parse_cache::parse_keyed(file, bytes),
        Some(cache) => cache.parse(file, bytes),
    }
}

/// Parses every page under `content/papers/`. A page that does not parse,
/// or a second page for one id, is reported in `report` and left out.
fn load_paper_pages(dir: &Path, report: &mut ReadReport) -> Result<Vec<Paper>> {
    let files = sorted_files(dir, &["md"])?;
    let pages: Vec<Result<(PathBuf, Paper), ImportError>> = files
        .par_iter()
        .map(|path| {
            let text = page_text(path)?;
            Ok((path.clone(), Paper::from_page(&text, path)?))
        })
        .collect();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut papers = Vec::with_capacity(pages.len());
    for page in pages {
        match page {
            Ok((path, paper)) => {
                if let Some(first) = seen.get(&paper.id) {
                    let message = format!(
                        "`{}` is also a page for paper `{}`: merge the two into one page (this one is left out)",
                        first.display(),
                        paper.id
                    );
                    report.skipped.push(ImportError::file(&path, message));
                    continue;
                }
                seen.insert(paper.id.clone(), path);
                papers.push(paper);
            }
            Err(e) => report.skipped.push(e),
        }
    }
    Ok(papers)
}

/// Reads a page as UTF-8 text; a problem is an error located in the page.
fn page_text(path: &Path) -> Result<String, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::file(path, format!("cannot read the file: {e}")))?;
    crate::error::text_from_bytes(path, bytes)
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
/// `digests/`; `_index.md` at the top is the home page text. A page that
/// does not parse is reported in `report` and left out.
fn load_pages(dir: &Path, report: &mut ReadReport) -> Result<(Option<Page>, Vec<Page>)> {
    let mut home = None;
    let mut pages = Vec::new();
    for path in sorted_files(dir, &["md"])? {
        let relative = path.strip_prefix(dir).expect("walked files are inside the content folder");
        let first = relative.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
        if relative.components().count() > 1 && matches!(first.as_deref(), Some("papers" | "digests")) {
            continue;
        }
        let output = relative.with_extension("html").to_string_lossy().replace('\\', "/");
        let page = page_text(&path).and_then(|text| {
            let target = if output == "_index.html" { "index.html".to_string() } else { output.clone() };
            Page::parse(&text, &path, target)
        });
        let page = match page {
            Ok(page) if page.draft => continue,
            Ok(page) => page,
            Err(e) => {
                report.skipped.push(e);
                continue;
            }
        };
        if output == "_index.html" {
            home = Some(page);
            continue;
        }
        let top = output.split('/').next().unwrap_or_default();
        if RESERVED_PAGES.contains(&output.as_str()) || (output.contains('/') && RESERVED_FOLDERS.contains(&top)) {
            let message =
                format!("this page would be written to `{output}`, which paperpress generates: rename the file");
            report.skipped.push(ImportError::file(&path, message));
            continue;
        }
        pages.push(page);
    }
    pages.sort_by(|a, b| (a.weight, &a.title, &a.path).cmp(&(b.weight, &b.title, &b.path)));
    Ok((home, pages))
}
