//! Helpers: copy a fixture to a temporary folder, build it, read pages,
//! and check every internal link of an output folder.

use std::path::{Path, PathBuf};

use paperpress::config::Site;
use paperpress::{BuildOptions, BuildReport};
use walkdir::WalkDir;

/// The repository root (also the example site).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of `tests/fixtures/<name>` in a fresh temporary folder.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("tests/fixtures").join(name), dir.path());
    dir
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Builds the site at `root` into its `public/` folder.
pub fn build(root: &Path) -> BuildReport {
    try_build(root).unwrap_or_else(|e| panic!("build of {} failed: {e:#}", root.display()))
}

/// Builds the site at `root`, returning the error instead of panicking.
pub fn try_build(root: &Path) -> anyhow::Result<BuildReport> {
    let site = Site::load(root)?;
    paperpress::build(&site, &BuildOptions::default())
}

/// Reads an output page.
/// The attribute `name` of the elements `selector` finds in `html`.
pub fn attr(html: &str, selector: &str, name: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(selector).unwrap();
    doc.select(&selector).filter_map(|e| e.value().attr(name).map(String::from)).collect()
}

/// `public/topics/names.js` of the site at `root`: topic names by slug.
pub fn topic_names(root: &Path) -> std::collections::BTreeMap<String, String> {
    let script = std::fs::read_to_string(root.join("public/topics/names.js")).unwrap();
    let json = script.strip_prefix("paperpressTopicNames(").and_then(|s| s.strip_suffix(");\n")).unwrap();
    serde_json::from_str(json).unwrap()
}

pub fn page(root: &Path, path: &str) -> String {
    let file = root.join("public").join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()))
}

/// The text a reader sees in an HTML fragment matched by `selector`.
pub fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(selector).unwrap();
    doc.select(&selector)
        .map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Every `href`/`src` in the HTML files of `output` that points inside the
/// site and does not resolve to an existing file, as `(page, link)`.
/// Also reports root-absolute links (`/x`), which break under a sub-path
/// and from `file://`.
pub fn broken_links(output: &Path) -> (usize, Vec<(String, String)>) {
    let mut checked = 0;
    let mut broken = Vec::new();
    let selector = scraper::Selector::parse("[href], [src]").unwrap();
    for entry in WalkDir::new(output) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let doc = scraper::Html::parse_document(&html);
        let page = entry.path().strip_prefix(output).unwrap().display().to_string();
        for element in doc.select(&selector) {
            let value = element.value();
            let link = value.attr("href").or(value.attr("src")).unwrap();
            if link.contains(':') || link.starts_with('#') {
                continue; // another host, mailto:, data:, or an anchor on the same page
            }
            checked += 1;
            if link.starts_with('/') {
                broken.push((page.clone(), link.to_string()));
                continue;
            }
            let path = link.split(['#', '?']).next().unwrap();
            let target = entry.path().parent().unwrap().join(path);
            if !target.is_file() {
                broken.push((page.clone(), link.to_string()));
            }
        }
    }
    (checked, broken)
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}
