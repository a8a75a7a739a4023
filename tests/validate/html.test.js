// The Nu HTML Checker (vnu-jar, on the machine's Java) over every page of
// the example site and of a site with a Daily Papers API day, plus the
// theme's CSS and SVG: zero errors.
'use strict';
const test = require('node:test');
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const lib = require('./lib');

/// Runs vnu over `targets` (files or folders) and returns its messages.
function vnu(targets) {
  const jar = String(require('vnu-jar'));
  const result = spawnSync(
    'java',
    ['-Xss1024k', '-jar', jar, '--format', 'json', '--also-check-css', '--also-check-svg', '--skip-non-html', ...targets],
    { encoding: 'utf8', maxBuffer: 256 << 20 },
  );
  // vnu prints its JSON report on stderr and exits 1 when it found errors.
  if (result.error) throw result.error;
  const report = JSON.parse(result.stderr);
  return report.messages;
}

const describe = (m) =>
  `${m.url ? decodeURIComponent(m.url.replace(/^file:/, '')) : ''}:${m.lastLine ?? ''}: ${m.type}${m.subType ? '/' + m.subType : ''}: ${m.message}` +
  (m.extract ? `\n    ${m.extract.replace(/\n/g, ' ')}` : '');

const errors = (messages) => messages.filter((m) => m.type === 'error' || m.subType === 'fatal' || m.type === 'non-document-error');

test('vnu reports a broken page (the checker runs and is heard)', (t) => {
  if (!lib.need(t, 'java', 'vnu')) return;
  const dir = lib.tempDir('vnu-canary');
  const page = path.join(dir, 'broken.html');
  fs.writeFileSync(page, '<!doctype html><html lang="en"><title>x</title><p><div>block in a paragraph</span>');
  assert.ok(errors(vnu([page])).length > 0, 'vnu found nothing wrong with a broken page');
});

test('every page of the example site and of an imported API day is valid HTML', (t) => {
  if (!lib.need(t, 'java', 'vnu')) return;
  const sites = [lib.buildExample(), lib.buildImported()];
  const pages = sites.flatMap((dir) => lib.files(dir, '.html'));
  assert.ok(pages.length > 150, `only ${pages.length} pages built`);
  const messages = vnu(sites);
  const found = errors(messages);
  const notes = messages.filter((m) => !found.includes(m));
  for (const m of notes) console.log('note: ' + describe(m));
  assert.deepStrictEqual(found.map(describe), [], `${found.length} vnu errors`);
  console.log(`vnu: ${pages.length} pages and the CSS and SVG files of 2 sites: 0 errors, ${notes.length} warnings`);
});

test('the page a retired locked topic leaves is valid HTML', (t) => {
  if (!lib.need(t, 'java', 'vnu')) return;
  // The example site with a topics.lock whose two topics find no paper:
  // one under a rule (its page points there), one whose parent is gone.
  const root = path.join(lib.tempDir('locked'), 'site');
  fs.mkdirSync(root);
  fs.copyFileSync(path.join(lib.REPO, 'site.toml'), path.join(root, 'site.toml'));
  fs.cpSync(path.join(lib.REPO, 'content'), path.join(root, 'content'), { recursive: true });
  const entry = (slug, name, parent) =>
    `[[topic]]\nslug = "${slug}"\nname = "${name}"\n${parent ? `parent = "${parent}"\n` : ''}phrases = ["no such phrase ${slug}"]\n\n`;
  fs.writeFileSync(
    path.join(root, 'topics.lock'),
    entry('retired-one', 'Retired <one> & co', 'machine-unlearning') + entry('retired-two', 'Retired two', 'no-such-rule'),
  );
  lib.run(['build', '--root', root]);
  const pages = ['retired-one', 'retired-two'].map((slug) => path.join(root, 'public/topics', `${slug}.html`));
  assert.match(fs.readFileSync(pages[0], 'utf8'), /url=machine-unlearning\.html/);
  assert.match(fs.readFileSync(pages[1], 'utf8'), /url=index\.html/);
  const found = errors(vnu(pages));
  assert.deepStrictEqual(found.map(describe), [], `${found.length} vnu errors`);
});

test('the markup the theme scripts build (search results, header box, saved papers, a sorted day, the keys) is valid HTML', async (t) => {
  if (!lib.need(t, 'java', 'vnu', 'chromium')) return;
  const site = lib.buildExample();
  const dir = lib.tempDir('vnu-rendered');
  const browser = await lib.launch();
  try {
    const page = await browser.newPage();
    const snapshot = async (name) => {
      const html = await page.evaluate(() => '<!DOCTYPE html>\n' + document.documentElement.outerHTML);
      fs.writeFileSync(path.join(dir, name), html);
    };
    await page.goto(lib.fileUrl(site, 'search.html') + '?q=learning');
    await page.waitForSelector('.search-result mark');
    await page.waitForSelector('#search-more');
    await snapshot('search-results.html');
    await page.goto(lib.fileUrl(site, 'index.html'));
    await page.fill('#site-search-input', 'model');
    await page.waitForSelector('.search-hit mark');
    await page.waitForSelector('.search-more');
    await snapshot('search-box.html');
    // saved.js: toggles on the cards and the Saved page; list.js: a sorted and filtered day, the keys.
    await page.goto(lib.fileUrl(site, 'index.html') + '?sort=upvotes&topic=machine-unlearning');
    await page.click('#papers > li:not([hidden]) button.save');
    await page.keyboard.press('?');
    await page.waitForSelector('dialog.keys[open]');
    await snapshot('day-sorted-keys.html');
    await page.goto(lib.fileUrl(site, 'saved.html'));
    await page.waitForSelector('#saved-list > li');
    await snapshot('saved.html');
  } finally {
    await browser.close();
  }
  const found = errors(vnu([dir]));
  assert.deepStrictEqual(found.map(describe), [], `${found.length} vnu errors in pages as the theme scripts leave them`);
});
