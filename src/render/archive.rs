//! The archive of days, `days/index.html`: a calendar grid per month,
//! grouped by year, newest first, each day with a digest linked and shaded
//! by how many papers it has; and `days/dates.js`, the list of days the
//! day picker jumps between.

use jiff::civil::Date;
use serde::Serialize;

use super::{OutputFile, page_context, render_file};
use crate::error::Result;
use crate::model::{Day, Model};

#[derive(Serialize)]
struct YearView {
    year: i16,
    papers: usize,
    months: Vec<MonthView>,
}

#[derive(Serialize)]
struct MonthView {
    /// `September`.
    name: String,
    /// `2024-09`, the month's anchor.
    id: String,
    papers: usize,
    /// Weeks from Monday to Sunday; `None` pads the first and last.
    weeks: Vec<Vec<Option<Cell>>>,
}

/// A day of a month.
#[derive(Serialize)]
struct Cell {
    day: i8,
    /// Its page, when it has a digest.
    url: Option<String>,
    /// `September 9, 2024: 6 papers`, for the link's accessible name.
    label: String,
    /// Shade, 1 (fewest papers) to 4 (most); 0 without a digest.
    level: u8,
}

/// `days/index.html`.
pub(super) fn archive_page(tera: &tera::Tera, model: &Model, site: &tera::Value) -> Result<OutputFile> {
    let path = "days/index.html";
    let mut ctx = page_context(path);
    ctx.insert_value("site", site.clone());
    ctx.insert("years", &years(&model.days));
    ctx.insert("day_count", &model.days.len());
    render_file(tera, "days.html", path, &ctx)
}

/// `days/dates.js`: every day with a digest, oldest first, as a script
/// (loaded with a `<script>` tag, so it works from `file://`).
pub(super) fn dates_script(model: &Model) -> OutputFile {
    let dates: Vec<String> = model.days.iter().map(|d| d.date.to_string()).collect();
    let json = serde_json::to_string(&dates).expect("strings serialize");
    OutputFile::new("days/dates.js", format!("paperpressDates({json});\n"))
}

/// The days grouped by year and month, newest first.
fn years(days: &[Day]) -> Vec<YearView> {
    let levels = Levels::new(days);
    let mut years: Vec<YearView> = Vec::new();
    let mut at = days.len();
    while at > 0 {
        let first = days[at - 1].date.first_of_month();
        let start = days[..at].partition_point(|d| d.date < first);
        let month = month_view(first, &days[start..at], &levels);
        match years.last_mut() {
            Some(year) if year.year == first.year() => {
                year.papers += month.papers;
                year.months.push(month);
            }
            _ => years.push(YearView { year: first.year(), papers: month.papers, months: vec![month] }),
        }
        at = start;
    }
    years
}

/// The grid of the month starting on `first`, with `days` (its digests).
fn month_view(first: Date, days: &[Day], levels: &Levels) -> MonthView {
    let mut weeks: Vec<Vec<Option<Cell>>> = vec![Vec::new()];
    for _ in 0..first.weekday().to_monday_zero_offset() {
        weeks[0].push(None);
    }
    let mut digests = days.iter().peekable();
    for date in first.series(jiff::ToSpan::days(1)).take_while(|d| d.month() == first.month()) {
        let day = digests.next_if(|d| d.date == date);
        if weeks.last().is_some_and(|w| w.len() == 7) {
            weeks.push(Vec::new());
        }
        weeks.last_mut().expect("a week was pushed").push(Some(cell(date, day, levels)));
    }
    let last = weeks.last_mut().expect("a month has a week");
    last.resize_with(7, || None);
    MonthView {
        name: first.strftime("%B").to_string(),
        id: first.strftime("%Y-%m").to_string(),
        papers: days.iter().map(|d| d.papers.len()).sum(),
        weeks,
    }
}

fn cell(date: Date, day: Option<&Day>, levels: &Levels) -> Cell {
    let long = date.strftime("%B %-d, %Y");
    match day {
        Some(day) => {
            let n = day.papers.len();
            Cell {
                day: date.day(),
                url: Some(format!("{date}.html")),
                label: format!("{long}: {n} paper{}", if n == 1 { "" } else { "s" }),
                level: levels.of(n),
            }
        }
        None => Cell { day: date.day(), url: None, label: format!("{long}: no digest"), level: 0 },
    }
}

/// Shades by rank: a day's shade is the quarter of the site's days it
/// reaches (the share of days with as many papers or fewer), so the busiest
/// days are the darkest and each shade holds about a quarter of the days.
struct Levels(Vec<usize>);

impl Levels {
    fn new(days: &[Day]) -> Levels {
        let mut counts: Vec<usize> = days.iter().map(|d| d.papers.len()).collect();
        counts.sort_unstable();
        Levels(counts)
    }

    fn of(&self, n: usize) -> u8 {
        let at_most = self.0.partition_point(|&c| c <= n);
        (4 * at_most).div_ceil(self.0.len().max(1)).clamp(1, 4) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(date: Date, n: usize) -> Day {
        Day { date, papers: (0..n).collect() }
    }

    #[test]
    fn months_are_calendar_grids_grouped_by_year_newest_first() {
        use jiff::civil::date;
        let days = [day(date(2024, 12, 30), 2), day(date(2025, 1, 6), 9), day(date(2025, 2, 3), 30)];
        let years = years(&days);
        assert_eq!(years.iter().map(|y| (y.year, y.papers)).collect::<Vec<_>>(), [(2025, 39), (2024, 2)]);
        let january = &years[0].months[1];
        assert_eq!((january.name.as_str(), january.id.as_str(), january.papers), ("January", "2025-01", 9));
        // January 1, 2025 was a Wednesday: two blank cells before it.
        assert!(january.weeks[0][0].is_none() && january.weeks[0][1].is_none());
        assert_eq!(january.weeks[0][2].as_ref().unwrap().day, 1);
        assert!(january.weeks.iter().all(|w| w.len() == 7));
        let sixth = january.weeks[1][0].as_ref().unwrap();
        assert_eq!((sixth.day, sixth.url.as_deref()), (6, Some("2025-01-06.html")));
        assert_eq!(sixth.label, "January 6, 2025: 9 papers");
        let seventh = january.weeks[1][1].as_ref().unwrap();
        assert_eq!((seventh.url.as_deref(), seventh.level), (None, 0));
        let cells: usize = january.weeks.iter().flatten().filter(|c| c.is_some()).count();
        assert_eq!(cells, 31);
    }

    #[test]
    fn shades_split_the_days_into_quarters() {
        let days: Vec<Day> = (1..=8).map(|n| day(jiff::civil::date(2025, 1, n as i8), n)).collect();
        let levels = Levels::new(&days);
        let shades: Vec<u8> = (1..=8).map(|n| levels.of(n)).collect();
        assert_eq!(shades, [1, 1, 2, 2, 3, 3, 4, 4]);
    }
}
