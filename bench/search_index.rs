//! Times building the search index of a site, without the rest of the build.
//!
//!     cargo run --release --example search_index -- SITE_DIR [RUNS [OUT_DIR]]
//!
//! Loads the site's papers once, then builds the index RUNS times (default
//! 5) and prints the median wall time and the median CPU time (user +
//! system, all threads; less sensitive to a busy machine), with the number
//! of files and bytes. With OUT_DIR, also writes the index files there
//! (`OUT_DIR/search/...`), for `bench/search_queries.js`.

use std::time::Instant;

use paperpress::config::Site;
use paperpress::search::{self, SearchDoc};
use paperpress::{content, render};

fn main() -> anyhow::Result<()> {
    env_logger::Builder::new().filter_level(log::LevelFilter::Debug).format_timestamp(None).init();
    let mut args = std::env::args().skip(1);
    let root = args.next().expect("usage: search_index SITE_DIR [RUNS]");
    let runs: usize = args.next().map_or(5, |r| r.parse().expect("RUNS is a number"));
    let out = args.next().map(std::path::PathBuf::from);
    let site = Site::load(std::path::Path::new(&root))?;
    let papers = content::load(&site)?.papers;
    let docs: Vec<SearchDoc> = papers.iter().map(|p| render::search_doc(p, p.topics.clone())).collect();
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut files = Vec::new();
    for _ in 0..runs {
        let (start, start_cpu) = (Instant::now(), cpu_seconds());
        files = search::build(&docs, &site.config.search);
        times.push(start.elapsed().as_secs_f64());
        cpu.push(cpu_seconds() - start_cpu);
    }
    times.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    if let Some(out) = out {
        for file in &files {
            let path = out.join(&file.path);
            std::fs::create_dir_all(path.parent().expect("index files are in a folder"))?;
            std::fs::write(&path, &file.bytes)?;
        }
    }
    println!(
        "{{\"papers\": {}, \"runs\": {runs}, \"median_s\": {:.4}, \"min_s\": {:.4}, \"median_cpu_s\": {:.4}, \"files\": {}, \"bytes\": {bytes}}}",
        docs.len(),
        times[runs / 2],
        times[0],
        cpu[runs / 2],
        files.len()
    );
    Ok(())
}

/// CPU time of this process so far (Linux `/proc/self/stat`, 100 ticks a second).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
