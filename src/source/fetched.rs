//! What `fetch` downloads, checked before it is saved: a response body must
//! read as a digest of its kind (a Daily Papers list; an arXiv feed without
//! an error entry), so that nothing saved in `content/digests/` breaks a
//! build. Also finds the pieces fetch needs to join pages into one file:
//! the list items and the feed entries, as byte ranges of the body, with
//! their arXiv ids. Pure: bytes in, findings out.

use std::ops::Range;
use std::path::Path;

use jiff::civil::Date;
use quick_xml::Reader;
use quick_xml::events::Event;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{arxiv_atom, hf_api_json};
use crate::error::text_from_bytes;
use crate::links;

/// One page of `GET /daily_papers`, checked.
#[derive(Debug)]
pub struct DailyPage {
    /// Each item: the paper's arXiv id (when it has one) and its bytes in the body.
    pub items: Vec<(Option<String>, Range<usize>)>,
    /// Papers the importer reads from the page.
    pub papers: usize,
}

/// Checks a Daily Papers response body for `date`. `Err` says what is
/// wrong, quoting the API's own error message when the body is one.
pub fn daily_papers(body: &[u8], date: Date) -> Result<DailyPage, String> {
    let name = format!("hf-{date}.json");
    let text = text_from_bytes(Path::new(&name), body.to_vec()).map_err(|e| e.message)?;
    let parsed = hf_api_json::parse(&text, Path::new(&name), Some(date));
    let items: Vec<&RawValue> = match serde_json::from_str(&text) {
        Ok(items) => items,
        // A broken list: the importer's message says where it breaks.
        Err(_) if text.trim_start().starts_with('[') => {
            let problem = match parsed {
                Err(e) => Some(e),
                Ok(parsed) => parsed.skipped.into_iter().last(),
            };
            return Err(problem.map_or_else(|| not_a_list(&text), |e| e.to_string()));
        }
        Err(_) => return Err(not_a_list(&text)),
    };
    let parsed = parsed.map_err(|e| e.to_string())?;
    if parsed.papers.is_empty()
        && let Some(problem) = parsed.skipped.first()
    {
        return Err(format!("none of its {} items is a paper: {problem}", items.len()));
    }
    let items = items
        .iter()
        .map(|raw| {
            let start = raw.get().as_ptr() as usize - text.as_ptr() as usize;
            (item_id(raw), start..start + raw.get().len())
        })
        .collect();
    Ok(DailyPage { items, papers: parsed.papers.len() })
}

/// Why a body that is not a JSON list is not a Daily Papers list.
fn not_a_list(text: &str) -> String {
    #[derive(Deserialize)]
    struct ApiError {
        error: String,
    }
    if let Ok(ApiError { error }) = serde_json::from_str(text) {
        return format!("the API answered with an error: {error}");
    }
    match text.trim_start().chars().next() {
        Some('{') => "expected a list of papers (`[...]`), found one object".into(),
        None => "the response is empty: expected a list of papers (`[...]`)".into(),
        Some(_) => "the response is not JSON: expected a list of papers (`[...]`)".into(),
    }
}

/// The arXiv id of a list item (`{"paper": {"id": ...}}`), if it has one.
fn item_id(raw: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct Item {
        paper: Option<Inner>,
    }
    #[derive(Deserialize)]
    struct Inner {
        id: Option<String>,
    }
    let item: Item = serde_json::from_str(raw.get()).ok()?;
    links::normalize_arxiv_id(&item.paper?.id?)
}

/// The message of an error body: the API's `{"error": ...}`, or an arXiv
/// error entry's summary; `None` for anything else.
pub fn error_message(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    if let Some(message) = not_a_list(text).strip_prefix("the API answered with an error: ") {
        return Some(message.to_string());
    }
    arxiv_page(body).err().filter(|e| e.starts_with("the arXiv API answered"))
}

/// One page of an arXiv API search, checked.
#[derive(Debug)]
pub struct ArxivPage {
    /// Where the first entry starts (or `</feed>`, with none): the feed's
    /// header is the body up to here.
    pub head_end: usize,
    /// Each entry: its arXiv id (when it has one) and its bytes in the body.
    pub entries: Vec<(Option<String>, Range<usize>)>,
    /// `opensearch:totalResults`: how many results the search has in all.
    pub total: Option<usize>,
}

/// Checks an arXiv API response body. `Err` says what is wrong; for an
/// error entry, the arXiv API's own message.
pub fn arxiv_page(body: &[u8]) -> Result<ArxivPage, String> {
    let text = text_from_bytes(Path::new("arxiv.xml"), body.to_vec()).map_err(|e| e.message)?;
    let page = scan_feed(&text)?;
    let parsed = arxiv_atom::parse(&text, Path::new("arxiv.xml"), None).map_err(|e| e.message)?;
    if let Some(error) = parsed.skipped.iter().find(|e| e.message.contains("the arXiv API returned an error")) {
        let why = error.message.rsplit_once("returned an error instead of a paper: ").map_or("", |(_, why)| why);
        return Err(format!("the arXiv API answered with an error: {why}"));
    }
    Ok(page)
}

/// Finds the entries of a feed as byte ranges of `text`, with their ids.
fn scan_feed(text: &str) -> Result<ArxivPage, String> {
    let mut reader = Reader::from_str(text);
    let (mut depth, mut head_end, mut total) = (0usize, None, None);
    let mut entries = Vec::new();
    let mut entry: Option<(usize, Option<String>)> = None;
    let mut in_field = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| format!("the XML is not well-formed: {e}"))?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                depth += 1;
                let local = e.local_name();
                match (depth, local.as_ref()) {
                    (2, "entry") => {
                        head_end.get_or_insert(before);
                        entry = Some((before, None));
                    }
                    (2, "totalResults") => in_field = Some("total"),
                    (3, "id") if entry.is_some() => in_field = Some("id"),
                    _ => {}
                }
            }
            Event::Text(t) => {
                let value = t.xml10_content();
                match (in_field, entry.as_mut()) {
                    (Some("id"), Some((_, id))) => {
                        *id = links::arxiv_id_from_url(&value).or_else(|| links::normalize_arxiv_id(&value))
                    }
                    (Some("total"), _) => total = value.trim().parse().ok(),
                    _ => {}
                }
            }
            Event::End(e) => {
                in_field = None;
                if depth == 2
                    && e.local_name().as_ref() == "entry"
                    && let Some((start, id)) = entry.take()
                {
                    entries.push((id, start..after));
                }
                if depth == 1 {
                    head_end.get_or_insert(before);
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let head_end = head_end.ok_or("the response holds no `<feed>`: expected an arXiv API Atom feed")?;
    Ok(ArxivPage { head_end, entries, total })
}

/// A feed made of `head` (a page's header) and `entries`, one per line.
pub fn arxiv_feed<'a>(head: &str, entries: impl IntoIterator<Item = &'a str>) -> String {
    let mut feed = head.trim_end().to_string();
    for entry in entries {
        feed.push_str("\n  ");
        feed.push_str(entry);
    }
    feed.push_str("\n</feed>\n");
    feed
}

/// A Daily Papers list of the raw `items`, one per line.
pub fn daily_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.into_iter().collect();
    if items.is_empty() {
        return "[]\n".into();
    }
    format!("[\n{}\n]\n", items.join(",\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const FEED: &str = include_str!("../../tests/fixtures/import/arxiv-atom-2016-search.xml");

    #[test]
    fn a_daily_list_is_checked_and_split_into_items() {
        let body = include_bytes!("../../tests/fixtures/import/hf-daily-papers-2025-10-24.json");
        let page = daily_papers(body, date(2025, 10, 24)).unwrap();
        assert_eq!((page.items.len(), page.papers), (18, 18));
        assert_eq!(page.items[0].0.as_deref(), Some("2510.19779"));
        let text = std::str::from_utf8(body).unwrap();
        let joined = daily_list(page.items.iter().map(|(_, r)| &text[r.clone()]));
        assert_eq!(daily_papers(joined.as_bytes(), date(2025, 10, 24)).unwrap().papers, 18);
        assert_eq!(daily_papers(b"[]", date(2025, 10, 25)).unwrap().items.len(), 0);
    }

    #[test]
    fn error_bodies_are_not_lists() {
        let day = date(2025, 10, 24);
        assert_eq!(
            daily_papers(br#"{"error": "Invalid date"}"#, day).unwrap_err(),
            "the API answered with an error: Invalid date"
        );
        assert!(daily_papers(b"<html>busy</html>", day).unwrap_err().contains("not JSON"));
        assert!(daily_papers(b"", day).unwrap_err().contains("empty"));
        assert!(daily_papers(b"[{\"paper\": ", day).is_err(), "a truncated list is not saved");
        let body = include_str!("../../tests/fixtures/import/hf-daily-papers-2025-10-24.json");
        let cut = &body[..body.len() / 2];
        let err = daily_papers(cut.as_bytes(), date(2025, 10, 24)).unwrap_err();
        assert!(err.starts_with("`hf-2025-10-24.json` line ") && err.contains("truncated"), "{err}");
        assert_eq!(error_message(br#"{"error": "Not Found"}"#).as_deref(), Some("Not Found"));
        let err = daily_papers(b"[1, 2]", day).unwrap_err();
        assert!(err.starts_with("`hf-2025-10-24.json` line 1, column 2: this is not Daily Papers JSON"), "{err}");
    }

    #[test]
    fn feed_entries_are_found_with_their_ids() {
        let page = arxiv_page(FEED.as_bytes()).unwrap();
        assert_eq!(page.entries.len(), 10);
        assert_eq!(page.entries[0].0.as_deref(), Some("1201.4869"), "{:?}", page.entries[0]);
        for (_, range) in &page.entries {
            assert!(FEED[range.clone()].starts_with("<entry") && FEED[range.clone()].ends_with("</entry>"));
        }
        let two = arxiv_feed(&FEED[..page.head_end], page.entries[..2].iter().map(|(_, r)| &FEED[r.clone()]));
        let again = arxiv_page(two.as_bytes()).unwrap();
        assert_eq!(again.entries.len(), 2);
        assert_eq!(again.total, page.total);
    }

    #[test]
    fn an_error_entry_is_an_error_with_arxivs_message() {
        let body = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>https://arxiv.org/api/errors#incorrect_id_format_for_abc</id><title>Error</title><summary>incorrect id format for abc</summary></entry></feed>"#;
        assert_eq!(
            arxiv_page(body.as_bytes()).unwrap_err(),
            "the arXiv API answered with an error: incorrect id format for abc"
        );
        assert_eq!(
            error_message(body.as_bytes()).as_deref(),
            Some("the arXiv API answered with an error: incorrect id format for abc")
        );
        assert!(arxiv_page(b"<html><body>busy</body></html>").is_err());
    }
}
