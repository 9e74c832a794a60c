/* curso: "Copiar" buttons (hidden without JavaScript; the field stays selectable). */
(function () {
  "use strict";
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = "¡Copiado!";
        window.setTimeout(function () { button.textContent = "Copiar"; }, 2000);
      });
    });
  });
})();
