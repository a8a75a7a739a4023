// A reader's search (Engine.find) on a split index, loading files as the
// browser does: arXiv ids through the id files, typos through the stem
// files, and exact matches ranked as elasticlunr ranks them.
//
//   node find.js SITE_OUT
//
// SITE_OUT is a built site with a split index whose papers have arXiv ids
// (the synthetic 1,000-paper site of tests/integration/search.rs).
'use strict';
const assert = require('assert');
const { engine, client } = require('./load');

async function main() {
  const site = process.argv[2];
  const loaded = [];
  const e = engine(site, loaded);
  assert.ok(e.meta.shard_keys && e.meta.vocab && e.meta.id_groups.length, 'a split index with id and stem files');
  assert.strictEqual(e.meta.shard_names.length, e.meta.shard_keys.length, 'a name for each shard');

  // arXiv ids, with and without a version or as an address, find their paper first.
  for (const query of ['2501.00042', '2501.00042v3', 'arXiv:2501.00042', 'https://arxiv.org/abs/2501.00042v1']) {
    const found = await e.find(query);
    const [doc] = await e.docs([found.results[0].ref]);
    assert.strictEqual(doc.url, 'papers/2501.00042.html', query);
    assert.strictEqual(found.id, '2501.00042');
  }
  assert.ok(loaded.some((f) => f.name === 'i2501'), 'the id came from its group file');
  const unknown = await e.find('2501.99999');
  assert.strictEqual(unknown.results.length, 0, 'an id the site lacks finds nothing');
  assert.strictEqual(unknown.corrected, undefined, 'and is not corrected');

  // Typos: words of the titles with two letters swapped.
  const titles = (await e.docs([...Array(60).keys()])).map((d) => d.title);
  const words = [...new Set(titles.flatMap((t) => t.split(/\s+/)).filter((w) => /^[a-z]{7,}$/.test(w)))];
  let tried = 0, restored = 0;
  for (const word of words) {
    if (word[1] === word[2]) continue;
    const typo = word[0] + word[2] + word[1] + word.slice(3);
    if ((await e.search(typo)).results.length) continue;
    tried++;
    const found = await e.find(typo);
    if (!found.corrected) continue;
    assert.strictEqual(found.corrected.length, 1, `${typo}: one word corrected`);
    assert.strictEqual(found.corrected[0].word, typo);
    assert.ok(found.results.length > 0, `${typo} finds papers`);
    if (found.corrected[0].stem === client.stem(word)) restored++;
    if (tried === 20) break;
  }
  assert.ok(tried >= 10, `only ${tried} typos tried`);
  assert.ok(restored >= tried * 0.8, `${restored} of ${tried} typos corrected to their word`);
  const stemFiles = new Set(e.meta.shard_names.map((n) => 'v' + n));
  assert.ok(loaded.some((f) => stemFiles.has(f.name)), 'candidates came from stem files');

  // Words cut short, as while typing: the stem they begin with.
  let cut = 0, completed = 0;
  for (const word of words.filter((w) => w.length >= 9)) {
    const partial = word.slice(0, -2);
    if ((await e.search(partial)).results.length) continue;
    cut++;
    const found = await e.find(partial);
    if (found.corrected && found.results.length && word.startsWith(found.corrected[0].stem)) completed++;
    if (cut === 10) break;
  }
  assert.ok(cut >= 3, `only ${cut} words cut short matched nothing`);
  assert.ok(completed >= cut * 0.8, `${completed} of ${cut} words cut short completed`);

  // Short words and matching queries are left alone.
  assert.strictEqual((await e.find('modl')).corrected, undefined, 'a word under five letters is not corrected');
  let ties = 0;
  for (const word of words.slice(0, 10)) {
    const exact = await e.search(word);
    const found = await e.find(word);
    assert.strictEqual(found.corrected, undefined);
    const byScore = (rs) => rs.map((r) => [r.score, r.ref]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    assert.deepStrictEqual(byScore(found.results), byScore(exact.results), `${word}: find scores as search`);
    found.results.forEach((r, i) => {
      const next = found.results[i + 1];
      if (next) assert.ok(r.score > next.score || (r.score === next.score && r.ref > next.ref), `${word}: result ${i} out of order`);
    });
    if (found.results.some((r, i) => i > 0 && r.score === found.results[i - 1].score)) ties++;
  }
  assert.ok(ties >= 3, `only ${ties} of 10 queries had equal scores: the order among ties went untested`);
  console.log(`find: ids through id files; ${restored} of ${tried} typos corrected to their word; ${completed} of ${cut} words cut short completed; exact queries scored as elasticlunr, newer first on ties (${ties} of 10 queries had ties)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
