//! Error types and the path-naming file helpers.
//!
//! The application uses `anyhow` throughout. The one typed error is
//! [`ImportError`]: importers decide per record whether to skip or abort, and
//! every message they produce names the file and the line.

use std::fmt;
use std::path::{Path, PathBuf};

pub use anyhow::{Context, Error, Result, anyhow, bail};

/// A problem found in an input file, located by file and line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportError {
    /// The file the problem is in.
    pub path: PathBuf,
    /// 1-based line number, when the problem has one.
    pub line: Option<usize>,
    /// 1-based column (in characters) on `line`, when the parser knows it.
    pub column: Option<usize>,
    /// What is wrong, and what to do about it when that is obvious.
    pub message: String,
}

impl ImportError {
    /// A problem at `line` of `path`.
    pub fn at(path: &Path, line: usize, message: impl Into<String>) -> Self {
        ImportError { path: path.to_path_buf(), line: Some(line), column: None, message: message.into() }
    }

    /// A problem at `line` and `column` of `path`.
    pub fn at_column(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        ImportError { path: path.to_path_buf(), line: Some(line), column: Some(column), message: message.into() }
    }

    /// A problem with `path` as a whole.
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        ImportError { path: path.to_path_buf(), line: None, column: None, message: message.into() }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "`{}` line {line}, column {column}: {}", self.path.display(), self.message)
            }
            (Some(line), None) => write!(f, "`{}` line {line}: {}", self.path.display(), self.message),
            (None, _) => write!(f, "`{}`: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ImportError {}

/// A recoverable problem: reported, counted, and reflected in the exit code
/// by the caller, never swallowed.
pub type Warning = ImportError;

/// A serde message (TOML, JSON) in words a site owner knows: `expected
/// u64` becomes `expected a whole number, 0 or more`, `invalid type:
/// string "many"` becomes `found the text "many"`.
pub fn plain_words(message: &str) -> String {
    static TYPES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\b(?:expected|expected one of) (u8|u16|u32|u64|u128|usize|i8|i16|i32|i64|i128|isize|f32|f64|a boolean|a sequence|a map|a string|a borrowed string|struct \w+|a TOML datetime)\b")
            .expect("the type pattern is valid")
    });
    static FOUND: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"invalid (?:type|value): (integer|floating point|string|boolean|sequence|map) (`[^`]*`|\x22(?:[^\x22\\]|\\.)*\x22)?(?: as i128)?")
            .expect("the found pattern is valid")
    });
    let found = FOUND.replace_all(message, |c: &regex::Captures| {
        let what = match &c[1] {
            "integer" => "the whole number",
            "floating point" => "the number",
            "string" => "the text",
            "boolean" => "the value",
            "sequence" => "a list",
            _ => "a table",
        };
        match c.get(2) {
            Some(value) => format!("found {what} {}", value.as_str()),
            None => format!("found {what}"),
        }
    });
    TYPES
        .replace_all(&found, |c: &regex::Captures| {
            let words = match &c[1] {
                "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number, 0 or more",
                "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
                "f32" | "f64" => "a number",
                "a boolean" => "`true` or `false`",
                "a sequence" => "a list, like `[\"a\", \"b\"]`",
                "a string" | "a borrowed string" => "text in quotes",
                "a TOML datetime" => "a date, like `2025-08-06`",
                _ => "a table",
            };
            format!("expected {words}")
        })
        .into_owned()
}

/// The 1-based line number of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Reads a whole file as bytes, naming the file on failure.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))
}

/// Reads a UTF-8 text file, naming the file (and the line of the first bad
/// byte) on failure.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = read(path)?;
    text_from_bytes(path, bytes).map_err(Error::from)
}

/// Decodes UTF-8, dropping a byte-order mark; a decoding error names the
/// line and column of the first bad byte.
pub fn text_from_bytes(path: &Path, bytes: Vec<u8>) -> std::result::Result<String, ImportError> {
    if let Some(error) = not_utf16(path, &bytes) {
        return Err(error);
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..bad].iter().filter(|&&b| b == b'\n').count() + 1;
            let column = bad - bytes[..bad].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
            Err(ImportError::at(
                path,
                line,
                format!("not valid UTF-8 (byte 0x{:02X} at column {column}); save the file as UTF-8", bytes[bad]),
            ))
        }
    }
}

/// An error naming the encoding when `head`, the start of a file, is
/// UTF-16 text (with a byte-order mark, or ASCII with every other byte zero).
pub fn not_utf16(path: &Path, head: &[u8]) -> Option<ImportError> {
    let order = match head {
        [0xFF, 0xFE, ..] => "little-endian",
        [0xFE, 0xFF, ..] => "big-endian",
        _ => {
            let sample = &head[..head.len().min(512) & !1];
            let zeros = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
            let half = sample.len() / 2;
            if half < 2 {
                return None;
            }
            match (zeros(0) * 10 >= half * 9, zeros(1) * 10 >= half * 9) {
                (false, true) => "little-endian",
                (true, false) => "big-endian",
                _ => return None,
            }
        }
    };
    Some(ImportError::file(
        path,
        format!(
            "the file is UTF-16 ({order}) text; paperpress reads UTF-8: save it as UTF-8 (in an editor, or with `iconv -f UTF-16 -t UTF-8`)"
        ),
    ))
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// then a rename, so a crash never leaves a half-written file. A new file
/// gets the mode any tool would give it (read-write for all, less the
/// umask); a file written over keeps its mode.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("failed to create a temporary file in `{}`", dir.display()))?;
    if let Ok(existing) = std::fs::metadata(path) {
        std::fs::set_permissions(tmp.path(), existing.permissions())
            .with_context(|| format!("failed to set the mode of `{}`", tmp.path().display()))?;
    }
    std::io::Write::write_all(&mut tmp, bytes).with_context(|| format!("failed to write `{}`", path.display()))?;
    tmp.persist(path).with_context(|| format!("failed to write `{}`", path.display()))?;
    Ok(())
}

/// `path` opened for writing over its bytes, when it is a plain file with
/// one name (checked before and after opening, so that a link or a hard
/// link made meanwhile is never written through); `None` when it is not
/// there, is something else, or cannot be opened for writing.
pub fn open_to_overwrite(path: &Path) -> Option<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
        let single = |m: &std::fs::Metadata| m.file_type().is_file() && m.nlink() == 1;
        if !std::fs::symlink_metadata(path).is_ok_and(|m| single(&m)) {
            return None;
        }
        let file = std::fs::OpenOptions::new().write(true).custom_flags(libc::O_NOFOLLOW).open(path).ok()?;
        file.metadata().is_ok_and(|m| single(&m)).then_some(file)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Creates a folder and its parents, naming the folder on failure.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("failed to create folder `{}`", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_utf8_names_line_and_column() {
        let bytes = b"ok\nalso ok\nbad \xE9 here\n".to_vec();
        let err = text_from_bytes(Path::new("d.txt"), bytes).unwrap_err();
        assert_eq!(err.to_string(), "`d.txt` line 3: not valid UTF-8 (byte 0xE9 at column 5); save the file as UTF-8");
    }

    #[test]
    fn utf16_is_named_as_utf16() {
        let little: Vec<u8> = "\u{feff}Aug 6\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let big: Vec<u8> = "[{\"paper\": {}}]".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let err = text_from_bytes(Path::new("d.txt"), little).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`d.txt`: the file is UTF-16 (little-endian) text; paperpress reads UTF-8: save it as UTF-8 (in an editor, or with `iconv -f UTF-16 -t UTF-8`)"
        );
        assert!(text_from_bytes(Path::new("d.json"), big).unwrap_err().message.contains("UTF-16 (big-endian)"));
        assert!(text_from_bytes(Path::new("d.txt"), b"plain".to_vec()).is_ok());
    }

    #[test]
    fn serde_words_become_plain_words() {
        assert_eq!(
            plain_words("invalid value: integer `-1`, expected u64"),
            "found the whole number `-1`, expected a whole number, 0 or more"
        );
        assert_eq!(
            plain_words("invalid type: floating point `1000000000000000000000000000000.0`, expected u64"),
            "found the number `1000000000000000000000000000000.0`, expected a whole number, 0 or more"
        );
        assert_eq!(
            plain_words("invalid type: string \"many\", expected u32"),
            "found the text \"many\", expected a whole number, 0 or more"
        );
        assert_eq!(
            plain_words("invalid value: integer `99999999999999999999` as i128, expected i64"),
            "found the whole number `99999999999999999999`, expected a whole number"
        );
        assert_eq!(
            plain_words("invalid type: integer `3`, expected a string"),
            "found the whole number `3`, expected text in quotes"
        );
        assert_eq!(
            plain_words("unknown field `votes`, expected one of `title`, `date`"),
            "unknown field `votes`, expected one of `title`, `date`"
        );
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        let text = text_from_bytes(Path::new("d.txt"), "\u{feff}Aug 6".into()).unwrap();
        assert_eq!(text, "Aug 6");
    }

    #[cfg(unix)]
    #[test]
    fn issue_12_written_files_get_the_umask_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.md");
        write_atomic(&path, b"x").unwrap();
        // What a plain create gives under the same umask, for comparison.
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&plain), "not 0600");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"y").unwrap();
        assert_eq!(mode(&path), 0o640, "a file written over keeps its mode");
    }

    #[test]
    fn line_of_counts_newlines_before_offset() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
