// Screenshots of the default theme for docs/screenshots/: home, a day, a
// paper, the archive, a topic and search, on a desktop (1280x900) and a phone
// (390x844), light and dark, from file:// in Debian's Chromium. Not a test.
//
//   node screenshots.js OUT EXAMPLE_SITE READER_SITE [ARCHIVE_SITE]
//
// EXAMPLE_SITE is the example site built (`cargo run -- build`), READER_SITE
// tests/fixtures/reader built; ARCHIVE_SITE, when given, is a site with many
// days for the archive (the screenshots in docs/ use 261 days of the Daily
// Papers archive), else READER_SITE's archive is shown.
'use strict';
const path = require('path');
const { chromium } = require('playwright-core');

const [out, example, reader, archive] = process.argv.slice(2).map((p) => p && path.resolve(p));
const file = (site, rel) => 'file://' + path.join(site, rel);

const SHOTS = [
  ['home', example, 'index.html'],
  ['day', reader, 'days/2025-10-24.html'],
  ['paper', reader, 'papers/2510.20579.html'],
  ['archive', archive || reader, 'days/index.html'],
  ['topic', archive || reader, archive ? 'topics/vision.html' : 'topics/index.html'],
  ['search', example, 'search.html?q=unlerning'],
];
const SIZES = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.PAPERPRESS_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  for (const scheme of ['light', 'dark']) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      const context = await browser.newContext({ viewport, colorScheme: scheme });
      const page = await context.newPage();
      for (const [name, site, rel] of SHOTS) {
        const [p, q] = rel.split('?');
        await page.goto(file(site, p) + (q ? '?' + q : ''));
        if (name === 'search') await page.waitForSelector('.search-result');
        await page.waitForTimeout(200);
        const shot = path.join(out, `${name}-${size}-${scheme}.png`);
        await page.screenshot({ path: shot });
        console.log(shot);
      }
      await context.close();
    }
  }
  await browser.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
