// Helpers shared by the node tests: load the theme's search client and a
// built site's index files the way the browser does (each file calls
// paperpressSearchData), but from disk.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const client = require('../../themes/default/static/search.js');

/** Data of `<site>/search/<name>.js`; `loaded` records each file read. */
function readScript(site, name, loaded) {
  const file = path.join(site, 'search', name + '.js');
  const code = fs.readFileSync(file, 'utf8');
  if (loaded) loaded.push({ name, bytes: Buffer.byteLength(code), file });
  let data = null;
  vm.runInNewContext(code, { paperpressSearchData: (n, d) => { if (n === name) data = d; } });
  if (data === null) throw new Error(`${file} did not call paperpressSearchData("${name}", ...)`);
  return data;
}

/** A search engine over a built site folder. */
function engine(site, loaded) {
  const meta = readScript(site, 'index', loaded);
  return new client.Engine(meta, (name) => Promise.resolve().then(() => readScript(site, name, loaded)));
}

module.exports = { client, engine, readScript };
