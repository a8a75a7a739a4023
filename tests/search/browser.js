// The search box and page in headless Chromium, from file://, driven like a
// reader would: typing, arrow keys, Enter, Escape.
//
//   node browser.js SITE_OUT
//
// SITE_OUT is the built fixture site (tests/fixtures/site). Needs
// playwright-core (npm ci) and Debian's chromium ($PAPERPRESS_CHROMIUM or
// /usr/bin/chromium); playwright never downloads a browser here.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const out = path.resolve(process.argv[2]);
const url = (p) => 'file://' + path.join(out, p);

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.PAPERPRESS_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  // The header box on a page one folder deep: results as you type.
  await page.goto(url('papers/2508.00002.html'));
  await page.click('#site-search-input');
  await page.keyboard.type('unlearn');
  await page.waitForSelector('.search-hit');
  const hits = await page.$$eval('.search-hit-title', (els) => els.map((e) => e.textContent));
  assert.strictEqual(hits.length, 1);
  assert.ok(hits[0].startsWith('Machine Unlearning for Diffusion Models'), hits[0]);
  assert.strictEqual(await page.$eval('.search-hit mark', (e) => e.textContent), 'Unlearning');
  assert.match(await page.textContent('.search-popup-status'), /^1 paper found$/);

  // Arrow down reaches the result, whose link resolves from this depth; Enter opens it.
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement.href);
  assert.ok(fs.existsSync(new URL(focused).pathname), focused);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.strictEqual(new URL(page.url()).pathname, new URL(focused).pathname);

  // Escape closes the results and returns to the box.
  await page.click('#site-search-input');
  await page.keyboard.type('sparse');
  await page.waitForSelector('.search-hit');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Escape');
  assert.strictEqual(await page.evaluate(() => document.activeElement.id), 'site-search-input');
  assert.strictEqual(await page.$eval('.search-popup', (e) => e.hidden), true);

  // Enter in the box goes to the search page with ?q=; markup in a title is text.
  await page.fill('#site-search-input', 'claims quotes');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.strictEqual(new URL(page.url()).searchParams.get('q'), 'claims quotes');
  await page.waitForSelector('.search-result');
  const title = await page.$eval('.search-result h2', (e) => e.textContent);
  assert.strictEqual(title, '<b>Bold</b> claims & "quotes" in a title');
  assert.strictEqual(await page.$$eval('.search-result h2 b', (els) => els.length), 0);

  // Typing on the search page keeps the address linkable.
  await page.fill('#search-page-input', 'mixture experts');
  await page.waitForFunction(() => /mixture experts/.test(document.getElementById('search-status').textContent));
  assert.strictEqual(new URL(page.url()).searchParams.get('q'), 'mixture experts');
  assert.match(await page.textContent('#search-status'), /^1 paper matches “mixture experts”$/);

  assert.deepStrictEqual(errors, []);
  await browser.close();
  console.log('browser: header box, keyboard, search page and ?q= work from file://');
}

main().catch((e) => { console.error(e); process.exit(1); });
