// What a search downloads: runs queries against a built index with a cold
// cache each time, records every index file the client loads (the index,
// shards, and the display data of the first page of results), and reports
// gzip sizes (zlib level 6, what a web server would send).
//
//   node bench/search_queries.js OUT_DIR [QUERIES] [RESULTS_SHOWN]
//
// OUT_DIR holds search/ (from `paperpress build` or
// `cargo run --release --example search_index -- SITE 1 OUT_DIR`). Queries
// are 1-3 consecutive words of random titles of the site (40% one word,
// 40% two, 20% three), typed in full, with the site's settings (AND,
// prefix expansion). Deterministic: the same site gives the same queries.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { engine, readScript } = require('../tests/search/load');

const out = process.argv[2];
const count = Number(process.argv[3] || 200);
const shown = Number(process.argv[4] || 20);

const gzipSizes = new Map();
function gzipSize(file) {
  if (!gzipSizes.has(file)) gzipSizes.set(file, zlib.gzipSync(fs.readFileSync(file), { level: 6 }).length);
  return gzipSizes.get(file);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function titles(meta) {
  if (meta.doc_list) return meta.doc_list.map((d) => d[0]);
  const all = [];
  for (let i = 0; i * meta.docs_per_file < meta.docs; i++) readScript(out, 'd' + i).forEach((d) => all.push(d[0]));
  return all;
}

function queries(meta) {
  let state = 12345n;
  const unit = () => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number(state >> 11n) / 2 ** 53;
  };
  const all = titles(meta);
  const list = [];
  while (list.length < count) {
    const words = all[Math.floor(unit() * all.length)].toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 1);
    const u = unit();
    const n = u < 0.4 ? 1 : u < 0.8 ? 2 : 3;
    if (words.length < n) continue;
    const start = Math.floor(unit() * (words.length - n + 1));
    list.push(words.slice(start, start + n).join(' '));
  }
  return list;
}

function totals() {
  const dir = path.join(out, 'search');
  const sum = { index: [0, 0], shards: [0, 0], docs: [0, 0] };
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.js')) continue;
    const file = path.join(dir, name);
    const kind = name === 'index.js' ? 'index' : name.startsWith('s') ? 'shards' : 'docs';
    sum[kind][0] += fs.statSync(file).size;
    sum[kind][1] += gzipSize(file);
  }
  return sum;
}

async function main() {
  const meta = readScript(out, 'index');
  const list = queries(meta);
  const rows = [];
  for (const query of list) {
    const loaded = [];
    const e = engine(out, loaded);
    const start = process.hrtime.bigint();
    const found = await e.search(query);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    await e.docs(found.results.slice(0, shown).map((r) => r.ref));
    const gz = loaded.reduce((s, f) => s + gzipSize(f.file), 0);
    const raw = loaded.reduce((s, f) => s + f.bytes, 0);
    rows.push({ query, results: found.results.length, files: loaded.length, gz, raw, ms });
  }
  const sum = totals();
  const kb = (b) => Math.round(b / 102.4) / 10;
  const n = meta.docs;
  const report = {
    papers: n,
    queries: rows.length,
    results_shown: shown,
    query_gzip_kb: { median: kb(median(rows.map((r) => r.gz))), p90: kb(percentile(rows.map((r) => r.gz), 0.9)), max: kb(Math.max(...rows.map((r) => r.gz))) },
    query_raw_kb_median: kb(median(rows.map((r) => r.raw))),
    query_files_median: median(rows.map((r) => r.files)),
    results_median: median(rows.map((r) => r.results)),
    rank_ms_median_node: Math.round(median(rows.map((r) => r.ms)) * 10) / 10,
    index_bytes_per_paper: {
      raw: Math.round((sum.index[0] + sum.shards[0] + sum.docs[0]) / n),
      gzip: Math.round((sum.index[1] + sum.shards[1] + sum.docs[1]) / n),
      postings_gzip: Math.round(sum.shards[1] / n),
      display_gzip: Math.round(sum.docs[1] / n),
    },
    heaviest: rows.sort((a, b) => b.gz - a.gz).slice(0, 3).map((r) => `${r.query}: ${kb(r.gz)} KB`),
  };
  console.log(JSON.stringify(report, null, 1));
}

main().catch((e) => { console.error(e); process.exit(1); });
