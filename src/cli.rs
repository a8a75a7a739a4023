//! Command-line arguments (clap derive structs only).

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use jiff::civil::Date;
use paperpress::source::Format;

/// A static site generator for research-paper digests: import a day of
/// papers, get a fast, searchable site that works on GitHub Pages and
/// straight from disk.
#[derive(Debug, Parser)]
#[command(name = "paperpress", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where the site is.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder: the one holding `site.toml`, or any folder inside
    /// it (the folders above are searched, as Zola does).
    #[arg(short, long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

/// Options of the commands that build.
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Absolute URL the site will be published at, overriding `base_url`
    /// in site.toml (for feeds, sitemap, canonical links), like
    /// `https://user.github.io/repo/`.
    #[arg(long, value_name = "URL", value_parser = base_url)]
    pub base_url: Option<String>,
    /// Print the time each build stage takes.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site: site.toml, a sample digest, an about page and a
    /// GitHub Pages workflow. Existing files are never overwritten.
    Init {
        /// Folder to create the site in (created if needed).
        #[arg(default_value = ".", value_name = "DIR")]
        dir: PathBuf,
    },
    /// Turn digests into paper pages under content/papers/ that you can
    /// edit. Importing again is safe: pages you edited are kept.
    Import {
        /// Inputs: text copies of a papers page, Hugging Face Daily Papers
        /// API JSON, or arXiv API Atom feeds (any size; read as a stream).
        /// A folder imports the digests in it.
        #[arg(required = true, value_name = "FILE|DIR")]
        files: Vec<PathBuf>,
        /// The digest day (YYYY-MM-DD), when the file name has no date: the
        /// year of text copies' headings (`Aug 6`), the day of an Atom feed
        /// (else each entry's published date), the day of API JSON items
        /// without `submittedOnDailyAt`.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<Date>,
        /// Read the files as this format instead of detecting it from their
        /// content.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Overwrite pages you edited.
        #[arg(long)]
        force: bool,
        /// Write nothing: show which pages an import would create or update.
        #[arg(short = 'n', long)]
        dry_run: bool,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Show how the topics fit the papers: each topic with its count, the
    /// papers no rule caught, and suggested topics to add to site.toml.
    Topics {
        /// Also list the papers of each topic.
        #[arg(long)]
        papers: bool,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Preview the site while you edit it: builds, serves it on 127.0.0.1,
    /// rebuilds on every change and reloads the browser.
    Serve {
        /// Port to listen on (0 picks a free one).
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on instead of 127.0.0.1. Other machines can
        /// then reach the preview: only on a network you trust.
        #[arg(long, value_name = "ADDR")]
        interface: Option<IpAddr>,
        /// Open the site in the default browser once it is built.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        build: BuildArgs,
    },
    /// Check the site without writing it: input problems, template errors,
    /// papers without a topic and internal links that lead nowhere, all in
    /// one run. Exits non-zero on errors (and, with --strict, on warnings).
    Check {
        /// Fail on warnings too (papers without a topic, fields left out), for CI.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        build: BuildArgs,
    },
    /// Build the site into the output folder (public/ by default).
    Build {
        /// Output folder, overriding `[build] output_dir`.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        #[command(flatten)]
        build: BuildArgs,
    },
    /// Work with the theme.
    #[command(subcommand)]
    Theme(ThemeCommand),
}

#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Copy the built-in theme into the site (`themes/default/`), to change
    /// any template or stylesheet. Existing files are never overwritten.
    Eject {
        #[command(flatten)]
        site: SiteArgs,
    },
}

/// `--base-url`: an absolute http(s) URL; the error shows the fix.
fn base_url(value: &str) -> Result<String, String> {
    paperpress::config::check_base_url(value).map(|()| value.to_string())
}
