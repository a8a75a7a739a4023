/* paperpress: the Copy BibTeX button of a paper page. It copies the entry
 * shown under "Cite" with the Clipboard API, or, where a browser refuses
 * it, by selecting the text and copying the selection; and says so. */
(function () {
  'use strict';

  var doc = document;

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

  function setup() {
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

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', setup); else setup();
})();
