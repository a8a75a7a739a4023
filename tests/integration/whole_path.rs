//! The whole path a user's data takes, and what must hold at its end.
//!
//! One input becomes a digest of a new site, which is imported (twice)
//! and built, on disk, as a user would: bytes -> records -> pages ->
//! parsed pages -> the built site. [`whole_path`] checks what issue 12
//! asks of the result and panics, saying what broke, when it does not
//! hold. The `site` fuzz target (`fuzz/`) runs it on every input, and
//! `cargo test` on the inputs fuzzing found (`tests/fixtures/import/fuzz/site/`).
//!
//! This file is also compiled into the fuzz target, so it uses only
//! paperpress and the crates both share.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use paperpress::check::{broken_links, unsafe_output};
use paperpress::config::Site;
use paperpress::import::{ImportOptions, import};
use paperpress::links::{is_safe_link_target, is_web_url};
use paperpress::paper::Paper;
use paperpress::sink::OutputFile;

/// The site an input is imported into: feeds on, two topic rules.
const SITE_TOML: &str = r#"title = "Fuzzed digest"
base_url = "https://example.org/digest/"

[[topics]]
name = "Language models"
keywords = ["language model", "llm", "transformer"]

[[topics]]
name = "Diffusion"
keywords = ["diffusion"]
"#;

/// Digests are named after their day, as `fetch` names them.
const DIGEST_NAMES: [&str; 3] = ["2025-08-06.txt", "2025-08-06.json", "2025-08-06.xml"];

/// Takes `data` the whole way: its first byte picks the digest's name
/// (text copy, API JSON, arXiv Atom; the format is still detected from the
/// content), the rest is the digest. Panics with what went wrong.
pub fn whole_path(data: &[u8]) {
    let Some((&selector, input)) = data.split_first() else { return };
    let root = tempfile::Builder::new().prefix("paperpress-whole-path-").tempdir().expect("a temporary folder");
    let root = root.path();
    std::fs::write(root.join("site.toml"), SITE_TOML).expect("site.toml is written");
    let site = Site::load(root).expect("the site loads");
    let digests = site.content_dir.join("digests");
    std::fs::create_dir_all(&digests).expect("the digest folder is made");
    let digest = digests.join(DIGEST_NAMES[usize::from(selector) % DIGEST_NAMES.len()]);
    std::fs::write(&digest, input).expect("the digest is written");

    let options = ImportOptions::default();
    let first = import(&site, std::slice::from_ref(&digest), &options).expect("import reads any bytes");
    let pages = pages_read_back(&site.content_dir.join("papers"));
    assert_eq!(pages.len(), first.new.len(), "one page per new paper: {first:#?}");
    let again = import(&site, std::slice::from_ref(&digest), &options).expect("import reads any bytes again");
    assert!(
        again.new.is_empty() && again.updated.is_empty() && again.conflicts.is_empty(),
        "importing the same digest again changes pages: {again:#?}"
    );

    let report = paperpress::build(&site, &Default::default()).expect("a site of imported pages builds");
    let papers_dir = site.content_dir.join("papers");
    let page_problems: Vec<_> = report.skipped.iter().filter(|e| e.path.starts_with(&papers_dir)).collect();
    assert!(page_problems.is_empty(), "the build refuses pages import wrote: {page_problems:#?}");
    let files = read_tree(&site.output_dir);
    for paper in pages.values() {
        let url = format!("papers/{}.html", paper.file_stem());
        assert!(files.iter().any(|f| f.path == url), "the page of `{}` is not built at `{url}`", paper.id);
    }
    assert_built_site_is_safe(&files);
}

/// Every page under `dir` (import's copies aside): it parses, is written
/// back the same, and is import's copy (nothing edited it). By id.
fn pages_read_back(dir: &Path) -> BTreeMap<String, Paper> {
    let mut papers = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return papers };
    for entry in entries {
        let path = entry.expect("the page folder lists").path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a page import wrote is UTF-8");
        let paper = Paper::from_page(&text, &path).unwrap_or_else(|e| panic!("a page import wrote fails: {e}\n{text}"));
        assert_eq!(paper.to_page(), text, "`{}` is not written back the same", path.display());
        let copy = dir.join(".imported").join(path.file_name().expect("a page has a name"));
        assert_eq!(std::fs::read_to_string(&copy).ok().as_deref(), Some(text.as_str()), "import's copy differs");
        let id = paper.id.clone();
        assert!(papers.insert(id.clone(), paper).is_none(), "two pages for `{id}`");
    }
    papers
}

/// The files under `dir`, by path relative to it (`/`-separated).
fn read_tree(dir: &Path) -> Vec<OutputFile> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("the output lists") {
            let path = entry.expect("the output lists").path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let relative = path.strip_prefix(dir).expect("under the output").to_string_lossy().replace('\\', "/");
            files.push(OutputFile { bytes: std::fs::read(&path).expect("an output file reads"), path: relative });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// What a built site of imported data must be: every internal link
/// resolves, nothing [`unsafe_output`] finds, and what a browser or a
/// feed reader makes of each file holds no script, no unsafe link, no
/// control character and no huge size; no two files whose paths differ
/// only in case (one file on macOS and Windows).
pub fn assert_built_site_is_safe(files: &[OutputFile]) {
    let broken = broken_links(files);
    assert!(broken.is_empty(), "links lead nowhere: {broken:#?}");
    let found = unsafe_output(files, &HashSet::new());
    assert!(found.is_empty(), "unsafe output: {found:#?}");
    let mut folded = HashSet::new();
    for file in files {
        assert!(folded.insert(file.path.to_lowercase()), "two outputs on one path on macOS and Windows: {}", file.path);
        let text = std::str::from_utf8(&file.bytes);
        let problems = match (file.path.rsplit_once('.').map(|(_, e)| e), text) {
            (Some("html"), Ok(text)) => html_problems(text),
            (Some("xml"), Ok(text)) => xml_problems(&file.path, text),
            (Some("json"), Ok(text)) => serde_json::from_str::<serde_json::Value>(text)
                .err()
                .map(|e| format!("bad JSON: {e}"))
                .into_iter()
                .collect(),
            (Some("html" | "xml" | "json" | "js" | "css" | "txt"), Err(e)) => vec![format!("not UTF-8: {e}")],
            _ => Vec::new(),
        };
        assert!(problems.is_empty(), "`{}`: {problems:#?}", file.path);
    }
}

/// Attributes a browser follows as a URL.
const URL_ATTRIBUTES: &[&str] =
    &["href", "src", "action", "formaction", "poster", "data", "cite", "background", "ping", "longdesc", "manifest"];

/// Elements imported data must never bring into a page.
const FORBIDDEN_ELEMENTS: &[&str] =
    &["iframe", "frame", "frameset", "object", "embed", "applet", "base", "animate", "set", "foreignobject"];

/// What a browser makes of `html`, as the DOM: no event handler, no
/// unsafe URL, no inline script other than JSON-LD (which must be JSON),
/// no control character in text or attributes, no length over 20em in a
/// formula.
fn html_problems(html: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let mut problems = Vec::new();
    for node in document.tree.nodes() {
        match node.value() {
            scraper::Node::Text(text) => {
                if let Some(c) = text.chars().find(|&c| is_control(c)) {
                    problems.push(format!("text holds U+{:04X}", u32::from(c)));
                }
            }
            scraper::Node::Element(element) => {
                problems.extend(element_problems(element, node.children().filter_map(|c| c.value().as_text())));
            }
            _ => {}
        }
    }
    problems
}

fn element_problems<'a>(
    element: &scraper::node::Element,
    texts: impl Iterator<Item = &'a scraper::node::Text>,
) -> Vec<String> {
    let name = element.name();
    let mut problems = Vec::new();
    if FORBIDDEN_ELEMENTS.contains(&name) {
        problems.push(format!("a <{name}> element"));
    }
    let in_math = element.name.ns.as_ref() == "http://www.w3.org/1998/Math/MathML";
    for (attribute, value) in element.attrs() {
        let attribute = attribute.to_ascii_lowercase();
        if attribute.starts_with("on") {
            problems.push(format!("<{name} {attribute}>: an event handler"));
        }
        if let Some(c) = value.chars().find(|&c| is_control(c)) {
            problems.push(format!("<{name} {attribute}> holds U+{:04X}", u32::from(c)));
        }
        if URL_ATTRIBUTES.contains(&attribute.as_str()) && !is_safe_link_target(value) {
            problems.push(format!("<{name} {attribute}=\"{value}\">: not a web, mailto or relative link"));
        }
        if attribute == "srcset" || attribute == "srcdoc" || (name == "meta" && attribute == "http-equiv") {
            problems.push(format!("<{name} {attribute}>"));
        }
        if (in_math || attribute == "style")
            && let Some(size) = huge_length(value)
        {
            problems.push(format!("<{name} {attribute}=\"{value}\">: {size}em is wider than a formula may be"));
        }
    }
    if name == "script" && element.attr("src").is_none() {
        let body: String = texts.map(|t| &**t).collect();
        let json_ld = element.attr("type") == Some("application/ld+json");
        if !json_ld {
            problems.push("an inline script".into());
        } else if let Err(e) = serde_json::from_str::<serde_json::Value>(&body) {
            problems.push(format!("JSON-LD that is not JSON ({e}): {body}"));
        }
    }
    problems
}

/// The largest CSS length in `value`, in em (1em = 16px), when it is over 20.
fn huge_length(value: &str) -> Option<f64> {
    static LENGTH: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(r?em|ex|ch|px|pt|pc|mm|cm|in|q|vw|vh)?\b")
            .expect("the length pattern is valid")
    });
    LENGTH
        .captures_iter(value)
        .filter_map(|c| {
            let number: f64 = c[1].parse().ok()?;
            let em = match c.get(2).map(|u| u.as_str().to_ascii_lowercase()).as_deref() {
                Some("em" | "rem" | "ch") => 1.0,
                Some("ex") => 0.5,
                Some("px") => 1.0 / 16.0,
                Some("pt") => 1.0 / 12.0,
                Some("pc") => 1.0,
                Some("mm") => 1.0 / 4.23,
                Some("cm") => 1.0 / 0.423,
                Some("in") => 6.0,
                Some("q") => 1.0 / 16.9,
                Some("vw" | "vh") => 0.5,
                _ => return None,
            };
            Some((number * em).abs())
        })
        .fold(None, |max: Option<f64>, v| Some(max.map_or(v, |m| m.max(v))))
        .filter(|&v| v > 20.0 + 1e-9)
}

/// Characters no page or feed may hold: C0 controls other than tab, line
/// feed, form feed and carriage return, DEL and the C1 controls.
fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')
}

/// A character XML 1.0 allows in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// What a feed reader makes of `xml`: well-formed XML 1.0 (references
/// included) without control characters; a feed that `feed-rs` reads,
/// whose links are web links and whose HTML summaries pass
/// [`html_problems`]; a sitemap of URLs under `base_url`.
fn xml_problems(path: &str, xml: &str) -> Vec<String> {
    use quick_xml::XmlVersion;
    use quick_xml::events::Event;
    let mut problems = Vec::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut html_text: Option<String> = None;
    let mut depth = 0usize;
    let mut roots = 0;
    let check_chars = |text: &str, problems: &mut Vec<String>| {
        if let Some(c) = text.chars().find(|&c| !is_xml_char(c) || is_control(c)) {
            problems.push(format!("holds U+{:04X}", u32::from(c)));
        }
    };
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                problems.push(format!("not well-formed at byte {}: {e}", reader.error_position()));
                break;
            }
        };
        match event {
            Event::Start(ref tag) | Event::Empty(ref tag) => {
                if depth == 0 {
                    roots += 1;
                }
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                }
                let mut is_html = false;
                for attribute in tag.attributes() {
                    match attribute.map_err(|e| e.to_string()).and_then(|a| {
                        let value = a.normalized_value(XmlVersion::Implicit1_0).map_err(|e| e.to_string())?;
                        Ok((a.key.0.to_string(), value.into_owned()))
                    }) {
                        Ok((key, value)) => {
                            check_chars(&value, &mut problems);
                            is_html |= key == "type" && value == "html";
                            if key == "href" && tag.local_name().as_ref() == "link" && !is_web_url(&value) {
                                problems.push(format!("a feed link to `{value}`"));
                            }
                        }
                        Err(e) => problems.push(format!("a bad attribute: {e}")),
                    }
                }
                if is_html && matches!(event, Event::Start(_)) {
                    html_text = Some(String::new());
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if let Some(html) = html_text.take() {
                    problems.extend(html_problems(&html).into_iter().map(|p| format!("in HTML content: {p}")));
                }
            }
            Event::Text(_) | Event::CData(_) => {
                let text = match &event {
                    Event::Text(text) => text.xml10_content(),
                    Event::CData(text) => text.xml10_content(),
                    _ => unreachable!("a text event"),
                };
                check_chars(&text, &mut problems);
                if let Some(html) = &mut html_text {
                    html.push_str(&text);
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => match &*reference {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                    Err(_) => None,
                };
                match resolved {
                    Some(c) if is_xml_char(c) && !is_control(c) => {
                        if let Some(html) = &mut html_text {
                            html.push(c);
                        }
                    }
                    _ => problems.push(format!("the reference &{};", &*reference)),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if roots != 1 || depth != 0 {
        problems.push(format!("{roots} root elements, {depth} left open"));
    }
    if path.ends_with("sitemap.xml") {
        for url in xml.split("<loc>").skip(1).filter_map(|s| s.split_once("</loc>")).map(|(url, _)| url) {
            if !url.starts_with("https://example.org/digest/") {
                problems.push(format!("a sitemap URL outside the site: {url}"));
            }
        }
    } else if problems.is_empty() {
        problems.extend(feed_problems(xml));
    }
    problems
}

/// What a feed reader (`feed-rs`) finds wrong with an Atom feed.
fn feed_problems(xml: &str) -> Vec<String> {
    let feed = match feed_rs::parser::parse(xml.as_bytes()) {
        Ok(feed) => feed,
        Err(e) => return vec![format!("a feed reader refuses it: {e}")],
    };
    let mut problems = Vec::new();
    for entry in &feed.entries {
        if entry.links.is_empty() || entry.links.iter().any(|l| !is_web_url(&l.href)) {
            problems.push(format!("entry `{}` links to {:?}", entry.id, entry.links));
        }
        if entry.title.as_ref().is_none_or(|t| t.content.trim().is_empty()) {
            problems.push(format!("entry `{}` has no title", entry.id));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    fn files_in(dir: &str) -> Vec<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        files
    }

    use super::*;

    fn problems_of(path: &str, text: &str) -> Vec<String> {
        let file = OutputFile { path: path.into(), bytes: text.as_bytes().to_vec() };
        match std::panic::catch_unwind(|| assert_built_site_is_safe(std::slice::from_ref(&file))) {
            Ok(()) => Vec::new(),
            Err(e) => vec![e.downcast_ref::<String>().cloned().unwrap_or_default()],
        }
    }

    /// Each check can fail: what a browser or a feed reader would take
    /// as a script, an unsafe link, a control character or a broken feed.
    #[test]
    fn the_oracle_finds_what_a_browser_would_run() {
        let bad_pages = [
            "<p><a href=javascript:alert(1)>unquoted</a></p>",
            "<p><img src=x.png onerror=alert(1)></p>",
            "<p>&#1;</p>",
            "<p><a href=\"java&#x09;script:alert(1)\">tab</a></p>",
            "<script>alert(1)</script>",
            "<script type=\"application/ld+json\">{\"a\": </script>",
            "<math><mspace width=\"1e9em\"></mspace></math>",
            "<iframe src=\"https://x.example/\"></iframe>",
        ];
        for page in bad_pages {
            assert!(!problems_of("papers/a.html", page).is_empty(), "{page} passes");
        }
        let good = "<p><a href=\"../days/x.html#top\">ok</a> <a href=\"https://x.example/\">web</a></p>";
        let files = [
            OutputFile { path: "papers/a.html".into(), bytes: good.as_bytes().to_vec() },
            OutputFile { path: "days/x.html".into(), bytes: Vec::new() },
        ];
        assert_built_site_is_safe(&files);
        let feed = |summary: &str| {
            format!(
                "<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>x</id><title>t</title><updated>2025-08-06T00:00:00Z</updated>\
                 <entry><id>e</id><title>T</title><updated>2025-08-06T00:00:00Z</updated><link href=\"https://x.example/\"/>\
                 <summary type=\"html\">{summary}</summary></entry></feed>"
            )
        };
        assert_eq!(problems_of("atom.xml", &feed("&lt;p&gt;fine&lt;/p&gt;")), Vec::<String>::new());
        for summary in ["&#1;", "&nbsp;", "\u{fffe}", "&lt;a href=&quot;javascript:x()&quot;&gt;x&lt;/a&gt;"] {
            assert!(!problems_of("atom.xml", &feed(summary)).is_empty(), "{summary} passes");
        }
        let twins = [
            OutputFile { path: "papers/A.html".into(), bytes: Vec::new() },
            OutputFile { path: "papers/a.html".into(), bytes: Vec::new() },
        ];
        assert!(std::panic::catch_unwind(|| assert_built_site_is_safe(&twins)).is_err());
    }

    /// The real inputs the fixtures hold, each as a digest of its format.
    #[test]
    fn real_inputs_take_the_whole_path() {
        let mut taken = 0;
        for file in files_in("tests/fixtures/import") {
            let selector = match file.extension().and_then(|e| e.to_str()) {
                Some("txt") => 0,
                Some("json") => 1,
                Some("xml") => 2,
                _ => continue,
            };
            let mut data = vec![selector];
            data.extend(std::fs::read(&file).unwrap());
            whole_path(&data);
            taken += 1;
        }
        assert!(taken >= 9, "only {taken} inputs");
    }

    /// What the `site` fuzz target found, kept: each input takes the
    /// whole path (named after what it caught).
    #[test]
    fn fuzz_inputs_take_the_whole_path() {
        let files = files_in("tests/fixtures/import/fuzz/site");
        for file in &files {
            let data = std::fs::read(file).unwrap();
            let result = std::panic::catch_unwind(|| whole_path(&data));
            assert!(result.is_ok(), "{} fails the whole path", file.display());
        }
        assert!(!files.is_empty());
    }
}
