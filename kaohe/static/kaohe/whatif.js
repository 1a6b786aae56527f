// The what-if panel: "Recompute" posts the form and swaps in the comparison without a reload; the export
// buttons submit as usual (the answer is a file). Empty fields mean "unchanged" and are left out of what is
// sent, so a round of many ledger rows stays a short request.
(function () {
  "use strict";

  function withoutEmptyFields(form, send) {
    var emptied = Array.prototype.filter.call(form.querySelectorAll("input.whatif-number"), function (input) {
      return !input.disabled && input.value.trim() === "";
    });
    emptied.forEach(function (input) { input.disabled = true; });
    try {
      return send();
    } finally {
      // After the browser has read the form: disabled fields are not part of what a submission sends.
      window.setTimeout(function () { emptied.forEach(function (input) { input.disabled = false; }); }, 0);
    }
  }

  // A unit's rows, figures and amounts load when its line is opened: forty units hold thousands of rows.
  function loadWhenOpened(details) {
    details.addEventListener("toggle", function () {
      if (!details.open || details.dataset.loaded) return;
      details.dataset.loaded = "1";
      var editor = details.querySelector(".whatif-editor");
      fetch(details.dataset.src, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) { editor.innerHTML = html; })
        .catch(function () { delete details.dataset.loaded; });  // the link to the page with this unit stays
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("whatif-form");
    var result = document.getElementById("whatif-result");
    if (!form || !result || !window.fetch) return;
    Array.prototype.forEach.call(form.querySelectorAll("details.whatif-unit"), loadWhenOpened);
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.name === "export") {
        withoutEmptyFields(form, function () { return null; });
        return;
      }
      event.preventDefault();
      var data = withoutEmptyFields(form, function () { return new FormData(form); });
      result.setAttribute("aria-busy", "true");
      fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      }).then(function (response) {
        return response.text();
      }).then(function (html) {
        result.innerHTML = html;
        result.removeAttribute("aria-busy");
        result.dataset.version = String(Number(result.dataset.version || 0) + 1);
      }).catch(function () {
        result.removeAttribute("aria-busy");
        form.submit();  // no answer from the script's request: post the form the ordinary way
      });
    });
  });
})();
