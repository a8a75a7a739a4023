/* paperpress list controls and keys, and a paper page's copy button.
 *
 * - A day's papers (home and day pages) sort by digest order, upvotes or
 *   code, and filter by topic (the day's topics, named from
 *   topics/names.js), in place. The state lives in the address
 *   (?sort=upvotes&topic=<slug>), so it can be linked and survives a
 *   reload, and the arrows to the days around keep it.
 * - The day picker jumps to a day with papers (days/dates.js lists them).
 * - Keys: / focuses the search box; j and k move through the papers of a
 *   list (Enter opens one) or, on a paper page, to the next and previous
 *   paper; ? shows the keys.
 * - A paper page's Copy BibTeX button copies the entry under "Cite" (with
 *   the Clipboard API, else by selecting it) and says so.
 *
 * - It loads the theme's other scripts that its tag names in data-load.
 *
 * A plain script (no modules, which Chromium refuses from file://), with
 * nothing from the network.
 */
(function () {
  'use strict';

  var doc = document;
  var script = doc.currentScript;
  /* The site root, from this script's own address: list.js is at the root. */
  var root = script ? script.src.replace(/[^/]*$/, '') : '';

  /* The theme's other scripts, named in this tag's data-load (one tag on
   * every page instead of one each): loaded from the root, run in order
   * after this one. */
  ((script && script.getAttribute('data-load')) || '').split(/\s+/).filter(Boolean).forEach(function (name) {
    var tag = doc.createElement('script');
    tag.src = root + name;
    tag.async = false;
    doc.head.appendChild(tag);
  });

  var SORTS = { '': 'digest order', upvotes: 'upvotes', code: 'papers with code first' };

  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  /* Reads and writes ?sort= and ?topic=, keeping any other parameter. */
  function readState() {
    var params = new URLSearchParams(location.search);
    var sort = params.get('sort') || '';
    return { sort: SORTS.hasOwnProperty(sort) ? sort : '', topic: params.get('topic') || '' };
  }

  function query(state) {
    var params = new URLSearchParams(location.search);
    ['sort', 'topic'].forEach(function (key) {
      if (state[key]) params.set(key, state[key]); else params.delete(key);
    });
    var text = params.toString();
    return text ? '?' + text : '';
  }

  function writeState(state) {
    try {
      history.replaceState(history.state, '', location.pathname + query(state) + location.hash);
    } catch (ignored) { /* a browser that refuses on file:// keeps the old address */ }
  }

  /* ------------------------------------------------------------------
   * Sorting and filtering a day's papers.
   * ---------------------------------------------------------------- */

  function votes(card) {
    var v = card.querySelector('.votes');
    return v ? Number(v.getAttribute('value')) || 0 : 0;
  }

  function hasCode(card) { return card.querySelector('a.code') ? 1 : 0; }

  function topicsOf(card) { return (card.getAttribute('data-t') || '').split(' '); }

  function setupList() {
    var list = doc.querySelector('ol[data-sortable]');
    var form = doc.querySelector('.list-controls');
    if (!list || !form) return;
    var cards = Array.prototype.slice.call(list.children);
    var order = new Map(cards.map(function (card, i) { return [card, i]; }));
    var sort = form.elements.sort;
    var topic = form.elements.topic;
    var status = doc.querySelector('.list-status');

    function topicName(slug) {
      for (var i = 0; i < topic.options.length; i++) {
        if (topic.options[i].value === slug) return topic.options[i].textContent.replace(/ \(\d+\)$/, '');
      }
      return slug;
    }

    /* Topic names by slug, from topics/names.js once it has loaded. */
    var names = {};
    var label = function (slug) { return Object.prototype.hasOwnProperty.call(names, slug) ? String(names[slug]) : slug; };

    /* A topic from an address that no paper of this day has (the arrows
     * keep the filter from day to day): shown by its name, with none. */
    function ensureOption(slug) {
      if (!slug || Array.prototype.some.call(topic.options, function (o) { return o.value === slug; })) return;
      var option = doc.createElement('option');
      option.value = slug;
      option.textContent = label(slug) + ' (0)';
      topic.appendChild(option);
    }

    function apply(state) {
      ensureOption(state.topic);
      sort.value = state.sort;
      topic.value = state.topic;
      var key = state.sort === 'upvotes' ? votes : state.sort === 'code' ? hasCode : null;
      var sorted = cards.slice().sort(function (a, b) {
        return (key ? key(b) - key(a) : 0) || order.get(a) - order.get(b);
      });
      var shown = 0;
      sorted.forEach(function (card) {
        var visible = !state.topic || topicsOf(card).indexOf(state.topic) >= 0;
        card.hidden = !visible;
        if (visible) shown++;
        list.appendChild(card);
      });
      if (status) {
        var text = state.topic ? shown + ' of ' + plural(cards.length, 'paper') + ' in ' + topicName(state.topic)
          : plural(cards.length, 'paper');
        if (state.sort) text += ', sorted by ' + SORTS[state.sort];
        status.textContent = text + '.';
      }
      /* The days around keep the sorting and the topic. */
      Array.prototype.forEach.call(doc.querySelectorAll('.day-nav a[rel]'), function (a) {
        a.href = a.href.replace(/[?#].*$/, '') + query(state);
      });
    }

    function changed() {
      var state = { sort: sort.value, topic: topic.value };
      apply(state);
      writeState(state);
    }

    /* The filter lists the day's topics, most papers first, each named
     * from topics/names.js (its slug, should that not load). */
    function fillTopics(loaded) {
      names = loaded;
      var counts = {};
      cards.forEach(function (card) {
        topicsOf(card).forEach(function (slug) { if (slug) counts[slug] = (counts[slug] || 0) + 1; });
      });
      var listed = {};
      Array.prototype.forEach.call(topic.options, function (o) { listed[o.value] = true; });
      Object.keys(counts).filter(function (slug) { return !listed[slug]; }).sort(function (a, b) {
        return counts[b] - counts[a] || (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : 0);
      }).forEach(function (slug) {
        var option = doc.createElement('option');
        option.value = slug;
        option.textContent = label(slug) + ' (' + counts[slug] + ')';
        topic.appendChild(option);
      });
    }

    var tagged = cards.some(function (card) { return topicsOf(card).some(Boolean); });
    (tagged || readState().topic ? topicNames() : Promise.resolve({})).then(fillTopics, function () { fillTopics({}); }).then(function () {
      form.hidden = false;
      form.addEventListener('change', changed);
      form.addEventListener('submit', function (e) { e.preventDefault(); });
      apply(readState());
    });
  }

  /* The data a site file (`path` from the root) hands to window[callback]
   * when its script tag runs: a script, so that it loads from file:// too. */
  function siteData(path, callback) {
    return new Promise(function (resolve, reject) {
      window[callback] = resolve;
      var tag = doc.createElement('script');
      tag.src = root + path;
      tag.onerror = function () { reject(new Error('cannot load ' + tag.src)); };
      doc.head.appendChild(tag);
    });
  }

  /* The topic names by slug, from topics/names.js. */
  function topicNames() { return siteData('topics/names.js', 'paperpressTopicNames'); }

  /* ------------------------------------------------------------------
   * The day picker: goes to the chosen day, or the next one with papers.
   * ---------------------------------------------------------------- */

  var datesPromise = null;
  function dates() {
    if (!datesPromise) {
      datesPromise = siteData('days/dates.js', 'paperpressDates').catch(function (error) {
        datesPromise = null;
        throw error;
      });
    }
    return datesPromise;
  }

  /* The first day on or after `wanted`, else the last day. */
  function nearestDay(all, wanted) {
    for (var i = 0; i < all.length; i++) if (all[i] >= wanted) return all[i];
    return all[all.length - 1];
  }

  function setupPicker() {
    var input = doc.querySelector('.day-pick');
    if (!input) return;
    input.hidden = false;
    var current = input.value;
    /* The range comes from the list of days, so that a day's page does
     * not change when a newer day is added. */
    var bound = function () {
      dates().then(function (all) {
        if (all.length) { input.min = all[0]; input.max = all[all.length - 1]; }
      }, function () {});
    };
    input.addEventListener('focus', bound, { once: true });
    input.addEventListener('pointerdown', bound, { once: true });
    input.addEventListener('change', function () {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.value)) return;
      dates().then(function (all) {
        var day = nearestDay(all, input.value);
        if (day && day !== current) location.href = root + 'days/' + day + '.html' + query(readState());
        else input.value = current;
      }).catch(function () { input.value = current; });
    });
  }

  /* ------------------------------------------------------------------
   * Keys.
   * ---------------------------------------------------------------- */

  var KEYS = [
    ['/', 'Search'],
    ['j', 'Next paper of the list, or the next paper of the day on a paper page'],
    ['k', 'Previous paper'],
    ['Enter', 'Open the paper'],
    ['?', 'Show these keys'],
    ['Esc', 'Close']
  ];

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
  }

  function el(name, className, text) {
    var node = doc.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var dialog = null;
  function keysDialog() {
    if (dialog) return dialog;
    dialog = el('dialog', 'keys');
    dialog.setAttribute('aria-labelledby', 'keys-title');
    var title = dialog.appendChild(el('h2', null, 'Keyboard shortcuts'));
    title.id = 'keys-title';
    var list = dialog.appendChild(el('dl'));
    KEYS.forEach(function (k) {
      list.appendChild(el('dt')).appendChild(el('kbd', null, k[0]));
      list.appendChild(el('dd', null, k[1]));
    });
    var form = dialog.appendChild(el('form'));
    form.method = 'dialog';
    form.appendChild(el('button', 'button', 'Close'));
    doc.body.appendChild(dialog);
    return dialog;
  }

  function toggleKeys() {
    var d = keysDialog();
    if (d.open) d.close(); else d.showModal();
  }

  /* The papers a list shows, in order: cards not hidden by a filter. */
  function visibleCards() {
    return Array.prototype.filter.call(doc.querySelectorAll('main .paper-list > li'), function (card) {
      return !card.hidden && card.offsetParent !== null;
    });
  }

  function move(step) {
    var cards = visibleCards();
    if (!cards.length) {
      /* A paper page: the next and previous paper of its day. */
      var link = doc.querySelector('.pager a[rel="' + (step > 0 ? 'next' : 'prev') + '"]');
      if (link) location.href = link.href;
      return;
    }
    var active = doc.activeElement && doc.activeElement.closest ? doc.activeElement.closest('.paper-list > li') : null;
    var current = doc.querySelector('main .paper-list > li.current');
    var at = cards.indexOf(active || current);
    var next = at < 0 ? (step > 0 ? 0 : cards.length - 1) : Math.min(cards.length - 1, Math.max(0, at + step));
    if (current) current.classList.remove('current');
    var card = cards[next];
    card.classList.add('current');
    var title = card.querySelector('h2 a') || card.querySelector('a');
    if (title) title.focus();
    card.scrollIntoView({ block: 'nearest' });
  }

  function searchInput() {
    return doc.getElementById('search-page-input') || doc.getElementById('site-search-input');
  }

  function onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (dialog && dialog.open && e.key !== '?') return;
    if (e.key === '/') {
      var input = searchInput();
      if (!input) return;
      e.preventDefault();
      input.focus();
      input.select();
    } else if (e.key === 'j' || e.key === 'k') {
      e.preventDefault();
      move(e.key === 'j' ? 1 : -1);
    } else if (e.key === '?') {
      e.preventDefault();
      toggleKeys();
    }
  }

  /* A way to the keys for those who do not know about ?. */
  function keysButton() {
    var footer = doc.querySelector('body > footer > p');
    if (!footer) return;
    var button = el('button', 'keys-button', 'Keyboard shortcuts');
    button.type = 'button';
    button.addEventListener('click', toggleKeys);
    footer.appendChild(doc.createTextNode(' · '));
    footer.appendChild(button);
  }

  /* ------------------------------------------------------------------
   * Copy BibTeX.
   * ---------------------------------------------------------------- */

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyBySelection(text); });
    }
    return copyBySelection(text);
  }

  function copyBySelection(text) {
    return new Promise(function (resolve, reject) {
      var area = doc.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      doc.body.appendChild(area);
      area.select();
      var done = false;
      try { done = doc.execCommand('copy'); } catch (ignored) { done = false; }
      area.remove();
      if (done) resolve(); else reject(new Error('copy refused'));
    });
  }

  function setupCopy() {
    var section = doc.querySelector('.cite');
    var pre = section && section.querySelector('pre');
    var heading = section && section.querySelector('h2');
    if (!pre || !heading) return;
    var button = doc.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = 'Copy BibTeX';
    var status = doc.createElement('span');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    var timer = 0;
    function say(text, message) {
      button.textContent = text;
      status.textContent = message;
      clearTimeout(timer);
      timer = setTimeout(function () { button.textContent = 'Copy BibTeX'; status.textContent = ''; }, 2500);
    }
    button.addEventListener('click', function () {
      copyText(pre.textContent).then(function () {
        say('Copied ✓', 'BibTeX copied to the clipboard');
      }, function () {
        var range = doc.createRange();
        range.selectNodeContents(pre);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        say('Selected: press Ctrl+C', 'The BibTeX is selected: copy it with Ctrl+C or Command+C');
      });
    });
    heading.insertAdjacentElement('afterend', button);
    section.appendChild(status);
  }

  function setup() {
    setupList();
    setupCopy();
    setupPicker();
    keysButton();
    doc.addEventListener('keydown', onKey);
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', setup); else setup();
})();
