/* paperpress reading list: a Save toggle on every paper card and paper
 * page, the papers kept in this browser's localStorage (which works from
 * file:// too), the Saved page that lists them, and their BibTeX as one
 * file.
 *
 * Everything read back from storage is checked before use (pages opened
 * from file:// share one storage): titles and names are written with
 * textContent, a paper's address must be a page of this site, and links
 * must be http(s). A plain script, no modules, nothing from the network.
 */
(function () {
  'use strict';

  var doc = document;
  var script = doc.currentScript;
  /* The site root, from this script's own address: saved.js is at the root. */
  var root = script ? script.src.replace(/[^/]*$/, '') : '';
  /* One list per site, wherever the site is. */
  var KEY = 'paperpress-saved ' + root;

  var PAGE = /^papers\/[^?#:\\]+\.html$/;
  var WEB = /^https?:\/\/[^\s"<>]+$/;
  var ARXIV = /^papers\/(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?_\d{7})\.html$/;

  function text(value, max) { return typeof value === 'string' ? value.slice(0, max) : ''; }

  /* A stored paper as it may be used, or null. */
  function clean(item) {
    if (!item || typeof item !== 'object' || typeof item.url !== 'string' || !PAGE.test(item.url)) return null;
    if (item.url.split('/').indexOf('..') >= 0) return null;
    var links = Array.isArray(item.links) ? item.links.filter(function (l) {
      return Array.isArray(l) && typeof l[0] === 'string' && typeof l[1] === 'string' && WEB.test(l[1]);
    }).map(function (l) { return [text(l[0], 40), l[1]]; }) : [];
    return {
      url: item.url,
      title: text(item.title, 1000) || item.url,
      authors: text(item.authors, 1000),
      date: /^\d{4}-\d{2}-\d{2}$/.test(item.date) ? item.date : '',
      links: links.slice(0, 8),
      bibtex: text(item.bibtex, 20000),
      saved: text(item.saved, 40)
    };
  }

  function load() {
    try {
      var list = JSON.parse(localStorage.getItem(KEY) || '[]');
      return Array.isArray(list) ? list.map(clean).filter(Boolean) : [];
    } catch (ignored) {
      return [];
    }
  }

  function store(list) {
    try {
      localStorage.setItem(KEY, JSON.stringify(list));
      return true;
    } catch (ignored) {
      return false;
    }
  }

  function find(list, url) {
    for (var i = 0; i < list.length; i++) if (list[i].url === url) return i;
    return -1;
  }

  /* A link's address relative to the site root, or null if it is not a paper of this site. */
  function sitePath(href) {
    if (href.indexOf(root) !== 0) return null;
    var path = decodeURIComponent(href.slice(root.length).replace(/[?#].*$/, ''));
    return PAGE.test(path) ? path : null;
  }

  function short(names) {
    return names.length > 6 ? names.slice(0, 5).join(', ') + ' et al.' : names.join(', ');
  }

  function linksOf(container, selector) {
    return Array.prototype.filter.call(container.querySelectorAll(selector), function (a) {
      return WEB.test(a.href);
    }).map(function (a) { return [a.textContent.replace(/\s+/g, ' ').trim(), a.href]; });
  }

  function dayOfPage() {
    var pick = doc.querySelector('.day-pick');
    return pick ? pick.value : '';
  }

  /* What a card shows of its paper. */
  function fromCard(card) {
    var link = card.querySelector('h2 a');
    if (!link) return null;
    var url = sitePath(link.href);
    if (!url) return null;
    var authors = card.querySelector('h2 + p:not([class])');
    var time = authors && authors.querySelector('time');
    var names = authors ? authors.textContent : '';
    if (time) names = names.slice(time.textContent.length).replace(/^\s*·\s*/, '');
    return {
      url: url,
      title: card.getAttribute('data-title') || link.textContent.trim(),
      authors: names.trim(),
      date: time ? time.getAttribute('datetime') : dayOfPage(),
      links: linksOf(card, '.links a')
    };
  }

  /* What a paper page says of its paper, with its BibTeX. */
  function fromPage(article) {
    var url = sitePath(location.href);
    if (!url) return null;
    var meta = function (name) {
      return Array.prototype.map.call(doc.querySelectorAll('meta[name="' + name + '"]'), function (m) { return m.content; });
    };
    var listed = article.querySelector('.listed-on a') || article.querySelector('.breadcrumb a');
    var day = listed ? (listed.getAttribute('href').match(/(\d{4}-\d{2}-\d{2})\.html$/) || [])[1] : '';
    var pre = article.querySelector('.cite pre');
    return {
      url: url,
      title: meta('citation_title')[0] || doc.title,
      authors: short(meta('citation_author')),
      date: day || '',
      links: linksOf(article, '.actions > a'),
      bibtex: pre ? pre.textContent : ''
    };
  }

  /* ------------------------------------------------------------------
   * BibTeX for papers saved from a list (a paper page gives its own).
   * ---------------------------------------------------------------- */

  function braces(s) { return s.replace(/[{}]/g, ''); }

  function bibtex(item) {
    if (item.bibtex) return item.bibtex;
    var m = ARXIV.exec(item.url);
    var id = m ? m[1].replace('_', '/') : '';
    var yy = id ? Number(id.replace(/^.*\//, '').slice(0, 2)) : NaN;
    var year = !isNaN(yy) ? (yy >= 91 ? 1900 + yy : 2000 + yy) : Number(item.date.slice(0, 4)) || '';
    var names = item.authors.replace(/ et al\.$/, '').split(', ').filter(Boolean);
    var surname = names.length ? names[0].split(' ').pop().replace(/[^\p{L}\p{N}]/gu, '').toLowerCase() : '';
    var word = (item.title.split(/[^A-Za-z0-9]+/).filter(function (w) { return w.length > 3; })[0] || 'paper').toLowerCase();
    var key = surname ? surname + year + word : id ? 'arxiv' + id.replace(/[/.]/g, '') : word + year;
    var title = braces(item.title).replace(/(^|[^\\])([&%#])/g, '$1\\$2');
    var lines = ['@misc{' + key + ',', '  title={' + title + '},'];
    if (names.length) {
      lines.push('  author={' + braces(names.join(' and ')) + (/ et al\.$/.test(item.authors) ? ' and others' : '') + '},');
    }
    lines.push('  year={' + year + '},');
    if (id) lines.push('  eprint={' + id + '},', '  archivePrefix={arXiv},', '  url={https://arxiv.org/abs/' + id + '}');
    else lines[lines.length - 1] = lines[lines.length - 1].replace(/,$/, '');
    lines.push('}');
    return lines.join('\n');
  }

  /* ------------------------------------------------------------------
   * Toggles.
   * ---------------------------------------------------------------- */

  function el(name, className, value) {
    var node = doc.createElement(name);
    if (className) node.className = className;
    if (value !== undefined) node.textContent = value;
    return node;
  }

  function paint(button, saved) {
    button.setAttribute('aria-pressed', saved ? 'true' : 'false');
    button.firstChild.textContent = saved ? '★' : '☆';
    button.lastChild.textContent = saved ? ' Saved' : ' Save';
    button.title = saved ? 'Remove from your saved papers' : 'Save to read later';
  }

  function toggle(read) {
    var button = el('button', 'save');
    button.type = 'button';
    button.appendChild(el('span', 'save-mark', '☆')).setAttribute('aria-hidden', 'true');
    button.appendChild(el('span', 'save-text', ' Save'));
    button.addEventListener('click', function () {
      var item = read();
      if (!item) return;
      var list = load();
      var at = find(list, item.url);
      if (at >= 0) list.splice(at, 1);
      else {
        item.saved = new Date().toISOString();
        list.unshift(clean(item));
      }
      if (store(list)) refresh();
      else button.title = 'This browser does not let the site keep a reading list';
    });
    return button;
  }

  var buttons = [];

  /* Puts a toggle on each card under `scope` that has none yet. */
  function decorate(scope) {
    Array.prototype.forEach.call((scope || doc).querySelectorAll('.paper-list > li'), function (card) {
      if (card.querySelector('.save') || card.closest('#saved-list')) return;
      var item = fromCard(card);
      if (!item) return;
      var links = card.querySelector('.links');
      if (!links) links = card.appendChild(el('p', 'links'));
      /* A card with no links: the theme can fit the toggle beside the summary. */
      if (!links.querySelector('a')) links.classList.add('only-save');
      var button = toggle(function () { return fromCard(card); });
      button.dataset.url = item.url;
      links.appendChild(button);
      buttons.push(button);
    });
    refresh();
  }

  function decoratePage() {
    var article = doc.querySelector('article:not(.prose)');
    var actions = article && article.querySelector('.actions');
    if (!actions) return;
    var item = fromPage(article);
    if (!item) return;
    var button = toggle(function () { return fromPage(article); });
    button.dataset.url = item.url;
    actions.appendChild(button);
    buttons.push(button);
    /* A paper saved from a list gets the page's own BibTeX and names. */
    var list = load();
    var at = find(list, item.url);
    if (at >= 0 && !list[at].bibtex) {
      item.saved = list[at].saved;
      list[at] = clean(item);
      store(list);
    }
  }

  /* Shows every toggle's state, and the count in the menu. */
  function refresh() {
    var list = load();
    var urls = {};
    list.forEach(function (item) { urls[item.url] = true; });
    buttons.forEach(function (b) { paint(b, !!urls[b.dataset.url]); });
    var nav = doc.querySelector('body > header nav a[href$="saved.html"]');
    if (nav) {
      var count = nav.querySelector('.saved-count') || nav.appendChild(el('span', 'saved-count'));
      count.textContent = list.length ? ' ' + list.length : '';
    }
  }

  /* ------------------------------------------------------------------
   * The Saved page.
   * ---------------------------------------------------------------- */

  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function displayDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return m ? MONTHS[+m[2] - 1] + ' ' + (+m[3]) + ', ' + m[1] : '';
  }

  function savedCard(item) {
    var card = el('li');
    var title = card.appendChild(el('h2'));
    var link = title.appendChild(el('a', null, item.title));
    link.href = root + item.url;
    if (item.date || item.authors) {
      var meta = card.appendChild(el('p'));
      if (item.date) {
        var time = meta.appendChild(el('time', null, displayDate(item.date)));
        time.setAttribute('datetime', item.date);
      }
      if (item.date && item.authors) meta.appendChild(doc.createTextNode(' · '));
      meta.appendChild(doc.createTextNode(item.authors));
    }
    var links = card.appendChild(el('p', 'links'));
    item.links.forEach(function (l) {
      var a = links.appendChild(el('a', null, l[0]));
      a.href = l[1];
    });
    var button = toggle(function () { return item; });
    button.dataset.url = item.url;
    links.appendChild(button);
    buttons.push(button);
    return card;
  }

  function download(name, content) {
    var blob = new Blob([content], { type: 'application/x-bibtex' });
    var a = el('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    doc.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  function setupSavedPage() {
    var list = doc.getElementById('saved-list');
    if (!list) return;
    var status = doc.getElementById('saved-status');
    var tools = doc.querySelector('.saved-tools');
    function render() {
      var items = load();
      list.textContent = '';
      buttons = buttons.filter(function (b) { return !list.contains(b); });
      items.forEach(function (item) { list.appendChild(savedCard(item)); });
      status.textContent = items.length
        ? plural(items.length) + ' saved in this browser, newest first.'
        : 'No saved papers yet. Save papers with the ☆ Save button on any list or paper page: they are kept in this browser, on this device, and never sent anywhere.';
      tools.hidden = !items.length;
      refresh();
    }
    function plural(n) { return n + ' paper' + (n === 1 ? '' : 's'); }
    tools.querySelector('[data-saved=export]').addEventListener('click', function () {
      download('saved-papers.bib', load().map(bibtex).join('\n\n') + '\n');
    });
    tools.querySelector('[data-saved=clear]').addEventListener('click', function () {
      if (window.confirm('Remove all ' + plural(load().length) + ' from your saved papers?')) {
        store([]);
        render();
      }
    });
    render();
    /* A paper unsaved here stays listed (to save it again) until the page is reloaded. */
  }

  window.paperpressSaved = { decorate: decorate, load: load, bibtex: bibtex };

  function setup() {
    setupSavedPage();
    decoratePage();
    decorate(doc.querySelector('main'));
    window.addEventListener('storage', function (e) { if (e.key === KEY) refresh(); });
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', setup); else setup();
})();
