//! `import` streams API JSON and Atom digests; `build` parses them whole.
//! Both must read one file the same way, however the bytes arrive: in one
//! buffer, or a few bytes at a time. [`json_readers_agree`] and
//! [`atom_readers_agree`] panic, saying how, when they do not, or when a
//! record is not a safe page. The `json` and `atom` fuzz targets (`fuzz/`)
//! run them on every input, and `cargo test` on the inputs fuzzing found.
//!
//! This file is also compiled into the fuzz targets, so it uses only
//! paperpress and the crates both share.

use std::io::BufRead;
use std::path::Path;

use paperpress::paper::validate_id;
use paperpress::source::{Parsed, Record, RecordResult, arxiv_atom, hf_api_json};

/// What a reader gave: the papers, then every other record, in order.
#[derive(Debug, PartialEq)]
struct Read {
    papers: Vec<paperpress::paper::Paper>,
    others: Vec<String>,
}

/// The records of a stream, as `build` collects them: a problem before any
/// record fails the file.
fn collect(records: impl Iterator<Item = RecordResult>) -> Result<Read, String> {
    let mut read = Read { papers: Vec::new(), others: Vec::new() };
    for (n, record) in records.enumerate() {
        match record {
            Ok(Record::Paper(paper)) => read.papers.push(*paper),
            Ok(other) => read.others.push(format!("{other:?}")),
            Err(e) if n == 0 => return Err(e.to_string()),
            Err(e) => read.others.push(format!("{:?}", Record::Skipped(e))),
        }
    }
    Ok(read)
}

fn parsed(parsed: Parsed) -> Read {
    let skipped = parsed.skipped.into_iter().map(|e| format!("{:?}", Record::Skipped(e)));
    let warnings = parsed.warnings.into_iter().map(|w| format!("{:?}", Record::Warning(w)));
    let notes = parsed.notes.into_iter().map(|n| format!("{:?}", Record::Note(n)));
    let mut others: Vec<String> = skipped.chain(warnings).chain(notes).collect();
    others.sort();
    Read { papers: parsed.papers, others }
}

/// A buffer of a few bytes, its size picked by the input, so chunk
/// boundaries fall everywhere across runs.
fn small_buffer(data: &[u8]) -> std::io::BufReader<&[u8]> {
    std::io::BufReader::with_capacity(1 + data.len() % 61, data)
}

fn readers_agree(
    data: &[u8],
    stream: impl Fn(&mut dyn BufRead) -> Result<Read, String>,
    whole: impl Fn(&str) -> Result<Parsed, paperpress::error::ImportError>,
) {
    let streamed = stream(&mut &data[..]);
    let trickled = stream(&mut small_buffer(data));
    assert_eq!(streamed, trickled, "the records depend on how the bytes arrive");
    if let Ok(read) = &streamed {
        for paper in &read.papers {
            assert_eq!(validate_id(&paper.id).as_deref(), Some(paper.id.as_str()), "unsafe id");
            assert!(paperpress::source::vet::shows_text(&paper.title), "a title that shows nothing");
        }
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let whole = whole(text).map(parsed).map_err(|e| e.to_string());
    let streamed = streamed.map(|mut read| {
        read.others.sort();
        read
    });
    assert_eq!(streamed, whole, "import (streaming) and build (whole file) read the file differently");
}

/// API JSON, as `import` and `build` read it.
pub fn json_readers_agree(data: &[u8]) {
    let path = Path::new("2025-08-06.json");
    readers_agree(
        data,
        |input| collect(hf_api_json::records(input, path, None)),
        |text| hf_api_json::parse(text, path, None),
    );
}

/// arXiv Atom, as `import` and `build` read it.
pub fn atom_readers_agree(data: &[u8]) {
    let path = Path::new("2025-08-06.xml");
    readers_agree(
        data,
        |input| collect(arxiv_atom::records(input, path, None)),
        |text| arxiv_atom::parse(text, path, None),
    );
}
