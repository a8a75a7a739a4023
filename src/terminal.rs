//! Text for the terminal. Messages quote ids, titles, URLs and file names
//! from inputs, which may hold escape sequences (`ESC [2J` clears the
//! screen, `ESC ]0;` retitles the window) or bidi overrides that reorder
//! what a reader sees. Everything paperpress prints goes through
//! [`escape`], which shows such characters as `\u{1b}` instead.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character but the line break, and every bidi
/// or other invisible formatting character, written as `\u{…}`.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_escape(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`escape`], and line breaks too: for a value that must stay on one line.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') {
        return escape(text);
    }
    Cow::Owned(text.split('\n').map(|part| escape(part).into_owned()).collect::<Vec<_>>().join("\\u{a}"))
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n') || crate::links::is_format(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_12_escape_sequences_are_shown_not_run() {
        assert_eq!(escape("repo \u{1b}[2J\u{1b}]0;pwned\u{7}"), "repo \\u{1b}[2J\\u{1b}]0;pwned\\u{7}");
        assert_eq!(escape("a\u{202e}txt.exe"), "a\\u{202e}txt.exe");
        assert_eq!(escape("two\nlines\tand tab"), "two\nlines\\u{9}and tab");
        assert_eq!(escape_line("one\nline"), "one\\u{a}line");
        assert!(matches!(escape("Bailíng: AstroM³"), Cow::Borrowed(_)));
    }
}
