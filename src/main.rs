//! The `paperpress` command: parse arguments, call the library, print what
//! it found (in colour on a terminal) and set the exit code.

#[macro_use]
mod term;
mod cli;

use std::process::ExitCode;

use clap::Parser;
use paperpress::config::Site;
use paperpress::diagnostics::{Diagnostics, Severity, plural};
use paperpress::error::Result;
use paperpress::import::{ImportOptions, import};
use paperpress::{BuildOptions, build, init};

use cli::{BuildArgs, Cli, Command, FetchCommand, ThemeCommand};

// A build allocates and frees many small strings on every thread; with
// jemalloc a 100,000-paper build takes 15% less CPU time and 5% less peak
// memory than with glibc's allocator (docs/benchmarks.md).
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read before `main`: its memory in transparent huge
/// pages where the system allows them (`madvise`, the common setting), so
/// that a build faults in 2 MB at a time rather than 4 KB. A daily rebuild
/// reads and decodes some 40 MB of memos; a fifth of its CPU time went to
/// the kernel's page faults.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static JEMALLOC_OPTIONS: JemallocOptions = JemallocOptions(c"thp:always".as_ptr());

/// A C string's address, as jemalloc reads `malloc_conf`.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[repr(transparent)]
struct JemallocOptions(*const std::ffi::c_char);

// SAFETY: the address of a string constant, never written.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
unsafe impl Sync for JemallocOptions {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbose = match &cli.command {
        Command::Build { build, .. } | Command::Check { build, .. } | Command::Serve { build, .. } => build.verbose,
        _ => false,
    };
    let level = if verbose { log::LevelFilter::Debug } else { log::LevelFilter::Warn };
    env_logger::Builder::new().filter_level(level).format_timestamp(None).format_target(false).init();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            term::error(&format!("{e:#}"));
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Init { dir, install_from } => init_site(&dir, install_from),
        Command::Fetch { site, source } => fetch(&Site::find_without_lock(&site.root)?, source),
        Command::Import { files, date, format, force, dry_run, site } => {
            import_files(&Site::find_without_lock(&site.root)?, &files, &ImportOptions { date, format, force, dry_run })
        }
        Command::Topics { papers, json, explain, lock, site } => {
            let site = Site::find(&site.root)?;
            let (model, read) = paperpress::load_model(&site, &site.config)?;
            // Records left out change the topics, so each is named; remarks
            // on records that were read (Python-literal days, say) would be
            // repeated on every run, so they are counted and `check` lists them.
            let mut problems = Diagnostics::default();
            problems.extend(Severity::Error, &read.skipped);
            problems.extend(Severity::Error, &read.data_skipped);
            term::diagnostics(&problems);
            if !read.warnings.is_empty() {
                let mut remarks = Diagnostics::default();
                remarks.extend(Severity::Warning, &read.warnings);
                term::note(&format!("{}; `paperpress check` lists them", remarks.summary()));
            }
            let report = match explain {
                None if lock => paperpress::report::lock_written(&model, paperpress::lock_topics(&site, &model)?),
                Some(id) => paperpress::report::explain(&model, &site.config, &id)
                    .ok_or_else(|| paperpress::error::anyhow!("no paper has the id `{id}`"))?,
                None if json => paperpress::report::topics_json(&model),
                None => paperpress::report::topics(&model, papers),
            };
            say!("{}", report.trim_end());
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { port, interface, open, build } => serve(port, interface, open, build),
        Command::Check { strict, build } => {
            let site = Site::find(&build.site.root)?;
            let report =
                paperpress::check(&site, &BuildOptions { base_url: build.base_url, ..BuildOptions::default() })?;
            term::diagnostics(&report.problems);
            say!("checked {}: {}", plural(report.files, "file"), report.problems.summary());
            Ok(exit_code(report.problems.fails(strict)))
        }
        Command::Build { output, full, build } => build_site(output, full, build),
        Command::Theme(ThemeCommand::Eject { site }) => {
            let site = Site::find(&site.root)?;
            let written = init::eject_theme(&site)?;
            for path in &written {
                say!("created {}", path.display());
            }
            say!(
                "{} of the built-in theme in {}; edit them there",
                plural(written.len(), "file"),
                site.join("themes/default").display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn init_site(dir: &std::path::Path, install_from: String) -> Result<ExitCode> {
    for path in init::init(dir, &init::InitOptions { install_from: Some(install_from) })? {
        say!("created {}", path.display());
    }
    say!("\nNext: cd {} && paperpress fetch && paperpress build, then open public/index.html", term::shell_quote(dir));
    say!("To publish it, updated every day: push it to GitHub and set Settings -> Pages -> Source to GitHub Actions.");
    Ok(ExitCode::SUCCESS)
}

fn fetch(site: &Site, source: Option<FetchCommand>) -> Result<ExitCode> {
    use paperpress::error::Context;
    use paperpress::fetch::{Days, FetchOptions, Paging, Policy, Request};
    let request = match source {
        None => Request::Sources,
        Some(FetchCommand::Hf { date: Some(date), .. }) => Request::Hf(Days::On(date)),
        Some(FetchCommand::Hf { since: Some(since), until, .. }) => Request::Hf(Days::Range { since, until }),
        Some(FetchCommand::Hf { .. }) => Request::Hf(Days::New),
        Some(FetchCommand::Arxiv { query, max }) => Request::Arxiv { query, max: max.map(|m| m as usize) },
    };
    // For tests that run this binary against a local server: scales every
    // wait (retries, `Retry-After`, the arXiv interval).
    let policy = match std::env::var("PAPERPRESS_FETCH_WAIT_SCALE") {
        Ok(scale) => Policy::with_waits_scaled(scale.parse().context("PAPERPRESS_FETCH_WAIT_SCALE must be a number")?),
        Err(_) => Policy::default(),
    };
    let options = FetchOptions { request, now: jiff::Timestamp::now(), policy, paging: Paging::default() };
    let show = {
        use std::io::IsTerminal;
        std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
    };
    let report = paperpress::fetch::fetch(site, &options, &|line: &str| {
        if show {
            eprintln!("{}", paperpress::terminal::escape_line(line));
        }
    })?;
    for line in report.summary(&site.root) {
        say!("{line}");
    }
    for failure in &report.failures {
        term::error(&failure.to_string());
    }
    Ok(if report.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `paperpress import`: writes the pages, or with `--dry-run` says which.
fn import_files(site: &Site, files: &[std::path::PathBuf], options: &ImportOptions) -> Result<ExitCode> {
    let report = import(site, files, options)?;
    let mut problems = Diagnostics::default();
    problems.extend(Severity::Error, &report.skipped);
    problems.extend(Severity::Warning, &report.warnings);
    problems.extend(Severity::Note, &report.notes);
    term::diagnostics(&problems);
    if options.dry_run {
        for path in &report.new {
            say!("would create {}", path.display());
        }
        for path in &report.updated {
            say!("would update {}", path.display());
        }
    }
    for path in &report.kept {
        say!("kept {} (written by hand: import never changes it)", path.display());
    }
    for conflict in &report.conflicts {
        let fields = conflict.fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
        say!(
            "conflict in {}: you and the new data both changed {fields}; your version is kept",
            conflict.path.display()
        );
    }
    let what = if options.dry_run { "would import" } else { "imported" };
    say!("{what} {}: {}", report.files_summary(), report.summary());
    term::summary(&problems);
    Ok(exit_code(problems.fails(false)))
}

/// `paperpress build`.
fn build_site(output: Option<std::path::PathBuf>, full: bool, args: BuildArgs) -> Result<ExitCode> {
    let site = Site::find(&args.site.root)?;
    let output_dir = output.clone().unwrap_or_else(|| site.output_dir.clone());
    let cache = site.root.join(".paperpress").join("cache");
    if full {
        paperpress::incremental::forget(&cache)?;
        paperpress::parse_cache::forget(&cache)?;
        paperpress::search::memo::forget(&cache)?;
        paperpress::enrich::memo::forget(&cache)?;
        paperpress::enrich::related::forget(&cache)?;
    }
    let report = build(&site, &BuildOptions { base_url: args.base_url, output, cache: Some(cache) })?;
    let problems = report.diagnostics();
    term::diagnostics(&problems);
    for note in &report.notes {
        term::note(note);
    }
    if let Some(warning) = size_warning(&report.size) {
        term::warning(&warning);
    }
    let how = if report.incremental {
        format!("updated {} of {}", report.written, plural(report.files, "file"))
    } else {
        plural(report.files, "file")
    };
    say!(
        "built {} over {} from {} into {} ({how}) in {:.2} s",
        plural(report.papers, "paper"),
        plural(report.days, "day"),
        plural(report.digest_files, "digest"),
        output_dir.display(),
        report.elapsed.as_secs_f64()
    );
    term::summary(&problems);
    Ok(exit_code(problems.fails(false)))
}

/// A warning when the site is larger than GitHub Pages publishes, with
/// what takes the room.
fn size_warning(size: &[(&str, u64)]) -> Option<String> {
    let total: u64 = size.iter().map(|(_, bytes)| bytes).sum();
    if total <= paperpress::output::PAGES_LIMIT {
        return None;
    }
    let mb = |bytes: u64| format!("{:.0} MB", bytes as f64 / 1e6);
    let parts: Vec<String> = size.iter().map(|(part, bytes)| format!("{part} {}", mb(*bytes))).collect();
    Some(format!(
        "the site is {}, more than the 1 GB GitHub Pages publishes: {}. Fewer papers per topic feed, a smaller \
         `related` or `excerpt_chars`, or a second site for older days make it smaller",
        mb(total),
        parts.join(", ")
    ))
}

fn serve(port: u16, interface: Option<std::net::IpAddr>, open: bool, args: BuildArgs) -> Result<ExitCode> {
    let root = Site::find(&args.site.root)?.root;
    if let Some(addr) = interface.filter(|a| !a.is_loopback()) {
        term::warning(&format!(
            "serving on {addr}: other machines on the network can read the preview; use it only on a network you trust"
        ));
    }
    let options = paperpress::serve::ServeOptions { port, interface, base_url: args.base_url };
    let server = paperpress::serve::DevServer::start_with(&root, &options)?;
    server.wait(|server| {
        let url = format!("http://{}/", server.addr());
        say!("serving {url} from {} (Ctrl-C to stop)", server.output().display());
        if open && let Err(e) = open_browser(&url) {
            term::warning(&format!("cannot open a browser ({e}): open {url} yourself"));
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Opens `url` in the default browser.
fn open_browser(url: &str) -> std::io::Result<()> {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let program = std::env::var_os("BROWSER").unwrap_or_else(|| program.into());
    std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
}

fn exit_code(failed: bool) -> ExitCode {
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
