// The print format editor's live preview: as the template, the CSS or the subject change, submit the
// form to the preview frame (nothing is saved). Loaded from print_editor.html, with no inline script (CSP).
(function () {
  "use strict";
  const form = document.getElementById("format-form");
  const button = document.getElementById("preview-button");
  if (!form || !button) return;
  let timer = null;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => form.requestSubmit(button), 400);
  };
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
