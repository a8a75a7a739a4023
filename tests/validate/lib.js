// Shared by the validation tests: the release binary, sites built into
// temporary folders, the tools each test needs (and what happens when one is
// missing), and a Chromium driven by playwright-core.
//
// A missing tool skips the test with a visible reason, unless
// PAPERPRESS_REQUIRE_BROWSER=1 (set by .ci/run) makes that a failure.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');

const HERE = __dirname;
const REPO = path.resolve(HERE, '../..');
const BASE_URL = 'https://example.github.io/digest/';
const IMPORT_FIXTURE = path.join(REPO, 'tests/fixtures/import/hf-daily-papers-2025-10-24.json');
const CHROMIUM = process.env.PAPERPRESS_CHROMIUM || '/usr/bin/chromium';

const required = () => process.env.PAPERPRESS_REQUIRE_BROWSER === '1';

/// Skips test `t` because `what` is missing, or fails when tools are required.
/// Returns true when the test must stop.
function missing(t, what) {
  if (required()) throw new Error(`${what}, and PAPERPRESS_REQUIRE_BROWSER=1`);
  console.log(`SKIPPED: ${what}`);
  t.skip(what);
  return true;
}

const hasModule = (name) => fs.existsSync(path.join(HERE, 'node_modules', name, 'package.json'));
const works = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/// Why each tool is missing, or null when it is there.
const tools = {
  java: () => (works('java', ['-version']) ? null : 'vnu needs Java (`apt-get install default-jre-headless`)'),
  vnu: () => (hasModule('vnu-jar') ? null : 'vnu needs `npm ci` in tests/validate'),
  python: () => (fs.existsSync(python()) ? null : 'the feed test needs the venv of tests/validate/requirements.txt (see .ci/run)'),
  chromium: () => {
    if (!fs.existsSync(CHROMIUM)) return 'the browser tests need Chromium (`apt-get install chromium`)';
    if (!hasModule('playwright-core')) return 'the browser tests need `npm ci` in tests/validate';
    return null;
  },
  axe: () => (hasModule('axe-core') ? null : 'the accessibility test needs `npm ci` in tests/validate'),
};

/// Checks the named tools; skips (or fails) `t` on the first one missing.
function need(t, ...names) {
  for (const name of names) {
    const why = tools[name]();
    if (why) return !missing(t, why);
  }
  return true;
}

function python() {
  return path.join(HERE, '.venv/bin/python');
}

let binary;
/// The release binary, built by cargo if needed ($PAPERPRESS_BIN overrides).
function paperpress() {
  if (process.env.PAPERPRESS_BIN) return process.env.PAPERPRESS_BIN;
  if (binary) return binary;
  const out = execFileSync('cargo', ['build', '--release', '--bin', 'paperpress', '--message-format=json-render-diagnostics'], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const message = JSON.parse(line);
    if (message.reason === 'compiler-artifact' && message.target.name === 'paperpress' && message.executable) {
      binary = message.executable;
    }
  }
  if (!binary) throw new Error('cargo built no paperpress binary');
  return binary;
}

/// Runs paperpress with `args`; throws with its output when it fails.
function run(args, options = {}) {
  const result = spawnSync(paperpress(), args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`paperpress ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

const temporary = [];
/// A fresh temporary folder, removed when the test file's process ends.
function tempDir(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `paperpress-${name}-`));
  temporary.push(dir);
  return dir;
}
process.on('exit', () => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

/// The example site (the repository root) built with a base URL into a
/// temporary folder, as GitHub Pages would publish it.
function buildExample() {
  const out = path.join(tempDir('example'), 'site');
  run(['build', '--root', REPO, '--base-url', BASE_URL, '--output', out]);
  return out;
}

/// The example site with `paginate_by` papers per topic page, so that its
/// topics have several pages (the example's own 25 leave each topic one).
function buildExamplePaged(paginateBy) {
  const root = path.join(tempDir('paged'), 'site');
  fs.mkdirSync(root);
  const config = fs.readFileSync(path.join(REPO, 'site.toml'), 'utf8');
  const paged = config.replace(/^paginate_by = \d+$/m, `paginate_by = ${paginateBy}`);
  if (paged === config) throw new Error('site.toml has no `paginate_by = N` line to change');
  fs.writeFileSync(path.join(root, 'site.toml'), paged);
  fs.cpSync(path.join(REPO, 'content'), path.join(root, 'content'), { recursive: true });
  const out = path.join(root, 'public');
  run(['build', '--root', root, '--base-url', BASE_URL]);
  return out;
}

/// A site made by `paperpress init` with the Daily Papers API fixture added
/// as a digest: its pages carry authors, AI summaries, details and BibTeX.
function buildImported() {
  const root = path.join(tempDir('imported'), 'my-digest');
  run(['init', root]);
  fs.copyFileSync(IMPORT_FIXTURE, path.join(root, 'content/digests', path.basename(IMPORT_FIXTURE)));
  const out = path.join(root, 'public');
  run(['build', '--root', root, '--base-url', BASE_URL]);
  return out;
}

/// Every file under `dir` whose name ends with `ext`, relative, sorted.
function files(dir, ext) {
  const found = [];
  (function walk(sub) {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith(ext)) found.push(rel);
    }
  })('');
  return found.sort();
}

/// Debian's Chromium, headless, launched by playwright-core (which never
/// downloads a browser of its own here).
async function launch() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/// Answers requests for the published site's absolute URLs (only the 404
/// page uses them, so that it works at any depth) from the built folder, as
/// GitHub Pages would; everything else goes through.
async function publishAt(context, site) {
  await context.route(BASE_URL + '**', (route) => {
    const rel = decodeURIComponent(new URL(route.request().url()).pathname.slice(new URL(BASE_URL).pathname.length));
    const file = path.join(site, rel);
    if (!file.startsWith(site + path.sep) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ path: file });
  });
}

const fileUrl = (dir, rel) => require('url').pathToFileURL(path.join(dir, rel)).href;

module.exports = {
  BASE_URL,
  HERE,
  REPO,
  buildExample,
  buildExamplePaged,
  buildImported,
  fileUrl,
  files,
  launch,
  need,
  paperpress,
  publishAt,
  python,
  run,
  tempDir,
};
