//! `site.toml`: typed configuration with a documented default for every key.
//!
//! [`Config::parse`] deserializes and validates in one place; an unknown key
//! or a wrong type is an error naming the key, the file and the line.
//! [`Site`] adds the resolved folders. Nothing here reads content.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Result, bail, line_of};

mod lock;
pub use lock::{LOCK_FILE, LockedTopic, TopicLock};

/// The name of the configuration file at the root of a site.
pub const CONFIG_FILE: &str = "site.toml";

/// Everything `site.toml` can say.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Site title, shown in the header and the `<title>` of every page.
    /// Default: `"Paper digest"`.
    pub title: String,
    /// One-line description for the home page and feeds. Default: empty.
    pub description: String,
    /// Absolute URL the site is published at (`https://user.github.io/repo/`).
    /// Only feeds, the sitemap and canonical links use it; every page link
    /// is relative. Default: empty (those outputs are skipped).
    pub base_url: String,
    /// Theme folder under `themes/`; `default` is built in. Default: `"default"`.
    pub theme: String,
    /// Language of the site, for `<html lang>`. Default: `"en"`.
    pub language: String,
    /// Build settings.
    pub build: BuildConfig,
    /// Search settings.
    pub search: SearchConfig,
    /// Feed settings.
    pub feed: FeedConfig,
    /// GitHub Pages settings.
    pub github_pages: GithubPagesConfig,
    /// How topics are assigned.
    pub taxonomy: TaxonomyConfig,
    /// Topic rules, matched against titles and abstracts.
    pub topics: Vec<TopicRule>,
    /// What `paperpress fetch` downloads, and from where.
    pub fetch: FetchConfig,
    /// Free-form values passed to templates as `site.extra`. A key written
    /// below this line belongs to `[extra]`: put the site's own keys (like
    /// `base_url`) at the top of the file.
    pub extra: toml::Table,
    /// The automatic topics the site has had: `topics.lock` beside
    /// `site.toml`, not part of it.
    #[serde(skip)]
    pub locked: TopicLock,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Paper digest".into(),
            description: String::new(),
            base_url: String::new(),
            theme: "default".into(),
            language: "en".into(),
            build: BuildConfig::default(),
            search: SearchConfig::default(),
            feed: FeedConfig::default(),
            github_pages: GithubPagesConfig::default(),
            taxonomy: TaxonomyConfig::default(),
            topics: Vec::new(),
            fetch: FetchConfig::default(),
            extra: toml::Table::new(),
            locked: TopicLock::default(),
        }
    }
}

/// `[build]`
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct BuildConfig {
    /// Output folder, relative to the site root. Default: `"public"`.
    pub output_dir: PathBuf,
    /// Papers per page on topic listings. Default: 25.
    pub paginate_by: usize,
    /// Most characters of the one-line summary a listing shows of each
    /// paper (its AI summary, else the abstract's first sentence). Default:
    /// 110, about what the default theme's one line shows at its widest.
    pub excerpt_chars: usize,
    /// Publish a `static/` folder (the site's or the theme's) that is a
    /// symlink to a folder outside the site. Default: false, so a link to
    /// a home folder never puts it online by mistake.
    pub static_outside_site: bool,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            output_dir: PathBuf::from("public"),
            paginate_by: 25,
            excerpt_chars: 110,
            static_outside_site: false,
        }
    }
}

/// `[search]`
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Build the search index and page. Default: true.
    pub enabled: bool,
    /// How much a match in the title outweighs one in the authors, topics
    /// or abstract (elasticlunr's field `boost`). Default: 3.
    pub boost_title: u8,
    /// A paper must match every word of the query, within one field
    /// (elasticlunr's `bool: "AND"`); `false` ranks papers matching any
    /// word (`"OR"`). Default: true.
    pub use_boolean_and: bool,
    /// Words match by their beginning too, so results follow typing
    /// (elasticlunr's `expand`). Default: true.
    pub expand: bool,
    /// An index larger than this (KB, uncompressed) is split into files a
    /// query loads on demand; a smaller one is a single file. Default: 256.
    pub split_above_kb: usize,
    /// Also write the complete elasticlunr-rs index as
    /// `search/elasticlunr.json`, for elasticlunr.js or other tools. Large:
    /// about 2.6 KB per paper. Default: false.
    pub elasticlunr_json: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            boost_title: 3,
            use_boolean_and: true,
            expand: true,
            split_above_kb: 256,
            elasticlunr_json: false,
        }
    }
}

/// `[feed]`
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FeedConfig {
    /// Write Atom feeds (needs `base_url`). Default: true.
    pub enabled: bool,
    /// Most recent papers in the site's feed, `atom.xml`. Default: 50.
    pub limit: usize,
    /// Most recent papers in each topic's feed. Default: 10 (a topic's
    /// feed is polled as often as the site's, and gets a few papers a day).
    pub topic_limit: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig { enabled: true, limit: 50, topic_limit: 10 }
    }
}

/// `[github_pages]`
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct GithubPagesConfig {
    /// Custom domain written to `CNAME`. Default: none.
    pub cname: String,
}

/// `[taxonomy]`: how papers get topics.
///
/// A rule's score for a paper adds up where its keywords occur: each match
/// in the title counts `title_weight` (at most two), each AI keyword that
/// holds one `keyword_weight` (at most three), a match in the abstract's
/// first sentence `lead_weight` and any other match in the abstract 1 (at
/// most three). A match that a negation governs (`without fine-tuning`,
/// `training-free`) or that a longer keyword of another rule covers
/// (`vision-language-action` over `vision-language`) counts nothing.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// A keyword found in the title counts this many times. Default: 3.
    pub title_weight: u32,
    /// An AI keyword of the paper (`ai_keywords` from the Daily Papers
    /// API) holding a keyword counts this many times. Default: 2.
    pub keyword_weight: u32,
    /// A keyword in the first sentence of the abstract counts this many
    /// times. Default: 2.
    pub lead_weight: u32,
    /// Score a paper needs for a rule to tag it, so that a passing mention
    /// does not: a title match, or an AI keyword or the first sentence and
    /// one more mention, or three mentions. Default: 3.
    pub min_score: u32,
    /// A rule whose score is below this share (percent) of the paper's best
    /// rule score does not tag it: a paper about video generation that
    /// mentions robots now and then is not about robotics. Default: 65.
    pub min_share: u32,
    /// A top topic with children (Language models, Computer vision) tags a
    /// paper beside a narrower subject only when it scores at least this
    /// share (percent) of that subject: a paper on captioning that says
    /// "image" a few times is about captioning, not about all of vision.
    /// Default: 200.
    pub broad_share: u32,
    /// A method topic (`method = true`: fine-tuning, preference
    /// optimization, test-time scaling) tags a paper beside a subject that
    /// is no method only when it scores at least this share (percent) of
    /// that subject: a paper that uses DPO to train a driving model is
    /// about driving. A method the title names needs 100% of a subject of
    /// another top topic, and none of one of its own. Default: 150.
    pub method_share: u32,
    /// Most topics per paper, the best-scoring kept, after a paper's
    /// topics are narrowed to the most specific ones; 0 keeps every topic
    /// that passes `min_score` and `min_share`. Default: 0.
    pub max_per_paper: usize,
    /// Mine automatic topics: names and phrases the papers share, offered
    /// under the rule topic most of their papers have. Default: true.
    pub auto: bool,
    /// Papers an automatic topic needs. Default: 3.
    pub auto_min_papers: usize,
    /// Related papers listed on each paper page. Default: 3 (each one more
    /// costs about 115 bytes a paper of output).
    pub related: usize,
    /// Neighbour evidence: a paper whose own words say a rule topic too
    /// weakly gets it when most of its 10 most similar papers have it
    /// firmly (6 of them with some score of its own, 8 without). Such a
    /// topic depends on the other papers, so adding days can move it;
    /// false keeps every rule topic a paper's own. Default: true.
    pub neighbours: bool,
}

impl Default for TaxonomyConfig {
    fn default() -> Self {
        TaxonomyConfig {
            title_weight: 3,
            keyword_weight: 2,
            lead_weight: 2,
            min_score: 3,
            min_share: 65,
            broad_share: 200,
            method_share: 150,
            max_per_paper: 0,
            auto: true,
            auto_min_papers: 3,
            related: 3,
            neighbours: true,
        }
    }
}

/// One `[[topics]]` rule.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct TopicRule {
    /// Display name (`Machine unlearning`). Required.
    pub name: String,
    /// URL slug; derived from the name when empty.
    pub slug: String,
    /// One sentence for the topics overview.
    pub description: String,
    /// The broader topic this one belongs to, by name or slug; its page
    /// lists this one, and counts its papers. Default: none (a top topic).
    pub parent: String,
    /// Whole-word, case-insensitive phrases matched against the title, the
    /// abstract and the AI keywords. A topic with children may have none:
    /// it then holds only its children's papers.
    pub keywords: Vec<String>,
    /// Phrases that count only in the title: words that name a paper's
    /// subject there but are said in passing in abstracts and AI keywords
    /// (`benchmark`, `fine-tuning`). A facet's one-word title keyword also
    /// counts as the last part of a name by its capitals (`bench` in
    /// `VideoReasonBench`).
    pub title_keywords: Vec<String>,
    /// Phrases that hold a keyword without meaning this topic (`image
    /// manipulation` for robotics' `manipulation`): a keyword found inside
    /// one of them does not count.
    pub exclude: Vec<String>,
    /// When set, the topic tags only papers that also say one of these
    /// phrases somewhere (reinforcement learning *for language models*:
    /// `requires = ["language model", "llm"]`).
    pub requires: Vec<String>,
    /// When set, the topic does not tag papers that say one of these in
    /// the title, the AI keywords or the first sentence (benchmarks of
    /// language models, `unless = ["multimodal", "video"]`).
    pub unless: Vec<String>,
    /// Overrides `[taxonomy] min_score` for this topic (a broad topic may
    /// ask for a title match).
    pub min_score: Option<u32>,
    /// The topic says what kind of paper it is (a survey, a benchmark, a
    /// dataset), not what it is about: it neither pushes out a paper's
    /// subject topics nor is pushed out by them, but beside a subject it
    /// needs the title or the first sentence to name it (a method trained
    /// "on a new dataset" is no dataset paper). Default: false.
    pub facet: bool,
    /// The topic is a method that papers often use without being about it
    /// (fine-tuning, distillation, guidance): beside a subject that is no
    /// method it needs `[taxonomy] method_share` of that subject's score,
    /// unless the title names it: then it needs as much as a subject of
    /// another top topic, and nothing beside one of its own (code
    /// instruction tuning). Default: false.
    pub method: bool,
}

impl TopicRule {
    /// The URL slug: `slug` if set, else derived from the name (see
    /// [`topic_slug`]).
    pub fn slug(&self) -> String {
        if self.slug.is_empty() { topic_slug(&self.name) } else { self.slug.clone() }
    }

    /// Whether `name` (a name or a slug) refers to this rule.
    pub fn is_named(&self, name: &str) -> bool {
        let name = name.trim();
        self.name.trim().eq_ignore_ascii_case(name) || self.slug() == name || self.slug() == topic_slug(name)
    }
}

/// Slugs a topic cannot have, because the topic pages' URL layout uses
/// them: `topics/index.html` is the overview. Slugs made only of digits
/// are kept for numbered listing pages too.
pub fn is_reserved_topic_slug(slug: &str) -> bool {
    slug == "index" || (!slug.is_empty() && slug.bytes().all(|b| b.is_ascii_digit()))
}

/// The slug of a topic named `name`: lowercase ASCII words joined by `-`,
/// never empty and never a reserved name (`Index` gets `index-topic`).
pub fn topic_slug(name: &str) -> String {
    let slug = slug::slugify(name);
    if slug.is_empty() {
        "topic".to_string()
    } else if is_reserved_topic_slug(&slug) {
        format!("{slug}-topic")
    } else {
        slug
    }
}

/// `[fetch]`: the sources `paperpress fetch` follows and the APIs it asks.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct FetchConfig {
    /// The Hugging Face API (`{hf_api}/daily_papers`).
    /// Default: `"https://huggingface.co/api"`.
    pub hf_api: String,
    /// The arXiv API (`{arxiv_api}/query`). Default: `"https://export.arxiv.org/api"`.
    pub arxiv_api: String,
    /// How many of the newest Daily Papers days already saved a fetch of
    /// new days asks for again, so that their upvotes (which keep coming
    /// for a day or two after a list is complete) and late papers catch
    /// up; 0 fetches only days not saved yet. Default: 3.
    pub refresh_days: u32,
    /// `[[fetch.sources]]`: what a bare `paperpress fetch` downloads.
    /// Default: none (`init` writes one Daily Papers source).
    pub sources: Vec<FetchSource>,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            hf_api: "https://huggingface.co/api".into(),
            arxiv_api: "https://export.arxiv.org/api".into(),
            refresh_days: 3,
            sources: Vec::new(),
        }
    }
}

/// One `[[fetch.sources]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FetchSource {
    /// `"hf"` (Hugging Face Daily Papers) or `"arxiv"` (an arXiv search).
    pub kind: SourceKind,
    /// The arXiv search (`cat:cs.CL AND abs:unlearning`); arXiv sources only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub query: String,
    /// Most new papers one fetch of an arXiv search saves. Default: 100.
    #[serde(default)]
    pub max: Option<usize>,
}

/// What a fetch source is.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// Hugging Face Daily Papers, one file per day.
    Hf,
    /// An arXiv API search, newest first.
    Arxiv,
}

/// The most papers one fetch of an arXiv search may ask for.
pub const ARXIV_MAX: usize = 10_000;

/// A problem in `site.toml`, located by line and column.
#[derive(Debug, thiserror::Error)]
#[error("`{path}` line {line}, column {column}: {message}")]
pub struct ConfigError {
    /// The configuration file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl Config {
    /// Parses and validates `site.toml` text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            config_error(text, path, offset, &crate::error::plain_words(e.message().trim()))
        })?;
        config.validate(text, path)?;
        Ok(config)
    }

    /// Reads and parses `path`.
    pub fn from_file(path: &Path) -> Result<Config> {
        let text = crate::error::read_text(path)?;
        Config::parse(&text, path)
    }

    fn validate(&self, text: &str, path: &Path) -> Result<()> {
        let at_key = |key: &str, message: String| {
            let offset = find_key(text, key).unwrap_or(0);
            config_error(text, path, offset, &message)
        };
        if !self.base_url.is_empty()
            && let Err(problem) = check_base_url(&self.base_url)
        {
            return Err(at_key("base_url", format!("`base_url` {problem}")).into());
        }
        if self.theme.is_empty() || !self.theme.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(at_key(
                "theme",
                format!("`theme` must be a folder name under `themes/`, not `{}`", self.theme),
            )
            .into());
        }
        if self.build.paginate_by == 0 {
            return Err(at_key("paginate_by", "`paginate_by` must be at least 1".into()).into());
        }
        self.validate_topics(&at_key)?;
        self.fetch.validate(text, path)
    }

    /// Every rule has a name, a usable and unique slug, keywords or
    /// children, and a parent that exists without a cycle.
    fn validate_topics(&self, at_key: &dyn Fn(&str, String) -> ConfigError) -> Result<()> {
        let mut slugs = std::collections::BTreeSet::new();
        let name_line = |rule: &TopicRule| format!("name = \"{}\"", rule.name);
        for rule in &self.topics {
            if rule.name.trim().is_empty() {
                return Err(at_key("[[topics]]", "every `[[topics]]` needs a `name`".into()).into());
            }
            let slug = rule.slug();
            if slug.is_empty() || !slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                return Err(at_key(
                    &name_line(rule),
                    format!("topic slug `{slug}` must be lowercase letters, digits and `-`"),
                )
                .into());
            }
            if is_reserved_topic_slug(&slug) {
                return Err(at_key(
                    &name_line(rule),
                    format!(
                        "topic slug `{slug}` is taken by the topic pages (`topics/index.html` and numbered pages): give the topic another `slug`"
                    ),
                )
                .into());
            }
            if !slugs.insert(slug.clone()) {
                return Err(at_key(
                    &name_line(rule),
                    format!("two topics have the slug `{slug}`: give one a different `slug`"),
                )
                .into());
            }
        }
        for (i, rule) in self.topics.iter().enumerate() {
            let has_children = self.topics.iter().any(|r| !r.parent.trim().is_empty() && rule.is_named(&r.parent));
            let no_keywords = rule.keywords.iter().chain(&rule.title_keywords).all(|k| k.trim().is_empty());
            if !has_children && no_keywords {
                return Err(
                    at_key(&name_line(rule), format!("topic `{}` needs at least one keyword", rule.name)).into()
                );
            }
            self.check_ancestry(i, at_key)?;
        }
        Ok(())
    }

    /// The parent of rule `i` exists, and following parents never comes
    /// back to `i`.
    fn check_ancestry(&self, i: usize, at_key: &dyn Fn(&str, String) -> ConfigError) -> Result<()> {
        let rule = &self.topics[i];
        let mut seen = vec![i];
        let mut current = rule;
        while !current.parent.trim().is_empty() {
            let at = format!("name = \"{}\"", current.name);
            let Some(parent) = self.topics.iter().position(|r| r.is_named(&current.parent)) else {
                return Err(at_key(
                    &at,
                    format!(
                        "topic `{}` has parent `{}`, which is no `[[topics]]` name or slug",
                        current.name, current.parent
                    ),
                )
                .into());
            };
            if seen.contains(&parent) {
                return Err(at_key(
                    &format!("name = \"{}\"", rule.name),
                    format!("topic `{}` is its own ancestor: its `parent` chain comes back to it", rule.name),
                )
                .into());
            }
            seen.push(parent);
            current = &self.topics[parent];
        }
        Ok(())
    }

    /// The rule index of each rule's parent.
    pub fn topic_parents(&self) -> Vec<Option<usize>> {
        self.topics
            .iter()
            .map(|rule| {
                let parent = rule.parent.trim();
                if parent.is_empty() { None } else { self.topics.iter().position(|r| r.is_named(parent)) }
            })
            .collect()
    }

    /// The base URL with exactly one trailing slash, or `None` when unset.
    pub fn base_url(&self) -> Option<String> {
        (!self.base_url.is_empty()).then(|| format!("{}/", self.base_url.trim_end_matches('/')))
    }
}

impl FetchConfig {
    fn validate(&self, text: &str, path: &Path) -> Result<()> {
        let at_key = |key: &str, message: String| config_error(text, path, find_key(text, key).unwrap_or(0), &message);
        for (key, url) in [("hf_api", &self.hf_api), ("arxiv_api", &self.arxiv_api)] {
            if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace) {
                return Err(at_key(
                    key,
                    format!("`{key}` must be an http(s) URL, like `https://huggingface.co/api`, not `{url}`"),
                )
                .into());
            }
        }
        for source in &self.sources {
            let query_line = format!("query = {}", toml::Value::String(source.query.clone()));
            match source.kind {
                SourceKind::Hf if !source.query.is_empty() || source.max.is_some() => {
                    let key = if source.query.is_empty() { "max" } else { "query" };
                    return Err(at_key(
                        "kind = \"hf\"",
                        format!("a `kind = \"hf\"` source fetches whole days: it takes no `{key}` (that is for `kind = \"arxiv\"`)"),
                    )
                    .into());
                }
                SourceKind::Arxiv if source.query.trim().is_empty() => {
                    return Err(at_key(
                        "kind = \"arxiv\"",
                        "a `kind = \"arxiv\"` source needs a `query`, like `query = \"cat:cs.CL AND abs:unlearning\"`"
                            .into(),
                    )
                    .into());
                }
                SourceKind::Arxiv if source.max.is_some_and(|m| m == 0 || m > ARXIV_MAX) => {
                    return Err(at_key(&query_line, format!("`max` must be between 1 and {ARXIV_MAX}")).into());
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Checks a base URL (`base_url`, `--base-url`): an absolute `http(s)://`
/// address with a host. The error says what is wrong and shows the fix,
/// and reads after the option's name (`base_url must be ...`).
pub fn check_base_url(url: &str) -> std::result::Result<(), String> {
    let example = "like `https://user.github.io/repo/`";
    let fix = |better: String| format!("must be an absolute http(s) URL, {example}, not `{url}`: write `{better}`");
    let trimmed = url.trim();
    if trimmed.is_empty() {
        return Err(format!("must be an absolute http(s) URL, {example}; it is empty"));
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return match url::Url::parse(trimmed) {
            Ok(parsed) if parsed.host_str().is_some_and(|h| !h.is_empty()) && trimmed == url => Ok(()),
            Ok(_) if trimmed != url => Err(fix(trimmed.to_string())),
            _ => Err(format!("must be an absolute http(s) URL with a host name, {example}, not `{url}`")),
        };
    }
    if trimmed.starts_with('/') {
        let path = format!("{}/", trimmed.trim_end_matches('/'));
        return Err(fix(format!("https://USER.github.io{path}")));
    }
    if let Some((scheme, _)) = trimmed.split_once("://") {
        return Err(format!("must start with `https://` or `http://`, {example}, not `{scheme}://`"));
    }
    let host = trimmed.split('/').next().unwrap_or_default();
    if host.contains('.') && !host.contains(char::is_whitespace) {
        let with_slash =
            if trimmed.contains('/') { format!("{}/", trimmed.trim_end_matches('/')) } else { format!("{trimmed}/") };
        return Err(fix(format!("https://{with_slash}")));
    }
    Err(format!("must be an absolute http(s) URL, {example}, not `{url}`"))
}

fn config_error(text: &str, path: &Path, offset: usize, message: &str) -> ConfigError {
    let line = line_of(text, offset);
    let line_start = text[..offset.min(text.len())].rfind('\n').map_or(0, |p| p + 1);
    ConfigError {
        path: path.display().to_string(),
        line,
        column: text[line_start..offset.min(text.len())].chars().count() + 1,
        message: message.to_string(),
    }
}

/// Byte offset of the first line that starts with `key`, for pointing
/// validation errors at the right line.
fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with(key) {
            return Some(offset + (line.len() - line.trim_start().len()));
        }
        offset += line.len();
    }
    None
}

/// A site on disk: its configuration and resolved folders.
#[derive(Debug, Clone)]
pub struct Site {
    /// The parsed configuration.
    pub config: Config,
    /// The site root (the folder holding `site.toml`).
    pub root: PathBuf,
    /// `content/`.
    pub content_dir: PathBuf,
    /// Where the build writes.
    pub output_dir: PathBuf,
    /// `themes/<theme>/`; may not exist for the built-in default theme.
    pub theme_dir: PathBuf,
    /// `templates/`: per-site overrides of theme templates.
    pub templates_dir: PathBuf,
    /// `static/`: files copied as they are into the output.
    pub static_dir: PathBuf,
}

impl Site {
    /// Loads `site.toml` from `root`; a missing file is an error that says
    /// how to start a site.
    pub fn load(root: &Path) -> Result<Site> {
        let mut site = Site::load_without_lock(root)?;
        site.config.locked = TopicLock::from_file(&under(root, LOCK_FILE))?;
        Ok(site)
    }

    /// Loads `site.toml` from `root` without `topics.lock`, for commands
    /// that do not make topics (`fetch`, `import`): a damaged lock does not
    /// stop the daily fetch.
    pub fn load_without_lock(root: &Path) -> Result<Site> {
        let config_path = under(root, CONFIG_FILE);
        if !config_path.is_file() {
            bail!(
                "no `{CONFIG_FILE}` in `{}`: run `paperpress init` to start a site, or pass `--root DIR`",
                root.display()
            );
        }
        Ok(Site::new(root, Config::from_file(&config_path)?))
    }

    /// Finds the site `dir` belongs to, as Zola does: the first of `dir` and
    /// the folders above it that holds a `site.toml`, named relative to
    /// `dir` (`..`), so that messages show short paths.
    pub fn find(dir: &Path) -> Result<Site> {
        Site::load(&Site::find_root(dir)?)
    }

    /// [`Site::find`] without `topics.lock` (see [`Site::load_without_lock`]).
    pub fn find_without_lock(dir: &Path) -> Result<Site> {
        Site::load_without_lock(&Site::find_root(dir)?)
    }

    /// The root of the site `dir` belongs to (see [`Site::find`]).
    fn find_root(dir: &Path) -> Result<PathBuf> {
        let absolute =
            std::path::absolute(dir).map_err(|e| crate::error::anyhow!("cannot resolve `{}`: {e}", dir.display()))?;
        let mut root = dir.to_path_buf();
        for folder in absolute.ancestors() {
            if folder.join(CONFIG_FILE).is_file() {
                return Ok(root);
            }
            root = if root == Path::new(".") { PathBuf::from("..") } else { root.join("..") };
        }
        bail!(
            "no `{CONFIG_FILE}` in `{}` or any folder above it: run `paperpress init` to start a site, or pass `--root DIR`",
            dir.display()
        );
    }

    /// A site at `root` with an already parsed configuration.
    pub fn new(root: &Path, config: Config) -> Site {
        Site {
            content_dir: under(root, "content"),
            output_dir: under(root, &config.build.output_dir),
            theme_dir: under(root, "themes").join(&config.theme),
            templates_dir: under(root, "templates"),
            static_dir: under(root, "static"),
            root: root.to_path_buf(),
            config,
        }
    }
}

impl Site {
    /// `relative` inside the site (`themes/default`), named as messages show it.
    pub fn join(&self, relative: impl AsRef<Path>) -> PathBuf {
        under(&self.root, relative)
    }
}

/// `path` inside `root`; inside `.` it is `path` itself, so that messages
/// say `content/about.md`, not `./content/about.md`.
fn under(root: &Path, path: impl AsRef<Path>) -> PathBuf {
    if root == Path::new(".") { path.as_ref().to_path_buf() } else { root.join(path) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("site.toml"))
    }

    #[test]
    fn empty_file_gives_defaults() {
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn unknown_key_names_key_file_and_line() {
        let err = parse("title = \"x\"\n\n[build]\npaginate = 3\n").unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.starts_with("`site.toml` line 4, column 1: unknown field `paginate`"), "{msg}");
        assert!(msg.contains("paginate_by"), "the message lists the valid keys: {msg}");
    }

    #[test]
    fn wrong_type_names_line() {
        let err = parse("title = 3\n").unwrap_err();
        let msg = format!("{err:#}");
        assert!(
            msg.starts_with("`site.toml` line 1, column 9: found the whole number `3`, expected text in quotes"),
            "{msg}"
        );
    }

    #[test]
    fn relative_base_url_is_rejected_at_its_line() {
        let err = parse("title = \"x\"\nbase_url = \"example.com\"\n").unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.starts_with("`site.toml` line 2, column 1: `base_url` must be an absolute"), "{msg}");
    }

    #[test]
    fn base_urls_are_checked_and_the_fix_shown() {
        assert_eq!(check_base_url("https://user.github.io/x/"), Ok(()));
        assert_eq!(check_base_url("http://localhost:1111/"), Ok(()));
        assert_eq!(
            check_base_url("user.github.io/x"),
            Err("must be an absolute http(s) URL, like `https://user.github.io/repo/`, not `user.github.io/x`: write `https://user.github.io/x/`".into())
        );
        assert_eq!(
            check_base_url("/x/"),
            Err("must be an absolute http(s) URL, like `https://user.github.io/repo/`, not `/x/`: write `https://USER.github.io/x/`".into())
        );
        assert!(check_base_url("ftp://x.org/").unwrap_err().contains("must start with `https://` or `http://`"));
        assert!(check_base_url("https://").unwrap_err().contains("with a host name"));
        assert!(check_base_url("").unwrap_err().contains("it is empty"));
        assert!(check_base_url("hello").is_err());
        let msg = format!("{:#}", parse("base_url = \"/x/\"\n").unwrap_err());
        assert!(msg.starts_with("`site.toml` line 1, column 1: `base_url` must be an absolute"), "{msg}");
        assert!(msg.ends_with("write `https://USER.github.io/x/`"), "{msg}");
    }

    #[test]
    fn the_site_is_found_in_a_folder_above() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "title = \"Found\"\n").unwrap();
        let deep = dir.path().join("content/papers");
        std::fs::create_dir_all(&deep).unwrap();
        let site = Site::find(&deep).unwrap();
        assert_eq!(site.config.title, "Found");
        assert_eq!(site.root, deep.join("..").join(".."));
        assert_eq!(site.content_dir.canonicalize().unwrap(), dir.path().join("content").canonicalize().unwrap());
        let lost = tempfile::tempdir().unwrap();
        let err = format!("{:#}", Site::find(lost.path()).unwrap_err());
        assert!(err.contains("or any folder above it: run `paperpress init`"), "{err}");
    }

    #[test]
    fn a_damaged_topics_lock_stops_what_makes_topics_but_not_fetch_or_import() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "title = \"Locked\"\n").unwrap();
        std::fs::write(dir.path().join(LOCK_FILE), "<<<<<<< HEAD\n[[topic]]\n").unwrap();
        let err = format!("{:#}", Site::find(dir.path()).unwrap_err());
        assert!(err.contains(LOCK_FILE), "{err}");
        let site = Site::find_without_lock(dir.path()).unwrap();
        assert_eq!(site.config.title, "Locked");
        assert!(site.config.locked.topics.is_empty());
    }

    #[test]
    fn theme_cannot_climb_out_of_themes() {
        assert!(parse("theme = \"../../etc\"\n").is_err());
    }

    #[test]
    fn topic_rules_are_checked() {
        let ok = parse("[[topics]]\nname = \"Machine unlearning\"\nkeywords = [\"unlearning\"]\n").unwrap();
        assert_eq!(ok.topics[0].slug(), "machine-unlearning");
        let dup = "[[topics]]\nname = \"A\"\nkeywords = [\"a\"]\n[[topics]]\nname = \"B\"\nslug = \"a\"\nkeywords = [\"b\"]\n";
        let msg = format!("{:#}", parse(dup).unwrap_err());
        assert!(msg.starts_with("`site.toml` line 5, column 1: two topics have the slug `a`"), "{msg}");
        let bad =
            format!("{:#}", parse("[[topics]]\nname = \"X\"\nslug = \"../x\"\nkeywords = [\"x\"]\n").unwrap_err());
        assert!(bad.contains("topic slug `../x` must be lowercase letters"), "{bad}");
        let empty = format!("{:#}", parse("[[topics]]\nname = \"X\"\n").unwrap_err());
        assert!(empty.contains("topic `X` needs at least one keyword"), "{empty}");
    }

    #[test]
    fn fetch_sources_are_checked_at_their_line() {
        let ok = parse("[fetch]\nhf_api = \"http://127.0.0.1:9/api\"\n[[fetch.sources]]\nkind = \"hf\"\n[[fetch.sources]]\nkind = \"arxiv\"\nquery = \"cat:cs.CL\"\nmax = 20\n").unwrap();
        assert_eq!(ok.fetch.sources.len(), 2);
        assert_eq!(ok.fetch.arxiv_api, "https://export.arxiv.org/api");
        let msg = |text: &str| format!("{:#}", parse(text).unwrap_err());
        let unknown = msg("[[fetch.sources]]\nkind = \"rss\"\n");
        assert!(
            unknown.starts_with("`site.toml` line 2, column 8: unknown variant `rss`, expected `hf` or `arxiv`"),
            "{unknown}"
        );
        let no_query = msg("[[fetch.sources]]\nkind = \"arxiv\"\n");
        assert!(
            no_query.starts_with("`site.toml` line 2, column 1: a `kind = \"arxiv\"` source needs a `query`"),
            "{no_query}"
        );
        let hf_query = msg("[[fetch.sources]]\nkind = \"hf\"\nquery = \"x\"\n");
        assert!(hf_query.contains("takes no `query`"), "{hf_query}");
        let max = msg("[[fetch.sources]]\nkind = \"arxiv\"\nquery = \"x\"\nmax = 0\n");
        assert!(max.starts_with("`site.toml` line 3, column 1: `max` must be between 1 and 10000"), "{max}");
        let url = msg("[fetch]\nhf_api = \"huggingface.co/api\"\n");
        assert!(url.starts_with("`site.toml` line 2, column 1: `hf_api` must be an http(s) URL"), "{url}");
    }

    #[test]
    fn base_url_gets_one_trailing_slash() {
        let config = parse("base_url = \"https://u.github.io/repo\"").unwrap();
        assert_eq!(config.base_url().as_deref(), Some("https://u.github.io/repo/"));
        assert_eq!(parse("").unwrap().base_url(), None);
    }
}
