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
    Numbered::new(docs.to_vec(), None).docs
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
fn papers_are_numbered_oldest_first_then_by_url() {
    let docs = sorted(&corpus());
    let order: Vec<&str> = docs.iter().map(|d| d.url.as_str()).collect();
    assert_eq!(
        order,
        [
            "papers/.html",
            "papers/astrom-3-a-self-supervised-model.html",
            "papers/caresses-ponies-and-agreed-feeds.html",
            "papers/machine-unlearning-for-llms.html",
            "papers/the-the-the.html",
        ]
    );
}

/// Papers of `days` days from `first`, with words drawn from a vocabulary
/// of `words` made-up terms (a few common, most rare, as in abstracts).
fn days_of_papers(first: usize, days: usize, per_day: usize, words: usize) -> Vec<SearchDoc> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let term = |i: usize| format!("t{}x{}", i % 97, i / 97);
    let mut docs = Vec::new();
    for day in first..first + days {
        for p in 0..per_day {
            // Zipf-like: the square of a uniform number favours low ranks.
            let mut pick = || {
                let u = next(1000);
                term(u * u * words / 1_000_000)
            };
            let title: Vec<String> = (0..8).map(|_| pick()).collect();
            let abstract_words: Vec<String> = (0..120).map(|_| pick()).collect();
            let mut paper = doc(&format!("{} {day} {p}", title.join(" ")), &abstract_words.join(" "), "");
            paper.date = format!("2025-{:02}-{:02}", 1 + day / 28, 1 + day % 28);
            docs.push(paper);
        }
    }
    docs
}

#[test]
fn a_new_day_leaves_most_index_files_as_they_were() {
    // 40 days of 30 papers, then a 41st day: the papers before it keep
    // their numbers and their topics theirs, so their display files keep
    // their bytes and a rebuild writes only the new papers' display files
    // (and the shards, which hold postings of most words).
    let config = SearchConfig { split_above_kb: 0, ..SearchConfig::default() };
    let before = build(&days_of_papers(0, 40, 30, 6000), &config);
    let mut docs = days_of_papers(0, 40, 30, 6000);
    // The new day brings a topic whose name sorts before the others.
    docs.extend(days_of_papers(40, 1, 30, 6000).into_iter().map(|mut d| {
        d.topics.insert(0, "Aardvark models".into());
        d
    }));
    let after = build(&docs, &config);
    let old: BTreeMap<&str, &[u8]> = before.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())).collect();
    let display: Vec<&OutputFile> = after.iter().filter(|f| f.path.starts_with("search/d")).collect();
    let kept = display.iter().filter(|f| old.get(f.path.as_str()) == Some(&f.bytes.as_slice())).count();
    // 1,200 papers filled 150 files of eight; 1,230 fill 154.
    assert_eq!((kept, display.len()), (150, 154), "display files kept, of all");
    let meta = |files: &[OutputFile]| script_data(files.iter().find(|f| f.path == "search/index.js").unwrap());
    assert_eq!((meta(&before)["docs"].clone(), meta(&after)["docs"].clone()), (1200.into(), 1230.into()));
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
    // One shard, named by six digits of a hash of its first stem.
    let index = split.iter().find(|f| f.path == "search/index.js").unwrap();
    let name = script_data(index)["shard_names"][0].as_str().unwrap().to_string();
    assert!(name.len() == 6 && name.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'v').contains(&b)), "{name}");
    assert_eq!(
        paths,
        [
            "search/d0.js",
            "search/d1.js",
            "search/elasticlunr.json",
            "search/index.js",
            &format!("search/s{name}.js"),
            &format!("search/v{name}.js")
        ]
    );
    assert_eq!(script_data(&split[3])["format"], 5);
    assert_eq!(script_data(&split[3])["shard_keys"], serde_json::json!([""]));
    assert_eq!(script_data(&split[3])["shard_names"], serde_json::json!([name]));
    assert_eq!(script_data(&split[3])["vocab"], true);
    let (shard, stems) = (script_data(&split[4]), script_data(&split[5]));
    assert!(shard.get("stems").is_none(), "a split shard's stems are in its vocabulary file alone");
    let stems = stems.as_array().unwrap();
    assert!(stems.iter().any(|s| s == "unlearn"));
    assert_eq!(stems.len(), shard["postings"][3].as_array().unwrap().len(), "one posting list per stem");
    // Oldest first: the five older papers and three of the corpus, then
    // the two newest (by URL among papers of the same day).
    let records = script_data(&split[1]);
    assert_eq!(records[0][0], "Machine Unlearning for LLMs");
    assert_eq!(records[1][0], "The the THE");
    // Topics are numbers into the names of `index.js`, URLs without what
    // every URL starts and ends with.
    let names = &script_data(&split[3])["names"];
    assert_eq!(names["url_affixes"], serde_json::json!(["papers/", ".html"]));
    assert_eq!(names["topics"], serde_json::json!(["Machine unlearning"]));
    assert_eq!(records[0][1], "machine-unlearning-for-llms");
    assert_eq!(records[0][3], serde_json::json!([0]));
    assert_eq!(records[0][5], "Ada Lovelace, Alan M. Turing");
    assert_eq!(records[0][6], "");
}

#[test]
fn urls_keep_their_affixes_unless_every_url_shares_them() {
    let mut docs = corpus();
    docs[0].url = "notes/a.html".into();
    docs[1].topics = vec!["Zebra".into(), "Audio".into()];
    let meta = script_data(&build(&docs, &SearchConfig::default())[0]);
    assert_eq!(meta["names"]["url_affixes"], serde_json::json!(["", ""]));
    // Named in the order the papers, oldest first, first have them.
    assert_eq!(meta["names"]["topics"], serde_json::json!(["Machine unlearning", "Zebra", "Audio"]));
    let records = meta["doc_list"].as_array().unwrap();
    let record = records.iter().find(|r| r[0] == "AstroM^3: a self-supervised model").unwrap();
    assert_eq!(record[3], serde_json::json!([1, 2]), "in the paper's order");
    assert!(records.iter().any(|r| r[1] == "notes/a.html"));
}

#[test]
fn the_index_is_deterministic() {
    let docs = corpus();
    let config = SearchConfig { split_above_kb: 0, ..SearchConfig::default() };
    assert_eq!(build(&docs, &config), build(&docs, &config));
}

/// A sink that keeps, as an incremental build does, the files made from
/// the inputs it saw last time (by path), and collects the others.
#[derive(Default)]
struct Keeping {
    last: std::collections::HashMap<String, u64>,
    seen: std::sync::Mutex<std::collections::HashMap<String, u64>>,
    made: Collect,
}

impl Sink for Keeping {
    fn put(&self, file: OutputFile) -> crate::error::Result<()> {
        self.made.put(file)
    }

    fn paths(&self) -> Vec<String> {
        self.made.paths()
    }

    fn put_made(&self, path: &str, reads: u64, make: &mut dyn FnMut() -> OutputFile) -> crate::error::Result<()> {
        self.seen.lock().unwrap().insert(path.to_string(), reads);
        if self.last.get(path) == Some(&reads) { Ok(()) } else { self.made.put(make()) }
    }
}

/// [`write_lazily`] over `docs`' outlines, with the memo in `cache`, into
/// a sink that keeps the files made from what `last` says: the files
/// made, what each was made from, and how many titles and abstracts it
/// asked for.
fn built_lazily(
    docs: &[SearchDoc],
    config: &SearchConfig,
    cache: &std::path::Path,
    last: std::collections::HashMap<String, u64>,
) -> (Vec<OutputFile>, std::collections::HashMap<String, u64>, usize) {
    let outlines: Vec<SearchDoc> =
        docs.iter().map(|d| SearchDoc { title: String::new(), abstract_text: String::new(), ..d.clone() }).collect();
    let keys = docs.iter().map(|d| crate::cache_file::hash128(&format!("{d:?}"))).collect();
    let asked = std::sync::atomic::AtomicUsize::new(0);
    let texts = |i: usize| {
        asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        (docs[i].title.clone(), docs[i].abstract_text.clone())
    };
    let sink = Keeping { last, ..Keeping::default() };
    write_lazily(outlines, Lazy { keys, texts: &texts }, config, &sink, cache).unwrap();
    (sink.made.into_files(), sink.seen.into_inner().unwrap(), asked.into_inner())
}

#[test]
fn an_index_of_outlines_makes_only_the_texts_it_needs_and_the_same_files() {
    for split_above_kb in [0, 10_000] {
        let cache = tempfile::tempdir().unwrap();
        let config = SearchConfig { split_above_kb, ..SearchConfig::default() };
        let before = days_of_papers(0, 40, 30, 6000);
        let (files, seen, asked) = built_lazily(&before, &config, cache.path(), Default::default());
        assert_eq!(files, build(&before, &config), "a first build, split above {split_above_kb} KB");
        assert_eq!(asked, before.len(), "a first build makes every paper's texts");
        // A new day: the memo knows the other papers, and their display
        // files are kept.
        let mut after = before.clone();
        after.extend(days_of_papers(40, 1, 30, 6000));
        let (files, _, asked) = built_lazily(&after, &config, cache.path(), seen);
        let whole = build(&after, &config);
        if split_above_kb == 0 {
            let kept: Vec<&OutputFile> = whole.iter().filter(|f| !files.iter().any(|g| g.path == f.path)).collect();
            assert!(files.iter().all(|f| whole.contains(f)), "every file made is the one a full build makes");
            assert_eq!(kept.iter().filter(|f| f.path.starts_with("search/d")).count(), 150, "display files kept");
            // 1,200 papers fill 150 display files exactly: the new day's
            // 30 papers have files of their own.
            assert_eq!(asked, 30, "only the new papers' texts are made");
        } else {
            assert_eq!(files, whole, "one file, with every paper's texts");
            assert_eq!(asked, after.len());
        }
    }
}
