// The GitHub workflows: the Pages workflow `paperpress init` writes and the
// release workflow of this repository are valid against the GitHub
// workflow schema (check-jsonschema's bundled copy of SchemaStore's, so no
// network), have the shape the official actions need, and the Pages
// workflow's shell steps, run here as the runner would run them against a
// local server replaying release downloads and recorded Daily Papers
// responses, install paperpress (checking its sum), fetch, build, commit
// the new digests and topics.lock once and publish the configured output
// folder.
'use strict';
const test = require('node:test');
const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const lib = require('./lib');

const FIXTURES = path.join(lib.REPO, 'tests/fixtures/fetch/hf');
const PAGES_URL = 'https://octo.github.io/my-digest';

/// Parses YAML (1.2, as GitHub reads it: `on` stays a key) with ruamel.yaml
/// from the venv.
function parseYaml(file) {
  const script = 'import json, sys\nfrom ruamel.yaml import YAML\nprint(json.dumps(YAML(typ="safe").load(open(sys.argv[1]))))';
  const result = spawnSync(lib.python(), ['-c', script, file], { encoding: 'utf8' });
  assert.strictEqual(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

function checkSchema(file) {
  const check = spawnSync(path.join(lib.HERE, '.venv/bin/check-jsonschema'), ['--builtin-schema', 'vendor.github-workflows', file], {
    encoding: 'utf8',
  });
  assert.strictEqual(check.status, 0, `${file} is not a valid GitHub workflow:\n${check.stdout}${check.stderr}`);
}

/// `repository` in Cargo.toml.
function cargoRepository() {
  const match = fs.readFileSync(path.join(lib.REPO, 'Cargo.toml'), 'utf8').match(/^repository = "(.*)"$/m);
  assert.ok(match, 'Cargo.toml sets `repository`');
  return match[1];
}

const action = (step) => (step.uses || '').split('@')[0];
const stepNamed = (steps, name) => {
  const step = steps.find((s) => s.name === name);
  assert.ok(step, `a step named "${name}"`);
  return step;
};

test('paperpress init writes a Pages workflow that fetches, commits, builds and deploys', (t) => {
  if (!lib.need(t, 'python')) return;
  const site = path.join(lib.tempDir('init'), 'my-digest');
  lib.run(['init', site]);
  const file = path.join(site, '.github/workflows/pages.yml');
  checkSchema(file);

  const flow = parseYaml(file);
  assert.deepStrictEqual(flow.on.push.branches, ['main']);
  assert.deepStrictEqual(Object.keys(flow.on.workflow_dispatch.inputs), ['since', 'until'], 'a backfill range');
  for (const input of Object.values(flow.on.workflow_dispatch.inputs)) assert.strictEqual(input.required, false);
  assert.deepStrictEqual(flow.on.schedule, [{ cron: '17 7 * * *' }], 'daily, once a day is complete (07:00 UTC)');
  assert.match(fs.readFileSync(file, 'utf8'), /# Every day at 07:17 UTC\. Papers are put on a day's Daily Papers list/, 'the hour is explained');
  assert.deepStrictEqual(flow.permissions, { contents: 'write', pages: 'write', 'id-token': 'write' });
  assert.deepStrictEqual(flow.concurrency, { group: 'pages', 'cancel-in-progress': false });
  assert.strictEqual(flow.env.PAPERPRESS_REPOSITORY, cargoRepository(), 'installs from the repository in Cargo.toml');
  assert.strictEqual(flow.env.PAPERPRESS_VERSION, 'latest');

  const steps = flow.jobs.build.steps;
  const order = [
    steps.findIndex((s) => action(s) === 'actions/checkout'),
    steps.findIndex((s) => action(s) === 'actions/configure-pages'),
    steps.indexOf(stepNamed(steps, 'Install paperpress')),
    steps.indexOf(stepNamed(steps, 'Fetch new papers')),
    steps.indexOf(stepNamed(steps, 'Lock the topics')),
    steps.indexOf(stepNamed(steps, 'Build')),
    steps.indexOf(stepNamed(steps, 'Commit the new digests')),
    steps.indexOf(stepNamed(steps, 'Find the output folder')),
    steps.findIndex((s) => action(s) === 'actions/upload-pages-artifact'),
  ];
  assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), `steps in order: ${order}`);
  const cache = steps.find((s) => action(s) === 'actions/cache');
  assert.ok(cache && cache.with.path === '~/.paperpress', 'the source build is cached between runs');
  const last = stepNamed(steps, 'Restore the last build');
  assert.strictEqual(action(last), 'actions/cache');
  assert.deepStrictEqual(last.with.path.trim().split('\n'), ['public', '.paperpress/cache'], 'the last build and its record are kept');
  assert.ok(steps.indexOf(last) < steps.indexOf(stepNamed(steps, 'Build')), 'restored before the build');
  const fetchStep = stepNamed(steps, 'Fetch new papers');
  assert.strictEqual(fetchStep['continue-on-error'], true, 'a failed source still lets the site deploy');
  assert.deepStrictEqual(fetchStep.env, { SINCE: '${{ inputs.since }}', UNTIL: '${{ inputs.until }}' }, 'inputs reach the script as variables, never as code');
  assert.strictEqual(flow.jobs.build.outputs.fetch, `\${{ steps.${fetchStep.id}.outcome }}`);
  const upload = steps.find((s) => action(s) === 'actions/upload-pages-artifact');
  assert.strictEqual(upload.with.path, '${{ steps.site.outputs.dir }}', 'uploads the folder site.toml names');

  const deploy = flow.jobs.deploy;
  assert.deepStrictEqual([].concat(deploy.needs), ['build']);
  assert.strictEqual(deploy.environment.name, 'github-pages');
  const deployStep = deploy.steps.find((s) => action(s) === 'actions/deploy-pages');
  assert.ok(deployStep, 'the deploy job uses actions/deploy-pages');
  assert.strictEqual(deploy.environment.url, `\${{ steps.${deployStep.id}.outputs.page_url }}`);
  const failed = flow.jobs['fetch-failed'];
  assert.deepStrictEqual(failed.needs, ['build', 'deploy']);
  assert.strictEqual(failed.if, "needs.build.outputs.fetch == 'failure'");

  const fork = path.join(lib.tempDir('init'), 'fork');
  lib.run(['init', fork, '--install-from', 'https://github.com/me/paperpress.git']);
  assert.strictEqual(parseYaml(path.join(fork, '.github/workflows/pages.yml')).env.PAPERPRESS_REPOSITORY, 'https://github.com/me/paperpress');
});

test('the release workflow builds Linux, macOS and Windows binaries with their sums on a version tag', (t) => {
  if (!lib.need(t, 'python')) return;
  const file = path.join(lib.REPO, '.github/workflows/release.yml');
  checkSchema(file);
  const flow = parseYaml(file);
  assert.deepStrictEqual(flow.on, { push: { tags: ['v*'] } });
  assert.deepStrictEqual(flow.permissions, { contents: 'write' });
  const targets = flow.jobs.build.strategy.matrix.include.map((m) => m.target).sort();
  assert.deepStrictEqual(targets, [
    'aarch64-apple-darwin',
    'aarch64-unknown-linux-gnu',
    'x86_64-apple-darwin',
    'x86_64-pc-windows-msvc',
    'x86_64-unknown-linux-gnu',
  ]);
  const packaging = stepNamed(flow.jobs.build.steps, 'Package with its SHA-256 sum').run;
  assert.match(packaging, /asset="paperpress-\$\{\{ matrix\.target \}\}\.tar\.gz"/, 'the asset name the Pages workflow downloads');
  assert.match(packaging, /sha256sum "\$asset" > "\$asset\.sha256"/);
  const publish = stepNamed(flow.jobs.publish.steps, 'Publish the release').run;
  assert.match(publish, /gh release create "\$GITHUB_REF_NAME"[\s\S]*paperpress-\* SHA256SUMS/);
});

/// A server on 127.0.0.1 answering `routes` (path and query -> [status, body as a Buffer]).
async function replayServer(routes) {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url);
    const [status, body] = routes.get(req.url) || [404, Buffer.from(`{"error": "no route for ${req.url}"}`)];
    res.writeHead(status, { 'Content-Length': body.length });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => server.close() };
}

/// Runs one `run:` step as the runner does: its `${{ }}` expressions
/// replaced by `values`, the workflow's and the step's `env`, the
/// GITHUB_OUTPUT and GITHUB_PATH files, with bash -e. Resolves with
/// { status, output, outputs }.
function runStep(flow, step, { cwd, env, values }) {
  const resolve = (text) => {
    const resolved = String(text).replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (all, expr) => {
      assert.ok(expr in values, `no value for \${{ ${expr} }} in "${step.name}"`);
      return values[expr];
    });
    return resolved;
  };
  const script = resolve(step.run);
  const outputFile = path.join(env.RUNNER_TEMP, `output-${Math.random()}`);
  fs.writeFileSync(outputFile, '');
  const stepEnv = Object.fromEntries(Object.entries(step.env || {}).map(([k, v]) => [k, resolve(v)]));
  const fullEnv = { ...env, ...flow.env, ...stepEnv, GITHUB_OUTPUT: outputFile };
  return new Promise((done) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env: fullEnv });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (status) => {
      const outputs = Object.fromEntries(
        fs.readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2)),
      );
      done({ status, output, outputs });
    });
  });
}

const git = (cwd, ...args) => {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  assert.strictEqual(result.status, 0, `git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
};

/// The UTC day whose Daily Papers list `paperpress fetch` counts as the last complete one.
function lastCompleteDay() {
  const now = new Date();
  if (now.getUTCHours() < 7) now.setUTCDate(now.getUTCDate() - 1);
  return now.toISOString().slice(0, 10);
}

function dayBefore(day) {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

test('the Pages workflow steps install, fetch, build, commit and publish against a replay server', async (t) => {
  if (!lib.need(t, 'python')) return;
  const work = lib.tempDir('workflow');
  const target = { x64: 'x86_64', arm64: 'aarch64' }[os.arch()] + '-unknown-linux-gnu';
  const asset = `paperpress-${target}.tar.gz`;
  const release = path.join(work, 'release');
  fs.mkdirSync(release);
  fs.copyFileSync(lib.paperpress(), path.join(release, 'paperpress'));
  spawnSync('tar', ['-czf', path.join(work, asset), '-C', release, 'paperpress']);
  const tarball = fs.readFileSync(path.join(work, asset));
  const sum = crypto.createHash('sha256').update(fs.readFileSync(path.join(work, asset))).digest('hex');

  const today = lastCompleteDay();
  const routes = new Map([
    [`/owner/paperpress/releases/latest/download/${asset}`, [200, tarball]],
    [`/owner/paperpress/releases/latest/download/${asset}.sha256`, [200, Buffer.from(`${sum}  ${asset}\n`)]],
    ['/api/daily_papers?date=2025-06-27&limit=100&p=0', [200, fs.readFileSync(path.join(FIXTURES, '2025-06-27.json'))]],
    [`/api/daily_papers?date=${today}&limit=100&p=0`, [200, fs.readFileSync(path.join(FIXTURES, '2025-06-30.json'))]],
    [`/api/daily_papers?date=${dayBefore(today)}&limit=100&p=0`, [200, Buffer.from('[]')]],
  ]);
  const server = await replayServer(routes);
  t.after(() => server.close());

  // The site, as a repository with a remote, pointed at the replay server.
  const site = path.join(work, 'my-digest');
  lib.run(['init', site, '--install-from', `${server.url}/owner/paperpress`]);
  const tomlPath = path.join(site, 'site.toml');
  fs.writeFileSync(
    tomlPath,
    fs
      .readFileSync(tomlPath, 'utf8')
      .replace('hf_api = "https://huggingface.co/api"', `hf_api = "${server.url}/api"`)
      .replace('output_dir = "public"', 'output_dir = "site-out"'),
  );
  fs.writeFileSync(path.join(site, 'content/digests', `hf-${dayBefore(today)}.json`), '[]');
  const home = path.join(work, 'home');
  fs.mkdirSync(home);
  const origin = path.join(work, 'origin.git');
  git(work, 'init', '--quiet', '--bare', '-b', 'main', origin);
  git(site, 'init', '--quiet', '-b', 'main');
  git(site, 'add', '.');
  git(site, '-c', 'user.name=Owner', '-c', 'user.email=owner@example.org', 'commit', '--quiet', '-m', 'My digest');
  git(site, 'remote', 'add', 'origin', origin);
  git(site, 'push', '--quiet', 'origin', 'main');

  const flow = parseYaml(path.join(site, '.github/workflows/pages.yml'));
  const steps = flow.jobs.build.steps;
  const runnerTemp = path.join(work, 'runner-temp');
  fs.mkdirSync(runnerTemp);
  const githubPath = path.join(runnerTemp, 'path');
  fs.writeFileSync(githubPath, '');
  const baseEnv = {
    PATH: process.env.PATH,
    HOME: home,
    RUNNER_TEMP: runnerTemp,
    GITHUB_PATH: githubPath,
    GITHUB_REF_NAME: 'main',
    GIT_CONFIG_NOSYSTEM: '1',
    LANG: 'C.UTF-8',
  };
  const values = {
    'inputs.since': '2025-06-27',
    'inputs.until': '2025-06-27',
    'steps.pages.outputs.base_url': PAGES_URL,
  };
  const run = async (name, env = baseEnv, more = {}) => {
    const result = await runStep(flow, stepNamed(steps, name), { cwd: site, env, values: { ...values, ...more } });
    return result;
  };

  // Install: the release binary, checked against its sum, on the PATH.
  const install = await run('Install paperpress');
  assert.strictEqual(install.status, 0, install.output);
  assert.match(install.output, new RegExp(`^${asset.replace(/\./g, '\\.')}: OK$`, 'm'), 'the sum is checked');
  assert.strictEqual(fs.readFileSync(githubPath, 'utf8').trim(), path.join(home, '.paperpress/bin'));
  const env = { ...baseEnv, PATH: `${path.join(home, '.paperpress/bin')}:${process.env.PATH}` };
  assert.match(install.output, /^paperpress \d+\.\d+\.\d+$/m, 'the installed binary runs');

  // Fetch the backfill range and the new days, then build.
  const fetched = await run('Fetch new papers', env);
  assert.strictEqual(fetched.status, 0, fetched.output);
  assert.match(fetched.output, /^Daily Papers 2025-06-27: 1 day in content\/digests\/ \(1 new/m);
  // The new day, and the newest saved days again (`refresh_days`), so
  // that their upvotes catch up.
  assert.match(
    fetched.output,
    new RegExp(`^Daily Papers 2025-06-27 to ${today}: 3 days in content/digests/ \\(1 new, 0 updated, 2 unchanged\\)`, 'm'),
  );
  assert.deepStrictEqual(server.seen.filter((u) => u.startsWith('/api/')), [
    '/api/daily_papers?date=2025-06-27&limit=100&p=0',
    '/api/daily_papers?date=2025-06-27&limit=100&p=0',
    `/api/daily_papers?date=${dayBefore(today)}&limit=100&p=0`,
    `/api/daily_papers?date=${today}&limit=100&p=0`,
  ]);
  // Lock the automatic topics, so that their pages stay as days are added.
  const locked = await run('Lock the topics', env);
  assert.strictEqual(locked.status, 0, locked.output);
  assert.match(locked.output, /^wrote topics\.lock: \d+ automatic topics? with papers/m);
  assert.match(fs.readFileSync(path.join(site, 'topics.lock'), 'utf8'), /^# The automatic topics of this site/);
  const built = await run('Build', env);
  assert.strictEqual(built.status, 0, built.output);

  // Commit: once, as the bot, pushed to the remote; then nothing to commit.
  const commit = await run('Commit the new digests', env);
  assert.strictEqual(commit.status, 0, commit.output);
  assert.strictEqual(
    git(origin, 'log', '-1', '--format=%an <%ae>|%s'),
    `github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|Fetch papers (${new Date().toISOString().slice(0, 10)})`,
  );
  assert.deepStrictEqual(git(origin, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort(), [
    'content/digests/hf-2025-06-27.json',
    `content/digests/hf-${today}.json`,
    'topics.lock',
  ]);
  const pushTrigger = { 'inputs.since': '', 'inputs.until': '' };
  const again = await run('Fetch new papers', env, pushTrigger);
  assert.strictEqual(again.status, 0, again.output);
  assert.match(
    again.output,
    new RegExp(`^Daily Papers 2025-06-27 to ${today}: 3 days in content/digests/ \\(0 new, 0 updated, 3 unchanged\\)`, 'm'),
  );
  const relocked = await run('Lock the topics', env);
  assert.strictEqual(relocked.status, 0, relocked.output);
  assert.match(relocked.output, /^unchanged: topics\.lock/m, 'no new papers, the same lock');
  const second = await run('Commit the new digests', env);
  assert.strictEqual(second.status, 0, second.output);
  assert.match(second.output, /No new digests to commit\./);
  assert.strictEqual(git(origin, 'rev-list', '--count', 'main'), '2', 'no empty commit');

  // The folder uploaded is the one site.toml names, built with the Pages URL.
  const found = await run('Find the output folder', env);
  assert.strictEqual(found.status, 0, found.output);
  assert.deepStrictEqual(found.outputs, { dir: 'site-out' });
  const upload = steps.find((s) => action(s) === 'actions/upload-pages-artifact');
  const published = path.join(site, upload.with.path.replace('${{ steps.site.outputs.dir }}', found.outputs.dir));
  assert.ok(fs.existsSync(path.join(published, 'index.html')));
  assert.ok(fs.existsSync(path.join(published, 'days/2025-06-27.html')), 'the backfilled day is on the site');
  const feed = fs.readFileSync(path.join(published, 'atom.xml'), 'utf8');
  assert.ok(feed.includes(`href="${PAGES_URL}/atom.xml"`), 'feeds link to the Pages URL');

  // A binary that does not match its sum is refused.
  routes.set(`/owner/paperpress/releases/latest/download/${asset}.sha256`, [200, Buffer.from(`${'0'.repeat(64)}  ${asset}\n`)]);
  const otherHome = path.join(work, 'home2');
  fs.mkdirSync(otherHome);
  const refused = await run('Install paperpress', { ...baseEnv, HOME: otherHome });
  assert.notStrictEqual(refused.status, 0, 'a wrong sum fails the step');
  assert.match(refused.output, /FAILED/);
  assert.ok(!fs.existsSync(path.join(otherHome, '.paperpress/bin/paperpress')), 'nothing is installed');

  // Without a release binary, cargo builds it from the repository.
  routes.delete(`/owner/paperpress/releases/latest/download/${asset}`);
  const fakeBin = path.join(work, 'fake-bin');
  fs.mkdirSync(fakeBin);
  const cargoLog = path.join(work, 'cargo-args');
  fs.writeFileSync(
    path.join(fakeBin, 'cargo'),
    `#!/bin/bash\necho "$@" > ${cargoLog}\nwhile [ "$1" != --root ]; do shift; done\nmkdir -p "$2/bin"\nprintf '#!/bin/sh\\necho paperpress 9.9.9\\n' > "$2/bin/paperpress"\nchmod +x "$2/bin/paperpress"\n`,
    { mode: 0o755 },
  );
  const thirdHome = path.join(work, 'home3');
  fs.mkdirSync(thirdHome);
  const fallback = await run('Install paperpress', { ...baseEnv, HOME: thirdHome, PATH: `${fakeBin}:${process.env.PATH}` });
  assert.strictEqual(fallback.status, 0, fallback.output);
  assert.match(fallback.output, /No release binary at .*: building paperpress from/);
  assert.strictEqual(
    fs.readFileSync(cargoLog, 'utf8').trim(),
    `install --locked --git ${server.url}/owner/paperpress --root ${path.join(thirdHome, '.paperpress')} paperpress`,
  );
});
