//! The [`Paper`] record and its Markdown page: TOML front matter between
//! `+++` lines, the abstract as the body. Pure: no file access here.
//!
//! Whether the owner edited a page is decided by `import`, against
//! the copy it keeps of what it wrote, outside the page. Pages written by
//! older versions carry an `import_hash` in their front matter instead;
//! [`is_unedited_legacy_page`] recognises those.

use std::path::Path;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ImportError;
use crate::front_matter;
use crate::links;

/// One paper, wherever it came from. (It serializes for the parse cache
/// only; templates get view structs.)
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Paper {
    /// arXiv id when known (`2510.19779`), else a slug of the title.
    pub id: String,
    /// Title; TeX formulas stay between `$`.
    pub title: String,
    /// Every digest day the paper was listed on, with its position that
    /// day; sorted by date, never empty once loaded.
    pub days: Vec<Listing>,
    /// Author names, in order.
    pub authors: Vec<String>,
    /// Explicit topics (names or slugs); they override topic rules.
    pub topics: Vec<String>,
    /// arXiv abstract page.
    pub arxiv: Option<String>,
    /// PDF link.
    pub pdf: Option<String>,
    /// Code repositories.
    pub code: Vec<String>,
    /// Project page.
    pub project: Option<String>,
    /// Upvotes on the Daily Papers page.
    pub upvotes: Option<u64>,
    /// Stars of the code repository, when the source reports them.
    pub github_stars: Option<u64>,
    /// Key phrases from the Daily Papers API (`ai_keywords`); topic evidence.
    pub ai_keywords: Vec<String>,
    /// One-sentence summary from the Daily Papers API (`ai_summary`).
    pub ai_summary: Option<String>,
    /// arXiv categories (`cs.CL`, `math.CO`), primary first.
    pub categories: Vec<String>,
    /// The primary arXiv category.
    pub primary_category: Option<String>,
    /// DOI of the published version.
    pub doi: Option<String>,
    /// Journal reference of the published version.
    pub journal_ref: Option<String>,
    /// The authors' comment on arXiv (`26 pages, 10 figures`).
    pub comment: Option<String>,
    /// When the paper was first published (on arXiv), if known.
    pub published: Option<Date>,
    /// File name of the input it came from.
    pub source: Option<String>,
    /// The abstract (or any text the owner wrote) as Markdown.
    pub body: String,
    /// Front matter keys paperpress does not know, kept for templates.
    #[serde(with = "toml_text")]
    pub extra: toml::Table,
}

/// A TOML table kept as its TOML text, for formats (the parse cache's
/// bincode) that cannot hold a self-describing value.
mod toml_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

    pub fn serialize<S: Serializer>(table: &toml::Table, serializer: S) -> Result<S::Ok, S::Error> {
        toml::to_string(table).map_err(serde::ser::Error::custom)?.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<toml::Table, D::Error> {
        toml::from_str(&String::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}

/// One day a paper was listed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Listing {
    /// The digest day.
    pub date: Date,
    /// Position in that day's digest (1 = first), to keep the day's order.
    pub rank: Option<u32>,
}

impl Listing {
    /// A listing on `date` at `rank`.
    pub fn new(date: Date, rank: Option<u32>) -> Self {
        Listing { date, rank }
    }
}

/// The front matter of a paper page, as written in TOML.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    title: String,
    date: TomlDate,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    days: Vec<TomlDate>,
    /// Positions on each of `days` (0 when unknown); written with `days`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    ranks: Vec<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    topics: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    arxiv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pdf: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    code: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    upvotes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rank: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    github_stars: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    ai_keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ai_summary: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    categories: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    primary_category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    doi: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    journal_ref: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    published: Option<TomlDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    extra: toml::Table,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    import_hash: Option<String>,
}

/// A date written either as a TOML date (`2025-08-06`) or a string.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum TomlDate {
    Toml(toml::value::Datetime),
    Text(String),
}

impl Default for TomlDate {
    fn default() -> Self {
        TomlDate::Text(String::new())
    }
}

impl TomlDate {
    fn from_date(date: Date) -> Self {
        // Only dates of years 1000 to 9999 are TOML dates; any other is
        // written as text, which `to_date` then refuses.
        if checked_date(date).is_none() {
            return TomlDate::Text(date.to_string());
        }
        TomlDate::Toml(toml::value::Datetime {
            date: Some(toml::value::Date {
                year: date.year() as u16,
                month: date.month() as u8,
                day: date.day() as u8,
            }),
            time: None,
            offset: None,
        })
    }

    fn to_date(&self) -> Option<Date> {
        let date = match self {
            TomlDate::Toml(dt) => {
                let d = dt.date?;
                Date::new(i16::try_from(d.year).ok()?, d.month as i8, d.day as i8).ok()?
            }
            TomlDate::Text(s) => s.parse().ok()?,
        };
        checked_date(date)
    }
}

/// The years a paper's dates may fall in: four-digit years, which every
/// date format paperpress reads and writes (TOML, RFC 3339, file names)
/// can hold.
pub const YEARS: std::ops::RangeInclusive<i16> = 1000..=9999;

/// `date` if its year is in [`YEARS`], else `None`.
pub fn checked_date(date: Date) -> Option<Date> {
    YEARS.contains(&date.year()).then_some(date)
}

/// How many authors a listing names before "et al.".
pub const LISTED_AUTHORS: usize = 3;

/// The authors as a listing shows them: all of them when there are at most
/// one more than [`LISTED_AUTHORS`] (an "et al." would hide only one),
/// else the first [`LISTED_AUTHORS`] and "et al.". The paper's page names
/// them all.
pub fn listed_authors(authors: &[String]) -> String {
    if authors.len() > LISTED_AUTHORS + 1 {
        format!("{} et al.", authors[..LISTED_AUTHORS].join(", "))
    } else {
        authors.join(", ")
    }
}

impl Paper {
    /// The first day the paper was listed on.
    pub fn date(&self) -> Date {
        self.days.first().expect("a loaded paper has at least one day").date
    }

    /// The dates the paper was listed on, oldest first.
    pub fn dates(&self) -> impl Iterator<Item = Date> + '_ {
        self.days.iter().map(|l| l.date)
    }

    /// Its position on `date`'s digest, when known.
    pub fn rank_on(&self, date: Date) -> Option<u32> {
        self.days.iter().find(|l| l.date == date).and_then(|l| l.rank)
    }

    /// Adds the days of `other` (the same paper in another input); for a
    /// day both list, a known position wins over an unknown one.
    pub fn add_days(&mut self, other: &[Listing]) {
        add_listings(&mut self.days, other);
    }

    /// The output file stem: the id, with the `/` of old-style arXiv ids
    /// (`cond-mat/0412498`) replaced so the page stays one flat file.
    pub fn file_stem(&self) -> String {
        self.id.replace('/', "_")
    }

    /// Fills fields this record lacks from `other`, the same paper met in
    /// another input: the richer value wins field by field, days are united.
    pub fn merge(&mut self, other: Paper) {
        if self.title.is_empty() {
            self.title = other.title;
        }
        self.add_days(&other.days);
        if other.authors.len() > self.authors.len() {
            self.authors = other.authors;
        }
        unite(&mut self.topics, other.topics);
        self.arxiv = self.arxiv.take().or(other.arxiv);
        self.pdf = self.pdf.take().or(other.pdf);
        unite(&mut self.code, other.code);
        self.project = self.project.take().or(other.project);
        self.upvotes = self.upvotes.max(other.upvotes);
        self.github_stars = self.github_stars.max(other.github_stars);
        unite(&mut self.ai_keywords, other.ai_keywords);
        self.ai_summary = self.ai_summary.take().or(other.ai_summary);
        unite(&mut self.categories, other.categories);
        self.primary_category = self.primary_category.take().or(other.primary_category);
        self.doi = self.doi.take().or(other.doi);
        self.journal_ref = self.journal_ref.take().or(other.journal_ref);
        self.comment = self.comment.take().or(other.comment);
        self.published = self.published.or(other.published);
        self.source = self.source.take().or(other.source);
        if other.body.trim().len() > self.body.trim().len() {
            self.body = other.body;
        }
        for (key, value) in other.extra {
            self.extra.entry(key).or_insert(value);
        }
    }

    /// The page text: front matter, blank line, body.
    pub fn to_page(&self) -> String {
        render_page(&self.front_matter(), &self.body)
    }

    /// The page as earlier versions of import wrote it, with an
    /// `import_hash` of the page without it.
    fn to_legacy_page(&self) -> String {
        let mut fm = self.front_matter();
        fm.import_hash = Some(hash(&render_page(&fm, &self.body)));
        render_page(&fm, &self.body)
    }

    fn front_matter(&self) -> FrontMatter {
        FrontMatter {
            id: Some(self.id.clone()),
            title: self.title.clone(),
            date: TomlDate::from_date(self.date()),
            days: if self.days.len() > 1 { self.dates().map(TomlDate::from_date).collect() } else { Vec::new() },
            ranks: if self.days.len() > 1 && self.days.iter().any(|l| l.rank.is_some()) {
                self.days.iter().map(|l| l.rank.unwrap_or(0)).collect()
            } else {
                Vec::new()
            },
            authors: self.authors.clone(),
            topics: self.topics.clone(),
            arxiv: self.arxiv.clone(),
            pdf: self.pdf.clone(),
            code: self.code.clone(),
            project: self.project.clone(),
            upvotes: self.upvotes,
            rank: if self.days.len() == 1 { self.days[0].rank } else { None },
            github_stars: self.github_stars,
            ai_keywords: self.ai_keywords.clone(),
            ai_summary: self.ai_summary.clone(),
            categories: self.categories.clone(),
            primary_category: self.primary_category.clone(),
            doi: self.doi.clone(),
            journal_ref: self.journal_ref.clone(),
            comment: self.comment.clone(),
            published: self.published.map(TomlDate::from_date),
            source: self.source.clone(),
            extra: self.extra.clone(),
            import_hash: None,
        }
    }

    /// Parses a paper page. The id comes from the front matter, else from
    /// `path`'s file stem; either way it must be safe as a file name.
    pub fn from_page(text: &str, path: &Path) -> Result<Paper, ImportError> {
        let split = front_matter::split(text, path)?;
        if split.front_matter.is_none() {
            return Err(ImportError::at(
                path,
                1,
                "a paper page starts with front matter between `+++` lines, with at least `title` and `date`",
            ));
        }
        let fm: FrontMatter = front_matter::parse(&split, path)?;
        let line_of_key = |key: &str| text.lines().position(|l| l.trim_start().starts_with(key)).map_or(1, |i| i + 1);
        let date = fm.date.to_date().ok_or_else(|| {
            ImportError::at(
                path,
                line_of_key("date"),
                "`date` must be a date like 2025-08-06, in the years 1000 to 9999",
            )
        })?;
        let days = listings(date, fm.rank, &fm.days, &fm.ranks).ok_or_else(|| {
            ImportError::at(
                path,
                line_of_key("days"),
                "`days` must be a list of dates like [2025-08-06, 2025-08-07] (years 1000 to 9999), and `ranks` as long as `days`",
            )
        })?;
        let id = match fm.id {
            Some(id) => id,
            None => path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
        };
        let id = validate_id(&id).ok_or_else(|| {
            ImportError::at(
                path,
                line_of_key("id"),
                format!("`{id}` cannot be a paper id: use an arXiv id or letters, digits, `-`, `_` and `.`"),
            )
        })?;
        let published = match &fm.published {
            Some(d) => Some(d.to_date().ok_or_else(|| {
                ImportError::at(
                    path,
                    line_of_key("published"),
                    "`published` must be a date like 2025-08-06, in the years 1000 to 9999",
                )
            })?),
            None => None,
        };
        if fm.title.trim().is_empty() {
            return Err(ImportError::at(path, line_of_key("title"), "`title` must not be empty"));
        }
        Ok(Paper {
            id,
            title: fm.title,
            days,
            authors: fm.authors,
            topics: fm.topics,
            arxiv: fm.arxiv,
            pdf: fm.pdf,
            code: fm.code,
            project: fm.project,
            upvotes: fm.upvotes,
            github_stars: fm.github_stars,
            ai_keywords: fm.ai_keywords,
            ai_summary: fm.ai_summary,
            categories: fm.categories,
            primary_category: fm.primary_category,
            doi: fm.doi,
            journal_ref: fm.journal_ref,
            comment: fm.comment,
            published,
            source: fm.source,
            body: split.body.trim_end().to_string(),
            extra: fm.extra,
        })
    }
}

/// The listings a front matter describes: `date` with `rank`, plus `days`
/// with `ranks` (0 = unknown). `None` when a date is invalid or the lists
/// differ in length.
fn listings(date: Date, rank: Option<u32>, days: &[TomlDate], ranks: &[u32]) -> Option<Vec<Listing>> {
    if !ranks.is_empty() && ranks.len() != days.len() {
        return None;
    }
    let mut out = vec![Listing::new(date, rank)];
    for (i, day) in days.iter().enumerate() {
        let rank = ranks.get(i).copied().filter(|&r| r > 0);
        add_listings(&mut out, &[Listing::new(day.to_date()?, rank)]);
    }
    Some(out)
}

/// Adds `other` to the sorted `days`: a binary search per listing, and an
/// append (no move) for a day later than all others, the usual case.
fn add_listings(days: &mut Vec<Listing>, other: &[Listing]) {
    for listing in other {
        match days.binary_search_by_key(&listing.date, |l| l.date) {
            Ok(at) => {
                let mine = &mut days[at];
                mine.rank = match (mine.rank, listing.rank) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
            }
            Err(at) => days.insert(at, *listing),
        }
    }
}

fn render_page(fm: &FrontMatter, body: &str) -> String {
    let toml = toml::to_string(fm).expect("front matter of strings, dates and numbers always serializes");
    let body = body.trim_end();
    if body.is_empty() { format!("+++\n{toml}+++\n") } else { format!("+++\n{toml}+++\n\n{body}\n") }
}

fn hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `text` is a page exactly as an older `paperpress import` wrote
/// it: its front matter has an `import_hash`, and the page is, byte for
/// byte, what writing its paper with that hash gives. Text inside a field
/// (a title holding `import_hash = "`) cannot make a page pass or fail.
pub fn is_unedited_legacy_page(text: &str, path: &Path) -> bool {
    Paper::from_page(text, path).is_ok_and(|paper| paper.to_legacy_page() == text)
}

/// A safe paper id or `None`: an arXiv id, or a slug-like name that cannot
/// climb out of a folder (letters, digits, `-`, `_`, `.`, not starting with
/// a dot, at most 120 characters).
pub fn validate_id(id: &str) -> Option<String> {
    if let Some(arxiv) = links::normalize_arxiv_id(id) {
        return Some(arxiv);
    }
    let ok = !id.is_empty()
        && id.len() <= 120
        && !id.starts_with('.')
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    ok.then(|| id.to_string())
}

/// What two records known only by their titles must share to be one
/// paper: the title with formulas as their TeX, compatibility-normalised
/// (NFKC: `ﬁ` is `fi`), in lower case, with runs of white space as one
/// space. Symbols count: `C++ Tricks` and `C# Tricks` are two papers.
pub fn title_key(title: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let text: String = crate::math::source_text(title).nfkc().flat_map(char::to_lowercase).collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The id of a paper known only by its title, when [`slug_id`] is already
/// the id of another paper (`C++ Tricks` and `C# Tricks` both slug to
/// `c-tricks`; long titles share their first 80 characters): the slug and
/// a hash of the [`title_key`], the same for the same title on every run.
pub fn distinct_slug_id(title: &str) -> String {
    format!("{}-{}", slug_id(title), &hash(&title_key(title))[..8])
}

/// Whether `id` is what paperpress derives from `title` ([`slug_id`] or
/// [`distinct_slug_id`]), rather than an id the page's owner chose.
pub fn is_slug_of(id: &str, title: &str) -> bool {
    id == slug_id(title) || id == distinct_slug_id(title)
}

/// The id of a paper known only by its title: a slug of at most 80
/// characters, cut at a word boundary.
pub fn slug_id(title: &str) -> String {
    let slug = slug::slugify(crate::math::source_text(title));
    let mut cut = slug.as_str();
    if cut.len() > 80 {
        cut = &cut[..80];
        if let Some(p) = cut.rfind('-') {
            cut = &cut[..p];
        }
    }
    if cut.is_empty() { format!("paper-{}", hash(title)) } else { cut.to_string() }
}

/// Appends the items of `b` that `a` lacks, in order; linear in both
/// (a set of what `a` holds, not a scan of `a` per item).
fn unite(a: &mut Vec<String>, b: Vec<String>) {
    if b.is_empty() {
        return;
    }
    let mut seen: std::collections::HashSet<String> = a.iter().cloned().collect();
    for x in b {
        if seen.insert(x.clone()) {
            a.push(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn sample() -> Paper {
        Paper {
            id: "2510.19779".into(),
            title: "AdaSPEC: Selective $\\alpha$ Distillation".into(),
            days: vec![Listing::new(date(2025, 10, 24), Some(3))],
            authors: vec!["Yuezhou Hu".into(), "Tuo Zhao".into()],
            code: vec!["https://github.com/yuezhouhu/adaspec".into()],
            upvotes: Some(12),
            source: Some("2025-10-24.json".into()),
            body: "Speculative decoding \\*fast\\*.".into(),
            ..Paper::default()
        }
    }

    #[test]
    fn page_round_trip_keeps_every_field() {
        let mut paper = sample();
        paper.days.push(Listing::new(date(2025, 10, 25), None));
        paper.extra.insert("note".into(), toml::Value::String("mine".into()));
        paper.github_stars = Some(7);
        paper.ai_keywords = vec!["speculative decoding".into()];
        paper.ai_summary = Some("A summary.".into());
        paper.categories = vec!["cs.CL".into(), "cs.LG".into()];
        paper.primary_category = Some("cs.CL".into());
        paper.doi = Some("10.1/x".into());
        paper.journal_ref = Some("J. Test 1 (2025)".into());
        paper.comment = Some("12 pages".into());
        paper.published = Some(date(2025, 10, 22));
        let page = paper.to_page();
        let back = Paper::from_page(&page, Path::new("x.md")).unwrap();
        assert_eq!(back, paper);
        assert!(page.contains("date = 2025-10-24\ndays = [2025-10-24, 2025-10-25]\nranks = [3, 0]\n"), "{page}");
        assert!(!page.contains("import_hash"), "{page}");
        let single = sample().to_page();
        assert!(
            single.contains("date = 2025-10-24\n") && single.contains("rank = 3\n") && !single.contains("days ="),
            "{single}"
        );
    }

    #[test]
    fn legacy_import_hash_detects_edits() {
        let path = Path::new("x.md");
        let page = sample().to_legacy_page();
        assert!(page.contains("import_hash = \""), "{page}");
        assert!(is_unedited_legacy_page(&page, path));
        assert!(!is_unedited_legacy_page(&page.replace("Speculative", "My note. Speculative"), path));
        assert!(!is_unedited_legacy_page(&sample().to_page(), path), "a page without a hash is the owner's");
    }

    #[test]
    fn regression_issue_12_a_title_cannot_forge_the_legacy_marker() {
        let path = Path::new("x.md");
        let mut paper = sample();
        paper.title = "Why import_hash = \"0000\" is not a marker".into();
        let page = paper.to_legacy_page();
        assert!(is_unedited_legacy_page(&page, path), "a fresh page with such a title is unedited");
        let forged = paper.to_page().replace("+++\n\n", &format!("import_hash = \"{}\"\n+++\n\n", "0".repeat(16)));
        assert!(!is_unedited_legacy_page(&forged, path), "a made-up hash does not pass");
    }

    #[test]
    fn ids_that_climb_out_are_rejected() {
        for bad in ["../etc/passwd", "a/b", ".hidden", "", "x y", "a\\b"] {
            assert_eq!(validate_id(bad), None, "{bad}");
        }
        assert_eq!(validate_id("cond-mat/0412498v1").as_deref(), Some("cond-mat/0412498"));
        assert_eq!(validate_id("my-paper.v2").as_deref(), Some("my-paper.v2"));
        let err = Paper::from_page("+++\nid = \"../../x\"\ntitle = \"t\"\ndate = 2025-01-01\n+++\n", Path::new("p.md"));
        assert!(err.unwrap_err().to_string().starts_with("`p.md` line 2: `../../x` cannot be a paper id"));
    }

    #[test]
    fn slugs_are_short_and_safe() {
        assert_eq!(
            slug_id("AstroM$^3$: A self-supervised multimodal model"),
            "astrom-3-a-self-supervised-multimodal-model"
        );
        let long = slug_id(&"word ".repeat(40));
        assert!(long.len() <= 80 && !long.ends_with('-'), "{long}");
        assert!(slug_id("???").starts_with("paper-"));
        assert_eq!(slug_id("<script>alert(1)</script> ../../x"), "script-alert-1-script-x");
    }

    #[test]
    fn merge_prefers_the_richer_record() {
        let mut text_copy = Paper {
            id: "2510.19779".into(),
            title: "AdaSPEC".into(),
            days: vec![Listing::new(date(2025, 10, 24), None), Listing::new(date(2025, 10, 25), Some(7))],
            body: "Short.".into(),
            ..Paper::default()
        };
        text_copy.merge(sample());
        assert_eq!(text_copy.title, "AdaSPEC", "the first title is kept");
        assert_eq!(text_copy.authors.len(), 2, "authors from the API beat none");
        assert_eq!(
            text_copy.days,
            [Listing::new(date(2025, 10, 24), Some(3)), Listing::new(date(2025, 10, 25), Some(7))]
        );
        assert_eq!(text_copy.upvotes, Some(12));
        assert!(text_copy.body.starts_with("Speculative"));
    }

    #[test]
    fn issue_12_dates_outside_four_digit_years_never_panic() {
        for text in ["\"-000001-01-01\"", "\"0999-01-01\"", "\"+010000-01-01\""] {
            let page = format!("+++\ntitle = \"t\"\ndate = {text}\n+++\n");
            let err = Paper::from_page(&page, Path::new("p.md")).unwrap_err();
            assert!(err.to_string().contains("in the years 1000 to 9999"), "{err}");
        }
        let mut paper = sample();
        paper.days = vec![Listing::new(date(-1, 1, 1), None)];
        let page = paper.to_page();
        assert!(Paper::from_page(&page, Path::new("p.md")).is_err(), "written as text, refused when read: {page}");
    }

    #[test]
    fn issue_12_titles_that_differ_in_symbols_are_different_papers() {
        assert_eq!(slug_id("C++ Tricks for Speed"), slug_id("C# Tricks for Speed"));
        assert_ne!(title_key("C++ Tricks for Speed"), title_key("C# Tricks for Speed"));
        assert_ne!(distinct_slug_id("C++ Tricks for Speed"), distinct_slug_id("C# Tricks for Speed"));
        assert_eq!(title_key("AdaSPEC:  Selective\n Distillation"), title_key("adaspec: selective distillation"));
        assert_eq!(title_key("Eﬃcient $\\alpha$"), title_key("Efficient \\alpha"), "NFKC, formulas as TeX");
        assert!(is_slug_of("c-tricks-for-speed", "C++ Tricks for Speed"));
        assert!(is_slug_of(&distinct_slug_id("C# Tricks for Speed"), "C# Tricks for Speed"));
        assert!(!is_slug_of("my-notes", "C# Tricks for Speed"));
        let id = distinct_slug_id(&"word ".repeat(40));
        assert_eq!(validate_id(&id).as_deref(), Some(id.as_str()));
    }

    #[test]
    fn merging_long_lists_takes_linear_time() {
        let keywords = |from: usize| (from..from + 50_000).map(|i| format!("k{i}")).collect::<Vec<_>>();
        let mut a = Paper { ai_keywords: keywords(0), code: keywords(0), ..sample() };
        let b = Paper { ai_keywords: keywords(25_000), code: keywords(25_000), ..sample() };
        a.merge(b);
        assert_eq!(a.ai_keywords.len(), 75_000);
        assert_eq!(a.code.len(), 75_000);
        assert_eq!(a.ai_keywords[74_999], "k74999");
        let mut days = Vec::new();
        let listings: Vec<Listing> =
            (0..20_000).map(|d| Listing::new(date(2000, 1, 1) + jiff::Span::new().days(d), None)).collect();
        for listing in listings.iter().rev() {
            add_listings(&mut days, std::slice::from_ref(listing));
        }
        assert_eq!(days, listings, "sorted, whatever the order they come in");
    }

    #[test]
    fn missing_date_is_a_clear_error() {
        let err = Paper::from_page("+++\ntitle = \"t\"\n+++\nx", Path::new("p.md")).unwrap_err();
        assert!(err.to_string().contains("missing field `date`"), "{err}");
        let err = Paper::from_page("+++\ntitle = \"t\"\ndate = \"soon\"\n+++\nx", Path::new("p.md")).unwrap_err();
        assert_eq!(err.to_string(), "`p.md` line 3: `date` must be a date like 2025-08-06, in the years 1000 to 9999");
    }
}
