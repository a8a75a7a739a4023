//! TeX text-mode commands outside math, turned into the letters they mean:
//! `Bail\'ing` reads `Bailíng`, `Fr\'echet` reads `Fréchet`, `0.07\%` reads
//! `0.07%`.
//!
//! Accents become Unicode combining marks, then the text is NFC-normalised,
//! so every letter/accent pair Unicode knows becomes one character. Formulas
//! are left alone (see [`crate::math`]); so is `\$`, which must stay escaped
//! so that it never pairs with another dollar. Unknown commands are kept as
//! written: the reader sees the source rather than nothing.

use unicode_normalization::UnicodeNormalization;

use crate::math::{Segment, segments};

/// Converts text-mode TeX outside formulas into Unicode.
pub fn to_unicode(text: &str) -> String {
    if !text.contains('\\') && !text.contains("``") {
        return text.to_string();
    }
    // Text converted (braces and accents not yet composed), or a formula's source.
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut groups = Groups::default();
    for segment in segments(text) {
        match segment {
            Segment::Text(t) => {
                let converted = convert_text(t, &mut groups, pieces.len());
                pieces.push((converted, true));
            }
            Segment::Math { source, .. } => pieces.push((source.to_string(), false)),
        }
    }
    // A command whose argument never closes is shown as written. The open
    // commands are in the order they were written, so each piece is rebuilt
    // once, however many of them it holds.
    let mut open = groups.open.into_iter().peekable();
    for (index, (piece, _)) in pieces.iter_mut().enumerate() {
        if open.peek().is_none_or(|&(_, p, ..)| p != index) {
            continue;
        }
        let mut rebuilt = String::with_capacity(piece.len() + 16);
        let mut from = 0;
        while let Some((_, _, at, name)) = open.next_if(|&(_, p, ..)| p == index) {
            rebuilt.push_str(&piece[from..at]);
            rebuilt.push('\\');
            rebuilt.push_str(name);
            rebuilt.push('{');
            from = at;
        }
        rebuilt.push_str(&piece[from..]);
        *piece = rebuilt;
    }
    let mut out = String::with_capacity(text.len());
    for (piece, is_text) in pieces {
        if is_text {
            // Drop grouping braces left around a converted letter (`{\'e}`), then compose.
            out.extend(strip_letter_groups(&piece).nfc());
        } else {
            out.push_str(&piece);
        }
    }
    out
}

/// Font and link commands whose argument is kept as text (`\textsc{X}`
/// reads `X`), across formulas: the plain braces open at each one's `{`, so
/// that the `}` closing it is dropped too, and where it was written (piece
/// of text and offset), for one never closed. A stack, not a search for the
/// closing brace, so that nested commands stay linear.
#[derive(Default)]
struct Groups {
    depth: usize,
    open: Vec<(usize, usize, usize, &'static str)>,
}

/// The combining mark for a one-symbol accent command (`\'`, `\"`, ...).
fn symbol_accent(c: char) -> Option<char> {
    Some(match c {
        '\'' => '\u{301}',
        '`' => '\u{300}',
        '^' => '\u{302}',
        '"' => '\u{308}',
        '~' => '\u{303}',
        '=' => '\u{304}',
        '.' => '\u{307}',
        _ => return None,
    })
}

/// The combining mark for a one-letter accent command (`\v{c}`, `\c c`, ...).
fn letter_accent(c: char) -> Option<char> {
    Some(match c {
        'u' => '\u{306}',
        'v' => '\u{30C}',
        'H' => '\u{30B}',
        'c' => '\u{327}',
        'k' => '\u{328}',
        'r' => '\u{30A}',
        'd' => '\u{323}',
        'b' => '\u{331}',
        _ => return None,
    })
}

/// Letters written as commands (`\ss`, `\o`, `\aa`, ...).
fn named_letter(name: &str) -> Option<&'static str> {
    Some(match name {
        "ss" => "ß",
        "o" => "ø",
        "O" => "Ø",
        "aa" => "å",
        "AA" => "Å",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "l" => "ł",
        "L" => "Ł",
        "i" => "ı",
        "j" => "ȷ",
        _ => return None,
    })
}

fn convert_text(text: &str, groups: &mut Groups, piece: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    // Whether a `` `` `` opened a quote: `''` closes one only then. A flag,
    // not a search of what was written, so the conversion stays linear.
    let mut quoted = false;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '{' {
            groups.depth += 1;
        } else if chars[i] == '}' {
            if groups.open.last().is_some_and(|&(depth, ..)| depth == groups.depth) {
                groups.open.pop();
                i += 1;
                continue;
            }
            groups.depth = groups.depth.saturating_sub(1);
        }
        if chars[i] == '\\'
            && let Some((name, next)) = argument_command(&chars, i)
        {
            groups.open.push((groups.depth, piece, out.len(), name));
            i = next;
            continue;
        }
        if chars[i] == '`' && chars.get(i + 1) == Some(&'`') {
            out.push('\u{201C}');
            quoted = true;
            i += 2;
            continue;
        }
        if chars[i] == '\'' && chars.get(i + 1) == Some(&'\'') && quoted {
            out.push('\u{201D}');
            i += 2;
            continue;
        }
        if chars[i] != '\\' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        match command(&chars, i) {
            Some((replacement, next)) => {
                out.push_str(&replacement);
                i = next;
            }
            None => {
                out.push('\\');
                i += 1;
            }
        }
    }
    out
}

/// Commands outside math whose argument reads as plain text.
const ARGUMENT_COMMANDS: &[&str] = &[
    "emph",
    "textbf",
    "textit",
    "textmd",
    "textnormal",
    "textrm",
    "textsc",
    "textsf",
    "textsl",
    "texttt",
    "textup",
    "underline",
    "mbox",
    "url",
];

/// A command at the backslash at `i` that keeps its argument, written
/// `\name{`: its name and the index just past the `{`.
fn argument_command(chars: &[char], i: usize) -> Option<(&'static str, usize)> {
    let name_end = (i + 1..chars.len()).find(|&j| !chars[j].is_ascii_alphabetic())?;
    if chars[name_end] != '{' {
        return None;
    }
    let name = &chars[i + 1..name_end];
    let known = ARGUMENT_COMMANDS.iter().find(|c| c.chars().eq(name.iter().copied()))?;
    Some((known, name_end + 1))
}

/// Reads the command starting at the backslash at `i`: its replacement and
/// the index just past it.
fn command(chars: &[char], i: usize) -> Option<(String, usize)> {
    let c = *chars.get(i + 1)?;
    if let Some(mark) = symbol_accent(c) {
        let (base, next) = accent_base(chars, i + 2, false)?;
        return Some((format!("{base}{mark}"), next));
    }
    match c {
        '%' | '&' | '_' | '#' | '{' | '}' => return Some((c.to_string(), i + 2)),
        ',' => return Some(("\u{2009}".into(), i + 2)),
        ' ' => return Some((" ".into(), i + 2)),
        _ => {}
    }
    if !c.is_ascii_alphabetic() {
        return None;
    }
    let name_end = (i + 1..chars.len()).find(|&j| !chars[j].is_ascii_alphabetic()).unwrap_or(chars.len());
    let name: String = chars[i + 1..name_end].iter().collect();
    if let Some(letter) = named_letter(&name) {
        return Some((letter.to_string(), skip_empty_group(chars, skip_one_space(chars, name_end))));
    }
    if name.len() == 1
        && let Some(mark) = letter_accent(c)
    {
        let (base, next) = accent_base(chars, name_end, true)?;
        return Some((format!("{base}{mark}"), next));
    }
    None
}

/// The letter an accent applies to: `e`, `{e}`, `{\i}`, `\i`; letter-named
/// accents also allow one space before a bare letter (`\c c`).
fn accent_base(chars: &[char], mut i: usize, letter_command: bool) -> Option<(String, usize)> {
    if letter_command && chars.get(i) == Some(&' ') {
        i += 1;
    } else if letter_command && chars.get(i) != Some(&'{') {
        return None;
    }
    let braced = chars.get(i) == Some(&'{');
    if braced {
        i += 1;
    }
    let (base, mut next) = if chars.get(i) == Some(&'\\') {
        let letter = match chars.get(i + 1) {
            Some('i') => "ı",
            Some('j') => "ȷ",
            _ => return None,
        };
        (letter.to_string(), i + 2)
    } else {
        let c = *chars.get(i)?;
        if !c.is_alphabetic() {
            return None;
        }
        (c.to_string(), i + 1)
    };
    // Dotless i under an accent is just i with that accent.
    let base = match base.as_str() {
        "ı" => "i".to_string(),
        "ȷ" => "j".to_string(),
        _ => base,
    };
    if braced {
        if chars.get(next) != Some(&'}') {
            return None;
        }
        next += 1;
    }
    Some((base, next))
}

fn skip_one_space(chars: &[char], i: usize) -> usize {
    if chars.get(i) == Some(&' ') && chars.get(i + 1).is_some_and(|c| c.is_alphabetic()) {
        // `\o m` is "øm" in TeX: the space only ends the command name.
        i + 1
    } else {
        i
    }
}

fn skip_empty_group(chars: &[char], i: usize) -> usize {
    if chars.get(i) == Some(&'{') && chars.get(i + 1) == Some(&'}') { i + 2 } else { i }
}

/// Removes braces that group a single (possibly accented) letter: `{é}` -> `é`.
fn strip_letter_groups(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '{' {
            let mut j = i + 1;
            if chars.get(j).is_some_and(|c| c.is_alphabetic()) {
                j += 1;
                while chars.get(j).is_some_and(|c| is_combining(*c)) {
                    j += 1;
                }
                if chars.get(j) == Some(&'}') && j > i + 2 {
                    out.extend(&chars[i + 1..j]);
                    i = j + 1;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::to_unicode;

    #[test]
    fn accents_become_letters() {
        assert_eq!(to_unicode("spelled Bail\\'ing in Pinyin"), "spelled Bailíng in Pinyin");
        assert_eq!(to_unicode("the Fr\\'echet mean"), "the Fréchet mean");
        assert_eq!(to_unicode("G\\\"odel, Schr\\\"{o}dinger"), "Gödel, Schrödinger");
        assert_eq!(to_unicode("{\\'e}t{\\'e}"), "été");
        assert_eq!(to_unicode("Erd\\H{o}s and \\v{C}ech, Fran\\c{c}ois"), "Erdős and Čech, François");
        assert_eq!(to_unicode("na\\\"{\\i}ve"), "naïve");
        assert_eq!(to_unicode("Stra\\ss e, \\o{}re, \\aa"), "Straße, øre, å");
    }

    #[test]
    fn escapes_and_spaces() {
        assert_eq!(to_unicode("merely 0.07\\% away"), "merely 0.07% away");
        assert_eq!(to_unicode("sim 20\\,hours"), "sim 20\u{2009}hours");
        assert_eq!(to_unicode("R\\&D"), "R&D");
    }

    #[test]
    fn math_and_escaped_dollars_are_untouched() {
        assert_eq!(to_unicode("AstroM$^3$ and $\\'e$"), "AstroM$^3$ and $\\'e$");
        assert_eq!(to_unicode("costs \\$5"), "costs \\$5");
    }

    #[test]
    fn unknown_commands_are_kept() {
        assert_eq!(to_unicode("a \\textcolor{b} \\unknown c"), "a \\textcolor{b} \\unknown c");
        assert_eq!(to_unicode("ends with \\"), "ends with \\");
    }

    #[test]
    fn font_and_url_commands_read_as_their_text() {
        assert_eq!(
            to_unicode("a method we term \\textsc{AIEV-Instruct} (Instruction Tuning)"),
            "a method we term AIEV-Instruct (Instruction Tuning)"
        );
        assert_eq!(to_unicode("\\textit{stable perplexity}, pass@\\textit{k}"), "stable perplexity, pass@k");
        assert_eq!(to_unicode("\\emph{\\textbf{Fr\\'echet} {\\'e}t\\'e}"), "Fréchet été");
        assert_eq!(to_unicode("at \\url{https://github.com/a/b}."), "at https://github.com/a/b.");
        // A brace group inside the argument keeps its braces.
        assert_eq!(to_unicode("\\textbf{a {b c} d} e}"), "a {b c} d e}");
        // Math inside is left to the math renderer.
        assert_eq!(to_unicode("\\textbf{x $\\textbf{y}$}"), "x $\\textbf{y}$");
    }

    #[test]
    fn a_command_whose_argument_never_closes_is_kept() {
        assert_eq!(to_unicode("an \\textbf{open {group} here"), "an \\textbf{open {group} here");
        assert_eq!(to_unicode("\\emph{a \\textit{b} c"), "\\emph{a b c");
    }

    #[test]
    fn nested_commands_stay_linear() {
        let deep = "\\textbf{".repeat(100_000) + "x" + &"}".repeat(100_000);
        let start = std::time::Instant::now();
        assert_eq!(to_unicode(&deep), "x");
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        // Never closed, each is written back: 160,000 of them took 1.9 s
        // when each was inserted into the text on its own.
        let open = "\\textbf{".repeat(160_000) + "x $a$ \\emph{y";
        let start = std::time::Instant::now();
        assert_eq!(to_unicode(&open), open);
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn tex_quotes() {
        assert_eq!(to_unicode("``quoted'' text"), "\u{201C}quoted\u{201D} text");
        assert_eq!(to_unicode("it's fine"), "it's fine");
    }
}
