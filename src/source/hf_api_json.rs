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

mod fields;
mod scan;

use std::collections::VecDeque;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::record::{Record, RecordResult, collect, date_of, is_out_of_range, one_line, out_of_range_message, web_url};
use super::{Parsed, paper_from_text, pyrepr};
use crate::error::ImportError;
use crate::links;
use fields::{Fields, Raw};
use scan::{Item, ScanError, Scanner};

/// What a list item looks like; unknown fields are ignored, and every
/// field is kept as it stands until [`Fields`] converts it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DailyItem<'a> {
    #[serde(borrow)]
    paper: Option<ApiPaper<'a>>,
    #[serde(borrow, rename = "publishedAt")]
    published_at: Raw<'a>,
    #[serde(borrow)]
    title: Raw<'a>,
    #[serde(borrow)]
    summary: Raw<'a>,
}

/// A paper object, inside a list item or on its own.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ApiPaper<'a> {
    #[serde(borrow)]
    id: Raw<'a>,
    #[serde(borrow)]
    title: Raw<'a>,
    #[serde(borrow)]
    summary: Raw<'a>,
    #[serde(borrow)]
    authors: Raw<'a>,
    #[serde(borrow)]
    published_at: Raw<'a>,
    #[serde(borrow)]
    submitted_on_daily_at: Raw<'a>,
    #[serde(borrow)]
    upvotes: Raw<'a>,
    #[serde(borrow)]
    github_repo: Raw<'a>,
    #[serde(borrow)]
    github_stars: Raw<'a>,
    #[serde(borrow)]
    project_page: Raw<'a>,
    #[serde(borrow, rename = "ai_summary")]
    ai_summary: Raw<'a>,
    #[serde(borrow, rename = "ai_keywords")]
    ai_keywords: Raw<'a>,
}

/// A response that wraps the list: `{"status": ..., "date": ..., "data": [...]}`.
#[derive(Debug, Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    data: Vec<&'a RawValue>,
    date: Option<String>,
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
    if items.is_empty() {
        all.push(Ok(empty_day(path)));
    }
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
        python: false,
        any: false,
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
    /// Whether the file's items were Python literals (warned about once).
    python: bool,
    /// Whether the file had any item.
    any: bool,
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
                    self.any = true;
                    if let Err(fatal) = self.item(&item) {
                        self.done = true;
                        return Some(Err(fatal));
                    }
                }
                Ok(None) => {
                    self.done = true;
                    if !self.any {
                        self.pending.push_back(empty_day(&self.path));
                    }
                }
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
    /// whole file is not Daily Papers data (its first item says so).
    fn item(&mut self, item: &Item) -> Result<(), ImportError> {
        let Some(bytes) = &item.bytes else {
            let limit = scan::MAX_ITEM_BYTES >> 20;
            self.skip(item, 0, format!("item {} was skipped: it is larger than {limit} MiB", item.index));
            return Ok(());
        };
        match bytes.first() {
            // A Python print of the response: each item a string holding a
            // dict (`"{'paper': ...}"`), or the dicts themselves.
            Some(b'"') => return self.string_item(item, bytes),
            Some(b'{') if bytes.starts_with(b"{'") => return self.python_item(item, bytes.clone(), bytes, 0),
            Some(b'{') => {}
            _ => return self.not_an_object(item, bytes),
        }
        if item.index == 1
            && let Ok(envelope) = serde_json::from_slice::<Envelope>(bytes)
        {
            return self.envelope(item, bytes, envelope);
        }
        self.object(item, bytes, true)
    }

    /// An object item: its paper and warnings, or why it was skipped.
    fn object(&mut self, item: &Item, bytes: &[u8], exact: bool) -> Result<(), ImportError> {
        match self.paper(item, bytes, exact) {
            Ok(records) => self.pending.extend(records),
            Err((_, message)) if item.index == 1 && message.starts_with(NOT_DAILY_PAPERS) => {
                return Err(self.error(item, 0, message));
            }
            Err((offset, message)) => self.skip(item, if exact { offset } else { 0 }, message),
        }
        Ok(())
    }

    /// The items of `{"status": ..., "data": [...]}`, each at its own place.
    fn envelope(&mut self, item: &Item, bytes: &[u8], envelope: Envelope) -> Result<(), ImportError> {
        if self.reference.is_none() {
            self.reference = envelope.date.as_deref().and_then(date_of);
        }
        if envelope.data.is_empty() {
            self.pending.push_back(empty_day(&self.path));
        }
        for (i, raw) in envelope.data.iter().enumerate() {
            let offset = raw.get().as_ptr() as usize - bytes.as_ptr() as usize;
            let (line, column) = item.position_at(offset);
            let inner = Item { index: i + 1, line, column, bytes: Some(raw.get().as_bytes().to_vec()) };
            match inner.bytes.as_deref().and_then(|b| b.first()) {
                Some(b'{') if !raw.get().starts_with("{'") => self.object(&inner, raw.get().as_bytes(), true)?,
                _ => self.item(&inner)?,
            }
        }
        Ok(())
    }

    /// A string item: a Python dict printed as text, read as one; any
    /// other string is not an item.
    fn string_item(&mut self, item: &Item, bytes: &[u8]) -> Result<(), ImportError> {
        let text: String = serde_json::from_slice(bytes).unwrap_or_default();
        if !text.trim_start().starts_with('{') {
            let message = format!(
                "item {} is a string, not an object: expected an object like `{{\"paper\": {{\"id\": ...}}}}`",
                item.index
            );
            return self.skip_or_fail(item, message);
        }
        self.python_item(item, text.into_bytes(), bytes, 1)
    }

    /// Reads `literal`, the Python text of an item, and imports it like JSON.
    /// `raw` is the item as written in the file and `start` where the
    /// literal starts in it, for the place of an error.
    fn python_item(&mut self, item: &Item, literal: Vec<u8>, raw: &[u8], start: usize) -> Result<(), ImportError> {
        let literal = match String::from_utf8(literal) {
            Ok(literal) => literal,
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let offset = if start == 0 { offset } else { raw_offset(raw, offset) };
                let message = format!("item {} was skipped: it is not UTF-8 text", item.index);
                self.skip(item, offset, message);
                return Ok(());
            }
        };
        let value = match pyrepr::parse(&literal) {
            Ok(value) => value,
            Err(e) => {
                let offset = if start == 0 { e.offset } else { raw_offset(raw, e.offset) };
                let message = format!("item {} was skipped: it is not a Python literal: {}", item.index, e.message);
                self.skip(item, offset, message);
                return Ok(());
            }
        };
        if !self.python {
            self.python = true;
            let message = "the items are Python literals (`{'paper': ...}`), not JSON: read as Python; save the API response itself (`curl -o`) to get JSON";
            let (line, column) = item.position_at(0);
            self.pending.push_back(Record::Warning(ImportError::at_column(&self.path, line, column, message)));
        }
        let json = serde_json::to_vec(&value).expect("a JSON value serializes");
        self.object(item, &json, false)
    }

    /// An item that is a list, a number, `true`, `false` or `null`.
    fn not_an_object(&mut self, item: &Item, bytes: &[u8]) -> Result<(), ImportError> {
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
        self.skip_or_fail(item, message)
    }

    /// Skips a bad item; the first item of a file ends it, with a message
    /// that says the file is not Daily Papers data.
    fn skip_or_fail(&mut self, item: &Item, message: String) -> Result<(), ImportError> {
        if item.index == 1 {
            let message = format!("{NOT_DAILY_PAPERS}: {}", message.replace(" was skipped: it is", " is"));
            return Err(self.error(item, 0, message));
        }
        self.skip(item, 0, message);
        Ok(())
    }

    /// The paper of an object item and its warnings, or where and why it was skipped.
    fn paper(&mut self, item: &Item, bytes: &[u8], exact: bool) -> Result<Vec<Record>, (usize, String)> {
        let index = item.index;
        let daily: DailyItem = deserialize(bytes, index)?;
        let wrapped = daily.paper.is_some();
        let api = match daily.paper {
            Some(paper) => paper,
            None => deserialize::<ApiPaper>(bytes, index)?,
        };
        if !wrapped && api.id.is_none() && api.title.is_none() && daily.title.is_none() {
            return Err((0, not_daily_papers(bytes, index)));
        }
        let mut fields =
            Fields { item, bytes, label: format!("item {index}"), path: &self.path, exact, warnings: Vec::new() };
        let arxiv = match api.id {
            Some(raw) => Some(arxiv_id(&mut fields, raw, index)?),
            None => None,
        };
        if let Some(id) = &arxiv {
            fields.label = format!("item {index} ({id})");
        }
        let title = fields.text("title", api.title.or(daily.title)).as_deref().and_then(one_line).ok_or_else(|| {
            (0, format!("{} was skipped: it has no title; expected a non-empty `paper.title`", fields.label))
        })?;
        let listed_at = if wrapped { fields.text("publishedAt", daily.published_at) } else { None };
        let daily_at = fields.text("submittedOnDailyAt", api.submitted_on_daily_at);
        let day = self.day(daily_at.as_deref(), listed_at.as_deref(), &fields.label)?;
        let rank = self.ranks.next(day);
        let summary = fields.text("summary", api.summary.or(daily.summary)).unwrap_or_default();
        let published = api.published_at.and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
        if let Some(at) = published.filter(|at| is_out_of_range(at)) {
            return Err((0, format!("{} was skipped: {}", fields.label, out_of_range_message("publishedAt", &at))));
        }
        let mut paper = paper_from_text(&title, &summary, arxiv, day, rank, &self.path);
        fill_optional(&mut paper, &api, &mut fields);
        let paper = super::vet::vet(paper, &self.path, item.line, Some(item.column)).map_err(|e| (0, e.message))?;
        let mut records = vec![Record::Paper(Box::new(paper))];
        records.append(&mut fields.warnings);
        Ok(records)
    }

    /// The digest day of an item (see the module docs).
    fn day(&self, daily_at: Option<&str>, listed_at: Option<&str>, label: &str) -> Result<Date, (usize, String)> {
        if let Some(at) = daily_at {
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

/// How a message about a file that is not Daily Papers data starts.
const NOT_DAILY_PAPERS: &str = "this is not Daily Papers JSON";

/// The message for an object that has none of the fields of a Daily
/// Papers item: what it looks like instead.
fn not_daily_papers(bytes: &[u8], index: usize) -> String {
    let expected = "expected a list of Daily Papers items (`[{\"paper\": {\"id\": ...}}]`) or one paper object (`{\"id\": ..., \"title\": ...}`)";
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(bytes).unwrap_or_default();
    if let Some(error) = object.get("error").and_then(|e| e.as_str()) {
        let error: String = error.chars().filter(|c| !c.is_control()).take(80).collect();
        return format!("{NOT_DAILY_PAPERS}: it is an error response (`{error}`); {expected}");
    }
    let mut keys: Vec<String> = object
        .keys()
        .take(5)
        .map(|k| format!("`{}`", k.chars().filter(|c| !c.is_control()).take(30).collect::<String>()))
        .collect();
    if object.len() > 5 {
        keys.push("…".into());
    }
    let what = if keys.is_empty() {
        "an empty object".to_string()
    } else {
        format!("an object with the keys {}", keys.join(", "))
    };
    let whose = if index == 1 { "its first item is" } else { "the item is" };
    format!("{NOT_DAILY_PAPERS}: {whose} {what}; {expected}")
}

/// The normalised arXiv id of `paper.id`, or why the item is skipped.
fn arxiv_id(fields: &mut Fields, raw: &RawValue, index: usize) -> Result<String, (usize, String)> {
    let offset = fields.offset_of(raw);
    let id: Option<String> = serde_json::from_str(raw.get()).ok();
    let shown = id.clone().unwrap_or_else(|| raw.get().chars().take(40).collect());
    id.as_deref().and_then(links::normalize_arxiv_id).ok_or_else(|| {
        (
            offset,
            format!("item {index} was skipped: `{shown}` is not an arXiv id; expected `paper.id` like `2510.19779`"),
        )
    })
}

/// The optional fields: each one of the wrong kind is left out with a warning.
fn fill_optional(paper: &mut crate::paper::Paper, api: &ApiPaper, fields: &mut Fields) {
    if let Some(repo) = fields.text("githubRepo", api.github_repo).filter(|r| !r.trim().is_empty()) {
        match web_url(&repo) {
            Some(url) if !paper.code.contains(&url) => paper.code.insert(0, url),
            Some(_) => {}
            None => not_a_link(fields, "githubRepo", api.github_repo, &repo),
        }
    }
    if let Some(page) = fields.text("projectPage", api.project_page).filter(|r| !r.trim().is_empty()) {
        match web_url(&page) {
            Some(url) => paper.project = Some(url),
            None => not_a_link(fields, "projectPage", api.project_page, &page),
        }
    }
    paper.authors = fields.authors(api.authors).iter().filter_map(|a| one_line(a)).collect();
    paper.upvotes = fields.count("upvotes", api.upvotes);
    paper.github_stars = fields.count("githubStars", api.github_stars);
    // TeX outside formulas reads as the title and the abstract do (`\\textit{k}` as `k`).
    let text = |t: &str| one_line(&crate::tex::to_unicode(t));
    paper.ai_summary = fields.text("ai_summary", api.ai_summary).as_deref().and_then(text);
    paper.ai_keywords = fields.texts("ai_keywords", api.ai_keywords).iter().filter_map(|k| text(k)).collect();
    paper.published = fields.text("publishedAt", api.published_at).as_deref().and_then(date_of);
}

fn not_a_link(fields: &mut Fields, name: &str, raw: Raw, value: &str) {
    // Control characters stay: the terminal shows them escaped.
    let shown: String = value.chars().take(80).collect();
    let message = format!("{}: `{name}` is not a web link and was left out: `{shown}`", fields.label);
    fields.warn(raw.expect("a field with a value"), message);
}

/// The note for a day without papers.
fn empty_day(path: &Path) -> Record {
    Record::Note(ImportError::file(
        path,
        "no papers on this day: the list is empty (the API answers `[]` for a day without papers); no day page is made",
    ))
}

/// The byte offset in `raw`, a JSON string literal, of byte `decoded` of
/// the text it holds: walks the escapes.
fn raw_offset(raw: &[u8], decoded: usize) -> usize {
    let (mut i, mut out) = (1, 0);
    while i < raw.len() && out < decoded {
        let (raw_len, text_len) = match raw[i] {
            b'\\' if raw.get(i + 1) == Some(&b'u') => {
                let code = std::str::from_utf8(&raw[i + 2..(i + 6).min(raw.len())])
                    .ok()
                    .and_then(|h| u32::from_str_radix(h, 16).ok());
                match code {
                    // A surrogate pair: two escapes, one character of 4 bytes.
                    Some(0xD800..=0xDBFF) => (12, 4),
                    Some(c) => (6, char::from_u32(c).map_or(3, char::len_utf8)),
                    None => (2, 1),
                }
            }
            b'\\' => (2, 1),
            _ => (1, 1),
        };
        i += raw_len;
        out += text_len;
    }
    i.min(raw.len())
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

#[cfg(test)]
mod tests;
