//! Untrusted text as paperpress keeps it: no control characters (they
//! would reach HTML, feeds and the terminal), and one-line fields on one
//! line. Used by every importer and by the files beside `site.toml` that
//! commands write and read back (`topics.lock`).

use std::borrow::Cow;

/// Characters no imported field keeps: control characters (C0, DEL, C1),
/// the Unicode line and paragraph separators, and the bidirectional
/// embeddings, overrides and isolates, with which a title or an author
/// could be shown in an order other than the one it is stored in (U+202E
/// turns the rest of a line around); text in right-to-left scripts is
/// laid out right without them.
fn is_unwanted(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_bidi_control(c)
}

/// The bidirectional embeddings, overrides and isolates (U+202A to U+202E,
/// U+2066 to U+2069): characters that reorder the text around them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text as one line: control characters become spaces (a control byte
/// between two words, or after a URL, still separates them), then runs of
/// white space become one space.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || is_unwanted(c)).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A one-line field without control characters: unchanged when it has
/// none, else [`collapse`]d.
pub fn clean_line(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_unwanted) { Cow::Owned(collapse(text)) } else { Cow::Borrowed(text) }
}

/// A text of paragraphs without control characters: line breaks, tabs,
/// carriage returns and form feeds stay (the Markdown conversion reads
/// them as white space); every other control character becomes a space.
pub fn clean_block(text: &str) -> Cow<'_, str> {
    let keep = |c: char| matches!(c, '\n' | '\t' | '\r' | '\u{c}');
    if !text.chars().any(|c| is_unwanted(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    out.extend(text.chars().map(|c| if is_unwanted(c) && !keep(c) { ' ' } else { c }));
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_fields_keep_their_text() {
        assert!(matches!(clean_line("AstroM$^3$:  two  spaces kept"), Cow::Borrowed(_)));
        assert!(matches!(clean_block("a\n\nb\tc\r\n"), Cow::Borrowed(_)));
        assert_eq!(collapse(" a \u{1} b\n"), "a b");
        assert_eq!(clean_block("a\u{7}b\nc"), "a b\nc");
        assert_eq!(clean_line("Safe \u{202e}fdp.exe\u{202c} title"), "Safe fdp.exe title");
        assert_eq!(clean_block("\u{2067}abc\u{2069} text"), " abc  text");
        assert!(matches!(clean_line("عنوان عربي"), Cow::Borrowed(_)), "right-to-left text stays as it is");
    }
}
