// The live page's htmx glue: what the attributes cannot say under a CSP without eval.
// Steps, questions, corrections and polling are htmx (see findings/views/live.py); the notes'
// queue is note-queue.js, the clocks clock.js.
"use strict";

(() => {
  const root = document.getElementById("live");
  if (!root || root.hasAttribute("data-ended")) return;
  const T = JSON.parse(document.getElementById("live-strings").textContent);
  const $ = (selector, scope = document) => scope.querySelector(selector);
  const inLive = (elt) => Boolean(elt && elt.closest && elt.closest("#live"));
  const isPoll = (elt) => elt && elt.matches("[hx-trigger^='every']");
  const actionError = (text) => { $("#live-action-error").textContent = text; };
  // The stage a move of one's own left, until a newer stage arrives: by the move's own answer
  // or by a poll that overtook it (the move's form is gone then, and htmx drops its answer).
  let movedFrom = null;
  let noteRequests = 0; // corrections opening or being saved: the list must hold still

  // The versions the server stamps on the stage and the notes end in the milliseconds of the
  // last change ("questions:1733125000123").
  const millis = (input) => Number(String(input?.value ?? "").split(":").pop()) || 0;

  // An answer that left the server before the page's newest one (a poll overtaken by a move,
  // two moves in quick succession) would put an older stage or list back: it is dropped.
  function isOlder(html) {
    const answer = new DOMParser().parseFromString(html, "text/html");
    const stage = $("input[name=stage_v]", answer);
    if (stage) return millis(stage) < millis($("#live-stage input[name=stage_v]"));
    const notes = $("#live-notes", answer);
    const shown = $("#live-notes");
    if (!notes || !shown) return false;
    // Notes without a stage were asked for under the stage shown then: another question's
    // list means the page has moved on since.
    if (notes.dataset.question !== shown.dataset.question) return true;
    return millis($("input[name=notes_v]", notes)) < millis($("input[name=notes_v]", shown));
  }

  // A refusal (400, 409) carries the message or the conflict to show: swap it, like a 200.
  // An answer from elsewhere (the login page, after the login expired) is never swapped.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const { xhr, requestConfig, elt } = event.detail;
    if (!inLive(elt)) return;
    const asked = requestConfig && new URL(requestConfig.path, window.location.href).pathname;
    if (xhr.responseURL && asked && new URL(xhr.responseURL).pathname !== asked) {
      event.detail.shouldSwap = false;
      if (!isPoll(elt)) actionError(T.loggedOut);
    } else if (xhr.status === 200 && isOlder(xhr.responseText)) {
      event.detail.shouldSwap = false;
    } else if (xhr.status === 400 || xhr.status === 409) {
      if (elt.closest("form[data-live-action]")) movedFrom = null;
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:sendError", (event) => {
    const elt = event.detail.elt;
    if (!inLive(elt) || isPoll(elt)) return;
    if (elt.closest("form[data-live-action]")) movedFrom = null;
    const edit = elt.closest(".live-note");
    if (edit && $(".live-error", edit)) $(".live-error", edit).textContent = T.editFailed;
    else actionError(T.actionFailed);
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt.closest("form[data-live-action]")) {
      movedFrom = millis($("#live-stage input[name=stage_v]"));
    }
    if (event.detail.elt.closest("#live-notes")) noteRequests += 1;
    // A choice in a conflict is made: the texts side by side go, the form is a plain form
    // again (its values are already on their way), as before the conflict.
    const edit = event.detail.elt.closest("form.live-edit");
    const conflict = edit && $(".live-conflict", edit);
    if (conflict && event.detail.elt === edit) {
      const text = edit.elements.text;
      const value = text.value;
      text.textContent = "";
      text.value = value;
      conflict.remove();
      $(".live-edit-actions", edit).hidden = false;
    }
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.elt.closest && event.detail.elt.closest("#live-notes")) {
      noteRequests = Math.max(0, noteRequests - 1);
    }
  });

  function focusAfterMove() {
    if ($("#live-stage [data-capturing]")) $("#capture-text")?.focus();
    else $("#stage-title")?.focus();
  }

  document.addEventListener("htmx:oobBeforeSwap", (event) => {
    const { target, fragment } = event.detail;
    if (target.id === "live-stage") {
      // After one's own move, or when the focus was in the replaced part: the cursor goes
      // where the new step needs it (once the swap is done).
      if (movedFrom !== null && millis($("input[name=stage_v]", fragment)) > movedFrom) {
        movedFrom = null;
        window.setTimeout(focusAfterMove);
      } else if (target.contains(document.activeElement)) {
        window.setTimeout(focusAfterMove);
      }
    } else if (target.id === "live-notes" && (noteRequests || $("form.live-edit", target))) {
      // Never throw away a correction being typed (or on its way): the next poll brings the
      // list once it closes.
      event.detail.shouldSwap = false;
    } else if (target.id === "live-speakers") {
      const values = (scope) => [...scope.querySelectorAll("input[name=speaker]")].map((r) => r.value).join();
      if (values(target) === values(fragment)) {
        event.detail.shouldSwap = false;
        return;
      }
      const chosen = $("input[name=speaker]:checked", target)?.value ?? "";
      const radios = [...fragment.querySelectorAll("input[name=speaker]")];
      const keep = radios.some((r) => r.value === chosen) ? chosen : "";
      for (const radio of radios) radio.defaultChecked = radio.value === keep;
    }
  });

  // Alt+→ / Alt+←: the next or previous question or step, unless the user is typing.
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    const target = event.target;
    const typing = target.closest && (target.closest("textarea, select, [contenteditable]")
      || (target.matches("input") && !["radio", "checkbox", "submit", "button"].includes(target.type)));
    if (typing) return;
    // Never the browser's own Alt+← (back, away from the meeting), also while a move is on its way.
    event.preventDefault();
    const which = event.key === "ArrowRight" ? "next" : "prev";
    const button = $(`#live-stage [data-shortcut="${which}"]`);
    if (!button || button.disabled) return;
    // htmx takes up a swapped-in form a moment later (when the swap settles); a key pressed in
    // that moment would post the plain form and reload the page, losing the cursor's place.
    window.htmx?.process(button.form);
    button.click();
  });
})();
