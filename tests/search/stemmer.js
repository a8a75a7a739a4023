// Stemmer parity: the client's tokenizer + pipeline against the Rust one.
//
//   node stemmer.js CASES.json
//
// CASES = [[text, [stems from elasticlunr-rs]], ...]: every word of the test
// corpora plus edge cases. Needs no npm package.
'use strict';
const fs = require('fs');
const { client } = require('./load');

const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const failures = [];
for (const [text, expected] of cases) {
  const actual = client.analyze(text);
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    failures.push(`${JSON.stringify(text)}: ${JSON.stringify(actual)}, Rust has ${JSON.stringify(expected)}`);
  }
}
console.log(`stemmer: ${cases.length} texts, ${failures.length} different`);
if (failures.length) {
  failures.slice(0, 30).forEach((f) => console.error('MISMATCH ' + f));
  process.exit(1);
}
