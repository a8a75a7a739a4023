//! Command-line arguments (clap derive structs only).

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use jiff::civil::Date;
use paperpress::source::Format;

/// A static site generator for research-paper digests: import a day of
/// papers, get a fast, searchable site that works on GitHub Pages and
/// straight from disk.
#[derive(Debug, Parser)]
#[command(name = "paperpress", version, about, long_about = None)]
pub struct Cli {
    /// The site folder (the one holding `site.toml`).
    #[arg(short, long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,

    /// Print the time each build stage takes.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site: site.toml, a sample digest, an about page and a
    /// GitHub Pages workflow. Existing files are never overwritten.
    Init {
        /// Folder to create the site in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Turn digests into paper pages under content/papers/ that you can
    /// edit. Importing again is safe: pages you edited are kept.
    Import {
        /// Inputs: text copies of a papers page, Hugging Face Daily Papers
        /// API JSON, or arXiv API Atom feeds (any size; read as a stream).
        #[arg(required = true, value_name = "FILE")]
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
    },
    /// Show how the topics fit the papers: the quality figures (papers
    /// with a topic, the largest topic without children, papers with a
    /// topic of at most a tenth of the site), the topic tree with counts,
    /// papers without a topic, and the automatic topics as rules to add to
    /// site.toml.
    Topics {
        /// Also list the papers each topic holds itself.
        #[arg(long, conflicts_with = "json")]
        papers: bool,
        /// Print JSON for scripts instead: `{"papers": N, "topics": [{"name",
        /// "slug", "parent", "kind", "count", "papers"}]}`, where `kind` is
        /// `explicit`, `rule` or `automatic`, `parent` a slug or null, and
        /// `papers` the ids of the topic's papers, its descendants' included.
        #[arg(long)]
        json: bool,
        /// Explain one paper's topics instead: the score of every rule that
        /// matches it, and why each tags it or not.
        #[arg(long, value_name = "ID", conflicts_with_all = ["json", "papers"])]
        explain: Option<String>,
    },
    /// Preview the site while you edit it: builds, serves it on 127.0.0.1,
    /// rebuilds on every change and reloads the browser.
    Serve {
        /// Port to listen on (0 picks a free one).
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
    },
    /// Check the site without writing it: input problems, template errors,
    /// papers without a topic and internal links that lead nowhere. Exits
    /// non-zero when anything needs fixing.
    Check {
        /// Absolute URL the site will be published at, as for build.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Build the site into the output folder (public/ by default).
    Build {
        /// Absolute URL the site will be published at, overriding
        /// `base_url` in site.toml (for feeds, sitemap, canonical links).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Output folder, overriding `[build] output_dir`.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
}
