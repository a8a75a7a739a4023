//! `paperpress fetch`: downloads new inputs into `content/digests/`, where
//! `build` and `import` read them: Hugging Face Daily Papers days ([`hf`])
//! and arXiv searches ([`arxiv`]), through one HTTP policy ([`http`]).
//!
//! A body is saved only once `source::fetched` has read it as a digest of
//! its kind; an error status or an error body never is. Files are written
//! atomically, so an interrupted fetch leaves no partial file. A source
//! that fails is reported with the URL and the status, and the others go
//! on; what was saved stays. Fetching knows nothing of rendering.

pub mod arxiv;
pub mod hf;
pub mod http;

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;

pub use http::{HttpError, Policy, USER_AGENT};

use crate::config::{FetchConfig, FetchSource, Site, SourceKind};
use crate::error::{Result, bail, write_atomic};

/// What to fetch.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Every `[[fetch.sources]]` of `site.toml`.
    Sources,
    /// Daily Papers days.
    Hf(Days),
    /// An arXiv search, or (without a query) every arXiv source.
    Arxiv {
        /// The search; `None` for the `kind = "arxiv"` sources.
        query: Option<String>,
        /// Most new papers to save; `None` for the source's `max` (100).
        max: Option<usize>,
    },
}

/// Which Daily Papers days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Days {
    /// The days after the newest one saved, through the last complete day.
    New,
    /// One day.
    On(Date),
    /// From `since` through `until` (default: the last complete day).
    Range {
        /// The first day.
        since: Date,
        /// The last day.
        until: Option<Date>,
    },
}

/// Results per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// Papers asked for per Daily Papers request (`limit`). Default: 100.
    pub hf: usize,
    /// Entries asked for per arXiv request (`max_results`). Default: 100.
    pub arxiv: usize,
}

impl Default for Paging {
    fn default() -> Self {
        Paging { hf: hf::PAGE_SIZE, arxiv: arxiv::PAGE_SIZE }
    }
}

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// What to fetch.
    pub request: Request,
    /// The present moment: it decides "today" (in UTC) and the last complete day.
    pub now: Timestamp,
    /// Timeouts, retries and waits.
    pub policy: Policy,
    /// Results per request.
    pub paging: Paging,
}

/// What happened to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Written for the first time.
    New,
    /// Rewritten with what the API says now.
    Updated,
    /// Already held exactly that.
    Unchanged,
}

/// One Daily Papers day saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedDay {
    /// The day.
    pub date: Date,
    /// Papers listed that day.
    pub papers: usize,
    /// The file.
    pub path: PathBuf,
    /// What happened to it.
    pub change: Change,
}

/// One arXiv search fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedQuery {
    /// The search.
    pub query: String,
    /// New papers saved.
    pub papers: usize,
    /// The file they were saved in; `None` when nothing was new.
    pub path: Option<PathBuf>,
}

/// What a fetch did.
#[derive(Debug, Default)]
pub struct FetchReport {
    /// Daily Papers days, in date order.
    pub days: Vec<SavedDay>,
    /// arXiv searches, in the order fetched.
    pub queries: Vec<SavedQuery>,
    /// What failed, one message each, with the URL and the status.
    pub failures: Vec<String>,
    /// Sources that had nothing to fetch, and why.
    pub notes: Vec<String>,
}

impl FetchReport {
    /// What was fetched, one line per source; paths relative to `root`.
    pub fn summary(&self, root: &Path) -> Vec<String> {
        let show = |path: &Path| path.strip_prefix(root).unwrap_or(path).display().to_string();
        let mut lines = self.notes.clone();
        if !self.days.is_empty() {
            let count = |change| self.days.iter().filter(|d| d.change == change).count();
            let papers: usize = self.days.iter().map(|d| d.papers).sum();
            let empty = self.days.iter().filter(|d| d.papers == 0).count();
            let (first, last) = (self.days[0].date, self.days[self.days.len() - 1].date);
            let span = if first == last { first.to_string() } else { format!("{first} to {last}") };
            let folder = self.days[0].path.parent().map(show).unwrap_or_default();
            lines.push(format!(
                "Daily Papers {span}: {} day{} in {folder}/ ({} new, {} updated, {} unchanged), {papers} paper{}, {empty} day{} without papers",
                self.days.len(),
                plural(self.days.len()),
                count(Change::New),
                count(Change::Updated),
                count(Change::Unchanged),
                plural(papers),
                plural(empty),
            ));
        }
        for query in &self.queries {
            let query_text = printable(&query.query);
            lines.push(match &query.path {
                Some(path) => format!(
                    "arXiv `{query_text}`: {} new paper{} in {}",
                    query.papers,
                    plural(query.papers),
                    show(path)
                ),
                None => format!("arXiv `{query_text}`: nothing new"),
            });
        }
        lines
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Fetches what `options` asks into `site`'s `content/digests/`.
/// `progress` gets one line per day or page fetched. Network failures are
/// in the report; `Err` is for what stops everything (a date in the
/// future, no sources, a file that cannot be written).
pub fn fetch(site: &Site, options: &FetchOptions, progress: &dyn Fn(&str)) -> Result<FetchReport> {
    let digests = site.content_dir.join("digests");
    let mut report = FetchReport::default();
    for job in jobs(&options.request, &site.config.fetch)? {
        match job {
            Job::Hf(days) => {
                let dates = hf::days(days, &digests, options.now, site.config.fetch.refresh_days)?;
                if dates.is_empty() {
                    let last = hf::last_complete_day(options.now);
                    report.notes.push(format!(
                        "Daily Papers: nothing new to fetch (saved through {last}; the next list is complete at {:02}:00 UTC)",
                        hf::DAY_COMPLETE_HOUR
                    ));
                }
                hf::fetch(&site.config.fetch.hf_api, &dates, &digests, options, &mut report, progress)?;
            }
            Job::Arxiv(query, max) => arxiv::fetch(site, &query, max, options, &mut report, progress)?,
        }
    }
    Ok(report)
}

/// The sources `request` names, with `fetch`'s settings.
fn jobs(request: &Request, fetch: &FetchConfig) -> Result<Vec<Job>> {
    let arxiv = |source: &FetchSource, max: Option<usize>| {
        Job::Arxiv(source.query.clone(), max.or(source.max).unwrap_or(arxiv::DEFAULT_MAX))
    };
    Ok(match request {
        Request::Sources if fetch.sources.is_empty() => bail!(
            "`site.toml` has no `[[fetch.sources]]`: add one, like `[[fetch.sources]]` with `kind = \"hf\"`, or run `paperpress fetch hf`"
        ),
        Request::Sources => fetch
            .sources
            .iter()
            .map(|source| match source.kind {
                SourceKind::Hf => Job::Hf(Days::New),
                SourceKind::Arxiv => arxiv(source, None),
            })
            .collect(),
        Request::Hf(days) => vec![Job::Hf(*days)],
        Request::Arxiv { query: Some(query), max } => {
            vec![Job::Arxiv(query.clone(), max.unwrap_or(arxiv::DEFAULT_MAX))]
        }
        Request::Arxiv { query: None, max } => {
            let jobs: Vec<Job> =
                fetch.sources.iter().filter(|s| s.kind == SourceKind::Arxiv).map(|s| arxiv(s, *max)).collect();
            if jobs.is_empty() {
                bail!(
                    "`site.toml` has no `[[fetch.sources]]` with `kind = \"arxiv\"`: pass `--query`, like `paperpress fetch arxiv --query 'cat:cs.CL'`"
                );
            }
            jobs
        }
    })
}

/// One source to fetch.
enum Job {
    Hf(Days),
    Arxiv(String, usize),
}

/// Saves `bytes` as `path` unless it holds them already.
fn save(path: &Path, bytes: &[u8]) -> Result<Change> {
    let change = match std::fs::read(path) {
        Ok(old) if old == bytes => return Ok(Change::Unchanged),
        Ok(_) => Change::Updated,
        Err(_) => Change::New,
    };
    write_atomic(path, bytes)?;
    Ok(change)
}

/// The message for a request that failed: the error, with what the server
/// said in its body, made safe to print.
fn describe(error: &HttpError) -> String {
    let said = crate::source::fetched::error_message(&error.body).map(|m| format!(": {}", printable(&m)));
    format!("{}{}", printable(&error.to_string()), said.unwrap_or_default())
}

/// Text from a server made safe for a terminal: control characters and
/// bidirectional overrides become `\u{..}` escapes, and a long text is cut.
pub fn printable(text: &str) -> String {
    const MAX_CHARS: usize = 500;
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX_CHARS {
            out.push('…');
            break;
        }
        let bidi = crate::clean::is_bidi_control(c) || matches!(c, '\u{200e}' | '\u{200f}');
        if c.is_control() || bidi {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Today in UTC.
fn today(now: Timestamp) -> Date {
    jiff::tz::TimeZone::UTC.to_datetime(now).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_cannot_drive_the_terminal() {
        assert_eq!(printable("ok \u{1b}[2J\u{7}bye"), "ok \\u{1b}[2J\\u{7}bye");
        assert_eq!(printable("a\u{202e}b\nc"), "a\\u{202e}b\\u{a}c");
        assert_eq!(printable(&"x".repeat(600)).chars().count(), 501);
    }
}
