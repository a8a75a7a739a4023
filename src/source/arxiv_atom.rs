//! arXiv API Atom (`export.arxiv.org/api/query`): one paper per `<entry>`.
//!
//! Elements are matched by namespace and local name, never by prefix or
//! position: the legacy layout declares `xmlns:arxiv` on each element, the
//! current one on `<feed>`, and fields come in any order. The feed is read
//! one event at a time, so only one entry is in memory at once.
//!
//! The digest day of an entry is the date given by `--date` or the file
//! name (the day the feed was fetched); else the entry's `<published>`
//! date, the day it appeared on arXiv.

use std::collections::VecDeque;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use jiff::civil::Date;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};
use regex::Regex;

use super::position::Counting;
use super::record::{
    Ranks, Record, RecordResult, collect, date_of, is_out_of_range, one_line, out_of_range_message, web_url,
};
use super::{Parsed, paper_from_text};
use crate::error::ImportError;
use crate::links;
use crate::paper::Paper;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const ARXIV: &str = "http://arxiv.org/schemas/atom";

/// An entry whose text is larger than this is skipped.
const MAX_ENTRY_BYTES: usize = 16 << 20;

/// Parses an Atom feed held in memory. `reference` is the date from
/// `--date` or the file name.
pub fn parse(text: &str, path: &Path, reference: Option<Date>) -> Result<Parsed, ImportError> {
    collect(records(text.as_bytes(), path, reference))
}

/// Reads an Atom feed from `input` one entry at a time.
pub fn records<R: BufRead>(input: R, path: &Path, reference: Option<Date>) -> Records<R> {
    let mut reader = NsReader::from_reader(Counting::new(input));
    reader.config_mut().check_end_names = true;
    Records {
        reader,
        buf: Vec::new(),
        path: path.to_path_buf(),
        reference,
        ranks: Ranks::default(),
        pending: VecDeque::new(),
        state: State::Prolog,
        entries: 0,
        entry_line: 0,
    }
}

/// The records of one Atom feed, in feed order.
pub struct Records<R> {
    reader: NsReader<Counting<R>>,
    buf: Vec<u8>,
    path: PathBuf,
    reference: Option<Date>,
    ranks: Ranks,
    pending: VecDeque<Record>,
    state: State,
    /// Entries seen so far.
    entries: usize,
    /// Line of the entry being read, for messages about truncation.
    entry_line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Prolog,
    Feed,
    Done,
}

/// Which vocabulary an element belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ns {
    Atom,
    Arxiv,
    Other,
}

/// A start tag, with what the parser needs of it.
#[derive(Debug)]
struct Tag {
    ns: Ns,
    local: String,
    /// `<tag/>`: no content and no end tag follow.
    empty: bool,
    attributes: Vec<(String, String)>,
}

impl Tag {
    fn is(&self, ns: Ns, local: &str) -> bool {
        self.ns == ns && self.local == local
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// An event, owned, at a line and column.
#[derive(Debug)]
enum Ev {
    Start(Tag),
    End,
    Text(String),
    Eof,
    Other,
}

/// One `<entry>` as found, before it becomes a paper.
#[derive(Debug, Default)]
struct Entry {
    index: usize,
    line: usize,
    column: usize,
    /// The `<id>` text, with its line and column.
    id: Option<(String, usize, usize)>,
    title: Option<String>,
    summary: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    authors: Vec<String>,
    categories: Vec<String>,
    primary_category: Option<String>,
    doi: Option<String>,
    journal_ref: Option<String>,
    comment: Option<String>,
    /// `(rel, title, href)` of each `<link>`.
    links: Vec<(String, String, String)>,
    /// Bytes of text read, to bound memory.
    size: usize,
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = RecordResult;

    fn next(&mut self) -> Option<RecordResult> {
        loop {
            if let Some(record) = self.pending.pop_front() {
                return Some(Ok(record));
            }
            let step = match self.state {
                State::Done => return None,
                State::Prolog => self.root(),
                State::Feed => self.feed_child(),
            };
            if let Err(e) = step {
                self.state = State::Done;
                return Some(Err(e));
            }
        }
    }
}

impl<R: BufRead> Records<R> {
    /// Reads up to the root element, which must be an Atom `<feed>`.
    fn root(&mut self) -> Result<(), ImportError> {
        loop {
            let (event, line, column) = self.event()?;
            match event {
                Ev::Start(tag) if tag.is(Ns::Atom, "feed") => {
                    self.state = if tag.empty { State::Done } else { State::Feed };
                    return Ok(());
                }
                Ev::Start(tag) if tag.local == "feed" => {
                    return Err(self.error_at(
                        line,
                        column,
                        "not an Atom feed: the root element `<feed>` is not in the Atom namespace; expected `<feed xmlns=\"http://www.w3.org/2005/Atom\">` as the arXiv API returns",
                    ));
                }
                Ev::Start(tag) => {
                    return Err(self.error_at(
                        line,
                        column,
                        format!(
                            "not an Atom feed: the root element is `<{}>`; expected `<feed xmlns=\"http://www.w3.org/2005/Atom\">` as the arXiv API returns",
                            tag.local
                        ),
                    ));
                }
                Ev::Text(text) if !text.trim().is_empty() => {
                    return Err(self.error_at(
                        line,
                        column,
                        "found text where the XML should start: expected an Atom feed (`<?xml ...?>` then `<feed xmlns=\"http://www.w3.org/2005/Atom\">`)",
                    ));
                }
                Ev::Eof => {
                    return Err(self.error_at(
                        line,
                        column,
                        "the file holds no XML element: expected an Atom feed `<feed xmlns=\"http://www.w3.org/2005/Atom\">`",
                    ));
                }
                _ => {}
            }
        }
    }

    /// Reads one child of `<feed>`; an entry becomes records.
    fn feed_child(&mut self) -> Result<(), ImportError> {
        let (event, line, column) = self.event()?;
        match event {
            Ev::Start(tag) if tag.is(Ns::Atom, "entry") => {
                self.entries += 1;
                self.entry_line = line;
                let mut entry = Entry { index: self.entries, line, column, ..Entry::default() };
                if !tag.empty {
                    self.read_entry(&mut entry)?;
                }
                self.finish_entry(entry);
            }
            Ev::Start(tag) if !tag.empty => {
                self.text(&mut 0)?;
            }
            Ev::End => self.state = State::Done,
            Ev::Eof => {
                return Err(self.error_at(
                    line,
                    column,
                    format!(
                        "the file ends after {} entr{}: the feed is truncated; expected `</feed>`",
                        self.entries,
                        if self.entries == 1 { "y" } else { "ies" }
                    ),
                ));
            }
            _ => {}
        }
        Ok(())
    }

    /// Reads the children of an `<entry>`, in any order, up to `</entry>`.
    fn read_entry(&mut self, entry: &mut Entry) -> Result<(), ImportError> {
        loop {
            let (event, line, column) = self.event()?;
            let tag = match event {
                Ev::Start(tag) => tag,
                Ev::End => return Ok(()),
                Ev::Eof => return Err(self.truncated(line, column)),
                Ev::Text(_) | Ev::Other => continue,
            };
            entry.size += tag.attributes.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>();
            let full = entry.size > MAX_ENTRY_BYTES;
            match (tag.ns, tag.local.as_str()) {
                (Ns::Atom, "author") if !tag.empty => self.read_author(entry)?,
                _ if full => {}
                (Ns::Atom, "link") => entry.links.push((
                    tag.attribute("rel").unwrap_or("alternate").to_string(),
                    tag.attribute("title").unwrap_or_default().to_string(),
                    tag.attribute("href").unwrap_or_default().to_string(),
                )),
                (Ns::Atom, "category") => {
                    if let Some(term) = tag.attribute("term").and_then(one_line) {
                        entry.categories.push(term);
                    }
                }
                (Ns::Arxiv, "primary_category") => {
                    entry.primary_category = tag.attribute("term").and_then(one_line);
                }
                _ => {}
            }
            if tag.empty || tag.local == "author" && tag.ns == Ns::Atom {
                continue;
            }
            let text = self.text(&mut entry.size)?;
            let slot = match (tag.ns, tag.local.as_str()) {
                (Ns::Atom, "id") => {
                    entry.id = Some((text, line, column));
                    continue;
                }
                (Ns::Atom, "title") => &mut entry.title,
                (Ns::Atom, "summary") => &mut entry.summary,
                (Ns::Atom, "published") => &mut entry.published,
                (Ns::Atom, "updated") => &mut entry.updated,
                (Ns::Arxiv, "doi") => &mut entry.doi,
                (Ns::Arxiv, "journal_ref") => &mut entry.journal_ref,
                (Ns::Arxiv, "comment") => &mut entry.comment,
                _ => continue,
            };
            *slot = Some(text);
        }
    }

    /// Reads an `<author>` up to its end tag, keeping its `<name>`.
    fn read_author(&mut self, entry: &mut Entry) -> Result<(), ImportError> {
        loop {
            let (event, line, column) = self.event()?;
            match event {
                Ev::Start(tag) if tag.empty => {}
                Ev::Start(tag) => {
                    let text = self.text(&mut entry.size)?;
                    if tag.is(Ns::Atom, "name")
                        && entry.size <= MAX_ENTRY_BYTES
                        && let Some(name) = one_line(&text)
                    {
                        entry.authors.push(name);
                    }
                }
                Ev::End => return Ok(()),
                Ev::Eof => return Err(self.truncated(line, column)),
                Ev::Text(_) | Ev::Other => {}
            }
        }
    }

    /// The text inside the element just started, nested elements included,
    /// up to its end tag. `size` counts the bytes kept for the entry.
    fn text(&mut self, size: &mut usize) -> Result<String, ImportError> {
        let mut out = String::new();
        let mut depth = 0usize;
        loop {
            let (event, line, column) = self.event()?;
            match event {
                Ev::Text(text) => {
                    *size += text.len();
                    if *size <= MAX_ENTRY_BYTES {
                        out.push_str(&text);
                    }
                }
                Ev::Start(tag) if !tag.empty => depth += 1,
                Ev::End if depth == 0 => return Ok(out),
                Ev::End => depth -= 1,
                Ev::Eof if self.entry_line > 0 => return Err(self.truncated(line, column)),
                Ev::Eof => {
                    return Err(self.error_at(line, column, "the file ends inside an element: the feed is truncated"));
                }
                Ev::Start(_) | Ev::Other => {}
            }
        }
    }

    /// The next event, with the line and column it starts at.
    fn event(&mut self) -> Result<(Ev, usize, usize), ImportError> {
        let (line, column) = self.reader.get_ref().position();
        self.buf.clear();
        let converted = match self.reader.read_resolved_event_into(&mut self.buf) {
            Ok((ns, event)) => {
                let ns = match ns {
                    ResolveResult::Bound(ns) if ns.0 == ATOM => Ns::Atom,
                    ResolveResult::Bound(ns) if ns.0 == ARXIV => Ns::Arxiv,
                    _ => Ns::Other,
                };
                convert(event, ns)
            }
            Err(e) => Err(e.to_string()),
        };
        match converted {
            Ok(event) => Ok((event, line, column)),
            Err(e) => Err(self.error_at(line, column, format!("the XML is not well-formed: {e}"))),
        }
    }

    /// Turns a complete entry into a paper, or a skipped record saying why not.
    fn finish_entry(&mut self, entry: Entry) {
        self.entry_line = 0;
        let record = match self.paper(entry) {
            Ok(paper) => Record::Paper(Box::new(paper)),
            Err(error) => Record::Skipped(error),
        };
        self.pending.push_back(record);
    }

    fn paper(&mut self, entry: Entry) -> Result<Paper, ImportError> {
        let index = entry.index;
        let skip = |line, column, why: String| {
            ImportError::at_column(&self.path, line, column, format!("entry {index} was skipped: {why}"))
        };
        if entry.size > MAX_ENTRY_BYTES {
            let limit = MAX_ENTRY_BYTES >> 20;
            return Err(skip(entry.line, entry.column, format!("its text is larger than {limit} MiB")));
        }
        let arxiv = match &entry.id {
            Some((id, line, column)) if id.contains("arxiv.org/api/errors") => {
                let why = entry.summary.as_deref().and_then(one_line).unwrap_or_else(|| id.clone());
                return Err(skip(*line, *column, format!("the arXiv API returned an error instead of a paper: {why}")));
            }
            Some((id, line, column)) => Some(arxiv_id(id).ok_or_else(|| {
                let id = id.trim();
                skip(
                    *line,
                    *column,
                    format!("`{id}` is not an arXiv id; expected an `<id>` like `http://arxiv.org/abs/2510.19779v1`"),
                )
            })?),
            None => entry.links.iter().find(|(rel, ..)| rel == "alternate").and_then(|(.., href)| arxiv_id(href)),
        };
        let Some(title) = entry.title.as_deref().and_then(one_line) else {
            let label = arxiv.as_ref().map(|id| format!(" ({id})")).unwrap_or_default();
            return Err(ImportError::at_column(
                &self.path,
                entry.line,
                entry.column,
                format!("entry {index}{label} was skipped: it has no title; expected a `<title>` with text"),
            ));
        };
        for (field, text) in [("published", &entry.published), ("updated", &entry.updated)] {
            if let Some(text) = text.as_deref().filter(|t| is_out_of_range(t)) {
                return Err(skip(entry.line, entry.column, out_of_range_message(field, text)));
            }
        }
        let published = entry.published.as_deref().and_then(date_of);
        let day = self.reference.or(published).or_else(|| entry.updated.as_deref().and_then(date_of)).ok_or_else(|| {
            skip(
                entry.line,
                entry.column,
                "it has no `<published>` date: name the file after its date (like `2025-10-24.xml`) or pass `--date YYYY-MM-DD`".into(),
            )
        })?;
        let rank = self.ranks.next(day);
        let summary = entry.summary.as_deref().unwrap_or_default();
        let mut paper = paper_from_text(&title, summary, arxiv.clone(), day, rank, &self.path);
        if arxiv.is_none() {
            paper.arxiv = link(&entry, |rel, _| rel == "alternate");
            paper.pdf = link(&entry, |_, title| title == "pdf");
        }
        let doi_link = link(&entry, |_, title| title == "doi");
        paper.authors = entry.authors;
        paper.primary_category = entry.primary_category;
        paper.categories = paper.primary_category.iter().cloned().collect();
        let mut seen: std::collections::HashSet<String> = paper.categories.iter().cloned().collect();
        for category in entry.categories {
            if seen.insert(category.clone()) {
                paper.categories.push(category);
            }
        }
        paper.doi = entry
            .doi
            .as_deref()
            .and_then(one_line)
            .or_else(|| doi_link.map(|url| DOI_PREFIX.replace(&url, "").into_owned()));
        paper.journal_ref = entry.journal_ref.as_deref().and_then(one_line);
        paper.comment = entry.comment.as_deref().and_then(one_line);
        paper.published = published;
        super::vet::vet(paper, &self.path, entry.line, Some(entry.column))
    }

    fn truncated(&self, line: usize, column: usize) -> ImportError {
        self.error_at(
            line,
            column,
            format!(
                "the file ends inside entry {} (which starts on line {}): the feed is truncated; expected `</entry>` and `</feed>`",
                self.entries, self.entry_line
            ),
        )
    }

    fn error_at(&self, line: usize, column: usize, message: impl Into<String>) -> ImportError {
        ImportError::at_column(&self.path, line, column, message)
    }
}

/// The arXiv id (without version) of an `<id>` or a link.
fn arxiv_id(text: &str) -> Option<String> {
    let text = text.trim();
    links::arxiv_id_from_url(text).or_else(|| links::normalize_arxiv_id(text))
}

/// The first `<link>` that `pick(rel, title)` accepts, if it is a web link.
fn link(entry: &Entry, pick: impl Fn(&str, &str) -> bool) -> Option<String> {
    entry.links.iter().filter(|(rel, title, _)| pick(rel, title)).find_map(|(.., href)| web_url(href))
}

static DOI_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^https?://(dx\.)?doi\.org/").expect("the DOI prefix pattern is valid"));

/// An event as the parser needs it; `Err` for a malformed attribute.
fn convert(event: Event<'_>, ns: Ns) -> Result<Ev, String> {
    Ok(match event {
        Event::Start(e) => Ev::Start(tag(&e, ns, false)?),
        Event::Empty(e) => Ev::Start(tag(&e, ns, true)?),
        Event::End(_) => Ev::End,
        Event::Text(t) => Ev::Text(t.xml10_content().into_owned()),
        Event::CData(t) => Ev::Text(t.xml10_content().into_owned()),
        Event::GeneralRef(r) => Ev::Text(resolve_reference(&r)),
        Event::Eof => Ev::Eof,
        _ => Ev::Other,
    })
}

fn tag(start: &BytesStart<'_>, ns: Ns, empty: bool) -> Result<Tag, String> {
    let mut attributes = Vec::new();
    // Without the duplicate check, which compares each attribute with all
    // before it: a tag with 100,000 attributes takes linear time (the
    // first of two equal names wins).
    for attribute in start.attributes().with_checks(false) {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let value = attribute.normalized_value(XmlVersion::Implicit1_0).map_err(|e| e.to_string())?;
        attributes.push((attribute.key.0.to_string(), value.into_owned()));
    }
    Ok(Tag { ns, local: start.local_name().as_ref().to_string(), empty, attributes })
}

/// The text of `&name;` or `&#N;`; an entity the XML does not define stays as written.
fn resolve_reference(reference: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return c.to_string();
    }
    let name = reference.xml10_content();
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(text) => text.to_string(),
        None => format!("&{name};"),
    }
}

#[cfg(test)]
mod tests;
