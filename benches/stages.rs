//! Micro-benchmarks of the hot stages of a build, on a synthetic corpus of
//! 1,000 papers (bench/gen_corpus.py, generated on first use under
//! `target/bench-corpus-1000`):
//!
//!     cargo bench --bench stages
//!
//! parse: one day of API JSON; markdown: abstracts to HTML; topics and
//! related: the enrich stage; render: every page; search: the index.

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};
use paperpress::config::Site;
use paperpress::markdown::{self, Trust};
use paperpress::search::{self, SearchDoc};
use paperpress::{content, enrich, model, render, source, theme};

fn corpus() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-corpus-1000");
    if !dir.join("site.toml").exists() {
        let status = Command::new("python3")
            .arg(root.join("bench/gen_corpus.py"))
            .args(["--papers", "1000", "--days", "30", "--format", "json", "--out"])
            .arg(&dir)
            .status()
            .expect("python3 runs bench/gen_corpus.py");
        assert!(status.success(), "bench/gen_corpus.py failed");
    }
    dir
}

fn stages(c: &mut Criterion) {
    let root = corpus();
    let site = Site::load(&root).unwrap();
    let day = std::fs::read_dir(root.join("content/digests")).unwrap().next().unwrap().unwrap().path();
    let day_text = std::fs::read_to_string(&day).unwrap();
    c.bench_function("parse one day of API JSON (~33 papers)", |b| {
        b.iter(|| source::parse_text(&day_text, &day, None, None).unwrap())
    });

    let papers = content::load(&site).unwrap().papers;
    c.bench_function("markdown: 1,000 abstracts to HTML", |b| {
        b.iter(|| papers.iter().map(|p| markdown::to_html(&p.body, Trust::Imported).len()).sum::<usize>())
    });
    c.bench_function("enrich: topics and related papers of 1,000 papers", |b| {
        b.iter(|| enrich::enrich(&papers, &site.config))
    });

    let model = model::Model::new(papers.clone(), Vec::new(), None, &site.config);
    let mut theme = theme::Theme::load(&site).unwrap();
    let hidden = indicatif::ProgressBar::hidden();
    let mut config = site.config.clone();
    config.search.enabled = false;
    c.bench_function("render: every page of 1,000 papers (no search)", |b| {
        b.iter(|| render::render(&config, &model, &mut theme, &hidden).unwrap())
    });

    let docs: Vec<SearchDoc> = papers.iter().map(|p| render::search_doc(p, Vec::new())).collect();
    c.bench_function("search: index of 1,000 papers", |b| b.iter(|| search::build(&docs, &site.config.search)));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = stages
}
criterion_main!(benches);
