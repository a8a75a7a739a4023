//! `paperpress import`: parse inputs and materialise one Markdown page per
//! paper under `content/papers/`, so the owner can edit it.
//!
//! Idempotent: a page already written by import is merged with the new
//! record and rewritten only if something changed. A page the owner edited
//! is never overwritten unless `force` is set. Writes are atomic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::{Format, parse_file};
use crate::config::Site;
use crate::content;
use crate::error::{ImportError, Result, Warning, write_atomic};
use crate::paper::{self, Paper};

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
pub fn import(site: &Site, files: &[PathBuf], options: &ImportOptions) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut incoming: BTreeMap<String, Paper> = BTreeMap::new();
    for file in files {
        match parse_file(file, options.format, options.date) {
            Ok(parsed) => {
                report.files += 1;
                report.skipped.extend(parsed.skipped);
                report.warnings.extend(parsed.warnings);
                for paper in parsed.papers {
                    match incoming.get_mut(&paper.id) {
                        Some(existing) => existing.merge(paper),
                        None => {
                            incoming.insert(paper.id.clone(), paper);
                        }
                    }
                }
            }
            Err(e) => report.skipped.push(e),
        }
    }
    let papers_dir = site.content_dir.join("papers");
    let existing = content::paper_page_paths(&papers_dir)?;
    for (id, paper) in incoming {
        let path = existing.get(&id).cloned().unwrap_or_else(|| papers_dir.join(format!("{}.md", paper.file_stem())));
        write_page(&path, paper, options.force, &mut report)?;
    }
    Ok(report)
}

fn write_page(path: &Path, incoming: Paper, force: bool, report: &mut ImportReport) -> Result<()> {
    let old_text = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            report.skipped.push(ImportError::file(path, format!("cannot read the existing page: {e}")));
            return Ok(());
        }
    };
    let Some(old_text) = old_text else {
        write_atomic(path, incoming.to_page(true).as_bytes())?;
        report.new.push(path.to_path_buf());
        return Ok(());
    };
    let edited = paper::is_edited(&old_text);
    if edited && !force {
        report.kept.push(path.to_path_buf());
        return Ok(());
    }
    let merged = match Paper::from_page(&old_text, path) {
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
    let new_text = merged.to_page(true);
    if new_text == old_text {
        report.unchanged += 1;
    } else {
        write_atomic(path, new_text.as_bytes())?;
        report.updated.push(path.to_path_buf());
    }
    Ok(())
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
