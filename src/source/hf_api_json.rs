//! Hugging Face Daily Papers API JSON: the list `GET /api/daily_papers`
//! returns (items of `{"paper": {...}, "publishedAt", "title", ...}`) and the
//! single paper object of `GET /api/papers/{id}`.
//!
//! The file is read one item at a time ([`scan`]), so its size does not
//! matter. Every schema generation parses: unknown fields are ignored and
//! every field may be missing except a title. A bad item is skipped with
//! its line and column; a broken document (truncated, not JSON) stops the
//! file at the place it breaks.
//!
//! The digest day of an item is its Daily Papers date: `submittedOnDailyAt`
//! when the item has it (newer schemas); else the date given by `--date` or
//! the file name (the API's `?date=`); else, for list items of the oldest
//! schema, the item's top-level `publishedAt`, which is when it was put on
//! Daily Papers.

mod scan;

use std::collections::VecDeque;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Deserialize;

use super::record::{Record, RecordResult, collect, date_of, is_out_of_range, one_line, out_of_range_message, web_url};
use super::{Parsed, paper_from_text};
use crate::error::ImportError;
use crate::links;
use scan::{Item, ScanError, Scanner};

/// What a list item looks like; unknown fields are ignored.
#[derive(Debug, Deserialize)]
struct DailyItem {
    paper: Option<ApiPaper>,
    #[serde(rename = "publishedAt")]
    published_at: Option<String>,
    title: Option<String>,
    summary: Option<String>,
}

/// A paper object, inside a list item or on its own.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiPaper {
    id: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    authors: Option<Vec<Author>>,
    published_at: Option<String>,
    submitted_on_daily_at: Option<String>,
    upvotes: Option<u64>,
    github_repo: Option<String>,
    github_stars: Option<u64>,
    project_page: Option<String>,
    #[serde(rename = "ai_summary")]
    ai_summary: Option<String>,
    #[serde(rename = "ai_keywords")]
    ai_keywords: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct Author {
    name: Option<String>,
}

/// Parses API JSON held in memory. `reference` is the date from `--date` or
/// the file name.
pub fn parse(text: &str, path: &Path, reference: Option<Date>) -> Result<Parsed, ImportError> {
    // A well-formed list (the usual file) is split into its items by
    // serde_json in one pass; anything else goes through the scanner,
    // which says where a broken document breaks.
    match serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text) {
        Ok(items) => parse_items(text, &items, path, reference),
        Err(_) => collect(records(text.as_bytes(), path, reference)),
    }
}

/// The records of the `items` of the list `text`, exactly as the scanner
/// would give them.
fn parse_items(
    text: &str,
    items: &[&serde_json::value::RawValue],
    path: &Path,
    reference: Option<Date>,
) -> Result<Parsed, ImportError> {
    let mut records = records(&[][..], path, reference);
    let mut all = Vec::new();
    // Line and column of each item's first byte, counted on from the last.
    let (mut offset, mut line, mut column) = (0, 1, 1);
    for (i, raw) in items.iter().enumerate() {
        let json = raw.get();
        let start = json.as_ptr() as usize - text.as_ptr() as usize;
        let between = &text.as_bytes()[offset..start];
        let chars = |b: &[u8]| b.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        match between.iter().rposition(|&b| b == b'\n') {
            Some(p) => {
                line += between.iter().filter(|&&b| b == b'\n').count();
                column = chars(&between[p + 1..]) + 1;
            }
            None => column += chars(between),
        }
        offset = start;
        let bytes = (json.len() <= scan::MAX_ITEM_BYTES).then(|| json.as_bytes().to_vec());
        let item = Item { index: i + 1, line, column, bytes };
        if let Err(fatal) = records.item(&item) {
            all.push(Err(fatal));
            break;
        }
        all.extend(records.pending.drain(..).map(Ok));
    }
    collect(all.into_iter())
}

/// Reads API JSON from `input` one item at a time.
pub fn records<R: BufRead>(input: R, path: &Path, reference: Option<Date>) -> Records<R> {
    Records {
        scanner: Scanner::new(input),
        path: path.to_path_buf(),
        reference,
        ranks: Default::default(),
        pending: VecDeque::new(),
        done: false,
    }
}

/// The records of one API JSON file, in file order.
pub struct Records<R> {
    scanner: Scanner<R>,
    path: PathBuf,
    reference: Option<Date>,
    ranks: super::record::Ranks,
    pending: VecDeque<Record>,
    done: bool,
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = RecordResult;

    fn next(&mut self) -> Option<RecordResult> {
        loop {
            if let Some(record) = self.pending.pop_front() {
                return Some(Ok(record));
            }
            if self.done {
                return None;
            }
            match self.scanner.next_item() {
                Ok(Some(item)) => {
                    if let Err(fatal) = self.item(&item) {
                        self.done = true;
                        return Some(Err(fatal));
                    }
                }
                Ok(None) => self.done = true,
                Err(ScanError { line, column, message }) => {
                    self.done = true;
                    return Some(Err(ImportError::at_column(&self.path, line, column, message)));
                }
            }
        }
    }
}

impl<R> Records<R> {
    /// Turns one item into records; `Err` when the item shows that the
    /// whole file is not API JSON (its first item is a string).
    fn item(&mut self, item: &Item) -> Result<(), ImportError> {
        let Some(bytes) = &item.bytes else {
            let limit = scan::MAX_ITEM_BYTES >> 20;
            self.skip(item, 0, format!("item {} was skipped: it is larger than {limit} MiB", item.index));
            return Ok(());
        };
        // A Python print of the response instead of JSON: fatal when the
        // first item shows it, since then every item is like that.
        let python = match bytes.first() {
            Some(b'"') => Some(string_item_message(item, bytes)),
            Some(b'{') if bytes.starts_with(b"{'") => Some(format!(
                "item {} is a Python dict (single quotes), not a JSON object: expected JSON like `{{\"paper\": {{\"id\": ...}}}}`; save the API response itself, not a Python print of it",
                item.index
            )),
            _ => None,
        };
        match (python, bytes.first()) {
            (Some(message), _) if item.index == 1 => return Err(self.error(item, 0, message)),
            (Some(message), _) => {
                self.skip(item, 0, message);
                return Ok(());
            }
            (None, Some(b'{')) => {}
            _ => {
                let what = match bytes.first() {
                    Some(b'[') => "a list",
                    Some(b't' | b'f') => "true or false",
                    Some(b'n') => "null",
                    _ => "a number",
                };
                let message = format!(
                    "item {} was skipped: it is {what}; expected an object like `{{\"paper\": {{\"id\": ...}}}}`",
                    item.index
                );
                self.skip(item, 0, message);
                return Ok(());
            }
        }
        match self.paper(item, bytes) {
            Ok(records) => self.pending.extend(records),
            Err((offset, message)) => self.skip(item, offset, message),
        }
        Ok(())
    }

    /// The paper of an object item and its warnings, or where and why it was skipped.
    fn paper(&mut self, item: &Item, bytes: &[u8]) -> Result<Vec<Record>, (usize, String)> {
        let index = item.index;
        let daily: DailyItem = deserialize(bytes, index)?;
        let wrapped = daily.paper.is_some();
        let api = match daily.paper {
            Some(paper) => paper,
            None => deserialize::<ApiPaper>(bytes, index)?,
        };
        let label = match &api.id {
            Some(id) => format!("item {index} ({id})"),
            None => format!("item {index}"),
        };
        let arxiv = match &api.id {
            Some(id) => Some(links::normalize_arxiv_id(id).ok_or_else(|| {
                let offset = find_string(bytes, id).unwrap_or(0);
                (
                    offset,
                    format!(
                        "item {index} was skipped: `{id}` is not an arXiv id; expected `paper.id` like `2510.19779`"
                    ),
                )
            })?),
            None => None,
        };
        let title =
            api.title.as_deref().or(daily.title.as_deref()).and_then(one_line).ok_or_else(|| {
                (0, format!("{label} was skipped: it has no title; expected a non-empty `paper.title`"))
            })?;
        let day = self.day(&api, wrapped.then_some(daily.published_at.as_deref()).flatten(), &label)?;
        let rank = self.ranks.next(day);
        let summary = api.summary.as_deref().or(daily.summary.as_deref()).unwrap_or_default();
        let mut paper = paper_from_text(&title, summary, arxiv, day, rank, &self.path);
        let mut records = Vec::new();
        let mut warn = |field: &str, value: &str| {
            let (line, column) = item.position_at(find_string(bytes, value).unwrap_or(0));
            let message = format!("{label}: `{field}` is not a web link and was left out: `{value}`");
            records.push(Record::Warning(ImportError::at_column(&self.path, line, column, message)));
        };
        if let Some(repo) = api.github_repo.as_deref().filter(|r| !r.trim().is_empty()) {
            match web_url(repo) {
                Some(url) if !paper.code.contains(&url) => paper.code.insert(0, url),
                Some(_) => {}
                None => warn("githubRepo", repo),
            }
        }
        if let Some(page) = api.project_page.as_deref().filter(|r| !r.trim().is_empty()) {
            match web_url(page) {
                Some(url) => paper.project = Some(url),
                None => warn("projectPage", page),
            }
        }
        paper.authors = api.authors.unwrap_or_default().into_iter().filter_map(|a| one_line(&a.name?)).collect();
        paper.upvotes = api.upvotes;
        paper.github_stars = api.github_stars;
        paper.ai_summary = api.ai_summary.as_deref().and_then(one_line);
        paper.ai_keywords = api.ai_keywords.unwrap_or_default().iter().filter_map(|k| one_line(k)).collect();
        if let Some(at) = api.published_at.as_deref().filter(|at| is_out_of_range(at)) {
            return Err((0, format!("{label} was skipped: {}", out_of_range_message("publishedAt", at))));
        }
        paper.published = api.published_at.as_deref().and_then(date_of);
        let paper = super::vet::vet(paper, &self.path, item.line, Some(item.column)).map_err(|e| (0, e.message))?;
        records.insert(0, Record::Paper(Box::new(paper)));
        Ok(records)
    }

    /// The digest day of an item (see the module docs).
    fn day(&self, api: &ApiPaper, listed_at: Option<&str>, label: &str) -> Result<Date, (usize, String)> {
        if let Some(at) = &api.submitted_on_daily_at {
            return date_of(at).ok_or_else(|| {
                (0, format!("{label} was skipped: `submittedOnDailyAt` is `{at}`; expected a date like `2025-10-24T02:14:45Z`, in the years 1000 to 9999"))
            });
        }
        if let Some(day) = self.reference.or_else(|| listed_at.and_then(date_of)) {
            return Ok(day);
        }
        Err((
            0,
            format!(
                "{label} was skipped: it has no Daily Papers date (`submittedOnDailyAt`): name the file after its date (like `2025-10-24.json`) or pass `--date YYYY-MM-DD`"
            ),
        ))
    }

    fn error(&self, item: &Item, offset: usize, message: String) -> ImportError {
        let (line, column) = item.position_at(offset);
        ImportError::at_column(&self.path, line, column, message)
    }

    fn skip(&mut self, item: &Item, offset: usize, message: String) {
        let error = self.error(item, offset, message);
        self.pending.push_back(Record::Skipped(error));
    }
}

/// Deserializes an item; an error says which field and what was expected,
/// at the byte offset serde_json stopped at.
fn deserialize<'de, T: Deserialize<'de>>(bytes: &'de [u8], index: usize) -> Result<T, (usize, String)> {
    // Tracking the path costs time; only a failed item needs it.
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let offset = value_start(bytes, offset_of(bytes, inner.line(), inner.column()));
        let mut what = inner.to_string();
        // serde_json ends its messages with "at line L column C" of the item.
        if let Some(cut) = what.rfind(" at line ") {
            what.truncate(cut);
        }
        let field = if matches!(path.as_str(), "." | "?" | "") { String::new() } else { format!("`{path}`: ") };
        (offset, format!("item {index} was skipped: {field}{what}"))
    })
}

/// The message for an item that is a string instead of an object.
fn string_item_message(item: &Item, bytes: &[u8]) -> String {
    let text: String = serde_json::from_slice::<String>(bytes).unwrap_or_default();
    let start = text.trim_start();
    if start.starts_with("{'") || start.starts_with("{\"") {
        format!(
            "item {} is a string holding a Python repr (`{}…`), not a JSON object: expected a list of objects like `{{\"paper\": {{\"id\": ...}}}}`; save the API response itself, not a Python print of it",
            item.index,
            start.chars().take(12).collect::<String>()
        )
    } else {
        format!(
            "item {} is a string, not an object: expected an object like `{{\"paper\": {{\"id\": ...}}}}`",
            item.index
        )
    }
}

/// The byte offset of serde_json's 1-based `line` and byte `column`.
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        bytes.iter().enumerate().filter(|&(_, &b)| b == b'\n').nth(line - 2).map_or(bytes.len(), |(i, _)| i + 1)
    };
    (line_start + column.saturating_sub(1)).min(bytes.len())
}

/// serde_json reports a bad string value at its closing quote; this moves
/// such an offset to the opening quote, where the reader's eye goes.
fn value_start(bytes: &[u8], offset: usize) -> usize {
    if bytes.get(offset) != Some(&b'"') {
        return offset;
    }
    let escaped = |i: usize| bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1;
    (0..offset).rev().find(|&i| bytes[i] == b'"' && !escaped(i)).unwrap_or(offset)
}

/// Where the JSON string `value` appears in `bytes` (pointing at its quote),
/// in time linear in `bytes` whatever the value.
fn find_string(bytes: &[u8], value: &str) -> Option<usize> {
    let needle = serde_json::to_vec(value).ok()?;
    memchr::memmem::find(bytes, &needle)
}

#[cfg(test)]
mod tests;
