//! Plain-text copies of a Hugging Face papers page: page chrome, day
//! headings (`Aug 6`), then each paper as a title line and an abstract
//! paragraph, separated by blank lines.
//!
//! Pairing works on blocks (runs of non-blank lines). A paper is a short
//! block (its title) followed by an abstract-like one: long, or ending like
//! a sentence. A copy of the live page carries its navigation around the
//! papers (menu items, "Submitted by", vote and author counts, `·`): those
//! lines are dropped, and whatever else is not a title followed by an
//! abstract is skipped and counted in one note per file. A line that looks
//! like a title but has no abstract is reported with its line. A copy with
//! no abstract at all (a list of titles) keeps its titles, with a warning.
//! A copy whose blank lines were lost (one line per element) is read line
//! by line.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::Path;
use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;

use super::{DayResolver, Parsed, paper_from_text, preview};
use crate::error::{ImportError, Warning};
use crate::links;
use crate::paper::{self, Paper};

/// Lines of the papers page that are navigation, not papers (compared in
/// lower case). The first ones head a search page and are dropped quietly;
/// the others are counted.
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

/// More navigation of the live page: menus, tabs and buttons.
const NAVIGATION: &[&str] = &[
    "hugging face",
    "hugging face's logo",
    "models",
    "datasets",
    "spaces",
    "posts",
    "docs",
    "enterprise",
    "pricing",
    "jobs",
    "log in",
    "login",
    "sign up",
    "community",
    "solutions",
    "daily",
    "weekly",
    "monthly",
    "papers",
    "collections",
    "upvote",
    "upvoted",
    "submitted by",
    "view arxiv page",
    "view pdf",
    "add to collection",
    "search or paste arxiv id",
    "search by arxiv id or title",
    "search by arxiv id",
    "system theme",
    "website",
    "github",
    "company",
    "about",
    "blog",
    "learn",
    "discord",
    "forum",
    "privacy",
    "terms of service",
    "changelog",
    "status",
    "tos",
];

/// A line of counts or bylines: `39`, `1.2k`, `· 12 authors`, `Submitted
/// by akhaliq`, `3 comments`, `★ 120`.
static NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:[·•★☆].*|submitted by\b.*|[\d.,]+\s*[km]?|\d+\s+(?:authors?|comments?|upvotes?|stars?)|(?:upvotes?|stars?|comments?)\s*[\d.,]+\s*[km]?|.*\s·\s*\d+\s+authors?)$")
        .expect("the noise pattern is valid")
});

/// An author line: names (one to four capitalised words) separated by commas.
static AUTHORS: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,3}";
    Regex::new(&format!(r"^{name}(?:\s*,\s*{name})+(?:\s*,?\s*(?:and|et al\.?)\s*(?:{name})?)?$"))
        .expect("the author pattern is valid")
});

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
    /// The 1-based line number of each of `lines`.
    numbers: Vec<usize>,
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

    /// Looks like a paper's title: two words or more, with letters, not a
    /// list of names.
    fn is_title_like(&self) -> bool {
        let text = self.text();
        text.split_whitespace().count() >= 2 && text.chars().any(char::is_alphabetic) && !AUTHORS.is_match(&text)
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
    let (items, navigation) = items(text);
    if items.is_empty() {
        let what = if text.trim().is_empty() { "the file is empty" } else { "the file holds only page navigation" };
        return Err(ImportError::file(
            path,
            format!(
                "{what}: expected a day heading like `Aug 6`, then each paper as a title line and an abstract paragraph"
            ),
        ));
    }
    let mut pairing = Pairing {
        path,
        days: DayResolver::new(path, reference),
        parsed: Parsed::default(),
        rank: 0,
        not_papers: navigation,
        titles_only: !items.iter().any(|i| matches!(i, Item::Block(b) if b.may_be_abstract())),
        listed: HashMap::new(),
    };
    pairing.run(&items)?;
    let Pairing { mut parsed, not_papers, days, .. } = pairing;
    if let Some(warning) = days.disagreement(path) {
        parsed.warnings.push(warning);
    }
    if parsed.papers.is_empty() && parsed.skipped.is_empty() {
        return Err(ImportError::file(
            path,
            "no papers found: expected a title line followed by an abstract paragraph",
        ));
    }
    if not_papers > 0 {
        parsed.notes.push(ImportError::file(
            path,
            format!(
                "{not_papers} line{} that {} not part of a paper (page navigation, vote and author counts) skipped",
                if not_papers == 1 { "" } else { "s" },
                if not_papers == 1 { "is" } else { "are" }
            ),
        ));
    }
    Ok(parsed)
}

/// The state of pairing titles with abstracts in one file.
struct Pairing<'a> {
    path: &'a Path,
    days: DayResolver<'a>,
    parsed: Parsed,
    /// Rank of the last paper on the current day.
    rank: u32,
    /// Lines skipped as not part of a paper.
    not_papers: usize,
    /// The copy has no abstract at all: its titles are kept alone.
    titles_only: bool,
    /// Where each paper of a day is in `parsed.papers`, by identity, so
    /// that a copy of any length pairs in linear time.
    listed: HashMap<(String, Date), usize>,
}

impl Pairing<'_> {
    fn run(&mut self, items: &[Item]) -> Result<(), ImportError> {
        let mut i = 0;
        while i < items.len() {
            let block = match &items[i] {
                Item::Heading { line, month, day, year, text } => {
                    self.days.start_day(*line, *month, *day, *year, text)?;
                    self.rank = 0;
                    i += 1;
                    continue;
                }
                Item::Block(block) => block,
            };
            let next = block_at(items, i + 1);
            let after = block_at(items, i + 2);
            if block.is_abstract() {
                self.parsed.skipped.push(ImportError::at(
                    self.path,
                    block.line,
                    format!("paragraph with no title before it was skipped: \"{}\"", preview(&block.text())),
                ));
                i += 1;
                continue;
            }
            // A title, then its abstract; or a title, its authors, then its abstract.
            let (byline, abstract_block) = match (next, after) {
                (Some(n), _) if n.may_be_abstract() => (None, Some(n)),
                (Some(n), Some(a)) if AUTHORS.is_match(&n.text()) && a.may_be_abstract() => (Some(n), Some(a)),
                _ => (None, None),
            };
            if abstract_block.is_none() && !self.lone(block)? {
                i += 1;
                continue;
            }
            self.paper(block, byline, abstract_block)?;
            i += 1 + usize::from(byline.is_some()) + usize::from(abstract_block.is_some());
        }
        Ok(())
    }

    /// A short block with no abstract after it: kept as a paper (returns
    /// `true`) only in a copy of titles alone; else skipped, with a warning
    /// when it looks like a title.
    fn lone(&mut self, block: &Block) -> Result<bool, ImportError> {
        if !block.is_title_like() {
            self.not_papers += block.lines.len();
            return Ok(false);
        }
        let title = preview(&block.text());
        if self.titles_only {
            let message = format!("title with no abstract after it: \"{title}\" (kept without an abstract)");
            self.parsed.warnings.push(Warning::at(self.path, block.line, message));
            return Ok(true);
        }
        let message = format!("\"{title}\" has no abstract after it and was skipped as not a paper");
        self.parsed.warnings.push(Warning::at(self.path, block.line, message));
        Ok(false)
    }

    /// Adds the paper titled `block`.
    fn paper(
        &mut self,
        block: &Block,
        byline: Option<&Block>,
        abstract_block: Option<&Block>,
    ) -> Result<(), ImportError> {
        let day = self.days.current(block.line)?;
        self.rank += 1;
        let abstract_text = abstract_block.map(Block::text).unwrap_or_default();
        let urls = || block.urls.iter().chain(abstract_block.iter().flat_map(|b| &b.urls));
        let arxiv = urls().find_map(|u| links::arxiv_id_from_url(u));
        let mut paper = paper_from_text(&block.text(), &abstract_text, arxiv, day, self.rank, self.path);
        super::add_links(&mut paper, urls().map(String::as_str));
        if let Some(byline) = byline {
            paper.authors = byline.text().split(',').map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
        }
        match super::vet::vet(paper, self.path, block.line, None) {
            Ok(paper) => add_paper(&mut self.parsed, &mut self.listed, paper, self.path, block.line),
            Err(e) => self.parsed.skipped.push(e),
        }
        Ok(())
    }
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

/// Splits the text into headings and blocks, dropping page chrome; also
/// returns how many navigation lines (beyond a search page's header) were
/// dropped. A block of only URLs belongs to the title block before it.
fn items(text: &str) -> (Vec<Item>, usize) {
    let mut items: Vec<Item> = Vec::new();
    let mut navigation = 0;
    let mut current: Option<Block> = None;
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for (index, raw) in text.split('\n').enumerate() {
        // A byte-order mark can also sit mid-file where copies were concatenated.
        let line = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if line.is_empty() {
            push_block(&mut items, current.take());
            continue;
        }
        let lower = line.to_lowercase();
        if CHROME.contains(&lower.as_str()) {
            continue;
        }
        if NAVIGATION.contains(&lower.as_str()) || NOISE.is_match(line) {
            navigation += 1;
            continue;
        }
        let block = current.get_or_insert_with(|| Block {
            line: index + 1,
            lines: Vec::new(),
            numbers: Vec::new(),
            urls: Vec::new(),
        });
        if is_url_line(line) {
            block.urls.push(line.to_string());
        } else {
            if block.lines.is_empty() {
                block.line = index + 1;
            }
            block.lines.push(line.to_string());
            block.numbers.push(index + 1);
        }
    }
    push_block(&mut items, current.take());
    (items, navigation)
}

/// Adds a block. A block that mixes short lines with lines too long for a
/// title is a copy without blank lines: each of its lines is a block.
fn push_block(items: &mut Vec<Item>, block: Option<Block>) {
    let Some(mut block) = block else { return };
    if block.lines.is_empty() {
        // URL lines on their own belong to the title above them.
        if let Some(Item::Block(previous)) = items.last_mut()
            && !previous.is_abstract()
        {
            previous.urls.append(&mut block.urls);
        }
        return;
    }
    let long = |l: &String| l.chars().count() > MAX_TITLE_CHARS;
    if block.lines.len() > 1 && block.lines.iter().any(long) && !block.lines.iter().all(long) {
        let urls = std::mem::take(&mut block.urls);
        for (line, number) in block.lines.into_iter().zip(block.numbers) {
            push_one(items, Block { line: number, lines: vec![line], numbers: vec![number], urls: Vec::new() });
        }
        if let Some(Item::Block(last)) = items.last_mut() {
            last.urls.extend(urls);
        }
        return;
    }
    push_one(items, block);
}

fn push_one(items: &mut Vec<Item>, block: Block) {
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

#[cfg(test)]
mod tests;
