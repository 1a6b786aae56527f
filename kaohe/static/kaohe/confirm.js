// Irreversible steps ask first: a form or button with data-confirm="…" shows that summary and goes ahead
// only when the user agrees. Without script the form submits as before (the server still checks everything).
"use strict";
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var text = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
  if (text && !window.confirm(text)) {
    event.preventDefault();
  }
}, true);
