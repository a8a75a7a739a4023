//! Importers: each input format becomes [`Paper`] records.
//!
//! The format is detected from the content (the extension only breaks a
//! tie), or forced with `--format`. Parsers take text and return records
//! plus warnings; the API JSON and Atom parsers also read from a stream
//! ([`stream_file`]), one record at a time. `crate::import` (the `import`
//! command, the only code that writes into `content/`) uses them.

pub mod arxiv_atom;
pub mod fetched;
pub mod hf_api_json;
pub mod hf_daily_text;
mod position;
pub mod pyrepr;
mod record;
pub mod vet;

use std::path::Path;
use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;

pub use record::{Record, RecordResult};

use crate::error::{ImportError, Warning, text_from_bytes};
use crate::links::{self, LinkKind};
use crate::paper::{self, Listing, Paper};
use crate::{markdown, tex};

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A plain-text copy of a Hugging Face papers page.
    Text,
    /// Hugging Face Daily Papers API JSON.
    Json,
    /// arXiv API Atom XML.
    Atom,
}

impl Format {
    /// Guesses the format from the first non-blank characters, then the extension.
    pub fn detect(text: &str, path: &Path) -> Format {
        let start = text.trim_start_matches('\u{feff}').trim_start();
        if start.starts_with('[') || start.starts_with('{') {
            return Format::Json;
        }
        // Any markup is read as XML, so a page that is not an Atom feed
        // (`<rss>`, `<html>`) gets the Atom parser's clear error.
        let mut chars = start.chars();
        if chars.next() == Some('<') && chars.next().is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '?' | '!'))
        {
            return Format::Atom;
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") if start.is_empty() => Format::Json,
            Some("xml" | "atom") if start.is_empty() => Format::Atom,
            _ => Format::Text,
        }
    }
}

/// What a parser found in one file.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Parsed {
    /// Papers, in the order the file lists them.
    pub papers: Vec<Paper>,
    /// Records that could not be imported, with their lines.
    pub skipped: Vec<ImportError>,
    /// Records imported with a remark (no abstract, listed twice), with their lines.
    pub warnings: Vec<Warning>,
    /// Things worth knowing that are not problems (a day without papers).
    pub notes: Vec<Warning>,
}

/// Parses one input file.
///
/// `date` (from `--date`) supplies the year of day headings without one;
/// without it, a date in the file name (`2025-08-06.txt`) does.
pub fn parse_file(path: &Path, format: Option<Format>, date: Option<Date>) -> Result<Parsed, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::file(path, format!("cannot read the file: {e}")))?;
    parse_bytes(path, bytes, format, date)
}

/// Parses the bytes of the input `path` as [`parse_file`] does.
pub fn parse_bytes(
    path: &Path,
    bytes: Vec<u8>,
    format: Option<Format>,
    date: Option<Date>,
) -> Result<Parsed, ImportError> {
    let text = text_from_bytes(path, bytes)?;
    parse_text(&text, path, format, date)
}

/// Parses the text of one input; `path` names it in messages and may carry a date.
pub fn parse_text(text: &str, path: &Path, format: Option<Format>, date: Option<Date>) -> Result<Parsed, ImportError> {
    let reference = date.or_else(|| date_from_file_name(path));
    match format.unwrap_or_else(|| Format::detect(text, path)) {
        Format::Text => hf_daily_text::parse(text, path, reference),
        Format::Json => hf_api_json::parse(text, path, reference),
        Format::Atom => arxiv_atom::parse(text, path, reference),
    }
}

/// A file's records, read as they come: API JSON and Atom are streamed, so a
/// file of any size imports in bounded memory; a text copy is parsed whole.
pub type RecordStream = Box<dyn Iterator<Item = Record>>;

/// Opens one input for streaming. `Err` when the file cannot be read at
/// all (missing, empty, not the format); a problem found after some
/// records is a [`Record::Skipped`] and ends the stream.
pub fn stream_file(path: &Path, format: Option<Format>, date: Option<Date>) -> Result<RecordStream, ImportError> {
    let file = std::fs::File::open(path).map_err(|e| ImportError::file(path, format!("cannot read the file: {e}")))?;
    let mut input = std::io::BufReader::with_capacity(64 * 1024, file);
    let head = std::io::BufRead::fill_buf(&mut input)
        .map_err(|e| ImportError::file(path, format!("cannot read the file: {e}")))?;
    if let Some(error) = crate::error::not_utf16(path, head) {
        return Err(error);
    }
    let format = format.unwrap_or_else(|| Format::detect(&String::from_utf8_lossy(head), path));
    let reference = date.or_else(|| date_from_file_name(path));
    let mut records: Box<dyn Iterator<Item = RecordResult>> = match format {
        Format::Json => Box::new(hf_api_json::records(input, path, reference)),
        Format::Atom => Box::new(arxiv_atom::records(input, path, reference)),
        Format::Text => {
            let parsed = parse_file(path, Some(Format::Text), date)?;
            let papers = parsed.papers.into_iter().map(|p| Ok(Record::Paper(Box::new(p))));
            let skipped = parsed.skipped.into_iter().map(|e| Ok(Record::Skipped(e)));
            let warnings = parsed.warnings.into_iter().map(|w| Ok(Record::Warning(w)));
            let notes = parsed.notes.into_iter().map(|n| Ok(Record::Note(n)));
            Box::new(papers.chain(skipped).chain(warnings).chain(notes))
        }
    };
    let first = match records.next() {
        Some(Err(e)) => return Err(e),
        first => first,
    };
    Ok(Box::new(first.into_iter().chain(records).map(|r| r.unwrap_or_else(Record::Skipped))))
}

static FILE_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{4})-(\d{2})-(\d{2})").expect("the file date pattern is valid"));

/// A date in a file name, like `2025-08-06.txt` or `hf-2025-08-06.json`.
pub fn date_from_file_name(path: &Path) -> Option<Date> {
    let name = path.file_stem()?.to_str()?;
    let c = FILE_DATE.captures(name)?;
    Date::new(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?).ok().and_then(paper::checked_date)
}

/// Builds a paper from a title and an abstract as plain text (with TeX).
pub(crate) fn paper_from_text(
    title: &str,
    abstract_text: &str,
    arxiv: Option<String>,
    day: Date,
    rank: u32,
    path: &Path,
) -> Paper {
    let title = tex::to_unicode(crate::clean::clean_line(title).trim());
    let abstract_text = tex::to_unicode(&crate::clean::clean_block(abstract_text));
    let mut paper = Paper {
        id: arxiv.clone().unwrap_or_else(|| paper::slug_id(&title)),
        title,
        days: vec![Listing::new(day, Some(rank))],
        source: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        body: markdown::from_plain_text(&abstract_text),
        ..Paper::default()
    };
    if let Some(id) = arxiv {
        paper.arxiv = Some(links::arxiv_abs_url(&id));
        paper.pdf = Some(links::arxiv_pdf_url(&id));
    }
    add_links(&mut paper, links::find_urls(&abstract_text).into_iter().map(|(_, url)| url));
    paper
}

/// The start of a long text (a title, a paragraph), for messages.
pub(crate) fn preview(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// Files URLs under code or project page, each code URL once (a set, so
/// an abstract of a hundred thousand links takes linear time). arXiv links
/// in an abstract usually cite other papers, so they are not taken as this
/// paper's. Only web links count.
pub(crate) fn add_links<'a>(paper: &mut Paper, urls: impl Iterator<Item = &'a str>) {
    let mut code: std::collections::HashSet<String> = paper.code.iter().cloned().collect();
    for url in urls.filter(|url| links::is_web_url(url)) {
        match links::kind(url) {
            LinkKind::Code => {
                if code.insert(url.to_string()) {
                    paper.code.push(url.to_string());
                }
            }
            LinkKind::Project => {
                if paper.project.is_none() && !url.contains("huggingface.co/papers/") {
                    paper.project = Some(url.to_string());
                }
            }
            LinkKind::Arxiv => {}
        }
    }
}

/// Tracks the current digest day of a file and resolves headings to dates.
/// It never guesses a year: one comes from the heading, `--date`, or the
/// file name, or the file is rejected with a message saying how to give it.
pub(crate) struct DayResolver<'a> {
    path: &'a Path,
    reference: Option<Date>,
    current: Option<Date>,
    /// The first heading: its line, text and date.
    first: Option<(usize, String, Date)>,
    /// Whether a heading named the reference date.
    matched: bool,
}

impl<'a> DayResolver<'a> {
    pub(crate) fn new(path: &'a Path, reference: Option<Date>) -> Self {
        DayResolver { path, reference, current: None, first: None, matched: false }
    }

    /// A warning when the file's headings never name the date of its file
    /// name (or `--date`): the papers are filed under the headings' days.
    pub(crate) fn disagreement(&self, path: &Path) -> Option<Warning> {
        let reference = self.reference?;
        let (line, text, date) = self.first.as_ref()?;
        if self.matched {
            return None;
        }
        let given = if date_from_file_name(path) == Some(reference) { "the file name says" } else { "`--date` says" };
        Some(Warning::at(
            path,
            *line,
            format!(
                "{given} {reference} but the day heading `{text}` says {date}: its papers are filed under {date}; rename the file or fix the heading"
            ),
        ))
    }

    /// A day heading at `line`.
    pub(crate) fn start_day(
        &mut self,
        line: usize,
        month: i8,
        day: i8,
        year: Option<i16>,
        text: &str,
    ) -> Result<(), ImportError> {
        let invalid = || ImportError::at(self.path, line, format!("`{text}` is not a real date"));
        let date = match (year, self.reference) {
            (Some(year), _) => Date::new(year, month, day).map_err(|_| invalid())?,
            (None, Some(reference)) => closest_year(month, day, reference).ok_or_else(invalid)?,
            (None, None) => {
                return Err(ImportError::at(
                    self.path,
                    line,
                    format!(
                        "the day heading `{text}` has no year: name the file after its date (like `2025-08-06.txt`) or pass `--date YYYY-MM-DD`"
                    ),
                ));
            }
        };
        if paper::checked_date(date).is_none() {
            return Err(ImportError::at(self.path, line, format!("`{text}` is outside the years 1000 to 9999")));
        }
        self.current = Some(date);
        self.matched |= Some(date) == self.reference;
        self.first.get_or_insert_with(|| (line, text.to_string(), date));
        Ok(())
    }

    /// The day of a paper at `line`.
    pub(crate) fn current(&self, line: usize) -> Result<Date, ImportError> {
        self.current.or(self.reference).ok_or_else(|| {
            ImportError::at(
                self.path,
                line,
                "this paper comes before any day heading and no date is known: add a heading like `Aug 6` above it, name the file after its date (like `2025-08-06.txt`) or pass `--date YYYY-MM-DD`",
            )
        })
    }
}

/// The date with this month and day nearest to `reference` (a digest saved
/// on Jan 2 may still list Dec 31 of the year before).
fn closest_year(month: i8, day: i8, reference: Date) -> Option<Date> {
    (reference.year() - 1..=reference.year() + 1)
        .filter_map(|year| Date::new(year, month, day).ok())
        .min_by_key(|d| d.since(reference).map_or(i32::MAX, |span| span.get_days().abs()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_in_file_names() {
        assert_eq!(date_from_file_name(Path::new("content/digests/2025-08-06.txt")), Some(date(2025, 8, 6)));
        assert_eq!(date_from_file_name(Path::new("hf-2024-05-27.json")), Some(date(2024, 5, 27)));
        assert_eq!(date_from_file_name(Path::new("000_0baab5924c65dee0.txt")), None);
        assert_eq!(date_from_file_name(Path::new("2025-13-40.txt")), None);
    }

    #[test]
    fn headings_without_year_take_the_nearest_year() {
        assert_eq!(closest_year(8, 6, date(2025, 8, 6)), Some(date(2025, 8, 6)));
        assert_eq!(closest_year(12, 31, date(2026, 1, 2)), Some(date(2025, 12, 31)));
        assert_eq!(closest_year(1, 1, date(2025, 12, 30)), Some(date(2026, 1, 1)));
        assert_eq!(closest_year(2, 29, date(2024, 3, 1)), Some(date(2024, 2, 29)));
    }

    #[test]
    fn format_is_detected_from_content() {
        assert_eq!(Format::detect("  [{\"paper\": {}}]", Path::new("a.txt")), Format::Json);
        assert_eq!(Format::detect("<?xml version", Path::new("a.txt")), Format::Atom);
        assert_eq!(Format::detect("Aug 6\n\nTitle", Path::new("a.json")), Format::Text);
        assert_eq!(Format::detect("\n<rss version=\"2.0\">", Path::new("a.txt")), Format::Atom);
        assert_eq!(Format::detect("<feed xmlns=", Path::new("a.json")), Format::Atom);
        assert_eq!(Format::detect("< 3 is less", Path::new("a.xml")), Format::Text);
    }
}
