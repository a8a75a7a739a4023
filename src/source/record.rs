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

/// Text with runs of whitespace (arXiv's hard wraps) made single spaces
/// and control characters removed; `None` when nothing is left.
pub(crate) fn one_line(text: &str) -> Option<String> {
    let line = crate::clean::collapse(text);
    (!line.is_empty()).then_some(line)
}

pub(crate) use crate::links::web_url;

/// The UTC date of a timestamp like `2025-10-24T02:14:45.526Z` or
/// `2016-10-09T00:00:00-04:00`, or of a plain date `2025-10-24`; `None`
/// for anything else, and for a date outside the years a site can show
/// ([`crate::paper::checked_date`]).
pub(crate) fn date_of(text: &str) -> Option<Date> {
    any_date_of(text).and_then(crate::paper::checked_date)
}

fn any_date_of(text: &str) -> Option<Date> {
    let text = text.trim();
    match text.parse::<jiff::Timestamp>() {
        Ok(ts) => Some(jiff::tz::TimeZone::UTC.to_datetime(ts).date()),
        Err(_) => text.parse::<Date>().ok(),
    }
}

/// Whether `text` is a date, but one outside the years a site can show:
/// a record error, where a text that is no date at all is only ignored.
pub(crate) fn is_out_of_range(text: &str) -> bool {
    any_date_of(text).is_some_and(|d| crate::paper::checked_date(d).is_none())
}

/// The message for a date field outside the years a site can show.
pub(crate) fn out_of_range_message(field: &str, text: &str) -> String {
    format!("`{field}` is `{}`, outside the years 1000 to 9999", text.trim())
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
        assert_eq!(one_line(" Leading and  inner\u{1}space ").as_deref(), Some("Leading and inner space"));
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
        assert_eq!(date_of("-000001-01-01T00:00:00Z"), None, "issue 12: a negative year is no date");
        assert_eq!(date_of("0999-12-31"), None);
        assert_eq!(date_of("9999-12-31"), Some(date(9999, 12, 31)));
    }

    #[test]
    fn ranks_count_per_day() {
        let mut ranks = Ranks::default();
        assert_eq!(ranks.next(date(2025, 1, 1)), 1);
        assert_eq!(ranks.next(date(2025, 1, 2)), 1);
        assert_eq!(ranks.next(date(2025, 1, 1)), 2);
    }
}
