/* curso: notes. "Escribir / Vista previa" tabs (the preview is rendered by the server, through
   the same guarded renderer as saving) and the delete confirmation as a dialog. Without
   JavaScript the preview button and the confirmation page do the same. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-opens-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-opens-dialog"));
      if (dialog && typeof dialog.showModal === "function") {
        event.preventDefault();
        dialog.showModal();
      }
      return;
    }
    var closer = event.target.closest("[data-closes-dialog]");
    if (closer) {
      closer.closest("dialog").close();
    }
  });

  function setupTabs(form) {
    var textarea = form.querySelector("textarea");
    var previewButton = form.querySelector("[data-note-preview-button]");
    if (!textarea || !previewButton || !window.fetch) {
      return;
    }
    var field = textarea.closest("div");
    var id = textarea.id || "nota";
    var tabs = document.createElement("div");
    tabs.className = "note-tabs";
    tabs.setAttribute("role", "tablist");
    tabs.setAttribute("aria-label", "Nota");
    var write = makeTab("Escribir", id + "-escribir", field);
    var panel = document.createElement("div");
    panel.className = "note-tabpanel prose";
    panel.id = id + "-vista-previa";
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("tabindex", "0");
    panel.hidden = true;
    var preview = makeTab("Vista previa", id + "-tab-vista-previa", panel);
    panel.setAttribute("aria-labelledby", preview.id);
    field.id = field.id || id + "-campo";
    field.setAttribute("role", "tabpanel");
    field.setAttribute("aria-labelledby", write.id);
    tabs.appendChild(write);
    tabs.appendChild(preview);
    field.parentNode.insertBefore(tabs, field);
    field.parentNode.insertBefore(panel, field.nextSibling);
    previewButton.hidden = true;

    function makeTab(label, tabId, controls) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = tabId;
      tab.textContent = label;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", controls.id || (controls.id = tabId + "-panel"));
      return tab;
    }

    function select(tab) {
      var previewing = tab === preview;
      write.setAttribute("aria-selected", String(!previewing));
      preview.setAttribute("aria-selected", String(previewing));
      write.tabIndex = previewing ? -1 : 0;
      preview.tabIndex = previewing ? 0 : -1;
      field.hidden = previewing;
      panel.hidden = !previewing;
      if (previewing) {
        render();
      }
    }

    function render() {
      panel.setAttribute("aria-busy", "true");
      panel.textContent = "Preparando la vista previa…";
      var data = new FormData(form);
      data.set("vista_previa", "1");
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") }
      })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          if (body.error) {
            panel.innerHTML = "";
            var error = document.createElement("p");
            error.className = "error";
            error.textContent = body.error;
            panel.appendChild(error);
          } else if (!body.html) {
            panel.innerHTML = '<p class="help">Nada para mostrar todavía.</p>';
          } else {
            panel.innerHTML = body.html; /* sanitised by the server's renderer */
          }
        })
        .catch(function () {
          panel.textContent = "No pudimos preparar la vista previa: revisá tu conexión y probá de nuevo.";
        })
        .then(function () { panel.removeAttribute("aria-busy"); });
    }

    tabs.addEventListener("click", function (event) {
      var tab = event.target.closest('[role="tab"]');
      if (tab) {
        select(tab);
      }
    });
    tabs.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        var next = document.activeElement === write ? preview : write;
        next.focus();
        select(next);
        event.preventDefault();
      }
    });
    select(write);
  }

  document.querySelectorAll("[data-note-form]").forEach(setupTabs);
})();
