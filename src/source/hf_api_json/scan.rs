//! Splits a JSON document into its top-level items without parsing them:
//! the items of a list (`[{...}, {...}]`) one at a time, or one object
//! (`{...}`). Only one item is in memory at once, so a file of any size
//! reads in bounded memory; each item is then parsed with serde_json.
//!
//! The scanner checks only what it needs to find item boundaries (strings,
//! brackets, commas). Anything else wrong inside an item is left to the
//! item's parser, which skips that item and goes on.

use std::io::BufRead;

use crate::source::position::Counting;

/// An item larger than this is not kept in memory (and is skipped).
pub(super) const MAX_ITEM_BYTES: usize = 16 << 20;

/// Nesting deeper than this inside one item is rejected.
const MAX_DEPTH: usize = 256;

/// One top-level item.
#[derive(Debug)]
pub(super) struct Item {
    /// Its 1-based position in the list (1 for a single object).
    pub index: usize,
    /// Line and column of its first byte.
    pub line: usize,
    /// See `line`.
    pub column: usize,
    /// Its bytes, unless it was larger than [`MAX_ITEM_BYTES`].
    pub bytes: Option<Vec<u8>>,
}

impl Item {
    /// The line and column of byte `offset` of the item.
    pub fn position_at(&self, offset: usize) -> (usize, usize) {
        let Some(bytes) = &self.bytes else { return (self.line, self.column) };
        let before = &bytes[..offset.min(bytes.len())];
        let chars = |b: &[u8]| b.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        match before.iter().rposition(|&b| b == b'\n') {
            Some(p) => {
                let newlines = before.iter().filter(|&&b| b == b'\n').count();
                (self.line + newlines, chars(&before[p + 1..]) + 1)
            }
            None => (self.line, self.column + chars(before)),
        }
    }
}

/// A problem that stops the scan: the document's structure is broken.
#[derive(Debug)]
pub(super) struct ScanError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Nothing read yet.
    Start,
    /// Inside the top-level list, after `count` items.
    List,
    /// After the single top-level object.
    AfterObject,
    /// The document is complete, or broken.
    Done,
}

/// The scanner over a reader.
pub(super) struct Scanner<R> {
    input: Counting<R>,
    state: State,
    count: usize,
}

impl<R: BufRead> Scanner<R> {
    pub(super) fn new(input: R) -> Self {
        Scanner { input: Counting::new(input), state: State::Start, count: 0 }
    }

    /// The next item, `None` at the end of a well-formed document.
    pub(super) fn next_item(&mut self) -> Result<Option<Item>, ScanError> {
        let result = self.step();
        if result.is_err() {
            self.state = State::Done;
        }
        result
    }

    fn step(&mut self) -> Result<Option<Item>, ScanError> {
        match self.state {
            State::Start => self.start(),
            State::List => self.list_item(),
            State::AfterObject => {
                self.expect_end("the paper object")?;
                Ok(None)
            }
            State::Done => Ok(None),
        }
    }

    fn start(&mut self) -> Result<Option<Item>, ScanError> {
        self.skip_whitespace()?;
        match self.peek()? {
            None => Err(self.error(
                "the file is empty: expected a JSON list of Daily Papers items (`[{\"paper\": ...}]`) or one paper object (`{\"id\": ...}`)",
            )),
            Some(b'[') => {
                self.input.consume(1);
                self.state = State::List;
                self.list_item()
            }
            Some(b'{') => {
                self.state = State::AfterObject;
                self.value().map(Some)
            }
            Some(b) => Err(self.error(format!(
                "found {} where the JSON starts: expected a list of Daily Papers items (`[{{\"paper\": ...}}]`) or one paper object (`{{\"id\": ...}}`)",
                describe(b)
            ))),
        }
    }

    fn list_item(&mut self) -> Result<Option<Item>, ScanError> {
        self.skip_whitespace()?;
        let after = if self.count == 0 { "`[`".to_string() } else { format!("item {}", self.count) };
        match self.peek()? {
            None => {
                return Err(self.error(format!(
                    "the file ends after {after}: the JSON is truncated; expected {} or `]`",
                    if self.count == 0 { "an item" } else { "`,`" }
                )));
            }
            Some(b']') => {
                self.input.consume(1);
                self.expect_end("the list")?;
                return Ok(None);
            }
            Some(b',') if self.count > 0 => {
                self.input.consume(1);
                self.skip_whitespace()?;
                match self.peek()? {
                    None => {
                        return Err(self.error(format!(
                            "the file ends after item {} and `,`: the JSON is truncated; expected another item or `]`",
                            self.count
                        )));
                    }
                    Some(b']') => return Err(self.error("found `]` right after `,`: expected another item")),
                    Some(_) => {}
                }
            }
            Some(b) if self.count > 0 => {
                return Err(self.error(format!("found {} after {after}: expected `,` or `]`", describe(b))));
            }
            Some(_) => {}
        }
        self.value().map(Some)
    }

    /// Reads one value: an object, a list, a string or a scalar.
    fn value(&mut self) -> Result<Item, ScanError> {
        self.count += 1;
        let (line, column) = self.input.position();
        let mut item = Item { index: self.count, line, column, bytes: Some(Vec::new()) };
        let first = self.peek()?.expect("value() is called on a non-empty input");
        if matches!(first, b'{' | b'[' | b'"') {
            self.nested(&mut item)?;
        } else {
            self.scalar(&mut item)?;
        }
        Ok(item)
    }

    /// Reads a value that ends with its own closing bracket or quote.
    fn nested(&mut self, item: &mut Item) -> Result<(), ScanError> {
        let mut stack: Vec<u8> = Vec::new();
        let (mut in_string, mut escaped) = (false, false);
        loop {
            let buf = fill(&mut self.input)?;
            if buf.is_empty() {
                return Err(self.error(format!(
                    "the file ends inside item {} (which starts on line {}): the JSON is truncated; expected the rest of the item, then `]`",
                    item.index, item.line
                )));
            }
            let mut end = None;
            let mut mismatch = None;
            for (i, &b) in buf.iter().enumerate() {
                if in_string {
                    match b {
                        _ if escaped => escaped = false,
                        b'\\' => escaped = true,
                        b'"' => in_string = false,
                        _ => {}
                    }
                } else {
                    match b {
                        b'"' => in_string = true,
                        b'{' => stack.push(b'}'),
                        b'[' => stack.push(b']'),
                        b'}' | b']' if stack.last() == Some(&b) => {
                            stack.pop();
                        }
                        b'}' | b']' => {
                            mismatch = Some((i, b));
                            break;
                        }
                        _ => {}
                    }
                }
                if stack.len() > MAX_DEPTH {
                    mismatch = Some((i, b));
                    break;
                }
                if stack.is_empty() && !in_string {
                    end = Some(i + 1);
                    break;
                }
            }
            let used = end.or(mismatch.map(|(i, _)| i)).unwrap_or(buf.len());
            keep(item, &buf[..used]);
            self.input.consume(used);
            if let Some((_, b)) = mismatch {
                return Err(self.mismatch(b, stack.last().copied(), item.index));
            }
            if end.is_some() {
                return Ok(());
            }
        }
    }

    /// Reads a number, `true`, `false` or `null`: up to the next delimiter.
    fn scalar(&mut self, item: &mut Item) -> Result<(), ScanError> {
        loop {
            let buf = fill(&mut self.input)?;
            if buf.is_empty() {
                return Ok(());
            }
            let end = buf.iter().position(|&b| matches!(b, b',' | b']' | b'}') || b.is_ascii_whitespace());
            let used = end.unwrap_or(buf.len());
            keep(item, &buf[..used]);
            self.input.consume(used);
            if end.is_some() {
                return Ok(());
            }
        }
    }

    fn mismatch(&self, found: u8, expected: Option<u8>, index: usize) -> ScanError {
        match expected {
            Some(expected) if found == b'}' || found == b']' => self.error(format!(
                "found `{}` inside item {index}: expected `{}` to close the bracket opened before it",
                found as char, expected as char
            )),
            _ => self.error(format!("item {index} is nested more than {MAX_DEPTH} levels deep")),
        }
    }

    /// After the top-level value only whitespace may follow.
    fn expect_end(&mut self, what: &str) -> Result<(), ScanError> {
        self.skip_whitespace()?;
        self.state = State::Done;
        match self.peek()? {
            None => Ok(()),
            Some(b) => Err(self.error(format!("found {} after {what}: expected the end of the file", describe(b)))),
        }
    }

    fn skip_whitespace(&mut self) -> Result<(), ScanError> {
        loop {
            let buf = fill(&mut self.input)?;
            let n = buf.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(buf.len());
            let at_end = buf.is_empty() || n < buf.len();
            self.input.consume(n);
            if at_end {
                return Ok(());
            }
        }
    }

    fn peek(&mut self) -> Result<Option<u8>, ScanError> {
        let buf = fill(&mut self.input)?;
        Ok(buf.first().copied())
    }

    fn error(&self, message: impl Into<String>) -> ScanError {
        let (line, column) = self.input.position();
        ScanError { line, column, message: message.into() }
    }
}

/// The input's buffered bytes; empty at the end of the file.
fn fill<R: BufRead>(input: &mut Counting<R>) -> Result<&[u8], ScanError> {
    let (line, column) = input.position();
    input.fill_buf().map_err(|e| ScanError { line, column, message: format!("cannot read the file: {e}") })
}

/// Appends to the item's bytes until it grows past [`MAX_ITEM_BYTES`];
/// then its bytes are dropped and the item is only scanned.
fn keep(item: &mut Item, bytes: &[u8]) {
    if let Some(kept) = &mut item.bytes {
        if kept.len() + bytes.len() > MAX_ITEM_BYTES {
            item.bytes = None;
        } else {
            kept.extend_from_slice(bytes);
        }
    }
}

/// A byte, for messages.
fn describe(b: u8) -> String {
    if b.is_ascii_graphic() { format!("`{}`", b as char) } else { format!("byte 0x{b:02X}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> (Vec<(usize, usize, String)>, Option<String>) {
        let mut scanner = Scanner::new(text.as_bytes());
        let mut out = Vec::new();
        loop {
            match scanner.next_item() {
                Ok(Some(item)) => out.push((item.line, item.column, String::from_utf8(item.bytes.unwrap()).unwrap())),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(format!("{}:{}: {}", e.line, e.column, e.message))),
            }
        }
    }

    #[test]
    fn splits_a_list_into_items_with_positions() {
        let (found, error) = items("\u{feff}[\n  {\"a\": \"}]\\\"\"},\n  [1, {\"b\": []}] , \"s\", 12\n]\n");
        assert_eq!(error, None);
        assert_eq!(
            found,
            [
                (2, 3, r#"{"a": "}]\""}"#.to_string()),
                (3, 3, r#"[1, {"b": []}]"#.to_string()),
                (3, 20, r#""s""#.to_string()),
                (3, 25, "12".to_string())
            ]
        );
    }

    #[test]
    fn a_single_object_is_one_item() {
        let (found, error) = items(" {\"id\": \"1\"}\n");
        assert_eq!((found.len(), error), (1, None));
        let (_, error) = items("{} {}");
        assert_eq!(error.as_deref(), Some("1:4: found `{` after the paper object: expected the end of the file"));
    }

    #[test]
    fn broken_structure_names_the_place() {
        assert_eq!(
            items("[{\"a\": 1},\n {\"b\": [2,").1.as_deref(),
            Some(
                "2:11: the file ends inside item 2 (which starts on line 2): the JSON is truncated; expected the rest of the item, then `]`"
            )
        );
        assert_eq!(
            items("[{}").1.as_deref(),
            Some("1:4: the file ends after item 1: the JSON is truncated; expected `,` or `]`")
        );
        assert_eq!(items("[{} {}]").1.as_deref(), Some("1:5: found `{` after item 1: expected `,` or `]`"));
        assert_eq!(items("[{},]").1.as_deref(), Some("1:5: found `]` right after `,`: expected another item"));
        assert_eq!(
            items("[{\"a\": [}]").1.as_deref(),
            Some("1:9: found `}` inside item 1: expected `]` to close the bracket opened before it")
        );
        assert!(items("   ").1.unwrap().starts_with("1:4: the file is empty"));
        assert!(items("<html>").1.unwrap().starts_with("1:1: found `<` where the JSON starts"));
        assert_eq!(items("[]").1, None);
    }

    #[test]
    fn positions_inside_an_item() {
        let item = Item { index: 1, line: 4, column: 3, bytes: Some("{\"é\": 1,\n \"id\": 2}".into()) };
        assert_eq!(item.position_at(0), (4, 3));
        assert_eq!(item.position_at(6), (4, 8), "é counts as one column");
        assert_eq!(item.position_at(11), (5, 2));
    }

    #[test]
    fn huge_items_are_scanned_but_not_kept() {
        let big = format!("[\"{}\", 1]", "x".repeat(MAX_ITEM_BYTES + 10));
        let mut scanner = Scanner::new(big.as_bytes());
        assert!(scanner.next_item().unwrap().unwrap().bytes.is_none());
        assert_eq!(scanner.next_item().unwrap().unwrap().bytes.as_deref(), Some(&b"1"[..]));
    }
}
