//! What the command prints: diagnostics with a coloured label on a
//! terminal (plain in pipes, CI logs and with `NO_COLOR`, through
//! `anstream`), summary lines, and paths quoted for a shell.

use std::path::Path;

use anstyle::{AnsiColor, Style};
use paperpress::diagnostics::{Diagnostics, Severity};

/// Prints a line on stdout, with what inputs put in it escaped (no escape
/// sequence reaches the terminal); a closed pipe (`paperpress topics | head`)
/// ends the output quietly instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let line = format!($($arg)*);
        if writeln!(anstream::stdout(), "{}", paperpress::terminal::escape(&line)).is_err() {
            std::process::exit(0);
        }
    }};
}

fn style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Note => AnsiColor::Cyan,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

/// Prints `message` on stderr after a coloured `error:`, `warning:` or
/// `note:`. Control characters (an escape sequence in an imported title)
/// never reach the terminal: they are shown as `\u{1b}`.
pub fn print(severity: Severity, message: &str) {
    let style = style(severity);
    anstream::eprintln!("{style}{}:{style:#} {}", severity.label(), paperpress::terminal::escape(message));
}

/// A diagnostic of an input on one line: a line break in a title or id it
/// quotes is shown as `\u{a}`, so it cannot pass for another message.
fn print_diagnostic(severity: Severity, message: &str) {
    let style = style(severity);
    anstream::eprintln!("{style}{}:{style:#} {}", severity.label(), printable(message));
}

/// `text` for one terminal line: control characters and line breaks escaped.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    paperpress::terminal::escape_line(text)
}

/// An error that ends the run.
pub fn error(message: &str) {
    print(Severity::Error, message);
}

/// A warning that is no diagnostic of an input.
pub fn warning(message: &str) {
    print(Severity::Warning, message);
}

/// A note that is no diagnostic of an input.
pub fn note(message: &str) {
    print(Severity::Note, message);
}

/// Every diagnostic, in the order found.
pub fn diagnostics(problems: &Diagnostics) {
    for d in &problems.items {
        print_diagnostic(d.severity, &d.problem.to_string());
    }
}

/// The closing line on stderr ("3 errors, 12 warnings in 2 files"), when
/// there was any problem.
pub fn summary(problems: &Diagnostics) {
    if problems.count(Severity::Error) + problems.count(Severity::Warning) == 0 {
        return;
    }
    let severity = if problems.count(Severity::Error) > 0 { Severity::Error } else { Severity::Warning };
    let style = style(severity);
    anstream::eprintln!("{style}{}{style:#}", problems.summary());
}

/// A path as a shell reads it: quoted when it holds spaces or other
/// characters a shell treats specially.
pub fn shell_quote(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | ',' | ':' | '@' | '%'));
    if plain {
        return text;
    }
    if !text.contains(['"', '\\', '$', '`', '!']) {
        return format!("\"{text}\"");
    }
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let message = "`x.txt` line 3: \"title \u{1b}]0;pwned\u{7} \u{1b}[31mred\u{0}\"\nnext line";
        assert_eq!(
            printable(message),
            "`x.txt` line 3: \"title \\u{1b}]0;pwned\\u{7} \\u{1b}[31mred\\u{0}\"\\u{a}next line"
        );
    }

    #[test]
    fn paths_are_quoted_for_a_shell() {
        assert_eq!(shell_quote(Path::new("my-digest")), "my-digest");
        assert_eq!(shell_quote(Path::new("my digest")), "\"my digest\"");
        assert_eq!(shell_quote(Path::new("it's $HOME")), "'it'\\''s $HOME'");
        assert_eq!(shell_quote(Path::new("../sites/ünï")), "../sites/ünï");
    }
}
