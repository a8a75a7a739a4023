//! `paperpress import`: parse inputs and materialise one Markdown page per
//! paper under `content/papers/`, so the owner can edit it.
//!
//! Idempotent: a page already written by import is merged with the new
//! record and rewritten only if something changed. Writes are atomic.
//!
//! For every page it writes, import keeps the page as it wrote it, the
//! data without the owner's edits, under `content/papers/.imported/` (the
//! same relative path). That copy is the base of a three-way merge
//! ([`merge`]): the data's fields keep updating, and what the owner changed
//! on the page stays. Being outside the page, the copy cannot be forged by
//! anything a page says. A page without such a copy was written by hand:
//! import never changes it, even with `force`, which otherwise replaces
//! import's pages with the new record.
//!
//! One page per paper across all inputs and days: a record finds its page
//! by arXiv id (versions collapse), else by normalised title, so a paper
//! from a text copy and the same paper from the API share one page.

mod merge;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::config::Site;
use crate::error::{ImportError, Result, Warning, write_atomic};
use crate::paper::{self, Paper};
use crate::source::{Format, Record, stream_file};
use crate::{content, links};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The digest date, for inputs whose day headings have no year.
    pub date: Option<Date>,
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
    /// Replace the pages import wrote with the new record, dropping the
    /// owner's edits (pages written by hand are still never touched).
    pub force: bool,
    /// Write nothing: report what an import would write.
    pub dry_run: bool,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Input files read successfully.
    pub files: usize,
    /// Input files that could not be read at all (each also in `skipped`).
    pub unreadable: usize,
    /// Pages written for the first time.
    pub new: Vec<PathBuf>,
    /// Pages rewritten with new information.
    pub updated: Vec<PathBuf>,
    /// Pages that already said everything.
    pub unchanged: usize,
    /// Pages written by hand, left as they are.
    pub kept: Vec<PathBuf>,
    /// Pages where the owner and the new data changed the same field; the
    /// owner's value was kept.
    pub conflicts: Vec<Conflict>,
    /// Records and files skipped, with the reason.
    pub skipped: Vec<ImportError>,
    /// Records imported with a remark (a title without abstract, a duplicate).
    pub warnings: Vec<Warning>,
    /// Things worth knowing that are not problems (a day without papers).
    pub notes: Vec<Warning>,
}

/// Fields of one page that both the owner and the new data changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The page.
    pub path: PathBuf,
    /// The fields (`upvotes`, `body`, `extra.note`), in page order.
    pub fields: Vec<String>,
}

/// Imports `files` into `site`'s `content/papers/`.
///
/// Records are written as they are read, so an input of any size imports
/// in bounded memory: what is kept is one small index entry per page.
pub fn import(site: &Site, files: &[PathBuf], options: &ImportOptions) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut pages = Pages::load(&site.content_dir.join("papers"))?;
    pages.dry_run = options.dry_run;
    for file in &inputs(files, &mut report)? {
        let records = match stream_file(file, options.format, options.date) {
            Ok(records) => records,
            Err(e) => {
                report.skipped.push(e);
                report.unreadable += 1;
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
                Record::Note(n) => report.notes.push(n),
            }
        }
        if let Some(done) = held {
            pages.put(done, file, options.force, &mut report)?;
        }
    }
    pages.tally(&mut report);
    Ok(report)
}

/// The files to read: each file given, and the digests in each folder given.
fn inputs(given: &[PathBuf], report: &mut ImportReport) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in given {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let found = content::digest_files(path)?;
        if found.is_empty() {
            report.skipped.push(ImportError::file(path, "this folder holds no digests (`.txt`, `.json`, `.xml`)"));
        }
        files.extend(found);
    }
    Ok(files)
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
    /// Write nothing (`--dry-run`).
    dry_run: bool,
}

impl Pages {
    fn load(dir: &Path) -> Result<Pages> {
        let mut pages = Pages {
            dir: dir.to_path_buf(),
            by_id: HashMap::new(),
            by_title: HashMap::new(),
            touched: BTreeMap::new(),
            dry_run: false,
        };
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
        let writer = Writer { dry_run: self.dry_run };
        let Some((outcome, final_id)) = write_page(&self.dir, &path, paper, force && before.is_none(), writer, report)?
        else {
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

/// The folder, under `content/papers/`, of import's copies of its pages.
const BASE_DIR: &str = ".imported";

/// Where import keeps its copy of the page at `path` (a page under `dir`).
fn base_path(dir: &Path, path: &Path) -> PathBuf {
    let relative = path.strip_prefix(dir).unwrap_or_else(|_| Path::new(path.file_name().unwrap_or_default()));
    dir.join(BASE_DIR).join(relative)
}

/// Reads a file that may not exist.
fn read_if_exists(path: &Path) -> std::io::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes pages and import's copies of them, or nothing with `--dry-run`.
#[derive(Debug, Clone, Copy)]
struct Writer {
    dry_run: bool,
}

impl Writer {
    fn write(self, path: &Path, text: &str) -> Result<()> {
        if self.dry_run { Ok(()) } else { write_atomic(path, text.as_bytes()) }
    }
}

/// Whether the page of `paper` reads back as `paper`: import never writes
/// a page that a build would refuse or read otherwise.
fn reads_back(paper: &Paper) -> std::result::Result<(), String> {
    let page = paper.to_page();
    match Paper::from_page(&page, Path::new("page.md")) {
        Ok(back) if back == *paper => Ok(()),
        Ok(_) => Err("a field reads back changed".into()),
        Err(e) => Err(e.message),
    }
}

/// Writes `incoming` to `path` (a page under `dir`), merged with the page
/// there. Returns what happened and the id the page now has; `None` when
/// the page could not be read or merged (the reason is in `report`).
fn write_page(
    dir: &Path,
    path: &Path,
    incoming: Paper,
    force: bool,
    writer: Writer,
    report: &mut ImportReport,
) -> Result<Option<(Outcome, String)>> {
    let base_file = base_path(dir, path);
    let (page, base) = match (read_if_exists(path), read_if_exists(&base_file)) {
        (Ok(page), Ok(base)) => (page, base),
        (Err(e), _) => {
            report.skipped.push(ImportError::file(path, format!("cannot read the existing page: {e}")));
            return Ok(None);
        }
        (_, Err(e)) => {
            report.skipped.push(ImportError::file(&base_file, format!("cannot read import's copy of the page: {e}")));
            return Ok(None);
        }
    };
    let Some(page) = page else {
        let text = incoming.to_page();
        writer.write(path, &text)?;
        writer.write(&base_file, &text)?;
        return Ok(Some((Outcome::New, incoming.id)));
    };
    // Pages written by earlier versions carry their own import hash
    // instead of a copy: an unedited one is its own base.
    let base = base.or_else(|| paper::is_unedited_legacy_page(&page, path).then(|| page.clone()));
    let Some(base) = base else {
        let id = Paper::from_page(&page, path).map_or(incoming.id, |p| p.id);
        return Ok(Some((Outcome::Kept, id)));
    };
    let Some((text, data)) = merged_page(&base, &page, &base_file, incoming, force, path, report) else {
        return Ok(None);
    };
    if base != data {
        writer.write(&base_file, &data)?;
    }
    if text == page {
        return Ok(Some((Outcome::Unchanged, page_id(&text, path))));
    }
    writer.write(path, &text)?;
    Ok(Some((Outcome::Updated, page_id(&text, path))))
}

/// The id of a page import has just made (it parses).
fn page_id(text: &str, path: &Path) -> String {
    Paper::from_page(text, path).expect("a page import made parses").id
}

/// The new page text and the new base: the base updated with `incoming`,
/// merged three ways with the owner's `page`; with `force`, `incoming`
/// alone (listed on the page's days too). `None`, with the reason in
/// `report`, when the page or the base cannot be read as a paper page.
fn merged_page(
    base: &str,
    page: &str,
    base_file: &Path,
    incoming: Paper,
    force: bool,
    path: &Path,
    report: &mut ImportReport,
) -> Option<(String, String)> {
    let old = match Paper::from_page(page, path) {
        Ok(old) => old,
        Err(e) => {
            report.skipped.push(ImportError { message: format!("{}; the page was left as it is", e.message), ..e });
            return None;
        }
    };
    if force {
        let mut new = incoming;
        new.add_days(&old.days);
        let text = new.to_page();
        return Some((text.clone(), text));
    }
    let data = updated_base(base, base_file, incoming, path, report)?;
    if page == base {
        return Some((data.clone(), data));
    }
    match merge::merge(base, page, &data, path) {
        Ok(merged) => {
            add_conflicts(report, path, merged.conflicts);
            Some((merged.text, data))
        }
        Err(e) => {
            report.skipped.push(ImportError { message: format!("{}; the page was left as it is", e.message), ..e });
            None
        }
    }
}

/// The page as import would write it now had the owner not edited it:
/// the base with `incoming` merged in. `None` (with the reason in
/// `report`) when the base is damaged.
fn updated_base(
    base: &str,
    base_file: &Path,
    incoming: Paper,
    path: &Path,
    report: &mut ImportReport,
) -> Option<String> {
    let mut data = match Paper::from_page(base, base_file) {
        Ok(data) => data,
        Err(e) => {
            let message = format!(
                "import's copy of `{}` is damaged ({}): delete it to keep the page as it is, or pass `--force` to replace the page",
                path.display(),
                e.message
            );
            report.skipped.push(ImportError::file(base_file, message));
            return None;
        }
    };
    let incoming_id = incoming.id.clone();
    data.merge(incoming);
    // A page known by its title learns the paper's arXiv id.
    if !is_arxiv(&data.id) && is_arxiv(&incoming_id) {
        data.id = incoming_id;
    }
    Some(data.to_page())
}

/// Records the conflicting fields of `path`, once each.
fn add_conflicts(report: &mut ImportReport, path: &Path, fields: Vec<String>) {
    if fields.is_empty() {
        return;
    }
    match report.conflicts.iter_mut().find(|c| c.path == path) {
        Some(conflict) => {
            for field in fields {
                if !conflict.fields.contains(&field) {
                    conflict.fields.push(field);
                }
            }
        }
        None => report.conflicts.push(Conflict { path: path.to_path_buf(), fields }),
    }
}

impl ImportReport {
    /// Files read, and those that could not be (`2 files (1 could not be read)`).
    pub fn files_summary(&self) -> String {
        let files = crate::diagnostics::plural(self.files, "file");
        if self.unreadable == 0 { files } else { format!("{files} ({} could not be read)", self.unreadable) }
    }

    /// Pages new, updated, unchanged, hand-written pages kept and pages
    /// with conflicts, then records skipped.
    pub fn summary(&self) -> String {
        let conflicts = self.conflicts.len();
        format!(
            "{} new, {} updated, {} unchanged, {} hand-written kept, {conflicts} conflict{}; {} skipped",
            self.new.len(),
            self.updated.len(),
            self.unchanged,
            self.kept.len(),
            if conflicts == 1 { "" } else { "s" },
            crate::diagnostics::plural(self.skipped.len() - self.unreadable, "record"),
        )
    }
}
