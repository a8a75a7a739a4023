//! `paperpress check`: what a build would find wrong, without writing the
//! output: input problems, template errors (the build fails on those), papers
//! without a topic, every internal link that does not resolve to a file
//! of the build, and anything unsafe in the output that imported data
//! could have put there ([`unsafe_output`]).

use std::collections::HashSet;
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;

use crate::config::Site;
use crate::error::ImportError;
use crate::page::Page;
use crate::paper::Paper;
use crate::sink::OutputFile;

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<[a-z][a-z0-9]*\s[^>]*?\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')"#)
        .expect("the link pattern is valid")
});

/// A link from a page that leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    /// The page holding the link, relative to the output folder.
    pub page: String,
    /// The link as written.
    pub link: String,
    /// Why it is broken.
    pub reason: &'static str,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` links to `{}`: {}", self.page, self.link, self.reason)
    }
}

/// Every internal link of the HTML files in `files` that does not resolve
/// to one of `files`, sorted by page. Links to other hosts and to anchors on
/// the same page are not checked; a link from the site root (`/x`) is
/// broken, since it fails from disk and under a sub-path.
pub fn broken_links(files: &[OutputFile]) -> Vec<BrokenLink> {
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut broken: Vec<BrokenLink> = files
        .par_iter()
        .filter(|f| f.path.ends_with(".html") && f.path != "404.html")
        .flat_map_iter(|file| {
            let html = String::from_utf8_lossy(&file.bytes);
            LINK.captures_iter(&html)
                .filter_map(|c| {
                    let raw = c.get(1).or_else(|| c.get(2))?.as_str();
                    let link = unescape(raw);
                    let reason = problem(&file.path, &link, &paths)?;
                    Some(BrokenLink { page: file.path.clone(), link, reason })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    broken.sort();
    broken.dedup();
    broken
}

/// Why `link` on `page` does not resolve, or `None` when it does (or is not ours to check).
fn problem(page: &str, link: &str, paths: &HashSet<&str>) -> Option<&'static str> {
    if link.is_empty() || link.starts_with('#') || link.starts_with("//") || has_scheme(link) {
        return None;
    }
    if link.starts_with('/') {
        return Some("links from the site root break from disk and under a sub-path; use a relative link");
    }
    let path = link.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let target = parts.join("/");
    let target = percent_decode(&target);
    let found = paths.contains(target.as_str())
        || (path.ends_with('/') || path.is_empty())
            && paths.contains(format!("{target}/index.html").trim_start_matches('/'));
    (!found).then_some("no such file in the build")
}

/// The broken links as problems: one on a hand-written page is named by
/// its Markdown file and the line the link is on; others by the built page.
pub fn located(broken: &[BrokenLink], pages: &[Page]) -> Vec<ImportError> {
    broken
        .iter()
        .map(|link| {
            let message = format!("links to `{}`: {}", link.link, link.reason);
            let Some(page) = pages.iter().find(|p| p.path == link.page) else {
                return ImportError::file(std::path::Path::new(&link.page), message);
            };
            match std::fs::read_to_string(&page.source).ok().and_then(|text| line_of_link(&text, &link.link)) {
                Some(line) => ImportError::at(&page.source, line, message),
                None => ImportError::file(&page.source, message),
            }
        })
        .collect()
}

/// The line of `text`, a Markdown page, that holds `link` (as built: a
/// link to `x.html` may be written `x.md`).
fn line_of_link(text: &str, link: &str) -> Option<usize> {
    let mut needles = vec![format!("]({link}"), link.to_string()];
    if let Some(stem) = link.strip_suffix(".html") {
        needles.insert(1, format!("]({stem}.md"));
        needles.push(format!("{stem}.md"));
    }
    needles.iter().find_map(|needle| text.lines().position(|l| l.contains(needle.as_str()))).map(|i| i + 1)
}

/// The warning for a paper without any topic, named by the file it comes from.
pub fn no_topic(site: &Site, paper: &Paper) -> ImportError {
    let page = site.content_dir.join("papers").join(format!("{}.md", paper.file_stem()));
    let file = match &paper.source {
        Some(digest) if !page.exists() => site.content_dir.join("digests").join(digest),
        _ => page,
    };
    let title = crate::math::plain_text(&paper.title);
    ImportError::file(
        &file,
        format!("no topic for \"{title}\": add a keyword to a [[topics]] rule in site.toml or `topics` to its page"),
    )
}

/// Something in a built file that imported data must never produce.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unsafe {
    /// The file, relative to the output folder.
    pub file: String,
    /// What is wrong there.
    pub what: String,
}

impl std::fmt::Display for Unsafe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.file, self.what)
    }
}

/// What is unsafe in `files`, except in the pages listed in `owner_pages`
/// (hand-written pages, whose owner may link anywhere): a link or image
/// whose target is not a web, `mailto:` or relative link (a `javascript:`
/// link); a control character that HTML and XML do not allow; an XML file
/// (a feed, the sitemap) that is not well-formed.
pub fn unsafe_output(files: &[OutputFile], owner_pages: &HashSet<&str>) -> Vec<Unsafe> {
    let mut found: Vec<Unsafe> = files
        .par_iter()
        .filter(|f| !owner_pages.contains(f.path.as_str()))
        .flat_map_iter(|file| unsafe_in(file).into_iter().map(|what| Unsafe { file: file.path.clone(), what }))
        .collect();
    found.sort();
    found
}

fn unsafe_in(file: &OutputFile) -> Vec<String> {
    let is_text = [".html", ".xml", ".js", ".json", ".txt", ".css"].iter().any(|e| file.path.ends_with(e));
    if !is_text {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(&file.bytes);
    let mut problems = Vec::new();
    if let Some(c) = text.chars().find(|&c| c < ' ' && !matches!(c, '\t' | '\n' | '\r')) {
        problems.push(format!("holds the control character U+{:04X}", c as u32));
    }
    if file.path.ends_with(".html") {
        for c in LINK.captures_iter(&text) {
            let raw = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
            let link = decode_entities(raw);
            if !crate::links::is_safe_link_target(&link) {
                problems.push(format!("links to `{link}`, which is not a web, mailto or relative link"));
            }
        }
    }
    if file.path.ends_with(".xml")
        && let Err(e) = well_formed(&text)
    {
        problems.push(format!("is not well-formed XML: {e}"));
    }
    problems
}

/// Reads `xml` to its end, or says where it breaks.
fn well_formed(xml: &str) -> Result<(), String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(quick_xml::events::Event::Eof) if depth == 0 => return Ok(()),
            Ok(quick_xml::events::Event::Eof) => return Err("it ends inside an element".into()),
            Ok(_) => {}
            Err(e) => return Err(format!("at byte {}: {e}", reader.error_position())),
        }
    }
}

/// An attribute value as a browser reads it: character references (named
/// ones HTML escaping writes, and numeric ones) decoded.
fn decode_entities(attribute: &str) -> String {
    if !attribute.contains('&') {
        return attribute.to_string();
    }
    let mut out = String::with_capacity(attribute.len());
    let mut rest = attribute;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map_or(rest.len(), |e| e + 1);
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "apos" => Some('\''),
            "colon" => Some(':'),
            "Tab" => Some('\t'),
            "NewLine" => Some('\n'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn has_scheme(link: &str) -> bool {
    let Some((scheme, _)) = link.split_once(':') else { return false };
    !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn unescape(attribute: &str) -> String {
    attribute
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = path.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, html: &str) -> OutputFile {
        OutputFile { path: path.into(), bytes: html.as_bytes().to_vec() }
    }

    #[test]
    fn finds_links_that_lead_nowhere() {
        let files = [
            file(
                "index.html",
                r#"<a href="papers/a.html">a</a> <a class="x" href='papers/missing.html'>m</a> <link rel="stylesheet" href="style.css">"#,
            ),
            file(
                "papers/a.html",
                r##"<a href="../index.html#top">home</a> <a href="../days/2025-08-06.html">day</a> <img src="../img/x.png">"##,
            ),
            file("style.css", ""),
            file("notes/my notes.html", ""),
            file(
                "about.html",
                r##"<a href="https://example.org/x">ext</a> <a href="mailto:a@b">m</a> <a href="#s">s</a> <a href="/index.html">abs</a> <a href="notes/my%20notes.html?x=1&amp;y=2">n</a>"##,
            ),
        ];
        let broken: Vec<String> = broken_links(&files).iter().map(|b| b.to_string()).collect();
        assert_eq!(
            broken,
            [
                "`about.html` links to `/index.html`: links from the site root break from disk and under a sub-path; use a relative link",
                "`index.html` links to `papers/missing.html`: no such file in the build",
                "`papers/a.html` links to `../days/2025-08-06.html`: no such file in the build",
                "`papers/a.html` links to `../img/x.png`: no such file in the build",
            ]
        );
    }

    #[test]
    fn issue_12_unsafe_output_is_found() {
        let files = [
            file("papers/a.html", r#"<a href="javascript&#58;alert(1)">x</a> <a href="https://ok.example/">ok</a>"#),
            file("papers/b.html", "<p>a\u{1}b</p> <img src=\"../x.png\">"),
            file("about.html", r#"<a href="javascript:void(0)">mine</a>"#),
            file("atom.xml", "<feed><entry></feed>"),
            file("sitemap.xml", "<urlset><url>x</url></urlset>"),
        ];
        let owner: HashSet<&str> = ["about.html"].into();
        let found: Vec<String> = unsafe_output(&files, &owner).iter().map(|u| u.to_string()).collect();
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].starts_with("`atom.xml`: is not well-formed XML"), "{found:#?}");
        assert_eq!(
            found[1],
            "`papers/a.html`: links to `javascript:alert(1)`, which is not a web, mailto or relative link"
        );
        assert_eq!(found[2], "`papers/b.html`: holds the control character U+0001");
    }

    #[test]
    fn text_that_looks_like_a_link_is_not_one() {
        let files = [file("index.html", "<p>write href=&quot;x.html&quot; in your page</p>")];
        assert!(broken_links(&files).is_empty());
    }
}
