//! Watching a site for changes by name, whatever the editor does.
//!
//! The site root is watched on its own (not what it holds), so that
//! `site.toml` is seen however it is saved: written in place, or replaced by
//! a rename as `sed -i` and many editors do, as often as that happens. A
//! watch on the file itself would follow the replaced file and miss every
//! save after the first. `content/`, `templates/`, `themes/` and `static/`
//! are watched with all they hold; one created after the start (the first
//! template override) is watched from then on.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::{CONFIG_FILE, LOCK_FILE};
use crate::error::{Context, Result};

/// The folders of a site whose changes rebuild it.
const FOLDERS: [&str; 4] = ["content", "templates", "themes", "static"];

/// A running watch of one site.
pub(super) struct SiteWatch {
    root: PathBuf,
    watcher: Arc<Mutex<RecommendedWatcher>>,
}

impl SiteWatch {
    /// Watches the site at `root` (a canonical path: events name canonical
    /// paths) and sends the changed paths of each event to `changes`.
    pub(super) fn start(root: &Path, changes: Sender<Vec<PathBuf>>) -> Result<SiteWatch> {
        let filter_root = root.to_path_buf();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            // Reading files (as a build does) is not a change.
            if let Ok(e) = event
                && matches!(e.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_))
            {
                let paths: Vec<PathBuf> = e.paths.into_iter().filter(|p| is_part_of_site(&filter_root, p)).collect();
                if !paths.is_empty() {
                    let _ = changes.send(paths);
                }
            }
        })
        .context("failed to watch the site for changes")?;
        let watch = SiteWatch { root: root.to_path_buf(), watcher: Arc::new(Mutex::new(watcher)) };
        watch.add(root, RecursiveMode::NonRecursive)?;
        for folder in FOLDERS {
            let path = root.join(folder);
            if path.is_dir() {
                watch.add(&path, RecursiveMode::Recursive)?;
            }
        }
        Ok(watch)
    }

    fn add(&self, path: &Path, mode: RecursiveMode) -> Result<()> {
        let mut watcher = self.watcher.lock().expect("no thread panics holding the watcher");
        watcher.watch(path, mode).with_context(|| format!("failed to watch `{}`", path.display()))
    }

    /// After a change: watches each site folder among `changed` that was
    /// just created (or put back by a rename). Called from the rebuild
    /// thread, never from the watcher's own.
    pub(super) fn follow(&self, changed: &[PathBuf]) {
        for path in changed {
            let is_folder = path.parent() == Some(self.root.as_path())
                && path.file_name().is_some_and(|n| FOLDERS.iter().any(|f| n == *f))
                && path.is_dir();
            if is_folder && let Err(e) = self.add(path, RecursiveMode::Recursive) {
                log::warn!("{e:#}");
            }
        }
    }

    /// `path` relative to the site root, for messages.
    pub(super) fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }
}

/// Whether a change to `path` concerns the site at `root`: `site.toml`,
/// `topics.lock` and the site folders themselves at the root, anything in those folders,
/// except the files editors write beside the ones they save and what is in
/// hidden folders, which builds do not read (import's copies of its pages,
/// `content/papers/.imported/`).
fn is_part_of_site(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else { return false };
    let hidden =
        relative.parent().is_some_and(|dir| dir.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')));
    if hidden {
        return false;
    }
    let mut parts = relative.components();
    let Some(first) = parts.next() else { return false };
    let first = first.as_os_str();
    let top = first == CONFIG_FILE || first == LOCK_FILE || FOLDERS.iter().any(|f| first == *f);
    top && !is_scratch_file(path)
}

/// Files editors write next to the ones they save (`.x.md.swp`, `x.md~`,
/// Vim's `4913`): not changes to the site.
fn is_scratch_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_site_s_own_files_are_changes() {
        let root = Path::new("/site");
        for yes in [
            "/site/site.toml",
            "/site/topics.lock",
            "/site/content/papers/a.md",
            "/site/templates",
            "/site/static/extra.css",
        ] {
            assert!(is_part_of_site(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/sedX1b2c3",
            "/site/.site.toml.swp",
            "/site/content/papers/.a.md.swp",
            "/site/content/papers/a.md~",
            "/site/content/papers/.imported/a.md",
            "/site/content/4913",
            "/site/target/debug/x",
            "/elsewhere/site.toml",
        ] {
            assert!(!is_part_of_site(root, Path::new(no)), "{no}");
        }
        let hidden_root = Path::new("/home/.me/site");
        assert!(
            is_part_of_site(hidden_root, Path::new("/home/.me/site/content/a.md")),
            "a site inside a hidden folder"
        );
    }
}
