// axe-core in headless Chromium over the pages a reader lands on (home, a
// paper, a topic, a day, search results, the archives), in the light and the
// dark color scheme, at desktop and phone widths: no serious or critical
// violation. Pages are opened from file://, as a reader of a downloaded site
// would.
'use strict';
const test = require('node:test');
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const lib = require('./lib');

const AXE = path.join(lib.HERE, 'node_modules/axe-core/axe.min.js');
const SERIOUS = new Set(['serious', 'critical']);

/// The serious and critical violations axe finds on the page as it is now.
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations.filter((v) => SERIOUS.has(v.impact));
}

const describe = (where, v) =>
  `${where}: ${v.id} (${v.impact}): ${v.help}\n` +
  v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`).join('\n');

/// The first paper and day pages linked from the home page, and the first
/// topic of the topics overview.
function landmarks(site) {
  const read = (rel) => fs.readFileSync(path.join(site, rel), 'utf8');
  const first = (re, rel) => {
    const m = re.exec(read(rel));
    assert.ok(m, `${rel} links no ${re}`);
    return m[1];
  };
  return {
    paper: first(/href="(papers\/[^"]+\.html)"/, 'index.html'),
    topic: 'topics/' + first(/href="\.\.\/topics\/((?!index\.)[^"/]+\.html)"/, 'topics/index.html'),
    day: first(/href="(days\/(?!index)[^"]+\.html)"/, 'index.html'),
  };
}

const SCHEMES = ['light', 'dark'];
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 375, height: 740 } };

/// Runs axe on each page in every scheme and width; `ready` waits for what
/// a page builds with JavaScript. Returns the findings as text.
async function audit(browser, site, pages) {
  const found = [];
  for (const scheme of SCHEMES) {
    for (const [width, viewport] of Object.entries(VIEWPORTS)) {
      const context = await browser.newContext({ colorScheme: scheme, viewport });
      await lib.publishAt(context, site);
      const page = await context.newPage();
      for (const [name, rel, ready] of pages) {
        await page.goto(lib.fileUrl(site, rel.split('?')[0]) + (rel.includes('?') ? '?' + rel.split('?')[1] : ''));
        if (ready) await ready(page);
        for (const v of await violations(page)) found.push(describe(`${name} (${rel}, ${scheme}, ${width})`, v));
      }
      await context.close();
    }
  }
  return found;
}

/// The header box with its results open, as a reader typing sees it.
const typed = (query) => async (page) => {
  await page.fill('#site-search-input', query);
  await page.waitForSelector('.search-hit');
};

test('axe reports an unlabelled field and unreadable text (the checker runs and is heard)', async (t) => {
  if (!lib.need(t, 'chromium', 'axe')) return;
  const dir = lib.tempDir('axe-canary');
  fs.writeFileSync(
    path.join(dir, 'bad.html'),
    '<!doctype html><html lang="en"><title>x</title><main><input type="text">' +
      '<p style="color:#eee;background:#fff">faint</p></main></html>',
  );
  const browser = await lib.launch();
  try {
    const page = await browser.newPage();
    await page.goto(lib.fileUrl(dir, 'bad.html'));
    const ids = (await violations(page)).map((v) => v.id).sort();
    assert.deepStrictEqual(ids, ['color-contrast', 'label']);
  } finally {
    await browser.close();
  }
});

test('the example site has no serious or critical accessibility violation', async (t) => {
  if (!lib.need(t, 'chromium', 'axe')) return;
  const site = lib.buildExample();
  const { paper, topic, day } = landmarks(site);
  // A topic page of a paginated topic, and a parent's page (its children first).
  const pagedSite = lib.buildExamplePaged(3);
  const paged = lib.files(pagedSite, '.html').find((f) => /^topics\/[^/]+\/2\.html$/.test(f));
  assert.ok(paged, 'with 3 papers a page, the example site has a topic with a second page');
  const parent = lib.files(site, '.html').find((f) => /^topics\/[^/]+\.html$/.test(f) && fs.readFileSync(path.join(site, f), 'utf8').includes('class="topic-children"'));
  assert.ok(parent, 'the example site has a topic with topics under it');
  const results = async (page) => {
    await page.waitForSelector('.search-result');
  };
  const saveTwo = async (page) => {
    await page.goto(lib.fileUrl(site, 'index.html'));
    await page.click('#papers > li:nth-child(1) button.save');
    await page.click('#papers > li:nth-child(2) button.save');
    await page.goto(lib.fileUrl(site, 'saved.html'));
    await page.waitForSelector('#saved-list > li');
  };
  const keys = async (page) => {
    await page.keyboard.press('?');
    await page.waitForSelector('dialog.keys[open]');
  };
  const pages = [
    ['home', 'index.html', null],
    ['home, search box open', 'index.html', typed('unlearning')],
    ['home, sorted and filtered', 'index.html?sort=upvotes&topic=machine-unlearning', null],
    ['home, keys shown', 'index.html', keys],
    ['saved papers', 'saved.html', saveTwo],
    ['search, typo corrected', 'search.html?q=unlerning', results],
    ['search, empty', 'search.html', null],
    ['paper', paper, null],
    ['topic', topic, null],
    ['topic with topics under it', parent, null],
    ['day', day, null],
    ['search results', 'search.html?q=unlearning', results],
    ['search, no match', 'search.html?q=zzzzqx', (page) => page.waitForFunction(() => /No papers/.test(document.getElementById('search-status').textContent))],
    ['all days', 'days/index.html', null],
    ['all topics', 'topics/index.html', null],
    ['about', 'about.html', null],
    ['not found', '404.html', null],
  ];
  const browser = await lib.launch();
  try {
    const found = (await audit(browser, site, pages)).concat(await audit(browser, pagedSite, [['topic, page 2', paged, null]]));
    assert.deepStrictEqual(found, [], `${found.length} serious or critical violations:\n${found.join('\n')}`);
  } finally {
    await browser.close();
  }
  console.log(`axe: ${pages.length + 1} page states x ${SCHEMES.length} schemes x ${Object.keys(VIEWPORTS).length} widths, none serious`);
});

test('an imported API day (authors, summary, details, BibTeX) has no serious or critical violation', async (t) => {
  if (!lib.need(t, 'chromium', 'axe')) return;
  const site = lib.buildImported();
  const days = lib.files(path.join(site, 'days'), '.html').filter((f) => f.startsWith('2025-10-24'));
  assert.deepStrictEqual(days, ['2025-10-24.html']);
  const day = fs.readFileSync(path.join(site, 'days', days[0]), 'utf8');
  const papers = [...day.matchAll(/href="\.\.\/(papers\/[^"]+\.html)"/g)].map((m) => m[1]);
  assert.ok(papers.length >= 3, `the imported day lists ${papers.length} papers`);
  const pages = [['imported day', 'days/2025-10-24.html', null], ...papers.slice(0, 3).map((p) => ['imported paper', p, null])];
  const browser = await lib.launch();
  try {
    const found = await audit(browser, site, pages);
    assert.deepStrictEqual(found, [], `${found.length} serious or critical violations:\n${found.join('\n')}`);
  } finally {
    await browser.close();
  }
});
