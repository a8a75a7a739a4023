//! `paperpress fetch` against a local server replaying recorded Daily
//! Papers and arXiv responses: what is saved, what is retried and how long
//! it waits, what is reported, and the site built from it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::{Date, date};
use paperpress::config::Site;
use paperpress::fetch::{Days, FetchOptions, FetchReport, Paging, Policy, Request, USER_AGENT, fetch};

use crate::replay::{Replay, Reply};
use crate::support::{build, page, repo_root};

/// Waits asked for by the fetch, instead of waited.
type Waits = Arc<Mutex<Vec<Duration>>>;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(repo_root().join("tests/fixtures").join(path)).unwrap()
}

fn day_body(day: &str) -> Vec<u8> {
    fixture(&format!("fetch/hf/{day}.json"))
}

/// The body of a recorded arXiv exchange.
fn recorded(name: &str) -> (u16, String) {
    let dir = repo_root().join("tests/fixtures/fetch/arxiv");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name));
    let exchange: serde_json::Value = serde_json::from_slice(&std::fs::read(file.unwrap()).unwrap()).unwrap();
    (exchange["status_code"].as_u64().unwrap() as u16, exchange["body"].as_str().unwrap().to_string())
}

fn day_route(day: &str) -> String {
    format!("/api/daily_papers?date={day}&limit=100&p=0")
}

/// A site whose `[fetch]` endpoints are the replay server.
fn site(replay: &Replay, more_toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let toml = format!(
        "title = \"Fetched\"\n[fetch]\nhf_api = \"{0}/api\"\narxiv_api = \"{0}/api\"\n{more_toml}",
        replay.url()
    );
    std::fs::write(dir.path().join("site.toml"), toml).unwrap();
    dir
}

fn options(request: Request, now: &str, waits: &Waits) -> FetchOptions {
    let record = waits.clone();
    let policy = Policy {
        timeout: Duration::from_secs(10),
        sleep: Arc::new(move |d| record.lock().unwrap().push(d)),
        ..Policy::default()
    };
    FetchOptions { request, now: now.parse::<Timestamp>().unwrap(), policy, paging: Paging::default() }
}

fn run(root: &Path, options: &FetchOptions) -> FetchReport {
    let site = Site::load(root).unwrap();
    fetch(&site, options, &|_| {}).unwrap()
}

fn range(since: Date, until: Date) -> Request {
    Request::Hf(Days::Range { since, until: Some(until) })
}

fn digest(root: &Path, name: &str) -> PathBuf {
    root.join("content/digests").join(name)
}

/// The names in `content/digests/`, hidden ones too.
fn digest_names(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("content/digests"))
        .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

const NOW: &str = "2025-07-01T09:00:00Z";

#[test]
fn days_are_saved_as_received_empty_days_too_and_build_into_day_pages() {
    let replay = Replay::start();
    for day in ["2025-06-26", "2025-06-27", "2025-06-30"] {
        replay.route(&day_route(day), vec![Reply::ok(day_body(day))]);
    }
    for weekend in ["2025-06-28", "2025-06-29"] {
        replay.route(&day_route(weekend), vec![Reply::ok("[]")]);
    }
    let site = site(&replay, "");
    let waits = Waits::default();
    let report = run(site.path(), &options(range(date(2025, 6, 26), date(2025, 6, 30)), NOW, &waits));
    assert_eq!(report.failures, Vec::<String>::new());
    assert_eq!(report.days.iter().map(|d| d.papers).collect::<Vec<_>>(), [8, 9, 0, 0, 9]);
    assert_eq!(
        std::fs::read(digest(site.path(), "hf-2025-06-26.json")).unwrap(),
        day_body("2025-06-26"),
        "byte for byte"
    );
    assert_eq!(std::fs::read_to_string(digest(site.path(), "hf-2025-06-28.json")).unwrap(), "[]");
    let log = replay.log();
    assert_eq!(log.len(), 5, "one request per day: {:?}", replay.targets());
    assert_eq!(log[0].headers["user-agent"], USER_AGENT);
    assert!(waits.lock().unwrap().is_empty(), "nothing to wait for");
    assert_eq!(
        report.summary(site.path()),
        [
            "Daily Papers 2025-06-26 to 2025-06-30: 5 days in content/digests/ (5 new, 0 updated, 0 unchanged), 26 papers, 2 days without papers"
        ]
    );

    let built = build(site.path());
    assert_eq!(built.days, 3, "no page for a day without papers");
    assert!(site.path().join("public/days/2025-06-26.html").is_file());
    assert!(!site.path().join("public/days/2025-06-28.html").exists());
    assert_eq!(built.papers, 26);

    let again = run(site.path(), &options(range(date(2025, 6, 26), date(2025, 6, 27)), NOW, &waits));
    assert!(again.days.iter().all(|d| d.change == paperpress::fetch::Change::Unchanged));
}

#[test]
fn by_default_the_days_after_the_newest_saved_one_are_fetched_once_complete() {
    let replay = Replay::start();
    replay.route(&day_route("2025-06-27"), vec![Reply::ok(day_body("2025-06-27"))]);
    // Only days not saved yet (the next test asks for saved ones again).
    let site = site(&replay, "refresh_days = 0\n[[fetch.sources]]\nkind = \"hf\"\n");
    std::fs::create_dir_all(site.path().join("content/digests")).unwrap();
    std::fs::write(digest(site.path(), "hf-2025-06-26.json"), day_body("2025-06-26")).unwrap();
    let waits = Waits::default();

    let early = run(site.path(), &options(Request::Sources, "2025-06-27T06:30:00Z", &waits));
    assert!(early.days.is_empty() && replay.log().is_empty(), "the 27th is not complete before 07:00 UTC");
    assert_eq!(early.summary(site.path()).len(), 1, "{:?}", early.summary(site.path()));

    let later = run(site.path(), &options(Request::Sources, "2025-06-27T08:00:00Z", &waits));
    assert_eq!(later.days.len(), 1);
    assert_eq!(replay.targets(), [day_route("2025-06-27")]);

    let site = Site::load(site.path()).unwrap();
    let future =
        fetch(&site, &options(Request::Hf(Days::On(date(2025, 6, 29))), "2025-06-27T08:00:00Z", &waits), &|_| {});
    assert_eq!(
        format!("{:#}", future.unwrap_err()),
        "2025-06-29 is after today (2025-06-27 in UTC): there is no Daily Papers list for it yet"
    );
}

/// A day's list is complete in the morning, but its upvotes keep coming:
/// a fetch of new days asks for the newest saved days again, and what
/// changed reaches the site.
#[test]
fn the_newest_saved_days_are_fetched_again_so_upvotes_catch_up() {
    let replay = Replay::start();
    replay.route(&day_route("2025-06-26"), vec![Reply::ok(day_body("2025-06-26"))]);
    replay.route(&day_route("2025-06-27"), vec![Reply::ok(day_body("2025-06-27"))]);
    let site = site(&replay, "refresh_days = 1\n[[fetch.sources]]\nkind = \"hf\"\n");
    std::fs::create_dir_all(site.path().join("content/digests")).unwrap();
    // The 26th as the morning's fetch saved it: 3 votes where there are now 39.
    let morning = String::from_utf8(day_body("2025-06-26")).unwrap().replacen("\"upvotes\": 39,", "\"upvotes\": 3,", 1);
    std::fs::write(digest(site.path(), "hf-2025-06-26.json"), &morning).unwrap();
    std::fs::write(digest(site.path(), "hf-2025-06-25.json"), "[]").unwrap();
    let waits = Waits::default();

    let report = run(site.path(), &options(Request::Sources, "2025-06-27T08:00:00Z", &waits));
    assert_eq!(replay.targets(), [day_route("2025-06-26"), day_route("2025-06-27")], "the 25th is not asked again");
    let changes: Vec<_> = report.days.iter().map(|d| (d.date.to_string(), d.change)).collect();
    assert_eq!(
        changes,
        [
            ("2025-06-26".to_string(), paperpress::fetch::Change::Updated),
            ("2025-06-27".to_string(), paperpress::fetch::Change::New)
        ]
    );
    assert_eq!(
        std::fs::read(digest(site.path(), "hf-2025-06-26.json")).unwrap(),
        day_body("2025-06-26"),
        "as received"
    );
    paperpress::build(&Site::load(site.path()).unwrap(), &Default::default()).unwrap();
    let page = std::fs::read_to_string(site.path().join("public/papers/2506.18095.html")).unwrap();
    assert!(page.contains("39 upvotes"), "the site shows today's count");
}

#[test]
fn a_500_is_tried_again_after_a_backoff() {
    let replay = Replay::start();
    replay.route(
        &day_route("2025-06-26"),
        vec![Reply::status(500, "oops"), Reply::status(503, ""), Reply::ok(day_body("2025-06-26"))],
    );
    let site = site(&replay, "");
    let waits = Waits::default();
    let report = run(site.path(), &options(Request::Hf(Days::On(date(2025, 6, 26))), NOW, &waits));
    assert_eq!(report.failures, Vec::<String>::new());
    assert_eq!(replay.log().len(), 3);
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(1), Duration::from_secs(2)], "exponential backoff");
    assert_eq!(std::fs::read(digest(site.path(), "hf-2025-06-26.json")).unwrap(), day_body("2025-06-26"));
}

#[test]
fn a_429_waits_as_long_as_retry_after_says() {
    let replay = Replay::start();
    let too_many = Reply::Send(429, vec![("Retry-After".into(), "7".into())], b"slow down".to_vec());
    replay.route(&day_route("2025-06-26"), vec![too_many, Reply::ok(day_body("2025-06-26"))]);
    let for_ever = Reply::Send(429, vec![("Retry-After".into(), "3600".into())], Vec::new());
    replay.route(&day_route("2025-06-27"), vec![for_ever]);
    let site = site(&replay, "");
    let waits = Waits::default();
    let report = run(site.path(), &options(range(date(2025, 6, 26), date(2025, 6, 27)), NOW, &waits));
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(7)], "Retry-After, not the 1 s backoff");
    assert_eq!(report.days.len(), 1);
    assert_eq!(
        report.failures,
        [format!(
            "GET {}/api/daily_papers?date=2025-06-27&limit=100&p=0 answered HTTP 429 Too Many Requests (the server asks to wait 3600 s: try again later)",
            replay.url()
        )]
    );
}

#[test]
fn a_404_with_an_error_body_is_reported_and_never_saved() {
    let replay = Replay::start();
    replay.route(&day_route("2025-06-26"), vec![Reply::ok(day_body("2025-06-26"))]);
    replay.route(
        &day_route("2025-06-27"),
        vec![Reply::status(404, r#"{"error": "Daily papers not found for this date"}"#)],
    );
    replay.route(&day_route("2025-06-28"), vec![Reply::ok("[]")]);
    let site = site(&replay, "");
    let waits = Waits::default();
    let report = run(site.path(), &options(range(date(2025, 6, 26), date(2025, 6, 28)), NOW, &waits));
    assert_eq!(
        report.failures,
        [format!(
            "GET {}/api/daily_papers?date=2025-06-27&limit=100&p=0 answered HTTP 404 Not Found: Daily papers not found for this date",
            replay.url()
        )]
    );
    assert_eq!(digest_names(site.path()), ["hf-2025-06-26.json"], "the day before is kept, nothing after is asked");
    assert_eq!(replay.log().len(), 2, "a 404 is not tried again: {:?}", replay.targets());
    assert!(waits.lock().unwrap().is_empty());
}

#[test]
fn an_error_or_a_broken_body_with_a_200_is_never_saved() {
    let replay = Replay::start();
    replay.route(&day_route("2025-06-26"), vec![Reply::ok(r#"{"error": "Invalid date"}"#)]);
    let mut truncated = day_body("2025-06-27");
    truncated.truncate(5000);
    replay.route(&day_route("2025-06-27"), vec![Reply::ok(truncated)]);
    let site = site(&replay, "");
    let waits = Waits::default();
    for (day, why) in
        [(26, "not saved: the API answered with an error: Invalid date"), (27, "not saved: `hf-2025-06-27.json` line ")]
    {
        let report = run(site.path(), &options(Request::Hf(Days::On(date(2025, 6, day))), NOW, &waits));
        assert_eq!(report.failures.len(), 1);
        assert!(report.failures[0].contains(why), "{}", report.failures[0]);
    }
    assert_eq!(digest_names(site.path()), Vec::<String>::new());
}

#[test]
fn a_connection_closed_mid_body_is_tried_again_and_leaves_no_partial_file() {
    let replay = Replay::start();
    let body = day_body("2025-06-26");
    let cut = Reply::CloseMidBody { length: body.len(), body: body[..1000].to_vec() };
    replay.route(&day_route("2025-06-26"), vec![cut.clone(), Reply::ok(body.clone())]);
    replay.route(&day_route("2025-06-27"), vec![cut]);
    let site = site(&replay, "");
    let waits = Waits::default();
    let report = run(site.path(), &options(range(date(2025, 6, 26), date(2025, 6, 27)), NOW, &waits));
    assert_eq!(std::fs::read(digest(site.path(), "hf-2025-06-26.json")).unwrap(), body);
    assert_eq!(report.failures.len(), 1);
    assert!(
        report.failures[0].contains("the connection broke off before the whole response arrived"),
        "{:?}",
        report.failures
    );
    assert!(report.failures[0].ends_with("(after 5 tries)"), "{:?}", report.failures);
    assert_eq!(replay.log().len(), 2 + 5);
    assert_eq!(digest_names(site.path()), ["hf-2025-06-26.json"], "no partial or temporary file");
}

#[test]
fn a_response_slower_than_the_timeout_is_tried_again_then_given_up() {
    let replay = Replay::start();
    let late = Reply::Late(Duration::from_secs(3), Box::new(Reply::ok(day_body("2025-06-26"))));
    replay.route(&day_route("2025-06-26"), vec![late.clone(), Reply::ok(day_body("2025-06-26"))]);
    replay.route(&day_route("2025-06-27"), vec![late]);
    let site = site(&replay, "");
    let waits = Waits::default();
    let mut options = options(range(date(2025, 6, 26), date(2025, 6, 27)), NOW, &waits);
    options.policy.timeout = Duration::from_millis(300);
    options.policy.tries = 3;
    let report = run(site.path(), &options);
    assert_eq!(report.days.len(), 1, "the second try of the 26th came in time");
    assert_eq!(report.failures.len(), 1);
    assert!(
        report.failures[0].contains("in time") && report.failures[0].ends_with("(after 3 tries)"),
        "{:?}",
        report.failures
    );
    assert_eq!(*waits.lock().unwrap(), [1, 1, 2].map(Duration::from_secs));
}

#[test]
fn a_day_longer_than_a_page_is_asked_page_by_page_and_joined() {
    let replay = Replay::start();
    let whole = fixture("import/hf-daily-papers-2024-05-27.json");
    let items: Vec<&serde_json::value::RawValue> = serde_json::from_slice(&whole).unwrap();
    assert_eq!(items.len(), 13);
    let list = |items: &[&serde_json::value::RawValue]| {
        format!("[{}]", items.iter().map(|i| i.get()).collect::<Vec<_>>().join(","))
    };
    let route = |p: usize| format!("/api/daily_papers?date=2024-05-27&limit=10&p={p}");
    replay.route(&route(0), vec![Reply::ok(list(&items[..10]))]);
    replay.route(&route(1), vec![Reply::ok(list(&items[10..]))]);
    let site = site(&replay, "");
    let waits = Waits::default();
    let mut options = options(Request::Hf(Days::On(date(2024, 5, 27))), NOW, &waits);
    options.paging.hf = 10;
    let report = run(site.path(), &options);
    assert_eq!((report.days[0].papers, replay.targets()), (13, vec![route(0), route(1)]));
    let built = build(site.path());
    assert_eq!(built.papers, 13, "every paper of the day");

    // A server that ignores `p` sends the first page again: paging stops.
    let stubborn = Replay::start();
    stubborn.route(&route(0), vec![Reply::ok(list(&items[..10]))]);
    stubborn.route(&route(1), vec![Reply::ok(list(&items[..10]))]);
    let other = self::site(&stubborn, "");
    let report = run(other.path(), &options_for(&options, Request::Hf(Days::On(date(2024, 5, 27)))));
    assert_eq!((report.days[0].papers, stubborn.log().len()), (10, 2));
    let saved = std::fs::read_to_string(digest(other.path(), "hf-2024-05-27.json")).unwrap();
    assert_eq!(saved, list(&items[..10]), "the one page, as it came");
}

fn options_for(base: &FetchOptions, request: Request) -> FetchOptions {
    FetchOptions { request, ..base.clone() }
}

#[test]
fn arxiv_pages_until_a_paper_the_site_has_three_seconds_apart() {
    let replay = Replay::start();
    let query = "/api/query?search_query=testing&sortBy=submittedDate&sortOrder=descending";
    for (start, name) in [(0, "q_testing_s10"), (10, "q_testing_s20"), (20, "q_testing_s30")] {
        replay.route(&format!("{query}&start={start}&max_results=10"), vec![Reply::ok(recorded(name).1)]);
    }
    let site = site(&replay, "");
    let papers = site.path().join("content/papers");
    std::fs::create_dir_all(&papers).unwrap();
    std::fs::write(papers.join("mine.md"), "+++\nid = \"2005.06826\"\ntitle = \"Known\"\ndate = 2025-01-01\n+++\n")
        .unwrap();
    let waits = Waits::default();
    let mut options = options(Request::Arxiv { query: Some("testing".into()), max: Some(100) }, NOW, &waits);
    options.paging.arxiv = 10;
    let report = run(site.path(), &options);
    assert_eq!(report.failures, Vec::<String>::new());
    assert_eq!(replay.log().len(), 2, "the second page holds a known paper: {:?}", replay.targets());
    let waited = waits.lock().unwrap().clone();
    assert_eq!(waited.len(), 1);
    assert!(waited[0] > Duration::from_millis(2500) && waited[0] <= Duration::from_secs(3), "{waited:?}");
    let file = digest(site.path(), "arxiv-2025-07-01-testing.xml");
    assert_eq!(report.queries[0].papers, 19);
    assert_eq!(report.queries[0].path.as_deref(), Some(file.as_path()));
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(!saved.contains("arxiv.org/abs/2005.06826"), "the known paper is left out");
    assert!(saved.contains(&recorded("q_testing_s10").1[..200]), "the feed header is arXiv's");

    let built = build(site.path());
    assert_eq!(built.papers, 20, "19 fetched and the page of the known one");
    let day = page(site.path(), "days/2025-07-01.html");
    assert!(day.contains("2403.16981"), "the fetched papers are listed on the day they were fetched");

    let again = run(site.path(), &options);
    assert_eq!(again.queries[0].path, None, "nothing new");
    assert_eq!(again.summary(site.path()), ["arXiv `testing`: nothing new"]);
    assert_eq!(replay.log().len(), 3);
}

#[test]
fn an_arxiv_error_entry_is_reported_with_the_status_and_arxivs_message() {
    let replay = Replay::start();
    let (status, body) = recorded("id_abc");
    assert_eq!(status, 400);
    let url = "/api/query?search_query=abc&sortBy=submittedDate&sortOrder=descending&start=0&max_results=100";
    replay.route(url, vec![Reply::status(status, body.clone())]);
    let url2 = "/api/query?search_query=abd&sortBy=submittedDate&sortOrder=descending&start=0&max_results=100";
    replay.route(url2, vec![Reply::ok(body)]);
    let site = site(&replay, "");
    let waits = Waits::default();
    let report = run(site.path(), &options(Request::Arxiv { query: Some("abc".into()), max: None }, NOW, &waits));
    assert_eq!(
        report.failures,
        [format!(
            "GET {}{url} answered HTTP 400 Bad Request: the arXiv API answered with an error: incorrect id format for abc",
            replay.url()
        )]
    );
    let report = run(site.path(), &options(Request::Arxiv { query: Some("abd".into()), max: None }, NOW, &waits));
    assert!(
        report.failures[0].ends_with("not saved: the arXiv API answered with an error: incorrect id format for abc"),
        "{:?}",
        report.failures
    );
    assert_eq!(digest_names(site.path()), Vec::<String>::new());
}

#[test]
fn text_from_a_server_is_escaped_before_it_reaches_the_terminal() {
    let replay = Replay::start();
    replay
        .route(&day_route("2025-06-26"), vec![Reply::status(404, "{\"error\": \"\\u001b]0;owned\\u0007\\u001b[2J\"}")]);
    let site = site(&replay, "");
    let report = run(site.path(), &options(Request::Hf(Days::On(date(2025, 6, 26))), NOW, &Waits::default()));
    assert!(report.failures[0].ends_with(": \\u{1b}]0;owned\\u{7}\\u{1b}[2J"), "{:?}", report.failures);
    assert!(!report.failures[0].contains('\u{1b}'));
}

/// The real binary: fetch (a range of days, then every source), then build.
#[test]
fn fetch_then_build_with_the_command_line() {
    let replay = Replay::start();
    for day in ["2025-06-26", "2025-06-27"] {
        replay.route(&day_route(day), vec![Reply::ok(day_body(day))]);
    }
    let query = "/api/query?search_query=testing&sortBy=submittedDate&sortOrder=descending&start=0&max_results=10";
    replay.route(query, vec![Reply::ok(recorded("q_testing_s10").1)]);
    let site = site(&replay, "[[fetch.sources]]\nkind = \"arxiv\"\nquery = \"testing\"\nmax = 10\n");
    let paperpress = |args: &[&str]| {
        // `--root` follows the command (`fetch --root DIR hf`).
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_paperpress"))
            .arg(args[0])
            .args(["--root", site.path().to_str().unwrap()])
            .args(&args[1..])
            .env("PAPERPRESS_FETCH_WAIT_SCALE", "0.001")
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, stdout, stderr) = paperpress(&["fetch", "hf", "--since", "2025-06-26", "--until", "2025-06-27"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stdout,
        "Daily Papers 2025-06-26 to 2025-06-27: 2 days in content/digests/ (2 new, 0 updated, 0 unchanged), 17 papers, 0 days without papers\n"
    );
    assert_eq!(stderr, "", "no progress lines outside a terminal");
    let (code, stdout, stderr) = paperpress(&["fetch"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("arXiv `testing`: 10 new papers in content/digests/arxiv-"), "{stdout}");

    let (code, stdout, stderr) = paperpress(&["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("built 27 papers over 3 days from 3 digests"), "{stdout}");
    assert!(site.path().join("public/days/2025-06-27.html").is_file());

    let (code, _, stderr) = paperpress(&["fetch", "hf", "--date", "2025-06-30"]);
    assert_eq!(code, Some(1), "a failed source exits non-zero");
    assert!(
        stderr.starts_with(&format!(
            "error: GET {}/api/daily_papers?date=2025-06-30&limit=100&p=0 answered HTTP 404",
            replay.url()
        )),
        "{stderr}"
    );
    let (code, _, stderr) = paperpress(&["fetch", "hf", "--until", "2025-06-30"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--since"), "{stderr}");
}
