//! Paper pages (TOML front matter + Markdown): parsing must never panic,
//! and a page that parses must survive being written and read again: the
//! same paper, and the same page text from then on.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use paperpress::paper::Paper;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("content/papers/fuzz.md");
    if let Ok(paper) = Paper::from_page(text, path) {
        let page = paper.to_page();
        let again = Paper::from_page(&page, path).expect("a written page parses");
        assert_eq!(again, paper, "a written page reads back as the paper");
        assert_eq!(again.to_page(), page, "writing a page is stable");
    }
});
