//! Splitting a Markdown page into its TOML front matter (between `+++`
//! lines) and its body, and deserializing the front matter with errors that
//! name the file and the line in the file (not in the front matter).

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{ImportError, line_of};

/// A page split into front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML between the `+++` lines, if the page has front matter.
    pub front_matter: Option<&'a str>,
    /// 1-based line of the first front matter line in the file.
    pub front_matter_line: usize,
    /// Everything after the closing `+++` line (or the whole text).
    pub body: &'a str,
}

/// Splits `text`; an opening `+++` without a closing one is an error.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = strip_delimiter_line(text) else {
        return Ok(Split { front_matter: None, front_matter_line: 1, body: text });
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body = &rest[offset + line.len()..];
            return Ok(Split {
                front_matter: Some(&rest[..offset]),
                front_matter_line: 2,
                body: body.strip_prefix("\r\n").or_else(|| body.strip_prefix('\n')).unwrap_or(body),
            });
        }
        offset += line.len();
    }
    Err(ImportError::at(path, 1, "front matter opened with `+++` is never closed: add a `+++` line after it"))
}

fn strip_delimiter_line(text: &str) -> Option<&str> {
    let first_end = text.find('\n').map_or(text.len(), |p| p + 1);
    (text[..first_end].trim_end() == "+++").then(|| &text[first_end..])
}

/// Deserializes front matter TOML; errors point at the line in the file.
pub fn parse<T: DeserializeOwned>(split: &Split<'_>, path: &Path) -> Result<T, ImportError> {
    let toml_text = split.front_matter.unwrap_or("");
    toml::from_str(toml_text).map_err(|e| {
        let line = split.front_matter_line - 1 + line_of(toml_text, e.span().map_or(0, |s| s.start));
        ImportError::at(path, line, format!("in front matter: {}", crate::error::plain_words(e.message().trim())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
    }

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("+++\ntitle = \"A\"\n+++\n\nBody\n", Path::new("p.md")).unwrap();
        assert_eq!(s.front_matter, Some("title = \"A\"\n"));
        assert_eq!(s.body, "Body\n");
    }

    #[test]
    fn crlf_and_no_front_matter() {
        let s = split("+++\r\ntitle = \"A\"\r\n+++\r\nBody", Path::new("p.md")).unwrap();
        assert_eq!(s.front_matter, Some("title = \"A\"\r\n"));
        assert_eq!(s.body, "Body");
        let s = split("# Just markdown", Path::new("p.md")).unwrap();
        assert_eq!(s.front_matter, None);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split("+++\ntitle = 1\n", Path::new("p.md")).unwrap_err();
        assert!(err.to_string().starts_with("`p.md` line 1: front matter opened with `+++` is never closed"));
    }

    #[test]
    fn errors_point_at_the_file_line() {
        let text = "+++\ntitle = \"A\"\ncolour = 3\n+++\n";
        let s = split(text, Path::new("p.md")).unwrap();
        let err = parse::<Fm>(&s, Path::new("p.md")).unwrap_err();
        assert!(err.to_string().starts_with("`p.md` line 3: in front matter: unknown field `colour`"), "{err}");
    }
}
