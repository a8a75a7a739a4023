// The built site opened from disk (file://) in headless Chromium: the home
// page, a paper, a topic, a day and the search page with ?q=unlearning work
// (styles and search load) and make no request to any other host.
'use strict';
const test = require('node:test');
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const lib = require('./lib');

const LOCAL = /^(file|data|blob):/;

/// A browser context that records every request and refuses (and lists)
/// any that would leave the machine.
async function offlineContext(browser) {
  const context = await browser.newContext();
  const requests = [];
  const offHost = [];
  context.on('request', (request) => requests.push(request.url()));
  await context.route(
    (url) => !LOCAL.test(url.href),
    (route) => {
      offHost.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  context.on('page', (page) => page.on('websocket', (ws) => offHost.push(ws.url())));
  return { context, requests, offHost };
}

/// Opens `rel` of `site` and waits for `ready`; returns what the page asked for.
async function visit(browser, site, rel, ready) {
  const { context, requests, offHost } = await offlineContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const [file, query] = rel.split('?');
  await page.goto(lib.fileUrl(site, file) + (query ? '?' + query : ''));
  await page.waitForLoadState('load');
  if (ready) await ready(page);
  // The theme's stylesheet applied: the page is styled without a server.
  const accent = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());
  await context.close();
  return { requests, offHost, errors, accent };
}

test('the detector sees a request to another host (it runs and is heard)', async (t) => {
  if (!lib.need(t, 'chromium')) return;
  const dir = lib.tempDir('offline-canary');
  // .invalid never resolves, and the route refuses it before any lookup.
  fs.writeFileSync(
    path.join(dir, 'page.html'),
    '<!doctype html><html lang="en"><title>x</title><img alt="" src="https://cdn.example.invalid/pixel.png"></html>',
  );
  const browser = await lib.launch();
  try {
    const seen = await visit(browser, dir, 'page.html');
    assert.deepStrictEqual(seen.offHost, ['https://cdn.example.invalid/pixel.png']);
  } finally {
    await browser.close();
  }
});

test('pages opened from file:// request nothing from another host', async (t) => {
  if (!lib.need(t, 'chromium')) return;
  const site = lib.buildExample();
  const home = fs.readFileSync(path.join(site, 'index.html'), 'utf8');
  const topics = fs.readFileSync(path.join(site, 'topics/index.html'), 'utf8');
  const first = (re, html = home) => re.exec(html)[1];
  const typeInBox = async (page) => {
    await page.fill('#site-search-input', 'diffusion');
    await page.waitForSelector('.search-hit');
  };
  const pages = [
    ['index.html', typeInBox],
    [first(/href="(papers\/[^"]+\.html)"/), typeInBox],
    ['topics/' + first(/href="\.\.\/topics\/((?!index\.)[^"/]+\.html)"/, topics), null],
    [first(/href="(days\/(?!index)[^"]+\.html)"/), null],
    ['search.html?q=unlearning', (page) => page.waitForSelector('.search-result')],
    ['days/index.html', null],
    ['saved.html', null],
  ];
  const browser = await lib.launch();
  try {
    for (const [rel, ready] of pages) {
      const seen = await visit(browser, site, rel, ready);
      assert.deepStrictEqual(seen.offHost, [], `${rel} asked another host for ${seen.offHost.join(', ')}`);
      assert.deepStrictEqual(seen.errors, [], `${rel} has script errors`);
      assert.notStrictEqual(seen.accent, '', `${rel} is unstyled`);
      assert.ok(seen.requests.some((u) => u.endsWith('/style.css')), `${rel} loaded no stylesheet`);
      if (ready) assert.ok(seen.requests.some((u) => /\/search\/index\.js$/.test(u)), `${rel} loaded no search index`);
      console.log(`${rel}: ${seen.requests.length} requests, all file://`);
    }
    // A paper of an API day: links to arXiv, code and project pages, stars and
    // upvotes, and still nothing fetched from them.
    const imported = lib.buildImported();
    const seen = await visit(browser, imported, 'papers/2510.19779.html', typeInBox);
    assert.deepStrictEqual(seen.offHost, [], `the imported paper asked another host for ${seen.offHost.join(', ')}`);
  } finally {
    await browser.close();
  }
});
