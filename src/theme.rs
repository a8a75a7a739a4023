//! The theme: Tera templates and static files.
//!
//! Templates come from three layers, later layers winning by name: the
//! built-in default theme (embedded in the binary, so a site needs no theme
//! folder), `themes/<theme>/templates/`, and the site's own `templates/`.
//! Static files layer the same way: built-in, `themes/<theme>/static/`,
//! then the site's `static/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Site;
use crate::error::{Context, Result, anyhow, read, read_text};

/// A built-in file: its path inside the theme folder, and its contents.
type Embedded = (&'static str, &'static str);

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../themes/default/", $path)))),*]
    };
}

/// The default theme, compiled in from `themes/default/`.
const DEFAULT_TEMPLATES: &[Embedded] = embed![
    "templates/base.html",
    "templates/index.html",
    "templates/paper.html",
    "templates/day.html",
    "templates/days.html",
    "templates/topics.html",
    "templates/topic.html",
    "templates/page.html",
    "templates/404.html",
    "templates/search.html",
    "templates/saved.html",
    "templates/partials/paper_list.html",
    "templates/partials/day_head.html",
    "templates/atom.xml",
    "templates/sitemap.xml",
    "templates/sitemap_index.xml",
];

const DEFAULT_STATIC: &[Embedded] =
    embed!["static/style.css", "static/favicon.svg", "static/search.js", "static/list.js", "static/saved.js",];

/// Every file of the built-in theme: its path inside the theme folder
/// (`templates/base.html`, `static/style.css`) and its text.
pub fn built_in_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    DEFAULT_TEMPLATES.iter().chain(DEFAULT_STATIC).copied()
}

/// Where a template or static file came from, for error messages.
#[derive(Debug, Clone)]
enum Origin {
    BuiltIn,
    File(PathBuf),
}

/// Loaded templates and static files.
pub struct Theme {
    /// Compiled templates.
    pub tera: tera::Tera,
    /// Static files by output path.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// A hash of every template and static file: what every page reads.
    pub fingerprint: u64,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme").field("static_files", &self.static_files.keys()).finish_non_exhaustive()
    }
}

impl Theme {
    /// The built-in default theme alone.
    pub fn built_in() -> Result<Theme> {
        let (templates, static_files) = (built_in_templates(), built_in_static());
        let fingerprint = fingerprint(&templates, &static_files);
        Ok(Theme { tera: compile(&templates)?, static_files, fingerprint })
    }

    /// Loads the theme of `site`, compiling every template once.
    pub fn load(site: &Site) -> Result<Theme> {
        let mut templates = built_in_templates();
        if site.config.theme != "default" && !site.theme_dir.is_dir() {
            return Err(anyhow!(
                "theme `{}` not found: there is no folder `{}`",
                site.config.theme,
                site.theme_dir.display()
            ));
        }
        for dir in [site.theme_dir.join("templates"), site.templates_dir.clone()] {
            for (name, path) in files_under(&dir)? {
                templates.insert(name, (read_text(&path)?, Origin::File(path)));
            }
        }
        let tera = compile(&templates)?;
        let mut static_files = built_in_static();
        for dir in [site.theme_dir.join("static"), site.static_dir.clone()] {
            check_static_folder(&dir, site)?;
            for (name, path) in files_under(&dir)? {
                static_files.insert(name, read(&path)?);
            }
        }
        let fingerprint = fingerprint(&templates, &static_files);
        Ok(Theme { tera, static_files, fingerprint })
    }
}

fn fingerprint(templates: &BTreeMap<String, (String, Origin)>, static_files: &BTreeMap<String, Vec<u8>>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    templates.iter().for_each(|(name, (text, _))| (name, text).hash(&mut h));
    static_files.hash(&mut h);
    h.finish()
}

fn built_in_templates() -> BTreeMap<String, (String, Origin)> {
    DEFAULT_TEMPLATES
        .iter()
        .map(|(path, text)| (path.trim_start_matches("templates/").to_string(), (text.to_string(), Origin::BuiltIn)))
        .collect()
}

fn built_in_static() -> BTreeMap<String, Vec<u8>> {
    DEFAULT_STATIC
        .iter()
        .map(|(path, text)| (path.trim_start_matches("static/").to_string(), text.as_bytes().to_vec()))
        .collect()
}

/// Refuses a static folder that is a symlink to a folder outside the site,
/// unless `[build] static_outside_site` says to publish it: everything
/// under it would go online.
fn check_static_folder(dir: &Path, site: &Site) -> Result<()> {
    let is_link = std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link || site.config.build.static_outside_site {
        return Ok(());
    }
    let target = dir.canonicalize().with_context(|| format!("failed to resolve `{}`", dir.display()))?;
    let root = site.root.canonicalize().with_context(|| format!("failed to resolve `{}`", site.root.display()))?;
    if target.starts_with(&root) {
        return Ok(());
    }
    Err(anyhow!(
        "`{}` is a symlink to `{}`, outside the site, and everything in it would be published: copy the files into the site, or set `static_outside_site = true` under `[build]` in site.toml",
        dir.display(),
        target.display()
    ))
}

fn compile(templates: &BTreeMap<String, (String, Origin)>) -> Result<tera::Tera> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.register_filter("thousands", thousands);
    let result = tera.add_raw_templates(templates.iter().map(|(name, (text, _))| (name.as_str(), text.as_str())));
    if let Err(e) = result {
        let message = e.to_string();
        let culprit = match e.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
                Some(report.filename().to_string())
            }
            tera::ErrorKind::MissingParent { current, .. } => Some(current.clone()),
            // Unknown filters and functions come as a message with a `--> name:line:col` pointer.
            _ => message.split("--> ").nth(1).and_then(|rest| rest.split(':').next()).map(str::to_string),
        };
        let place = match culprit.as_deref().and_then(|name| templates.get(name)) {
            Some((_, Origin::File(path))) => format!("`{}`", path.display()),
            Some((_, Origin::BuiltIn)) => format!("built-in template `{}`", culprit.unwrap_or_default()),
            None => "the templates".to_string(),
        };
        return Err(anyhow!("{message}")).with_context(|| format!("failed to compile {place}"));
    }
    Ok(tera)
}

/// The `thousands` filter: a whole number with its thousands grouped,
/// `{{ 12807 | thousands }}` → `12,807`. Anything else is left as it is.
fn thousands(value: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    let Some(n) = value.as_u64() else { return value };
    tera::Value::from(group_thousands(n))
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Files under `dir` by their `/`-separated path relative to it, skipping
/// hidden files; empty when `dir` does not exist.
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("failed to list `{}`", dir.display()))?;
        if entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).expect("walked files are inside the folder");
            files.push((relative.to_string_lossy().replace('\\', "/"), entry.into_path()));
        }
    }
    Ok(files)
}

/// A rendering error; one that names a variable or field the template does
/// not have points at the document that lists them all.
pub fn template_error(e: tera::Error) -> anyhow::Error {
    let message = e.to_string();
    if message.contains("is not defined") {
        anyhow!("{message}\nhelp: every variable of every template, with its type, is listed in docs/templates.md")
    } else {
        anyhow!("{message}")
    }
}

#[cfg(test)]
mod thousands_tests {
    use super::group_thousands;

    #[test]
    fn whole_numbers_get_their_thousands_grouped() {
        let shown: Vec<String> = [0, 999, 1171, 12807, 1234567].into_iter().map(group_thousands).collect();
        assert_eq!(shown, ["0", "999", "1,171", "12,807", "1,234,567"]);
    }
}
