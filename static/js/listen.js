// The listener's private jotting pad: htmx saves it a second after typing stops and on
// leaving the field; this file retries when the network is gone and sends what is left when
// the page closes. Without JavaScript the pad is a plain form with an "Opslaan" button.
"use strict";

(() => {
  const form = document.querySelector("form[data-jotting]");
  const text = form && form.querySelector("textarea[hx-post]");
  if (!text) return;
  const status = form.querySelector("#jotting-status");
  let saved = text.value; // what the server has, as far as this page knows
  let sending = null;
  let retry = null;

  text.addEventListener("htmx:beforeRequest", () => {
    sending = text.value;
  });
  text.addEventListener("htmx:afterRequest", (event) => {
    window.clearTimeout(retry);
    if (event.detail.successful) {
      if (!status.querySelector("[data-error]")) saved = sending;
      return;
    }
    // No answer at all: keep the text, say so, and try again in a few seconds.
    if (!event.detail.xhr.status) {
      status.textContent = form.dataset.msgOffline;
      retry = window.setTimeout(() => htmx.trigger(text, "jotting:retry"), 5000);
    }
  });

  // Closing or reloading within the second before the autosave: send the rest on the way out.
  window.addEventListener("pagehide", () => {
    if (text.value !== saved && navigator.sendBeacon) {
      const data = new FormData(form);
      data.append("beacon", "1");
      navigator.sendBeacon(form.action, data);
    }
  });
})();
