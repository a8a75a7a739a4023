//! The only writer of the output folder.
//!
//! A build writes into a temporary sibling folder and swaps it in at the
//! end, so a failed build leaves the previous output as it was. A folder
//! that does not look like a paperpress output is never replaced.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rayon::prelude::*;

use crate::error::{Context, Result, bail, create_dir_all};
use crate::sink::{Claims, OutputFile, Sink};

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
///
/// One thread creates the files while the renderers go on: creating files
/// takes the folder's lock, and a second thread creating files in the same
/// folder only spins on it (a tenth of a 100,000-paper build's CPU time).
pub struct Staging {
    output: PathBuf,
    paths: Claims,
    jobs: Option<SyncSender<Job>>,
    writer: Option<JoinHandle<()>>,
    /// The first error of the writer thread.
    failure: Arc<Mutex<Option<anyhow::Error>>>,
    /// The new build; removed if it is dropped unfinished (after the
    /// writer has stopped: see `Drop`).
    dir: Option<tempfile::TempDir>,
    /// The lock on the output's parent folder, held until the build is
    /// swapped in: one build of a folder at a time.
    _lock: Option<std::fs::File>,
}

/// One file for the writer thread: hard-link `link` if it is given (the
/// previous build's identical file), else (or if linking fails) write `bytes`.
struct Job {
    path: PathBuf,
    link: Option<PathBuf>,
    bytes: Vec<u8>,
}

/// Files rendered but not yet written; bounds the memory they hold.
const QUEUE: usize = 256;

impl std::fmt::Debug for Staging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Staging").field("dir", &self.dir).field("output", &self.output).finish()
    }
}

impl Staging {
    /// Starts a build of `output` (checked with [`check_target`] first).
    pub fn new(output: &Path) -> Result<Staging> {
        let parent = parent_of(output);
        create_dir_all(&parent)?;
        let lock = lock_folder(&parent);
        if lock.is_some() {
            remove_stale(&parent, &name_of(output));
        }
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{}.building-", name_of(output)))
            .tempdir_in(&parent)
            .with_context(|| format!("failed to create a temporary folder in `{}`", parent.display()))?;
        let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(QUEUE);
        let failure = Arc::new(Mutex::new(None));
        let failed = Arc::clone(&failure);
        let writer = std::thread::Builder::new()
            .name("output writer".into())
            .spawn(move || {
                if let Err(e) = write_all(queue) {
                    *failed.lock().expect("no thread panics holding the failure") = Some(e);
                }
            })
            .context("failed to start the output writer")?;
        Ok(Staging {
            output: output.to_path_buf(),
            paths: Claims::default(),
            jobs: Some(jobs),
            writer: Some(writer),
            failure,
            dir: Some(dir),
            _lock: lock,
        })
    }

    /// Every file of the build so far, with its size.
    pub fn sizes(&self) -> std::collections::HashMap<String, u64> {
        self.paths.sizes()
    }

    /// Puts the new build in place of the old one; returns the number of files.
    pub fn finish(mut self) -> Result<usize> {
        self.stop_writer()?;
        let files = self.paths.len();
        let name = name_of(&self.output);
        let dir = self.dir.take().expect("a build finishes once");
        swap_in(dir, &self.output, &parent_of(&self.output), &name)?;
        Ok(files)
    }

    /// Waits for the writer to write every file queued; its error, if any.
    fn stop_writer(&mut self) -> Result<()> {
        drop(self.jobs.take());
        if let Some(writer) = self.writer.take() {
            writer.join().map_err(|_| anyhow::anyhow!("the output writer panicked"))?;
        }
        match self.failure.lock().expect("no thread panics holding the failure").take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn writer_error(&self) -> anyhow::Error {
        let failure = self.failure.lock().expect("no thread panics holding the failure");
        match &*failure {
            Some(e) => anyhow::anyhow!("{e:#}"),
            None => anyhow::anyhow!("the output writer stopped"),
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A failed build: stop the writer before its folder is removed.
        let _ = self.stop_writer();
    }
}

/// The writer thread: creates each queued file, and each folder once.
fn write_all(queue: Receiver<Job>) -> Result<()> {
    let mut folders: HashSet<PathBuf> = HashSet::new();
    let (mut busy, mut files, start) = (std::time::Duration::ZERO, 0, std::time::Instant::now());
    for job in queue {
        let t = std::time::Instant::now();
        files += 1;
        if let Some(folder) = job.path.parent()
            && !folders.contains(folder)
        {
            create_dir_all(folder)?;
            folders.insert(folder.to_path_buf());
        }
        if job.link.is_none_or(|old| std::fs::hard_link(old, &job.path).is_err()) {
            std::fs::write(&job.path, &job.bytes)
                .with_context(|| format!("failed to write `{}`", job.path.display()))?;
        }
        busy += t.elapsed();
    }
    log::debug!(
        "output writer: {files} files, busy {:.0} ms of {:.0} ms",
        busy.as_secs_f64() * 1000.0,
        start.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.paths.claim(&file.path, file.bytes.len() as u64)?;
        let dir = self.dir.as_ref().expect("files are put before the build finishes");
        let path = dir.path().join(&file.path);
        // Comparing with the previous build only reads: done here, on the
        // renderer's thread.
        let old = self.output.join(&file.path);
        let link = same_as(&old, &file.bytes).then_some(old);
        let jobs = self.jobs.as_ref().expect("files are put before the build finishes");
        jobs.send(Job { path, link, bytes: file.bytes }).map_err(|_| self.writer_error())?;
        Ok(())
    }

    fn paths(&self) -> Vec<String> {
        self.paths.paths()
    }
}

/// Takes the lock on `folder` (waiting for a build that holds it), or
/// `None` where folders cannot be locked.
fn lock_folder(folder: &Path) -> Option<std::fs::File> {
    let file = std::fs::File::open(folder).ok()?;
    file.lock().ok()?;
    Some(file)
}

/// Removes what killed builds of `output` left in `parent`: the new build
/// they were writing (`.public.building-*`) and the old one they had moved
/// aside (`.public.old-*`). Called holding the folder's lock, so no build
/// that is still running owns them.
fn remove_stale(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.building-"), format!(".{name}.old-")];
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) && entry.file_type().is_ok_and(|t| t.is_dir()) {
            log::debug!("removing `{}`, left by a build that did not finish", entry.path().display());
            remove_tree(&entry.path());
        }
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

/// Whether a path is in a part of the site.
type InPart = fn(&str) -> bool;

/// The parts of a site, by the paths of their files.
const PARTS: &[(&str, InPart)] = &[
    ("paper pages", |p| p.starts_with("papers/")),
    ("search index", |p| p.starts_with("search/")),
    ("topic .bib files", |p| p.starts_with("topics/") && p.ends_with(".bib") && p.matches('/').count() == 1),
    ("day .bib files", |p| p.starts_with("days/") && p.ends_with(".bib")),
    ("topic pages", |p| p.starts_with("topics/") && p.ends_with(".html")),
    ("day pages", |p| p.starts_with("days/") && p.ends_with(".html")),
    ("feeds and sitemaps", |p| p.ends_with(".xml")),
];

/// The bytes of a site by part (paper pages, search index, ...), largest
/// first, from its files and their sizes.
pub fn size_by_part<'a>(files: impl IntoIterator<Item = (&'a str, u64)>) -> Vec<(&'static str, u64)> {
    let mut totals: Vec<(&'static str, u64)> = PARTS.iter().map(|(name, _)| (*name, 0)).collect();
    totals.push(("everything else", 0));
    for (path, size) in files {
        let part = PARTS.iter().position(|(_, is)| is(path)).unwrap_or(PARTS.len());
        totals[part].1 += size;
    }
    totals.retain(|(_, size)| *size > 0);
    totals.sort_by_key(|&(_, size)| std::cmp::Reverse(size));
    totals
}

/// GitHub Pages publishes sites of at most this many bytes.
pub const PAGES_LIMIT: u64 = 1_000_000_000;

/// Applies an incremental build to the output folder in place: writes
/// each of `files` over the file it replaces and removes `removed`, with
/// the folders they leave empty. Paths that would leave the folder are
/// refused. Files are written on every core.
///
/// A file is overwritten in place rather than replaced through a new file
/// and a rename: on ext4 a rename over a file allocates an inode, frees
/// one and flushes the new data, about 0.9 ms a file on this machine,
/// against 16 µs to overwrite it. The build record is removed before and
/// written after (see `update_site`), so a build killed halfway leaves no
/// record, and the next build is a full one that replaces every file.
pub fn apply(output: &Path, files: &[OutputFile], removed: &[String]) -> Result<()> {
    let _lock = lock_folder(&parent_of(output));
    files.par_iter().try_for_each(|file| overwrite(&output.join(inside(&file.path)?), &file.bytes))?;
    for path in removed {
        let path = output.join(inside(path)?);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("failed to remove `{}`", path.display()));
            }
            _ => {}
        }
        // Folders the build no longer fills go too, as a full build would not make them.
        for folder in path.ancestors().skip(1).take_while(|f| *f != output) {
            if std::fs::remove_dir(folder).is_err() {
                break;
            }
        }
    }
    Ok(())
}

/// Writes `bytes` into the file at `path`: over its old bytes when it is
/// a plain file with no other name (so no link or hard link is written
/// through; a linked folder on the way is followed, as a rename would),
/// as a new file when there is none, and through a temporary file and a
/// rename otherwise, or when the file cannot be opened for writing (a
/// read-only page). A file that grows gets its room first, so that a full
/// disk fails the write before any byte of the page changes.
fn overwrite(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    options.custom_flags(libc::O_NOFOLLOW);
    let file = match std::fs::symlink_metadata(path) {
        Ok(_) => match crate::error::open_to_overwrite(path) {
            Some(file) => file,
            None => return crate::error::write_atomic(path, bytes),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
            match options.create_new(true).open(path) {
                Ok(file) => file,
                Err(_) => return crate::error::write_atomic(path, bytes),
            }
        }
        _ => return crate::error::write_atomic(path, bytes),
    };
    let written = reserve(&file, bytes.len()).and_then(|()| {
        let mut file = &file;
        file.write_all(bytes)?;
        // Cut what is left of a longer file (not to zero first: on ext4 a
        // file cut to nothing and written again is flushed when closed).
        file.set_len(bytes.len() as u64)
    });
    written.with_context(|| format!("failed to write `{}`", path.display()))
}

/// Makes room for `len` bytes in `file` (`posix_fallocate`), so that the
/// write that follows cannot run out of space half-way; nothing to do
/// when the blocks it has hold them (most pages change by a few bytes).
#[cfg(unix)]
fn reserve(file: &std::fs::File, len: usize) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::MetadataExt;
    let grows = file.metadata()?.blocks().saturating_mul(512) < len as u64;
    // SAFETY: `file` is an open file descriptor for the whole call.
    match grows.then(|| unsafe { libc::posix_fallocate(file.as_raw_fd(), 0, len as libc::off_t) }) {
        None | Some(0) => Ok(()),
        // A file system without it (some network mounts) writes as before.
        Some(libc::EOPNOTSUPP) | Some(libc::EINVAL) => Ok(()),
        Some(code) => Err(std::io::Error::from_raw_os_error(code)),
    }
}

#[cfg(not(unix))]
fn reserve(_: &std::fs::File, _: usize) -> std::io::Result<()> {
    Ok(())
}

/// `path` if it is a relative path that stays inside the output folder.
fn inside(path: &str) -> Result<&Path> {
    let relative = Path::new(path);
    if path.is_empty() || !relative.components().all(|c| matches!(c, std::path::Component::Normal(_))) {
        bail!("`{path}` is not a path inside the output folder");
    }
    Ok(relative)
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
    if let Some(old) = &old {
        keep_dotfiles(&old.path().join("site"), &staged);
    }
    // The old build is deleted once the new one is in place (below).
    if let Err(e) = std::fs::rename(&staged, output) {
        if let Some(old) = &old {
            // Put the previous build back rather than leave no site at all.
            let _ = std::fs::rename(old.path().join("site"), output);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e).with_context(|| format!("failed to move the new build into `{}`", output.display()));
    }
    if let Some(old) = old {
        remove_tree(old.path());
    }
    Ok(())
}

/// Moves what the owner keeps in the output folder into the new build:
/// the hidden files and folders at its top (`.git`, `.well-known`), as
/// Zola's `preserve_dotfiles_in_output` does, unless the build wrote one
/// of the same name (`.nojekyll`). Everything else is the build's own and
/// is replaced.
fn keep_dotfiles(old: &Path, new: &Path) {
    let Ok(entries) = std::fs::read_dir(old) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.')
            && !new.join(&name).exists()
            && let Err(e) = std::fs::rename(entry.path(), new.join(&name))
        {
            log::warn!("could not keep `{}` in the new build: {e}", entry.path().display());
        }
    }
}

/// Removes a previous build, best effort: its files are unlinked from every
/// core (one thread takes 0.7 s for a folder of 100,000), then its folders.
fn remove_tree(path: &Path) {
    let (mut folders, mut files) = (Vec::new(), Vec::new());
    for entry in walkdir::WalkDir::new(path).into_iter().flatten() {
        if entry.file_type().is_dir() { folders.push(entry.into_path()) } else { files.push(entry.into_path()) }
    }
    files.par_iter().for_each(|file| {
        let _ = std::fs::remove_file(file);
    });
    // Deepest first: the walk lists a folder before what it holds.
    for folder in folders.iter().rev() {
        let _ = std::fs::remove_dir(folder);
    }
}
