//! paperpress: a static site generator for research-paper digests.
//!
//! The modules follow the pipeline:
//! `fetch` (APIs -> `content/digests/`) -> `import` (inputs -> paper
//! pages in `content/papers/`) ->
//! `config` (site.toml) -> `source` (digests -> papers; `clean` their
//! text) -> `content` (digests + pages on disk, unchanged digests from the
//! `parse_cache`) -> `model` (days; `enrich`: topics and related papers,
//! unchanged papers' analysis from `enrich::memo`) -> `render` (Tera; the
//! search index, unchanged papers' terms from `search::memo`) -> `output`
//! (the only writer of the site folder). What the cache folder holds is
//! written through `cache_file`.

pub mod cache_file;
pub mod catalog;
pub mod check;
pub mod clean;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod enrich;
pub mod error;
pub mod feed;
pub mod fetch;
pub mod front_matter;
pub mod import;
pub mod incremental;
pub mod init;
pub mod links;
pub mod markdown;
pub mod math;
pub mod model;
pub mod output;
pub mod page;
pub mod paper;
pub mod parse_cache;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod sink;
pub mod source;
pub mod terminal;
pub mod tex;
pub mod theme;
pub mod urls;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use config::Site;
use diagnostics::{Diagnostics, Severity};
use error::{ImportError, Result, Warning};

/// Options of `paperpress build`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Overrides the output folder.
    pub output: Option<PathBuf>,
    /// Where the build keeps its record of what each output read, so that
    /// the next build renders only what changed (see [`incremental`]);
    /// `None` builds everything and keeps no record.
    pub cache: Option<PathBuf>,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Papers on the site.
    pub papers: usize,
    /// Digest days.
    pub days: usize,
    /// Files the site has.
    pub files: usize,
    /// Files written (or removed) by this build: all of them for a full build.
    pub written: usize,
    /// Whether the build rendered only what changed since the last one.
    pub incremental: bool,
    /// Bytes of the site, by part (paper pages, search, ...), largest first.
    pub size: Vec<(&'static str, u64)>,
    /// Digest files read.
    pub digest_files: usize,
    /// The owner's pages that could not be read, left out of the site.
    pub skipped: Vec<ImportError>,
    /// Digest records and files that could not be read, left out of the
    /// site (see [`content::ReadReport::data_skipped`]).
    pub data_skipped: Vec<ImportError>,
    /// Records read with a remark.
    pub warnings: Vec<Warning>,
    /// Inputs worth a word that are not problems (a day without papers).
    pub read_notes: Vec<Warning>,
    /// Wall time.
    pub elapsed: Duration,
    /// Things the owner should know that are not problems (a skipped feed).
    pub notes: Vec<String>,
}

/// Builds `site` into its output folder.
pub fn build(site: &Site, options: &BuildOptions) -> Result<BuildReport> {
    Ok(build_and_keep(site, options)?.0)
}

/// A build kept in memory, so that `serve` can rebuild parts of it.
#[derive(Debug)]
pub struct Built {
    /// The configuration it was built with (`base_url` overridden).
    pub config: config::Config,
    /// Papers, days, topics and related papers.
    pub model: model::Model,
    /// The compiled templates.
    pub theme: theme::Theme,
    /// Every paper's card.
    pub cards: render::Cards,
}

/// Builds `site` like [`build`], and keeps what a partial rebuild needs.
/// With a cache folder whose record fits, renders and writes only what
/// changed since the last build; else builds everything into a new folder
/// that replaces the old one.
pub fn build_and_keep(site: &Site, options: &BuildOptions) -> Result<(BuildReport, Built)> {
    let start = Instant::now();
    let config = effective_config(site, options);
    let output_dir = options.output.clone().unwrap_or_else(|| site.output_dir.clone());
    output::check_target(&output_dir, &site.root)?;
    let progress = progress_bar("reading");
    let (model, read) = load_model_with(site, &config, options.cache.as_deref())?;
    let mut theme = timed("load theme", || theme::Theme::load(site))?;
    render::prepare(&config, &model, &mut theme);
    let key = incremental::key(&config, &model, &theme);
    let mut notes = notes(&config);
    notes.extend(render::search_client_note(&config, &theme));
    let record = match &options.cache {
        Some(cache) => match incremental::load(cache, &output_dir, key) {
            Ok(state) => Some(state),
            Err(why) => {
                notes.extend(why.map(|why| format!("the build record cannot be used ({why}): building everything")));
                None
            }
        },
        None => None,
    };
    let incremental = record.is_some();
    let (built, files, written, size) = match record {
        Some(state) => update_site(config, model, theme, state, &output_dir, options)?,
        None => full_build(config, model, theme, key, &output_dir, options, &progress)?,
    };
    progress.finish_and_clear();
    let report = BuildReport {
        papers: built.model.papers.len(),
        days: built.model.days.len(),
        files,
        written,
        incremental,
        size,
        digest_files: read.digest_files,
        skipped: read.skipped,
        data_skipped: read.data_skipped,
        warnings: read.warnings,
        read_notes: read.notes,
        elapsed: start.elapsed(),
        notes,
    };
    Ok((report, built))
}

/// What a build returns to [`build_and_keep`]: the build, the files of
/// the site, the files written, and its size by part.
type Outcome = (Built, usize, usize, Vec<(&'static str, u64)>);

/// Builds everything into a new folder that replaces the old one, and
/// keeps a record of it when there is a cache folder.
fn full_build(
    config: config::Config,
    model: model::Model,
    theme: theme::Theme,
    key: u64,
    output_dir: &std::path::Path,
    options: &BuildOptions,
    progress: &ProgressBar,
) -> Result<Outcome> {
    if let Some(cache) = &options.cache {
        incremental::forget(cache)?;
    }
    let staging = output::Staging::new(output_dir)?;
    let recorder = incremental::Recorder::default();
    let recording = recorder.sink(&staging);
    let sink: &dyn sink::Sink = if options.cache.is_some() { &recording } else { &staging };
    let cache = options.cache.as_deref();
    let built =
        render_model(config, model, theme, sink, cache, progress, Order::OneAfterTheOther, |built| built.pages(sink))?;
    let plan = options.cache.as_ref().map(|_| timed("record", || incremental::Plan::new(&built.config, &built.model)));
    let sizes = staging.sizes();
    let size = output::size_by_part(sizes.iter().map(|(path, &size)| (path.as_str(), size)));
    let files = timed("swap in the new build", || staging.finish())?;
    if let (Some(cache), Some(plan)) = (&options.cache, plan) {
        let mut state = incremental::State::of_full_build(key, &plan, recorder, &sizes);
        incremental::save(cache, &mut state, output_dir)?;
    }
    Ok((built, files, files, size))
}

/// Renders what changed since the build `state` records, and applies it
/// to the output folder in place.
fn update_site(
    config: config::Config,
    model: model::Model,
    theme: theme::Theme,
    state: incremental::State,
    output_dir: &std::path::Path,
    options: &BuildOptions,
) -> Result<Outcome> {
    let cache = options.cache.as_ref().expect("an incremental build has a cache folder");
    let changes = incremental::Changes::new(state);
    let hidden = ProgressBar::hidden();
    let built = render_model(config, model, theme, &changes, Some(cache), &hidden, Order::SideBySide, |built| {
        let plan = timed("what each page reads", || incremental::Plan::new(&built.config, &built.model));
        timed("changed pages", || changes.render_listed(&plan, &built.config, &built.model, &built.theme, &built.cards))
    })?;
    let (files, removed, mut state) = changes.finish();
    let size = state.size_by_part();
    incremental::forget(cache)?;
    timed("write the changes", || output::apply(output_dir, &files, &removed))?;
    incremental::save(cache, &mut state, output_dir)?;
    Ok((built, state.len(), files.len() + removed.len(), size))
}

impl BuildReport {
    /// Every problem the build met, by severity.
    pub fn diagnostics(&self) -> Diagnostics {
        let mut all = Diagnostics::default();
        all.extend(Severity::Error, &self.skipped);
        // Data a source sent that could not be read: the rest of the site
        // is built and published (`check` calls them errors).
        all.extend(Severity::Warning, &self.data_skipped);
        all.extend(Severity::Warning, &self.warnings);
        all.extend(Severity::Note, &self.read_notes);
        all
    }
}

/// What `paperpress check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// What reading the inputs reported.
    pub read: content::ReadReport,
    /// Internal links that do not resolve.
    pub broken_links: Vec<check::BrokenLink>,
    /// Titles of papers without any topic.
    pub without_topic: Vec<String>,
    /// Unsafe links, characters or XML in the output (see [`check::unsafe_output`]).
    pub unsafe_output: Vec<check::Unsafe>,
    /// Files the build would write.
    pub files: usize,
    /// Every problem, by severity: input problems, broken links (named by
    /// the hand-written page and line they come from), papers without a topic.
    pub problems: Diagnostics,
}

impl CheckReport {
    /// Whether anything needs fixing (notes aside).
    pub fn is_clean(&self) -> bool {
        !self.problems.fails(true)
    }
}

/// Builds `site` in memory and reports every problem, writing nothing.
/// Template errors are errors, as in a build.
pub fn check(site: &Site, options: &BuildOptions) -> Result<CheckReport> {
    let sink = sink::Collect::default();
    let (built, read) = render_site(site, effective_config(site, options), &sink, &ProgressBar::hidden())?;
    let files = sink.into_files();
    let model = built.model;
    let without_topic: Vec<usize> =
        model.topics.of_paper.iter().enumerate().filter(|(_, t)| t.is_empty()).map(|(p, _)| p).collect();
    let broken_links = check::broken_links(&files);
    let owner_pages = model.pages.iter().map(|p| p.path.as_str()).collect();
    let unsafe_output = check::unsafe_output(&files, &owner_pages);
    let mut problems = Diagnostics::default();
    problems.extend(Severity::Error, &read.data_skipped);
    problems.extend(Severity::Error, &read.skipped);
    problems.extend(Severity::Error, &check::located(&broken_links, &model.pages));
    for found in &unsafe_output {
        let message = format!("in the built site: {}", found.what);
        problems.push(Severity::Error, error::ImportError::file(std::path::Path::new(&found.file), message));
    }
    problems.extend(Severity::Warning, &read.warnings);
    for &p in &without_topic {
        problems.push(Severity::Warning, check::no_topic(site, &model.papers[p]));
    }
    problems.extend(Severity::Note, &read.notes);
    let without_topic = without_topic.iter().map(|&p| math::plain_text(&model.papers[p].title)).collect();
    Ok(CheckReport { read, broken_links, without_topic, unsafe_output, files: files.len(), problems })
}

fn effective_config(site: &Site, options: &BuildOptions) -> config::Config {
    let mut config = site.config.clone();
    if let Some(url) = &options.base_url {
        config.base_url = url.clone();
    }
    config
}

/// Loads, enriches and renders the whole site into `sink`, file by file.
fn render_site(
    site: &Site,
    config: config::Config,
    sink: &dyn sink::Sink,
    progress: &ProgressBar,
) -> Result<(Built, content::ReadReport)> {
    let (model, read) = load_model(site, &config)?;
    let mut theme = timed("load theme", || theme::Theme::load(site))?;
    render::prepare(&config, &model, &mut theme);
    Ok((
        render_model(config, model, theme, sink, None, progress, Order::OneAfterTheOther, |built| built.pages(sink))?,
        read,
    ))
}

/// How [`render_model`] orders the search index and the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// The search index first, then the pages: a full build, whose index
    /// at 100,000 papers is held in memory only while no page is.
    OneAfterTheOther,
    /// The search index beside the pages, on both cores: an incremental
    /// build, which renders few pages and re-reads every paper for the
    /// index.
    SideBySide,
}

/// Renders a model, feeds and sitemap included, into `sink`, the theme
/// prepared; `pages` renders the listed pages (all of them, or those that
/// changed). The search memo is kept in `cache`.
#[allow(clippy::too_many_arguments)]
fn render_model(
    config: config::Config,
    model: model::Model,
    theme: theme::Theme,
    sink: &dyn sink::Sink,
    cache: Option<&std::path::Path>,
    progress: &ProgressBar,
    order: Order,
    pages: impl FnOnce(&Built) -> Result<()> + Send,
) -> Result<Built> {
    let count = page_count(&config, &model);
    progress.set_length(count as u64);
    progress.set_message(format!("rendering {} pages", diagnostics::thousands(count)));
    let sink = &Progress { sink, bar: progress };
    let cards = timed("cards", || render::Cards::new(&model));
    let built = Built { config, model, theme, cards };
    let Built { config, model, theme, cards } = &built;
    // The search page first: the sitemap lists the pages put before it.
    render::render_search_page(config, model, theme, sink)?;
    let search = || timed("search", || render::render_search_index(config, model, sink, cache));
    let rest = || -> Result<()> {
        pages(&built)?;
        timed("site pages", || render::render_site_pages(config, model, theme, cards, sink))?;
        timed("feeds and sitemap", || add_feeds(config, model, theme, sink))
    };
    match order {
        Order::OneAfterTheOther => {
            search()?;
            rest()?;
        }
        Order::SideBySide => {
            let (searched, rendered) = rayon::join(search, rest);
            searched?;
            rendered?;
        }
    }
    Ok(built)
}

impl Built {
    /// Renders every listed page (papers, days, topics) into `sink`.
    fn pages(&self, sink: &dyn sink::Sink) -> Result<()> {
        render::render_listed_all(&self.config, &self.model, &self.theme, &self.cards, sink)
    }
}

/// Builds a site of `records` in memory, as a build of digests holding
/// them would (merged by identity, enriched, rendered with the built-in
/// theme, feeds included), and returns its files: the last step of the
/// whole path (bytes, records, pages, parsed pages, HTML) for fuzzing and
/// property tests, where there is no site folder.
pub fn build_in_memory(config: &config::Config, records: Vec<paper::Paper>) -> Result<Vec<sink::OutputFile>> {
    let mut catalog = catalog::Catalog::default();
    for record in records {
        catalog.add(record);
    }
    let model = model::Model::new(catalog.into_papers(), Vec::new(), None, config);
    let sink = sink::Collect::default();
    let mut theme = theme::Theme::built_in()?;
    render::prepare(config, &model, &mut theme);
    let hidden = ProgressBar::hidden();
    render_model(config.clone(), model, theme, &sink, None, &hidden, Order::OneAfterTheOther, |built| {
        built.pages(&sink)
    })?;
    Ok(sink.into_files())
}

/// The HTML pages a build renders, as its progress bar counts them: one per
/// paper, day, hand-written page and topic page, the search page, and the
/// home, archive, topics, saved-papers and 404 pages.
pub fn page_count(config: &config::Config, model: &model::Model) -> usize {
    let per_page = config.build.paginate_by.max(1);
    let topic_pages: usize = model.topics.topics.iter().map(|t| t.papers.len().div_ceil(per_page)).sum();
    model.papers.len() + model.days.len() + model.pages.len() + topic_pages + usize::from(config.search.enabled) + 5
}

/// A sink that moves the progress bar on at each HTML page it passes on.
struct Progress<'a> {
    sink: &'a dyn sink::Sink,
    bar: &'a ProgressBar,
}

impl sink::Sink for Progress<'_> {
    fn put(&self, file: sink::OutputFile) -> Result<()> {
        let page = file.path.ends_with(".html");
        self.sink.put(file)?;
        if page {
            self.bar.inc(1);
        }
        Ok(())
    }

    fn put_made(&self, path: &str, reads: u64, make: &mut dyn FnMut() -> sink::OutputFile) -> Result<()> {
        let page = path.ends_with(".html");
        self.sink.put_made(path, reads, make)?;
        if page {
            self.bar.inc(1);
        }
        Ok(())
    }

    fn paths(&self) -> Vec<String> {
        self.sink.paths()
    }
}

/// Feeds, sitemap, `robots.txt` and `CNAME`; the sitemap lists the pages
/// already rendered.
fn add_feeds(config: &config::Config, model: &model::Model, theme: &theme::Theme, sink: &dyn sink::Sink) -> Result<()> {
    let pages = sink.paths();
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    let files = feed::feeds(config, model, &theme.tera)?
        .into_iter()
        .chain(feed::sitemap(config, model, &pages, &theme.tera)?)
        .chain(feed::cname(config));
    for file in files {
        sink.put(file)?;
    }
    Ok(())
}

fn notes(config: &config::Config) -> Vec<String> {
    if config.base_url().is_some() {
        return Vec::new();
    }
    vec![
        "no `base_url` in site.toml: feeds and sitemap skipped (pass `--base-url URL` or set it to publish them)"
            .into(),
    ]
}

/// Loads the content of `site` and builds its model (days, topics,
/// related papers), as a build does before rendering.
pub fn load_model(site: &Site, config: &config::Config) -> Result<(model::Model, content::ReadReport)> {
    load_model_with(site, config, None)
}

/// [`load_model`], taking the digests the parse cache in the cache folder
/// `cache` holds from it (see [`parse_cache`]).
fn load_model_with(
    site: &Site,
    config: &config::Config,
    cache: Option<&std::path::Path>,
) -> Result<(model::Model, content::ReadReport)> {
    let parse_cache = cache.map(parse_cache::ParseCache::open);
    let content = timed("load content", || content::load_with(site, parse_cache.as_ref()))?;
    if let Some(parse_cache) = parse_cache {
        parse_cache.finish();
    }
    let model = timed("model (days, topics, related)", || {
        model::Model::new_with(content.papers, content.pages, content.home, config, cache)
    });
    Ok((model, content.report))
}

/// `paperpress topics --lock`: writes `topics.lock` beside `site.toml` so
/// that it keeps every automatic topic of `model` (the live ones as they
/// are, the retired ones as they were); whether the file changed.
pub fn lock_topics(site: &Site, model: &model::Model) -> Result<bool> {
    let path = site.join(config::LOCK_FILE);
    let text = enrich::topics::lock::updated(&model.topics).to_text();
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(false);
    }
    error::write_atomic(&path, text.as_bytes())?;
    Ok(true)
}

/// Runs one stage, logging its duration at debug level, with the CPU time
/// all threads spent in it (how well it used the cores) and the peak memory.
pub(crate) fn timed<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let cpu_start = cpu_time();
    let value = f();
    let cpu = match (cpu_start, cpu_time()) {
        (Some(a), Some(b)) => format!(", cpu {:.0} ms", (b - a).as_secs_f64() * 1000.0),
        _ => String::new(),
    };
    log::debug!("{stage}: {:.1} ms{cpu}{}", start.elapsed().as_secs_f64() * 1000.0, peak_memory());
    value
}

/// CPU time of the process so far, user and system, to the clock tick
/// (Linux only).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces): utime and
    // stime are the 12th and 13th, in ticks of 1/100 s on Linux.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let ticks: u64 = fields.next()?.parse::<u64>().ok()? + fields.next()?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// The peak memory so far, for debug logs (Linux only).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| format!(" (peak memory {})", l[6..].trim())))
        .unwrap_or_default()
}

/// A progress bar on a terminal, with the count of what it says it does
/// and the time left; hidden when stderr is a pipe or a CI log.
pub fn progress_bar(message: &'static str) -> ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0).with_message(message);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {human_pos}/{human_len}, {eta} left")
            .expect("the progress template is valid")
            .progress_chars("=> "),
    );
    bar
}
