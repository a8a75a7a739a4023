//! The whole path, from bytes to a built site: the first byte picks the
//! format (text copy, API JSON, arXiv Atom), the rest is the input. Every
//! record the importer accepts must read back from its page, and the site
//! they build (in memory, with feeds) must build and hold nothing unsafe:
//! no link that is not a web, mailto or relative link, no control
//! character, no feed that is not well-formed XML.
#![no_main]

use std::collections::HashSet;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use paperpress::config::Config;
use paperpress::paper::Paper;
use paperpress::source::{Format, parse_text};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let (format, name) = match selector % 3 {
        0 => (Format::Text, "2025-08-06.txt"),
        1 => (Format::Json, "2025-08-06.json"),
        _ => (Format::Atom, "2025-08-06.xml"),
    };
    let Ok(parsed) = parse_text(text, Path::new(name), Some(format), None) else { return };
    let page_path = Path::new("content/papers/fuzz.md");
    let mut papers = Vec::new();
    for paper in parsed.papers {
        let page = paper.to_page();
        let back = Paper::from_page(&page, page_path).expect("every accepted record reads back from its page");
        assert_eq!(back, paper, "the page reads back as the record");
        papers.push(back);
    }
    if papers.is_empty() {
        return;
    }
    let config = Config { base_url: "https://example.org/".into(), ..Config::default() };
    let files = paperpress::build_in_memory(&config, papers).expect("accepted records always build");
    let problems = paperpress::check::unsafe_output(&files, &HashSet::new());
    assert!(problems.is_empty(), "{problems:#?}");
});
