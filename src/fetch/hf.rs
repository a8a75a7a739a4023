//! Hugging Face Daily Papers: each day is `GET {hf_api}/daily_papers?date=D`,
//! saved as `content/digests/hf-D.json`, byte for byte as received. A day
//! with no papers (`[]`) is saved too, so it is not asked for again.
//!
//! Paging. Without `limit`, the API answers with at most 50 papers:
//! huggingface_hub's `HfApi.list_daily_papers` (`src/huggingface_hub/hf_api.py`,
//! parameters added in huggingface/huggingface_hub#3585) documents `limit`
//! as "Limit of papers to fetch. Defaults to 50." and `p` as "Page number
//! for pagination. Defaults to 0.", and makes a single request; the Hub's
//! API page (huggingface/hub-docs `docs/hub/api.md`, from
//! huggingface/hub-docs#2065) lists `limit` and `p` ("the page number, for
//! paging through results"). So a client that sends only `date` loses
//! every paper after the 50th of a busy day. Clients that page this API
//! ask for at most 100 per page, so fetch asks for `limit=100`, then the
//! next `p` (0, 1, 2, ...) while a page comes back with 50 papers or more
//! (in case the server caps `limit` at its default) and brings papers not
//! seen yet (in case it ignores `p`). The pages of a day are joined into
//! one list; a day that fits one page (every day so far) is that page,
//! byte for byte.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::Date;

use super::http::Client;
use super::{Change, Days, FetchOptions, FetchReport, SavedDay, describe, printable, save, today};
use crate::error::{Context, Result, bail};
use crate::source::fetched::{self, DailyPage};

/// Papers asked for per request.
pub(super) const PAGE_SIZE: usize = 100;
/// The API's own page size: a page this full may have been cut short.
const API_DEFAULT_PAGE: usize = 50;
/// Pages asked for at most per day.
const MAX_PAGES: usize = 20;
/// The most days one fetch asks for (ten years), so that a mistyped year
/// does not send a million requests.
const MAX_DAYS: i32 = 3660;

/// The UTC hour by which a day's list is complete. In the archive of 283
/// days (2024-05 to 2025-06), every paper was put on its day's list
/// between 21:00 UTC the evening before and 06:20 UTC; so before 07:00 UTC
/// today's list may still grow, and the days fetched by default end
/// yesterday.
pub const DAY_COMPLETE_HOUR: i8 = 7;

/// The last day whose list is complete at `now`.
pub fn last_complete_day(now: Timestamp) -> Date {
    let now = jiff::tz::TimeZone::UTC.to_datetime(now);
    if now.hour() >= DAY_COMPLETE_HOUR { now.date() } else { now.date().yesterday().unwrap_or(now.date()) }
}

/// The days `days` means at `now`, oldest first. New days are those after
/// the newest day saved, with the `refresh` newest days saved before them,
/// which are asked for again: a list is complete in the morning, but its
/// upvotes keep coming for a day or two.
pub(super) fn days(days: Days, digests: &Path, now: Timestamp, refresh: u32) -> Result<Vec<Date>> {
    let last = last_complete_day(now);
    let mut again = Vec::new();
    let (first, end) = match days {
        Days::On(date) => (date, date),
        Days::Range { since, until } => (since, until.unwrap_or(last)),
        Days::New => {
            let saved = saved_days(digests)?;
            again = saved[saved.len().saturating_sub(refresh as usize)..].to_vec();
            match saved.last() {
                Some(&newest) => (newest.tomorrow().unwrap_or(newest), last),
                None => (last, last),
            }
        }
    };
    let today = today(now);
    for day in [first, end] {
        if !(1000..=9999).contains(&day.year()) {
            bail!("{day} is not a Daily Papers day: give a date between 1000-01-01 and {today}");
        }
    }
    if end > today {
        bail!("{end} is after today ({today} in UTC): there is no Daily Papers list for it yet");
    }
    if first > end && days != Days::New {
        match days {
            Days::Range { until: None, .. } => bail!(
                "the list of {first} is not complete before {DAY_COMPLETE_HOUR:02}:00 UTC: pass `--until {first}` or `--date {first}` to fetch it as it is now"
            ),
            _ => bail!("`--since {first}` is after `--until {end}`"),
        }
    }
    let span = first.until(end).map_or(0, |span| span.get_days());
    if span >= MAX_DAYS {
        bail!("{first} to {end} is {} days: fetch at most {MAX_DAYS} days at a time", span + 1);
    }
    let mut out = again;
    let mut day = first;
    while day <= end {
        out.push(day);
        day = day.tomorrow().context("a date after 9999-12-31")?;
    }
    Ok(out)
}

/// The days saved as `hf-YYYY-MM-DD.json` in `digests`, oldest first.
fn saved_days(digests: &Path) -> Result<Vec<Date>> {
    let entries = match std::fs::read_dir(digests) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("failed to list `{}`", digests.display())),
    };
    let mut saved = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("failed to list `{}`", digests.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let date = name.strip_prefix("hf-").and_then(|n| n.strip_suffix(".json")).and_then(|d| d.parse::<Date>().ok());
        saved.extend(date);
    }
    saved.sort();
    Ok(saved)
}

/// Fetches `days` in order. The first day that fails ends the source:
/// the days after it are not fetched, so that the next fetch, which starts
/// after the newest day saved, cannot leave a hole.
pub(super) fn fetch(
    api: &str,
    days: &[Date],
    digests: &Path,
    options: &FetchOptions,
    report: &mut FetchReport,
    progress: &dyn Fn(&str),
) -> Result<()> {
    let client = Client::new(options.policy.clone(), Duration::ZERO);
    for &date in days {
        let (bytes, papers) = match fetch_day(&client, api, date, options.paging.hf, progress) {
            Ok(day) => day,
            Err(message) => {
                report.failures.push(message);
                return Ok(());
            }
        };
        let path = digests.join(format!("hf-{date}.json"));
        let change = save(&path, &bytes)?;
        let what = match change {
            Change::New => "saved",
            Change::Updated => "updated",
            Change::Unchanged => "unchanged",
        };
        progress(&format!("Daily Papers {date}: {papers} paper{} ({what})", if papers == 1 { "" } else { "s" }));
        report.days.push(SavedDay { date, papers, path, change });
    }
    Ok(())
}

/// The bytes to save for `date` and its number of papers; `Err` is the
/// message of what failed.
fn fetch_day(
    client: &Client,
    api: &str,
    date: Date,
    limit: usize,
    progress: &dyn Fn(&str),
) -> Result<(Vec<u8>, usize), String> {
    let mut pages: Vec<(Vec<u8>, DailyPage)> = Vec::new();
    let mut seen = HashSet::new();
    for p in 0..MAX_PAGES {
        let url = format!("{}/daily_papers?date={date}&limit={limit}&p={p}", api.trim_end_matches('/'));
        let body = client.get(&url).map_err(|e| describe(&e))?;
        let page = fetched::daily_papers(&body, date)
            .map_err(|why| format!("GET {}: not saved: {}", printable(&url), printable(&why)))?;
        let text = String::from_utf8_lossy(&body);
        let fresh = page
            .items
            .iter()
            .filter(|(id, range)| seen.insert(id.clone().unwrap_or_else(|| text[range.clone()].to_string())))
            .count();
        if p > 0 {
            progress(&format!("Daily Papers {date}, page {}: {} papers", p + 1, page.items.len()));
            // A page of papers already seen: the server ignores `p`.
            if fresh == 0 {
                break;
            }
        }
        let full = page.items.len() >= limit.min(API_DEFAULT_PAGE);
        pages.push((body, page));
        if !full {
            break;
        }
    }
    join(pages, date)
}

/// One file for a day's pages: the only page with papers as it came, or
/// the papers of every page, each once, in order.
fn join(pages: Vec<(Vec<u8>, DailyPage)>, date: Date) -> Result<(Vec<u8>, usize), String> {
    let with_papers = pages.iter().filter(|(_, page)| !page.items.is_empty()).count();
    if with_papers <= 1 {
        let index = pages.iter().position(|(_, page)| !page.items.is_empty()).unwrap_or(0);
        let (body, page) = pages.into_iter().nth(index).expect("fetch_day asks for at least one page");
        return Ok((body, page.papers));
    }
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    for (body, page) in &pages {
        let text = std::str::from_utf8(body).expect("a checked page is UTF-8");
        for (id, range) in &page.items {
            let item = &text[range.clone()];
            if seen.insert(id.clone().unwrap_or_else(|| item.to_string())) {
                items.push(item);
            }
        }
    }
    let list = fetched::daily_list(items);
    let papers = fetched::daily_papers(list.as_bytes(), date)
        .map_err(|why| format!("the pages of {date} do not join: {why}"))?
        .papers;
    Ok((list.into_bytes(), papers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_complete_from_seven_utc() {
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        assert_eq!(last_complete_day(at("2025-10-24T06:59:00Z")).to_string(), "2025-10-23");
        assert_eq!(last_complete_day(at("2025-10-24T07:00:00Z")).to_string(), "2025-10-24");
    }

    #[test]
    fn new_days_ask_again_for_the_newest_saved_ones() {
        let dir = tempfile::tempdir().unwrap();
        for day in ["2025-10-17", "2025-10-20", "2025-10-21"] {
            std::fs::write(dir.path().join(format!("hf-{day}.json")), "[]").unwrap();
        }
        let now: Timestamp = "2025-10-23T08:00:00Z".parse().unwrap();
        let shown = |refresh| {
            days(Days::New, dir.path(), now, refresh).unwrap().iter().map(Date::to_string).collect::<Vec<_>>()
        };
        assert_eq!(shown(0), ["2025-10-22", "2025-10-23"], "only the days not saved");
        assert_eq!(shown(2), ["2025-10-20", "2025-10-21", "2025-10-22", "2025-10-23"], "and the two newest saved");
        assert_eq!(
            shown(5).first().map(String::as_str),
            Some("2025-10-17"),
            "saved days only, never a day not asked for"
        );
        let early: Timestamp = "2025-10-22T05:00:00Z".parse().unwrap();
        let again = days(Days::New, dir.path(), early, 1).unwrap();
        assert_eq!(again, [jiff::civil::date(2025, 10, 21)], "nothing new yet: the newest saved day, again");
    }

    #[test]
    fn ranges_are_checked_before_anything_is_asked() {
        let now: Timestamp = "2025-10-24T08:00:00Z".parse().unwrap();
        let none = Path::new("/nonexistent/digests");
        let since = |y, m, d| Days::Range { since: jiff::civil::date(y, m, d), until: None };
        let message = |d| format!("{:#}", days(d, none, now, 3).unwrap_err());
        assert_eq!(days(since(2025, 10, 20), none, now, 3).unwrap().len(), 5);
        assert_eq!(days(Days::New, none, now, 3).unwrap().len(), 1, "nothing saved: the last complete day");
        assert_eq!(
            message(since(1025, 1, 1)),
            "1025-01-01 to 2025-10-24 is 365540 days: fetch at most 3660 days at a time"
        );
        assert!(message(since(-1, 1, 1)).starts_with("-000001-01-01 is not a Daily Papers day"));
        let backwards =
            Days::Range { since: jiff::civil::date(2025, 10, 2), until: Some(jiff::civil::date(2025, 10, 1)) };
        assert_eq!(message(backwards), "`--since 2025-10-02` is after `--until 2025-10-01`");
        let early: Timestamp = "2025-10-24T05:00:00Z".parse().unwrap();
        let err = format!("{:#}", days(since(2025, 10, 24), none, early, 3).unwrap_err());
        assert!(err.starts_with("the list of 2025-10-24 is not complete before 07:00 UTC"), "{err}");
    }
}
