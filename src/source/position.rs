//! Where a streaming parser is in its input: a [`BufRead`] wrapper that
//! counts the lines and columns of the bytes its reader has consumed, so
//! messages can name a line and column without keeping the file in memory.

use std::io::{self, BufRead, Read};

/// A [`BufRead`] that knows the line and column of the next byte it will hand out.
#[derive(Debug)]
pub(crate) struct Counting<R> {
    inner: R,
    line: usize,
    column: usize,
}

impl<R: BufRead> Counting<R> {
    /// Wraps `inner`, starting at line 1, column 1.
    pub(crate) fn new(inner: R) -> Self {
        Counting { inner, line: 1, column: 1 }
    }

    /// The 1-based line and column (in characters) of the next unread byte.
    pub(crate) fn position(&self) -> (usize, usize) {
        (self.line, self.column)
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
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
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
}
