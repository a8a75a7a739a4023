//! The parse cache: what each digest held when it was last parsed, kept in
//! the cache folder (`parsed/` in `.paperpress/cache/`), so that a rebuild
//! parses only the digests that are new or changed.
//!
//! An entry is named by a hash of the paperpress version, the digest's path
//! and its bytes: a changed file, a moved site or another version finds no
//! entry and is parsed, so the cache can make a build faster but never
//! different. Each entry ends with a checksum; a damaged one is parsed
//! again and replaced. [`ParseCache::finish`] removes the entries that no
//! digest of the build used. The cache is best effort: an entry that
//! cannot be written is parsed again next time.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::ImportError;
use crate::source::{self, Parsed};

/// What an entry starts with: entries of another version are not read.
/// (6: the title keys of its papers are kept with them.)
const FORMAT: &str = concat!("paperpress ", env!("CARGO_PKG_VERSION"), " parsed digest 6\n");

/// The folder of the entries, in the cache folder.
const FOLDER: &str = "parsed";

/// What one digest parses to, with each paper's [`crate::paper::title_key`]
/// (the catalog merges papers by it; NFKC costs as much as decoding).
pub type Outcome = Result<(Parsed, Vec<String>), ImportError>;

/// What `bytes` of the digest `path` parse to, title keys made.
pub fn parse_keyed(path: &Path, bytes: Vec<u8>) -> Outcome {
    source::parse_bytes(path, bytes, None, None).map(|parsed| {
        let keys = parsed.papers.iter().map(|paper| crate::paper::title_key(&paper.title)).collect();
        (parsed, keys)
    })
}

/// The parse cache of one build.
#[derive(Debug)]
pub struct ParseCache {
    dir: PathBuf,
    /// Entries this build used (file names).
    used: Mutex<HashSet<String>>,
    /// Digests parsed, and found in the cache.
    counts: Mutex<(usize, usize)>,
}

impl ParseCache {
    /// The cache in the cache folder `cache`.
    pub fn open(cache: &Path) -> ParseCache {
        ParseCache { dir: cache.join(FOLDER), used: Mutex::default(), counts: Mutex::default() }
    }

    /// What the digest `path`, whose bytes are `bytes`, holds: from the
    /// cache when it has this file as it is, else parsed (and kept).
    pub fn parse(&self, path: &Path, bytes: Vec<u8>) -> Outcome {
        let name = format!("{:016x}.bin", key(path, &bytes));
        self.used.lock().expect("no thread panics holding the cache").insert(name.clone());
        let entry = self.dir.join(&name);
        if let Some(outcome) =
            std::fs::read(&entry).ok().as_deref().and_then(|bytes| crate::cache_file::decode(FORMAT, bytes))
        {
            self.counts.lock().expect("no thread panics holding the counts").1 += 1;
            return outcome;
        }
        let outcome = parse_keyed(path, bytes);
        self.counts.lock().expect("no thread panics holding the counts").0 += 1;
        // An entry that cannot be made or written is parsed again next time.
        let written = crate::cache_file::encode(FORMAT, &outcome)
            .map_err(crate::error::Error::from)
            .and_then(|bytes| crate::error::write_atomic(&entry, &bytes));
        if let Err(e) = written {
            log::debug!("parse cache: {e:#}");
        }
        outcome
    }

    /// Removes the entries this build did not use, and logs what the cache did.
    pub fn finish(self) {
        let used = self.used.into_inner().expect("no thread panics holding the cache");
        let (parsed, cached) = self.counts.into_inner().expect("no thread panics holding the counts");
        log::debug!("parse cache: {cached} digests as cached, {parsed} parsed");
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !used.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Removes every entry (`build --full`).
pub fn forget(cache: &Path) -> crate::error::Result<()> {
    // Whatever is there: a file in its place goes too.
    crate::cache_file::remove(&cache.join(FOLDER))
}

/// The name of a digest's entry: the version, the path and the bytes, hashed.
fn key(path: &Path, bytes: &[u8]) -> u64 {
    let mut h = crate::cache_file::long_hasher();
    FORMAT.hash(&mut h);
    path.hash(&mut h);
    bytes.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: &str = r#"[{"paper": {"id": "2406.09416", "title": "Alleviating distortion", "summary": "An abstract with a link https://example.org/x.", "authors": [{"name": "Q. Liu"}], "upvotes": 20}, "publishedAt": "2024-06-13T00:00:00.000Z"}]"#;

    fn digest(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join("2024-06-14.json");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn entries(cache: &Path) -> usize {
        std::fs::read_dir(cache.join(FOLDER)).map(|d| d.count()).unwrap_or(0)
    }

    #[test]
    fn a_cached_digest_reads_as_parsed() {
        let tmp = tempfile::tempdir().unwrap();
        let path = digest(tmp.path(), DAY);
        let fresh = source::parse_file(&path, None, None).unwrap();
        assert_eq!(fresh.papers.len(), 1);
        let cache = ParseCache::open(&tmp.path().join("cache"));
        let first = cache.parse(&path, DAY.as_bytes().to_vec()).unwrap();
        let second = cache.parse(&path, DAY.as_bytes().to_vec()).unwrap();
        assert_eq!(*cache.counts.lock().unwrap(), (1, 1));
        for (parsed, keys) in [first, second] {
            assert_eq!(parsed.papers, fresh.papers);
            assert_eq!(parsed.warnings, fresh.warnings);
            assert_eq!(keys, [crate::paper::title_key(&fresh.papers[0].title)]);
        }
    }

    #[test]
    fn a_changed_or_damaged_digest_is_parsed_again() {
        let tmp = tempfile::tempdir().unwrap();
        let path = digest(tmp.path(), DAY);
        let dir = tmp.path().join("cache");
        let cache = ParseCache::open(&dir);
        cache.parse(&path, DAY.as_bytes().to_vec()).unwrap();
        cache.finish();
        let cache = ParseCache::open(&dir);
        let changed = DAY.replace("\"upvotes\": 20", "\"upvotes\": 21");
        assert_eq!(cache.parse(&path, changed.into_bytes()).unwrap().0.papers[0].upvotes, Some(21));
        cache.finish();
        // The entry of the old bytes went with the build that did not use it.
        assert_eq!(entries(&dir), 1);
        for entry in std::fs::read_dir(dir.join(FOLDER)).unwrap() {
            let path = entry.unwrap().path();
            let mut bytes = std::fs::read(&path).unwrap();
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0xff;
            std::fs::write(&path, bytes).unwrap();
        }
        let cache = ParseCache::open(&dir);
        let changed = DAY.replace("\"upvotes\": 20", "\"upvotes\": 21");
        assert_eq!(cache.parse(&path, changed.into_bytes()).unwrap().0.papers[0].upvotes, Some(21));
        assert_eq!(*cache.counts.lock().unwrap(), (1, 0));
    }

    #[test]
    fn forget_removes_the_entries_or_a_file_in_their_place() {
        let tmp = tempfile::tempdir().unwrap();
        let path = digest(tmp.path(), DAY);
        let dir = tmp.path().join("cache");
        ParseCache::open(&dir).parse(&path, DAY.as_bytes().to_vec()).unwrap();
        assert_eq!(entries(&dir), 1);
        forget(&dir).unwrap();
        assert!(!dir.join(FOLDER).exists());
        forget(&dir).unwrap();
        std::fs::write(dir.join(FOLDER), "not a folder").unwrap();
        // A cache that cannot be written is parsed around.
        let parsed = ParseCache::open(&dir).parse(&path, DAY.as_bytes().to_vec()).unwrap();
        assert_eq!(parsed.0.papers.len(), 1);
        forget(&dir).unwrap();
        assert!(!dir.join(FOLDER).exists());
    }

    #[test]
    fn a_digest_that_does_not_parse_keeps_its_error() {
        let tmp = tempfile::tempdir().unwrap();
        let path = digest(tmp.path(), "[{\"paper\": ");
        let cache = ParseCache::open(&tmp.path().join("cache"));
        let first = cache.parse(&path, b"[{\"paper\": ".to_vec()).unwrap_err();
        let second = cache.parse(&path, b"[{\"paper\": ".to_vec()).unwrap_err();
        assert_eq!(first, second);
        assert!(first.to_string().contains("2024-06-14.json"), "{first}");
    }
}
