//! Reads the doc comments of the configuration structs in `src/config.rs`
//! into a table, so that `paperpress init` writes a `site.toml` whose
//! comments are the documentation of each key, with one source for both.

use std::fmt::Write;

fn main() {
    println!("cargo::rerun-if-changed=src/config.rs");
    let source = std::fs::read_to_string("src/config.rs").expect("src/config.rs is readable");
    let mut table = String::from(
        "/// `(struct, field, type, doc)` of every configuration field, from `src/config.rs`.\n\
         pub(crate) const FIELD_DOCS: &[(&str, &str, &str, &str)] = &[\n",
    );
    let mut doc = Vec::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let line = line.trim();
        if let Some(text) = line.strip_prefix("///") {
            doc.push(text.trim().to_string());
        } else if line.starts_with("#[") {
            // Attributes sit between a doc comment and its item.
        } else if let Some(rest) = line.strip_prefix("pub struct ") {
            current = rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().map(str::to_string);
            doc.clear();
        } else if line == "}" {
            current = None;
            doc.clear();
        } else if let (Some(name), Some(field)) = (&current, line.strip_prefix("pub ")) {
            if let Some((field, ty)) = field.split_once(':') {
                let ty = ty.trim().trim_end_matches(',');
                let text = doc.join(" ");
                writeln!(table, "    ({name:?}, {:?}, {ty:?}, {text:?}),", field.trim()).expect("writing to a string");
            }
            doc.clear();
        } else {
            doc.clear();
        }
    }
    table.push_str("];\n");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("config_docs.rs");
    std::fs::write(out, table).expect("OUT_DIR is writable");
}
