/* curso: keyboard shortcuts on a topic page, for signed-in learners.
 *
 * Each shortcut presses the button or follows the link a mouse would: the status forms (which
 * progress.js sends and announces in its aria-live region), "Completar y seguir" and the pager.
 * CSRF and the server stay the single path. Ignored while typing in a field or with Ctrl, Alt or
 * Meta held. "?" opens the help dialog, also reachable by its visible button. Without JavaScript
 * there are no shortcuts and the help button stays hidden.
 */
(function () {
  "use strict";

  var panel = document.querySelector("[data-shortcuts]");
  var dialog = document.getElementById("atajos");
  if (!panel || !dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var statusForm = panel.querySelector("[data-status-form]");
  var STATUS_KEYS = { p: "pendiente", e: "en_progreso", c: "completado", o: "omitido" };

  function statusButton(value) {
    return statusForm && statusForm.querySelector('button[name="status"][value="' + value + '"]');
  }

  var ACTIONS = {
    s: function () { return panel.querySelector("[data-complete-and-continue]"); },
    n: function () { return document.querySelector('.pager a[rel="next"]'); },
    a: function () { return document.querySelector('.pager a[rel="prev"]'); }
  };
  Object.keys(STATUS_KEYS).forEach(function (key) {
    ACTIONS[key] = function () { return statusButton(STATUS_KEYS[key]); };
  });

  // Tell assistive technology which key does what (aria-keyshortcuts).
  Object.keys(ACTIONS).forEach(function (key) {
    var target = ACTIONS[key]();
    if (target) {
      target.setAttribute("aria-keyshortcuts", key);
    }
  });

  var helpButton = panel.querySelector("[data-shortcuts-help]");
  var opener = null;

  function openHelp() {
    if (dialog.open) {
      return;
    }
    opener = document.activeElement;
    dialog.showModal();
  }

  dialog.addEventListener("close", function () {
    if (opener && typeof opener.focus === "function" && document.contains(opener)) {
      opener.focus();
    }
    opener = null;
  });

  if (helpButton) {
    helpButton.hidden = false;
    helpButton.setAttribute("aria-keyshortcuts", "?");
    helpButton.addEventListener("click", openHelp);
  }

  function isTyping(target) {
    if (!target || !target.closest) {
      return false;
    }
    return Boolean(
      target.isContentEditable ||
      target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])")
    );
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.repeat || event.isComposing) {
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || dialog.open || isTyping(event.target)) {
      return;
    }
    if (event.key === "?") {
      event.preventDefault();
      openHelp();
      return;
    }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key; // Caps Lock on
    if (event.shiftKey || !Object.prototype.hasOwnProperty.call(ACTIONS, key)) {
      return;
    }
    var target = ACTIONS[key]();
    if (!target) {
      return;
    }
    event.preventDefault();
    target.click();
  });
})();
