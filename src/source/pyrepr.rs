//! Python literals, as `print(response.json())` or `str(item)` writes them:
//! dicts, lists, tuples, sets, strings in single or double quotes with
//! their escapes, numbers, `True`, `False` and `None`. Read into JSON
//! values, losslessly for everything JSON can hold, so an archive saved as
//! Python reprs imports like the API's own JSON.
//!
//! Only literals are read: a call (`datetime.datetime(...)`) or a name is an
//! error at its place, never evaluated.

use serde_json::{Map, Number, Value};

/// Nesting deeper than this is refused (a hostile input cannot overflow the stack).
const MAX_DEPTH: usize = 256;

/// Why a literal could not be read, and where: a byte offset into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiteralError {
    /// Byte offset of the problem in the parsed text.
    pub offset: usize,
    /// What is wrong, in words.
    pub message: String,
}

/// Parses one Python literal that makes up the whole of `text` (surrounding
/// whitespace allowed).
pub fn parse(text: &str) -> Result<Value, LiteralError> {
    let mut parser = Parser { text, at: 0, depth: 0 };
    parser.whitespace();
    let value = parser.value()?;
    parser.whitespace();
    if parser.at < text.len() {
        return Err(parser.error(format!("found {} after the end of the value", parser.describe())));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn error(&self, message: impl Into<String>) -> LiteralError {
        LiteralError { offset: self.at, message: message.into() }
    }

    /// The next character, for messages.
    fn describe(&self) -> String {
        match self.peek() {
            None => "the end of the text".into(),
            Some(c) if c.is_control() => format!("character U+{:04X}", c as u32),
            Some(c) => format!("`{c}`"),
        }
    }

    fn whitespace(&mut self) {
        let trimmed = self.rest().trim_start_matches([' ', '\t', '\n', '\r']);
        self.at = self.text.len() - trimmed.len();
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Result<Value, LiteralError> {
        match self.peek() {
            None => Err(self.error("the text ends where a value should be")),
            Some('{') => self.nested(|p| p.braces()),
            Some('[') => self.nested(|p| p.sequence(']').map(Value::Array)),
            Some('(') => self.nested(|p| p.sequence(')').map(Value::Array)),
            Some('\'' | '"') => self.string().map(Value::String),
            Some(c) if c.is_ascii_digit() || matches!(c, '-' | '+' | '.') => self.number(),
            Some(c) if c.is_alphabetic() || c == '_' => self.word(),
            Some(_) => Err(self.error(format!("found {} where a value should be", self.describe()))),
        }
    }

    /// Runs `inner` one level deeper, after the opening bracket.
    fn nested(&mut self, inner: impl FnOnce(&mut Self) -> Result<Value, LiteralError>) -> Result<Value, LiteralError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format!("the value is nested more than {MAX_DEPTH} levels deep")));
        }
        self.depth += 1;
        self.at += 1;
        let value = inner(self);
        self.depth -= 1;
        value
    }

    /// Items up to `close`, separated by commas, a trailing comma allowed.
    fn sequence(&mut self, close: char) -> Result<Vec<Value>, LiteralError> {
        let mut items = Vec::new();
        loop {
            self.whitespace();
            if self.eat(close) {
                return Ok(items);
            }
            items.push(self.value()?);
            self.whitespace();
            if !self.eat(',') && self.peek() != Some(close) {
                return Err(self.error(format!("found {} in a list: expected `,` or `{close}`", self.describe())));
            }
        }
    }

    /// A dict (`{'a': 1}`) or a set (`{1, 2}`, read as a list).
    fn braces(&mut self) -> Result<Value, LiteralError> {
        self.whitespace();
        if self.eat('}') {
            return Ok(Value::Object(Map::new()));
        }
        let first = self.value()?;
        self.whitespace();
        if self.peek() != Some(':') {
            let mut items = vec![first];
            if self.eat(',') {
                items.extend(self.sequence('}')?);
            } else if !self.eat('}') {
                return Err(self.error(format!("found {} in a set: expected `,` or `}}`", self.describe())));
            }
            return Ok(Value::Array(items));
        }
        let mut map = Map::new();
        let mut key = first;
        loop {
            let key_at = self.at;
            self.whitespace();
            if !self.eat(':') {
                return Err(self.error(format!("found {} after a key: expected `:`", self.describe())));
            }
            self.whitespace();
            let value = self.value()?;
            let name = match key {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => if b { "True" } else { "False" }.to_string(),
                Value::Null => "None".to_string(),
                _ => {
                    return Err(LiteralError { offset: key_at, message: "a dict key must be text or a number".into() });
                }
            };
            map.insert(name, value);
            self.whitespace();
            if self.eat('}') {
                return Ok(Value::Object(map));
            }
            if !self.eat(',') {
                return Err(self.error(format!("found {} in a dict: expected `,` or `}}`", self.describe())));
            }
            self.whitespace();
            if self.eat('}') {
                return Ok(Value::Object(map));
            }
            key = self.value()?;
        }
    }

    /// A quoted string (the quote is next), with Python's escapes.
    fn string(&mut self) -> Result<String, LiteralError> {
        let start = self.at;
        let quote = self.peek().expect("string() is called at a quote");
        self.at += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(LiteralError {
                    offset: start,
                    message: "the text ends inside this string: expected its closing quote".into(),
                });
            };
            self.at += c.len_utf8();
            match c {
                _ if c == quote => return Ok(out),
                '\n' => {
                    return Err(LiteralError {
                        offset: start,
                        message: "this string has a line break before its closing quote".into(),
                    });
                }
                '\\' => self.escape(&mut out)?,
                c => out.push(c),
            }
        }
    }

    /// One escape, after its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), LiteralError> {
        let at = self.at - 1;
        let Some(c) = self.peek() else { return Err(self.error("the text ends after a backslash")) };
        self.at += c.len_utf8();
        let simple = match c {
            '\\' => Some('\\'),
            '\'' => Some('\''),
            '"' => Some('"'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'v' => Some('\u{b}'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            return Ok(());
        }
        let code = match c {
            '\n' => return Ok(()),
            'x' => self.hex(2, at)?,
            'u' => self.hex(4, at)?,
            'U' => self.hex(8, at)?,
            '0'..='7' => {
                let digits: String =
                    std::iter::once(c).chain(self.rest().chars().take_while(|d| d.is_digit(8)).take(2)).collect();
                self.at += digits.len() - 1;
                u32::from_str_radix(&digits, 8).expect("octal digits")
            }
            // Python keeps an unknown escape as it is.
            other => {
                out.push('\\');
                out.push(other);
                return Ok(());
            }
        };
        let c = char::from_u32(code).ok_or_else(|| LiteralError {
            offset: at,
            message: format!("`\\{c}` escapes U+{code:04X}, which is not a character"),
        })?;
        out.push(c);
        Ok(())
    }

    fn hex(&mut self, digits: usize, at: usize) -> Result<u32, LiteralError> {
        let hex = self.rest().get(..digits).filter(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
        let Some(code) = hex.map(|h| u32::from_str_radix(h, 16).expect("hexadecimal digits")) else {
            return Err(LiteralError {
                offset: at,
                message: format!("an escape here needs {digits} hexadecimal digits"),
            });
        };
        self.at += digits;
        Ok(code)
    }

    fn number(&mut self) -> Result<Value, LiteralError> {
        let start = self.at;
        let len = self
            .rest()
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_alphanumeric()
                    || c == '.'
                    || c == '_'
                    || (matches!(c, '-' | '+') && (i == 0 || self.rest()[..i].ends_with(['e', 'E']))))
            })
            .map_or(self.rest().len(), |(i, _)| i);
        let raw = &self.rest()[..len];
        let clean = raw.replace('_', "");
        let unsigned = clean.trim_start_matches(['-', '+']);
        let value = if matches!(unsigned, "inf" | "nan") {
            // Python's repr of a float that JSON cannot hold.
            Some(Value::Null)
        } else if let Ok(n) = clean.trim_start_matches('+').parse::<i64>() {
            Some(Value::Number(n.into()))
        } else if let Ok(n) = clean.trim_start_matches('+').parse::<u64>() {
            Some(Value::Number(n.into()))
        } else {
            clean.parse::<f64>().ok().map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number))
        };
        match value {
            Some(value) if !unsigned.is_empty() => {
                self.at += len;
                Ok(value)
            }
            _ => Err(LiteralError { offset: start, message: format!("`{raw}` is not a number") }),
        }
    }

    /// `True`, `False`, `None`; string prefixes (`u'x'`, `r'x'`, `b'x'`);
    /// anything else is a name, which is not a literal.
    fn word(&mut self) -> Result<Value, LiteralError> {
        let start = self.at;
        let len =
            self.rest().find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).unwrap_or(self.rest().len());
        let word = &self.rest()[..len];
        let value = match word {
            "True" => Value::Bool(true),
            "False" => Value::Bool(false),
            "None" => Value::Null,
            "nan" | "inf" => Value::Null,
            "u" | "U" | "b" | "B" if matches!(self.rest()[len..].chars().next(), Some('\'' | '"')) => {
                self.at += len;
                return self.string().map(Value::String);
            }
            "r" | "R" if matches!(self.rest()[len..].chars().next(), Some('\'' | '"')) => {
                self.at += len;
                return self.raw_string().map(Value::String);
            }
            _ => {
                let call = self.rest()[len..].starts_with('(');
                let what = if call { "a call" } else { "a name" };
                return Err(LiteralError {
                    offset: start,
                    message: format!(
                        "`{word}` is {what}, not a Python literal (text, number, list, dict, True, False or None)"
                    ),
                });
            }
        };
        self.at += len;
        Ok(value)
    }

    /// A raw string (`r'...'`): backslashes are kept.
    fn raw_string(&mut self) -> Result<String, LiteralError> {
        let start = self.at;
        let quote = self.peek().expect("raw_string() is called at a quote");
        self.at += 1;
        let mut out = String::new();
        let mut escaped = false;
        while let Some(c) = self.peek() {
            self.at += c.len_utf8();
            if c == quote && !escaped {
                return Ok(out);
            }
            escaped = c == '\\' && !escaped;
            out.push(c);
        }
        Err(LiteralError {
            offset: start,
            message: "the text ends inside this string: expected its closing quote".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_python_prints() {
        let text = r#"{'paper': {'id': '2412.07730', 'hidden': False, 'ok': True, 'none': None, 'n': 39, 'f': -1.5e3,
            'title': "It's \"quoted\"", 'esc': 'tab\there\nline \\ back \x41\u00e9\U0001F600 \'q\' \101',
            'list': [1, (2, 3), {4}], 'empty': {}, 'trailing': [1, 2,], 7: 'int key', 'big': 123456789012345678901234567890}}"#;
        let value = parse(text).unwrap();
        assert_eq!(
            value,
            json!({"paper": {"id": "2412.07730", "hidden": false, "ok": true, "none": null, "n": 39, "f": -1500.0,
                "title": "It's \"quoted\"", "esc": "tab\there\nline \\ back Aé😀 'q' A",
                "list": [1, [2, 3], [4]], "empty": {}, "trailing": [1, 2], "7": "int key", "big": 1.2345678901234568e29}})
        );
    }

    #[test]
    fn prefixes_and_unknown_escapes_are_kept_as_python_keeps_them() {
        assert_eq!(parse(r"u'a\d'").unwrap(), json!("a\\d"));
        assert_eq!(parse(r"r'a\n'").unwrap(), json!("a\\n"));
        assert_eq!(parse("'multi\\\nline'").unwrap(), json!("multiline"));
        assert_eq!(parse("[nan, -inf]").unwrap(), json!([null, null]));
    }

    #[test]
    fn what_is_not_a_literal_is_an_error_at_its_place() {
        let err = |text: &str| {
            let e = parse(text).unwrap_err();
            (e.offset, e.message)
        };
        assert_eq!(err("{'a': datetime.datetime(2024, 1, 1)}").0, 6);
        assert!(err("{'a': datetime.datetime(2024)}").1.contains("is a call, not a Python literal"));
        assert_eq!(err("{'a': 'open"), (6, "the text ends inside this string: expected its closing quote".into()));
        assert_eq!(err("{'a': 1 'b': 2}"), (8, "found `'` in a dict: expected `,` or `}`".into()));
        assert_eq!(err("{'a' 1}"), (5, "found `1` in a set: expected `,` or `}`".into()));
        assert_eq!(err("[1 2]"), (3, "found `2` in a list: expected `,` or `]`".into()));
        assert_eq!(err("{'a': 1} x"), (9, "found `x` after the end of the value".into()));
        assert_eq!(err("'\\x4'").0, 1);
        assert_eq!(err("'\\ud800'").1, "`\\u` escapes U+D800, which is not a character");
        assert_eq!(err("[1e]").1, "`1e` is not a number");
        assert_eq!(err(""), (0, "the text ends where a value should be".into()));
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(parse(&text).unwrap_err().message.contains("nested more than"));
    }
}
