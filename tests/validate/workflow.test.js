// The GitHub Pages workflow `paperpress init` writes: valid against the
// GitHub workflow schema (check-jsonschema's copy of SchemaStore's), shaped
// as the official Pages actions need, and its build step, run here as the
// runner would, builds the site into the folder it uploads.
'use strict';
const test = require('node:test');
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const lib = require('./lib');

/// Parses YAML (1.2, as GitHub reads it: `on` stays a key) with ruamel.yaml
/// from the venv.
function parseYaml(file) {
  const script = 'import json, sys\nfrom ruamel.yaml import YAML\nprint(json.dumps(YAML(typ="safe").load(open(sys.argv[1]))))';
  const result = spawnSync(lib.python(), ['-c', script, file], { encoding: 'utf8' });
  assert.strictEqual(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

function outputDir(siteToml) {
  const script = 'import sys, tomllib\nprint(tomllib.load(open(sys.argv[1], "rb")).get("build", {}).get("output_dir", "public"))';
  const result = spawnSync(lib.python(), ['-c', script, siteToml], { encoding: 'utf8' });
  assert.strictEqual(result.status, 0, result.stderr);
  return result.stdout.trim();
}

const action = (step) => (step.uses || '').split('@')[0];

test('paperpress init writes a Pages workflow that publishes the site', (t) => {
  if (!lib.need(t, 'python')) return;
  const site = path.join(lib.tempDir('init'), 'my-digest');
  lib.run(['init', site]);
  const file = path.join(site, '.github/workflows/pages.yml');

  const check = spawnSync(path.join(lib.HERE, '.venv/bin/check-jsonschema'), ['--builtin-schema', 'vendor.github-workflows', file], {
    encoding: 'utf8',
  });
  assert.strictEqual(check.status, 0, `not a valid GitHub workflow:\n${check.stdout}${check.stderr}`);

  const flow = parseYaml(file);
  assert.deepStrictEqual(flow.on.push.branches, ['main']);
  assert.ok('workflow_dispatch' in flow.on, 'can be run by hand');
  assert.deepStrictEqual(flow.permissions, { contents: 'read', pages: 'write', 'id-token': 'write' });
  assert.deepStrictEqual(flow.concurrency, { group: 'pages', 'cancel-in-progress': false });

  const build = flow.jobs.build.steps;
  const uses = build.map(action).filter(Boolean);
  for (const needed of ['actions/checkout', 'actions/configure-pages', 'actions/upload-pages-artifact']) {
    assert.ok(uses.includes(needed), `the build job uses ${needed}`);
  }
  assert.ok(uses.indexOf('actions/checkout') < uses.indexOf('actions/upload-pages-artifact'));
  const configure = build.find((s) => action(s) === 'actions/configure-pages');
  const upload = build.find((s) => action(s) === 'actions/upload-pages-artifact');
  assert.strictEqual(upload.with.path, outputDir(path.join(site, 'site.toml')), 'uploads the folder paperpress builds');
  const install = build.find((s) => s.name === 'Install paperpress');
  assert.match(flow.env.PAPERPRESS_INSTALL, /^cargo install --locked paperpress$/, 'installs from crates.io by default');
  assert.match(install.run, /\$PAPERPRESS_INSTALL\b/, 'the install source is the one env line');
  const buildStep = build.find((s) => /paperpress build/.test(s.run || ''));
  assert.ok(buildStep.run.includes(`steps.${configure.id}.outputs.base_url`), 'builds with the Pages URL');

  const deploy = flow.jobs.deploy;
  assert.deepStrictEqual([].concat(deploy.needs), ['build']);
  assert.strictEqual(deploy.environment.name, 'github-pages');
  const deployStep = deploy.steps.find((s) => action(s) === 'actions/deploy-pages');
  assert.ok(deployStep, 'the deploy job uses actions/deploy-pages');
  assert.strictEqual(deploy.environment.url, `\${{ steps.${deployStep.id}.outputs.page_url }}`);

  // The build step as the runner runs it, with what configure-pages outputs
  // for a project site (no trailing slash).
  const pagesUrl = 'https://octo.github.io/my-digest';
  const script = buildStep.run.replace(`\${{ steps.${configure.id}.outputs.base_url }}`, pagesUrl);
  assert.doesNotMatch(script, /\$\{\{/, 'no other expression left');
  const bin = path.join(lib.tempDir('bin'), 'bin');
  fs.mkdirSync(bin);
  fs.symlinkSync(lib.paperpress(), path.join(bin, 'paperpress'));
  const ran = spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
    cwd: site,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  assert.strictEqual(ran.status, 0, ran.stdout + ran.stderr);
  const published = path.join(site, upload.with.path);
  assert.ok(fs.existsSync(path.join(published, 'index.html')));
  const feed = fs.readFileSync(path.join(published, 'atom.xml'), 'utf8');
  assert.ok(feed.includes(`href="${pagesUrl}/atom.xml"`), 'feeds link to the Pages URL');
});
