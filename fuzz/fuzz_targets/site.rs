//! The whole path, from bytes to a built site, on disk as a user takes it:
//! the first byte picks the digest's name (text copy, API JSON, arXiv
//! Atom), the rest is the digest. It is imported twice into a new site
//! and built; every page import wrote must read back, the second import
//! must change nothing, and the site must build with every page, every
//! internal link resolving, and nothing unsafe in what a browser or a
//! feed reader makes of it (see `tests/integration/whole_path.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/integration/whole_path.rs"]
mod whole_path;

fuzz_target!(|data: &[u8]| whole_path::whole_path(data));
