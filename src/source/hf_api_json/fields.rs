//! The fields of one API item, read leniently: a field of the wrong kind
//! (`"upvotes": "many"`, `"githubStars": -3`, `"upvotes": 1e30`) is left
//! out with a warning at its place, in words a site owner knows, and the
//! paper is kept.

use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::scan::Item;
use crate::error::ImportError;
use crate::source::record::Record;

/// A field as it stands in the item, converted later.
pub(super) type Raw<'a> = Option<&'a RawValue>;

/// Converts the fields of one item, collecting a warning for each field left out.
pub(super) struct Fields<'b> {
    pub item: &'b Item,
    /// The item's JSON, which every [`RawValue`] points into.
    pub bytes: &'b [u8],
    /// `item 3 (2510.00002)`, for messages.
    pub label: String,
    pub path: &'b Path,
    /// Whether positions inside the item are known (not for an item read
    /// from a Python literal, whose JSON was made here).
    pub exact: bool,
    pub warnings: Vec<Record>,
}

impl Fields<'_> {
    /// Text, or `None` (with a warning if the field held something else).
    pub fn text(&mut self, name: &str, raw: Raw) -> Option<String> {
        self.convert(name, raw?, "text in quotes")
    }

    /// A count (votes, stars): a whole number, 0 or more.
    pub fn count(&mut self, name: &str, raw: Raw) -> Option<u64> {
        let raw = raw?;
        let number = serde_json::from_str::<u64>(raw.get()).ok().or_else(|| {
            // `39.0` is a count too; `1e30` and `-3` are not.
            let f = serde_json::from_str::<f64>(raw.get()).ok()?;
            (f >= 0.0 && f.fract() == 0.0 && f < 9.0e15).then_some(f as u64)
        });
        if number.is_none() {
            self.left_out(name, raw, "a whole number, 0 or more");
        }
        number
    }

    /// A list of texts; entries that are not text are left out.
    pub fn texts(&mut self, name: &str, raw: Raw) -> Vec<String> {
        let Some(list) = raw.and_then(|raw| self.convert::<Vec<&RawValue>>(name, raw, "a list of texts")) else {
            return Vec::new();
        };
        list.into_iter().filter_map(|entry| self.convert(name, entry, "a list of texts")).collect()
    }

    /// Author names from `[{"name": ...}, ...]`; an entry without a name is
    /// passed over (the API lists some that way).
    pub fn authors(&mut self, raw: Raw) -> Vec<String> {
        #[derive(serde::Deserialize)]
        struct Author<'a> {
            #[serde(borrow)]
            name: Raw<'a>,
        }
        let expected = "a list of authors like `[{\"name\": \"Ada Lovelace\"}]`";
        let Some(list) = raw.and_then(|raw| self.convert::<Vec<&RawValue>>("authors", raw, expected)) else {
            return Vec::new();
        };
        let mut names = Vec::new();
        for entry in list {
            match serde_json::from_str::<Author>(entry.get()) {
                Ok(author) => names.extend(self.text("authors", author.name)),
                Err(_) => self.left_out("authors", entry, expected),
            }
        }
        names
    }

    fn convert<'r, T: Deserialize<'r>>(&mut self, name: &str, raw: &'r RawValue, expected: &str) -> Option<T> {
        match serde_json::from_str(raw.get()) {
            Ok(value) => Some(value),
            Err(_) => {
                self.left_out(name, raw, expected);
                None
            }
        }
    }

    /// A warning that `name`, holding `raw`, was left out.
    pub fn left_out(&mut self, name: &str, raw: &RawValue, expected: &str) {
        let shown = preview(raw.get());
        let message = format!("{}: `{name}` was left out: it is `{shown}`; expected {expected}", self.label);
        self.warn(raw, message);
    }

    /// A warning at the place of `raw`.
    pub fn warn(&mut self, raw: &RawValue, message: String) {
        let (line, column) = self.item.position_at(if self.exact { self.offset_of(raw) } else { 0 });
        self.warnings.push(Record::Warning(ImportError::at_column(self.path, line, column, message)));
    }

    /// The byte offset of `raw` in the item.
    pub fn offset_of(&self, raw: &RawValue) -> usize {
        let start = raw.get().as_ptr() as usize;
        let base = self.bytes.as_ptr() as usize;
        start.checked_sub(base).filter(|&o| o <= self.bytes.len()).unwrap_or(0)
    }
}

/// The start of a JSON value, for messages: one line, at most 40 characters.
fn preview(json: &str) -> String {
    let line: String = json.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = line.chars().take(40).collect();
    if line.chars().count() > 40 {
        out.push('…');
    }
    out
}
