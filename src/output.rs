//! The only writer of the output folder.
//!
//! A build writes into a temporary sibling folder and swaps it in at the
//! end, so a failed build leaves the previous output as it was. A folder
//! that does not look like a paperpress output is never replaced.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Context, Result, bail, create_dir_all};
use crate::render::{OutputFile, Sink};

/// Files every paperpress output has; a non-empty folder without them is
/// someone else's and is not replaced.
const MARKERS: &[&str] = &[".nojekyll", "index.html"];

/// Checks that `output` can be replaced by a build of the site at `root`.
pub fn check_target(output: &Path, root: &Path) -> Result<()> {
    let output_abs = absolute(output)?;
    let root_abs = absolute(root)?;
    if root_abs.starts_with(&output_abs) || output_abs.starts_with(root_abs.join("content")) {
        bail!(
            "the output folder `{}` would replace the site or its content: choose a folder like `public`",
            output.display()
        );
    }
    if output.is_file() {
        bail!("the output path `{}` is a file, not a folder", output.display());
    }
    if output.is_dir() {
        let mut entries =
            std::fs::read_dir(output).with_context(|| format!("failed to read `{}`", output.display()))?;
        let empty = entries.next().is_none();
        if !empty && !MARKERS.iter().all(|m| output.join(m).exists()) {
            bail!(
                "`{}` exists and is not a paperpress output: remove it or choose another folder with `--output`",
                output.display()
            );
        }
    }
    Ok(())
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("failed to resolve `{}`", path.display()))
}

/// A new build, written file by file into a temporary folder next to the
/// output folder as it is rendered, and swapped in by [`Staging::finish`].
/// Until then the previous output is only read: a build that fails leaves
/// it as it was (the temporary folder is removed).
///
/// A file identical to the one the previous build left is hard-linked
/// instead of written: no data is copied and no inode allocated, which on
/// ext4 is what a rebuild of thousands of files spends most of its time on.
pub struct Staging {
    dir: tempfile::TempDir,
    output: PathBuf,
    folders: Mutex<HashSet<PathBuf>>,
    paths: Mutex<Vec<String>>,
}

impl std::fmt::Debug for Staging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Staging").field("dir", &self.dir.path()).field("output", &self.output).finish()
    }
}

impl Staging {
    /// Starts a build of `output` (checked with [`check_target`] first).
    pub fn new(output: &Path) -> Result<Staging> {
        let parent = parent_of(output);
        create_dir_all(&parent)?;
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{}.building-", name_of(output)))
            .tempdir_in(&parent)
            .with_context(|| format!("failed to create a temporary folder in `{}`", parent.display()))?;
        Ok(Staging { dir, output: output.to_path_buf(), folders: Mutex::default(), paths: Mutex::default() })
    }

    /// Puts the new build in place of the old one; returns the number of files.
    pub fn finish(self) -> Result<usize> {
        let files = self.paths.lock().expect("no thread panics holding the paths").len();
        let name = name_of(&self.output);
        swap_in(self.dir, &self.output, &parent_of(&self.output), &name)?;
        Ok(files)
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<()> {
        let path = self.dir.path().join(&file.path);
        if let Some(folder) = path.parent() {
            let mut folders = self.folders.lock().expect("no thread panics holding the folders");
            if !folders.contains(folder) {
                create_dir_all(folder)?;
                folders.insert(folder.to_path_buf());
            }
        }
        let old = self.output.join(&file.path);
        if !(same_as(&old, &file.bytes) && std::fs::hard_link(&old, &path).is_ok()) {
            std::fs::write(&path, &file.bytes).with_context(|| format!("failed to write `{}`", path.display()))?;
        }
        self.paths.lock().expect("no thread panics holding the paths").push(file.path);
        Ok(())
    }

    fn paths(&self) -> Vec<String> {
        let mut paths = self.paths.lock().expect("no thread panics holding the paths").clone();
        paths.sort();
        paths
    }
}

fn parent_of(output: &Path) -> PathBuf {
    output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
}

fn name_of(output: &Path) -> String {
    output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into())
}

/// Whether `old` holds exactly `bytes`.
fn same_as(old: &Path, bytes: &[u8]) -> bool {
    std::fs::metadata(old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(old).is_ok_and(|old| old == bytes)
}

/// Replaces some files of a built site in place, each atomically (a
/// temporary file, then a rename): for `serve`'s quick rebuilds of a
/// preview folder, where a half-written page must never be served.
pub fn update(output: &Path, files: &[OutputFile]) -> Result<()> {
    for file in files {
        crate::error::write_atomic(&output.join(&file.path), &file.bytes)?;
    }
    Ok(())
}

fn swap_in(staging: tempfile::TempDir, output: &Path, parent: &Path, name: &str) -> Result<()> {
    let old = if output.exists() {
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(parent)
            .with_context(|| format!("failed to create a temporary folder in `{}`", parent.display()))?;
        let old_path = old.path().join("site");
        std::fs::rename(output, &old_path)
            .with_context(|| format!("failed to move the old `{}` aside", output.display()))?;
        Some(old)
    } else {
        None
    };
    let staged = staging.keep();
    // The old build is deleted once the new one is in place (below).
    if let Err(e) = std::fs::rename(&staged, output) {
        if let Some(old) = &old {
            // Put the previous build back rather than leave no site at all.
            let _ = std::fs::rename(old.path().join("site"), output);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e).with_context(|| format!("failed to move the new build into `{}`", output.display()));
    }
    drop(old);
    Ok(())
}
