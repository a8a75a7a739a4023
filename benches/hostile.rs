//! Times the hostile inputs of issue 12 (about 1 MB each, one per path
//! that was once quadratic; `tests/integration/hostile_inputs.rs`) through
//! the whole build path: parsed, and built in memory with feeds.
//!
//!     cargo bench --bench hostile
//!
//! Each should take about as long as a benign input of its size: a few
//! hundred milliseconds, where the quadratic paths took minutes.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use paperpress::config::Config;
use paperpress::source;

#[path = "../tests/integration/hostile_inputs.rs"]
mod hostile_inputs;

fn hostile(c: &mut Criterion) {
    let config = Config { base_url: "https://example.org/".into(), ..Config::default() };
    let mut group = c.benchmark_group("hostile 1 MB input, parsed and built");
    group.sample_size(10);
    for (name, text) in hostile_inputs::all() {
        group.bench_function(name, |b| {
            b.iter(|| {
                let parsed = source::parse_text(&text, Path::new(name), None, None).unwrap();
                paperpress::build_in_memory(&config, parsed.papers).unwrap().len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, hostile);
criterion_main!(benches);
