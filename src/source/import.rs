//! `paperpress import`: parse inputs and materialise one Markdown page per
//! paper under `content/papers/`, so the owner can edit it.
//!
//! Idempotent: a page already written by import is merged with the new
//! record and rewritten only if something changed. A page the owner edited
//! is never overwritten unless `force` is set. Writes are atomic.
//!
//! One page per paper across all inputs and days: a record finds its page
//! by arXiv id (versions collapse), else by normalised title, so a paper
//! from a text copy and the same paper from the API share one page.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::{Format, Record, stream_file};
use crate::config::Site;
use crate::error::{ImportError, Result, Warning, write_atomic};
use crate::paper::{self, Paper};
use crate::{content, links};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The digest date, for inputs whose day headings have no year.
    pub date: Option<Date>,
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
    /// Overwrite pages the owner edited.
    pub force: bool,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Input files read successfully.
    pub files: usize,
    /// Pages written for the first time.
    pub new: Vec<PathBuf>,
    /// Pages rewritten with new information.
    pub updated: Vec<PathBuf>,
    /// Pages that already said everything.
    pub unchanged: usize,
    /// Pages the owner edited, left as they are.
    pub kept: Vec<PathBuf>,
    /// Records and files skipped, with the reason.
    pub skipped: Vec<ImportError>,
    /// Records imported with a remark (a title without abstract, a duplicate).
    pub warnings: Vec<Warning>,
}

/// Imports `files` into `site`'s `content/papers/`.
///
/// Records are written as they are read, so an input of any size imports
/// in bounded memory: what is kept is one small index entry per page.
pub fn import(site: &Site, files: &[PathBuf], options: &ImportOptions) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut pages = Pages::load(&site.content_dir.join("papers"))?;
    for file in files {
        let records = match stream_file(file, options.format, options.date) {
            Ok(records) => records,
            Err(e) => {
                report.skipped.push(e);
                continue;
            }
        };
        report.files += 1;
        // Records of one paper in a row (one paper listed on 9,000 days)
        // are merged in memory and written once: writing the page for each
        // would read and write it again and again, in time that grows with
        // the square of the records.
        let mut held: Option<Paper> = None;
        for record in records {
            match record {
                Record::Paper(paper) => match &mut held {
                    Some(first) if same_paper(first, &paper) => merge_record(first, *paper),
                    _ => {
                        if let Some(done) = held.replace(*paper) {
                            pages.put(done, file, options.force, &mut report)?;
                        }
                    }
                },
                Record::Skipped(e) => report.skipped.push(e),
                Record::Warning(w) => report.warnings.push(w),
            }
        }
        if let Some(done) = held {
            pages.put(done, file, options.force, &mut report)?;
        }
    }
    pages.tally(&mut report);
    Ok(report)
}

/// Whether two records are one paper: one arXiv id, or one normalised title.
fn same_paper(a: &Paper, b: &Paper) -> bool {
    if is_arxiv(&a.id) && is_arxiv(&b.id) {
        return a.id == b.id;
    }
    paper::title_key(&a.title) == paper::title_key(&b.title)
}

/// Merges a record into an earlier one of the same paper, which takes its
/// arXiv id if it had none (as the page would).
fn merge_record(first: &mut Paper, next: Paper) {
    let next_id = next.id.clone();
    first.merge(next);
    if !is_arxiv(&first.id) && is_arxiv(&next_id) {
        first.id = next_id;
    }
}

/// What an import did to one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    New,
    Updated,
    Unchanged,
    Kept,
}

/// The pages under `content/papers/`, found by paper id or by normalised
/// title, and what this import did to each.
struct Pages {
    dir: PathBuf,
    /// Paper id -> its page, with the title that page has.
    by_id: HashMap<String, (PathBuf, String)>,
    /// Normalised title -> (id, page), to find a paper met without an arXiv id.
    by_title: HashMap<String, (String, PathBuf)>,
    touched: BTreeMap<PathBuf, Outcome>,
}

impl Pages {
    fn load(dir: &Path) -> Result<Pages> {
        let mut pages =
            Pages { dir: dir.to_path_buf(), by_id: HashMap::new(), by_title: HashMap::new(), touched: BTreeMap::new() };
        for (paper, path) in content::paper_pages(dir)? {
            pages.by_title.entry(paper::title_key(&paper.title)).or_insert((paper.id.clone(), path.clone()));
            pages.by_id.insert(paper.id, (path, paper.title));
        }
        Ok(pages)
    }

    /// The page of `paper`: the one with its arXiv id; else the one with
    /// its normalised title, unless both have different arXiv ids; else the
    /// one with its id, unless that page is another paper whose title gave
    /// the same slug (then `paper` gets an id of its own); else a new file.
    fn path_for(&self, paper: &mut Paper) -> PathBuf {
        let arxiv = is_arxiv(&paper.id);
        if arxiv && let Some((path, _)) = self.by_id.get(&paper.id) {
            return path.clone();
        }
        if let Some((id, path)) = self.by_title.get(&paper::title_key(&paper.title))
            && !(is_arxiv(id) && arxiv)
        {
            return path.clone();
        }
        if !arxiv && let Some((path, title)) = self.by_id.get(&paper.id) {
            if !paper::is_slug_of(&paper.id, title) {
                // An id the page's owner chose (or kept while editing the title).
                return path.clone();
            }
            paper.id = self.free_id(&paper.title);
        }
        self.dir.join(format!("{}.md", paper.file_stem()))
    }

    /// An id no page has for a paper titled `title` (see `Catalog`).
    fn free_id(&self, title: &str) -> String {
        let base = paper::distinct_slug_id(title);
        let mut id = base.clone();
        let mut n = 2;
        while self.by_id.contains_key(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    /// Merges one record into its page. `force` replaces a page only the
    /// first time this import meets it; later records are merged into it.
    /// A record whose page would not read back is skipped (`source` names
    /// the input it came from).
    fn put(&mut self, mut paper: Paper, source: &Path, force: bool, report: &mut ImportReport) -> Result<()> {
        if let Err(why) = reads_back(&paper) {
            report.skipped.push(ImportError::file(
                source,
                format!("the paper \"{}\" was skipped: its page would not read back: {why}", paper.title),
            ));
            return Ok(());
        }
        let path = self.path_for(&mut paper);
        let (id, title) = (paper.id.clone(), paper.title.clone());
        let before = self.touched.get(&path).copied();
        let Some((outcome, final_id)) = write_page(&path, paper, force && before.is_none(), report)? else {
            return Ok(());
        };
        let outcome = match (before, outcome) {
            (None, outcome) | (Some(Outcome::Unchanged), outcome) => outcome,
            (Some(before), _) => before,
        };
        self.touched.insert(path.clone(), outcome);
        self.by_title.insert(paper::title_key(&title), (final_id.clone(), path.clone()));
        self.by_id.insert(id, (path.clone(), title.clone()));
        self.by_id.insert(final_id, (path, title));
        Ok(())
    }

    /// Fills the report's lists, in path order.
    fn tally(self, report: &mut ImportReport) {
        for (path, outcome) in self.touched {
            match outcome {
                Outcome::New => report.new.push(path),
                Outcome::Updated => report.updated.push(path),
                Outcome::Unchanged => report.unchanged += 1,
                Outcome::Kept => report.kept.push(path),
            }
        }
    }
}

fn is_arxiv(id: &str) -> bool {
    links::normalize_arxiv_id(id).is_some()
}

/// Whether the page of `paper` reads back as `paper`: import never writes
/// a page that a build would refuse or read otherwise.
fn reads_back(paper: &Paper) -> std::result::Result<(), String> {
    let page = paper.to_page(false);
    match Paper::from_page(&page, Path::new("page.md")) {
        Ok(back) if back == *paper => Ok(()),
        Ok(_) => Err("a field reads back changed".into()),
        Err(e) => Err(e.message),
    }
}

/// Writes `incoming` to `path`, merged with the page there. Returns what
/// happened and the id the page now has; `None` when the page could not be read.
fn write_page(
    path: &Path,
    incoming: Paper,
    force: bool,
    report: &mut ImportReport,
) -> Result<Option<(Outcome, String)>> {
    let old_text = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            report.skipped.push(ImportError::file(path, format!("cannot read the existing page: {e}")));
            return Ok(None);
        }
    };
    let Some(old_text) = old_text else {
        write_atomic(path, incoming.to_page(true).as_bytes())?;
        return Ok(Some((Outcome::New, incoming.id)));
    };
    let edited = paper::is_edited(&old_text);
    if edited && !force {
        let id = Paper::from_page(&old_text, path).map_or(incoming.id, |p| p.id);
        return Ok(Some((Outcome::Kept, id)));
    }
    let incoming_id = incoming.id.clone();
    let mut merged = match Paper::from_page(&old_text, path) {
        // The page on disk keeps what it has; the import fills gaps and adds
        // days. With --force the import wins instead.
        Ok(mut old) if !force => {
            old.merge(incoming);
            old
        }
        // --force: the imported record replaces the page; only the days
        // the page was listed on are kept.
        Ok(old) => {
            let mut new = incoming;
            new.add_days(&old.days);
            new
        }
        Err(_) => incoming,
    };
    // A page known by its title learns the paper's arXiv id.
    if !is_arxiv(&merged.id) && is_arxiv(&incoming_id) {
        merged.id = incoming_id;
    }
    let new_text = merged.to_page(true);
    if new_text == old_text {
        return Ok(Some((Outcome::Unchanged, merged.id)));
    }
    write_atomic(path, new_text.as_bytes())?;
    Ok(Some((Outcome::Updated, merged.id)))
}

impl ImportReport {
    /// One summary line: counts of new, updated, unchanged, kept and skipped.
    pub fn summary(&self) -> String {
        format!(
            "{} new, {} updated, {} unchanged, {} kept because edited, {} skipped",
            self.new.len(),
            self.updated.len(),
            self.unchanged,
            self.kept.len(),
            self.skipped.len()
        )
    }
}
