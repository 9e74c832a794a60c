/* curso: status buttons update in place (the plain form still works without JavaScript). */
(function () {
  "use strict";

  var live = document.createElement("div");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  document.body.appendChild(live);

  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function updateTallies(tallies) {
    Object.keys(tallies).forEach(function (scope) {
      var tally = tallies[scope];
      document.querySelectorAll('[data-progress-scope="' + scope + '"]').forEach(function (box) {
        box.querySelectorAll("[data-progress-label]").forEach(function (el) { el.textContent = tally.label; });
        box.querySelectorAll("[data-progress-percent]").forEach(function (el) { el.textContent = tally.percent; });
        box.querySelectorAll("[data-progress-bar]").forEach(function (bar) {
          bar.value = tally.percent;
          bar.textContent = tally.percent + " %";
        });
        box.querySelectorAll("[data-progress-count]").forEach(function (el) {
          el.textContent = tally[el.getAttribute("data-progress-count")];
        });
      });
    });
  }

  function showStatus(form, status, label) {
    form.querySelectorAll('button[name="status"]').forEach(function (button) {
      if (button.hasAttribute("aria-pressed")) {
        button.setAttribute("aria-pressed", String(button.value === status));
      }
    });
    form.querySelectorAll("[data-status-label]").forEach(function (el) { el.textContent = label; });
    /* Cards and overview nodes of this topic take the status's look. */
    document.querySelectorAll('[data-status-of="' + form.getAttribute("data-topic") + '"]').forEach(function (node) {
      node.setAttribute("data-status", status);
      node.querySelectorAll("[data-status-text]").forEach(function (text) { text.textContent = label; });
    });
  }

  function currentStatus(form) {
    var pressed = form.querySelector('button[name="status"][aria-pressed="true"]');
    var node = document.querySelector('[data-status-of="' + form.getAttribute("data-topic") + '"]');
    var label = form.querySelector("[data-status-label]") || (node && node.querySelector("[data-status-text]"));
    return {
      status: pressed ? pressed.value : (node ? node.getAttribute("data-status") : ""),
      label: label ? label.textContent : ""
    };
  }

  /* A failed change is visible where it happened: the buttons go back to what is saved and a
     message says why, with a button to try again. */
  function showError(form, text, button) {
    clearError(form);
    var box = document.createElement("p");
    box.className = "status-form__error";
    box.setAttribute("role", "alert");
    box.setAttribute("data-status-error", "");
    box.appendChild(document.createTextNode(text + " "));
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "link-button";
    retry.textContent = "Reintentar";
    retry.addEventListener("click", function () {
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit(button);
      } else {
        button.click();
      }
    });
    box.appendChild(retry);
    form.appendChild(box);
  }

  function clearError(form) {
    var old = form.querySelector("[data-status-error]");
    if (old) {
      old.remove();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-status-form]");
    var button = event.submitter;
    if (!form || !button || button.name !== "status" || !window.fetch) {
      return;
    }
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") {
      return;
    }
    var saved = currentStatus(form);
    var data = new FormData(form);
    data.set("status", button.value);
    form.setAttribute("aria-busy", "true");
    clearError(form);
    showStatus(form, button.value, button.textContent.trim());
    function failed(text) {
      showStatus(form, saved.status, saved.label);
      showError(form, text, button);
      announce(text);
    }
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") }
    })
      .then(function (response) {
        /* An error page (a proxy's 502, the site's 503) is not JSON: still a server answer. */
        return response.json().catch(function () { return {}; }).then(function (body) {
          return { ok: response.ok, status: response.status, body: body };
        });
      })
      .then(function (result) {
        if (result.status === 401 && result.body.login_url) {
          window.location.href = result.body.login_url + "?next=" + encodeURIComponent(window.location.pathname);
          return;
        }
        if (!result.ok) {
          failed("No se guardó el cambio: " + (result.body.error ||
            "el sitio no pudo guardarlo ahora (error " + result.status + ")."));
          return;
        }
        showStatus(form, result.body.status, result.body.status_label);
        updateTallies(result.body.tallies);
        announce(result.body.message);
      })
      .catch(function () {
        failed("No se guardó el cambio: revisá tu conexión.");
      })
      .then(function () {
        form.removeAttribute("aria-busy");
      });
  });
})();
