//! The API JSON importer reads raw bytes as `import` streams them; it must
//! never panic, every record it yields must be a safe page, and it must
//! read the file as `build` does, however the bytes arrive.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/integration/readers_agree.rs"]
#[allow(dead_code)]
mod readers_agree;

fuzz_target!(|data: &[u8]| readers_agree::json_readers_agree(data));
