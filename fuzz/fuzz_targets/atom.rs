//! The arXiv Atom importer reads raw bytes as `import` streams them; it
//! must never panic, and every record it yields must be a safe page.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use paperpress::paper::validate_id;
use paperpress::source::{Record, arxiv_atom};

fuzz_target!(|data: &[u8]| {
    for record in arxiv_atom::records(data, Path::new("fuzz.xml"), Some(jiff::civil::date(2026, 1, 2))) {
        if let Ok(Record::Paper(paper)) = record {
            assert_eq!(validate_id(&paper.id).as_deref(), Some(paper.id.as_str()), "unsafe id");
            assert!(!paper.title.trim().is_empty());
        }
    }
});
