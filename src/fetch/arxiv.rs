//! arXiv searches: `GET {arxiv_api}/query?search_query=Q` sorted by
//! submission date, newest first, paged with `start` and `max_results`,
//! one request every 3 seconds as the arXiv API's terms ask. Paging stops
//! at the first page that holds a paper the site already has (the ones
//! after it are older), at the end of the results, or at `max` new papers.
//!
//! The new entries are saved, as the API sent them, in one feed:
//! `content/digests/arxiv-<today>-<query slug>.xml` (the papers appear on
//! that day); a second fetch on the same day adds its new entries to it.
//! Entries the site has are left out, so no paper is listed again on a day
//! it was not new.

use std::collections::HashSet;
use std::time::Duration;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::http::{Client, Policy};
use super::{FetchOptions, FetchReport, SavedQuery, describe, printable, save, today};
use crate::config::Site;
use crate::error::{Result, read_text};
use crate::source::fetched::{self, ArxivPage};
use crate::{content, links, source};

/// Entries asked for per request.
pub(super) const PAGE_SIZE: usize = 100;
/// New papers saved per search when its source says no `max`.
pub const DEFAULT_MAX: usize = 100;
/// The least time between two requests, as arXiv asks.
pub const INTERVAL: Duration = Duration::from_secs(3);

/// Fetches the new papers of `query`, at most `max`, into today's file.
pub(super) fn fetch(
    site: &Site,
    query: &str,
    max: usize,
    options: &FetchOptions,
    report: &mut FetchReport,
    progress: &dyn Fn(&str),
) -> Result<()> {
    let known = known_ids(site)?;
    let client = Client::new(options.policy.clone(), INTERVAL);
    let search = Search { client: &client, api: &site.config.fetch.arxiv_api, query, policy: &options.policy };
    let (head, entries) = match search.new_entries(max, options.paging.arxiv, &known, progress) {
        Ok(found) => found,
        Err(message) => {
            report.failures.push(message);
            return Ok(());
        }
    };
    if entries.is_empty() {
        progress(&format!("arXiv `{}`: nothing new", printable(query)));
        report.queries.push(SavedQuery { query: query.to_string(), papers: 0, path: None });
        return Ok(());
    }
    let path = site.content_dir.join("digests").join(format!("arxiv-{}-{}.xml", today(options.now), slug(query)));
    let mut all: Vec<String> = entries.clone();
    let mut head = head;
    if path.exists() {
        let old = read_text(&path)?;
        let page = fetched::arxiv_page(old.as_bytes()).map_err(|why| {
            crate::error::anyhow!(
                "`{}` is there already but is not an arXiv feed ({why}): move it away, then fetch again",
                path.display()
            )
        })?;
        head = old[..page.head_end].to_string();
        all.extend(page.entries.iter().map(|(_, range)| old[range.clone()].to_string()));
    }
    let feed = fetched::arxiv_feed(&head, all.iter().map(String::as_str));
    fetched::arxiv_page(feed.as_bytes())
        .map_err(|why| crate::error::anyhow!("the entries of `{query}` do not make a feed: {why}"))?;
    save(&path, feed.as_bytes())?;
    report.queries.push(SavedQuery { query: query.to_string(), papers: entries.len(), path: Some(path) });
    Ok(())
}

/// The arXiv ids of every paper the site has: in its digests and its pages.
fn known_ids(site: &Site) -> Result<HashSet<String>> {
    let mut ids = HashSet::new();
    for file in content::digest_files(&site.content_dir.join("digests"))? {
        if let Ok(parsed) = source::parse_file(&file, None, None) {
            ids.extend(parsed.papers.into_iter().filter_map(|p| links::normalize_arxiv_id(&p.id)));
        }
    }
    for id in content::paper_page_paths(&site.content_dir.join("papers"))?.into_keys() {
        ids.extend(links::normalize_arxiv_id(&id));
    }
    Ok(ids)
}

/// One search, request by request.
struct Search<'a> {
    client: &'a Client,
    api: &'a str,
    query: &'a str,
    policy: &'a Policy,
}

impl Search<'_> {
    /// The header of the first page and the new entries, newest first.
    fn new_entries(
        &self,
        max: usize,
        page_size: usize,
        known: &HashSet<String>,
        progress: &dyn Fn(&str),
    ) -> Result<(String, Vec<String>), String> {
        let (mut head, mut entries, mut seen, mut start) = (None, Vec::new(), HashSet::new(), 0);
        loop {
            let asked = page_size.min(max - entries.len());
            let (body, page) = self.page(start, asked)?;
            let text = String::from_utf8(body).expect("a checked page is UTF-8");
            head.get_or_insert_with(|| text[..page.head_end].to_string());
            let mut reached_known = false;
            let before = entries.len();
            for (id, range) in &page.entries {
                match id {
                    Some(id) if known.contains(id) => reached_known = true,
                    Some(id) if !seen.insert(id.clone()) => {}
                    _ if entries.len() < max => entries.push(text[range.clone()].to_string()),
                    _ => {}
                }
            }
            let got = page.entries.len();
            progress(&format!(
                "arXiv `{}`: results {}-{}, {} new",
                printable(self.query),
                start + 1,
                start + got,
                entries.len() - before
            ));
            start += got;
            let end = got < asked || page.total.is_some_and(|total| start >= total);
            if reached_known || end || entries.len() >= max {
                return Ok((head.unwrap_or_default(), entries));
            }
        }
    }

    /// One checked page of results from `start`. arXiv sometimes answers
    /// with no entries though it has more; such a page is asked for again.
    fn page(&self, start: usize, asked: usize) -> Result<(Vec<u8>, ArxivPage), String> {
        let url = format!(
            "{}/query?search_query={}&sortBy=submittedDate&sortOrder=descending&start={start}&max_results={asked}",
            self.api.trim_end_matches('/'),
            utf8_percent_encode(self.query, NON_ALPHANUMERIC)
        );
        let mut tries = 0;
        loop {
            tries += 1;
            let body = self.client.get(&url).map_err(|e| describe(&e))?;
            let page = fetched::arxiv_page(&body)
                .map_err(|why| format!("GET {}: not saved: {}", printable(&url), printable(&why)))?;
            let missing = page.entries.is_empty() && page.total.is_some_and(|total| total > start);
            if !missing {
                return Ok((body, page));
            }
            if tries >= self.policy.tries {
                return Err(format!(
                    "GET {}: arXiv sent no results from {start} though it reports {} (after {tries} tries): try again later",
                    printable(&url),
                    page.total.unwrap_or_default()
                ));
            }
            (self.policy.sleep)(self.policy.backoff.saturating_mul(1 << (tries - 1)));
        }
    }
}

/// The file name part for a query: a slug of at most 60 characters.
fn slug(query: &str) -> String {
    let slug = slug::slugify(query);
    let mut cut = slug.as_str();
    if cut.len() > 60 {
        cut = &cut[..60];
        cut = cut.rfind('-').map_or(cut, |p| &cut[..p]);
    }
    if cut.is_empty() { "search".into() } else { cut.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_make_short_file_names() {
        assert_eq!(slug("cat:cs.CL AND abs:unlearning"), "cat-cs-cl-and-abs-unlearning");
        assert_eq!(slug("???"), "search");
        let long = slug(&"unlearning ".repeat(20));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
    }
}
