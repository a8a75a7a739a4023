//! `paperpress import` of the Daily Papers API JSON and arXiv Atom: every
//! real file yields its papers, inputs merge into one page per paper,
//! bad input is skipped and counted, and large inputs stream.

use std::io::Read;
use std::path::{Path, PathBuf};

use paperpress::config::Site;
use paperpress::import::{ImportOptions, ImportReport, import};
use paperpress::paper::Paper;
use paperpress::source::{Record, arxiv_atom, hf_api_json};

use crate::support::{build, page, repo_root, texts, tree};

fn empty_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"Imported\"\n").unwrap();
    dir
}

fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/import").join(name)
}

fn real_files() -> Vec<PathBuf> {
    [
        "hf-daily-papers-2024-05-27.json",
        "hf-daily-papers-2025-10-24.json",
        "arxiv-atom-2016-search.xml",
        "arxiv-atom-2026-id-list.xml",
    ]
    .iter()
    .map(|name| fixture(name))
    .collect()
}

fn run(root: &Path, files: &[PathBuf]) -> ImportReport {
    let site = Site::load(root).unwrap();
    import(&site, files, &ImportOptions::default()).unwrap()
}

fn read_page(root: &Path, name: &str) -> Paper {
    let path = root.join("content/papers").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Paper::from_page(&text, &path).unwrap()
}

#[test]
fn each_real_file_yields_exactly_its_papers_with_authors_and_links() {
    for (file, count) in real_files().iter().zip([13, 18, 10, 1]) {
        let site = empty_site();
        let report = run(site.path(), std::slice::from_ref(file));
        assert_eq!(
            report.summary(),
            format!("{count} new, 0 updated, 0 unchanged, 0 hand-written kept, 0 conflicts; 0 records skipped"),
            "{}",
            file.display()
        );
        for path in &report.new {
            let text = std::fs::read_to_string(path).unwrap();
            let paper = Paper::from_page(&text, path).unwrap();
            assert!(!paper.authors.is_empty(), "{}", path.display());
            assert_eq!(paper.arxiv, Some(format!("https://arxiv.org/abs/{}", paper.id)));
            assert_eq!(paper.pdf, Some(format!("https://arxiv.org/pdf/{}", paper.id)));
            assert!(!paper.body.is_empty(), "{}", path.display());
        }
    }
}

#[test]
fn importing_everything_twice_changes_nothing_the_second_time() {
    let site = empty_site();
    let mut files = real_files();
    files.push(repo_root().join("content/digests/2025-08-06.txt"));
    let first = run(site.path(), &files);
    assert_eq!(first.summary(), "114 new, 0 updated, 0 unchanged, 0 hand-written kept, 0 conflicts; 0 records skipped");
    let papers = site.path().join("content/papers");
    let before = tree(&papers);
    let second = run(site.path(), &files);
    assert_eq!(
        second.summary(),
        "0 new, 0 updated, 114 unchanged, 0 hand-written kept, 0 conflicts; 0 records skipped"
    );
    assert_eq!(before, tree(&papers));
}

#[test]
fn api_fields_reach_the_page() {
    let site = empty_site();
    run(site.path(), &real_files());
    let adaspec = read_page(site.path(), "2510.19779.md");
    assert_eq!(adaspec.title, "AdaSPEC: Selective Knowledge Distillation for Efficient Speculative Decoders");
    assert_eq!(adaspec.date().to_string(), "2025-10-24");
    assert_eq!(adaspec.code, ["https://github.com/yuezhouhu/adaspec"]);
    assert_eq!((adaspec.upvotes, adaspec.github_stars), (Some(39), Some(0)));
    assert_eq!(adaspec.ai_keywords[0], "Speculative Decoding");
    let old_style = read_page(site.path(), "cond-mat_0412498.md");
    assert_eq!(old_style.id, "cond-mat/0412498");
    assert_eq!(old_style.doi.as_deref(), Some("10.1103/PhysRevB.71.184511"));
    assert_eq!(old_style.primary_category.as_deref(), Some("cond-mat.str-el"));

    build(site.path());
    let html = page(site.path(), "papers/2510.19779.html");
    assert_eq!(texts(&html, "h1"), ["AdaSPEC: Selective Knowledge Distillation for Efficient Speculative Decoders"]);
    assert!(html.contains("Yuezhou Hu"), "authors are on the page");
}

/// A text copy knows no arXiv id; the API does. Whichever comes first,
/// the paper gets one page with the id, both days and the API's authors.
#[test]
fn a_text_copy_and_the_api_share_one_page() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("2025-10-23.txt");
    std::fs::write(
        &copy,
        "Oct 23\n\nAdaSPEC: Selective Knowledge Distillation for Efficient Speculative Decoders\n\nSpeculative decoding, summarised by hand in a text copy of the page.\n",
    )
    .unwrap();
    let api = fixture("hf-daily-papers-2025-10-24.json");
    for order in [[copy.clone(), api.clone()], [api.clone(), copy.clone()]] {
        let site = empty_site();
        let report = run(site.path(), &order[..1]);
        assert_eq!(report.new.len(), if order[0] == copy { 1 } else { 18 });
        let report = run(site.path(), &order[1..]);
        let pages = crate::support::tree(&site.path().join("content/papers"))
            .into_iter()
            .filter(|(path, _)| !path.starts_with(".imported"))
            .count();
        assert_eq!(pages, 18, "one page per paper ({order:?})");
        assert_eq!(report.skipped, []);
        let path = report.updated.first().or(report.new.first()).unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let merged = Paper::from_page(&text, path).unwrap();
        let merged = if merged.id == "2510.19779" { merged } else { read_page(site.path(), "2510.19779.md") };
        assert_eq!(merged.authors.len(), 4, "authors from the API beat none ({order:?})");
        assert_eq!(merged.dates().map(|d| d.to_string()).collect::<Vec<_>>(), ["2025-10-23", "2025-10-24"]);
        // Importing both again changes nothing.
        let again = run(site.path(), &order);
        assert_eq!(
            again.summary(),
            "0 new, 0 updated, 18 unchanged, 0 hand-written kept, 0 conflicts; 0 records skipped"
        );
    }
}

#[test]
fn versions_collapse_and_the_richer_record_wins_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let api = dir.path().join("paper-2026-04-12.json");
    std::fs::write(
        &api,
        r#"{"id": "1605.08386v2", "title": "Heat-bath random walks with\n  Markov bases", "upvotes": 5,
            "githubRepo": "https://github.com/example/heat-bath"}"#,
    )
    .unwrap();
    let site = empty_site();
    let report = run(site.path(), &[fixture("arxiv-atom-2026-id-list.xml"), api]);
    assert_eq!(report.summary(), "1 new, 0 updated, 0 unchanged, 0 hand-written kept, 0 conflicts; 0 records skipped");
    let paper = read_page(site.path(), "1605.08386.md");
    assert_eq!(paper.authors, ["Caprice Stanley", "Tobias Windisch"], "from the Atom feed");
    assert_eq!(paper.categories, ["math.CO", "math.ST"], "from the Atom feed");
    assert_eq!(paper.upvotes, Some(5), "from the API");
    assert_eq!(paper.code, ["https://github.com/example/heat-bath"], "from the API");
    assert_eq!(paper.dates().map(|d| d.to_string()).collect::<Vec<_>>(), ["2016-05-26", "2026-04-12"]);
}

#[test]
fn an_edited_page_keeps_the_edit() {
    let site = empty_site();
    let files = [fixture("arxiv-atom-2016-search.xml")];
    run(site.path(), &files);
    let path = site.path().join("content/papers/1201.4869.md");
    let edited = std::fs::read_to_string(&path).unwrap().replace("+++\n\n", "+++\n\nMy note.\n\n");
    std::fs::write(&path, &edited).unwrap();
    let report = run(site.path(), &files);
    assert_eq!(report.summary(), "0 new, 0 updated, 10 unchanged, 0 hand-written kept, 0 conflicts; 0 records skipped");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
}

/// Each bad input of the issue, imported together with a good file: the
/// bad records are skipped with their exact message, the good ones import,
/// and the pages already in `content/` are untouched.
#[test]
fn bad_input_is_skipped_and_counted_and_nothing_is_damaged() {
    let site = empty_site();
    run(site.path(), &[fixture("arxiv-atom-2026-id-list.xml")]);
    let papers = site.path().join("content/papers");
    let before = tree(&papers);

    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let real = std::fs::read_to_string(fixture("hf-daily-papers-2025-10-24.json")).unwrap();
    let files = [
        write("repr.json", "[\n  \"{'paper': {'id': '2510.19779', 'title': datetime(1)}}\"\n]\n"),
        write("cut-2025-10-24.json", &real[..real.find("\"2510.19600\"").unwrap()]),
        write("news.xml", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>\n"),
        write(
            "feed.xml",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <entry>\n    <id>http://arxiv.org/abs/2001.00001</id>\n    <published>2020-01-01T00:00:00Z</published>\n  </entry>\n  <entry>\n    <id>../../../etc/passwd</id>\n    <title>Out</title>\n  </entry>\n</feed>\n",
        ),
        write(
            "ids.json",
            "[{\"paper\": {\"id\": \"../x\", \"title\": \"Out\", \"submittedOnDailyAt\": \"2025-10-24T00:00:00Z\"}}]",
        ),
        fixture("arxiv-atom-2016-search.xml"),
    ];
    let report = run(site.path(), &files);
    let messages: Vec<String> = report.skipped.iter().map(ToString::to_string).collect();
    let name = |n: &str| dir.path().join(n).display().to_string();
    assert_eq!(
        messages,
        [
            format!(
                "`{}` line 2, column 44: item 1 was skipped: it is not a Python literal: `datetime` is a call, not a Python literal (text, number, list, dict, True, False or None)",
                name("repr.json")
            ),
            format!(
                "`{}` line 234, column 13: the file ends inside item 3 (which starts on line 232): the JSON is truncated; expected the rest of the item, then `]`",
                name("cut-2025-10-24.json")
            ),
            format!(
                "`{}` line 2, column 1: not an Atom feed: the root element is `<rss>`; expected `<feed xmlns=\"http://www.w3.org/2005/Atom\">` as the arXiv API returns",
                name("news.xml")
            ),
            format!(
                "`{}` line 2, column 3: entry 1 (2001.00001) was skipped: it has no title; expected a `<title>` with text",
                name("feed.xml")
            ),
            format!(
                "`{}` line 7, column 5: entry 2 was skipped: `../../../etc/passwd` is not an arXiv id; expected an `<id>` like `http://arxiv.org/abs/2510.19779v1`",
                name("feed.xml")
            ),
            format!(
                "`{}` line 1, column 19: item 1 was skipped: `../x` is not an arXiv id; expected `paper.id` like `2510.19779`",
                name("ids.json")
            ),
        ]
    );
    assert_eq!(report.files, 5, "the files that were read at least in part");
    assert_eq!(report.new.len(), 2 + 10, "the good records of the cut file, and the good file");
    let after = tree(&papers);
    for (path, bytes) in &before {
        assert!(after.contains(&(path.clone(), bytes.clone())), "{path} was changed");
    }
    assert!(after.iter().all(|(path, _)| !path.contains("passwd") && !path.contains("..")));
}

/// A reader that makes up a large input as it is read, so the test never
/// holds it, and counts how far it has been read.
struct Generated {
    head: Vec<u8>,
    item: Box<dyn Fn(usize) -> String>,
    separator: &'static str,
    tail: Vec<u8>,
    items: usize,
    next: usize,
    pending: Vec<u8>,
    read: std::rc::Rc<std::cell::Cell<usize>>,
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            self.pending = if !self.head.is_empty() {
                std::mem::take(&mut self.head)
            } else if self.next < self.items {
                self.next += 1;
                let sep = if self.next > 1 { self.separator } else { "" };
                format!("{sep}{}", (self.item)(self.next)).into_bytes()
            } else {
                std::mem::take(&mut self.tail)
            };
        }
        let n = self.pending.len().min(out.len());
        out[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        self.read.set(self.read.get() + n);
        Ok(n)
    }
}

/// Size of the generated streams: 16 MB by default, to keep `cargo test`
/// quick; `PAPERPRESS_BIG_MB=100 cargo test --release large_` runs the issue's
/// 100 MB. The property checked does not depend on the size.
fn big_bytes() -> usize {
    std::env::var("PAPERPRESS_BIG_MB").ok().and_then(|mb| mb.parse().ok()).unwrap_or(16) << 20
}

/// Pulls every record of a large stream, checking that no record needs
/// more than one item of input beyond what was read for the one before.
fn assert_streams(records: impl Iterator<Item = Record>, read: &std::cell::Cell<usize>, items: usize, item_len: usize) {
    let mut count = 0;
    for record in records {
        match record {
            Record::Paper(_) => count += 1,
            other => panic!("{other:?}"),
        }
        let limit = (count + 1) * item_len + 256 * 1024;
        assert!(read.get() <= limit, "read {} bytes for {count} records", read.get());
    }
    assert_eq!(count, items);
    assert!(read.get() > big_bytes(), "the stream was {} bytes", read.get());
}

#[test]
fn a_large_api_json_file_streams_item_by_item() {
    let real = std::fs::read_to_string(fixture("hf-daily-papers-2025-10-24.json")).unwrap();
    let template = real[real.find('{').unwrap()..real.find("\n  },\n").unwrap() + 4].to_string();
    let items = big_bytes() / template.len() + 1;
    let read = std::rc::Rc::new(std::cell::Cell::new(0));
    let input = Generated {
        head: b"[\n".to_vec(),
        item: Box::new(move |n| template.replace("2510.19779", &format!("2510.{:05}", n % 100_000))),
        separator: ",\n  ",
        tail: b"\n]\n".to_vec(),
        items,
        next: 0,
        pending: Vec::new(),
        read: read.clone(),
    };
    let item_len = real.find("\n  },\n").unwrap();
    let records = hf_api_json::records(std::io::BufReader::new(input), Path::new("big.json"), None);
    assert_streams(records.map(Result::unwrap), &read, items, item_len);
}

#[test]
fn a_large_atom_feed_streams_entry_by_entry() {
    let real = std::fs::read_to_string(fixture("arxiv-atom-2016-search.xml")).unwrap();
    let entry = real[real.find("<entry>").unwrap()..real.find("</entry>").unwrap() + 8].to_string();
    let items = big_bytes() / entry.len() + 1;
    let read = std::rc::Rc::new(std::cell::Cell::new(0));
    let input = Generated {
        head: b"<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n".to_vec(),
        item: Box::new(move |n| entry.replace("1201.4869", &format!("1201.{:05}", n % 100_000))),
        separator: "\n",
        tail: b"\n</feed>\n".to_vec(),
        items,
        next: 0,
        pending: Vec::new(),
        read: read.clone(),
    };
    let item_len = real.find("</entry>").unwrap() - real.find("<entry>").unwrap() + 10;
    let records = arxiv_atom::records(std::io::BufReader::new(input), Path::new("big.xml"), None);
    assert_streams(records.map(Result::unwrap), &read, items, item_len);
}

/// The inputs the fuzz targets (`fuzz/`) found interesting, kept as
/// regression tests: each parser must take them without panicking, and
/// give only safe, titled papers; a page that parses must be written back
/// the same. Run with `cargo test fuzz_inputs`.
#[test]
fn fuzz_inputs_stay_fixed() {
    let dir = repo_root().join("tests/fixtures/import/fuzz");
    let mut checked = 0;
    for target in ["text", "json", "atom", "front_matter"] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(target)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            let result = std::panic::catch_unwind(|| check_fuzz_input(target, &bytes));
            assert!(result.is_ok(), "{} panicked", file.display());
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} inputs");
}

fn check_fuzz_input(target: &str, bytes: &[u8]) {
    match target {
        "json" => crate::readers_agree::json_readers_agree(bytes),
        "atom" => crate::readers_agree::atom_readers_agree(bytes),
        _ => {}
    }
    let papers: Vec<Paper> = match target {
        "json" => hf_api_json::records(bytes, Path::new("fuzz.json"), None).filter_map(paper_of).collect(),
        "atom" => arxiv_atom::records(bytes, Path::new("fuzz.xml"), Some(jiff::civil::date(2026, 1, 2)))
            .filter_map(paper_of)
            .collect(),
        "text" => {
            let Ok(text) = std::str::from_utf8(bytes) else { return };
            let date = Some(jiff::civil::date(2025, 8, 6));
            let format = Some(paperpress::source::Format::Text);
            paperpress::source::parse_text(text, Path::new("2025-08-06.txt"), format, date)
                .map(|parsed| parsed.papers)
                .unwrap_or_default()
        }
        _ => {
            let Ok(text) = std::str::from_utf8(bytes) else { return };
            let path = Path::new("content/papers/fuzz.md");
            if let Ok(paper) = Paper::from_page(text, path) {
                let page = paper.to_page();
                let again = Paper::from_page(&page, path).unwrap();
                assert_eq!(again, paper);
                assert_eq!(again.to_page(), page);
            }
            return;
        }
    };
    for paper in papers {
        assert_eq!(paperpress::paper::validate_id(&paper.id).as_deref(), Some(paper.id.as_str()));
        assert!(!paper.title.trim().is_empty());
    }
}

fn paper_of(record: paperpress::source::RecordResult) -> Option<Paper> {
    match record {
        Ok(Record::Paper(paper)) => Some(*paper),
        _ => None,
    }
}
