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

const FETCH_HELP: &str = "\
Examples:
  paperpress fetch                              every source in site.toml
  paperpress fetch hf                           new Daily Papers days
  paperpress fetch hf --since 2025-01-01        backfill from a day on
  paperpress fetch arxiv --query 'cat:cs.CL AND abs:unlearning' --max 50

Sources and endpoints are set in site.toml:
  [fetch]
  hf_api = \"https://huggingface.co/api\"
  arxiv_api = \"https://export.arxiv.org/api\"
  [[fetch.sources]]
  kind = \"hf\"
  [[fetch.sources]]
  kind = \"arxiv\"
  query = \"cat:cs.CL AND abs:unlearning\"
  max = 100";

/// The sources `paperpress fetch` can be told to fetch.
#[derive(Debug, Subcommand)]
pub enum FetchCommand {
    /// Hugging Face Daily Papers, one file per day
    /// (content/digests/hf-YYYY-MM-DD.json, as the API sends it; a day
    /// without papers is saved too). Without a date: every day after the
    /// newest one saved, through today in UTC (before 07:00 UTC, through
    /// yesterday, since today's list is still growing), and the newest
    /// days saved again (`[fetch] refresh_days`), for their new upvotes.
    Hf {
        /// Fetch this day (again, if it was saved: the file is updated).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, conflicts_with_all = ["since", "until"])]
        date: Option<Date>,
        /// Fetch every day from this one on (a backfill), saved or not.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        since: Option<Date>,
        /// The last day of `--since` (default: the last complete day).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date, requires = "since")]
        until: Option<Date>,
    },
    /// An arXiv search, newest first, saved as
    /// content/digests/arxiv-<today>-<query>.xml. Stops at papers the site
    /// already has. Without --query: every `kind = "arxiv"` source.
    Arxiv {
        /// The search, in arXiv's query syntax: `cat:cs.CL AND abs:unlearning`.
        #[arg(long)]
        query: Option<String>,
        /// Most new papers to save (default: the source's `max`, else 100).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        max: Option<u32>,
    },
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
    /// Create a new site: site.toml (following Hugging Face Daily Papers),
    /// a sample digest, an about page and a GitHub Pages workflow that
    /// fetches, builds and publishes the site every day. Existing files are
    /// never overwritten.
    Init {
        /// Folder to create the site in (created if needed).
        #[arg(default_value = ".", value_name = "DIR")]
        dir: PathBuf,
        /// The repository the workflow installs paperpress from (its
        /// release binaries, else `cargo install --git`), for a fork.
        #[arg(long, value_name = "URL", default_value = paperpress::init::REPOSITORY)]
        install_from: String,
    },
    /// Download new papers into content/digests/, where build reads them:
    /// Hugging Face Daily Papers days and arXiv searches. With no source
    /// named, fetches every `[[fetch.sources]]` of site.toml. Responses are
    /// checked before they are saved; retries, rate limits and atomic
    /// writes are built in. Exits non-zero if any source failed, keeping
    /// what was fetched.
    #[command(after_help = FETCH_HELP)]
    Fetch {
        #[command(flatten)]
        site: SiteArgs,
        #[command(subcommand)]
        source: Option<FetchCommand>,
    },
    /// Turn digests into paper pages under content/papers/ that you can
    /// edit. Importing again is safe: new data (upvotes, days, links)
    /// reaches every page import wrote, and what you changed on a page is
    /// kept; where you and the data changed the same field, your value
    /// stays and import says so. Pages you wrote by hand are never changed.
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
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<Date>,
        /// Read the files as this format instead of detecting it from their
        /// content.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Replace the pages import wrote with the new data, dropping your
        /// edits to them. Pages you wrote by hand are still never changed.
        #[arg(long)]
        force: bool,
        /// Write nothing: show which pages an import would create or update.
        #[arg(short = 'n', long)]
        dry_run: bool,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Show how the topics fit the papers: the quality figures (papers
    /// with a topic, the largest topic without children, papers with a
    /// topic of at most a tenth of the site), the topic tree with counts,
    /// papers without a topic, what `topics.lock` keeps, adds and retires,
    /// and the automatic topics as rules to add to site.toml.
    Topics {
        /// Also list the papers each topic holds itself.
        #[arg(long, conflicts_with = "json")]
        papers: bool,
        #[command(flatten)]
        site: SiteArgs,
        /// Print JSON for scripts instead: `{"papers": N, "topics": [{"name",
        /// "slug", "parent", "kind", "count", "papers"}]}`, where `kind` is
        /// `explicit`, `rule` or `automatic`, `parent` a slug or null, and
        /// `papers` the ids of the topic's papers, its descendants' included.
        #[arg(long)]
        json: bool,
        /// Explain one paper's topics instead: the score of every rule that
        /// matches it, the phrases that scored and where (title, AI
        /// keywords, first sentence, rest of the abstract), and why each
        /// rule tags it or not.
        #[arg(long, value_name = "ID", conflicts_with_all = ["json", "papers"])]
        explain: Option<String>,
        /// Write `topics.lock` beside site.toml instead: the automatic
        /// topics of today and those the lock already kept. A build then
        /// keeps each locked topic, with its slug, name and parent, while
        /// its phrases find papers, and leaves a page pointing to its
        /// parent when none is left, so that no topic page disappears as
        /// days are added. Commit the file; the Pages workflow `init`
        /// writes runs this after every fetch.
        #[arg(long, conflicts_with_all = ["json", "papers", "explain"])]
        lock: bool,
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
    /// Build the site into the output folder (public/ by default). A
    /// build keeps a record of what each page read, and what each digest
    /// held, in .paperpress/cache/, so that the next one parses only new
    /// or changed digests and renders only what changed; the result is the
    /// same as a full build's.
    Build {
        /// Output folder, overriding `[build] output_dir`.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Parse and build everything, whatever the cache of the last build holds.
        #[arg(long)]
        full: bool,
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

/// A `--date`: a date in the years 1000 to 9999.
fn parse_date(text: &str) -> Result<Date, String> {
    let date: Date = text.parse().map_err(|e| format!("`{text}` is not a date like 2025-08-06: {e}"))?;
    paperpress::paper::checked_date(date).ok_or_else(|| format!("`{text}` is outside the years 1000 to 9999"))
}
