//! `paperpress init`: scaffold a new site that builds as it is.
//!
//! It writes `site.toml` (every key at its default, with its documentation,
//! a Hugging Face Daily Papers source to fetch, and the example site's
//! taxonomy: see [`site_toml`]), a sample digest, an about page, a GitHub
//! Pages workflow that fetches, builds and deploys every day, and a
//! `.gitignore`. It never overwrites a file that exists. [`eject_theme`]
//! copies the built-in theme into a site.

mod site_toml;

use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILE, Site};
use crate::error::{Result, bail, write_atomic};

const SAMPLE_DIGEST: &str = include_str!("scaffold/2025-08-06.txt");
const ABOUT: &str = include_str!("scaffold/about.md");
const WORKFLOW: &str = include_str!("scaffold/pages.yml");
/// The output folder, and the folders a build writes beside it while it
/// runs (which a killed build leaves until the next build removes them).
const GITIGNORE: &str = "/public/\n/.public.building-*/\n/.public.old-*/\n/.paperpress/\n";
/// Where the workflow installs paperpress from, unless told otherwise.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// How to scaffold.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// The repository the workflow installs paperpress from (its release
    /// binaries, else its source), instead of [`REPOSITORY`].
    pub install_from: Option<String>,
}

/// Creates a site in `dir` and returns the files written.
pub fn init(dir: &Path, options: &InitOptions) -> Result<Vec<PathBuf>> {
    let repository = repository(options.install_from.as_deref().unwrap_or(REPOSITORY))?;
    if dir.join(CONFIG_FILE).exists() {
        bail!("`{}` already has a `{CONFIG_FILE}`: nothing was changed", dir.display());
    }
    let title = dir
        .canonicalize()
        .ok()
        .or_else(|| std::path::absolute(dir).ok())
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "Paper digest".into());
    let files: [(&str, String); 5] = [
        (CONFIG_FILE, site_toml::site_toml(&title)),
        ("content/digests/2025-08-06.txt", SAMPLE_DIGEST.to_string()),
        ("content/about.md", ABOUT.to_string()),
        (".github/workflows/pages.yml", WORKFLOW.replace("__PAPERPRESS_REPOSITORY__", &repository)),
        (".gitignore", GITIGNORE.to_string()),
    ];
    let mut written = Vec::new();
    for (relative, text) in files {
        let path = dir.join(relative);
        if path.exists() {
            continue;
        }
        write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// A repository URL the workflow can use as it is: http(s), no trailing
/// `/` or `.git`, and nothing a YAML value or a shell word would mangle.
fn repository(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let url = url.strip_suffix(".git").unwrap_or(url);
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or_default();
    let safe = |c: char| c.is_ascii_alphanumeric() || "-._~/:%@+".contains(c);
    if rest.is_empty() || !rest.contains('/') || !url.chars().all(safe) {
        bail!("`{url}` is not a repository URL like `https://github.com/OWNER/paperpress`");
    }
    Ok(url.to_string())
}

/// `paperpress theme eject`: copies the built-in theme into
/// `themes/default/` of `site`, where it then overrides the built-in one
/// file by file. Files already there are kept; returns those written.
pub fn eject_theme(site: &Site) -> Result<Vec<PathBuf>> {
    let dir = site.join("themes/default");
    let mut written = Vec::new();
    for (relative, text) in crate::theme::built_in_files() {
        let path = dir.join(relative);
        if path.exists() {
            continue;
        }
        write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    if written.is_empty() {
        bail!("`{}` already holds every file of the built-in theme: nothing was changed", dir.display());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_install_repository_is_checked() {
        assert_eq!(repository("https://github.com/me/paperpress.git/").unwrap(), "https://github.com/me/paperpress");
        for bad in ["github.com/me/paperpress", "https://x", "https://github.com/me/p\"; rm -rf ~", "https://a/b c"] {
            assert!(repository(bad).is_err(), "{bad}");
        }
    }
}
