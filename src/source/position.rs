//! Where a streaming parser is in its input: a [`BufRead`] wrapper that
//! counts the lines and columns of the bytes its reader has consumed, so
//! messages can name a line and column without keeping the file in memory.
//! It also drops a leading byte order mark, however the bytes arrive.

use std::io::{self, BufRead, Read};

/// A [`BufRead`] that knows the line and column of the next byte it will
/// hand out, and hands out no leading UTF-8 byte order mark.
#[derive(Debug)]
pub(crate) struct Counting<R> {
    inner: R,
    line: usize,
    column: usize,
    /// The first bytes, read to look for a byte order mark: `None` until
    /// they are read, then what of them is left to hand out (a partial
    /// mark, which is not one).
    head: Option<Vec<u8>>,
}

/// The UTF-8 byte order mark.
const BOM: &[u8] = "\u{feff}".as_bytes();

impl<R: BufRead> Counting<R> {
    /// Wraps `inner`, starting at line 1, column 1.
    pub(crate) fn new(inner: R) -> Self {
        Counting { inner, line: 1, column: 1, head: None }
    }

    /// The 1-based line and column (in characters) of the next unread byte.
    pub(crate) fn position(&self) -> (usize, usize) {
        (self.line, self.column)
    }

    /// Reads the bytes that begin a byte order mark, one at a time, so a
    /// mark split across reads is still seen; drops a whole mark.
    fn read_head(&mut self) -> io::Result<Vec<u8>> {
        let mut head = Vec::new();
        while head.len() < BOM.len() {
            let buf = self.inner.fill_buf()?;
            match buf.first() {
                Some(&b) if b == BOM[head.len()] => {
                    head.push(b);
                    self.inner.consume(1);
                }
                _ => break,
            }
        }
        if head == BOM {
            head.clear();
        }
        Ok(head)
    }
}

/// Advances `line` and `column` over `bytes`; a column counts characters,
/// so UTF-8 continuation bytes do not move it.
fn advance(line: &mut usize, column: &mut usize, bytes: &[u8]) {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
    let rest = match bytes.iter().rposition(|&b| b == b'\n') {
        Some(p) => {
            *line += newlines;
            *column = 1;
            &bytes[p + 1..]
        }
        None => bytes,
    };
    *column += rest.iter().filter(|&&b| b & 0xC0 != 0x80).count();
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.head.is_none() {
            self.head = Some(self.read_head()?);
        }
        match &self.head {
            Some(head) if !head.is_empty() => Ok(head),
            _ => self.inner.fill_buf(),
        }
    }

    fn consume(&mut self, amt: usize) {
        if self.head.is_none() {
            // A `consume` before any `fill_buf`: look for the mark first.
            self.head = Some(self.read_head().unwrap_or_default());
        }
        if let Some(head) = self.head.as_mut().filter(|h| !h.is_empty()) {
            let amt = amt.min(head.len());
            advance(&mut self.line, &mut self.column, &head[..amt]);
            head.drain(..amt);
            return;
        }
        // The buffer is still filled: `consume` follows a `fill_buf` that
        // returned at least `amt` bytes, so this reads nothing new.
        if let Ok(buf) = self.inner.fill_buf() {
            advance(&mut self.line, &mut self.column, &buf[..amt.min(buf.len())]);
        }
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_and_characters() {
        let mut reader = Counting::new("ab\ncé\nxyz".as_bytes());
        assert_eq!(reader.position(), (1, 1));
        reader.consume(2);
        assert_eq!(reader.position(), (1, 3));
        reader.consume(1);
        assert_eq!(reader.position(), (2, 1));
        reader.consume(3);
        assert_eq!(reader.position(), (2, 3), "é is one column");
        let mut rest = String::new();
        reader.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "\nxyz");
        assert_eq!(reader.position(), (3, 4));
    }

    fn read_all(input: &[u8], capacity: usize) -> (Vec<u8>, (usize, usize)) {
        let mut reader = Counting::new(io::BufReader::with_capacity(capacity, input));
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).unwrap();
        (bytes, reader.position())
    }

    #[test]
    fn drops_a_byte_order_mark_however_the_bytes_arrive() {
        for capacity in 1..=4 {
            assert_eq!(read_all("\u{feff}<a/>".as_bytes(), capacity), (b"<a/>".to_vec(), (1, 5)), "{capacity}");
            assert_eq!(read_all(b"\xef\xbbx", capacity).0, b"\xef\xbbx", "a partial mark is kept");
            assert_eq!(
                read_all("a\u{feff}".as_bytes(), capacity).0,
                "a\u{feff}".as_bytes(),
                "only a leading mark goes"
            );
        }
    }
}
