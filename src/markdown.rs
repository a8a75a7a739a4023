//! Markdown: page bodies to HTML (pulldown-cmark, with formulas as MathML and
//! code blocks highlighted by syntect as CSS classes), bodies to plain text,
//! and imported plain text to Markdown that renders back to exactly that text.

use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::links;
use crate::math::{self, Segment};

/// CSS class prefix of highlighted code, so theme styles cannot collide.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Who wrote the Markdown, which decides whether raw HTML passes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// Hand-written pages of the site owner: raw HTML is kept.
    Owner,
    /// Paper bodies, which start from imported text: raw HTML is shown as text.
    Imported,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_MATH
        | Options::ENABLE_TASKLISTS
}

/// Renders Markdown to HTML. In [`Trust::Imported`] text, raw HTML shows
/// as text, and a link or image whose target is not a web link, a
/// `mailto:` address or a relative link ([`links::is_safe_link_target`])
/// shows only its text: no `javascript:` link, whatever the Markdown.
pub fn to_html(markdown: &str, trust: Trust) -> String {
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    // For each open link or image: whether its tags were kept.
    let mut open: Vec<bool> = Vec::new();
    for event in Parser::new_ext(markdown, options()) {
        if let Some((lang, text)) = &mut code {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    events.push(Event::Html(highlight(lang, text).into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::InlineMath(tex) => events.push(Event::InlineHtml(formula(&tex, false).into())),
            Event::DisplayMath(tex) => events.push(Event::Html(formula(&tex, true).into())),
            Event::Html(raw) | Event::InlineHtml(raw) if trust == Trust::Imported => events.push(Event::Text(raw)),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if trust == Trust::Imported && !links::is_safe_link_target(&dest_url) =>
            {
                open.push(false);
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                open.push(true);
                events.push(Event::Start(Tag::Link { link_type, dest_url: md_link_to_html(dest_url), title, id }))
            }
            Event::Start(image @ Tag::Image { .. }) => {
                open.push(true);
                events.push(Event::Start(image));
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                if open.pop().unwrap_or(true) {
                    events.push(Event::End(end));
                }
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

fn formula(tex: &str, display: bool) -> String {
    let mut out = String::new();
    let source = if display { format!("$${tex}$$") } else { format!("${tex}$") };
    math::formula_html(tex, display, &source, &mut out);
    out
}

/// A relative link to another Markdown page (`about.md`) points at the page
/// it becomes (`about.html`).
fn md_link_to_html(dest: CowStr<'_>) -> CowStr<'_> {
    let is_relative = !dest.contains("://") && !dest.starts_with('/') && !dest.starts_with('#');
    let (path, fragment) = dest.split_once('#').map_or((&*dest, None), |(p, f)| (p, Some(f)));
    match path.strip_suffix(".md") {
        Some(stem) if is_relative => {
            let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
            format!("{stem}.html{fragment}").into()
        }
        _ => dest,
    }
}

fn highlight(lang: &str, code: &str) -> String {
    let syntax = (!lang.is_empty())
        .then(|| SYNTAXES.find_syntax_by_token(lang))
        .flatten()
        .unwrap_or_else(|| SYNTAXES.find_syntax_plain_text());
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator.parse_html_for_line_which_includes_newline(line).is_err() {
            // A grammar that fails on this input: show the code unhighlighted.
            let mut plain = String::from("<pre class=\"code\"><code>");
            pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(&mut plain), code)
                .expect("writing to a String cannot fail");
            plain.push_str("</code></pre>\n");
            return plain;
        }
    }
    let lang_class = if lang.is_empty() { String::new() } else { format!(" data-lang=\"{}\"", escape_attr(lang)) };
    format!("<pre class=\"code\"{lang_class}><code>{}</code></pre>\n", generator.finalize())
}

fn escape_attr(text: &str) -> String {
    let mut out = String::new();
    pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(&mut out), text)
        .expect("writing to a String cannot fail");
    out
}

/// The stylesheets for highlighted code: `(light, dark)`.
pub fn highlight_css() -> (String, String) {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str| {
        css_for_theme_with_class_style(&themes.themes[name], CLASS_STYLE)
            .expect("the bundled syntect themes convert to CSS")
    };
    (css("InspiredGitHub"), css("base16-ocean.dark"))
}

/// The text a reader sees, without markup: for excerpts, search and topics.
/// Formulas keep their TeX without delimiters.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => out.push_str(&t),
            Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock)
                if !out.ends_with(' ') && !out.is_empty() =>
            {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// Markdown for imported plain text: every character that Markdown would
/// read as markup is escaped, URLs become autolinks, formulas stay formulas
/// and any other `$` is escaped. Paragraphs (blank-line separated) are kept;
/// other runs of whitespace become one space.
pub fn from_plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut paragraph = String::with_capacity(text.len());
    for raw in text.split("\n\n") {
        paragraph.clear();
        for word in raw.split_ascii_whitespace() {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(word);
        }
        if paragraph.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        escape_paragraph(&paragraph, &mut out);
    }
    out
}

fn escape_paragraph(paragraph: &str, out: &mut String) {
    let start = out.len();
    for segment in math::segments(paragraph) {
        match segment {
            // Markdown reads `\(` as an escaped bracket: LaTeX's own
            // delimiters are written as dollars, which it reads as math.
            Segment::Math { source, tex, display } if source.starts_with('\\') => {
                let delim = if display { "$$" } else { "$" };
                out.extend([delim, tex, delim]);
            }
            Segment::Math { source, .. } => out.push_str(source),
            Segment::Text(text) => {
                let mut last = 0;
                for (range, url) in links::find_urls(text) {
                    escape_text(&text[last..range.start], out);
                    out.push('<');
                    out.push_str(url);
                    out.push('>');
                    last = range.end;
                }
                escape_text(&text[last..], out);
            }
        }
    }
    if let Some(at) = block_marker(&out[start..]) {
        out.insert(start + at, '\\');
    }
}

fn escape_text(text: &str, out: &mut String) {
    // Every character that needs a backslash is ASCII, so the text is
    // scanned as bytes and copied in runs between them.
    let bytes = text.as_bytes();
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = match b {
            // `\$` is already an escaped dollar; any other backslash is literal.
            b'\\' => bytes.get(i + 1) != Some(&b'$'),
            b'$' => !(if i == 0 { out.ends_with('\\') } else { bytes[i - 1] == b'\\' }),
            b'*' | b'`' | b'[' | b']' | b'<' | b'~' => true,
            // An underscore inside a word cannot start emphasis.
            b'_' => {
                let prev = if i == 0 { out.chars().next_back() } else { text[..i].chars().next_back() };
                let next = text[i + 1..].chars().next();
                !(prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric))
            }
            b'&' => starts_entity(&bytes[i + 1..]),
            _ => false,
        };
        if escape {
            out.push_str(&text[copied..i]);
            out.push('\\');
            copied = i;
        }
    }
    out.push_str(&text[copied..]);
}

fn starts_entity(rest: &[u8]) -> bool {
    let name = rest.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'#').count();
    name > 0 && rest.get(name) == Some(&b';')
}

/// Where a backslash keeps the paragraph from being read as a heading,
/// quote, list or rule: before its first character, or after the digits of
/// `1.`; `None` when it reads as text already.
fn block_marker(paragraph: &str) -> Option<usize> {
    match paragraph.chars().next()? {
        '#' | '>' | '+' | '-' | '=' | '|' => Some(0),
        c if c.is_ascii_digit() => {
            let after_digits = paragraph.trim_start_matches(|c: char| c.is_ascii_digit());
            let list = after_digits.starts_with(". ")
                || after_digits.starts_with(") ")
                || after_digits == "."
                || after_digits == ")";
            list.then(|| paragraph.len() - after_digits.len())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imported_text_round_trips_through_markdown() {
        let cases = [
            "Plain abstract.",
            "<script>alert('x')</script> and <b>bold</b>",
            "Stars *a* and **b**, _under_ snake_case pDC_{50} and `code`",
            "[link](http://x) ![img](y) ~~strike~~ | pipe |",
            "# not a heading",
            "- not a list",
            "1. not a list either",
            "> not a quote",
            "Entities &amp; &#39; & plain ampersand",
            "Under $0.1 and $5-$6, escaped \\$7, math $x^2$ kept",
            "back\\slash \\textbf{x} and trailing \\",
            "Code at https://github.com/a/b. And http://pretrain.nlpedia.ai/ too",
            "their \\( O(n^3) \\) time and \\[ \\sum_i x_i \\], not \\(x or \\[ y",
            "\\(x\\)5 and a\\(y\\)b.",
        ];
        for text in cases {
            let markdown = from_plain_text(text);
            let plain = to_plain_text(&markdown);
            let expected = math::source_text(text);
            assert_eq!(plain, expected, "markdown was: {markdown}");
        }
    }

    #[test]
    fn imported_html_is_shown_as_text() {
        let html = to_html("<script>alert(1)</script> hi <img src=x onerror=y>", Trust::Imported);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        let owner = to_html("<span>ok</span>", Trust::Owner);
        assert!(owner.contains("<span>ok</span>"));
    }

    #[test]
    fn issue_12_imported_markdown_links_only_to_the_web() {
        let hostile = "[a](javascript:alert(1)) <javascript:alert(2)> [b](JaVaScRiPt:x) [c](&#106;avascript:y) \
                       ![d](data:text/html,x) [e](vbscript:z) [f](https://github.com@evil.example/) \
                       [g](https://x.org/\u{202e}fdp.exe) [h](//evil.example/) <https://ok.example/a>";
        let html = to_html(hostile, Trust::Imported);
        let doc_links: Vec<&str> = html.match_indices("href=\"").map(|(i, _)| &html[i + 6..]).collect();
        assert_eq!(doc_links.len(), 1, "{html}");
        assert!(doc_links[0].starts_with("https://ok.example/a\""), "{html}");
        assert!(!html.contains("<img"), "{html}");
        for text in ["a", "b", "c", "d", "e", "f", "g", "h"] {
            assert!(html.contains(text), "the text of a refused link stays: {html}");
        }
        let fine = to_html("[mail](mailto:a@b.org) [rel](../about.html) [web](http://x.org/a:b)", Trust::Imported);
        assert_eq!(fine.matches("href=").count(), 3, "{fine}");
        let owner = to_html("[js](javascript:void(0))", Trust::Owner);
        assert!(owner.contains("href=\"javascript:void(0)\""), "the owner's own pages are theirs: {owner}");
    }

    #[test]
    fn issue_12_a_control_byte_after_a_url_makes_no_live_link() {
        let summary = "Code: https://x.example/\u{1}[PDF](javascript:alert(document.domain)) thanks.";
        let html = to_html(&from_plain_text(summary), Trust::Imported);
        assert!(!html.contains("javascript:alert(document.domain)\""), "{html}");
        assert_eq!(html.matches("<a ").count(), 1, "{html}");
        assert!(html.contains("<a href=\"https://x.example/\">"), "{html}");
    }

    #[test]
    fn urls_become_links_and_math_becomes_mathml() {
        let html = to_html(&from_plain_text("See https://github.com/a/b. Value $x^2$ here."), Trust::Imported);
        assert!(html.contains("<a href=\"https://github.com/a/b\">https://github.com/a/b</a>."), "{html}");
        assert!(html.contains("<math"), "{html}");
        let html = to_html(&from_plain_text("Cost \\( O(n^3) \\) and \\[ x^2 \\] too."), Trust::Imported);
        assert!(html.contains("Cost <math><mi>O</mi>"), "{html}");
        assert!(html.contains("<span class=\"math-display\"><math display=\"block\">"), "{html}");
        assert!(!html.contains("\\("), "{html}");
    }

    #[test]
    fn code_blocks_are_highlighted_with_classes() {
        let html = to_html("```rust\nfn main() {}\n```\n", Trust::Owner);
        assert!(
            html.starts_with("<pre class=\"code\" data-lang=\"rust\"><code><span class=\"hl-source hl-rust\">"),
            "{html}"
        );
        let (light, dark) = highlight_css();
        assert!(light.contains(".hl-") && dark.contains(".hl-"));
        assert_ne!(light, dark);
    }

    #[test]
    fn links_to_markdown_pages_point_at_html() {
        let html = to_html("[about](about.md#team) [ext](https://x.org/a.md)", Trust::Owner);
        assert!(html.contains("href=\"about.html#team\""), "{html}");
        assert!(html.contains("href=\"https://x.org/a.md\""), "{html}");
    }
}
