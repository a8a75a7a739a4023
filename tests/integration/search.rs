//! Search: the index files, the search page and the header box; and, with
//! the tools `.ci/run` installs (node, `tests/search/node_modules`,
//! Chromium), ranking parity with elasticlunr.js 0.9.5, stemmer parity with
//! elasticlunr-rs, and the search page in a real browser from `file://`.
//! The tests that need those tools are `#[ignore]`d, so that `cargo test`
//! counts them as not run; `cargo test -- --include-ignored` (as `.ci/run`
//! does after installing them) runs them, and a missing tool then fails.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use elasticlunr::Language;
use paperpress::BuildOptions;
use paperpress::config::{SearchConfig, Site};

use crate::support::{build, fixture, page, repo_root, texts};

/// Fails a test run with `--include-ignored` whose tool is missing.
fn require(present: bool, what: &str) {
    assert!(present, "{what}: install it (`.ci/run` does) or leave this test ignored");
}

fn has_node() -> bool {
    Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn node_modules() -> PathBuf {
    repo_root().join("tests/search/node_modules")
}

/// Runs `node tests/search/<script> <arg>` and asserts that it passes.
fn run_node(script: &str, arg: &Path) {
    let output = Command::new("node").arg(repo_root().join("tests/search").join(script)).arg(arg).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("{stdout}{stderr}");
    assert!(output.status.success(), "{script} failed:\n{stdout}\n{stderr}");
}

/// Builds the site at `root` into `output` with its search settings changed.
fn build_into(root: &Path, output: &Path, configure: impl FnOnce(&mut SearchConfig)) {
    let mut site = Site::load(root).unwrap();
    configure(&mut site.config.search);
    let options = BuildOptions { output: Some(output.to_path_buf()), ..BuildOptions::default() };
    paperpress::build(&site, &options).unwrap_or_else(|e| panic!("build of {} failed: {e:#}", root.display()));
}

/// The stems elasticlunr-rs indexes `text` as.
fn rust_stems(text: &str) -> Vec<String> {
    let english = elasticlunr::lang::English::new();
    english.make_pipeline().run(english.tokenize(text))
}

/// A small deterministic random source (64-bit LCG, high bits).
struct Random(u64);

impl Random {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.unit() * n as f64) as usize).min(n - 1)
    }
    fn pick<'a>(&mut self, items: &'a [String]) -> &'a str {
        &items[self.below(items.len())]
    }
    /// Skewed towards the start, like word frequencies.
    fn skewed<'a>(&mut self, items: &'a [String]) -> &'a str {
        let u = self.unit();
        &items[((u * u * u) * items.len() as f64) as usize]
    }
}

/// Words of the example digest, most frequent first, plus odd tokens.
fn vocabulary() -> Vec<String> {
    let text = std::fs::read_to_string(repo_root().join("content/digests/2025-08-06.txt")).unwrap();
    let mut counts = std::collections::HashMap::new();
    for word in text.split_whitespace().filter(|w| !w.contains('$') && !w.contains("://")) {
        *counts.entry(word.trim_matches(|c: char| "*_`[]<>#\\".contains(c)).to_string()).or_insert(0) += 1;
    }
    let mut words: Vec<(String, i32)> = counts.into_iter().filter(|(w, _)| !w.is_empty()).collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut words: Vec<String> = words.into_iter().map(|(w, _)| w).collect();
    let odd = ["naïveté", "Fréchet", "x🚀y", "ΟΔΟΣ", "caresses", "ponies", "agreed", "12.5%", "it's", "3D", "GPT-4o"];
    for (i, word) in odd.iter().enumerate() {
        words.insert(40 + i * 37, word.to_string());
    }
    words
}

const FIRST: &[&str] =
    &["Ada", "Alan", "Grace", "Yann", "Fei-Fei", "Jürgen", "Geoffrey", "Daphne", "Andrej", "Chelsea"];
const LAST: &[&str] =
    &["Lovelace", "Turing", "Hopper", "LeCun", "Li", "Schmidhuber", "Hinton", "Koller", "Karpathy", "Finn"];
const TOPICS: &[&str] =
    &["Machine unlearning", "Diffusion models", "Reinforcement learning", "Speech", "Graph neural networks", "Agents"];

/// A site of `papers` generated paper pages with authors and topics.
fn synthetic_site(dir: &Path, papers: usize) -> Vec<String> {
    let words = vocabulary();
    let mut random = Random(7);
    let pages = dir.join("content/papers");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(dir.join("site.toml"), "title = \"Synthetic\"\n").unwrap();
    let mut texts = Vec::new();
    for i in 0..papers {
        let title: Vec<&str> = (0..4 + random.below(9)).map(|_| random.skewed(&words)).collect();
        let body: Vec<&str> = (0..60 + random.below(140)).map(|_| random.skewed(&words)).collect();
        let authors: Vec<String> = (0..1 + random.below(6))
            .map(|_| format!("{} {}", FIRST[random.below(10)], LAST[random.below(10)]))
            .collect();
        let topics: Vec<&str> = (0..random.below(4)).map(|_| TOPICS[random.below(TOPICS.len())]).collect();
        let front = format!(
            "+++\nid = \"2501.{:05}\"\ntitle = {}\ndate = 2025-01-{:02}\nauthors = {}\ntopics = {}\n+++\n\n{}\n",
            i + 1,
            toml::Value::from(title.join(" ")),
            1 + i % 28,
            toml::Value::from(authors.clone()),
            toml::Value::from(topics.clone()),
            body.join(" "),
        );
        std::fs::write(pages.join(format!("2501.{:05}.md", i + 1)), front).unwrap();
        texts.push(title.join(" "));
        texts.push(body.join(" "));
        texts.push(authors.join(", "));
        texts.push(topics.join(", "));
    }
    texts
}

/// Queries a reader might type, and odd ones: `(text, Rust tokens)`.
fn queries(texts: &[String], count: usize) -> Vec<(String, Vec<String>)> {
    let mut random = Random(11);
    let odd = [
        "the of and",
        "unlearning",
        "machine unlearning",
        "Machine-Unlearning",
        "UNLEARNING models",
        "model model",
        "diffusion, (models)",
        "self-supervised",
        "12.5%",
        "3d",
        "zzzzqx",
        "naïve",
        "x🚀y",
        "🚀",
        "caress",
        "poni",
        "agre",
        "it's",
        "e.g.",
        "hinton",
        "Grace Hopper",
        "reinforcement learn",
        "m",
        "mo",
        "a",
        "l",
        "1",
        "_",
    ];
    let mut out: Vec<String> = odd.iter().map(|s| s.to_string()).collect();
    while out.len() < count {
        let text = random.pick(texts);
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        let start = random.below(words.len());
        let n = 1 + random.below(3);
        let mut query: Vec<String> = words[start..(start + n).min(words.len())].iter().map(|w| w.to_string()).collect();
        if random.unit() < 0.3 {
            let last = query.pop().unwrap();
            let cut: String = last.chars().take(1 + random.below(5)).collect();
            query.push(cut);
        }
        out.push(query.join(" "));
    }
    out.into_iter().map(|q| (q.clone(), rust_stems(&q))).collect()
}

#[test]
fn the_search_page_and_index_are_built() {
    let site = fixture("site");
    build(site.path());
    let search = page(site.path(), "search.html");
    assert_eq!(texts(&search, "h1"), ["Search"]);
    assert_eq!(texts(&search, "label[for=search-page-input]"), ["Search titles, authors, topics and abstracts"]);
    assert!(site.path().join("public/search/index.js").is_file());
    assert!(site.path().join("public/search.js").is_file());
    // Every page has the search box, with a label, submitting to the search page.
    for path in ["index.html", "papers/2508.00002.html", "days/2025-08-05.html"] {
        let html = page(site.path(), path);
        let root = if path.contains('/') { "../" } else { "" };
        assert!(
            html.contains(r#"<input id="site-search-input" type="search" name="q" aria-label="Search papers""#),
            "{path}"
        );
        assert!(html.contains(&format!("action=\"{root}search.html\"")), "{path}");
        // One script tag: list.js loads the others it names, search.js among them.
        let tag = format!("<script src=\"{root}list.js\" data-load=\"saved.js search.js\" defer>");
        assert!(html.contains(&tag), "{path}");
    }
}

#[test]
fn titles_are_data_in_the_index() {
    let site = fixture("site");
    build(site.path());
    let index = std::fs::read_to_string(site.path().join("public/search/index.js")).unwrap();
    // The fixture's title `<b>Bold</b> claims & "quotes"` is a JSON string, shown with textContent.
    assert!(index.contains(r#""<b>Bold</b> claims & \"quotes\" in a title""#), "{index}");
}

#[test]
fn search_can_be_turned_off() {
    let site = fixture("site");
    let toml = site.path().join("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[search]\nenabled = false\n")).unwrap();
    build(site.path());
    assert!(!site.path().join("public/search.html").exists());
    assert!(!site.path().join("public/search").exists());
    assert!(!page(site.path(), "index.html").contains("site-search-input"));
}

/// The names of the shard files of the index in `public` (none for a
/// single-file index), from `search/index.js`.
fn shard_names(public: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(public.join("search/index.js")).unwrap();
    let json = text.split_once(',').unwrap().1.trim_end().trim_end_matches(");");
    let meta: serde_json::Value = serde_json::from_str(json).unwrap();
    meta["shard_names"].as_array().map_or(Vec::new(), |n| n.iter().map(|n| n.as_str().unwrap().to_string()).collect())
}

#[test]
#[ignore = "needs node and tests/search/node_modules (npm ci)"]
fn client_ranks_like_elasticlunr_js() {
    require(
        has_node() && node_modules().join("elasticlunr").is_dir(),
        "ranking parity needs node and `npm ci --prefix tests/search`",
    );
    let dir = tempfile::tempdir().unwrap();
    let example = dir.path().join("example");
    build_into(&repo_root(), &example, |s| s.elasticlunr_json = true);
    let synthetic = dir.path().join("synthetic");
    let mut texts = synthetic_site(&synthetic, 1000);
    build_into(&synthetic, &synthetic.join("public"), |s| s.elasticlunr_json = true);
    let names = shard_names(&synthetic.join("public"));
    assert!(names.len() > 1, "1,000 papers make a split index");
    assert!(names.iter().all(|n| synthetic.join(format!("public/search/s{n}.js")).is_file()));
    assert!(shard_names(&example).is_empty(), "the example site has a single-file index");
    texts.extend(
        std::fs::read_to_string(repo_root().join("content/digests/2025-08-06.txt")).unwrap().lines().map(String::from),
    );
    let cases = serde_json::json!({
        "sites": [
            {"name": "example", "dir": example},
            {"name": "synthetic-1000", "dir": synthetic.join("public")},
        ],
        "queries": queries(&texts, 400).into_iter().map(|(text, tokens)| serde_json::json!({"text": text, "tokens": tokens})).collect::<Vec<_>>(),
    });
    let file = dir.path().join("parity.json");
    std::fs::write(&file, cases.to_string()).unwrap();
    run_node("parity.js", &file);
}

#[test]
#[ignore = "needs node"]
fn client_stems_like_elasticlunr_rs() {
    require(has_node(), "stemmer parity needs node");
    let dir = tempfile::tempdir().unwrap();
    let mut texts = synthetic_site(dir.path(), 300);
    texts.extend(
        std::fs::read_to_string(repo_root().join("content/digests/2025-08-06.txt")).unwrap().lines().map(String::from),
    );
    let mut words: BTreeSet<String> = texts.iter().flat_map(|t| t.split_whitespace().map(String::from)).collect();
    let edge_cases = [
        "caresses",
        "ponies",
        "ties",
        "caress",
        "cats",
        "feed",
        "agreed",
        "disabled",
        "matting",
        "mating",
        "meeting",
        "milling",
        "messing",
        "meetings",
        "sses",
        "ies",
        "eed",
        "ssess",
        "iess",
        "eeds",
        "bleed",
        "happy",
        "sky",
        "byy",
        "leeshyy",
        "yelling",
        "relational",
        "conditional",
        "rational",
        "valenci",
        "digitizer",
        "conformabli",
        "radicalli",
        "differentli",
        "vileli",
        "analogousli",
        "vietnamization",
        "predication",
        "operator",
        "feudalism",
        "decisiveness",
        "hopefulness",
        "callousness",
        "formaliti",
        "sensitiviti",
        "sensibiliti",
        "triplicate",
        "formative",
        "formalize",
        "electriciti",
        "electrical",
        "hopeful",
        "goodness",
        "revival",
        "allowance",
        "inference",
        "airliner",
        "gyroscopic",
        "adjustable",
        "defensible",
        "irritant",
        "replacement",
        "adjustment",
        "dependent",
        "adoption",
        "homologou",
        "communism",
        "activate",
        "angulariti",
        "homologous",
        "effective",
        "bowdlerize",
        "probate",
        "rate",
        "cease",
        "controll",
        "roll",
        "apology",
        "archaeology",
        "eing",
        "ion",
        "a\u{0924}ed",
        "a\u{0924}ing",
        "ab\u{0924}ed",
        "a\u{0e01}ed",
        "spatiëring",
        "naïveté",
        "café",
        "résumé",
        "a\u{0451}ed",
        "x🚀",
        "🚀ing",
        "ab🚀ed",
        "ΟΔΟΣ",
        "ὈΔΥΣΣΕΎΣ",
        "İstanbul",
        "KNACKERIES",
        "RUNNING",
        "Straße",
        "[[tag]]",
        "it's",
        "'quoted'",
        "e.g.",
        "_x_",
        "-",
        "—",
        "a\u{00a0}b",
        "a\u{0085}b",
        "a\u{feff}b",
        "a\u{200b}b",
        "a\u{3000}b",
        "a\u{2028}b",
        "3.5",
        "12.5%",
        "1,000",
        "(paren)",
        "w/o",
        "n>2",
        "AstroM^3:",
        "x-y-z",
        "--a--",
        "The",
        "THE",
        "tHe",
        "",
        "   ",
        "a",
        "ab",
        "abc",
        "yy",
        "yyy",
        "sss",
        "eeed",
        "ied",
        "bies",
        "fizzing",
    ];
    words.extend(edge_cases.iter().map(|s| s.to_string()));
    let mut cases: Vec<(String, Vec<String>)> = words.into_iter().map(|w| (w.clone(), rust_stems(&w))).collect();
    cases.extend(texts.iter().take(200).map(|t| (t.clone(), rust_stems(t))));
    assert!(cases.len() > 2000, "{} cases", cases.len());
    let file = dir.path().join("stemmer.json");
    std::fs::write(&file, serde_json::to_string(&cases).unwrap()).unwrap();
    run_node("stemmer.js", &file);
}

fn chromium() -> Option<PathBuf> {
    let candidates = [std::env::var_os("PAPERPRESS_CHROMIUM").map(PathBuf::from), Some("/usr/bin/chromium".into())];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

#[test]
#[ignore = "needs chromium"]
fn the_search_page_finds_unlearning_papers_from_file_urls() {
    let chromium = chromium();
    require(chromium.is_some(), "the browser test needs Chromium (`apt-get install chromium`)");
    let chromium = chromium.expect("checked just above");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build_into(&repo_root(), &out, |_| {});
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}/search.html?q=unlearning", out.display());
    let output = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        .args(["--disable-component-update", "--disable-sync", "--no-first-run", "--virtual-time-budget=10000"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", &url])
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "chromium failed: {}", String::from_utf8_lossy(&output.stderr));
    let found = texts(&dom, ".search-result h2");
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    let expected: Vec<String> =
        texts(&home, ".paper-list h2").into_iter().filter(|t| t.to_lowercase().contains("unlearning")).collect();
    assert!(expected.len() >= 5, "{expected:?}");
    for title in &expected {
        assert!(found.contains(title), "`{title}` not among the results {found:?}");
    }
    assert_eq!(texts(&dom, "#search-status"), [format!("{} papers match “unlearning”", found.len())]);
    // Results link to the papers' files, and the matches are marked.
    let document = scraper::Html::parse_document(&dom);
    let links = scraper::Selector::parse(".search-result h2 a").unwrap();
    for link in document.select(&links) {
        let href = link.value().attr("href").unwrap();
        let path = href.strip_prefix("file://").expect("a file URL");
        assert!(Path::new(path).is_file(), "{href}");
    }
    assert!(!texts(&dom, ".search-result mark").is_empty());
}

#[test]
#[ignore = "needs chromium, node and tests/search/node_modules (npm ci)"]
fn the_header_box_and_keyboard_work_in_a_browser() {
    require(
        chromium().is_some() && has_node() && node_modules().join("playwright-core").is_dir(),
        "the keyboard test needs Chromium, node and `npm ci --prefix tests/search`",
    );
    let site = fixture("site");
    build(site.path());
    run_node("browser.js", &site.path().join("public"));
}

#[test]
#[ignore = "needs node"]
fn a_readers_search_finds_ids_and_corrects_typos_on_a_split_index() {
    assert!(has_node(), "needs node");
    let dir = tempfile::tempdir().unwrap();
    synthetic_site(dir.path(), 1000);
    build_into(dir.path(), &dir.path().join("public"), |_| {});
    let names = shard_names(&dir.path().join("public"));
    assert!(names.len() > 1 && names.iter().all(|n| dir.path().join(format!("public/search/v{n}.js")).is_file()));
    assert!(dir.path().join("public/search/i2501.js").is_file());
    run_node("find.js", &dir.path().join("public"));
}

#[test]
fn issue_16_a_theme_search_js_of_another_index_format_gets_a_note() {
    let site = fixture("site");
    let note = |report: &paperpress::BuildReport| report.notes.iter().any(|n| n.contains("search.js"));
    assert!(!note(&build(site.path())), "the built-in client reads the index it is built with");
    // A copy ejected before the index format changed.
    let client = std::fs::read_to_string(repo_root().join("themes/default/static/search.js")).unwrap();
    let current = format!("meta.format !== {}", paperpress::search::FORMAT);
    assert!(client.contains(&current));
    let old = client.replace(&current, &format!("meta.format !== {}", paperpress::search::FORMAT - 1));
    let static_dir = site.path().join("themes/default/static");
    std::fs::create_dir_all(&static_dir).unwrap();
    std::fs::write(static_dir.join("search.js"), old).unwrap();
    let report = build(site.path());
    let text = report.notes.iter().find(|n| n.contains("search.js")).expect("a note on the old client");
    assert!(text.contains("paperpress theme eject") && text.contains("format 5"), "{text}");
    // The current client, copied: no note.
    std::fs::write(static_dir.join("search.js"), client).unwrap();
    assert!(!note(&build(site.path())));
}
