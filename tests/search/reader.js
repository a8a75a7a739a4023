// The reader's site in headless Chromium, from file://, driven as a reader
// would: how many papers a screen shows, sorting and filtering a day from
// the address and from the controls, the day picker, the keys, copying
// BibTeX, the reading list across a reload, display math on a phone, and
// search by arXiv id and with a typo, the header box's hits, and the tree of
// the topics overview.
//
//   node reader.js READER_OUT EXAMPLE_OUT
//
// READER_OUT is tests/fixtures/reader built (three real days: Jun 27 and
// Oct 24, 2025 from the Daily Papers API, Oct 25 a text copy listing six of
// Oct 24's papers in another order and a paper with display math);
// EXAMPLE_OUT is the example site (the 72-paper text copy of Aug 6, 2025).
// Prints the density counts. Needs playwright-core (npm ci) and Debian's
// chromium ($PAPERPRESS_CHROMIUM or /usr/bin/chromium).
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const reader = path.resolve(process.argv[2]);
const example = path.resolve(process.argv[3]);
const url = (site, p) => 'file://' + path.join(site, p);
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/// Papers whose card is wholly on the first screen, below the header.
async function density(page) {
  return page.evaluate(() => {
    const header = document.querySelector('body > header').getBoundingClientRect().bottom;
    return [...document.querySelectorAll('main .paper-list > li')].filter((card) => {
      const r = card.getBoundingClientRect();
      return r.top >= header && r.bottom <= window.innerHeight;
    }).length;
  });
}

// The titles of the cards a reader sees: rendered, not only unflagged (a
// card's own display once showed the cards the filter had hidden).
const titles = (page) => page.$$eval('#papers > li h2', (els) => els.filter((e) => e.closest('li').getClientRects().length > 0).map((e) => e.textContent));
const params = (page) => Object.fromEntries(new URL(page.url()).searchParams);

async function checkDensity(browser, counts) {
  for (const [name, site, rel] of [['API day (Oct 24, 18 papers)', reader, 'days/2025-10-24.html'], ['example home (72 papers)', example, 'index.html']]) {
    for (const [width, viewport, least] of [['desktop 1280x900', DESKTOP, 6], ['phone 390x844', PHONE, 3]]) {
      const page = await browser.newPage({ viewport });
      await page.goto(url(site, rel));
      const n = await density(page);
      counts.push(`${name}, ${width}: ${n} papers`);
      assert.ok(n >= least, `${name} at ${width} shows ${n} papers, fewer than ${least}`);
      // The header stays put while the list scrolls.
      await page.mouse.wheel(0, 3000);
      await page.waitForFunction(() => window.scrollY > 1000);
      const top = await page.$eval('body > header', (h) => h.getBoundingClientRect().top);
      assert.strictEqual(top, 0, `${name} at ${width}: the header scrolled away`);
      await page.close();
    }
  }
}

async function checkSortAndFilter(browser) {
  const page = await browser.newPage({ viewport: DESKTOP });
  // From the address: sorted by upvotes, filtered to a topic of the day.
  await page.goto(url(reader, 'days/2025-10-25.html') + '?sort=upvotes&topic=diffusion-models');
  assert.strictEqual(await page.$eval('select[name=sort]', (s) => s.value), 'upvotes');
  assert.strictEqual(await page.$eval('select[name=topic]', (s) => s.value), 'diffusion-models');
  // The filter offers the day's topics, named from topics/names.js, most papers first.
  const offered = await page.$$eval('select[name=topic] option', (os) => os.map((o) => o.textContent));
  assert.strictEqual(offered[0], 'All topics');
  assert.ok(offered.includes('Diffusion models (2)'), offered.join(' | '));
  const counts = offered.slice(1).map((o) => Number(/\((\d+)\)$/.exec(o)[1]));
  assert.deepStrictEqual(counts, counts.slice().sort((a, b) => b - a), 'most papers first');
  const diffusion = await titles(page);
  assert.deepStrictEqual(diffusion, [
    'Loopholing Discrete Diffusion: Deterministic Bypass of the Sampling Wall',
    'DyPE: Dynamic Position Extrapolation for Ultra High Resolution Diffusion',
  ]);
  assert.match(await page.textContent('.list-status'), /^2 of 7 papers in Diffusion models, sorted by upvotes\.$/);
  // The arrow to the day before keeps the state.
  assert.deepStrictEqual(
    Object.fromEntries(new URL(await page.$eval('.day-nav a[rel=prev]', (a) => a.href)).searchParams),
    { sort: 'upvotes', topic: 'diffusion-models' },
  );
  // From the controls: every paper, by upvotes, then papers with code first.
  await page.selectOption('select[name=topic]', '');
  assert.deepStrictEqual(params(page), { sort: 'upvotes' });
  const byVotes = await page.$$eval('#papers > li', (cards) => cards.map((c) => Number((c.querySelector('.votes') || { getAttribute: () => 0 }).getAttribute('value'))));
  assert.deepStrictEqual(byVotes, [...byVotes].sort((a, b) => b - a), 'sorted by upvotes');
  assert.strictEqual(byVotes[0], 39);
  await page.selectOption('select[name=sort]', 'code');
  assert.deepStrictEqual(params(page), { sort: 'code' });
  const code = await page.$$eval('#papers > li', (cards) => cards.map((c) => !!c.querySelector('a.code')));
  assert.deepStrictEqual(code, [...code].sort((a, b) => b - a), 'papers with code first');
  assert.ok(code[0] && !code[code.length - 1]);
  // Digest order again, and the address is clean.
  await page.selectOption('select[name=sort]', '');
  assert.deepStrictEqual(params(page), {});
  assert.strictEqual((await titles(page))[0], 'Thought Communication in Multiagent Collaboration');
  // The state survives a reload.
  await page.selectOption('select[name=topic]', 'agents');
  await page.reload();
  assert.deepStrictEqual(params(page), { topic: 'agents' });
  assert.strictEqual(await page.$eval('select[name=topic]', (s) => s.value), 'agents');
  const shown = await page.$$eval('#papers > li', (cards) => cards.map((c) => [c.getClientRects().length === 0, c.dataset.t.split(' ').includes('agents')]));
  assert.ok(shown.some(([hidden]) => !hidden) && shown.some(([hidden]) => hidden), JSON.stringify(shown));
  assert.ok(shown.every(([hidden, agents]) => hidden !== agents), 'shown exactly when in the topic');
  // A topic that no paper of the day has: no papers, and it says so.
  await page.goto(url(reader, 'days/2025-10-25.html') + '?topic=no-such-topic');
  assert.deepStrictEqual(await titles(page), []);
  assert.match(await page.textContent('.list-status'), /^0 of 7 papers in no-such-topic\.$/);
  // A topic of the site that no paper of the day has (the arrows keep the
  // filter from day to day): it is named, not shown as its slug.
  await page.goto(url(reader, 'days/2025-06-27.html') + '?topic=diffusion-models');
  assert.deepStrictEqual(await titles(page), []);
  assert.match(await page.textContent('.list-status'), /^0 of \d+ papers in Diffusion models\.$/);
  assert.strictEqual(await page.$eval('select[name=topic]', (s) => s.selectedOptions[0].textContent), 'Diffusion models (0)');
  await page.close();
}

async function checkDayPicker(browser) {
  const page = await browser.newPage({ viewport: DESKTOP });
  await page.goto(url(reader, 'days/2025-10-25.html') + '?sort=upvotes');
  // A day without a digest goes to the next day that has one, keeping the sort.
  await Promise.all([page.waitForNavigation(), page.fill('.day-pick', '2025-07-01')]);
  assert.ok(page.url().endsWith('/days/2025-10-24.html?sort=upvotes'), page.url());
  await Promise.all([page.waitForNavigation(), page.fill('.day-pick', '2025-06-27')]);
  assert.ok(page.url().endsWith('/days/2025-06-27.html?sort=upvotes'), page.url());
  assert.strictEqual(await page.textContent('h1'), 'Papers of Jun 27, 2025');
  await page.close();
}

async function checkKeys(browser) {
  const page = await browser.newPage({ viewport: DESKTOP });
  await page.goto(url(reader, 'days/2025-10-24.html'));
  const focused = () => page.evaluate(() => document.activeElement.textContent.trim());
  const cards = await titles(page);
  await page.keyboard.press('j');
  assert.strictEqual(await focused(), cards[0]);
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  assert.strictEqual(await focused(), cards[2]);
  await page.keyboard.press('k');
  assert.strictEqual(await focused(), cards[1]);
  assert.strictEqual(await page.$$eval('.paper-list > li.current', (c) => c.length), 1);
  // Enter opens the paper; j and k go to the next and previous paper of the day.
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.strictEqual(await page.textContent('h1'), cards[1]);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('j')]);
  assert.strictEqual(await page.textContent('h1'), cards[2]);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('k')]);
  assert.strictEqual(await page.textContent('h1'), cards[1]);
  // ? shows the keys; Escape closes them.
  await page.keyboard.press('?');
  assert.ok(await page.isVisible('dialog.keys'));
  assert.match(await page.textContent('dialog.keys'), /Keyboard shortcuts.*\/.*Search.*j.*k/s);
  await page.keyboard.press('Escape');
  assert.ok(!(await page.isVisible('dialog.keys')));
  // / goes to the search box; letters typed there are text, not keys.
  await page.keyboard.press('/');
  assert.strictEqual(await page.evaluate(() => document.activeElement.id), 'site-search-input');
  await page.keyboard.type('jk');
  assert.strictEqual(await page.inputValue('#site-search-input'), 'jk');
  assert.strictEqual(await page.textContent('h1'), cards[1]);
  await page.close();
}

async function checkCopy(browser) {
  const context = await browser.newContext({ viewport: DESKTOP });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  await page.goto(url(reader, 'papers/2510.19779.html'));
  const bibtex = await page.textContent('.cite pre');
  assert.match(bibtex, /^@misc\{hu2025adaspec,/);
  await page.click('button.copy');
  await page.waitForFunction(() => /Copied/.test(document.querySelector('button.copy').textContent));
  assert.strictEqual(await page.evaluate(() => navigator.clipboard.readText()), bibtex);
  await context.close();
}

async function checkSaved(browser) {
  const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(url(reader, 'days/2025-10-24.html'));
  const card = page.locator('#papers > li').nth(1);
  const title = (await card.locator('h2').textContent()).trim();
  await card.locator('button.save').click();
  assert.strictEqual(await card.locator('button.save').getAttribute('aria-pressed'), 'true');
  await page.reload();
  assert.strictEqual(await page.locator('#papers > li').nth(1).locator('button.save').getAttribute('aria-pressed'), 'true', 'saved survives a reload');
  assert.strictEqual(await page.locator('button.save[aria-pressed=true]').count(), 1);
  assert.strictEqual((await page.textContent('body > header nav a[href$="saved.html"]')).trim(), 'Saved 1');
  // Saved from its own page too, with the page's BibTeX.
  await page.goto(url(reader, 'papers/2510.19779.html'));
  await page.click('.actions button.save');
  await page.goto(url(reader, 'saved.html'));
  const listed = await page.$$eval('#saved-list h2', (els) => els.map((e) => e.textContent));
  assert.deepStrictEqual(listed, ['AdaSPEC: Selective Knowledge Distillation for Efficient Speculative Decoders', title]);
  assert.match(await page.textContent('#saved-status'), /^2 papers saved in this browser/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-saved=export]')]);
  assert.strictEqual(download.suggestedFilename(), 'saved-papers.bib');
  const bib = fs.readFileSync(await download.path(), 'utf8');
  const page1 = fs.readFileSync(path.join(reader, 'papers/2510.19779.html'), 'utf8');
  assert.ok(bib.includes('@misc{hu2025adaspec,\n  title={AdaSPEC'), bib);
  assert.ok(page1.includes('primaryClass') === bib.includes('primaryClass'), 'the page BibTeX is the one exported');
  assert.strictEqual((bib.match(/^@misc\{/gm) || []).length, 2, bib);
  assert.ok(/eprint=\{2510\.\d{5}\}/.test(bib));
  // Unsaving on the Saved page keeps the card until a reload.
  await page.click('#saved-list > li:first-child button.save');
  assert.strictEqual(await page.$$eval('#saved-list > li', (c) => c.length), 2);
  await page.reload();
  assert.deepStrictEqual(await page.$$eval('#saved-list h2', (els) => els.map((e) => e.textContent)), [title]);
  // Stored data that is not a paper of this site is ignored, never linked.
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('paperpress-saved '));
    const list = JSON.parse(localStorage.getItem(key));
    list.push({ url: 'javascript:alert(1)', title: 'evil' }, { url: 'papers/../../x.html', title: 'up' },
      { url: 'papers/x.html', title: '<img src=x onerror=alert(1)>', links: [['PDF', 'javascript:alert(1)']] });
    localStorage.setItem(key, JSON.stringify(list));
  });
  await page.reload();
  const hrefs = await page.$$eval('#saved-list a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.every((h) => !/^javascript:/i.test(h) && !h.includes('..')), hrefs.join(' '));
  assert.strictEqual(await page.$$eval('#saved-list img', (i) => i.length), 0);
  assert.ok((await page.$$eval('#saved-list h2', (els) => els.map((e) => e.textContent))).includes('<img src=x onerror=alert(1)>'));
  // Remove all.
  page.once('dialog', (d) => d.accept());
  await page.click('[data-saved=clear]');
  assert.match(await page.textContent('#saved-status'), /^No saved papers yet/);
  await context.close();
}

async function checkMath(browser) {
  const page = await browser.newPage({ viewport: PHONE });
  await page.goto(url(reader, 'papers/fast-attention-in-o-n-log-n-time-bounds-with-mathbf-k-kernels.html'));
  const layout = await page.evaluate(() => {
    const box = document.querySelector('.abstract .math-display');
    const heading = document.querySelector('h1');
    const math = heading.querySelector('math');
    return {
      page: document.documentElement.scrollWidth,
      box: box && [box.scrollWidth, box.clientWidth, getComputedStyle(box).overflowX],
      font: getComputedStyle(math).fontFamily,
      weights: [getComputedStyle(heading).fontWeight, getComputedStyle(math).fontWeight],
      inline: document.querySelectorAll('.abstract p > math').length,
    };
  });
  assert.strictEqual(layout.page, PHONE.width, 'display math widens the page');
  assert.ok(layout.box, 'the abstract has a display formula');
  assert.ok(layout.box[0] > layout.box[1] && layout.box[2] === 'auto', `the formula scrolls in its own box: ${layout.box}`);
  assert.match(layout.font, /^"STIX Two Math", "Cambria Math", "Latin Modern Math", "DejaVu Math TeX Gyre", math$/);
  assert.strictEqual(layout.weights[1], layout.weights[0], 'math in a heading keeps its weight');
  assert.ok(layout.inline >= 1, '\\( \\) is inline math');
  // The box scrolls, the page does not.
  await page.$eval('.abstract .math-display', (b) => { b.scrollLeft = 100; });
  assert.ok(await page.$eval('.abstract .math-display', (b) => b.scrollLeft) > 0);
  assert.strictEqual(await page.evaluate(() => window.scrollX), 0);
  await page.close();
}

async function checkSearch(browser) {
  const page = await browser.newPage({ viewport: DESKTOP });
  // An arXiv id, with a version, finds its paper first.
  await page.goto(url(reader, 'search.html') + '?q=2510.19779v2');
  await page.waitForSelector('.search-result');
  const first = await page.$eval('.search-result h2', (e) => e.textContent);
  assert.strictEqual(first, 'AdaSPEC: Selective Knowledge Distillation for Efficient Speculative Decoders');
  assert.match(await page.textContent('#search-status'), /^The paper of arXiv 2510\.19779/);
  // Results show authors and the paper's links.
  assert.match(await page.$eval('.search-result > h2 + p', (e) => e.textContent), /^Yuezhou Hu, /);
  assert.deepStrictEqual(await page.$$eval('.search-result:first-child .links a', (as) => as.map((a) => [a.textContent, a.href])), [
    ['PDF', 'https://arxiv.org/pdf/2510.19779'],
    ['arXiv', 'https://arxiv.org/abs/2510.19779'],
    ['Code', 'https://github.com/yuezhouhu/adaspec'],
  ]);
  assert.strictEqual(await page.$$eval('.search-result:first-child button.save', (b) => b.length), 1);
  assert.ok(await page.isHidden('#search-start'));
  // The same id as an arXiv address, in the header box of another page.
  await page.goto(url(reader, 'days/2025-10-24.html'));
  await page.fill('#site-search-input', 'https://arxiv.org/abs/2510.20766');
  await page.waitForSelector('.search-hit');
  assert.match(await page.$eval('.search-hit-title', (e) => e.textContent), /^DyPE: /);
  // A typo: nothing matches, so the corrected word's papers are shown, and it says so.
  await page.goto(url(example, 'search.html') + '?q=unlerning');
  await page.waitForSelector('.search-result');
  const status = await page.textContent('#search-status');
  assert.match(status, /^No papers match “unlerning”; showing \d+ results for “unlearning”$/);
  const found = await page.$$eval('.search-result h2', (els) => els.map((e) => e.textContent));
  assert.ok(found.filter((t) => /unlearning/i.test(t)).length >= 5, found.join(' | '));
  // Exact matches keep elasticlunr's ranking: the correction never runs.
  await page.goto(url(example, 'search.html') + '?q=unlearning');
  await page.waitForSelector('.search-result');
  assert.match(await page.textContent('#search-status'), /^\d+ papers match “unlearning”$/);
  // One paper: the status line agrees with it.
  await page.goto(url(example, 'search.html') + '?q=pulsar');
  await page.waitForSelector('.search-result');
  assert.strictEqual(await page.$$eval('.search-result', (els) => els.length), 1);
  assert.strictEqual(await page.textContent('#search-status'), '1 paper matches “pulsar”');
  // The empty search page suggests topics and shows recent days.
  await page.goto(url(reader, 'search.html'));
  assert.ok(await page.isVisible('#search-start'));
  const topics = await page.$$eval('#search-start .chip', (els) => els.map((e) => e.getAttribute('href')));
  assert.ok(topics.length >= 3 && topics.every((h) => /^topics\/[a-z-]+\.html$/.test(h)), topics.join(' '));
  assert.deepStrictEqual(await page.$$eval('.recent-days a', (els) => els.map((e) => e.textContent)), ['Oct 25, 2025', 'Oct 24, 2025', 'Jun 27, 2025']);
  await page.close();
}

async function checkTopicTree(browser) {
  // The overview shows the tree: a topic under a child of a top topic is
  // set in from that child, not listed as one more child.
  const page = await browser.newPage({ viewport: DESKTOP });
  await page.goto(url(example, 'topics/index.html'));
  const steps = await page.$$eval('.topic-children > li', (items) => items.map((li) => ({
    depth: Number(/topic-depth-(\d+)/.exec(li.className)[1]),
    name: li.querySelector('.topic-name').textContent,
    left: li.querySelector('.topic-name').getBoundingClientRect().left,
  })));
  const nested = steps.filter((s, i) => s.depth === 2 && i > 0);
  assert.ok(nested.length >= 1, 'the example overview has a topic two levels down');
  for (const s of nested) {
    const parent = steps.slice(0, steps.indexOf(s)).reverse().find((p) => p.depth === 1);
    assert.ok(s.left >= parent.left + 10, `"${s.name}" (${s.left}px) is not set in from "${parent.name}" (${parent.left}px)`);
  }
  await page.close();
}

async function checkParentTiles(browser) {
  // A parent topic's page shows its narrower topics as tiles: each name
  // sits inside its tile's border, set in as the overview's tiles are.
  const page = await browser.newPage({ viewport: DESKTOP });
  await page.goto(url(example, 'topics/llm.html'));
  const tiles = await page.$$eval('section.topic-children .topic-tile', (items) => items.map((li) => {
    const tile = li.getBoundingClientRect();
    const name = li.querySelector('.topic-name').getBoundingClientRect();
    return { name: li.querySelector('.topic-name').textContent, inset: name.left - tile.left, top: name.top - tile.top };
  }));
  assert.ok(tiles.length >= 2, 'the example has a parent topic with children');
  for (const t of tiles) assert.ok(t.inset >= 8 && t.top >= 6, `"${t.name}" touches its tile's border (${t.inset}px, ${t.top}px)`);
  await page.close();
}

async function checkHeaderHits(browser) {
  for (const viewport of [DESKTOP, PHONE]) await checkHeaderHitsAt(browser, viewport);
}


async function checkHeaderHitsAt(browser, viewport) {
  // Every hit of the header box reads alike: its date and authors share
  // the line under its title, however long the author list, and its topic
  // chips go to the next line rather than squeeze them.
  const page = await browser.newPage({ viewport });
  await page.goto(url(reader, 'index.html'));
  await page.fill('#site-search-input', 'model');
  await page.waitForSelector('.search-hit');
  const hits = await page.$$eval('.search-hit', (items) => items.map((li) => {
    const time = li.querySelector('.search-meta time').getBoundingClientRect();
    const authors = li.querySelector('.search-hit-authors');
    const box = authors && authors.getBoundingClientRect();
    return { title: li.querySelector('.search-hit-title').textContent, time: time.top, authors: box && box.top, width: box && box.width, right: box && box.right, edge: li.getBoundingClientRect().right };
  }));
  const authored = hits.filter((h) => h.authors !== null);
  assert.ok(authored.length >= 5, `${authored.length} hits with authors`);
  for (const h of authored) {
    assert.ok(Math.abs(h.authors - h.time) < 2, `"${h.title}": the authors are not on the date's line at ${viewport.width} px`);
    assert.ok(h.right <= h.edge, `"${h.title}": the authors run out of the hit`);
    // Topic chips wrap below rather than squeeze the authors to a few letters.
    assert.ok(h.width >= 150, `"${h.title}": the authors get ${h.width} px at ${viewport.width} px`);
  }
  await page.close();
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.PAPERPRESS_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const errors = [];
  browser.on('disconnected', () => {});
  const track = (context) => context.on('page', (p) => p.on('pageerror', (e) => errors.push(String(e))));
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (options) => {
    const page = await newPage(options);
    page.on('pageerror', (e) => errors.push(String(e)));
    return page;
  };
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    track(context);
    return context;
  };
  const counts = [];
  await checkDensity(browser, counts);
  await checkSortAndFilter(browser);
  await checkDayPicker(browser);
  await checkKeys(browser);
  await checkCopy(browser);
  await checkSaved(browser);
  await checkMath(browser);
  await checkSearch(browser);
  await checkTopicTree(browser);
  await checkParentTiles(browser);
  await checkHeaderHits(browser);
  assert.deepStrictEqual(errors, []);
  await browser.close();
  console.log('density: ' + counts.join('; '));
  console.log('reader: density, sort and filter, day picker, keys, copy, reading list, display math, search by id and with a typo, the topic tree work from file://');
}

main().catch((e) => { console.error(e); process.exit(1); });
