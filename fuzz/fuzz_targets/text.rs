//! The plain-text importer must never panic, whatever the bytes, and every
//! paper it yields must be a safe page: a safe id and a title that shows.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use paperpress::paper::validate_id;
use paperpress::source::{Format, parse_text, vet::shows_text};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let date = Some(jiff::civil::date(2025, 8, 6));
    let Ok(parsed) = parse_text(text, Path::new("2025-08-06.txt"), Some(Format::Text), date) else { return };
    for paper in parsed.papers {
        assert_eq!(validate_id(&paper.id).as_deref(), Some(paper.id.as_str()), "unsafe id");
        assert!(shows_text(&paper.title), "a title that shows nothing: {:?}", paper.title);
    }
});
