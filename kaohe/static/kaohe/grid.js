// The score grid's live preview: as amounts are typed, ask the server to score the form (nothing is
// saved) and show the new item scores, totals and inline errors. Loaded from grid.html, with no inline script (CSP).
(function () {
  "use strict";
  const form = document.getElementById("grid");
  if (!form || !form.dataset.preview) return;
  let timer = null;
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  });

  async function preview() {
    const response = await fetch(form.dataset.preview, {method: "POST", body: new FormData(form)});
    if (!response.ok) return;
    const data = await response.json();
    document.querySelectorAll(".err").forEach((e) => {
      if (!e.dataset.server) e.textContent = "";
    });
    for (const [key, message] of Object.entries(data.errors)) {
      const e = document.getElementById("error-" + key);
      if (e) e.textContent = message;
    }
    for (const [sheet, unit] of Object.entries(data.units)) {
      for (const [code, value] of Object.entries(unit.items)) {
        const cell = document.getElementById(`score-${sheet}-${code}`);
        if (cell && cell.textContent.trim() !== value) {
          cell.textContent = value;
          cell.classList.add("changed");
        }
      }
      const total = document.getElementById("total-" + sheet);
      if (total) {
        const strong = document.createElement("strong");
        strong.textContent = unit.total;
        total.replaceChildren(strong);
      }
    }
  }
})();
