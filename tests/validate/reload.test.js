// Live reload as a writer sees it: `paperpress serve` on a copy of the
// fixture site, a paper page open in headless Chromium, the paper's Markdown
// edited on disk, and the page reloads by itself showing the edit. Prints
// the latency from the write to the reloaded page (median of a few edits).
'use strict';
const test = require('node:test');
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const lib = require('./lib');

const EDITS = 5;
// Generous on purpose: this asserts that the reload happens, not how fast a
// busy CI machine does it; the measured latency is printed.
const PATIENCE_MS = 10_000;

/// Starts `paperpress serve --port 0` on `root`; resolves to the server's
/// URL and process once it prints `serving http://127.0.0.1:PORT/`.
function serve(root) {
  const child = spawn(lib.paperpress(), ['serve', '--port', '0', '--root', root], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no address:\n${out}${log}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child, log: () => log });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${code}):\n${out}${log}`)));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('editing a paper reloads the open page with the change', async (t) => {
  if (!lib.need(t, 'chromium')) return;
  const root = path.join(lib.tempDir('serve'), 'site');
  fs.cpSync(path.join(lib.REPO, 'tests/fixtures/site'), root, { recursive: true });
  const markdown = path.join(root, 'content/papers/hand-written.md');
  const original = fs.readFileSync(markdown, 'utf8');
  assert.match(original, /This paper was added by hand/);

  const server = await serve(root);
  const browser = await lib.launch();
  const latencies = [];
  try {
    const page = await browser.newPage();
    await page.goto(server.url + 'papers/2508.00002.html');
    assert.match(await page.textContent('.abstract'), /This paper was added by hand/);
    for (let i = 1; i <= EDITS; i++) {
      const marker = `Edited while serving, take ${i}`;
      // Marks this document, so that a reload (a new document) is told apart.
      await page.evaluate(() => (window.__notReloaded = true));
      const loaded = page.waitForEvent('load', { timeout: PATIENCE_MS });
      const start = performance.now();
      fs.writeFileSync(markdown, original.replace('This paper was added by hand', marker));
      await loaded;
      await page.locator('.abstract', { hasText: marker }).waitFor({ timeout: PATIENCE_MS });
      latencies.push(performance.now() - start);
      assert.strictEqual(await page.evaluate(() => window.__notReloaded), undefined, 'the page reloaded');
      assert.strictEqual(await page.evaluate(() => performance.getEntriesByType('navigation')[0].type), 'reload');
      assert.strictEqual(await page.locator('#paperpress-error').count(), 0, 'no error overlay');
    }
  } catch (e) {
    e.message += `\nserve's log:\n${server.log()}`;
    throw e;
  } finally {
    await browser.close();
    server.child.kill();
  }
  const ms = latencies.map((x) => Math.round(x));
  console.log(`reload latency (write -> reloaded page shows the edit): median ${median(ms)} ms over ${ms.length} edits [${ms.join(', ')}]`);
  assert.ok(median(ms) < PATIENCE_MS);
});
