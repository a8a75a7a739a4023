//! `paperpress init`: scaffold a new site that builds as it is.
//!
//! It writes `site.toml` (the same configuration as the example site at the
//! root of the paperpress repository, with the title changed), a sample
//! digest, an about page, a GitHub Pages workflow and a `.gitignore`. It
//! never overwrites a file that exists.

use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::error::{Result, bail, write_atomic};

const SITE_TOML: &str = include_str!("../site.toml");
const SAMPLE_DIGEST: &str = include_str!("scaffold/2025-08-06.txt");
const ABOUT: &str = include_str!("scaffold/about.md");
const WORKFLOW: &str = include_str!("scaffold/pages.yml");
/// The output folder, and the folders a build writes beside it while it
/// runs (which a killed build leaves until the next build removes them).
const GITIGNORE: &str = "/public/\n/.public.building-*/\n/.public.old-*/\n";

/// Creates a site in `dir` and returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
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
        (".github/workflows/pages.yml", WORKFLOW.to_string()),
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
}
