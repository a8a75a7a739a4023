//! Incremental builds: the record a build keeps of what each output read,
//! and the build that uses it to render only what a change touches.
//!
//! The record ([`State`]) holds a key (the paperpress version, the
//! configuration, the theme and the site-wide values every page reads)
//! and, for every output file, a hash: of what it read for the pages of
//! papers, days and topics (`render::reads`), of its bytes for everything
//! else. The next build loads the content and the model as a full build
//! does, hashes what each listed page would read, renders only the pages
//! whose hash changed, renders the few site-wide files (home, feeds, the
//! search index) and writes only those whose bytes changed, then removes
//! what the build no longer makes. The output is byte for byte what a
//! full build would write.
//!
//! A record that does not fit (another version or build of paperpress,
//! another configuration or theme, another output folder, a folder
//! replaced since, a damaged file) means a full build, with a note. The
//! record is removed before the output is touched and written again once
//! it is complete, so a build killed half-way leaves no record, and the
//! next build is a full one.
//! This module reads and writes only the record; `output` writes the site.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::Built;
use crate::config::Config;
use crate::enrich::Doc;
use crate::enrich::topics::{self, Matcher};
use crate::error::{Context, Result};
use crate::model::Model;
use crate::paper::Paper;
use crate::render::{self, Cards, Listed, reads::Hashes};
use crate::sink::{Claims, OutputFile, Sink};
use crate::theme::Theme;

/// What the record file starts with: a record of another version is not read.
const FORMAT: &str = concat!("paperpress ", env!("CARGO_PKG_VERSION"), " build record 1\n");

/// The file of the record, in the cache folder.
const FILE: &str = "build.bin";

/// What a build left for the next one.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// What every page reads (see [`key`]).
    key: u64,
    /// The output folder, absolute.
    output: PathBuf,
    /// The output folder's device and inode. Another folder (a copy the CI
    /// cache restored) is the one recorded only if it holds what the record
    /// says.
    folder: Option<(u64, u64)>,
    /// Every output file by path: what it read, or its bytes, hashed; and its size.
    outputs: HashMap<String, (u64, u64)>,
}

/// What every page of the site reads: a build with another key renders
/// everything.
pub fn key(config: &Config, model: &Model, theme: &Theme) -> u64 {
    let mut h = DefaultHasher::new();
    FORMAT.hash(&mut h);
    serde_json::to_string(config).expect("the configuration serializes").hash(&mut h);
    theme.fingerprint.hash(&mut h);
    // Whether pages link to the feeds (`site.feed`), on every page.
    crate::feed::written(config, model).hash(&mut h);
    // The header's menu, on every page.
    for page in &model.pages {
        (&page.path, &page.title, page.menu).hash(&mut h);
    }
    h.finish()
}

/// The device and inode of `folder`, where the system has them.
fn identity(folder: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(folder).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        None
    }
}

/// Reads the record in `cache` for a build of `output` with `key`: `Ok`
/// with it when it fits, `Err` with why not (`None` when there is none).
pub fn load(cache: &Path, output: &Path, key: u64) -> std::result::Result<State, Option<String>> {
    let path = cache.join(FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(None),
        Err(e) => return Err(Some(format!("cannot read `{}`: {e}", path.display()))),
    };
    let state = decode(&bytes).ok_or_else(|| {
        Some(format!("`{}` is damaged, or was written by another version or build of paperpress", path.display()))
    })?;
    let output = std::path::absolute(output).map_err(|e| Some(e.to_string()))?;
    if state.key != key {
        return Err(Some("the configuration, the theme or paperpress changed".into()));
    }
    if state.output != output {
        return Err(Some(format!("the last build went to `{}`", state.output.display())));
    }
    let folder = identity(&output);
    let same_folder = folder.is_some() && state.folder == folder;
    if !output.join("index.html").is_file() || !(same_folder || holds_what_was_recorded(&output, &state)) {
        return Err(Some(format!("`{}` is not the folder the last build wrote", output.display())));
    }
    Ok(state)
}

/// Whether `output`, a folder other than the one the last build wrote (a
/// copy of it, as a CI cache restores it), holds what that build wrote:
/// every file of the record with its size, and the same home page.
fn holds_what_was_recorded(output: &Path, state: &State) -> bool {
    use rayon::prelude::*;
    let sizes_match = state.outputs.par_iter().all(|(path, &(_, size))| {
        std::fs::symlink_metadata(output.join(path)).is_ok_and(|m| m.is_file() && m.len() == size)
    });
    sizes_match
        && state
            .outputs
            .get("index.html")
            .is_some_and(|&(hash, _)| std::fs::read(output.join("index.html")).is_ok_and(|b| bytes_hash(&b) == hash))
}

/// The record as stored (see [`crate::cache_file`]).
fn encode(state: &State) -> Vec<u8> {
    crate::cache_file::encode(FORMAT, state).expect("the record serializes")
}

fn decode(bytes: &[u8]) -> Option<State> {
    crate::cache_file::decode(FORMAT, bytes)
}

/// Removes the record: done before the output changes.
pub fn forget(cache: &Path) -> Result<()> {
    crate::cache_file::remove(&cache.join(FILE))
}

/// Writes the record of a build of `output`, complete.
pub fn save(cache: &Path, state: &mut State, output: &Path) -> Result<()> {
    state.output = std::path::absolute(output).with_context(|| format!("failed to resolve `{}`", output.display()))?;
    state.folder = identity(output);
    crate::error::write_atomic(&cache.join(FILE), &encode(state))
}

impl State {
    /// A record of what a full build wrote: its listed pages' reads, the
    /// bytes of the rest as `recorded` kept them, and the size of each file.
    pub fn of_full_build(key: u64, plan: &Plan, recorded: Recorder, sizes: &HashMap<String, u64>) -> State {
        let mut hashes = recorded.hashes.into_inner().expect("no thread panics holding the hashes");
        hashes.extend(plan.pages.iter().map(|p| (p.path.clone(), p.reads)));
        let outputs = hashes.into_iter().map(|(path, hash)| {
            let size = sizes.get(&path).copied().unwrap_or(0);
            (path, (hash, size))
        });
        State { key, output: PathBuf::new(), folder: None, outputs: outputs.collect() }
    }

    /// The bytes of the site by part, largest first.
    pub fn size_by_part(&self) -> Vec<(&'static str, u64)> {
        crate::output::size_by_part(self.outputs.iter().map(|(path, &(_, size))| (path.as_str(), size)))
    }

    /// How many outputs the record holds.
    pub fn len(&self) -> usize {
        self.outputs.len()
    }

    /// Whether the record holds no output.
    pub fn is_empty(&self) -> bool {
        self.outputs.is_empty()
    }

    /// Forgets what `paths` read, so that the next build renders them:
    /// for files written outside a build (`serve`'s quick updates).
    pub fn invalidate<'a>(&mut self, paths: impl IntoIterator<Item = &'a str>) {
        for path in paths {
            self.outputs.remove(path);
        }
    }
}

/// A listed page of the build, with its path and what it reads.
#[derive(Debug)]
pub struct Planned {
    /// The page.
    pub page: Listed,
    /// Its output path.
    pub path: String,
    /// What it reads, hashed.
    pub reads: u64,
}

/// Every listed page of a build and what it reads.
#[derive(Debug, Default)]
pub struct Plan {
    /// The pages, in [`render::listed`] order.
    pub pages: Vec<Planned>,
}

impl Plan {
    /// Hashes what every listed page of `model` reads.
    pub fn new(config: &Config, model: &Model) -> Plan {
        let hashes = Hashes::new(model);
        let pages = render::listed(config, model)
            .into_par_iter()
            .map(|page| Planned {
                path: render::listed_path(config, model, page),
                reads: render::reads::reads(config, model, &hashes, page),
                page,
            })
            .collect();
        Plan { pages }
    }
}

/// A sink that hashes every file it passes on to the next: the record of
/// a full build's site-wide files.
#[derive(Default)]
pub struct Recorder {
    hashes: Mutex<HashMap<String, u64>>,
}

impl Recorder {
    /// A sink that records what goes to `next`.
    pub fn sink<'a>(&'a self, next: &'a dyn Sink) -> Recording<'a> {
        Recording { recorder: self, next }
    }
}

/// A [`Recorder`] passing files on to a sink.
pub struct Recording<'a> {
    recorder: &'a Recorder,
    next: &'a dyn Sink,
}

/// The hash of an output file's bytes, as the record keeps it.
fn bytes_hash(bytes: &[u8]) -> u64 {
    twox_hash::XxHash3_64::oneshot(bytes)
}

impl Sink for Recording<'_> {
    fn put(&self, file: OutputFile) -> Result<()> {
        let hash = bytes_hash(&file.bytes);
        self.recorder.hashes.lock().expect("no thread panics holding the hashes").insert(file.path.clone(), hash);
        self.next.put(file)
    }

    /// The file is recorded by what it was made from, not by its bytes.
    fn put_made(&self, path: &str, reads: u64, make: &mut dyn FnMut() -> OutputFile) -> Result<()> {
        self.recorder.hashes.lock().expect("no thread panics holding the hashes").insert(path.to_string(), reads);
        self.next.put(make())
    }

    fn paths(&self) -> Vec<String> {
        self.next.paths()
    }
}

/// The changes an incremental build makes to the output folder, collected
/// before any is made: the files that changed, by path, and the record to
/// keep once they are written.
pub struct Changes {
    old: State,
    new: Mutex<HashMap<String, (u64, u64)>>,
    claims: Claims,
    files: Mutex<Vec<OutputFile>>,
}

impl Changes {
    /// Changes against the last build's record.
    pub fn new(old: State) -> Changes {
        Changes { old, new: Mutex::default(), claims: Claims::default(), files: Mutex::default() }
    }

    /// Renders the listed pages of `plan` whose reads changed.
    pub fn render_listed(
        &self,
        plan: &Plan,
        config: &Config,
        model: &Model,
        theme: &Theme,
        cards: &Cards,
    ) -> Result<()> {
        plan.pages.par_iter().try_for_each(|planned| {
            let unchanged = self.old.outputs.get(&planned.path).filter(|(reads, _)| *reads == planned.reads);
            let (size, file) = match unchanged {
                Some(&(_, size)) => (size, None),
                None => {
                    let file = render::render_listed(config, model, theme, cards, planned.page)?;
                    (file.bytes.len() as u64, Some(file))
                }
            };
            self.claims.claim(&planned.path, size)?;
            self.record(&planned.path, planned.reads, size);
            if let Some(file) = file {
                self.files.lock().expect("no thread panics holding the files").push(file);
            }
            Ok(())
        })
    }

    fn record(&self, path: &str, hash: u64, size: u64) {
        self.new.lock().expect("no thread panics holding the record").insert(path.to_string(), (hash, size));
    }

    /// The files to write, the files to remove, and the new record.
    pub fn finish(self) -> (Vec<OutputFile>, Vec<String>, State) {
        let new = self.new.into_inner().expect("no thread panics holding the record");
        let mut removed: Vec<String> = self.old.outputs.keys().filter(|p| !new.contains_key(*p)).cloned().collect();
        removed.sort();
        let mut files = self.files.into_inner().expect("no thread panics holding the files");
        files.sort_by(|a, b| a.path.cmp(&b.path));
        (files, removed, State { key: self.old.key, outputs: new, ..State::default() })
    }
}

/// The site-wide files go through [`Changes`] as a sink: each is kept
/// only if its bytes differ from the last build's.
impl Sink for Changes {
    fn put(&self, file: OutputFile) -> Result<()> {
        let size = file.bytes.len() as u64;
        self.claims.claim(&file.path, size)?;
        let hash = bytes_hash(&file.bytes);
        self.record(&file.path, hash, size);
        if self.old.outputs.get(&file.path).map(|&(old, _)| old) != Some(hash) {
            self.files.lock().expect("no thread panics holding the files").push(file);
        }
        Ok(())
    }

    /// A file made from what the last build's was made from is that file:
    /// it is neither made nor written.
    fn put_made(&self, path: &str, reads: u64, make: &mut dyn FnMut() -> OutputFile) -> Result<()> {
        if let Some(&(_, size)) = self.old.outputs.get(path).filter(|(old, _)| *old == reads) {
            self.claims.claim(path, size)?;
            self.record(path, reads, size);
            return Ok(());
        }
        let file = make();
        debug_assert_eq!(file.path, path);
        let size = file.bytes.len() as u64;
        self.claims.claim(&file.path, size)?;
        self.record(&file.path, reads, size);
        self.files.lock().expect("no thread panics holding the files").push(file);
        Ok(())
    }

    fn paths(&self) -> Vec<String> {
        self.claims.paths()
    }
}

/// Applies edited paper pages to a kept build, quickly: re-renders the
/// pages that show each paper (its own, its days', its topics', those of
/// the papers listing it) and writes them into `output` in place; returns
/// how many, or `None` when an edit reaches further (a new paper, other
/// days, other topics), which needs a build. What it leaves behind (the
/// search index, the feeds, other papers' related lists) catches up at the
/// next build, since the pages it wrote are taken out of the record in `cache`.
/// For `serve`, where an edit must show in milliseconds.
pub fn update_paper_pages(
    built: &mut Built,
    changed: &[PathBuf],
    output: &Path,
    cache: &Path,
) -> Result<Option<usize>> {
    let mut written = 0;
    for path in changed {
        let Some(files) = update_paper_page(built, path)? else { return Ok(None) };
        forget_outputs(cache, files.iter().map(|f| f.path.as_str()))?;
        crate::output::update(output, &files)?;
        written += files.len();
    }
    Ok(Some(written))
}

/// Takes `paths` out of the record in `cache`, so that the next build
/// renders them again; a record that cannot be read is removed.
fn forget_outputs<'a>(cache: &Path, paths: impl IntoIterator<Item = &'a str>) -> Result<()> {
    let Ok(bytes) = std::fs::read(cache.join(FILE)) else { return Ok(()) };
    let Some(mut state) = decode(&bytes) else { return forget(cache) };
    state.invalidate(paths);
    crate::error::write_atomic(&cache.join(FILE), &encode(&state))
}

/// Applies an edited paper page to a kept build and renders the pages that
/// change; `None` when the edit reaches further than those pages (a new
/// paper, other days, other topics), which needs a full build. The search
/// index, the feeds and other papers' related lists catch up at the next
/// full build.
fn update_paper_page(built: &mut Built, path: &Path) -> Result<Option<Vec<OutputFile>>> {
    let text = crate::error::read_text(path)?;
    let mut paper = Paper::from_page(&text, path)?;
    let model = &built.model;
    let Ok(i) = model.papers.binary_search_by(|p| p.id.as_str().cmp(&paper.id)) else { return Ok(None) };
    let old = &model.papers[i];
    // Days a digest lists the paper on come back; days of its own must not change.
    if !paper.dates().all(|d| old.dates().any(|o| o == d)) {
        return Ok(None);
    }
    paper.add_days(&old.days);
    if paper.days != old.days
        || paper.topics != old.topics
        || rule_topics(built, &paper) != rule_topics_of(model, i)
        || vouches_otherwise(built, &paper, old)
    {
        return Ok(None);
    }
    built.model.papers[i] = paper;
    let card_changed = built.cards.refresh(&built.config, &built.model, i);
    let files =
        crate::render::pages_of_paper(&built.config, &built.model, &built.theme, &built.cards, i, card_changed)?;
    Ok(Some(files))
}

/// The slugs of the rule topics `paper` would get now.
fn rule_topics(built: &Built, paper: &Paper) -> Vec<String> {
    if !paper.topics.is_empty() {
        return Vec::new();
    }
    let rules = &built.config.topics;
    let matcher = Matcher::new(rules);
    let doc = Doc::new(paper);
    let mut slugs: Vec<String> = topics::rule_topics(&matcher, &doc, rules, &built.config.taxonomy)
        .into_iter()
        .map(|r| rules[r].slug())
        .collect();
    slugs.sort();
    slugs
}

/// Whether `paper` tells its neighbours something else than `old` did (see
/// [`topics::neighbours`]): their topics may change, which needs a build. A
/// paper that has a topic from its neighbours needs one too, since
/// [`rule_topics`] is its own words' only; that its edited words make other
/// papers its neighbours catches up at the next build, as related lists do.
fn vouches_otherwise(built: &Built, paper: &Paper, old: &Paper) -> bool {
    let settings = &built.config.taxonomy;
    if !settings.neighbours {
        return false;
    }
    let matcher = Matcher::new(&built.config.topics);
    let vouch = |p: &Paper| {
        let scores = matcher.scores(&Doc::new(p), settings);
        topics::neighbours::vouch(&matcher, &scores, &matcher.tagging(&scores, settings))
    };
    vouch(paper) != vouch(old)
}

/// The slugs of the rule topics paper `i` has in the model.
fn rule_topics_of(model: &crate::model::Model, i: usize) -> Vec<String> {
    let mut slugs: Vec<String> = model.topics.of_paper[i]
        .iter()
        .map(|&t| &model.topics.topics[t])
        .filter(|t| t.kind == topics::TopicKind::Rule && model.papers[i].topics.is_empty())
        .map(|t| t.slug.clone())
        .collect();
    slugs.sort();
    slugs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_survives_a_round_trip_and_a_damaged_one_is_refused() {
        let mut state = State { key: 7, ..State::default() };
        state.outputs.insert("index.html".into(), (42, 1200));
        let bytes = encode(&state);
        assert_eq!(decode(&bytes).unwrap().outputs["index.html"], (42, 1200));
        for cut in [0, 5, FORMAT.len(), bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        let at = FORMAT.len() + 3;
        flipped[at] ^= 1;
        assert!(decode(&flipped).is_none(), "a flipped bit is found");
        let other = bytes.iter().copied().map(|b| if b == b'1' { b'2' } else { b }).collect::<Vec<_>>();
        assert!(decode(&other).is_none(), "another format is not read");
    }
}
