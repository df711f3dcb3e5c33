// Small progressive enhancements; every page works without this file.
"use strict";

// Forms marked with data-confirm ask before they submit (deletes, withdrawals).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// htmx may confirm too: the same attribute on htmx-driven forms.
document.addEventListener("htmx:confirm", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Tables with a header stack as cards on a phone (css/spiegel.css): each cell carries its
// column's name. Again after htmx swaps in a new table.
function labelTables(root) {
  for (const table of root.querySelectorAll("table.table:not(.table-keep)")) {
    const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) continue;
    const names = [];
    for (const cell of head.cells) {
      const name = cell.textContent.trim().replace(/\s+/g, " ");
      for (let i = 0; i < cell.colSpan; i++) names.push(name);
    }
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          if (!cell.hasAttribute("data-label")) cell.dataset.label = names[column] || "";
          column += cell.colSpan;
        }
      }
    }
    table.classList.add("table-stack");
  }
}

// A form with errors shows a summary at its top (templates/_error_summary.html); focus moves
// to it so a keyboard or screen-reader user hears what to fix, and each link leads to its field.
function focusErrorSummary(root) {
  const summary = root.querySelector("[data-error-summary]");
  if (summary) summary.focus();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  if (!link) return;
  const field = document.getElementById(link.getAttribute("href").slice(1));
  if (field) {
    event.preventDefault();
    field.scrollIntoView({block: "center"});
    field.focus();
  }
});

document.addEventListener("DOMContentLoaded", () => {
  labelTables(document);
  focusErrorSummary(document);
});
document.addEventListener("htmx:afterSwap", (event) => {
  labelTables(event.target);
  focusErrorSummary(event.target);
});
