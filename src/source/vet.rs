//! What every imported record is before it becomes a paper: control
//! characters gone from every field, links that are web links, dates in
//! the years a site can show, and a title a reader can see.
//!
//! Every importer hands each record it makes to [`vet`], with the place it
//! starts in the input, so a record that cannot be a paper is skipped with
//! a clear error (and the records after it still import) instead of
//! becoming a page that breaks every later build.

use std::borrow::Cow;
use std::path::Path;

use super::preview;
use crate::clean::{clean_block, clean_line};
use crate::error::ImportError;
use crate::links;
use crate::paper::{self, Paper};

fn clean(field: &mut String) {
    if let Cow::Owned(clean) = clean_line(field) {
        *field = clean;
    }
}

fn clean_option(field: &mut Option<String>) {
    if let Some(text) = field {
        clean(text);
    }
    if field.as_deref().is_some_and(str::is_empty) {
        *field = None;
    }
}

fn clean_list(list: &mut Vec<String>) {
    list.iter_mut().for_each(clean);
    list.retain(|s| !s.is_empty());
}

/// Strings anywhere in a TOML value, cleaned as paragraphs.
fn clean_value(value: &mut toml::Value) {
    match value {
        toml::Value::String(s) => {
            if let Cow::Owned(clean) = clean_block(s) {
                *s = clean;
            }
        }
        toml::Value::Array(items) => items.iter_mut().for_each(clean_value),
        toml::Value::Table(table) => table.iter_mut().for_each(|(_, v)| clean_value(v)),
        _ => {}
    }
}

/// Removes control characters from every field of `paper` and drops
/// links that are not web links.
pub(crate) fn clean_fields(paper: &mut Paper) {
    clean(&mut paper.id);
    clean(&mut paper.title);
    for list in [&mut paper.authors, &mut paper.topics, &mut paper.ai_keywords, &mut paper.categories] {
        clean_list(list);
    }
    for field in [
        &mut paper.ai_summary,
        &mut paper.primary_category,
        &mut paper.doi,
        &mut paper.journal_ref,
        &mut paper.comment,
        &mut paper.source,
    ] {
        clean_option(field);
    }
    for link in [&mut paper.arxiv, &mut paper.pdf, &mut paper.project] {
        if link.as_deref().is_some_and(|url| !links::is_web_url(url)) {
            *link = None;
        }
    }
    paper.code.retain(|url| links::is_web_url(url));
    if paper.doi.as_deref().is_some_and(|doi| !links::is_doi(doi)) {
        paper.doi = None;
    }
    if let Cow::Owned(body) = clean_block(&paper.body) {
        paper.body = body;
    }
    // A page keeps no white space at the end of its body (an abstract of
    // only `\,`, a thin space, is no abstract).
    paper.body.truncate(paper.body.trim_end().len());
    paper.extra.iter_mut().for_each(|(_, v)| clean_value(v));
}

/// Whether a title shows anything once its TeX is read: a character that
/// is neither white space nor invisible.
pub fn shows_text(title: &str) -> bool {
    crate::math::plain_text(title).chars().any(|c| !c.is_whitespace() && !c.is_control() && !links::is_format(c))
}

/// The longest title a record may have, in characters: ten times the
/// longest title of a year of Daily Papers. A longer one is broken or
/// hostile input, and would be repeated on every page that lists it.
pub const MAX_TITLE_CHARS: usize = 2_000;

/// The longest author name or AI keyword a record may have, in characters.
pub const MAX_NAME_CHARS: usize = 300;

/// `paper` cleaned ([`clean_fields`]) and checked: a safe id, a title that
/// shows and is not longer than [`MAX_TITLE_CHARS`], author names and AI
/// keywords not longer than [`MAX_NAME_CHARS`], every date in
/// [`paper::YEARS`]. `Err` says why the record at
/// `line` (and `column`) of `path` cannot be a paper.
pub(crate) fn vet(mut paper: Paper, path: &Path, line: usize, column: Option<usize>) -> Result<Paper, ImportError> {
    clean_fields(&mut paper);
    let error = |why: String| {
        let label = preview(&paper.title);
        let message = format!("the paper \"{label}\" was skipped: {why}");
        match column {
            Some(column) => ImportError::at_column(path, line, column, message),
            None => ImportError::at(path, line, message),
        }
    };
    if paper::validate_id(&paper.id).as_deref() != Some(paper.id.as_str()) {
        return Err(error(format!("`{}` cannot be a paper id", paper.id)));
    }
    if !shows_text(&paper.title) {
        return Err(error("its title shows no text once its TeX is read (a title needs a visible character)".into()));
    }
    let title_chars = paper.title.chars().count();
    if title_chars > MAX_TITLE_CHARS {
        return Err(error(format!(
            "its title is {title_chars} characters long, and a title has at most {MAX_TITLE_CHARS} (is an abstract in the title field?)"
        )));
    }
    for (what, list) in [("author", &paper.authors), ("AI keyword", &paper.ai_keywords)] {
        if let Some((n, chars)) =
            list.iter().map(|s| s.chars().count()).enumerate().find(|&(_, chars)| chars > MAX_NAME_CHARS)
        {
            return Err(error(format!(
                "its {what} {} is {chars} characters long, and one has at most {MAX_NAME_CHARS}",
                n + 1
            )));
        }
    }
    if paper.days.is_empty() {
        return Err(error("it has no digest day".into()));
    }
    let out_of_range = |d: jiff::civil::Date| paper::checked_date(d).is_none();
    if let Some(day) = paper.dates().find(|&d| out_of_range(d)) {
        return Err(error(format!("its digest day {day} is outside the years 1000 to 9999")));
    }
    if let Some(day) = paper.published.filter(|&d| out_of_range(d)) {
        return Err(error(format!("its publication date {day} is outside the years 1000 to 9999")));
    }
    Ok(paper)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paper::Listing;
    use jiff::civil::date;

    fn paper(title: &str) -> Paper {
        Paper {
            id: paper::slug_id(title),
            title: title.into(),
            days: vec![Listing::new(date(2025, 8, 6), Some(1))],
            ..Paper::default()
        }
    }

    #[test]
    fn control_characters_leave_every_field() {
        let mut p = paper("A\u{1}B\ttitle");
        p.authors = vec!["Ann\u{1b}[2J Lee".into(), "\u{7}".into()];
        p.comment = Some("12\u{0}pages".into());
        p.source = Some("a\n+++\nb.json".into());
        p.body = "Para\u{1}graph.\n\nNext\u{b}one.".into();
        p.code = vec!["https://github.com/a/b".into(), "https://x.org/\u{1}".into()];
        clean_fields(&mut p);
        assert_eq!(p.title, "A B title");
        assert_eq!(p.authors, ["Ann [2J Lee"]);
        assert_eq!(p.comment.as_deref(), Some("12 pages"));
        assert_eq!(p.source.as_deref(), Some("a +++ b.json"));
        assert_eq!(p.body, "Para graph.\n\nNext one.");
        assert_eq!(p.code, ["https://github.com/a/b"]);
    }

    #[test]
    fn issue_12_a_title_that_shows_nothing_is_a_record_error() {
        for title in ["\\,", "\u{2009}", "\u{200b}\u{202e}", "$\\,$"] {
            let title = crate::tex::to_unicode(title);
            let err = vet(paper(&title), Path::new("d.txt"), 4, None).unwrap_err();
            assert!(err.to_string().starts_with("`d.txt` line 4: the paper"), "{err}");
            assert!(err.message.contains("shows no text"), "{err}");
        }
        assert!(vet(paper("$x$"), Path::new("d.txt"), 1, None).is_ok());
    }

    #[test]
    fn issue_12_huge_titles_authors_and_keywords_are_record_errors() {
        let long = "word ".repeat(20_000).trim_end().to_string();
        let err = vet(paper(&long), Path::new("d.json"), 7, Some(3)).unwrap_err();
        assert!(err.to_string().starts_with("`d.json` line 7, column 3: the paper \"word word"), "{err}");
        assert!(err.message.contains("its title is 99999 characters long, and a title has at most 2000"), "{err}");
        let mut p = paper("A paper");
        p.authors = vec!["Ann Lee".into(), "x".repeat(400)];
        let err = vet(p, Path::new("d.json"), 1, None).unwrap_err();
        assert!(err.message.ends_with("its author 2 is 400 characters long, and one has at most 300"), "{err}");
        let mut p = paper("A paper");
        p.ai_keywords = vec!["k".repeat(301)];
        assert!(vet(p, Path::new("d.json"), 1, None).unwrap_err().message.contains("its AI keyword 1 is 301"));
        let mut p = paper(&"t".repeat(MAX_TITLE_CHARS));
        p.authors = vec!["a".repeat(MAX_NAME_CHARS)];
        assert!(vet(p, Path::new("d.json"), 1, None).is_ok());
    }

    #[test]
    fn issue_12_dates_outside_four_digit_years_are_record_errors() {
        let mut p = paper("A paper");
        p.days = vec![Listing::new(date(-1, 1, 1), None)];
        let err = vet(p, Path::new("d.json"), 2, Some(5)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`d.json` line 2, column 5: the paper \"A paper\" was skipped: its digest day -000001-01-01 is outside the years 1000 to 9999"
        );
        let mut p = paper("A paper");
        p.published = Some(date(999, 1, 1));
        assert!(vet(p, Path::new("d.xml"), 1, None).unwrap_err().message.contains("publication date 0999-01-01"));
    }
}
