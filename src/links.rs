//! Links found in imported text: URLs in abstracts, what kind they are
//! (code repository, project page, arXiv), and arXiv ids.

use std::sync::LazyLock;

use regex::Regex;

static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"https?://[^\s<>"'`\\]+"#).expect("the URL pattern is valid"));

static ARXIV_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^https?://(?:www\.)?(?:arxiv\.org/(?:abs|pdf)/|huggingface\.co/papers/)([a-z\-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?$")
        .expect("the arXiv URL pattern is valid")
});

static ARXIV_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:arXiv:)?([a-z\-]+(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(v\d+)?$")
        .expect("the arXiv id pattern is valid")
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

/// The URLs in `text`, with their byte ranges, trailing punctuation trimmed.
pub fn find_urls(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    URL.find_iter(text)
        .map(|m| {
            let url = trim_url(m.as_str());
            (m.start()..m.start() + url.len(), url)
        })
        .filter(|(_, url)| url.len() > "https://".len() + 3)
        .collect()
}

/// Drops sentence punctuation after a URL, and a closing bracket that the
/// URL did not open.
fn trim_url(url: &str) -> &str {
    let mut url = url;
    loop {
        let Some(last) = url.chars().last() else { return url };
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '*' => true,
            ')' => url.matches('(').count() < url.matches(')').count(),
            ']' => url.matches('[').count() < url.matches(']').count(),
            '}' => url.matches('{').count() < url.matches('}').count(),
            _ => false,
        };
        if !trim {
            return url;
        }
        url = &url[..url.len() - last.len_utf8()];
    }
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
    ARXIV_ID.captures(id.trim()).map(|c| c[1].to_string())
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
    fn kinds_by_host() {
        assert_eq!(kind("https://github.com/salesforce/CodeGen2"), LinkKind::Code);
        assert_eq!(kind("https://gitlab.com/a/b"), LinkKind::Code);
        assert_eq!(kind("https://youtu.be/gCuUyGETbTU"), LinkKind::Project);
        assert_eq!(kind("https://arxiv.org/abs/2508.01234"), LinkKind::Arxiv);
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
