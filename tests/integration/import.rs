//! `paperpress import`: pages written once, re-import idempotent, the
//! owner's edits and the new data both kept, hand-written pages untouched.

use std::path::Path;

use paperpress::config::Site;
use paperpress::import::{ImportOptions, ImportReport, import};

use crate::support::{build, page, repo_root, texts};

fn empty_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"Imported\"\n").unwrap();
    dir
}

fn run(root: &Path, files: &[&Path], force: bool) -> ImportReport {
    let site = Site::load(root).unwrap();
    let files: Vec<_> = files.iter().map(|f| f.to_path_buf()).collect();
    import(&site, &files, &ImportOptions { force, ..Default::default() }).unwrap()
}

fn canonical() -> std::path::PathBuf {
    repo_root().join("content/digests/2025-08-06.txt")
}

#[test]
fn import_writes_pages_then_changes_nothing_the_second_time() {
    let site = empty_site();
    let first = run(site.path(), &[&canonical()], false);
    assert_eq!(first.summary(), "72 new, 0 updated, 0 unchanged, 0 hand-written kept, 0 conflicts; 0 records skipped");
    let papers = site.path().join("content/papers");
    let pages = crate::support::tree(&papers).into_iter().filter(|(p, _)| !p.starts_with(".imported")).count();
    assert_eq!(pages, 72);
    let before = crate::support::tree(&papers);
    let second = run(site.path(), &[&canonical()], false);
    assert_eq!(second.summary(), "0 new, 0 updated, 72 unchanged, 0 hand-written kept, 0 conflicts; 0 records skipped");
    assert_eq!(before, crate::support::tree(&papers));
}

#[test]
fn edited_pages_keep_the_edit_and_force_replaces_them() {
    let site = empty_site();
    run(site.path(), &[&canonical()], false);
    let page_path = site.path().join("content/papers/a-survey-of-mamba.md");
    let original = std::fs::read_to_string(&page_path).unwrap();
    let edited = original.replace("+++\n\n", "+++\n\n**My note:** read this first.\n\n");
    assert_ne!(original, edited);
    std::fs::write(&page_path, &edited).unwrap();

    let again = run(site.path(), &[&canonical()], false);
    assert_eq!((again.unchanged, again.kept.len(), again.conflicts.len()), (72, 0, 0));
    assert_eq!(std::fs::read_to_string(&page_path).unwrap(), edited, "the edit survives re-import");

    build(site.path());
    let html = page(site.path(), "papers/a-survey-of-mamba.html");
    assert!(texts(&html, ".abstract p")[0].starts_with("My note: read this first."));

    let forced = run(site.path(), &[&canonical()], true);
    assert_eq!(forced.updated, std::slice::from_ref(&page_path));
    assert_eq!(std::fs::read_to_string(&page_path).unwrap(), original);
}

/// The day file of one API paper, listed with `upvotes` on `date`.
fn api_day(dir: &Path, date: &str, upvotes: u32, summary: &str) -> std::path::PathBuf {
    let path = dir.join(format!("hf-{date}.json"));
    let item = format!(
        r#"[{{"paper": {{"id": "2510.19779", "title": "AdaSPEC: Selective Knowledge Distillation", "summary": "Speculative decoding with a small draft model.", "authors": [{{"name": "Yuezhou Hu"}}], "upvotes": {upvotes}, "submittedOnDailyAt": "{date}T02:14:45.526Z", "ai_summary": "{summary}"}}, "title": "AdaSPEC: Selective Knowledge Distillation"}}]"#
    );
    std::fs::write(&path, item).unwrap();
    path
}

#[test]
fn an_edited_page_keeps_its_edits_and_takes_the_new_data() {
    let site = empty_site();
    let inputs = tempfile::tempdir().unwrap();
    let week1 = api_day(inputs.path(), "2025-10-24", 39, "Distils a draft model.");
    run(site.path(), &[&week1], false);
    let page_path = site.path().join("content/papers/2510.19779.md");
    let text = std::fs::read_to_string(&page_path).unwrap();
    let edited = text
        .replace("+++\n\n", "+++\n\nWorth a read: see section 3.\n\n")
        .replace("authors = ", "topics = [\"Speculative decoding\"]\nauthors = ")
        .replace("+++\n\nWorth", "[extra]\nreading_group = \"2025-11-03\"\n+++\n\nWorth");
    std::fs::write(&page_path, &edited).unwrap();

    let week2 = api_day(inputs.path(), "2025-10-31", 120, "Distils a draft model, selectively.");
    let report = run(site.path(), &[&week2], false);
    assert_eq!((report.updated.len(), report.conflicts.len()), (1, 0), "{}", report.summary());
    let paper = paperpress::paper::Paper::from_page(&std::fs::read_to_string(&page_path).unwrap(), &page_path).unwrap();
    assert_eq!(paper.upvotes, Some(120), "upvotes keep updating");
    let days: Vec<String> = paper.dates().map(|d| d.to_string()).collect();
    assert_eq!(days, ["2025-10-24", "2025-10-31"], "the new day is added");
    assert_eq!(paper.topics, ["Speculative decoding"], "the owner's topics stay");
    assert_eq!(paper.extra["reading_group"].as_str(), Some("2025-11-03"), "an added key stays");
    assert!(paper.body.starts_with("Worth a read: see section 3."), "the owner's body stays: {}", paper.body);

    build(site.path());
    let html = page(site.path(), "papers/2510.19779.html");
    assert!(html.contains("120"), "the page shows the new upvotes");
    assert!(texts(&html, ".abstract p")[0].starts_with("Worth a read"));
}

#[test]
fn a_field_both_changed_keeps_the_owners_value_and_the_summary_says_so() {
    let site = empty_site();
    let inputs = tempfile::tempdir().unwrap();
    run(site.path(), &[&api_day(inputs.path(), "2025-10-24", 39, "First summary.")], false);
    let page_path = site.path().join("content/papers/2510.19779.md");
    let text = std::fs::read_to_string(&page_path).unwrap();
    std::fs::write(&page_path, text.replace("ai_summary = \"First summary.\"", "ai_summary = \"My summary.\""))
        .unwrap();
    // An AI summary, once known, is not replaced by a later one, so the
    // owner's change is the only change: no conflict.
    let report = run(site.path(), &[&api_day(inputs.path(), "2025-10-31", 120, "Second summary.")], false);
    assert!(report.summary().contains(", 0 conflicts;"), "{}", report.summary());
    let after = std::fs::read_to_string(&page_path).unwrap();
    assert!(after.contains("ai_summary = \"My summary.\""), "{after}");

    std::fs::write(&page_path, after.replace("upvotes = 120", "upvotes = 7")).unwrap();
    let report = run(site.path(), &[&api_day(inputs.path(), "2025-11-07", 300, "Third.")], false);
    assert_eq!(report.conflicts.len(), 1, "{}", report.summary());
    assert_eq!(report.conflicts[0].fields, ["upvotes"]);
    assert!(report.summary().contains(", 1 conflict;"), "{}", report.summary());
    let after = std::fs::read_to_string(&page_path).unwrap();
    assert!(after.contains("upvotes = 7\n"), "the owner's value is kept: {after}");
    assert!(after.contains("2025-11-07"), "the other fields still update: {after}");
}

#[test]
fn regression_issue_12_force_never_replaces_a_hand_written_page() {
    let site = empty_site();
    let papers = site.path().join("content/papers");
    std::fs::create_dir_all(&papers).unwrap();
    let mine = papers.join("my-mamba-notes.md");
    let hand_written = "+++\ntitle = \"A Survey of Mamba\"\ndate = 2025-08-01\n+++\n\nMy own notes on Mamba.\n";
    std::fs::write(&mine, hand_written).unwrap();
    let report = run(site.path(), &[&canonical()], true);
    assert_eq!(report.kept, std::slice::from_ref(&mine), "{}", report.summary());
    assert_eq!(report.new.len(), 71);
    assert!(report.summary().contains("1 hand-written kept"), "{}", report.summary());
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), hand_written);
}

#[test]
fn regression_issue_12_a_title_with_the_old_marker_is_not_an_edit() {
    let site = empty_site();
    let inputs = tempfile::tempdir().unwrap();
    let day = inputs.path().join("2025-08-06.txt");
    let abstract_text = "An abstract long enough to be an abstract, ending like a sentence does.";
    std::fs::write(&day, format!("Aug 6\n\nWhy import_hash = \"x\" Is Not a Marker\n\n{abstract_text}\n")).unwrap();
    assert_eq!(run(site.path(), &[&day], false).new.len(), 1);
    let later = inputs.path().join("2025-08-07.txt");
    std::fs::write(&later, format!("Aug 7\n\nWhy import_hash = \"x\" Is Not a Marker\n\n{abstract_text}\n")).unwrap();
    let report = run(site.path(), &[&later], false);
    assert_eq!((report.updated.len(), report.kept.len()), (1, 0), "a fresh page takes new days: {}", report.summary());
}

#[test]
fn pages_of_earlier_versions_are_recognised_by_their_hash() {
    let site = empty_site();
    let papers = site.path().join("content/papers");
    std::fs::create_dir_all(&papers).unwrap();
    let legacy = std::fs::read_to_string(repo_root().join("tests/fixtures/import/legacy-page.md")).unwrap();
    let page_path = papers.join("2510.19779.md");
    std::fs::write(&page_path, &legacy).unwrap();
    let inputs = tempfile::tempdir().unwrap();
    let report = run(site.path(), &[&api_day(inputs.path(), "2025-10-31", 120, "New.")], false);
    assert_eq!(report.updated, std::slice::from_ref(&page_path), "{}", report.summary());
    let text = std::fs::read_to_string(&page_path).unwrap();
    assert!(text.contains("upvotes = 120") && !text.contains("import_hash"), "{text}");
    let edited = legacy.replace("Speculative Decoding (SD)", "My note. Speculative Decoding (SD)");
    std::fs::write(&page_path, &edited).unwrap();
    std::fs::remove_dir_all(papers.join(".imported")).unwrap();
    let report = run(site.path(), &[&api_day(inputs.path(), "2025-11-07", 130, "New.")], true);
    assert_eq!(report.kept.len(), 1, "an edited old page cannot be told from a hand-written one");
    assert_eq!(std::fs::read_to_string(&page_path).unwrap(), edited);
}

#[test]
fn a_second_day_adds_the_day_to_existing_pages() {
    let site = empty_site();
    let dir = tempfile::tempdir().unwrap();
    let day1 = dir.path().join("2025-08-06.txt");
    let day2 = dir.path().join("2025-08-07.txt");
    let abstract_text = "A long enough abstract about state space models that ends like a sentence and pairs with its title line above.";
    std::fs::write(&day1, format!("Aug 6\n\nA Survey of Mamba\n\n{abstract_text}\n")).unwrap();
    std::fs::write(&day2, format!("Aug 7\n\nA Survey of Mamba\n\n{abstract_text}\n\nAnother Paper\n\nIts abstract.\n"))
        .unwrap();
    assert_eq!(run(site.path(), &[&day1], false).new.len(), 1);
    let report = run(site.path(), &[&day2], false);
    assert_eq!((report.new.len(), report.updated.len()), (1, 1));
    let text = std::fs::read_to_string(site.path().join("content/papers/a-survey-of-mamba.md")).unwrap();
    assert!(text.contains("date = 2025-08-06\ndays = [2025-08-06, 2025-08-07]\nranks = [1, 1]\n"), "{text}");
    assert_eq!(run(site.path(), &[&day1, &day2], false).unchanged, 2);
}

#[test]
fn bad_files_are_skipped_and_counted_while_good_ones_import() {
    let site = empty_site();
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&empty, "").unwrap();
    std::fs::write(&latin1, b"Aug 6\n\nCaf\xe9 Paper\n\nAbstract.\n").unwrap();
    let report = run(site.path(), &[&empty, &latin1, &canonical()], false);
    assert_eq!(report.new.len(), 72);
    let messages: Vec<String> = report.skipped.iter().map(|e| e.to_string()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].ends_with("empty.txt`: the file is empty: expected a day heading like `Aug 6`, then each paper as a title line and an abstract paragraph"), "{messages:?}");
    assert!(
        messages[1].ends_with("latin1.txt` line 3: not valid UTF-8 (byte 0xE9 at column 4); save the file as UTF-8"),
        "{messages:?}"
    );
}
