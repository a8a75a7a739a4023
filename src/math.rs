//! TeX math in titles and abstracts: finding `$...$`, `$$...$$`, `\(...\)`
//! and `\[...\]` spans and rendering them to MathML at build time (no
//! JavaScript, no network). Display math comes in its own box, which the
//! theme lets scroll sideways so a wide formula never widens the page.
//!
//! [`segments`] is the one place that decides what is math, so the importer
//! (which escapes every other `$` when it writes Markdown) and the renderer
//! always agree. A `$` that does not open a valid span (`Under $0.1`,
//! `$200k-$300k`) stays a dollar sign. A formula that cannot be converted is
//! shown as its source, never dropped.

use std::sync::LazyLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark_escape::{FmtWriter, escape_html};

/// A piece of text: plain, or a TeX formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Text outside math, exactly as written (a `\$` stays `\$`).
    Text(&'a str),
    /// A formula: its TeX, whether it is display math, and the source with delimiters.
    Math {
        /// The TeX between the delimiters (without the spaces that
        /// `\( x \)` may hold inside).
        tex: &'a str,
        /// `$$...$$` or `\[...\]` rather than `$...$` or `\(...\)`.
        display: bool,
        /// The formula with its delimiters, as written.
        source: &'a str,
    },
}

/// Splits `text` into text and math segments.
///
/// The rules for `$` follow pulldown-cmark's math extension, plus Pandoc's
/// rule that a closing `$` is not followed by a digit: an opening `$` is not
/// followed by a space, a closing `$` is not preceded by a space or a
/// backslash, braces inside are balanced, and `\$` is always a literal
/// dollar. `\(...\)` and `\[...\]` are LaTeX's own delimiters: braces
/// inside are balanced, and they hold no `$` and no blank line.
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    // Most text has neither: jump from one backslash or `$` to the next.
    while let Some(skip) = bytes.get(i..).and_then(|rest| memchr::memchr2(b'\\', b'$', rest)) {
        i += skip;
        let span = if bytes[i] == b'\\' { bracket_span(text, i) } else { math_span(text, i) };
        let Some((end, display)) = span else {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
            continue;
        };
        if text_start < i {
            out.push(Segment::Text(&text[text_start..i]));
        }
        let bracket = bytes[i] == b'\\';
        let delim = if display || bracket { 2 } else { 1 };
        let tex = &text[i + delim..end - delim];
        out.push(Segment::Math { tex: if bracket { tex.trim() } else { tex }, display, source: &text[i..end] });
        i = end;
        text_start = end;
    }
    if text_start < text.len() {
        out.push(Segment::Text(&text[text_start..]));
    }
    out
}

/// If a formula opens at byte `start` (a `$`), returns the byte just past its
/// closing delimiter and whether it is display math.
fn math_span(text: &str, start: usize) -> Option<(usize, bool)> {
    let bytes = text.as_bytes();
    let display = bytes.get(start + 1) == Some(&b'$');
    let open = if display { start + 2 } else { start + 1 };
    let first = *bytes.get(open)?;
    if first.is_ascii_whitespace() || first == b'$' {
        return None;
    }
    let mut depth = 0i32;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                i += 2;
                continue;
            }
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
            }
            b'\n' if bytes.get(i + 1) == Some(&b'\n') => return None,
            b'$' => {
                let tex = &text[open..i];
                if display {
                    let closed = bytes.get(i + 1) == Some(&b'$') && depth == 0;
                    return (closed && !looks_like_prose(tex)).then_some((i + 2, true));
                }
                let before = bytes[i - 1];
                let after = bytes.get(i + 1).copied();
                if depth == 0
                    && !before.is_ascii_whitespace()
                    && !after.is_some_and(|b| b.is_ascii_digit())
                    && !looks_like_prose(tex)
                {
                    return Some((i + 1, false));
                }
                return None;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// If `\(` or `\[` opens a formula at byte `start` (a backslash), returns
/// the byte just past its `\)` or `\]` and whether it is display math.
fn bracket_span(text: &str, start: usize) -> Option<(usize, bool)> {
    let bytes = text.as_bytes();
    let (display, close) = match bytes.get(start + 1)? {
        b'(' => (false, b')'),
        b'[' => (true, b']'),
        _ => return None,
    };
    let mut depth = 0i32;
    let mut i = start + 2;
    while i < bytes.len() && i - start <= MAX_FORMULA {
        match bytes[i] {
            b'\\' if bytes.get(i + 1) == Some(&close) => {
                let tex = text[start + 2..i].trim();
                // Empty, unbalanced or ending in a backslash: not a formula
                // that `$...$` could carry into Markdown.
                let ok = depth == 0 && !tex.is_empty() && !tex.ends_with('\\');
                return ok.then_some((i + 2, display));
            }
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' if depth == 0 => return None,
            b'}' => depth -= 1,
            b'$' => return None,
            b'\n' if bytes.get(i + 1) == Some(&b'\n') => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The longest formula, in bytes: anything longer is text between two
/// unrelated delimiters.
const MAX_FORMULA: usize = 400;

/// Formulas are short and symbolic. A span that reads like a sentence is
/// text between two unrelated dollar signs (`$300k. We show ... AstroM$`).
fn looks_like_prose(tex: &str) -> bool {
    let words = tex
        .split_whitespace()
        .filter(|w| {
            let w = w.trim_end_matches([',', '.', ';', ':']);
            w.len() >= 3 && w.chars().all(|c| c.is_ascii_alphabetic())
        })
        .count();
    words >= 4 || tex.len() > MAX_FORMULA
}

static CONVERTER: LazyLock<LatexToMathML> = LazyLock::new(|| {
    LatexToMathML::new(MathCoreConfig::default()).expect("the default math-core configuration has no macros to fail on")
});

/// Renders one formula to MathML, or `None` when the TeX cannot be converted.
/// Sizes are clamped ([`clamp_sizes`]).
pub fn to_mathml(tex: &str, display: bool) -> Option<String> {
    let mode = if display { MathDisplay::Block } else { MathDisplay::Inline };
    CONVERTER.convert_with_local_state(tex, mode).ok().map(|r| clamp_sizes(r.mathml))
}

/// The largest space or size a formula may ask for, in em: `\hspace`,
/// `\kern`, `\mkern`, `\hskip` and the like take any length, and
/// `\hspace{1000000em}` would make a page millions of pixels wide (or,
/// negative, pull a formula over the text before it).
pub const MAX_SIZE_EM: f64 = 20.0;

/// A length in a MathML attribute: a number and a TeX or CSS unit.
static LENGTH: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(-?)(\d*\.?\d+)(em|rem|ex|mu|pt|bp|dd|pc|cc|px|mm|cm|in|sp)\b")
        .expect("the length pattern is valid")
});

/// Tags of MathML (text between them is escaped, so holds no `<` or `>`).
static TAG: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"<[^<>]*>").expect("the tag pattern is valid"));

/// `mathml` with every length in its attributes (`width`, `lspace`,
/// `minsize`, `style`...) clamped to [`MAX_SIZE_EM`] either way. Text is
/// left alone: only tags are looked at.
pub fn clamp_sizes(mathml: String) -> String {
    let too_big = |c: &regex::Captures| c[2].parse::<f64>().map_or(true, |v| v * em_per(&c[3]) > MAX_SIZE_EM);
    let tags_with_big_lengths =
        TAG.find_iter(&mathml).any(|tag| LENGTH.captures_iter(tag.as_str()).any(|c| too_big(&c)));
    if !tags_with_big_lengths {
        return mathml;
    }
    TAG.replace_all(&mathml, |tag: &regex::Captures| {
        LENGTH
            .replace_all(
                &tag[0],
                |c: &regex::Captures| {
                    if too_big(c) { format!("{}{MAX_SIZE_EM}em", &c[1]) } else { c[0].to_string() }
                },
            )
            .into_owned()
    })
    .into_owned()
}

/// How many em one `unit` is, taking 1em as 10pt (TeX's default size).
fn em_per(unit: &str) -> f64 {
    match unit {
        "em" | "rem" => 1.0,
        "ex" => 0.5,
        "mu" => 1.0 / 18.0,
        "pt" | "bp" => 0.1,
        "dd" => 0.107,
        "pc" => 1.2,
        "cc" => 1.28,
        "px" => 1.0 / 16.0,
        "mm" => 0.2845,
        "cm" => 2.845,
        "in" => 7.227,
        _ => 1.0 / 655_360.0,
    }
}

/// HTML for a formula: MathML, or the escaped source in a marked span when
/// it cannot be converted. Display math comes in a `math-display` box, which
/// the theme lets scroll sideways on a narrow screen.
pub fn formula_html(tex: &str, display: bool, source: &str, out: &mut String) {
    match to_mathml(tex, display) {
        Some(mathml) if display => {
            out.push_str("<span class=\"math-display\">");
            out.push_str(&mathml);
            out.push_str("</span>");
        }
        Some(mathml) => out.push_str(&mathml),
        None => {
            out.push_str("<span class=\"tex-source\">");
            escape_into(out, source);
            out.push_str("</span>");
        }
    }
}

/// `text` up to its last space before character `max_chars`, never inside
/// a formula; whether anything was cut.
pub fn cut_at_space(text: &str, max_chars: usize) -> (&str, bool) {
    let Some((mut end, _)) = text.char_indices().nth(max_chars) else { return (text, false) };
    // Do not cut inside a formula: move the cut before it.
    for segment in segments(text) {
        if let Segment::Math { source, .. } = segment {
            let start = source.as_ptr() as usize - text.as_ptr() as usize;
            if start < end && end < start + source.len() {
                end = start;
            }
        }
    }
    (text[..end].rfind(' ').map_or(&text[..end], |p| &text[..p]), true)
}

/// A title (text with formulas) as HTML: text escaped, `\$` shown as `$`,
/// formulas as MathML, and scripts written without `$` (`GS^3`) as `sup`
/// and `sub` elements.
pub fn inline_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for segment in segments(text) {
        match segment {
            Segment::Text(t) => bare_scripts(&t.replace("\\$", "$"), |piece| match piece {
                Piece::Plain(p) => escape_into(&mut out, p),
                Piece::Script { sup, content, .. } => {
                    let (open, close) = if sup { ("<sup>", "</sup>") } else { ("<sub>", "</sub>") };
                    out.push_str(open);
                    escape_into(&mut out, content);
                    out.push_str(close);
                }
            }),
            Segment::Math { tex, display, source } => formula_html(tex, display, source, &mut out),
        }
    }
    out
}

/// A piece of text outside formulas: as written, or a script written
/// without `$` (see [`bare_script`]).
enum Piece<'a> {
    Plain(&'a str),
    Script { sup: bool, content: &'a str, source: &'a str },
}

/// Hands `each` the plain pieces of `text` and the scripts written
/// without `$`, in order.
fn bare_scripts<'a>(text: &'a str, mut each: impl FnMut(Piece<'a>)) {
    let mut from = 0;
    for (at, _) in text.match_indices(['^', '_']) {
        if at < from {
            continue;
        }
        if let Some((sup, content, end)) = bare_script(text, at) {
            each(Piece::Plain(&text[from..at]));
            each(Piece::Script { sup, content, source: &text[at..end] });
            from = end;
        }
    }
    each(Piece::Plain(&text[from..]));
}

/// A script written without `$`, as titles on Daily Papers write them
/// (`GS^3`, `X^{2}-Gaussian`, `L_2 Norm`, `FaSTA^*`): `^` or `_` right
/// after a letter, a digit or `)`, then digits (or, after `^`, a `*`), or
/// a braced group of up to eight letters and digits. `snake_case` and
/// `a^b` stay as written. Returns whether it is a superscript, what it
/// holds, and the byte just past it.
fn bare_script(text: &str, at: usize) -> Option<(bool, &str, usize)> {
    let bytes = text.as_bytes();
    let sup = match bytes[at] {
        b'^' => true,
        b'_' => false,
        _ => return None,
    };
    let before = bytes[at.checked_sub(1)?];
    if !(before.is_ascii_alphanumeric() || before == b')') {
        return None;
    }
    let start = at + 1;
    match *bytes.get(start)? {
        b'{' => {
            let len = bytes[start + 1..].iter().take(9).position(|&b| b == b'}')?;
            let content = &text[start + 1..start + 1 + len];
            (!content.is_empty() && content.bytes().all(|b| b.is_ascii_alphanumeric())).then_some((
                sup,
                content,
                start + 2 + len,
            ))
        }
        b'*' if sup => Some((true, &text[start..start + 1], start + 1)),
        b if b.is_ascii_digit() => {
            let len = bytes[start..].iter().take_while(|b| b.is_ascii_digit()).count();
            Some((sup, &text[start..start + len], start + len))
        }
        _ => None,
    }
}

/// A script's content in Unicode superscript or subscript digits (`²`,
/// `₂`), `*` as itself; `None` when some character has no such form.
fn script_chars(sup: bool, content: &str) -> Option<String> {
    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    const SUB: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
    content
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => Some(if sup { SUP[d as usize] } else { SUB[d as usize] }),
            None => (c == '*' && sup).then_some('*'),
        })
        .collect()
}

/// A title as plain text for readers, where markup cannot go (`<title>`,
/// feeds, search results): formulas become the characters they show
/// (`AstroM³`, `ϵ-Forgetting`), or their TeX when they cannot be converted.
pub fn plain_text(text: &str) -> String {
    segments(text)
        .into_iter()
        .map(|s| match s {
            Segment::Text(t) => {
                let mut out = String::with_capacity(t.len());
                bare_scripts(&t.replace("\\$", "$"), |piece| match piece {
                    Piece::Plain(p) => out.push_str(p),
                    Piece::Script { sup, content, source } => match script_chars(sup, content) {
                        Some(chars) => out.push_str(&chars),
                        None => out.push_str(source),
                    },
                });
                out
            }
            Segment::Math { tex, display, .. } => {
                to_mathml(tex, display).map_or_else(|| tex.to_string(), |m| mathml_text(&m))
            }
        })
        .collect()
}

/// A title as plain text with formulas as their TeX without delimiters
/// (`AstroM^3`): stable input for slugs and word matching.
pub fn source_text(text: &str) -> String {
    segments(text)
        .into_iter()
        .map(|s| match s {
            Segment::Text(t) => t.replace("\\$", "$"),
            Segment::Math { tex, .. } => tex.to_string(),
        })
        .collect()
}

/// A MathML element and its children, as far as text needs them.
enum Node {
    Text(String),
    Element(String, Vec<Node>),
}

/// The text a MathML formula shows: scripts as Unicode superscripts and
/// subscripts where they exist (`x²`, `pDC₅₀`), else `^`/`_` notation.
fn mathml_text(mathml: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(mathml);
    let mut stack: Vec<(String, Vec<Node>)> = vec![(String::new(), Vec::new())];
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) => {
                stack.push((e.local_name().as_ref().to_string(), Vec::new()));
            }
            Ok(quick_xml::events::Event::End(_)) if stack.len() > 1 => {
                let (name, children) = stack.pop().expect("stack holds more than the root");
                stack.last_mut().expect("the root stays").1.push(Node::Element(name, children));
            }
            Ok(quick_xml::events::Event::Text(t)) => {
                stack.last_mut().expect("the root stays").1.push(Node::Text(t.xml10_content().into_owned()));
            }
            Ok(quick_xml::events::Event::GeneralRef(r)) => {
                let text = match &*r {
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "amp" => "&".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    other => other
                        .strip_prefix("#x")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .or_else(|| other.strip_prefix('#').and_then(|d| d.parse().ok()))
                        .and_then(char::from_u32)
                        .map(String::from)
                        .unwrap_or_default(),
                };
                stack.last_mut().expect("the root stays").1.push(Node::Text(text));
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let root = stack.into_iter().next().map(|(_, c)| c).unwrap_or_default();
    let text: String = root.iter().map(node_text).collect();
    // Spaces around named operators: one between words, none at the ends or inside brackets.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.replace("( ", "(").replace(" )", ")").replace(" (", "(")
}

fn node_text(node: &Node) -> String {
    match node {
        Node::Text(t) => t.clone(),
        Node::Element(name, children) => {
            let part = |i: usize| children.get(i).map(node_text).unwrap_or_default();
            match name.as_str() {
                "msup" => part(0) + &script(&part(1), SUPERSCRIPTS, '^'),
                "msub" => part(0) + &script(&part(1), SUBSCRIPTS, '_'),
                "msubsup" | "munderover" => {
                    part(0) + &script(&part(1), SUBSCRIPTS, '_') + &script(&part(2), SUPERSCRIPTS, '^')
                }
                "munder" => part(0).trim_end().to_string() + &script(&part(1), SUBSCRIPTS, '_') + " ",
                "mfrac" => format!("{}/{}", group(&part(0)), group(&part(1))),
                "msqrt" => format!("√{}", group(&children.iter().map(node_text).collect::<String>())),
                "annotation" => String::new(),
                // A named operator (`\log`, `\max`) reads as a word.
                "mo" | "mi" => {
                    let text: String = children.iter().map(node_text).collect();
                    if text.chars().count() > 1 && text.chars().all(char::is_alphabetic) {
                        format!(" {text} ")
                    } else {
                        text
                    }
                }
                _ => children.iter().map(node_text).collect(),
            }
        }
    }
}

const SUPERSCRIPTS: &[(char, char)] = &[
    ('0', '⁰'),
    ('1', '¹'),
    ('2', '²'),
    ('3', '³'),
    ('4', '⁴'),
    ('5', '⁵'),
    ('6', '⁶'),
    ('7', '⁷'),
    ('8', '⁸'),
    ('9', '⁹'),
    ('+', '⁺'),
    ('-', '⁻'),
    ('−', '⁻'),
    ('=', '⁼'),
    ('(', '⁽'),
    (')', '⁾'),
    ('n', 'ⁿ'),
    ('i', 'ⁱ'),
];
const SUBSCRIPTS: &[(char, char)] = &[
    ('0', '₀'),
    ('1', '₁'),
    ('2', '₂'),
    ('3', '₃'),
    ('4', '₄'),
    ('5', '₅'),
    ('6', '₆'),
    ('7', '₇'),
    ('8', '₈'),
    ('9', '₉'),
    ('+', '₊'),
    ('-', '₋'),
    ('−', '₋'),
    ('=', '₌'),
    ('(', '₍'),
    (')', '₎'),
];

fn script(text: &str, table: &[(char, char)], mark: char) -> String {
    let mapped: Option<String> = text.chars().map(|c| table.iter().find(|(k, _)| *k == c).map(|(_, v)| *v)).collect();
    match mapped {
        Some(m) if !m.is_empty() => m,
        _ => format!("{mark}{}", group(text)),
    }
}

fn group(text: &str) -> String {
    if text.chars().count() <= 1 { text.to_string() } else { format!("({text})") }
}

fn escape_into(out: &mut String, text: &str) {
    escape_html(FmtWriter(&mut *out), text).expect("writing to a String cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn math_sources(text: &str) -> Vec<&str> {
        segments(text)
            .into_iter()
            .filter_map(|s| match s {
                Segment::Math { source, .. } => Some(source),
                Segment::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn finds_inline_formulas() {
        assert_eq!(math_sources("AstroM$^3$: a model"), ["$^3$"]);
        assert_eq!(math_sources("the $pDC_{50}$ and $x$."), ["$pDC_{50}$", "$x$"]);
        assert_eq!(math_sources("display $$a+b$$ here"), ["$$a+b$$"]);
        assert_eq!(math_sources("from $200k-$300k. We then show that this is not math, but AstroM$^3$ is"), ["$^3$"]);
        assert_eq!(math_sources("$\\text{for all } x \\in X$"), ["$\\text{for all } x \\in X$"]);
    }

    #[test]
    fn latex_delimiters_are_math() {
        assert_eq!(math_sources("their \\( O(n^3) \\) time"), ["\\( O(n^3) \\)"]);
        assert_eq!(math_sources("a sum \\[\\sum_i x_i\\] here"), ["\\[\\sum_i x_i\\]"]);
        let segs = segments("the \\( L_{1,2} \\) norm");
        assert_eq!(segs[1], Segment::Math { tex: "L_{1,2}", display: false, source: "\\( L_{1,2} \\)" });
        assert!(matches!(segments("\\[x\\]")[0], Segment::Math { display: true, .. }));
        assert_eq!(plain_text("in \\( O(n^2) \\) time"), "in O(n²) time");
        assert_eq!(plain_text("in \\( O(n \\log n) \\) time"), "in O(n log n) time");
        assert_eq!(plain_text("$\\log(x)$ and $\\max_j v_j$"), "log(x) and max_j v_j");
        for text in ["\\(x", "\\( \\)", "\\(a}{\\)", "\\(a\n\nb\\)", "\\(a \\\\)", "\\\\(x\\)"] {
            assert_eq!(math_sources(text), Vec::<&str>::new(), "{text}");
        }
        assert_eq!(math_sources("\\(a $b$ c\\)"), ["$b$"], "a dollar inside ends the bracket span");
        let long = format!("\\({}\\)", "x".repeat(MAX_FORMULA + 1));
        assert_eq!(math_sources(&long), Vec::<&str>::new());
    }

    #[test]
    fn display_math_comes_in_its_own_box() {
        let html = inline_html("wide $$x = 1$$ and \\[y\\]");
        assert_eq!(html.matches("<span class=\"math-display\"><math display=\"block\">").count(), 2, "{html}");
        assert!(!inline_html("$x$").contains("math-display"));
    }

    #[test]
    fn dollars_that_are_not_math_stay_text() {
        for text in [
            "Under $0.1 per query",
            "from $200k-$300k a year",
            "costs $5 and $6",
            "a lone $ sign",
            "escaped \\$x\\$ dollars",
            "$ y=x$ and $y=x $",
            "unbalanced $}{$",
        ] {
            assert_eq!(math_sources(text), Vec::<&str>::new(), "{text}");
            assert_eq!(segments(text), vec![Segment::Text(text)]);
        }
    }

    #[test]
    fn title_html_renders_mathml_and_escapes_text() {
        let html = inline_html("AstroM$^3$ <b>bold</b> & co");
        assert!(html.starts_with("AstroM<math"), "{html}");
        assert!(html.contains("<mn>3</mn>"), "{html}");
        assert!(html.ends_with(" &lt;b&gt;bold&lt;/b&gt; &amp; co"), "{html}");
    }

    #[test]
    fn scripts_written_without_dollars_are_set_as_scripts() {
        let title = "GS^3 and X^{2}-Gaussian: L_2 Norm, FaSTA^*, SL^{2}A, V_{AI}; snake_case, a^b, ^2, x^{a b}";
        assert_eq!(
            inline_html(title),
            "GS<sup>3</sup> and X<sup>2</sup>-Gaussian: L<sub>2</sub> Norm, FaSTA<sup>*</sup>, SL<sup>2</sup>A, \
             V<sub>AI</sub>; snake_case, a^b, ^2, x^{a b}"
        );
        assert_eq!(
            plain_text(title),
            "GS³ and X²-Gaussian: L₂ Norm, FaSTA*, SL²A, V_{AI}; snake_case, a^b, ^2, x^{a b}"
        );
        assert_eq!(plain_text("Video-Ma^2mba in $x^2$"), "Video-Ma²mba in x²");
        assert_eq!(source_text("GS^3"), "GS^3", "words and slugs read the source");
    }

    #[test]
    fn unconvertible_formula_shows_its_source() {
        let html = inline_html("bad $\\frac{1}$ formula");
        assert!(html.contains("<span class=\"tex-source\">$\\frac{1}$</span>"), "{html}");
    }

    #[test]
    fn escaped_dollar_reads_as_dollar() {
        assert_eq!(inline_html("only \\$5"), "only $5");
        assert_eq!(source_text("AstroM$^3$: \\$5"), "AstroM^3: $5");
    }

    #[test]
    fn issue_12_sizes_in_formulas_are_clamped() {
        for tex in [
            "\\hspace{1000000em}",
            "\\hspace{-1000000em}",
            "\\kern1000000em",
            "\\mkern1000000mu",
            "\\mspace{1000000mu}",
            "\\hskip 1000000pt",
            "\\hspace{100000cm}",
            "\\hspace{1000000ex}",
            "\\mathbin{\\hspace{99999em}}",
        ] {
            let mathml = to_mathml(tex, false).unwrap();
            for c in LENGTH.captures_iter(&mathml) {
                let em = c[2].parse::<f64>().unwrap() * em_per(&c[3]);
                assert!(em <= MAX_SIZE_EM, "{tex}: {mathml}");
            }
            assert!(mathml.contains("20em"), "{tex}: {mathml}");
        }
        let small = to_mathml("a\\,b\\quad c\\hspace{.5em}d", false).unwrap();
        assert!(small.contains("width=\"0.16666667em\"") && small.contains("width=\"1em\""), "{small}");
        let text = to_mathml("\\text{1000000em}", false).unwrap();
        assert!(text.contains("1000000em"), "text is not a size: {text}");
    }

    #[test]
    fn plain_text_shows_what_the_formula_shows() {
        assert_eq!(plain_text("AstroM$^3$: a model"), "AstroM³: a model");
        assert_eq!(plain_text("A Survey of $\\epsilon$-Forgetting"), "A Survey of ϵ-Forgetting");
        assert_eq!(plain_text("the $pDC_{50}$ value"), "the pDC₅₀ value");
        assert_eq!(plain_text("$x^{ab}$ and $\\frac{1}{2}$"), "x^(ab) and 1/2");
        assert_eq!(plain_text("bad $\\frac{1}$"), "bad \\frac{1}");
    }
}
