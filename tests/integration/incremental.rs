//! Incremental builds: a site that grows by a day at a time, is edited and
//! loses a day, built each time with the record of the last build, is
//! byte for byte what a clean build of the same content writes; and a
//! record that does not fit gives a full build with a note.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use paperpress::config::Site;
use paperpress::{BuildOptions, BuildReport};
use walkdir::WalkDir;

use crate::support::repo_root;

const DAYS: &[&str] = &["2024-06-03", "2024-06-04", "2024-06-05", "2024-06-06", "2024-06-07", "2024-06-10"];

/// A site of the days fixture's taxonomy, with small topic pages so that
/// topics fill several of them; no digests yet.
fn new_site() -> tempfile::TempDir {
    let topics = std::fs::read_to_string(repo_root().join("tests/fixtures/reader/site.toml")).unwrap();
    site_with_topics(&topics[topics.find("[[topics]]").unwrap()..])
}

/// A site with the example site's taxonomy: the default hierarchy of
/// rules, with automatic topics under them.
fn site_with_default_taxonomy() -> tempfile::TempDir {
    let topics = std::fs::read_to_string(repo_root().join("site.toml")).unwrap();
    site_with_topics(&topics[topics.find("[taxonomy]").unwrap()..])
}

fn site_with_topics(topics: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/digests")).unwrap();
    let config = format!("title = \"Growing\"\n\n[build]\npaginate_by = 3\n\n{topics}");
    std::fs::write(dir.path().join("site.toml"), config).unwrap();
    std::fs::write(dir.path().join("content/about.md"), "+++\ntitle = \"About\"\n+++\nA digest.\n").unwrap();
    dir
}

fn add_day(site: &Path, day: &str) {
    let from = repo_root().join("tests/fixtures/days").join(format!("{day}.json"));
    std::fs::copy(from, site.join("content/digests").join(format!("{day}.json"))).unwrap();
}

fn options(site: &Path, output: PathBuf, cache: bool) -> BuildOptions {
    BuildOptions {
        base_url: Some("https://example.github.io/digest/".into()),
        output: Some(output),
        cache: cache.then(|| site.join(".paperpress/cache")),
    }
}

/// Builds `site` with its record into `site/public`.
fn build_kept(site: &Path) -> BuildReport {
    let loaded = Site::load(site).unwrap();
    paperpress::build(&loaded, &options(site, site.join("public"), true)).unwrap()
}

/// Every file under `dir`, by path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// Builds a copy of `site` from scratch, without a record, and compares
/// every file with the incremental build in `site/public`.
fn assert_same_as_clean_build(site: &Path, step: &str) {
    let clean = tempfile::tempdir().unwrap();
    let loaded = Site::load(site).unwrap();
    paperpress::build(&loaded, &options(site, clean.path().join("public"), false)).unwrap();
    let (expected, got) = (files(&clean.path().join("public")), files(&site.join("public")));
    let missing: Vec<&String> = expected.keys().filter(|p| !got.contains_key(*p)).collect();
    let extra: Vec<&String> = got.keys().filter(|p| !expected.contains_key(*p)).collect();
    assert!(missing.is_empty() && extra.is_empty(), "{step}: missing {missing:?}, extra {extra:?}");
    let differ: Vec<&String> = expected.iter().filter(|(p, bytes)| got[*p] != **bytes).map(|(p, _)| p).collect();
    assert!(differ.is_empty(), "{step}: {} files differ from a clean build: {differ:?}", differ.len());
}

#[test]
fn issue_16_a_site_built_day_by_day_is_what_a_clean_build_writes() {
    let site = new_site();
    let root = site.path();
    add_day(root, DAYS[0]);
    let first = build_kept(root);
    assert!(!first.incremental, "the first build has no record");
    assert_same_as_clean_build(root, "first day");
    for day in &DAYS[1..] {
        add_day(root, day);
        let report = build_kept(root);
        assert!(report.incremental, "{day}: {:?}", report.notes);
        assert!(report.notes.is_empty(), "{day}: {:?}", report.notes);
        eprintln!("{day}: wrote {} of {} files", report.written, report.files);
        assert!(report.written < report.files, "{day}: wrote {} of {} files", report.written, report.files);
        assert_same_as_clean_build(root, &format!("after adding {day}"));
    }
    // The search memo: the next build analyses only the papers that changed.
    assert!(root.join(".paperpress/cache/search.bin").is_file(), "the build keeps its search memo");
    // Nothing changed: nothing is written.
    let again = build_kept(root);
    assert!(again.incremental);
    assert_eq!(again.written, 0, "an unchanged site writes nothing");

    // A digest fetched again, with more upvotes (`refresh_days`): the
    // parse cache holds the old copy of the file, and the new one wins.
    let digest = root.join("content/digests/2024-06-10.json");
    let text = std::fs::read_to_string(&digest).unwrap();
    assert!(text.contains("\"upvotes\": 14\n"), "the fixture's first paper has 14 upvotes");
    std::fs::write(&digest, text.replacen("\"upvotes\": 14\n", "\"upvotes\": 1234\n", 1)).unwrap();
    let refreshed = build_kept(root);
    assert!(refreshed.incremental && refreshed.written > 0);
    assert_same_as_clean_build(root, "after a digest was fetched again");
    let html = std::fs::read_to_string(root.join("public/papers/2406.04692.html")).unwrap();
    assert!(html.contains("1234 upvotes"), "the new upvotes are on the paper's page");

    // An owner's page for a paper changes its title: its page, its day, its
    // topics and the pages listing it as related follow.
    let papers = root.join("content/papers");
    std::fs::create_dir_all(&papers).unwrap();
    let page = "+++\nid = \"2406.01014\"\ntitle = \"Mobile agents, edited\"\ndate = 2024-06-06\nauthors = [\"Junyang Wang\"]\ntopics = [\"Agents\"]\n+++\nAn abstract the owner wrote about agents and reasoning.\n";
    std::fs::write(papers.join("2406.01014.md"), page).unwrap();
    let edited = build_kept(root);
    assert!(edited.incremental && edited.written > 0);
    assert_same_as_clean_build(root, "after editing a paper");
    let html = std::fs::read_to_string(root.join("public/papers/2406.01014.html")).unwrap();
    assert!(html.contains("Mobile agents, edited"), "the edit is on the page");

    // A day goes: its page, its papers and what listed them go or change.
    std::fs::remove_file(root.join("content/digests/2024-06-05.json")).unwrap();
    let removed = build_kept(root);
    assert!(removed.incremental);
    assert_same_as_clean_build(root, "after removing a day");
    assert!(!root.join("public/days/2024-06-05.html").exists());

    // A hand-written page: the menu of every page changes.
    std::fs::write(root.join("content/about.md"), "+++\ntitle = \"About us\"\n+++\nA digest.\n").unwrap();
    let retitled = build_kept(root);
    assert!(!retitled.incremental, "the menu is on every page: everything is built");
    assert_same_as_clean_build(root, "after retitling a page of the menu");
}

#[test]
fn issue_16_with_the_default_taxonomy_a_site_built_day_by_day_is_what_a_clean_build_writes() {
    let site = site_with_default_taxonomy();
    let root = site.path();
    for (i, day) in DAYS.iter().enumerate() {
        add_day(root, day);
        let report = build_kept(root);
        assert_eq!(report.incremental, i > 0, "{day}: {:?}", report.notes);
        assert_same_as_clean_build(root, &format!("after adding {day}"));
    }
    let html = std::fs::read_to_string(root.join("public/topics/index.html")).unwrap();
    assert!(html.matches("class=\"topic-tile").count() > 10, "the taxonomy gives many topics");
}

#[test]
fn issue_16_a_split_search_index_built_day_by_day_is_what_a_clean_build_writes() {
    // Shard files are named by their stems, so a day renames, adds and
    // removes some: the incremental build must follow exactly.
    let site = site_with_topics("[search]\nsplit_above_kb = 0\n");
    let root = site.path();
    for (i, day) in DAYS.iter().enumerate() {
        add_day(root, day);
        let report = build_kept(root);
        assert_eq!(report.incremental, i > 0, "{day}: {:?}", report.notes);
        assert_same_as_clean_build(root, &format!("after adding {day}"));
    }
    let shards = files(&root.join("public/search")).into_keys().filter(|p| p.starts_with('v')).count();
    assert!(shards > 1, "six days make a split index of several shards: {shards}");
    std::fs::remove_file(root.join("content/digests/2024-06-05.json")).unwrap();
    assert!(build_kept(root).incremental);
    assert_same_as_clean_build(root, "after removing a day");
}

#[test]
fn issue_16_a_record_that_does_not_fit_gives_a_full_build_with_a_note() {
    let site = new_site();
    let root = site.path();
    add_day(root, DAYS[0]);
    build_kept(root);
    let record = root.join(".paperpress/cache/build.bin");
    assert!(record.is_file(), "the build keeps its record in .paperpress/cache/");

    // A damaged record.
    let mut bytes = std::fs::read(&record).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&record, &bytes).unwrap();
    add_day(root, DAYS[1]);
    let report = build_kept(root);
    assert!(!report.incremental);
    assert!(
        report.notes.iter().any(|n| n.contains("damaged") && n.contains("building everything")),
        "{:?}",
        report.notes
    );
    assert_same_as_clean_build(root, "after a damaged record");

    // A truncated one, and one that is not a record at all.
    for junk in [&bytes[..10], b"not a record".as_slice()] {
        std::fs::write(&record, junk).unwrap();
        let report = build_kept(root);
        assert!(!report.incremental && report.notes.iter().any(|n| n.contains("damaged")), "{:?}", report.notes);
    }

    // A record another build of paperpress wrote (the same version, other
    // code: it may render pages otherwise), and the parsed digests with it.
    build_kept(root);
    let other_binary = |path: &Path| {
        let bytes = std::fs::read(path).unwrap();
        let at = bytes.windows(7).position(|w| w == b"binary ").expect("the record names the binary that wrote it");
        let mut changed = bytes.clone();
        changed[at + 7] = if bytes[at + 7] == b'0' { b'1' } else { b'0' };
        std::fs::write(path, changed).unwrap();
    };
    other_binary(&record);
    add_day(root, DAYS[2]);
    let report = build_kept(root);
    assert!(!report.incremental, "a record of another binary is not used");
    assert!(report.notes.iter().any(|n| n.contains("another version or build of paperpress")), "{:?}", report.notes);
    assert_same_as_clean_build(root, "after another binary's record");

    // Another configuration.
    let config = root.join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap().replace("paginate_by = 3", "paginate_by = 4");
    std::fs::write(&config, text).unwrap();
    let report = build_kept(root);
    assert!(!report.incremental && report.notes.iter().any(|n| n.contains("configuration")), "{:?}", report.notes);
    assert_same_as_clean_build(root, "after a change of configuration");

    // The output folder restored from a copy, as a CI cache restores it:
    // the same files, another folder. The build goes on from the record.
    let public = root.join("public");
    let moved = root.join("elsewhere");
    std::fs::rename(&public, &moved).unwrap();
    crate::support::copy_tree(&moved, &public);
    std::fs::remove_dir_all(&moved).unwrap();
    add_day(root, DAYS[3]);
    let report = build_kept(root);
    assert!(report.incremental && report.notes.is_empty(), "a restored copy is the last build: {:?}", report.notes);
    assert_same_as_clean_build(root, "after the output folder was restored from a copy");

    // A copy that is not what the last build wrote: one page changed size.
    std::fs::rename(&public, &moved).unwrap();
    crate::support::copy_tree(&moved, &public);
    std::fs::write(public.join("days/index.html"), "an older build").unwrap();
    add_day(root, DAYS[4]);
    let report = build_kept(root);
    assert!(!report.incremental && report.notes.iter().any(|n| n.contains("not the folder")), "{:?}", report.notes);
    assert_same_as_clean_build(root, "after the output folder was replaced");

    // No record at all: a full build and no note.
    std::fs::remove_file(&record).unwrap();
    let report = build_kept(root);
    assert!(!report.incremental && report.notes.is_empty(), "{:?}", report.notes);
}

#[test]
fn issue_16_a_record_never_removes_files_outside_the_output_folder() {
    let outside = tempfile::tempdir().unwrap();
    let precious = outside.path().join("precious.txt");
    std::fs::write(&precious, "keep me").unwrap();
    let public = outside.path().join("public");
    std::fs::create_dir_all(&public).unwrap();
    let error = paperpress::output::apply(&public, &[], &["../precious.txt".to_string()]).unwrap_err();
    assert!(format!("{error:#}").contains("not a path inside the output folder"), "{error:#}");
    assert!(precious.exists());
}

#[cfg(unix)]
#[test]
fn issue_16_an_update_overwrites_files_but_never_writes_through_a_link() {
    use paperpress::sink::OutputFile;
    let outside = tempfile::tempdir().unwrap();
    let (linked, hard) = (outside.path().join("linked.txt"), outside.path().join("hard.txt"));
    std::fs::write(&linked, "keep me").unwrap();
    std::fs::write(&hard, "keep me too").unwrap();
    let public = outside.path().join("public");
    std::fs::create_dir_all(&public).unwrap();
    std::os::unix::fs::symlink(&linked, public.join("a.html")).unwrap();
    std::fs::hard_link(&hard, public.join("b.html")).unwrap();
    std::fs::write(public.join("c.html"), "a page longer than the one that replaces it").unwrap();
    std::fs::write(public.join("e.html"), "short").unwrap();
    std::fs::write(public.join("f.html"), "old f.html").unwrap();
    let files: Vec<OutputFile> = ["a.html", "b.html", "c.html", "new/d.html", "e.html", "f.html"]
        .iter()
        .map(|path| OutputFile { path: path.to_string(), bytes: format!("new {path}").into_bytes() })
        .collect();
    paperpress::output::apply(&public, &files, &[]).unwrap();
    // Shorter (cut), new, longer (grown) and as long as before.
    for path in ["a.html", "b.html", "c.html", "new/d.html", "e.html", "f.html"] {
        assert_eq!(std::fs::read_to_string(public.join(path)).unwrap(), format!("new {path}"));
    }
    assert!(!public.join("a.html").is_symlink(), "the link is replaced by the page");
    assert_eq!(std::fs::read_to_string(&linked).unwrap(), "keep me");
    assert_eq!(std::fs::read_to_string(&hard).unwrap(), "keep me too");
}
