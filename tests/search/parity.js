// Ranking parity: the theme's search client against npm's elasticlunr@0.9.5
// loading the complete elasticlunr-rs index of the same site.
//
//   node parity.js CASES.json
//
// CASES = {sites: [{name, dir}], queries: [{text, tokens}]}: `dir` is a
// built site with search/elasticlunr.json; `tokens` are the query's tokens
// from the Rust pipeline (elasticlunr-rs), which the oracle searches for
// (elasticlunr.js's own stemmer differs from the Rust one on a few words).
// Every query runs with AND and OR, with and without prefix expansion. The
// client must return the same refs in the same order, with scores within
// 1e-9, and tokenise the text into the same tokens.
'use strict';
const fs = require('fs');
const path = require('path');
const elasticlunr = require('elasticlunr');
const { engine } = require('./load');

const TOLERANCE = 1e-9;
const SETTINGS = [
  { bool: 'AND', expand: true }, { bool: 'AND', expand: false },
  { bool: 'OR', expand: true }, { bool: 'OR', expand: false },
];

function oracle(dir) {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'search', 'elasticlunr.json'), 'utf8'));
  const index = elasticlunr.Index.load(json);
  // Search for the Rust tokens as they are: no JS tokenizer, no JS pipeline.
  index.pipeline = new elasticlunr.Pipeline();
  return index;
}

function compare(expected, actual) {
  if (expected.length !== actual.length) return `${expected.length} results expected, got ${actual.length}`;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i], a = actual[i];
    if (Number(e.ref) !== a.ref) return `result ${i}: ref ${e.ref} (${e.score}) expected, got ${a.ref} (${a.score})`;
    if (!(Math.abs(e.score - a.score) <= TOLERANCE)) return `result ${i} (ref ${e.ref}): score ${e.score} expected, got ${a.score}`;
  }
  return null;
}

async function main() {
  const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  elasticlunr.tokenizer = (tokens) => tokens.slice();
  const failures = [];
  let rankings = 0, results = 0, nonEmpty = 0, identical = 0;
  for (const site of cases.sites) {
    const index = oracle(site.dir);
    const client = engine(site.dir);
    const fields = {};
    client.meta.fields.forEach((f, i) => { fields[f] = { boost: client.meta.boost[i] }; });
    for (const query of cases.queries) {
      for (const setting of SETTINGS) {
        const expected = query.tokens.length ? index.search(query.tokens, { fields, bool: setting.bool, expand: setting.expand }) : [];
        const found = await client.search(query.text, setting);
        rankings++;
        results += expected.length;
        if (expected.length) nonEmpty++;
        if (JSON.stringify(found.tokens) !== JSON.stringify(query.tokens)) {
          failures.push(`${site.name} ${JSON.stringify(query.text)}: tokens ${JSON.stringify(found.tokens)}, Rust has ${JSON.stringify(query.tokens)}`);
          continue;
        }
        const problem = compare(expected, found.results);
        if (problem) failures.push(`${site.name} ${JSON.stringify(query.text)} ${setting.bool} expand=${setting.expand}: ${problem}`);
        else if (expected.every((e, i) => e.score === found.results[i].score)) identical++;
      }
    }
  }
  console.log(`parity: ${cases.sites.length} sites x ${cases.queries.length} queries x ${SETTINGS.length} settings = ${rankings} rankings ` +
    `(${nonEmpty} non-empty, ${results} results); ${identical} bit-identical, ${failures.length} different`);
  if (failures.length) {
    failures.slice(0, 20).forEach((f) => console.error('MISMATCH ' + f));
    process.exit(1);
  }
  if (nonEmpty < rankings / 2) {
    console.error('too few queries with results: the cases do not test much');
    process.exit(1);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
