// The presenter screen and the listeners' view: polling helpers. The pages work without it
// except for the clock (clock.js, shared with the live page), the full-screen button and the
// offline note.
"use strict";

(() => {
  // A poll that ends somewhere else (the login page, after the login expired) must not be
  // swapped into the screen: reload, so the whole page shows where we are.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const { xhr, requestConfig } = event.detail;
    if (!xhr || !xhr.responseURL || !requestConfig) return;
    const asked = new URL(requestConfig.path, window.location.href).pathname;
    if (new URL(xhr.responseURL).pathname !== asked) {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });

  // A calm note while polls fail; it goes away with the first poll that gets through.
  const offline = document.querySelector("[data-offline]");
  const isPoll = (event) => event.detail.elt && event.detail.elt.matches("[hx-trigger^='every']");
  function setOffline(on) {
    if (offline && offline.hidden === on) offline.hidden = !on;
  }
  document.addEventListener("htmx:sendError", (event) => { if (isPoll(event)) setOffline(true); });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (isPoll(event)) setOffline(!event.detail.successful && !event.detail.xhr.status);
  });

  // Full screen for the beamer, where the browser allows it.
  const button = document.querySelector("[data-fullscreen]");
  if (button && document.fullscreenEnabled) {
    button.hidden = false;
    button.addEventListener("click", () => {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        document.documentElement.requestFullscreen();
      }
    });
    document.addEventListener("fullscreenchange", () => {
      const on = Boolean(document.fullscreenElement);
      button.textContent = on ? button.dataset.labelExit : button.dataset.labelEnter;
    });
  }
})();
