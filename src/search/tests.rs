use std::borrow::Cow;
use std::collections::BTreeMap;

use super::*;

fn doc(title: &str, abstract_text: &str, date: &str) -> SearchDoc {
    SearchDoc {
        url: format!("papers/{}.html", slug::slugify(title)),
        title: title.into(),
        authors: vec!["Ada Lovelace".into(), "Alan M. Turing".into()],
        topics: vec!["Machine unlearning".into()],
        abstract_text: abstract_text.into(),
        date: date.into(),
        ..SearchDoc::default()
    }
}

fn corpus() -> Vec<SearchDoc> {
    vec![
        doc(
            "Machine Unlearning for LLMs",
            "We study unlearning: forgetting data. Unlearned models forget.",
            "2025-08-06",
        ),
        doc(
            "AstroM^3: a self-supervised model",
            "Time-series photometry, spectra & meta-data; n>2 modes.",
            "2025-08-05",
        ),
        doc(
            "Caresses, ponies and agreed feeds",
            "Knackeries of the sses, ies and eed rules 🚀 x🚀y naïveté",
            "2025-08-06",
        ),
        doc("", "", "2025-08-04"),
        doc("The the THE", "it's 'quoted' [tag] (paren) 3.5 -- e.g. w/o _under_ 2025", "2025-08-06"),
    ]
}

/// (field, stem) -> (paper -> tf), plus per paper the field lengths, from
/// elasticlunr-rs's own serialized index.
type Flat = (BTreeMap<(String, String), BTreeMap<String, f64>>, BTreeMap<String, BTreeMap<String, u64>>);

fn flatten_node(node: &serde_json::Value, prefix: &str, field: &str, out: &mut Flat) {
    let object = node.as_object().unwrap();
    let docs = object["docs"].as_object().unwrap();
    assert_eq!(object["df"].as_u64().unwrap() as usize, docs.len(), "df of {prefix}");
    if !docs.is_empty() {
        let tfs = docs.iter().map(|(r, v)| (r.clone(), v["tf"].as_f64().unwrap())).collect();
        out.0.insert((field.to_string(), prefix.to_string()), tfs);
    }
    for (key, child) in object.iter().filter(|(k, _)| *k != "docs" && *k != "df") {
        flatten_node(child, &format!("{prefix}{key}"), field, out);
    }
}

fn sorted(docs: &[SearchDoc]) -> Vec<SearchDoc> {
    let mut docs = docs.to_vec();
    number(&mut docs);
    docs
}

fn flatten_elasticlunr(texts: &[[Cow<str>; 4]]) -> Flat {
    let json: serde_json::Value = serde_json::from_str(&elasticlunr_index(texts).to_json()).unwrap();
    let mut out = Flat::default();
    for field in FIELDS {
        flatten_node(&json["index"][field]["root"], "", field, &mut out);
    }
    for (r, info) in json["documentStore"]["docInfo"].as_object().unwrap() {
        out.1.insert(
            r.clone(),
            info.as_object().unwrap().iter().map(|(f, n)| (f.clone(), n.as_u64().unwrap())).collect(),
        );
    }
    out
}

fn flatten_ours(analysis: &analyze::Analysis) -> Flat {
    let mut out = Flat::default();
    for (f, field) in FIELDS.iter().enumerate() {
        for (s, stem) in analysis.stems.iter().enumerate() {
            let (papers, counts) = analysis.postings[f].of(s);
            if !papers.is_empty() {
                let tfs = papers.iter().zip(counts).map(|(p, &c)| (p.to_string(), (c as f64).sqrt())).collect();
                out.0.insert((field.to_string(), stem.clone()), tfs);
            }
        }
    }
    for (p, lengths) in analysis.lengths.iter().enumerate() {
        out.1.insert(p.to_string(), FIELDS.iter().zip(lengths).map(|(f, &n)| (f.to_string(), n as u64)).collect());
    }
    out
}

#[test]
fn analysis_matches_the_elasticlunr_rs_index() {
    let docs = sorted(&corpus());
    let texts: Vec<[Cow<str>; 4]> = docs.iter().map(|d| d.field_texts()).collect();
    let analysis = analyze::analyze(&texts);
    assert_eq!(flatten_ours(&analysis), flatten_elasticlunr(&texts));
    // Stems come out in the order elasticlunr.js expands a prefix in.
    let mut sorted = analysis.stems.clone();
    sorted.sort_by(|a, b| analyze::index_order(a, b));
    assert_eq!(sorted, analysis.stems);
    assert!(analysis.stems.contains(&"unlearn".to_string()));
}

#[test]
fn papers_are_numbered_newest_first_then_by_url() {
    let docs = sorted(&corpus());
    let order: Vec<&str> = docs.iter().map(|d| d.url.as_str()).collect();
    assert_eq!(
        order,
        [
            "papers/caresses-ponies-and-agreed-feeds.html",
            "papers/machine-unlearning-for-llms.html",
            "papers/the-the-the.html",
            "papers/astrom-3-a-self-supervised-model.html",
            "papers/.html",
        ]
    );
}

#[test]
fn index_order_puts_digits_first_and_prefixes_before_extensions() {
    let mut stems = vec!["b", "a", "a9", "a_", "a'", "ab", "a0", "1", "\u{e9}"];
    stems.sort_by(|a, b| analyze::index_order(a, b));
    assert_eq!(stems, ["1", "a", "a0", "a9", "a'", "a_", "ab", "b", "\u{e9}"]);
}

fn script_data(file: &OutputFile) -> serde_json::Value {
    let text = std::str::from_utf8(&file.bytes).unwrap();
    let json = text.split_once(',').unwrap().1.trim_end().trim_end_matches(");");
    serde_json::from_str(json).unwrap()
}

#[test]
fn a_small_index_is_one_script_and_a_large_one_is_split() {
    let docs = corpus();
    let single = build(&docs, &SearchConfig::default());
    assert_eq!(single.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["search/index.js"]);
    assert!(single[0].bytes.starts_with(b"paperpressSearchData(\"index\",{"));
    let meta = script_data(&single[0]);
    assert_eq!(meta["docs"], 5);
    assert_eq!(meta["bool"], "AND");
    assert_eq!(meta["boost"], serde_json::json!([3, 1, 1, 1]));
    assert_eq!(meta["ids"], serde_json::json!({}), "no paper of this corpus has an arXiv id");
    let stems = meta["shard"]["stems"].as_array().unwrap();
    assert!(
        !stems.iter().any(|s| s.as_str().unwrap().contains('🚀')),
        "stems outside the BMP never match in elasticlunr.js"
    );

    let config = SearchConfig { split_above_kb: 0, elasticlunr_json: true, ..SearchConfig::default() };
    // Ten papers: two display files of up to eight.
    let mut docs = docs;
    docs.extend((0..5).map(|i| doc(&format!("Older paper {i}"), "An older abstract.", "2025-08-01")));
    let split = build(&docs, &config);
    let paths: Vec<&str> = split.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        ["search/d0.js", "search/d1.js", "search/elasticlunr.json", "search/index.js", "search/s0.js", "search/v0.js"]
    );
    assert_eq!(script_data(&split[3])["shard_keys"], serde_json::json!([""]));
    assert_eq!(script_data(&split[3])["vocab"], true);
    assert_eq!(script_data(&split[5]), script_data(&split[4])["stems"], "a vocabulary file holds its shard's stems");
    let records = script_data(&split[0]);
    assert_eq!(records[1][0], "Machine Unlearning for LLMs");
    // Topics are numbers into the names of `index.js`, URLs without what
    // every URL starts and ends with.
    let names = &script_data(&split[3])["names"];
    assert_eq!(names["url_affixes"], serde_json::json!(["papers/", ".html"]));
    assert_eq!(names["topics"], serde_json::json!(["Machine unlearning"]));
    assert_eq!(records[1][1], "machine-unlearning-for-llms");
    assert_eq!(records[1][3], serde_json::json!([0]));
    assert_eq!(records[1][5], "Ada Lovelace, Alan M. Turing");
    assert_eq!(records[1][6], "");
}

#[test]
fn urls_keep_their_affixes_unless_every_url_shares_them() {
    let mut docs = corpus();
    docs[0].url = "notes/a.html".into();
    docs[1].topics = vec!["Zebra".into(), "Audio".into()];
    let meta = script_data(&build(&docs, &SearchConfig::default())[0]);
    assert_eq!(meta["names"]["url_affixes"], serde_json::json!(["", ""]));
    assert_eq!(meta["names"]["topics"], serde_json::json!(["Audio", "Machine unlearning", "Zebra"]));
    let records = meta["doc_list"].as_array().unwrap();
    let record = records.iter().find(|r| r[0] == "AstroM^3: a self-supervised model").unwrap();
    assert_eq!(record[3], serde_json::json!([2, 0]), "in the paper's order");
    assert!(records.iter().any(|r| r[1] == "notes/a.html"));
}

#[test]
fn the_index_is_deterministic() {
    let docs = corpus();
    let config = SearchConfig { split_above_kb: 0, ..SearchConfig::default() };
    assert_eq!(build(&docs, &config), build(&docs, &config));
}
