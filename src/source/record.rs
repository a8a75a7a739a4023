//! What the streaming importers (API JSON, arXiv Atom) hand out one at a
//! time, and the small pieces of field cleaning they share.

use std::collections::HashMap;

use jiff::civil::Date;

use super::Parsed;
use crate::error::{ImportError, Warning};
use crate::paper::Paper;

/// One thing a streaming parser found in its input.
#[derive(Debug)]
pub enum Record {
    /// A paper to import.
    Paper(Box<Paper>),
    /// A record that could not be imported, and why.
    Skipped(ImportError),
    /// A remark on a record that was imported.
    Warning(Warning),
    /// Something worth knowing that is not a problem (a day without papers).
    Note(Warning),
}

/// Streaming parsers yield `Err` once, for a problem that ends the file
/// (broken structure, truncation), then stop.
pub type RecordResult = Result<Record, ImportError>;

/// Reads all records into a [`Parsed`]. A problem that ends the file before
/// any record fails the file; one after some records is counted as skipped,
/// and the records before it are kept.
pub(crate) fn collect(records: impl Iterator<Item = RecordResult>) -> Result<Parsed, ImportError> {
    let mut parsed = Parsed::default();
    let mut any = false;
    for record in records {
        match record {
            Ok(Record::Paper(paper)) => parsed.papers.push(*paper),
            Ok(Record::Skipped(e)) => parsed.skipped.push(e),
            Ok(Record::Warning(w)) => parsed.warnings.push(w),
            Ok(Record::Note(n)) => parsed.notes.push(n),
            Err(e) if !any => return Err(e),
            Err(e) => parsed.skipped.push(e),
        }
        any = true;
    }
    Ok(parsed)
}

/// Positions of papers on each digest day of one file, in file order.
#[derive(Debug, Default)]
pub(crate) struct Ranks(HashMap<Date, u32>);

impl Ranks {
    /// The rank of the next paper listed on `day`.
    pub(crate) fn next(&mut self, day: Date) -> u32 {
        let rank = self.0.entry(day).or_insert(0);
        *rank += 1;
        *rank
    }
}

/// Text with runs of whitespace (arXiv's hard wraps) made single spaces;
/// `None` when nothing is left.
pub(crate) fn one_line(text: &str) -> Option<String> {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!line.is_empty()).then_some(line)
}

/// A web link, or `None` for anything but an `http(s)` URL without spaces
/// (an empty field, a `javascript:` link).
pub(crate) fn web_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"))?;
    let host_ok = rest.split('/').next().is_some_and(|h| !h.is_empty());
    (host_ok && !url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>')))
        .then(|| url.to_string())
}

/// The UTC date of a timestamp like `2025-10-24T02:14:45.526Z` or
/// `2016-10-09T00:00:00-04:00`, or of a plain date `2025-10-24`.
pub(crate) fn date_of(text: &str) -> Option<Date> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(jiff::tz::TimeZone::UTC.to_datetime(ts).date());
    }
    text.parse::<Date>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn hard_wraps_are_unwrapped() {
        assert_eq!(
            one_line("AdaSPEC: Selective Knowledge Distillation for Efficient Speculative\n  Decoders").as_deref(),
            Some("AdaSPEC: Selective Knowledge Distillation for Efficient Speculative Decoders")
        );
        assert_eq!(one_line(" \n "), None);
    }

    #[test]
    fn only_web_links_are_links() {
        assert_eq!(web_url(" https://github.com/a/b ").as_deref(), Some("https://github.com/a/b"));
        assert_eq!(web_url("http://x.org").as_deref(), Some("http://x.org"));
        for bad in ["", "javascript:alert(1)", "https://", "https://a b", "ftp://x.org", "https://x.org/\"><script>"] {
            assert_eq!(web_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_of_timestamps() {
        assert_eq!(date_of("2025-10-24T02:14:45.526Z"), Some(date(2025, 10, 24)));
        assert_eq!(date_of("2016-10-09T23:00:00-04:00"), Some(date(2016, 10, 10)), "taken in UTC");
        assert_eq!(date_of("2025-10-24"), Some(date(2025, 10, 24)));
        assert_eq!(date_of("yesterday"), None);
    }

    #[test]
    fn ranks_count_per_day() {
        let mut ranks = Ranks::default();
        assert_eq!(ranks.next(date(2025, 1, 1)), 1);
        assert_eq!(ranks.next(date(2025, 1, 2)), 1);
        assert_eq!(ranks.next(date(2025, 1, 1)), 2);
    }
}
