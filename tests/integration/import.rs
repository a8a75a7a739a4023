//! `paperpress import`: pages written once, re-import idempotent, edits kept.

use std::path::Path;

use paperpress::config::Site;
use paperpress::source::{ImportOptions, ImportReport, import};

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
    assert_eq!(first.summary(), "72 new, 0 updated, 0 unchanged, 0 kept because edited; 0 records skipped");
    let papers = site.path().join("content/papers");
    assert_eq!(std::fs::read_dir(&papers).unwrap().count(), 72);
    let before = crate::support::tree(&papers);
    let second = run(site.path(), &[&canonical()], false);
    assert_eq!(second.summary(), "0 new, 0 updated, 72 unchanged, 0 kept because edited; 0 records skipped");
    assert_eq!(before, crate::support::tree(&papers));
}

#[test]
fn edited_pages_are_kept_unless_forced() {
    let site = empty_site();
    run(site.path(), &[&canonical()], false);
    let page_path = site.path().join("content/papers/a-survey-of-mamba.md");
    let original = std::fs::read_to_string(&page_path).unwrap();
    let edited = original.replace("+++\n\n", "+++\n\n**My note:** read this first.\n\n");
    assert_ne!(original, edited);
    std::fs::write(&page_path, &edited).unwrap();

    let again = run(site.path(), &[&canonical()], false);
    assert_eq!(again.kept, std::slice::from_ref(&page_path));
    assert_eq!(again.unchanged, 71);
    assert_eq!(std::fs::read_to_string(&page_path).unwrap(), edited, "the edit survives re-import");

    build(site.path());
    let html = page(site.path(), "papers/a-survey-of-mamba.html");
    assert!(texts(&html, ".abstract p")[0].starts_with("My note: read this first."));

    let forced = run(site.path(), &[&canonical()], true);
    assert_eq!(forced.updated, std::slice::from_ref(&page_path));
    assert_eq!(std::fs::read_to_string(&page_path).unwrap(), original);
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
