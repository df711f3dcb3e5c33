// The live page's notes, never lost: what htmx cannot do for the capture form.
//
// Every note gets an id made here (client_id) before its first send and waits in
// localStorage until the server has confirmed it. The server stores each id once, so retries,
// double clicks, a reload, a restarted server or a second tab cannot lose or double a note.
// It talks JSON to the capture endpoint: the queue must tell "stored" (201/200) from "refused"
// (400, give the text back) from "try again" (no answer, 5xx, logged out) itself, and keep
// sending after htmx has given up. Text typed but not yet saved survives a reload
// (sessionStorage). Steps, questions, corrections and following the server are htmx's.
"use strict";

(() => {
  const root = document.getElementById("live");
  if (!root) return;
  const T = JSON.parse(document.getElementById("live-strings").textContent);
  const ended = root.hasAttribute("data-ended");
  const key = (name) => `spiegel:${name}:${root.dataset.user}:${root.dataset.session}`;
  const QUEUE = key("queue");
  const REJECTED = key("rejected");
  const DRAFT = key("draft");
  const RETRY_MS = 4000;
  const SEND_TIMEOUT_MS = 10000;
  const limit = Number(root.dataset.textLimit || 4000);
  const offset = root.dataset.serverNow ? Number(root.dataset.serverNow) - Date.now() : 0;
  const serverNow = () => Date.now() + offset;
  const capturing = () => Boolean(document.querySelector("#live-stage [data-capturing]"));
  const $ = (selector, scope = document) => scope.querySelector(selector);
  const $$ = (selector, scope = document) => [...scope.querySelectorAll(selector)];
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // — storage: the browser's, or memory when it refuses (private mode, full disk) —

  const memory = new Map();
  const broken = new Set();
  function read(storage, name, fallback) {
    if (broken.has(name)) return memory.has(name) ? memory.get(name) : fallback;
    try {
      const raw = storage.getItem(name);
      return raw === null ? fallback : JSON.parse(raw);
    } catch {
      return memory.has(name) ? memory.get(name) : fallback;
    }
  }
  function write(storage, name, value) {
    memory.set(name, value);
    try {
      if (value === null) storage.removeItem(name);
      else storage.setItem(name, JSON.stringify(value));
    } catch {
      broken.add(name);
    }
  }
  const queue = () => read(localStorage, QUEUE, []);
  const setQueue = (notes) => write(localStorage, QUEUE, notes);
  const enqueue = (note) => setQueue([...queue(), note]);
  const dequeue = (clientId) => setQueue(queue().filter((n) => n.client_id !== clientId));

  // — small helpers —

  function uuid() {
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    // Plain http outside localhost has no randomUUID; getRandomValues works everywhere.
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function csrfToken() {
    // The cookie is fresh even after logging in again in another tab; the page's token is not.
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : root.dataset.csrf;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setText(node, text) {
    if (node && node.textContent !== text) node.textContent = text;
  }

  async function post(url, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        signal: controller.signal,
      });
      let data = null;
      if ((response.headers.get("Content-Type") || "").includes("application/json")) {
        data = await response.json().catch(() => null);
      }
      return { response, data };
    } finally {
      clearTimeout(timer);
    }
  }

  const announcer = $("#live-announce");
  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    setTimeout(() => { announcer.textContent = text; }, 50);
  }

  // — the capture form —

  const form = $("#capture-form");
  const textarea = $("#capture-text");
  const saveButton = $("#capture-save");
  const captureError = $("#capture-error");
  const labelOf = (input) => ($(`label[for="${input.id}"]`)?.textContent || "").trim();

  function showCaptureError(messages) {
    if (!captureError) return;
    captureError.setAttribute("role", "alert");
    captureError.textContent = messages.join(" ");
  }
  function clearCaptureError() {
    if (captureError) captureError.textContent = "";
  }

  function formNote() {
    const kind = $("input[name=kind]:checked", form);
    const speaker = $("input[name=speaker]:checked", form);
    return {
      client_id: uuid(),
      text: textarea.value,
      kind: kind ? kind.value : "",
      kind_label: kind ? labelOf(kind) : "",
      speaker: speaker ? speaker.value : "",
      speaker_label: speaker && speaker.value ? labelOf(speaker) : "",
      starred: $("#capture-starred").checked,
      question: form.elements.question.value,
      captured_at: new Date(serverNow()).toISOString(),
    };
  }

  function resetForm() {
    textarea.value = "";
    for (const radio of $$("input[name=kind]", form)) radio.checked = radio.defaultChecked;
    const none = $("#speaker-none");
    if (none) none.checked = true;
    $("#capture-starred").checked = false;
    write(sessionStorage, DRAFT, null);
  }

  function fillForm(note) {
    textarea.value = note.text;
    const kind = $$("input[name=kind]", form).find((r) => r.value === note.kind);
    if (kind) kind.checked = true;
    const speaker = $$("input[name=speaker]", form).find((r) => r.value === (note.speaker || ""));
    if (speaker) speaker.checked = true;
    $("#capture-starred").checked = Boolean(note.starred);
    saveDraft();
  }

  function saveDraft() {
    if (!form) return;
    const note = formNote();
    write(sessionStorage, DRAFT, note.text.trim() ? note : null);
  }

  let lastSave = 0;

  /** Put the note in the queue (the browser keeps it from now on); true if there was one. */
  function captureNow() {
    clearCaptureError();
    const text = textarea.value;
    if (!text.trim()) {
      // The second click of a double click finds the field already emptied: not an error.
      if (Date.now() - lastSave > 1500) showCaptureError([T.empty]);
      return false;
    }
    const length = [...text.trim()].length;
    if (length > limit) {
      showCaptureError([T.tooLong.replace("{limit}", limit).replace("{n}", length)]);
      return false;
    }
    enqueue(formNote());
    lastSave = Date.now();
    resetForm();
    showQueue();
    return true;
  }

  async function saveFromForm() {
    const captured = captureNow();
    textarea.focus();
    if (!captured) return;
    // The text is in the queue and the field is empty, so a second click could only find
    // nothing; the pause just makes a double click visibly do one thing.
    saveButton.disabled = true;
    await Promise.race([flush(), sleep(1000)]);
    saveButton.disabled = false;
  }

  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      saveFromForm();
    });
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        saveFromForm();
      }
    });
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);
    const draft = read(sessionStorage, DRAFT, null);
    if (draft && draft.text && !textarea.value) {
      fillForm(draft);
      announce(T.draftRestored);
    }
  }

  // — the queue: send, confirm, retry —

  const indicator = $("#live-queue");
  const inFlight = new Set();
  let problem = "";
  let shownWaiting = false;
  let storedOnEndedPage = 0;

  function showQueue() {
    renderPending();
    if (!indicator) return;
    const waiting = queue().length;
    if (waiting && (problem || !navigator.onLine)) {
      const count = waiting === 1 ? T.waitingOne : T.waitingMany.replace("{n}", waiting);
      setText(indicator, `${count} ${problem || T.offline}`);
      indicator.classList.remove("is-ok");
      shownWaiting = true;
    } else if (!waiting && shownWaiting) {
      shownWaiting = false;
      setText(indicator, T.allSaved);
      indicator.classList.add("is-ok");
      setTimeout(() => {
        if (!queue().length && indicator.classList.contains("is-ok")) setText(indicator, "");
      }, 6000);
    }
  }

  function renderPending() {
    const list = $("#live-pending");
    if (!list) return;
    list.replaceChildren(...queue().map((note) => {
      const item = element("li", `live-note is-pending kind-${note.kind}`);
      item.dataset.clientId = note.client_id;
      const meta = element("p", "live-note-meta");
      meta.append(element("span", "live-kind", note.kind_label));
      if (note.starred) meta.append(" · ", element("span", "live-starred", "★"));
      if (note.speaker_label) meta.append(` · ${note.speaker_label}`);
      const state = inFlight.has(note.client_id) ? T.sending : T.waiting;
      meta.append(" · ", element("span", "live-pending-label", state));
      item.append(meta, element("p", "live-note-text prewrap", note.text));
      return item;
    }));
  }

  function params(note) {
    const body = new URLSearchParams();
    for (const name of ["client_id", "text", "kind", "speaker", "question", "captured_at"]) {
      body.append(name, note[name] ?? "");
    }
    if (note.starred) body.append("starred", "on");
    return body;
  }

  function placeNote(data) {
    const region = $("#live-notes");
    const list = $("#live-notes-list");
    if (!region || !list || String(data.question ?? "") !== region.dataset.question) return;
    const existing = document.getElementById(`note-${data.id}`);
    if (existing) return;
    $("[data-empty]", list)?.remove();
    list.insertAdjacentHTML("afterbegin", data.html);
    if (window.htmx) window.htmx.process(list.firstElementChild);
  }

  async function send(note) {
    let result;
    try {
      result = await post(root.dataset.captureUrl, params(note));
    } catch {
      problem = T.offline;
      return "retry";
    }
    const { response, data } = result;
    if (response.redirected) {
      problem = T.loggedOut;
      return "retry";
    }
    if ((response.status === 200 || response.status === 201) && data) {
      dequeue(note.client_id);
      problem = "";
      placeNote(data);
      if (ended) storedOnEndedPage += 1;
      return "stored";
    }
    if (response.status === 400 && data) {
      // Invalid as written: sending it again cannot help. Give it back to the user.
      dequeue(note.client_id);
      refuse(note, data.errors || []);
      return "refused";
    }
    problem = T.serverError;
    return "retry";
  }

  async function drain() {
    const tried = new Set();
    for (;;) {
      const note = queue().find((n) => !tried.has(n.client_id));
      if (!note) break;
      tried.add(note.client_id);
      inFlight.add(note.client_id);
      renderPending();
      const outcome = await send(note);
      inFlight.delete(note.client_id);
      if (outcome === "retry") break;
    }
    showQueue();
    if (ended && storedOnEndedPage && !queue().length) window.location.reload();
  }

  let flushing = null;
  function flush() {
    if (!flushing) flushing = drain().finally(() => { flushing = null; });
    return flushing;
  }

  // — notes the server refused (too long, empty, meeting over) —

  function refuse(note, errors) {
    if (capturing() && !textarea.value.trim()) {
      fillForm(note);
      showCaptureError(errors);
      textarea.focus();
      return;
    }
    write(localStorage, REJECTED, [...read(localStorage, REJECTED, []), { ...note, errors }]);
    renderRejected();
  }

  function renderRejected() {
    const box = $("#live-rejected");
    if (!box) return;
    const notes = read(localStorage, REJECTED, []);
    box.replaceChildren(...notes.map((note) => {
      const item = element("div", "live-rejected");
      item.setAttribute("role", "alert");
      item.append(
        element("p", "fw-semibold", `${T.rejected} ${(note.errors || []).join(" ")}`),
        element("p", "prewrap", note.text),
      );
      const actions = element("div", "d-flex flex-wrap gap-2");
      if (capturing()) {
        const restore = element("button", "btn btn-outline-primary btn-sm", T.restore);
        restore.type = "button";
        restore.addEventListener("click", () => {
          if (textarea.value.trim()) note.text = `${textarea.value}\n\n${note.text}`;
          fillForm(note);
          dropRejected(note.client_id);
          textarea.focus();
        });
        actions.append(restore);
      }
      const discard = element("button", "btn btn-outline-secondary btn-sm", T.discard);
      discard.type = "button";
      discard.addEventListener("click", () => {
        if (!window.confirm(T.discardConfirm)) return;
        const at = notes.indexOf(note);
        dropRejected(note.client_id);
        focusAfterDrop(box, at);
      });
      actions.append(discard);
      item.append(actions);
      return item;
    }));
  }

  /** The button just pressed is gone with its note: focus goes to the note now in its place
   * (or the last one), else the text field, else the page's content. Left to the browser it
   * fell back to the top of the page, and a keyboard or screen reader user had to find their
   * way back. */
  function focusAfterDrop(box, at) {
    const items = [...box.children];
    const next = items[Math.min(at, items.length - 1)];
    const target = next?.querySelector("button") || (capturing() && textarea) || $("#main");
    target?.focus();
  }

  function dropRejected(clientId) {
    write(localStorage, REJECTED, read(localStorage, REJECTED, []).filter((n) => n.client_id !== clientId));
    renderRejected();
  }

  // Steps and questions go through htmx; text still in the field belongs to the question it
  // was typed under, so it goes into the queue before the move.
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (!event.detail.elt.closest("form[data-live-action]")) return;
    if (form && capturing() && textarea.value.trim()) {
      captureNow();
      flush();
    }
  });

  document.addEventListener("submit", async (event) => {
    const endForm = event.target.closest("form[data-live-end]");
    if (!endForm) return;
    event.preventDefault();
    if (capturing() && textarea.value.trim()) captureNow();
    const waiting = queue().length;
    const message = waiting ? `${T.endConfirm}\n\n${T.endQueue.replace("{n}", waiting)}` : T.endConfirm;
    if (!window.confirm(message)) return;
    await Promise.race([flush(), sleep(3000)]);
    HTMLFormElement.prototype.submit.call(endForm);
  });

  // — the ended page: what was typed but never saved is shown, not lost —

  function showLeftover() {
    const box = $("#live-leftover");
    const draft = read(sessionStorage, DRAFT, null);
    if (!box || !draft || !draft.text) return;
    const alert = element("div", "alert alert-warning");
    alert.append(element("p", "fw-semibold", T.leftover), element("p", "prewrap mb-0", draft.text));
    box.replaceChildren(alert);
  }

  // — start —

  window.addEventListener("online", () => flush());
  window.addEventListener("storage", (event) => {
    if (event.key === QUEUE) showQueue();
    if (event.key === REJECTED) renderRejected();
  });
  setInterval(() => {
    if (queue().length) flush();
  }, RETRY_MS);
  renderRejected();
  showQueue();
  flush();
  if (ended) showLeftover();
})();
