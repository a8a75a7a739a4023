//! The three-way merge of a paper page: what import wrote last (the base),
//! the page as the owner left it, and the page as import would write it
//! now. A field the owner did not touch takes the new data; a field only
//! the owner changed keeps the owner's value; where both changed it, the
//! owner's value wins and the field is reported as a conflict.
//!
//! Fields are compared as TOML values, so reordering keys or reformatting
//! a list is not an edit. The keys that together say which days a paper
//! was listed on (`date`, `days`, `ranks`, `rank`) merge as one field, so
//! they always agree with each other. Keys under `[extra]` merge one by one,
//! so a key the owner added is kept. Pure: no file access.

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::ImportError;
use crate::front_matter;
use crate::paper::Paper;

/// The keys that describe the days a paper is listed on.
const DAY_KEYS: &[&str] = &["date", "days", "ranks", "rank"];

/// A merged page.
#[derive(Debug, PartialEq)]
pub(super) struct Merged {
    /// The page text, as `Paper::to_page` writes it.
    pub text: String,
    /// Fields both the owner and the new data changed (the owner's value was kept).
    pub conflicts: Vec<String>,
}

/// Merges `ours` (the page on disk) and `theirs` (the new data) against
/// `base` (what import last wrote). Every text must parse as a paper page;
/// an error names `path` and the line in `ours`.
pub(super) fn merge(base: &str, ours: &str, theirs: &str, path: &Path) -> Result<Merged, ImportError> {
    let (base, base_body) = parts(base, path)?;
    let (ours, ours_body) = parts(ours, path)?;
    let (theirs, their_body) = parts(theirs, path)?;
    let mut conflicts = Vec::new();
    let mut merged = toml::Table::new();
    let days = |t: &toml::Table| -> toml::Table {
        t.iter().filter(|(k, _)| DAY_KEYS.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    let (day_keys, conflict) = pick(Some(&days(&base)), Some(&days(&ours)), Some(&days(&theirs)));
    if conflict {
        conflicts.push("days".to_string());
    }
    merged.extend(day_keys.unwrap_or_default());
    for key in keys(&[&base, &ours, &theirs]) {
        if DAY_KEYS.contains(&key.as_str()) {
            continue;
        }
        let (b, o, t) = (base.get(&key), ours.get(&key), theirs.get(&key));
        let value = match (key.as_str(), b, o, t) {
            ("extra", b, o, t) => merge_tables(table(b), table(o), table(t), "extra.", &mut conflicts),
            _ => {
                let (value, conflict) = pick(b, o, t);
                if conflict {
                    conflicts.push(key.clone());
                }
                value
            }
        };
        if let Some(value) = value {
            merged.insert(key, value);
        }
    }
    let (body, conflict) = pick(Some(&base_body), Some(&ours_body), Some(&their_body));
    if conflict {
        conflicts.push("body".to_string());
    }
    let front = toml::to_string(&merged).expect("a table of parsed TOML values serializes");
    let text = format!("+++\n{front}+++\n\n{}\n", body.unwrap_or_default());
    let paper = Paper::from_page(&text, path)?;
    Ok(Merged { text: paper.to_page(), conflicts })
}

/// The front matter as a table (without the legacy `import_hash`) and the
/// body without trailing blank lines.
fn parts(text: &str, path: &Path) -> Result<(toml::Table, String), ImportError> {
    let split = front_matter::split(text, path)?;
    let mut table: toml::Table = front_matter::parse(&split, path)?;
    table.remove("import_hash");
    Ok((table, split.body.trim_end().to_string()))
}

/// Every key of `tables`, sorted.
fn keys(tables: &[&toml::Table]) -> BTreeSet<String> {
    tables.iter().flat_map(|t| t.keys().cloned()).collect()
}

fn table(value: Option<&toml::Value>) -> Option<&toml::Table> {
    value.and_then(toml::Value::as_table)
}

/// Merges three tables key by key; `None` when the result is empty.
fn merge_tables(
    base: Option<&toml::Table>,
    ours: Option<&toml::Table>,
    theirs: Option<&toml::Table>,
    prefix: &str,
    conflicts: &mut Vec<String>,
) -> Option<toml::Value> {
    let empty = toml::Table::new();
    let (b, o, t) = (base.unwrap_or(&empty), ours.unwrap_or(&empty), theirs.unwrap_or(&empty));
    let mut merged = toml::Table::new();
    for key in keys(&[b, o, t]) {
        let (value, conflict) = pick(b.get(&key), o.get(&key), t.get(&key));
        if conflict {
            conflicts.push(format!("{prefix}{key}"));
        }
        if let Some(value) = value {
            merged.insert(key, value);
        }
    }
    (!merged.is_empty()).then_some(toml::Value::Table(merged))
}

/// The three-way choice for one field (`None` = absent) and whether it is
/// a conflict: the owner's change wins over the data's.
fn pick<T: PartialEq + Clone>(base: Option<&T>, ours: Option<&T>, theirs: Option<&T>) -> (Option<T>, bool) {
    if ours == base {
        (theirs.cloned(), false)
    } else if theirs == base || theirs == ours {
        (ours.cloned(), false)
    } else {
        (ours.cloned(), true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "+++\nid = \"2510.19779\"\ntitle = \"AdaSPEC\"\ndate = 2025-10-24\nupvotes = 39\nrank = 3\n+++\n\nThe abstract.\n";

    fn merged(ours: &str, theirs: &str) -> Merged {
        merge(BASE, ours, theirs, Path::new("p.md")).unwrap()
    }

    #[test]
    fn data_updates_fields_the_owner_left_alone_and_keeps_the_owners_changes() {
        let ours = BASE
            .replace("title = \"AdaSPEC\"\n", "title = \"AdaSPEC\"\ntopics = [\"Decoding\"]\n")
            .replace("rank = 3\n+++", "rank = 3\n[extra]\nnote = \"read\"\n+++")
            .replace("The abstract.", "My note.\n\nThe abstract.");
        let theirs = BASE
            .replace("upvotes = 39\nrank = 3\n", "days = [2025-10-24, 2025-10-31]\nranks = [3, 1]\nupvotes = 120\n");
        let m = merged(&ours, &theirs);
        assert_eq!(m.conflicts, Vec::<String>::new());
        let paper = Paper::from_page(&m.text, Path::new("p.md")).unwrap();
        assert_eq!(paper.upvotes, Some(120));
        assert_eq!(paper.days.len(), 2);
        assert_eq!(paper.topics, ["Decoding"]);
        assert_eq!(paper.extra["note"].as_str(), Some("read"));
        assert!(paper.body.starts_with("My note."), "{}", paper.body);
    }

    #[test]
    fn a_field_both_changed_keeps_the_owners_value_and_is_a_conflict() {
        let ours = BASE.replace("upvotes = 39", "upvotes = 1000").replace("The abstract.", "Mine.");
        let theirs = BASE.replace("upvotes = 39", "upvotes = 120").replace("The abstract.", "A longer abstract.");
        let m = merged(&ours, &theirs);
        assert_eq!(m.conflicts, ["upvotes", "body"]);
        let paper = Paper::from_page(&m.text, Path::new("p.md")).unwrap();
        assert_eq!((paper.upvotes, paper.body.as_str()), (Some(1000), "Mine."));
    }

    #[test]
    fn reformatting_is_not_an_edit_and_removing_a_field_is() {
        let reordered = "+++\ntitle = \"AdaSPEC\"\nid = \"2510.19779\"\nrank = 3\nupvotes = 39\ndate = 2025-10-24\n+++\nThe abstract.\n\n\n";
        let theirs = BASE.replace("upvotes = 39", "upvotes = 50");
        assert!(merged(reordered, &theirs).text.contains("upvotes = 50\n"));
        let removed = BASE.replace("upvotes = 39\n", "");
        let m = merged(&removed, &theirs);
        assert_eq!(m.conflicts, ["upvotes"], "the owner removed it and the data changed it");
        assert!(!m.text.contains("upvotes"), "{}", m.text);
    }

    #[test]
    fn an_owner_edit_that_breaks_the_page_is_an_error_with_its_line() {
        let err = merge(BASE, "+++\ntitle = \n+++\n", BASE, Path::new("p.md")).unwrap_err();
        assert!(err.to_string().starts_with("`p.md` line 2: in front matter"), "{err}");
    }
}
