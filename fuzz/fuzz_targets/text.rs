//! The plain-text importer must never panic, whatever the bytes.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use paperpress::source::{Format, parse_text};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let date = Some(jiff::civil::date(2025, 8, 6));
        let _ = parse_text(text, Path::new("2025-08-06.txt"), Some(Format::Text), date);
    }
});
