//! Plain-text copies of a Hugging Face papers page: page chrome, day
//! headings (`Aug 6`), then each paper as a title line and an abstract
//! paragraph, separated by blank lines.
//!
//! Pairing works on blocks (runs of non-blank lines). A long block is an
//! abstract and the short block right before it is its title. A short block
//! followed by another short block that is not itself a title is a title
//! with a short abstract. Anything that cannot be paired is reported with
//! its line number: a title without abstract is kept, a paragraph without
//! a title is skipped.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::Path;
use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;

use super::{DayResolver, Parsed, paper_from_text};
use crate::error::{ImportError, Warning};
use crate::links;
use crate::paper::{self, Paper};

/// Lines of the papers page that are navigation, not papers.
const CHROME: &[&str] = &[
    "new",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox",
    "subscribe",
    "daily papers",
    "byak and the research community",
    "by ak and the research community",
    "trending papers",
    "submit a paper",
    "search papers",
    "previous",
    "next",
];

/// A block longer than this (in characters) is an abstract, never a title.
const MAX_TITLE_CHARS: usize = 300;

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$")
        .expect("the day heading pattern is valid")
});

static ISO_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{2})-(\d{2})$").expect("the ISO date pattern is valid"));

/// A run of non-blank lines.
#[derive(Debug)]
struct Block {
    /// 1-based line of the first line.
    line: usize,
    /// The text lines (URL-only lines are in `urls`).
    lines: Vec<String>,
    /// Lines that are a bare URL.
    urls: Vec<String>,
}

impl Block {
    fn text(&self) -> String {
        self.lines.join(" ")
    }

    /// Certainly an abstract: several lines, very long, or a long text
    /// ending like a sentence. A block like this is never taken as a title.
    fn is_abstract(&self) -> bool {
        let text = self.text();
        let chars = text.chars().count();
        self.lines.len() > 1 || chars > MAX_TITLE_CHARS || (chars > 120 && text.ends_with('.'))
    }

    /// Could be an abstract: also a short text ending with a period, which
    /// titles almost never do.
    fn may_be_abstract(&self) -> bool {
        self.is_abstract() || self.text().ends_with('.')
    }
}

#[derive(Debug)]
enum Item {
    Heading { line: usize, month: i8, day: i8, year: Option<i16>, text: String },
    Block(Block),
}

/// Parses a text copy. `reference` is the date given by `--date` or the file
/// name; it supplies the year of headings that have none, and the day of
/// papers listed before any heading.
pub fn parse(text: &str, path: &Path, reference: Option<Date>) -> Result<Parsed, ImportError> {
    if text.contains('\0') || text.chars().filter(|c| c.is_control() && !c.is_whitespace()).count() > 8 {
        return Err(ImportError::file(path, "this looks like a binary file, not a text copy of a papers page"));
    }
    let items = items(text);
    if items.is_empty() {
        let what = if text.trim().is_empty() { "the file is empty" } else { "the file holds only page navigation" };
        return Err(ImportError::file(
            path,
            format!(
                "{what}: expected a day heading like `Aug 6`, then each paper as a title line and an abstract paragraph"
            ),
        ));
    }
    let mut days = DayResolver::new(path, reference);
    let mut parsed = Parsed::default();
    let mut listed = HashMap::new();
    let mut rank = 0;
    let mut i = 0;
    while i < items.len() {
        let block = match &items[i] {
            Item::Heading { line, month, day, year, text } => {
                days.start_day(*line, *month, *day, *year, text)?;
                rank = 0;
                i += 1;
                continue;
            }
            Item::Block(block) => block,
        };
        let next = block_at(&items, i + 1);
        let after = block_at(&items, i + 2);
        if block.is_abstract() {
            parsed.skipped.push(ImportError::at(
                path,
                block.line,
                format!("paragraph with no title before it was skipped: \"{}\"", preview(&block.text())),
            ));
            i += 1;
            continue;
        }
        // The next block is this title's abstract unless it is itself a
        // title: a short block followed by an abstract.
        let abstract_block = match next {
            Some(n) if n.may_be_abstract() => Some(n),
            Some(n) if !after.is_some_and(Block::may_be_abstract) => Some(n),
            _ => None,
        };
        let day = days.current(block.line)?;
        rank += 1;
        if abstract_block.is_none() {
            parsed.warnings.push(Warning::at(
                path,
                block.line,
                format!("title with no abstract after it: \"{}\" (kept without an abstract)", preview(&block.text())),
            ));
        }
        let abstract_text = abstract_block.map(Block::text).unwrap_or_default();
        let arxiv = block
            .urls
            .iter()
            .chain(abstract_block.iter().flat_map(|b| &b.urls))
            .find_map(|u| links::arxiv_id_from_url(u));
        let mut paper = paper_from_text(&block.text(), &abstract_text, arxiv, day, rank, path);
        let urls = block.urls.iter().chain(abstract_block.iter().flat_map(|b| &b.urls));
        super::add_links(&mut paper, urls.map(String::as_str));
        match super::vet::vet(paper, path, block.line, None) {
            Ok(paper) => add_paper(&mut parsed, &mut listed, paper, path, block.line),
            Err(e) => parsed.skipped.push(e),
        }
        i += if abstract_block.is_some() { 2 } else { 1 };
    }
    if parsed.papers.is_empty() && parsed.skipped.is_empty() {
        return Err(ImportError::file(
            path,
            "no papers found: expected a title line followed by an abstract paragraph",
        ));
    }
    Ok(parsed)
}

/// Adds a paper, or merges it into the paper listed before on the same day
/// (the same arXiv id, or without one the same normalised title): `listed`
/// finds that one in constant time, so a copy of any length parses in
/// linear time.
fn add_paper(parsed: &mut Parsed, listed: &mut HashMap<(String, Date), usize>, paper: Paper, path: &Path, line: usize) {
    let identity = match links::normalize_arxiv_id(&paper.id) {
        Some(id) => id,
        None => format!("title:{}", paper::title_key(&paper.title)),
    };
    match listed.entry((identity, paper.date())) {
        Entry::Occupied(first) => {
            parsed.warnings.push(Warning::at(
                path,
                line,
                format!(
                    "\"{}\" is listed twice on {}; the two entries are merged",
                    preview(&paper.title),
                    paper.date()
                ),
            ));
            parsed.papers[*first.get()].merge(paper);
        }
        Entry::Vacant(slot) => {
            slot.insert(parsed.papers.len());
            parsed.papers.push(paper);
        }
    }
}

fn block_at(items: &[Item], i: usize) -> Option<&Block> {
    match items.get(i) {
        Some(Item::Block(b)) => Some(b),
        _ => None,
    }
}

/// Splits the text into headings and blocks, dropping page chrome. A block
/// of only URLs belongs to the title block before it.
fn items(text: &str) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut current: Option<Block> = None;
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for (index, raw) in text.split('\n').enumerate() {
        // A byte-order mark can also sit mid-file where copies were concatenated.
        let line = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if line.is_empty() {
            push_block(&mut items, current.take());
            continue;
        }
        let block = current.get_or_insert_with(|| Block { line: index + 1, lines: Vec::new(), urls: Vec::new() });
        if is_url_line(line) {
            block.urls.push(line.to_string());
        } else {
            block.lines.push(line.to_string());
        }
    }
    push_block(&mut items, current.take());
    items
}

fn push_block(items: &mut Vec<Item>, block: Option<Block>) {
    let Some(mut block) = block else { return };
    block.lines.retain(|l| !CHROME.contains(&l.to_lowercase().as_str()));
    if block.lines.is_empty() {
        // URL lines on their own belong to the title above them.
        if let Some(Item::Block(previous)) = items.last_mut()
            && !previous.is_abstract()
        {
            previous.urls.append(&mut block.urls);
        }
        return;
    }
    if block.lines.len() == 1
        && let Some(heading) = heading(&block.lines[0], block.line)
    {
        items.push(heading);
        return;
    }
    items.push(Item::Block(block));
}

fn is_url_line(line: &str) -> bool {
    (line.starts_with("https://") || line.starts_with("http://")) && !line.contains(char::is_whitespace)
}

fn heading(text: &str, line: usize) -> Option<Item> {
    if let Some(c) = HEADING.captures(text) {
        let month = match &c[1].to_lowercase()[..3] {
            "jan" => 1,
            "feb" => 2,
            "mar" => 3,
            "apr" => 4,
            "may" => 5,
            "jun" => 6,
            "jul" => 7,
            "aug" => 8,
            "sep" => 9,
            "oct" => 10,
            "nov" => 11,
            _ => 12,
        };
        return Some(Item::Heading {
            line,
            month,
            day: c[2].parse().ok()?,
            year: c.get(3).and_then(|y| y.as_str().parse().ok()),
            text: text.to_string(),
        });
    }
    let c = ISO_HEADING.captures(text)?;
    Some(Item::Heading {
        line,
        month: c[2].parse().ok()?,
        day: c[3].parse().ok()?,
        year: c[1].parse().ok(),
        text: text.to_string(),
    })
}

/// The start of a long text, for messages.
fn preview(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests;
