//! `paperpress init`: scaffold a new site that builds as it is.
//!
//! It writes `site.toml` (the same configuration as the example site at the
//! root of the paperpress repository, with the title changed: it fetches
//! Hugging Face Daily Papers), a sample digest, an about page, a GitHub
//! Pages workflow that fetches, builds and deploys every day, and a
//! `.gitignore`. It never overwrites a file that exists.

use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::error::{Result, bail, write_atomic};

const SITE_TOML: &str = include_str!("../site.toml");
const SAMPLE_DIGEST: &str = include_str!("scaffold/2025-08-06.txt");
const ABOUT: &str = include_str!("scaffold/about.md");
const WORKFLOW: &str = include_str!("scaffold/pages.yml");
const GITIGNORE: &str = "/public/\n";
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
        (CONFIG_FILE, with_title(SITE_TOML, &title)),
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

/// Replaces the value of the top-level `title` key.
fn with_title(site_toml: &str, title: &str) -> String {
    let quoted = toml::Value::String(title.to_string()).to_string();
    let mut in_table = false;
    let mut out = String::with_capacity(site_toml.len());
    for line in site_toml.lines() {
        in_table |= line.starts_with('[');
        if !in_table && line.starts_with("title = ") {
            out.push_str(&format!("title = {quoted}"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_replaced_and_quoted() {
        let toml = with_title("title = \"Example\"\n[build]\ntitle = \"kept\"\n", "my \"digest\"");
        let table: toml::Table = toml.parse().unwrap();
        assert_eq!(table["title"].as_str(), Some("my \"digest\""));
        assert_eq!(table["build"]["title"].as_str(), Some("kept"));
        crate::config::Config::parse(&with_title(SITE_TOML, "x"), Path::new("site.toml")).unwrap();
    }

    #[test]
    fn the_install_repository_is_checked() {
        assert_eq!(repository("https://github.com/me/paperpress.git/").unwrap(), "https://github.com/me/paperpress");
        for bad in ["github.com/me/paperpress", "https://x", "https://github.com/me/p\"; rm -rf ~", "https://a/b c"] {
            assert!(repository(bad).is_err(), "{bad}");
        }
    }
}
