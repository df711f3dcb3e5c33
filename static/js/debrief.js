// Progressive enhancement for the debrief and the feedback letter; both work without it.
"use strict";

// A submit button marked with data-confirm-click asks first (e.g. "Definitief maken"), while
// the other buttons of the same form submit straight away.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-confirm-click]");
  if (button && !window.confirm(button.dataset.confirmClick)) {
    event.preventDefault();
  }
});
