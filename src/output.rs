//! The only writer of the output folder.
//!
//! A build writes into a temporary sibling folder and swaps it in at the
//! end, so a failed build leaves the previous output as it was. A folder
//! that does not look like a paperpress output is never replaced.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Context, Result, bail, create_dir_all};
use crate::render::OutputFile;

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

/// Writes `files` into `output`, replacing what was there only once every
/// file is written.
pub fn write(output: &Path, files: &[OutputFile], progress: &indicatif::ProgressBar) -> Result<()> {
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    create_dir_all(parent)?;
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.building-"))
        .tempdir_in(parent)
        .with_context(|| format!("failed to create a temporary folder in `{}`", parent.display()))?;
    crate::timed("write files", || write_all(staging.path(), output, files, progress))?;
    crate::timed("swap and remove the old build", || swap_in(staging, output, parent, &name))
}

/// Writes every file into `dir`. A file identical to the one the previous
/// build left in `previous` is hard-linked instead of written: no data is
/// copied and no inode allocated, which on ext4 is what a rebuild of
/// thousands of files spends most of its time on. The previous output is
/// only read, so a failed build still leaves it intact.
///
/// Each folder is filled by one thread: file creation in one folder is
/// serialized by the file system anyway, and threads contending for it
/// only spin.
fn write_all(dir: &Path, previous: &Path, files: &[OutputFile], progress: &indicatif::ProgressBar) -> Result<()> {
    // Which files the previous build already has, byte for byte: reading
    // does not lock folders, so all threads can do it.
    let unchanged: Vec<bool> = files.par_iter().map(|file| same_as(&previous.join(&file.path), &file.bytes)).collect();
    let mut by_folder: BTreeMap<&str, Vec<(&OutputFile, bool)>> = BTreeMap::new();
    for (file, &same) in files.iter().zip(&unchanged) {
        let folder = file.path.rsplit_once('/').map_or("", |(folder, _)| folder);
        by_folder.entry(folder).or_default().push((file, same));
    }
    for folder in by_folder.keys() {
        create_dir_all(&dir.join(folder))?;
    }
    progress.set_length(files.len() as u64);
    let mut groups: Vec<Vec<(&OutputFile, bool)>> = by_folder.into_values().collect();
    // The largest folders first, so no thread is left with one at the end.
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    groups.par_iter().try_for_each(|group| {
        for &(file, same) in group {
            let path = dir.join(&file.path);
            if !(same && std::fs::hard_link(previous.join(&file.path), &path).is_ok()) {
                std::fs::write(&path, &file.bytes).with_context(|| format!("failed to write `{}`", path.display()))?;
            }
            progress.inc(1);
        }
        Ok(())
    })
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
