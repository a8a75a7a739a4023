//! Property tests of issue 12, one per attack class, over hostile strings
//! in every field of every input format. Seeded, so every run (and CI)
//! tries the same cases; `PROPTEST_CASES` tries more.
//!
//! Each case takes the whole path: bytes -> records (the importer) ->
//! pages (`to_page`) -> parsed pages (`from_page`) -> the built site, in
//! memory ([`paperpress::build_in_memory`]), and checks what a reader
//! would get ([`paperpress::check::unsafe_output`]).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use paperpress::config::Config;
use paperpress::paper::{Paper, title_key};
use paperpress::sink::OutputFile;
use paperpress::source::{self, Format};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, RngSeed};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(cases),
        rng_seed: RngSeed::Fixed(12),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces attackers and real inputs put in text.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9 ]{1,12}",
        1 => any::<char>().prop_map(String::from),
        1 => "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{200b}-\\u{200f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{2028}\\u{2029}\\u{feff}]{1,3}",
        1 => prop::sample::select(vec![
            "javascript:alert(1)", "[PDF](javascript:alert(1))", "<javascript:alert(2)>", "<script>alert(3)</script>",
            "https://x.example/", "https://github.com/a/b", "https://github.com@evil.example/", "https://x.example/\u{1}",
            "http://a.example/\u{202e}fdp.exe", "$\\hspace{1000000em}$", "$x^2$", "$$", "\\,", "\\'e", "``", "''",
            "+++", "\n+++\n", "\n", "\n\n", "]]>", "&#1;", "&amp;", "`", "*", "_", "#", "> ", "- ", "1. ", "{", "}", ")",
            "(", "[", "]", "\\", "\"", "'", "import_hash = \"", "title = \"x\"", "Aug 6", "2025-08-06",
        ])
        .prop_map(String::from),
    ]
}

/// A hostile string: a few pieces end to end.
fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..7).prop_map(|pieces| pieces.concat())
}

fn site_config() -> Config {
    Config { base_url: "https://example.org/".into(), ..Config::default() }
}

/// The checks every record an importer accepts must pass, then the site
/// they build: it builds, and nothing in it is unsafe.
fn assert_whole_path(parsed: source::Parsed) -> Result<Vec<OutputFile>, TestCaseError> {
    let path = Path::new("content/papers/p.md");
    for paper in &parsed.papers {
        let page = paper.to_page();
        let back = Paper::from_page(&page, path);
        prop_assert!(back.as_ref().is_ok_and(|b| b == paper), "the page does not read back: {page:?} -> {back:?}");
        prop_assert!(!paper.title.chars().any(char::is_control), "{:?}", paper.title);
    }
    let files = paperpress::build_in_memory(&site_config(), parsed.papers)
        .map_err(|e| TestCaseError::fail(format!("the build failed: {e:#}")))?;
    let problems = paperpress::check::unsafe_output(&files, &HashSet::new());
    prop_assert!(problems.is_empty(), "{problems:#?}");
    Ok(files)
}

fn xml_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".into(),
            '<' => "&lt;".into(),
            '>' => "&gt;".into(),
            '"' => "&quot;".into(),
            c if c.is_control() => format!("&#{};", c as u32),
            c => c.to_string(),
        })
        .collect()
}

proptest! {
    #![proptest_config(config(24))]

    /// Script and markup, records that poison the site: hostile strings in
    /// every field of an API JSON item.
    #[test]
    fn issue_12_any_api_json_item_builds_safely(
        title in hostile(), summary in hostile(), authors in prop::collection::vec(hostile(), 0..3),
        repo in hostile(), project in hostile(), ai_summary in hostile(), keywords in prop::collection::vec(hostile(), 0..3),
        id in prop_oneof![Just("2510.19779".to_string()), hostile()], date in prop_oneof![Just("2025-10-24T02:14:45Z".to_string()), hostile()],
    ) {
        let item = serde_json::json!({"paper": {
            "id": id, "title": title, "summary": summary,
            "authors": authors.iter().map(|a| serde_json::json!({"name": a})).collect::<Vec<_>>(),
            "githubRepo": repo, "projectPage": project, "ai_summary": ai_summary, "ai_keywords": keywords,
            "submittedOnDailyAt": date, "publishedAt": date,
        }});
        let json = serde_json::to_string(&vec![item.clone(), item]).unwrap();
        if let Ok(parsed) = source::parse_text(&json, Path::new("2025-10-24.json"), Some(Format::Json), None) {
            assert_whole_path(parsed)?;
        }
    }

    /// The same for every field of an arXiv Atom entry.
    #[test]
    fn issue_12_any_atom_entry_builds_safely(
        title in hostile(), summary in hostile(), author in hostile(), category in hostile(), comment in hostile(),
        doi in hostile(), link in hostile(), published in prop_oneof![Just("2025-10-24T00:00:00Z".to_string()), hostile()],
    ) {
        let feed = format!(
            r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"><entry><id>http://arxiv.org/abs/2510.19779v1</id><title>{}</title><summary>{}</summary><author><name>{}</name></author><category term="{}"/><arxiv:comment>{}</arxiv:comment><arxiv:doi>{}</arxiv:doi><link href="{}" title="pdf"/><published>{}</published></entry></feed>"#,
            xml_text(&title), xml_text(&summary), xml_text(&author), xml_text(&category), xml_text(&comment),
            xml_text(&doi), xml_text(&link), xml_text(&published),
        );
        if let Ok(parsed) = source::parse_text(&feed, Path::new("2025-10-24.xml"), Some(Format::Atom), None) {
            assert_whole_path(parsed)?;
        }
    }

    /// The same for a text copy, titles and abstracts.
    #[test]
    fn issue_12_any_text_copy_builds_safely(blocks in prop::collection::vec(hostile(), 1..6)) {
        let filler = "This abstract is long enough to be read as one, and it ends like a sentence.";
        let text = blocks.iter().map(|b| format!("{b}\n\n{b} {filler}\n\n")).collect::<String>();
        if let Ok(parsed) = source::parse_text(&text, Path::new("2025-08-06.txt"), Some(Format::Text), None) {
            assert_whole_path(parsed)?;
        }
    }

    /// Papers lost or overwritten: papers known only by their titles get a
    /// page each exactly when their normalised titles differ.
    #[test]
    fn issue_12_distinct_titles_get_distinct_pages(titles in prop::collection::vec("[A-Ca-c][A-Ca-c+#:. ]{0,5} [A-Za-z]{1,3}", 1..8)) {
        let filler = "This abstract is long enough to be read as one, and it ends like a sentence.";
        // Abstracts end with a period, as real ones do (a text copy tells
        // an abstract from a title by its length and its end).
        let text: String = titles.iter().enumerate().map(|(i, t)| format!("Aug {}\n\n{t}\n\nPaper {i}. {filler}\n\n", i + 1)).collect();
        let parsed = source::parse_text(&text, Path::new("2025-08-06.txt"), Some(Format::Text), None).unwrap();
        let files = assert_whole_path(parsed)?;
        let mut pages: HashMap<String, usize> = HashMap::new();
        for file in files.iter().filter(|f| f.path.starts_with("papers/") && f.path.ends_with(".html")) {
            let html = String::from_utf8_lossy(&file.bytes);
            let title = html.split("<title>").nth(1).and_then(|t| t.split(" · ").next()).unwrap_or_default();
            *pages.entry(title_key(&title.replace("&amp;", "&").replace("&#x2F;", "/"))).or_default() += 1;
        }
        let keys: HashSet<String> = titles.iter().map(|t| title_key(t.trim())).collect();
        prop_assert_eq!(pages.len(), keys.len(), "{:?} -> {:?}", titles, pages);
        prop_assert!(pages.values().all(|&n| n == 1), "{pages:?}");
    }

    /// No two outputs claim one path: explicit topics named like the pages
    /// paperpress makes either build, with each path written once, or fail
    /// with an error that names the path.
    #[test]
    fn issue_12_no_topic_name_overwrites_another_output(
        names in prop::collection::vec(prop_oneof![
            prop::sample::select(vec!["Index", "index", "INDEX", "Search", "Days", "Papers", "atom", "1", "Index!"]).prop_map(String::from),
            "[A-Za-z]{1,8}",
        ], 1..5),
    ) {
        let paper = |i: usize, topics: Vec<String>| Paper {
            id: format!("2510.1000{i}"),
            title: format!("Paper {i}"),
            days: vec![paperpress::paper::Listing::new(jiff::civil::date(2025, 8, 6), Some(i as u32 + 1))],
            topics,
            body: "Text.".into(),
            ..Paper::default()
        };
        let papers = vec![paper(1, names.clone()), paper(2, names[..1].to_vec())];
        match paperpress::build_in_memory(&site_config(), papers) {
            Ok(files) => {
                let mut seen = HashSet::new();
                prop_assert!(files.iter().all(|f| seen.insert(f.path.clone())));
                let overview = files.iter().find(|f| f.path == "topics/index.html").expect("an overview");
                let html = String::from_utf8_lossy(&overview.bytes);
                for name in &names {
                    prop_assert!(html.contains(&format!(">{name}<")) || html.contains(name.as_str()), "the overview lists {name}");
                }
            }
            Err(e) => prop_assert!(format!("{e:#}").contains("would both be written to `"), "{e:#}"),
        }
    }
}
