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
