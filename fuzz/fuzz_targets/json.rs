//! The API JSON importer reads raw bytes as `import` streams them; it must
//! never panic, and every record it yields must be a safe page.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use paperpress::paper::validate_id;
use paperpress::source::{Record, hf_api_json};

fuzz_target!(|data: &[u8]| {
    for record in hf_api_json::records(data, Path::new("fuzz.json"), None) {
        if let Ok(Record::Paper(paper)) = record {
            assert_eq!(validate_id(&paper.id).as_deref(), Some(paper.id.as_str()), "unsafe id");
            assert!(!paper.title.trim().is_empty());
        }
    }
});
