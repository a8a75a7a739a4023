//! The files a build makes, and where each goes as soon as it is made:
//! to the output folder's writer, or kept in memory for `check` and tests.
//! No two files may claim one path.

use crate::error::Result;

/// A file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// A file at `path` holding `bytes`.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile { path: path.into(), bytes: bytes.into() }
    }
}

/// Where rendered files go as soon as each is ready, so that a build never
/// holds the whole site in memory.
pub trait Sink: Sync {
    /// Takes one file.
    fn put(&self, file: OutputFile) -> Result<()>;
    /// The paths of the files taken so far, sorted.
    fn paths(&self) -> Vec<String>;
    /// Takes the file at `path` that `make` makes from inputs whose hash
    /// is `reads` (everything its bytes depend on in this build of
    /// paperpress and this configuration). A sink that knows the output
    /// holds that file already (an incremental build whose record says it
    /// was made from the same inputs) keeps it and never calls `make`;
    /// the others make it and take it.
    fn put_made(&self, path: &str, reads: u64, make: &mut dyn FnMut() -> OutputFile) -> Result<()> {
        let _ = (path, reads);
        self.put(make())
    }
}

/// The output paths a build has written so far, with their sizes. No two
/// files may claim one path: the second would silently replace the first
/// (a topic named `Index` over the topic overview, a page `papers.md` over
/// a folder).
#[derive(Debug, Default)]
pub struct Claims(std::sync::Mutex<std::collections::HashMap<String, u64>>);

impl Claims {
    /// Claims `path` for one file of `size` bytes; an error names it if another file has.
    pub fn claim(&self, path: &str, size: u64) -> Result<()> {
        let mut claimed = self.0.lock().expect("no thread panics holding the claims");
        if claimed.insert(path.to_string(), size).is_some() {
            anyhow::bail!(
                "two files of the site would both be written to `{path}`: a topic, page or paper has the same \
                 slug or file name as another output; rename one of them"
            );
        }
        Ok(())
    }

    /// The paths claimed, sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut paths: Vec<String> =
            self.0.lock().expect("no thread panics holding the claims").keys().cloned().collect();
        paths.sort();
        paths
    }

    /// Every path claimed, with its size.
    pub fn sizes(&self) -> std::collections::HashMap<String, u64> {
        self.0.lock().expect("no thread panics holding the claims").clone()
    }

    /// How many paths are claimed.
    pub fn len(&self) -> usize {
        self.0.lock().expect("no thread panics holding the claims").len()
    }

    /// Whether no path is claimed yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A sink that keeps the files in memory: for `check`, tests, small jobs.
#[derive(Debug, Default)]
pub struct Collect {
    files: std::sync::Mutex<Vec<OutputFile>>,
    claims: Claims,
}

impl Sink for Collect {
    fn put(&self, mut file: OutputFile) -> Result<()> {
        self.claims.claim(&file.path, file.bytes.len() as u64)?;
        // Held until the end: no room to spare.
        file.bytes.shrink_to_fit();
        self.files.lock().expect("no thread panics holding the files").push(file);
        Ok(())
    }

    fn paths(&self) -> Vec<String> {
        self.claims.paths()
    }
}

impl Collect {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.files.into_inner().expect("no thread panics holding the files");
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}
