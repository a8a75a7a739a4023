//! paperpress: a static site generator for research-paper digests.
//!
//! The modules follow the pipeline:
//! `config` (site.toml) -> `source` (digests -> papers) -> `content`
//! (digests + pages on disk) -> `model` (days) -> `render` (Tera) ->
//! `output` (the only writer of the site folder).

pub mod config;
pub mod content;
pub mod error;
pub mod front_matter;
pub mod init;
pub mod links;
pub mod markdown;
pub mod math;
pub mod model;
pub mod output;
pub mod page;
pub mod paper;
pub mod render;
pub mod source;
pub mod tex;
pub mod theme;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use config::Site;
use error::{ImportError, Result, Warning};

/// Options of `paperpress build`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Overrides the output folder.
    pub output: Option<PathBuf>,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Papers on the site.
    pub papers: usize,
    /// Digest days.
    pub days: usize,
    /// Files written.
    pub files: usize,
    /// Digest files read.
    pub digest_files: usize,
    /// Records that could not be read.
    pub skipped: Vec<ImportError>,
    /// Records read with a remark.
    pub warnings: Vec<Warning>,
    /// Wall time.
    pub elapsed: Duration,
}

/// Builds `site` into its output folder.
pub fn build(site: &Site, options: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let mut config = site.config.clone();
    if let Some(url) = &options.base_url {
        config.base_url = url.clone();
    }
    let output_dir = options.output.clone().unwrap_or_else(|| site.output_dir.clone());
    output::check_target(&output_dir, &site.root)?;

    let content = timed("load content", || content::load(site))?;
    let (digest_files, skipped, warnings) = (content.digest_files, content.skipped.clone(), content.warnings.clone());
    let model = timed("model", || model::Model::new(content));
    let mut theme = timed("load theme", || theme::Theme::load(site))?;
    let progress = progress_bar("rendering");
    let files = timed("render", || render::render(&config, &model, &mut theme, &progress))?;
    progress.set_message("writing");
    progress.set_position(0);
    timed("write", || output::write(&output_dir, &files, &progress))?;
    progress.finish_and_clear();
    Ok(BuildReport {
        papers: model.papers.len(),
        days: model.days.len(),
        files: files.len(),
        digest_files,
        skipped,
        warnings,
        elapsed: start.elapsed(),
    })
}

/// Runs one stage, logging its duration at debug level.
fn timed<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let value = f();
    log::debug!("{stage}: {:.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    value
}

/// A progress bar on a terminal; hidden when stderr is a pipe or a CI log.
pub fn progress_bar(message: &'static str) -> ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0).with_message(message);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len}")
            .expect("the progress template is valid")
            .progress_chars("=> "),
    );
    bar
}
