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
        box.querySelector("[data-progress-label]").textContent = tally.label;
        box.querySelector("[data-progress-percent]").textContent = tally.percent;
        var bar = box.querySelector("[data-progress-bar]");
        bar.value = tally.percent;
        bar.textContent = tally.percent + " %";
      });
    });
  }

  function showStatus(form, status, label) {
    form.querySelectorAll('button[name="status"]').forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.value === status));
    });
    form.querySelector("[data-status-label]").textContent = label;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-status-form]");
    var button = event.submitter;
    if (!form || !button || button.name !== "status" || !window.fetch) {
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    data.set("status", button.value);
    form.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") }
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, status: response.status, body: body };
        });
      })
      .then(function (result) {
        if (result.status === 401 && result.body.login_url) {
          window.location.href = result.body.login_url + "?next=" + encodeURIComponent(window.location.pathname);
          return;
        }
        if (!result.ok) {
          announce(result.body.error || "No se pudo guardar el estado.");
          return;
        }
        showStatus(form, result.body.status, result.body.status_label);
        updateTallies(result.body.tallies);
        announce(result.body.message);
      })
      .catch(function () {
        announce("No se pudo guardar: revisá tu conexión y probá de nuevo.");
      })
      .then(function () {
        form.removeAttribute("aria-busy");
      });
  });
})();
