//! Links found in imported text: URLs in abstracts, what kind they are
//! (code repository, project page, arXiv), arXiv ids, and which links are
//! safe to publish: an imported link is an `http(s)` URL with a host, no
//! `user@` part, and no control, invisible or bidi character anywhere.

use std::sync::LazyLock;

use regex::Regex;

/// A URL in text ends at white space, quotes, angle brackets, backslashes,
/// control characters and invisible formatting characters (bidi overrides,
/// zero-width spaces): none of these is part of a link a reader can see.
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"https?://[^\s<>"'`\\\p{Cc}\p{Cf}]+"#).expect("the URL pattern is valid"));

static ARXIV_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^https?://(?:www\.)?(?:arxiv\.org/(?:abs|pdf)/|huggingface\.co/papers/)([a-z\-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?$")
        .expect("the arXiv URL pattern is valid")
});

/// What a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// A source repository (GitHub, GitLab, Codeberg, Bitbucket).
    Code,
    /// An arXiv abstract or PDF.
    Arxiv,
    /// Anything else: a project page, a demo, a video.
    Project,
}

/// The URLs in `text`, with their byte ranges, trailing punctuation
/// trimmed; only links [`web_url`] accepts.
pub fn find_urls(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    URL.find_iter(text)
        .map(|m| {
            let url = trim_url(m.as_str());
            (m.start()..m.start() + url.len(), url)
        })
        .filter(|(_, url)| url.len() > "https://".len() + 3 && is_web_url(url))
        .collect()
}

/// The brackets a URL may hold in pairs: `(`, `[`, `{` and their closers.
const BRACKETS: [(char, char); 3] = [('(', ')'), ('[', ']'), ('{', '}')];

/// Drops sentence punctuation after a URL, and a closing bracket that the
/// URL did not open. One pass to count the brackets, one to trim: linear
/// in the URL, whatever it ends with.
fn trim_url(url: &str) -> &str {
    let mut open = [0usize; 3];
    let mut close = [0usize; 3];
    for c in url.chars() {
        for (k, (o, e)) in BRACKETS.iter().enumerate() {
            open[k] += usize::from(c == *o);
            close[k] += usize::from(c == *e);
        }
    }
    let mut end = url.len();
    while let Some(last) = url[..end].chars().next_back() {
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '*' => true,
            c => match BRACKETS.iter().position(|(_, e)| *e == c) {
                Some(k) if open[k] < close[k] => {
                    close[k] -= 1;
                    true
                }
                _ => false,
            },
        };
        if !trim {
            break;
        }
        end -= last.len_utf8();
    }
    &url[..end]
}

/// Whether `c` may not appear in a published link: control characters,
/// white space, and characters that change how text around them is shown
/// (bidi overrides and isolates, zero-width characters).
fn is_hidden_or_control(c: char) -> bool {
    c.is_control() || c.is_whitespace() || is_format(c)
}

/// Unicode format characters (general category Cf) and the other
/// characters that display as nothing.
pub fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{61c}'
            | '\u{115f}'..='\u{1160}'
            | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fffb}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

/// `url` if it is a link paperpress publishes from imported data, else
/// `None`: an `http` or `https` URL with a host, without a `user@` part
/// (which makes `https://github.com@evil.example/` read as GitHub), and
/// without control, white-space, invisible or bidi characters, quotes or
/// angle brackets anywhere. Leading and trailing spaces are trimmed.
pub fn web_url(url: &str) -> Option<String> {
    let url = url.trim();
    is_web_url(url).then(|| url.to_string())
}

/// Whether `url`, exactly as written, passes [`web_url`].
pub fn is_web_url(url: &str) -> bool {
    let scheme_ok = url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://"))
        || url.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("http://"));
    if !scheme_ok || url.chars().any(|c| is_hidden_or_control(c) || matches!(c, '"' | '<' | '>' | '\\' | '`')) {
        return false;
    }
    // `https:///x` is read as the host `x` by browsers: not what it says.
    let after_scheme = url.split_once("://").map_or("", |(_, rest)| rest);
    if after_scheme.is_empty() || after_scheme.starts_with('/') {
        return false;
    }
    match url::Url::parse(url) {
        Ok(parsed) => {
            parsed.host_str().is_some_and(|h| !h.is_empty())
                && parsed.username().is_empty()
                && parsed.password().is_none()
        }
        Err(_) => false,
    }
}

/// Whether `doi` is a DOI a page may link to (`https://doi.org/<doi>`):
/// `10.` and a registrant, a `/` and a suffix, with no white-space,
/// control, invisible or bidi character, quote or angle bracket.
pub fn is_doi(doi: &str) -> bool {
    let Some((prefix, suffix)) = doi.split_once('/') else { return false };
    let registrant = prefix.strip_prefix("10.").unwrap_or("");
    !registrant.is_empty()
        && registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !suffix.is_empty()
        && !doi.chars().any(|c| is_hidden_or_control(c) || matches!(c, '"' | '<' | '>' | '\\'))
}

/// Whether a Markdown link or image target in imported text may be
/// published: a web link ([`is_web_url`]), a `mailto:` address, or a
/// relative link (no scheme: nothing before a `:` but a path), each
/// without control, invisible or bidi characters. `javascript:`, `data:`
/// and every other scheme are refused.
pub fn is_safe_link_target(target: &str) -> bool {
    if target.chars().any(is_hidden_or_control) {
        return false;
    }
    if is_web_url(target) {
        return true;
    }
    if let Some(address) = target.get(..7).filter(|s| s.eq_ignore_ascii_case("mailto:")).map(|_| &target[7..]) {
        return !address.is_empty() && !address.contains(['"', '<', '>', '\\']);
    }
    // A relative link: a `:` may appear only after a `/`, `?` or `#`,
    // where it cannot be read as a scheme.
    let before = target.split(['/', '?', '#']).next().unwrap_or("");
    !before.contains(':') && !target.starts_with("//")
}

/// Classifies a URL by its host.
pub fn kind(url: &str) -> LinkKind {
    if ARXIV_URL.is_match(url) && url.contains("arxiv.org") {
        return LinkKind::Arxiv;
    }
    let host = url.split("://").nth(1).unwrap_or("").split('/').next().unwrap_or("");
    let host = host.trim_start_matches("www.");
    match host {
        "github.com" | "gitlab.com" | "codeberg.org" | "bitbucket.org" | "git.sr.ht" => LinkKind::Code,
        _ => LinkKind::Project,
    }
}

/// The arXiv id (without version) an arXiv or Hugging Face paper URL names.
pub fn arxiv_id_from_url(url: &str) -> Option<String> {
    ARXIV_URL.captures(url.trim()).map(|c| c[1].to_string())
}

/// Normalises an arXiv id: drops an `arXiv:` prefix and the version.
/// `None` when `id` is not an arXiv id.
pub fn normalize_arxiv_id(id: &str) -> Option<String> {
    arxiv_id_in(id.trim()).map(str::to_string)
}

/// The id part of `text` when all of it is an arXiv id (see
/// [`normalize_arxiv_id`]): `2508.01234` (four digits, a dot, four or
/// five) or `cond-mat/0412498` (an archive of lower-case letters and
/// hyphens, perhaps a subject class `.XX`, a slash and seven digits),
/// after an `arXiv:` prefix and before a version `v2`. Digits are ASCII.
/// Every build asks this of every paper several times (search, feeds,
/// citations), so it is read by hand, not by a regular expression.
fn arxiv_id_in(text: &str) -> Option<&str> {
    let text = text.strip_prefix("arXiv:").unwrap_or(text);
    let bytes = text.as_bytes();
    let digits = |from: usize| bytes[from.min(bytes.len())..].iter().take_while(|b| b.is_ascii_digit()).count();
    let end = if bytes.len() >= 9 && digits(0) == 4 && bytes[4] == b'.' && (4..=5).contains(&digits(5)) {
        5 + digits(5)
    } else {
        let archive = bytes.iter().take_while(|&&b| b.is_ascii_lowercase() || b == b'-').count();
        let mut at = archive;
        let class = bytes.get(at) == Some(&b'.')
            && bytes.len() >= at + 3
            && bytes[at + 1..at + 3].iter().all(u8::is_ascii_uppercase);
        if class {
            at += 3;
        }
        if archive == 0 || bytes.get(at) != Some(&b'/') || digits(at + 1) != 7 {
            return None;
        }
        at + 8
    };
    let version = &bytes[end..];
    let versioned =
        version.is_empty() || (version.len() > 1 && version[0] == b'v' && version[1..].iter().all(u8::is_ascii_digit));
    versioned.then(|| &text[..end])
}

/// The abstract page of an arXiv id.
pub fn arxiv_abs_url(id: &str) -> String {
    format!("https://arxiv.org/abs/{id}")
}

/// The PDF of an arXiv id.
pub fn arxiv_pdf_url(id: &str) -> String {
    format!("https://arxiv.org/pdf/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_sentence_punctuation() {
        let text =
            "Code: https://github.com/abukharin3/asteroid. See (https://x.org/a_(b)) and https://step-law.github.io/";
        let urls: Vec<&str> = find_urls(text).into_iter().map(|(_, u)| u).collect();
        assert_eq!(
            urls,
            ["https://github.com/abukharin3/asteroid", "https://x.org/a_(b)", "https://step-law.github.io/"]
        );
    }

    #[test]
    fn issue_12_links_with_user_parts_or_hidden_characters_are_refused() {
        for bad in [
            "https://github.com@evil.example/a",
            "https://user:pw@x.org/",
            "https://x.org/\u{202e}fdp.exe",
            "https://x.org/\u{200b}",
            "https://x.org/\u{1}",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "http://x.org/a b",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
        assert!(is_web_url("https://x.org/a@b") && is_web_url("HTTPS://X.ORG/"));
        assert_eq!(trim_url(&format!("https://x.org/a{}", ")".repeat(100_000))), "https://x.org/a");
        assert_eq!(trim_url("https://x.org/a_(b))."), "https://x.org/a_(b)");
        assert!(is_doi("10.1145/3292500.3330701") && !is_doi("10.1/\u{feff}") && !is_doi("x/y"));
        for target in
            ["javascript:x", "JAVASCRIPT:x", "data:text/html,x", "//evil.example/", "java\tscript:x", "\u{202e}a"]
        {
            assert!(!is_safe_link_target(target), "{target}");
        }
        for target in ["../a.html", "#top", "a.html?x=y:z", "mailto:a@b.org", "https://x.org/"] {
            assert!(is_safe_link_target(target), "{target}");
        }
    }

    #[test]
    fn kinds_by_host() {
        assert_eq!(kind("https://github.com/salesforce/CodeGen2"), LinkKind::Code);
        assert_eq!(kind("https://gitlab.com/a/b"), LinkKind::Code);
        assert_eq!(kind("https://youtu.be/gCuUyGETbTU"), LinkKind::Project);
        assert_eq!(kind("https://arxiv.org/abs/2508.01234"), LinkKind::Arxiv);
    }

    #[test]
    fn arxiv_ids_are_read_as_the_pattern_says() {
        let pattern =
            Regex::new(r"^(?:arXiv:)?([a-z\-]+(?:\.[A-Z]{2})?/[0-9]{7}|[0-9]{4}\.[0-9]{4,5})(v[0-9]+)?$").unwrap();
        let ids = [
            "2508.01234",
            "2508.0123",
            "2508.012345",
            "2508.01234v12",
            "2508.01234v",
            "2508.01234V2",
            "arXiv:2508.01234",
            "arxiv:2508.01234",
            "arXiv:arXiv:2508.01234",
            "cond-mat/0412498",
            "cond-mat/0412498v1",
            "math.AG/0601001",
            "math.Ag/0601001",
            "math.AGX/0601001",
            "-/1234567",
            "hep-th/123456",
            "hep-th/12345678",
            "Hep-th/1234567",
            "/1234567",
            "2508.01234 ",
            "2508.01234\n",
            "",
            "2508",
            "2508.",
            "12508.01234",
            "2508-01234",
            "٢٥٠٨.٠١٢٣٤",
            "2508.01234v2x",
            "2508.01234v2v3",
            "a.BC/1234567v0",
            "a.B/1234567",
            "a./1234567",
            "é/1234567",
            "2508.0123é",
            "cond-mat/0412498/",
            "../etc/passwd",
            "2508.01234/../x",
        ];
        for id in ids {
            let expected = pattern.captures(id).map(|c| c.get(1).unwrap().as_str());
            assert_eq!(arxiv_id_in(id), expected, "{id:?}");
        }
    }

    #[test]
    fn arxiv_ids() {
        assert_eq!(arxiv_id_from_url("https://arxiv.org/abs/2508.01234v2").as_deref(), Some("2508.01234"));
        assert_eq!(arxiv_id_from_url("https://huggingface.co/papers/2510.19779").as_deref(), Some("2510.19779"));
        assert_eq!(arxiv_id_from_url("https://arxiv.org/pdf/cond-mat/0412498v1").as_deref(), Some("cond-mat/0412498"));
        assert_eq!(arxiv_id_from_url("https://example.org/abs/2508.01234"), None);
        assert_eq!(normalize_arxiv_id("arXiv:1605.08386v1").as_deref(), Some("1605.08386"));
        assert_eq!(normalize_arxiv_id("../etc/passwd"), None);
    }
}
