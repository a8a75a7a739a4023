// The feeds, read by Python's feedparser (tests/validate/feeds.py): the site
// feed and one per topic, found from the pages, with absolute links to the
// papers the pages list.
'use strict';
const test = require('node:test');
const assert = require('assert');
const { spawnSync } = require('child_process');
const lib = require('./lib');

test('feeds parse with feedparser and list the papers with absolute links', (t) => {
  if (!lib.need(t, 'python')) return;
  const sites = [lib.buildExample(), lib.buildImported()].map((dir) => ({ dir, base_url: lib.BASE_URL }));
  const result = spawnSync(lib.python(), ['-m', 'unittest', '-v', 'feeds'], {
    cwd: lib.HERE,
    env: { ...process.env, PAPERPRESS_SITES: JSON.stringify(sites) },
    encoding: 'utf8',
  });
  console.log(result.stderr.trim());
  assert.strictEqual(result.status, 0, `feeds.py failed:\n${result.stdout}${result.stderr}`);
  assert.match(result.stderr, /^Ran [1-9]\d* tests? in/m);
  assert.doesNotMatch(result.stderr, /skipped/);
});
