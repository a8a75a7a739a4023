// Time to results in headless Chromium, from file://: for each query, a
// fresh browser context opens the built search page (cold: nothing of the
// index loaded yet), the query is put in the box as if typed, and the
// clock runs from that input event until the results are in the page.
// Then the same for the header box of a paper page, two folders deep.
//
//   node bench/search_browser.js SITE_OUT [QUERIES]
//
// Needs tests/search/node_modules (playwright-core, installed by .ci/run)
// and Debian's chromium at /usr/bin/chromium (or $PAPERPRESS_CHROMIUM).
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('../tests/search/node_modules/playwright-core');
const { readScript } = require('../tests/search/load');

const out = path.resolve(process.argv[2]);
const count = Number(process.argv[3] || 30);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Queries: 1-3 words of every n-th title (deterministic). */
function queries() {
  const meta = readScript(out, 'index');
  const docs = meta.doc_list || readScript(out, 'd0').concat(readScript(out, 'd1'), readScript(out, 'd2'));
  const list = [];
  for (let i = 0; list.length < count; i++) {
    const words = docs[(i * 7) % docs.length][0].toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2);
    const n = 1 + (i % 3);
    if (words.length >= n) list.push(words.slice(0, n).join(' '));
  }
  return list;
}

/** Puts `query` in `selector` and resolves to the ms until `done()` holds in the page. */
async function timeQuery(page, selector, query, done) {
  return page.evaluate(([selector, query, done]) => new Promise((resolve) => {
    const input = document.querySelector(selector);
    input.focus();
    const finished = new Function('query', 'return (' + done + ')(query)');
    const start = performance.now();
    setTimeout(() => resolve(Infinity), 10000);
    const observer = new MutationObserver(() => {
      if (finished(query)) { observer.disconnect(); resolve(performance.now() - start); }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    input.value = query;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }), [selector, query, done.toString()]);
}

const pageDone = (query) => {
  const status = document.getElementById('search-status').textContent;
  return status.includes('“' + query.trim() + '”') &&
    (status.startsWith('No') || document.querySelectorAll('#search-results .search-result').length > 0);
};
const boxDone = () => document.querySelectorAll('.search-hit').length > 0 ||
  /No papers/.test(document.querySelector('.search-popup-status').textContent);

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.PAPERPRESS_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'],
  });
  const paper = fs.readdirSync(path.join(out, 'papers')).find((f) => f.endsWith('.html'));
  const cold = [], warm = [], box = [];
  for (const query of queries()) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('file://' + out + '/search.html');
    cold.push(await timeQuery(page, '#search-page-input', query, pageDone));
    warm.push(await timeQuery(page, '#search-page-input', query + ' ', pageDone));
    await page.goto('file://' + out + '/papers/' + paper);
    box.push(await timeQuery(page, '#site-search-input', query, boxDone));
    await context.close();
  }
  await browser.close();
  const r = (v) => Math.round(v * 10) / 10;
  console.log(JSON.stringify({
    site: out,
    queries: cold.length,
    search_page_cold_ms: { median: r(median(cold)), max: r(Math.max(...cold)) },
    search_page_warm_ms: { median: r(median(warm)), max: r(Math.max(...warm)) },
    header_box_from_paper_page_cold_ms: { median: r(median(box)), max: r(Math.max(...box)) },
  }, null, 1));
}

main().catch((e) => { console.error(e); process.exit(1); });
