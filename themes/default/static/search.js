/* paperpress search: the search box in the header and the search page.
 *
 * Works from file://, a domain root and a sub-path alike: the index is
 * made of scripts (search/index.js, search/s<name>.js, search/d<i>.js), each
 * calling paperpressSearchData(name, data), injected with <script> tags
 * (no fetch, no modules). Queries are tokenised and stemmed exactly as
 * elasticlunr-rs built the index, and ranked exactly as elasticlunr.js
 * 0.9.5 would rank them on the full index. On top of that ranking, a
 * reader's search (Engine.find) puts the paper of an arXiv id first and,
 * when nothing matches, corrects one typo in words of five letters or
 * more, or completes a word cut short to the stem it begins with. The
 * format is described in docs/search.md. Under node (tests) the module
 * exports the engine.
 */
(function (global) {
  'use strict';

  /* ---------------------------------------------------------------------
   * Query analysis: elasticlunr-rs 3.1's English tokenizer and pipeline
   * (trimmer, stop-word filter, Porter stemmer on UTF-8 bytes).
   * ------------------------------------------------------------------- */

  var STOP_WORDS = Object.create(null);
  ('|a|able|about|across|after|all|almost|also|am|among|an|and|any|are|as|at|be|because|been|but|by|can|' +
    'cannot|could|dear|did|do|does|either|else|ever|every|for|from|get|got|had|has|have|he|her|hers|him|his|' +
    'how|however|i|if|in|into|is|it|its|just|least|let|like|likely|may|me|might|most|must|my|neither|no|nor|' +
    'not|of|off|often|on|only|or|other|our|own|rather|said|say|says|she|should|since|so|some|than|that|the|' +
    'their|them|then|there|these|they|this|tis|to|too|twas|us|wants|was|we|were|what|when|where|which|while|' +
    'who|whom|why|will|with|would|yet|you|your').split('|').forEach(function (w) { STOP_WORDS[w] = true; });

  /* Rust's char::is_whitespace (Unicode White_Space), or '-'. */
  function isSeparator(c) {
    return c === 0x2d || c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0 ||
      c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
      c === 0x202f || c === 0x205f || c === 0x3000;
  }

  /* Pieces of text between separators, with their offsets: [start, end]. */
  function words(text) {
    var out = [];
    var start = -1;
    for (var i = 0; i <= text.length; i++) {
      var sep = i === text.length || isSeparator(text.charCodeAt(i));
      if (sep && start >= 0) { out.push([start, i]); start = -1; } else if (!sep && start < 0) { start = i; }
    }
    return out;
  }

  /* tokenize_whitespace: split, drop empty pieces, lowercase. */
  function tokenize(text) {
    return words(text).map(function (w) { return text.slice(w[0], w[1]).toLowerCase(); });
  }

  function isWordChar(c) {
    return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
  }

  /* The trimmer: strip characters other than ASCII letters, digits and '_' at both ends. */
  function trimBounds(token) {
    var a = 0;
    var b = token.length;
    while (a < b && !isWordChar(token.charCodeAt(a))) a++;
    while (b > a && !isWordChar(token.charCodeAt(b - 1))) b--;
    return [a, b];
  }

  function utf8(text) {
    var bytes = [];
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        var d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
      }
      if (c < 0x80) bytes.push(c);
      else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return bytes;
  }

  function fromUtf8(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length;) {
      var b = bytes[i];
      var c;
      if (b < 0x80) { c = b; i += 1; } else if (b < 0xe0) { c = ((b & 31) << 6) | (bytes[i + 1] & 63); i += 2; } else if (b < 0xf0) {
        c = ((b & 15) << 12) | ((bytes[i + 1] & 63) << 6) | (bytes[i + 2] & 63); i += 3;
      } else {
        c = ((b & 7) << 18) | ((bytes[i + 1] & 63) << 12) | ((bytes[i + 2] & 63) << 6) | (bytes[i + 3] & 63); i += 4;
      }
      out += String.fromCodePoint(c);
    }
    return out;
  }

  /* The Porter stemmer of elasticlunr-rs (with its departures), on bytes. */
  function Porter(bytes) {
    this.b = bytes;
    this.k = bytes.length;
    this.j = 0;
  }
  var P = Porter.prototype;
  function code(s) { return s.charCodeAt(0); }
  var A = code('a'), E = code('e'), I = code('i'), O = code('o'), U = code('u'), Y = code('y');
  var L = code('l'), S = code('s'), Z = code('z'), W = code('w'), X = code('x'), T = code('t');
  P.cons = function (i) {
    var c = this.b[i];
    if (c === A || c === E || c === I || c === O || c === U) return false;
    if (c === Y) return i === 0 ? true : !this.cons(i - 1);
    return true;
  };
  P.measure = function () {
    var n = 0, i = 0, j = this.j;
    for (;;) { if (i >= j) return n; if (!this.cons(i)) break; i++; }
    i++;
    for (;;) {
      for (;;) { if (i >= j) return n; if (this.cons(i)) break; i++; }
      i++; n++;
      for (;;) { if (i >= j) return n; if (!this.cons(i)) break; i++; }
      i++;
    }
  };
  P.hasVowel = function () {
    for (var i = 0; i < this.j; i++) if (!this.cons(i)) return true;
    return false;
  };
  P.doubleC = function (i) {
    return i >= 1 && this.b[i] === this.b[i - 1] && this.b[i] < 0x80 && this.cons(i);
  };
  P.cvc = function (i) {
    if (i < 2 || !this.cons(i) || this.cons(i - 1) || !this.cons(i - 2)) return false;
    var c = this.b[i];
    return c !== W && c !== X && c !== Y;
  };
  P.ends = function (s) {
    var len = s.length;
    if (len > this.k) return false;
    for (var i = 0; i < len; i++) if (this.b[this.k - len + i] !== s.charCodeAt(i)) return false;
    this.j = this.k - len;
    return true;
  };
  P.setTo = function (s) {
    for (var i = 0; i < s.length; i++) this.b[this.j + i] = s.charCodeAt(i);
    this.k = this.j + s.length;
  };
  P.r = function (s) { if (this.measure() > 0) this.setTo(s); };
  P.step1ab = function () {
    var b = this.b;
    if (b[this.k - 1] === S) {
      if (this.ends('sses')) this.k -= 2;
      else if (this.ends('ies')) this.setTo('i');
      else if (b[this.k - 2] !== S) this.k -= 1;
    }
    if (this.ends('eed')) {
      if (this.measure() > 0) this.k -= 1;
    } else if ((this.ends('ed') || this.ends('ing')) && this.hasVowel()) {
      this.k = this.j;
      if (this.ends('at')) this.setTo('ate');
      else if (this.ends('bl')) this.setTo('ble');
      else if (this.ends('iz')) this.setTo('ize');
      else if (this.doubleC(this.k - 1)) {
        this.k -= 1;
        var c = b[this.k - 1];
        if (c === L || c === S || c === Z) this.k += 1;
      } else if (this.measure() === 1 && this.cvc(this.k - 1)) this.setTo('e');
    }
  };
  P.step1c = function () {
    if (this.k > 2 && this.ends('y')) {
      var c = this.b[this.k - 2];
      if (c !== A && c !== E && c !== I && c !== O && c !== U) this.b[this.k - 1] = I;
    }
  };
  /* Suffix rules of steps 2 and 3, by the character they test, in order. */
  var STEP2 = {
    a: [['ational', 'ate'], ['tional', 'tion']],
    c: [['enci', 'ence'], ['anci', 'ance']],
    e: [['izer', 'ize']],
    l: [['bli', 'ble'], ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous']],
    o: [['ization', 'ize'], ['ation', 'ate'], ['ator', 'ate']],
    s: [['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous']],
    t: [['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble']],
    g: [['logi', 'log']]
  };
  var STEP3 = {
    e: [['icate', 'ic'], ['ative', ''], ['alize', 'al']],
    i: [['iciti', 'ic']],
    l: [['ical', 'ic'], ['ful', '']],
    s: [['ness', '']]
  };
  P.rules = function (table, at) {
    var rules = table[String.fromCharCode(this.b[at])];
    if (!rules) return;
    for (var i = 0; i < rules.length; i++) {
      if (this.ends(rules[i][0])) { this.r(rules[i][1]); return; }
    }
  };
  P.step2 = function () { if (this.k >= 2) this.rules(STEP2, this.k - 2); };
  P.step3 = function () { this.rules(STEP3, this.k - 1); };
  var STEP4 = {
    a: ['al'], c: ['ance', 'ence'], e: ['er'], i: ['ic'], l: ['able', 'ible'],
    n: ['ant', 'ement', 'ment', 'ent'], s: ['ism'], t: ['ate', 'iti'], u: ['ous'], v: ['ive'], z: ['ize']
  };
  P.step4 = function () {
    if (this.k < 2) return;
    var at = String.fromCharCode(this.b[this.k - 2]);
    var matched = false;
    if (at === 'o') {
      matched = (this.ends('ion') && this.j > 0 && (this.b[this.j - 1] === S || this.b[this.j - 1] === T)) ||
        this.ends('ou');
    } else {
      var suffixes = STEP4[at] || [];
      for (var i = 0; i < suffixes.length && !matched; i++) matched = this.ends(suffixes[i]);
    }
    if (matched && this.measure() > 1) this.k = this.j;
  };
  P.step5 = function () {
    this.j = this.k;
    if (this.b[this.k - 1] === E) {
      var a = this.measure();
      if (a > 1 || (a === 1 && !this.cvc(this.k - 2))) this.k -= 1;
    }
    if (this.b[this.k - 1] === L && this.doubleC(this.k - 1) && this.measure() > 1) this.k -= 1;
  };

  function stem(word) {
    var ascii = true;
    for (var i = 0; i < word.length && ascii; i++) ascii = word.charCodeAt(i) < 0x80;
    var bytes = ascii ? [] : utf8(word);
    if (ascii) for (var c = 0; c < word.length; c++) bytes.push(word.charCodeAt(c));
    if (bytes.length <= 2) return word;
    for (var n = 0; n < bytes.length; n++) if (bytes[n] >= 0x41 && bytes[n] <= 0x5a) bytes[n] += 32;
    var p = new Porter(bytes);
    p.step1ab(); p.step1c(); p.step2(); p.step3(); p.step4(); p.step5();
    var out = bytes.slice(0, p.k);
    return ascii ? String.fromCharCode.apply(null, out) : fromUtf8(out);
  }

  /* One lowercased token through the pipeline: its stem, or null. */
  function stemToken(token) {
    var t = trimBounds(token);
    var trimmed = token.slice(t[0], t[1]);
    if (STOP_WORDS[trimmed]) return null;
    return stem(trimmed);
  }

  /* Text -> the stems elasticlunr-rs would index or search for. */
  function analyze(text) {
    return analyzeWords(text).map(function (w) { return w.stem; });
  }

  /* Text -> [{word, stem}]: each word that is not a stop word (lowercased,
   * trimmed as the pipeline trims it) with its stem. */
  function analyzeWords(text) {
    var out = [];
    tokenize(text).forEach(function (token) {
      var s = stemToken(token);
      if (s === null) return;
      var t = trimBounds(token);
      out.push({ word: token.slice(t[0], t[1]), stem: s });
    });
    return out;
  }

  /* ---------------------------------------------------------------------
   * Index files and ranking (elasticlunr.js 0.9.5).
   * ------------------------------------------------------------------- */

  /* elasticlunr.js walks its token tree with digits first, then by code
   * point; stems are sorted that way, and so are shards. */
  function rank(c) { return c >= 0x30 && c <= 0x39 ? c - 0x30 : c + 10; }
  function compare(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var d = rank(a.charCodeAt(i)) - rank(b.charCodeAt(i));
      if (d) return d;
    }
    return a.length - b.length;
  }
  function startsWith(s, prefix) { return s.length >= prefix.length && s.slice(0, prefix.length) === prefix; }
  function hasAstral(s) { return /[\ud800-\udfff]/.test(s); }

  /* Number of items of sorted `list` for which `before(item)` holds (a prefix of the list). */
  function countWhile(list, before) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (before(list[mid])) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  var DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  var DIGIT = {};
  for (var d = 0; d < DIGITS.length; d++) DIGIT[DIGITS.charCodeAt(d)] = d;

  /* A posting list: papers (ascending), counts, field lengths. */
  function decode(text) {
    var pos = 0;
    function next() {
      var value = 0;
      for (;;) {
        var v = DIGIT[text.charCodeAt(pos++)];
        if (v < 32) return value * 32 + v;
        value = value * 32 + (v - 32);
      }
    }
    var n = next();
    var docs = new Int32Array(n), counts = new Int32Array(n), lengths = new Int32Array(n);
    var doc = 0;
    for (var i = 0; i < n; i++) { doc += next(); docs[i] = doc; doc += 1; }
    for (i = 0; i < n; i++) counts[i] = next() + 1;
    for (i = 0; i < n; i++) lengths[i] = next();
    return { docs: docs, counts: counts, lengths: lengths };
  }

  /* A shard: its postings, and its stems (in a split index, from v<name>.js). */
  function Shard(data, stems) {
    this.stems = stems || data.stems;
    this.postings = data.postings;
    this.decoded = {};
  }
  Shard.prototype.list = function (field, i) {
    var key = field + ':' + i;
    if (!(key in this.decoded)) this.decoded[key] = this.postings[field][i] ? decode(this.postings[field][i]) : null;
    return this.decoded[key];
  };

  /* An index: `meta` is the data of search/index.js, `load(name)` returns
   * a promise of another file's data. */
  function Engine(meta, load) {
    if (meta.format !== 5) throw new Error('paperpress search: unknown index format ' + meta.format);
    this.meta = meta;
    this.load = load;
    this.shards = {};
    this.docFiles = {};
    if (meta.shard) {
      this.keys = [''];
      this.shards[0] = new Shard(meta.shard);
    } else {
      this.keys = meta.shard_keys;
    }
  }

  /* Shards that may hold `token` (and, with `expand`, its extensions). */
  Engine.prototype.shardsFor = function (token, expand) {
    var first = Math.max(0, countWhile(this.keys, function (k) { return compare(k, token) <= 0; }) - 1);
    var last = first;
    if (expand) {
      last = countWhile(this.keys, function (k) { return compare(k, token) <= 0 || startsWith(k, token); }) - 1;
    }
    var out = [];
    for (var i = first; i <= Math.max(first, last); i++) out.push(i);
    return out;
  };

  /* Loads what `tokens` need; resolves when ready. */
  Engine.prototype.prepare = function (tokens, expand) {
    var self = this;
    var wanted = {};
    tokens.forEach(function (t) {
      if (!hasAstral(t)) self.shardsFor(t, expand).forEach(function (i) { if (!self.shards[i]) wanted[i] = true; });
    });
    return Promise.all(Object.keys(wanted).map(function (i) {
      var name = self.meta.shard_names[i];
      return Promise.all([self.load('s' + name), self.load('v' + name)]).then(function (files) {
        self.shards[i] = self.shards[i] || new Shard(files[0], files[1]);
      });
    }));
  };

  /* The stems matching `token` in `field`, in elasticlunr's expansion
   * order, each with its posting list: [[stem, list], ...]. */
  Engine.prototype.keysFor = function (token, field, expand) {
    var out = [];
    if (hasAstral(token)) return out;
    var shards = this.shardsFor(token, expand);
    for (var s = 0; s < shards.length; s++) {
      var shard = this.shards[shards[s]];
      var i = countWhile(shard.stems, function (x) { return compare(x, token) < 0; });
      for (; i < shard.stems.length; i++) {
        var stem = shard.stems[i];
        if (expand ? !startsWith(stem, token) : stem !== token) break;
        var list = shard.list(field, i);
        if (list) out.push([stem, list]);
      }
    }
    return out;
  };

  /* elasticlunr.Index.prototype.fieldSearch, on posting lists. */
  Engine.prototype.fieldSearch = function (tokens, field, bool, expand) {
    var n = this.meta.docs;
    var scores = null;
    var docTokens = new Map();
    for (var q = 0; q < tokens.length; q++) {
      var token = tokens[q];
      var keys = this.keysFor(token, field, expand);
      var tokenScores = new Map();
      for (var k = 0; k < keys.length; k++) {
        var key = keys[k][0], list = keys[k][1];
        var idf = 1 + Math.log(n / (list.docs.length + 1));
        var penalty = key === token ? 1 : (1 - (key.length - token.length) / key.length) * 0.15;
        for (var p = 0; p < list.docs.length; p++) {
          var doc = list.docs[p];
          if (scores && bool === 'AND' && !scores.has(doc)) continue;
          if (key === token) docTokens.set(doc, (docTokens.get(doc) || 0) + 1);
          var length = list.lengths[p];
          var norm = length !== 0 ? 1 / Math.sqrt(length) : 1;
          var score = Math.sqrt(list.counts[p]) * idf * norm * penalty;
          var previous = tokenScores.get(doc);
          tokenScores.set(doc, previous === undefined ? score : previous + score);
        }
      }
      scores = merge(scores, tokenScores, bool);
    }
    if (scores) {
      scores.forEach(function (score, doc) {
        var matched = docTokens.get(doc);
        if (matched !== undefined) scores.set(doc, score * matched / tokens.length);
      });
    }
    return scores;
  };

  function merge(accumulated, scores, bool) {
    if (!accumulated) return scores;
    if (bool === 'AND') {
      var both = new Map();
      scores.forEach(function (score, doc) {
        if (accumulated.has(doc)) both.set(doc, accumulated.get(doc) + score);
      });
      return both;
    }
    scores.forEach(function (score, doc) {
      var previous = accumulated.get(doc);
      accumulated.set(doc, previous === undefined ? score : previous + score);
    });
    return accumulated;
  }

  /* Ranks the analysed query `tokens`: [{ref, score}], best first, ties by
   * ascending number, as elasticlunr.js's search(). Synchronous: call
   * prepare() first. */
  Engine.prototype.rank = function (tokens, options) {
    var meta = this.meta;
    var bool = options && options.bool || meta.bool;
    var expand = options && 'expand' in options ? options.expand : meta.expand;
    var total = new Map();
    for (var f = 0; f < meta.fields.length; f++) {
      if (meta.boost[f] === 0) continue;
      var scores = this.fieldSearch(tokens, f, bool, expand);
      if (!scores) continue;
      scores.forEach(function (score, doc) {
        var boosted = score * meta.boost[f];
        var previous = total.get(doc);
        total.set(doc, previous === undefined ? boosted : previous + boosted);
      });
    }
    var results = [];
    total.forEach(function (score, doc) { results.push({ ref: doc, score: score }); });
    results.sort(function (a, b) { return b.score - a.score || a.ref - b.ref; });
    return results;
  };

  /* Analyses, loads and ranks `query`; resolves to {tokens, results}. */
  Engine.prototype.search = function (query, options) {
    var self = this;
    var tokens = analyze(query);
    var expand = options && 'expand' in options ? options.expand : this.meta.expand;
    return this.prepare(tokens, expand).then(function () {
      return { tokens: tokens, results: self.rank(tokens, options) };
    });
  };

  /* ---------------------------------------------------------------------
   * A reader's search: arXiv ids first, one typo forgiven.
   * ------------------------------------------------------------------- */

  var ARXIV_QUERY = new RegExp('^(?:arxiv:\\s*)?(?:https?://(?:www\\.)?(?:arxiv\\.org/(?:abs|pdf)|huggingface\\.co/papers)/)?' +
    '(\\d{4}\\.\\d{4,5}|[a-z-]+(?:\\.[a-z]{2})?/\\d{7})(?:v\\d+)?(?:\\.pdf)?/?$', 'i');

  /* The arXiv id a whole query is (`2508.10833`, `arXiv:2508.10833v2`, an
   * arXiv or Hugging Face address), without version; or null. */
  function arxivId(query) {
    var m = ARXIV_QUERY.exec(query.trim());
    if (!m) return null;
    var slash = m[1].indexOf('/');
    if (slash < 0) return m[1];
    var archive = m[1].slice(0, slash).split('.');
    return archive[0].toLowerCase() + (archive[1] ? '.' + archive[1].toUpperCase() : '') + m[1].slice(slash);
  }

  /* Where the index files an id: [group, key], as encode.rs groups them. */
  function idGroup(id) {
    var slash = id.indexOf('/');
    if (slash < 0) return [id.slice(0, 4), id.slice(5)];
    var digits = id.slice(slash + 1);
    return [id.slice(0, slash) + '_' + digits.slice(0, 4), digits.slice(4)];
  }

  function own(object, key) {
    return object && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : null;
  }

  /* The number of the paper with arXiv id `id`; resolves to null if none. */
  Engine.prototype.findId = function (id) {
    var g = idGroup(id);
    if (this.meta.ids) return Promise.resolve(own(this.meta.ids[g[0]], g[1]));
    if (!this.meta.id_groups || this.meta.id_groups.indexOf(g[0]) < 0) return Promise.resolve(null);
    return this.load('i' + g[0]).then(function (ids) { return own(ids, g[1]); });
  };

  /* Whether `a` becomes `b` with one edit: a letter added, dropped,
   * replaced, or two neighbours swapped. */
  function oneEdit(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length > b.length) return a.slice(i + 1) === b.slice(i);
    if (a.length < b.length) return a.slice(i) === b.slice(i + 1);
    return a.slice(i + 1) === b.slice(i + 1) ||
      (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }

  /* The index's stems that start with the character `first`. */
  Engine.prototype.vocabulary = function (first) {
    var self = this;
    var starts = function (s) { return s.charAt(0) === first; };
    if (!this.meta.shard_keys) return Promise.resolve(this.shards[0].stems.filter(starts));
    if (!this.meta.vocab) return Promise.resolve([]);
    var wanted = this.shardsFor(first, true);
    var names = wanted.map(function (i) { return 'v' + self.meta.shard_names[i]; });
    return Promise.all(names.map(function (name) { return self.load(name); })).then(function (lists) {
      return [].concat.apply([], lists).filter(starts);
    });
  };

  /* Whether `stem` (with its extensions, when `expand`) is in any field. */
  Engine.prototype.matches = function (stem, expand) {
    for (var f = 0; f < this.meta.fields.length; f++) {
      if (this.keysFor(stem, f, expand).length) return true;
    }
    return false;
  };

  /* How many postings hold `stem` itself, over all fields. */
  Engine.prototype.documentCount = function (stem) {
    var n = 0;
    for (var f = 0; f < this.meta.fields.length; f++) {
      this.keysFor(stem, f, false).forEach(function (k) { n += k[1].docs.length; });
    }
    return n;
  };

  /* The stem one edit away from `stem` that most papers hold; else, for a
   * word still being typed (`splatti`, `distillati`: a stem's word cut
   * short, which stems to nothing the index has), the longest stem of four
   * letters or more that begins it and is at least half of it; resolves to
   * null when there is neither. */
  Engine.prototype.correction = function (stem) {
    var self = this;
    return this.vocabulary(stem.charAt(0)).then(function (stems) {
      var candidates = stems.filter(function (s) { return s.length >= 3 && oneEdit(stem, s); }).slice(0, 24);
      if (!candidates.length) {
        var begun = stems.filter(function (s) { return s.length >= 4 && 2 * s.length >= stem.length && startsWith(stem, s); });
        return begun.reduce(function (a, b) { return a && a.length >= b.length ? a : b; }, null);
      }
      return self.prepare(candidates, false).then(function () {
        var best = null, most = 0;
        candidates.forEach(function (s) {
          var n = self.documentCount(s);
          if (n > most) { best = s; most = n; }
        });
        return best;
      });
    });
  };

  /* Papers are numbered oldest first, and elasticlunr.js puts the lower
   * number first among equal scores; a reader wants the newer paper. */
  function newerFirstOnTies(results) {
    return results.slice().sort(function (a, b) { return b.score - a.score || b.ref - a.ref; });
  }

  /* A search as a reader wants it: the paper of an arXiv id first, then
   * elasticlunr's ranking with newer papers first among equal scores;
   * when that finds nothing, words of five letters or more that the index
   * lacks are corrected by one edit. Resolves to
   * {tokens, results, id?, corrected?: [{word, stem}]}. */
  Engine.prototype.find = function (query, options) {
    var self = this;
    var id = arxivId(query);
    return Promise.all([id ? this.findId(id) : null, this.search(query, options)]).then(function (both) {
      var ref = both[0], found = both[1];
      found.results = newerFirstOnTies(found.results);
      if (ref !== null && ref !== undefined) {
        found.id = id;
        found.results = [{ ref: ref, score: Infinity }].concat(found.results.filter(function (r) { return r.ref !== ref; }));
        return found;
      }
      return found.results.length || id ? found : self.corrected(query, found, options);
    });
  };

  Engine.prototype.corrected = function (query, found, options) {
    var self = this;
    var expand = options && 'expand' in options ? options.expand : this.meta.expand;
    var words = analyzeWords(query);
    return Promise.all(words.map(function (w) {
      return w.word.length < 5 || self.matches(w.stem, expand) ? null : self.correction(w.stem);
    })).then(function (fixes) {
      if (!fixes.some(Boolean)) return found;
      var tokens = words.map(function (w, i) { return fixes[i] || w.stem; });
      return self.prepare(tokens, expand).then(function () {
        var corrected = [];
        words.forEach(function (w, i) { if (fixes[i]) corrected.push({ word: w.word, stem: fixes[i] }); });
        return { tokens: tokens, results: newerFirstOnTies(self.rank(tokens, options)), corrected: corrected };
      });
    });
  };

  /* Display data of papers `refs`: [{title, url, date, topics, abstract,
   * authors, code}]. */
  Engine.prototype.docs = function (refs) {
    var self = this;
    var per = this.meta.docs_per_file;
    var files = {};
    refs.forEach(function (r) { files[Math.floor(r / per)] = true; });
    return Promise.all(Object.keys(files).map(function (i) {
      if (self.meta.doc_list || self.docFiles[i]) return null;
      return self.load('d' + i).then(function (data) { self.docFiles[i] = data; });
    })).then(function () {
      return refs.map(function (r) {
        var d = self.meta.doc_list ? self.meta.doc_list[r] : self.docFiles[Math.floor(r / per)][r % per];
        var names = self.meta.names;
        return {
          ref: r, title: d[0], url: names.url_affixes[0] + d[1] + names.url_affixes[1], date: d[2],
          topics: d[3].map(function (t) { return names.topics[t]; }), abstract: d[4], authors: d[5] || '', code: d[6] || ''
        };
      });
    });
  };

  var api = {
    tokenize: tokenize, stem: stem, stemToken: stemToken, analyze: analyze, compare: compare,
    decode: decode, Engine: Engine, arxivId: arxivId, oneEdit: oneEdit
  };
  if (typeof module === 'object' && module.exports) {
    module.exports = api;
    return;
  }

  /* ---------------------------------------------------------------------
   * The page: loading scripts, the header box and the search page.
   * ------------------------------------------------------------------- */

  var doc = global.document;
  var script = doc.currentScript;
  /* The site root, from this script's own address: search.js is at the root. */
  var root = script ? script.src.replace(/[^/]*$/, '') : '';
  var waiting = {};
  var arrived = {};

  global.paperpressSearchData = function (name, data) {
    arrived[name] = data;
    if (waiting[name]) waiting[name].resolve(data);
  };

  function loadScript(name) {
    if (arrived[name]) return Promise.resolve(arrived[name]);
    if (waiting[name]) return waiting[name].promise;
    var entry = {};
    entry.promise = new Promise(function (resolve, reject) { entry.resolve = resolve; entry.reject = reject; });
    waiting[name] = entry;
    var tag = doc.createElement('script');
    tag.src = root + 'search/' + name + '.js';
    tag.async = true;
    tag.onerror = function () {
      delete waiting[name];
      entry.reject(new Error('cannot load ' + tag.src));
    };
    doc.head.appendChild(tag);
    return entry.promise;
  }

  var enginePromise = null;
  function engine() {
    if (!enginePromise) {
      enginePromise = loadScript('index').then(function (meta) { return new Engine(meta, loadScript); });
    }
    return enginePromise;
  }

  /* While typing, a last word of one character is left for later. */
  function typedQuery(text) {
    var pieces = words(text);
    var endsInWord = pieces.length && pieces[pieces.length - 1][1] === text.length;
    if (endsInWord && pieces[pieces.length - 1][1] - pieces[pieces.length - 1][0] === 1) {
      return text.slice(0, pieces[pieces.length - 1][0]);
    }
    return text;
  }

  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function displayDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    return m ? MONTHS[+m[2] - 1] + ' ' + (+m[3]) + ', ' + m[1] : iso || '';
  }

  function el(name, className, text) {
    var node = doc.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Does the word `piece` of a text match one of the query stems? */
  function matcher(tokens, expand) {
    return function (piece) {
      var s = stemToken(piece.toLowerCase());
      if (s === null || s === '') return false;
      for (var i = 0; i < tokens.length; i++) {
        if (s === tokens[i] || (expand && startsWith(s, tokens[i]))) return true;
      }
      return false;
    };
  }

  /* Appends text[from, to) to `parent`, marking the words that match. */
  function appendMarked(parent, text, from, to, matches) {
    var pieces = words(text);
    var at = from;
    pieces.forEach(function (w) {
      if (w[1] <= from || w[0] >= to) return;
      var piece = text.slice(w[0], w[1]);
      if (!matches(piece)) return;
      var t = trimBounds(piece);
      parent.appendChild(doc.createTextNode(text.slice(at, w[0] + t[0])));
      parent.appendChild(el('mark', null, text.slice(w[0] + t[0], w[0] + t[1])));
      at = w[0] + t[1];
    });
    parent.appendChild(doc.createTextNode(text.slice(at, to)));
  }

  /* About `size` characters of `text` around its first match. */
  function appendExcerpt(parent, text, matches, size) {
    var pieces = words(text);
    var first = 0;
    for (var i = 0; i < pieces.length; i++) {
      if (matches(text.slice(pieces[i][0], pieces[i][1]))) { first = i; break; }
    }
    var startWord = Math.max(0, first - 6);
    if (pieces.length && text.length - pieces[startWord][0] < size) {
      while (startWord > 0 && text.length - pieces[startWord - 1][0] < size) startWord--;
    }
    var from = pieces.length ? pieces[startWord][0] : 0;
    var to = from;
    for (var j = startWord; j < pieces.length && pieces[j][1] - from <= size; j++) to = pieces[j][1];
    if (to === from) to = Math.min(text.length, from + size);
    if (from > 0) parent.appendChild(doc.createTextNode('…'));
    appendMarked(parent, text, from, to, matches);
    if (to < text.length) parent.appendChild(doc.createTextNode('…'));
  }

  /* The links a result offers: PDF and arXiv from an arXiv paper's
   * address, its code repository. */
  var ARXIV_PAGE = /^papers\/(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?_\d{7})\.html$/;
  function actions(d) {
    var out = [];
    var m = ARXIV_PAGE.exec(d.url);
    if (m) {
      var id = m[1].replace('_', '/');
      out.push(['PDF', 'https://arxiv.org/pdf/' + id, ''], ['arXiv', 'https://arxiv.org/abs/' + id, '']);
    }
    if (/^https?:\/\//.test(d.code)) out.push(['Code', d.code, 'code']);
    return out;
  }

  /* A result: on the search page a card, in the header box a compact link. */
  function resultCard(d, matches, full) {
    var item = el('li', full ? 'search-result' : 'search-hit');
    var link = el('a', 'search-link');
    link.href = root + d.url;
    var title = el(full ? 'h2' : 'span', full ? null : 'search-hit-title');
    var meta = el('p', 'search-meta');
    var time = meta.appendChild(el('time', null, displayDate(d.date)));
    time.setAttribute('datetime', d.date);
    if (!full && d.authors) meta.appendChild(el('span', 'search-hit-authors', d.authors));
    (d.topics || []).forEach(function (t) { meta.appendChild(el('span', 'chip chip-topic', t)); });
    var excerpt = el('p', full ? 'paper-excerpt search-excerpt' : 'search-hit-excerpt');
    appendExcerpt(excerpt, d.abstract || '', matches, full ? 200 : 120);
    if (full) {
      appendMarked(link, d.title, 0, d.title.length, matches);
      title.appendChild(link);
      item.appendChild(title);
      if (d.authors) {
        var authors = item.appendChild(el('p'));
        appendMarked(authors, d.authors, 0, d.authors.length, matches);
      }
      item.appendChild(meta);
      item.appendChild(excerpt);
      var links = item.appendChild(el('p', 'links'));
      actions(d).forEach(function (a) {
        var action = links.appendChild(el('a', a[2] || null, a[0]));
        action.href = a[1];
      });
    } else {
      appendMarked(title, d.title, 0, d.title.length, matches);
      link.appendChild(title);
      link.appendChild(meta);
      link.appendChild(excerpt);
      item.appendChild(link);
    }
    return item;
  }

  /* Up/Down move between the result links, Escape returns to the input. */
  function keyboard(input, list, onEscape) {
    function links() { return Array.prototype.slice.call(list.querySelectorAll('a.search-link')); }
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' && links().length) { e.preventDefault(); links()[0].focus(); }
      if (e.key === 'Escape') onEscape();
    });
    list.addEventListener('keydown', function (e) {
      var all = links();
      var i = all.indexOf(doc.activeElement);
      if (e.key === 'ArrowDown' && i >= 0 && i + 1 < all.length) { e.preventDefault(); all[i + 1].focus(); }
      if (e.key === 'ArrowUp' && i >= 0) { e.preventDefault(); (i ? all[i - 1] : input).focus(); }
      if (e.key === 'Escape') { e.preventDefault(); input.focus(); onEscape(); }
    });
  }

  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  /* The query as corrected, in words a reader recognises: each misspelt
   * word becomes a word of the results with the corrected stem. */
  function correctedQuery(text, found, docs) {
    var out = text.trim();
    found.corrected.forEach(function (c) {
      var word = c.stem;
      docs.some(function (d) {
        return [d.title, d.abstract || ''].some(function (t) {
          return words(t).some(function (w) {
            var piece = t.slice(w[0], w[1]);
            if (stemToken(piece.toLowerCase()) !== c.stem) return false;
            var b = trimBounds(piece);
            word = piece.slice(b[0], b[1]).toLowerCase();
            return true;
          });
        });
      });
      out = out.replace(new RegExp(c.word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'), word);
    });
    return out;
  }

  /* What the status line says of a search for `text`. */
  function summary(found, text, docs) {
    var n = found.results.length;
    var query = '“' + text.trim() + '”';
    if (found.corrected && n) {
      return 'No papers match ' + query + '; showing ' + plural(n, 'result') + ' for “' + correctedQuery(text, found, docs) + '”';
    }
    if (found.id && n) {
      return n === 1 ? 'The paper of arXiv ' + found.id : 'The paper of arXiv ' + found.id + ', then ' + plural(n - 1, 'other paper');
    }
    return n ? plural(n, 'paper') + (n === 1 ? ' matches ' : ' match ') + query : 'No papers match ' + query;
  }

  /* Runs searches for an input; only the latest one renders. */
  function searcher(render) {
    var latest = 0;
    return function (query, full) {
      var ticket = ++latest;
      var text = full ? query : typedQuery(query);
      if (!analyze(text).length && !arxivId(text)) { render(null, text); return; }
      engine().then(function (e) {
        return e.find(text).then(function (found) {
          if (ticket === latest) render(found, text, e);
        });
      }).catch(function (error) {
        if (ticket === latest) render({ error: error }, text);
      });
    };
  }

  function setupBox(form) {
    var input = form.querySelector('input[type=search]');
    if (!input) return;
    var popup = form.querySelector('.search-popup');
    if (!popup) {
      popup = el('div', 'search-popup');
      popup.id = 'site-search-popup';
      popup.hidden = true;
      form.appendChild(popup);
    }
    var list = el('ul', 'search-hits');
    var status = el('p', 'search-popup-status');
    status.setAttribute('role', 'status');
    popup.appendChild(status);
    popup.appendChild(list);
    function close() { popup.hidden = true; }
    var shownQuery = 0;
    var run = searcher(function (found, text, e) {
      var mine = ++shownQuery;
      list.textContent = '';
      if (!found) { status.textContent = ''; close(); return; }
      popup.hidden = false;
      if (found.error) { status.textContent = 'Search is unavailable: ' + found.error.message; return; }
      var top = found.results.slice(0, 8);
      status.textContent = found.results.length ? plural(found.results.length, 'paper') + ' found' : 'No papers match';
      e.docs(top.map(function (r) { return r.ref; })).then(function (docs) {
        if (mine !== shownQuery) return;
        if (found.corrected && docs.length) status.textContent = 'Showing results for “' + correctedQuery(text, found, docs) + '”';
        var matches = matcher(found.tokens, e.meta.expand);
        docs.forEach(function (d) { list.appendChild(resultCard(d, matches, false)); });
        if (found.results.length > top.length) {
          var more = el('li', 'search-more');
          var a = el('a', 'search-link', 'All ' + plural(found.results.length, 'result') + ' →');
          a.href = root + 'search.html?q=' + encodeURIComponent(text.trim());
          more.appendChild(a);
          list.appendChild(more);
        }
      });
    });
    /* No aria-expanded: a search box (role searchbox) does not support it; the
     * status line announces the results and ArrowDown moves focus into them. */
    input.setAttribute('aria-controls', popup.id);
    input.addEventListener('focus', function () { engine(); });
    input.addEventListener('input', function () { run(input.value, false); });
    keyboard(input, list, close);
    doc.addEventListener('click', function (e) { if (!form.contains(e.target)) close(); });
  }

  function setupPage(form) {
    var input = form.querySelector('input[type=search]');
    var list = doc.getElementById('search-results');
    var status = doc.getElementById('search-status');
    var start = doc.getElementById('search-start');
    if (!input || !list || !status) return;
    var PAGE = 10;
    var shownQuery = 0;
    var run = searcher(function (found, text, e) {
      var mine = ++shownQuery;
      list.textContent = '';
      var more = doc.getElementById('search-more');
      if (more) more.remove();
      if (start) start.hidden = !!text.trim();
      if (!found) { status.textContent = text.trim() ? 'Type a word to search.' : ''; return; }
      if (found.error) { status.textContent = 'Search is unavailable: ' + found.error.message; return; }
      var n = found.results.length;
      var matches = matcher(found.tokens, e.meta.expand);
      var shown = 0;
      function showMore() {
        var next = found.results.slice(shown, shown + PAGE);
        shown += next.length;
        return e.docs(next.map(function (r) { return r.ref; })).then(function (docs) {
          if (mine !== shownQuery) return;
          if (shown === next.length) status.textContent = summary(found, text, docs);
          docs.forEach(function (d) { list.appendChild(resultCard(d, matches, true)); });
          if (global.paperpressSaved) global.paperpressSaved.decorate(list);
          var button = doc.getElementById('search-more');
          if (shown < n && !button) {
            button = el('button', 'button search-more-button', 'Show more results');
            button.id = 'search-more';
            button.type = 'button';
            button.addEventListener('click', function () { showMore(); });
            list.parentNode.insertBefore(button, list.nextSibling);
          } else if (shown >= n && button) {
            button.remove();
          }
        });
      }
      showMore();
    });
    function update(full) {
      run(input.value, full);
      try {
        var url = input.value.trim() ? '?q=' + encodeURIComponent(input.value.trim()) : location.pathname.replace(/.*\//, '');
        history.replaceState(null, '', url);
      } catch (ignored) { /* some browsers refuse on file:// */ }
    }
    var q = new URLSearchParams(location.search).get('q');
    if (q) input.value = q;
    engine();
    input.addEventListener('input', function () { update(false); });
    form.addEventListener('submit', function (e) { e.preventDefault(); update(true); });
    keyboard(input, list, function () {});
    if (q) run(q, true);
  }

  function setup() {
    Array.prototype.forEach.call(doc.querySelectorAll('body > header form'), setupBox);
    Array.prototype.forEach.call(doc.querySelectorAll('form[data-search=page]'), setupPage);
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', setup); else setup();
})(this);
