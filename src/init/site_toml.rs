//! The `site.toml` that `paperpress init` writes: every section and key,
//! each set to its default and commented with its documentation (the doc
//! comments of `src/config.rs`, read at build time), then the `[[topics]]`
//! taxonomy of the example site at the root of the repository, as it is
//! written there. Nothing is copied by hand, so a key added to the
//! configuration appears here with its default and its words.

use crate::config::{Config, FetchConfig, FetchSource, SourceKind};

include!(concat!(env!("OUT_DIR"), "/config_docs.rs"));

/// The example site's configuration, for its `[[topics]]`.
const EXAMPLE: &str = include_str!("../../site.toml");

/// Comment lines wrap at this width.
const WIDTH: usize = 76;

/// The configuration a new site starts from: the defaults, titled `title`,
/// following Hugging Face Daily Papers.
pub fn new_site_config(title: &str) -> Config {
    let hf = FetchSource { kind: SourceKind::Hf, query: String::new(), max: None };
    Config {
        title: title.to_string(),
        fetch: FetchConfig { sources: vec![hf], ..FetchConfig::default() },
        ..Config::default()
    }
}

/// What a commented-out example adds after a section's own keys.
fn example_after(section: &str) -> &'static str {
    match section {
        "fetch" => {
            "# An arXiv search as well: newest first, at most `max` new papers a fetch.\n\
             # [[fetch.sources]]\n\
             # kind = \"arxiv\"\n\
             # query = \"cat:cs.CL AND abs:unlearning\"\n\
             # max = 100\n"
        }
        _ => "",
    }
}

/// The text of a new site's `site.toml`, titled `title`.
pub fn site_toml(title: &str) -> String {
    let config = new_site_config(title);
    let value = toml::Table::try_from(&config).expect("the configuration serializes as a table");
    let mut out = String::from(
        "# The configuration of this site. Every key is optional: each one below\n\
         # is set to its default, with what it does. `paperpress check` reports\n\
         # a key it does not know, with its line.\n\n",
    );
    let fields = fields_of("Config");
    // Plain values first, as TOML requires, then one table per section.
    for (field, _, doc) in &fields {
        if let Some(value) = value.get(*field).filter(|v| !v.is_table() && !v.is_array() && *field != "topics") {
            key(&mut out, field, value, doc);
        }
    }
    for (field, ty, doc) in &fields {
        match value.get(*field) {
            Some(toml::Value::Table(table)) => section(&mut out, field, ty, doc, table),
            _ if *field == "topics" => {
                out.push('\n');
                comment(&mut out, doc);
                out.push_str(&topics());
            }
            _ => {}
        }
    }
    out
}

/// `(field, type, doc)` of the fields of struct `name`, in their order.
fn fields_of(name: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    FIELD_DOCS.iter().filter(|(s, ..)| *s == name).map(|&(_, field, ty, doc)| (field, ty, doc)).collect()
}

/// One `[section]` with its keys.
fn section(out: &mut String, name: &str, ty: &str, doc: &str, table: &toml::Table) {
    out.push('\n');
    comment(out, doc);
    out.push_str(&format!("[{name}]\n"));
    let fields = fields_of(ty);
    if fields.is_empty() {
        // A free-form table (`[extra]`): its own doc says what goes there.
        for (key_name, value) in table {
            key(out, key_name, value, "");
        }
    }
    for (field, _, doc) in &fields {
        if let Some(value) = table.get(*field).filter(|v| !is_array_of_tables(v)) {
            key(out, field, value, doc);
        }
    }
    // Arrays of tables (`[[fetch.sources]]`) come after the plain keys.
    for (field, ty, doc) in &fields {
        let Some(toml::Value::Array(items)) = table.get(*field).filter(|v| is_array_of_tables(v)) else { continue };
        out.push('\n');
        comment(out, doc);
        let item_ty = ty.trim_start_matches("Vec<").trim_end_matches('>');
        for item in items.iter().filter_map(toml::Value::as_table) {
            out.push_str(&format!("[[{name}.{field}]]\n"));
            for (item_field, _, item_doc) in fields_of(item_ty) {
                if let Some(value) = item.get(item_field) {
                    key(out, item_field, value, item_doc);
                }
            }
        }
    }
    let example = example_after(name);
    if !example.is_empty() {
        out.push('\n');
        out.push_str(example);
    }
}

/// Whether `value` is a non-empty array of tables, written as `[[...]]`.
fn is_array_of_tables(value: &toml::Value) -> bool {
    value.as_array().is_some_and(|items| !items.is_empty() && items.iter().all(toml::Value::is_table))
}

fn key(out: &mut String, name: &str, value: &toml::Value, doc: &str) {
    comment(out, doc);
    out.push_str(&format!("{name} = {value}\n"));
}

/// `doc` as `#` lines, without its `Default: ...` sentence: the value
/// written below it is the default.
fn comment(out: &mut String, doc: &str) {
    let text = match doc.find("Default:") {
        Some(at) => doc[..at].trim_end(),
        None => doc.trim(),
    };
    let mut line = String::from("#");
    for word in text.split_whitespace() {
        if line.len() + 1 + word.len() > WIDTH && line.len() > 1 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    if line.len() > 1 {
        out.push_str(&line);
        out.push('\n');
    }
}

/// The `[[topics]]` of the example site, with the comment above the first.
fn topics() -> String {
    let lines: Vec<&str> = EXAMPLE.lines().collect();
    let Some(first) = lines.iter().position(|l| l.trim_start().starts_with("[[topics]]")) else {
        return String::new();
    };
    // The comment right above, or the paragraph of comment before a blank line.
    let is_comment = |i: usize| lines[i].trim_start().starts_with('#');
    let mut start = first;
    if start > 1 && lines[start - 1].trim().is_empty() && is_comment(start - 2) {
        start -= 1;
    }
    while start > 0 && is_comment(start - 1) {
        start -= 1;
    }
    let end = lines[first..]
        .iter()
        .position(|l| l.starts_with('[') && !l.starts_with("[[topics"))
        .map_or(lines.len(), |n| first + n);
    let mut out = String::from("\n");
    for line in &lines[start..end] {
        out.push_str(line);
        out.push('\n');
    }
    format!("{}\n", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn every_key_is_set_to_its_default_with_its_words() {
        let text = site_toml("My \"digest\"");
        let config = Config::parse(&text, Path::new("site.toml")).unwrap();
        let example = Config::parse(EXAMPLE, Path::new("site.toml")).unwrap();
        assert_eq!(config.title, "My \"digest\"");
        assert_eq!(config.topics, example.topics, "the example site's taxonomy");
        assert!(!config.topics.is_empty());
        let defaults = Config { topics: config.topics.clone(), ..new_site_config(&config.title) };
        assert_eq!(config, defaults, "every other key has its default");
        assert_eq!(config.fetch.sources.len(), 1, "a new site follows Daily Papers");
        assert!(text.contains("\n[[fetch.sources]]\n"), "{text}");
        // Every key of every section is written, so a new key cannot be missed.
        let all = toml::Table::try_from(Config::default()).unwrap();
        let written: toml::Table = text.parse().unwrap();
        for (name, value) in &all {
            assert!(written.contains_key(name), "`{name}` is written");
            if let (toml::Value::Table(section), Some(toml::Value::Table(out))) = (value, written.get(name)) {
                for key in section.keys() {
                    assert!(out.contains_key(key), "`{name}.{key}` is written");
                }
            }
        }
        assert!(text.contains("# Papers per page on topic listings.\npaginate_by = 25\n"), "{text}");
        assert!(text.contains("\n[search]\n"));
        assert!(!text.contains("Default:"), "the value shows the default");
    }

    #[test]
    fn every_documented_field_has_words() {
        for (name, ty, _) in fields_of("Config") {
            assert!(!name.is_empty());
            for (field, _, doc) in fields_of(ty) {
                assert!(!doc.trim().is_empty(), "`{name}.{field}` has a doc comment");
            }
        }
    }
}
