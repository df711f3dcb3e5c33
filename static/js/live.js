// The facilitator's live page: notes that are never lost, and a page that follows the server.
//
// Every note gets an id made here (client_id) before its first send and waits in
// localStorage until the server has confirmed it. The server stores each id once, so retries,
// double clicks, a reload, a restarted server or a second tab cannot lose or double a note.
// The page polls a small state endpoint, so two tabs (or two facilitators) show the same step,
// question and notes. Text typed but not yet saved survives a reload in sessionStorage.
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
  const POLL_MS = 3000;
  const SEND_TIMEOUT_MS = 10000;
  const limit = Number(root.dataset.textLimit || 4000);
  const offset = root.dataset.serverNow ? Number(root.dataset.serverNow) - Date.now() : 0;
  const serverNow = () => Date.now() + offset;
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
  const captureSection = $("#live-capture");
  const captureError = $("#capture-error");
  const capturing = () => Boolean(form && captureSection && !captureSection.hidden);
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
        if (window.confirm(T.discardConfirm)) dropRejected(note.client_id);
      });
      actions.append(discard);
      item.append(actions);
      return item;
    }));
  }

  function dropRejected(clientId) {
    write(localStorage, REJECTED, read(localStorage, REJECTED, []).filter((n) => n.client_id !== clientId));
    renderRejected();
  }

  // — steps and questions: POST in the background, then take the new state —

  const actionError = $("#live-action-error");
  function showActionError(text) {
    if (actionError) actionError.textContent = text;
  }

  function focusAfterMove() {
    if (capturing()) textarea.focus();
    else $("#stage-title")?.focus();
  }

  document.addEventListener("submit", async (event) => {
    const actionForm = event.target.closest("form[data-live-action]");
    if (!actionForm) return;
    event.preventDefault();
    const button = $("[type=submit]", actionForm);
    if (button.disabled) return;
    // Text still in the field belongs to the question it was typed under: keep it there.
    if (capturing() && textarea.value.trim()) {
      captureNow();
      flush();
    }
    showActionError("");
    button.disabled = true;
    try {
      const { response, data } = await post(actionForm.action, new URLSearchParams(new FormData(actionForm)));
      if (response.ok && data && data.ok) {
        await poll();
        focusAfterMove();
      } else if (response.redirected) {
        showActionError(T.loggedOut);
      } else {
        showActionError((data && data.errors ? data.errors : [T.actionFailed]).join(" "));
      }
    } catch {
      showActionError(T.actionFailed);
    } finally {
      button.disabled = false;
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

  // Alt+→ / Alt+←: the next or previous question or step, unless the user is typing.
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    const target = event.target;
    const typing = target.closest && (target.closest("textarea, select, [contenteditable]")
      || (target.matches("input") && !["radio", "checkbox", "submit", "button"].includes(target.type)));
    if (typing) return;
    const which = event.key === "ArrowRight" ? "next" : "prev";
    const button = $(`#live-stage [data-shortcut="${which}"]`);
    if (!button) return;
    event.preventDefault();
    button.click();
  });

  // — following the server: other tabs, the other facilitator —

  function replaceSpeakers(html) {
    const old = $("#live-speakers");
    if (!old || !html) return;
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const fresh = template.content.firstElementChild;
    const values = (scope) => $$("input[name=speaker]", scope).map((r) => r.value).join(",");
    if (values(old) === values(fresh)) return;
    const chosen = $("input[name=speaker]:checked", old)?.value ?? "";
    old.replaceWith(fresh);
    const keep = $$("input[name=speaker]", fresh).find((r) => r.value === chosen) || $("#speaker-none", fresh);
    if (keep) keep.checked = true;
  }

  function apply(data) {
    if (data.status !== "live") {
      window.location.reload();
      return;
    }
    if (data.stage_html !== undefined) {
      const stage = $("#live-stage");
      const hadFocus = stage.contains(document.activeElement);
      stage.innerHTML = data.stage_html;
      root.dataset.stage = data.stage;
      replaceSpeakers(data.speakers_html);
      if (captureSection) captureSection.hidden = !data.capturing;
      const notesSection = $("#live-notes-section");
      if (notesSection) notesSection.hidden = !data.capturing;
      if (form) form.elements.question.value = data.notes_question ?? "";
      if (data.announce) announce(data.announce);
      if (hadFocus) focusAfterMove();
      tick();
    }
    if (data.notes_html !== undefined) {
      const region = $("#live-notes");
      // Never throw away a correction someone is typing; refresh once the editor closes.
      if (region && !$("form.live-edit", region)) {
        region.innerHTML = data.notes_html;
        region.dataset.question = String(data.notes_question ?? "");
        root.dataset.notes = data.notes;
      }
    }
  }

  async function pollOnce() {
    const url = new URL(root.dataset.stateUrl, window.location.href);
    url.searchParams.set("stage", root.dataset.stage || "");
    url.searchParams.set("notes", root.dataset.notes || "");
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.redirected || !response.ok) return;
      apply(await response.json());
    } catch {
      // Offline: the next poll tries again.
    }
  }

  let polling = null;
  let pollAgain = false;
  function poll() {
    if (ended || !root.dataset.stateUrl) return Promise.resolve();
    if (polling) {
      pollAgain = true;
      return polling;
    }
    polling = (async () => {
      do {
        pollAgain = false;
        await pollOnce();
      } while (pollAgain);
    })().finally(() => { polling = null; });
    return polling;
  }

  // — correcting a note: optimistic concurrency, both texts on a conflict —

  function openEditor(note) {
    const open = $("form.live-edit", note);
    if (open) {
      open.elements.text.focus();
      return;
    }
    const editForm = $("#note-edit-template").content.firstElementChild.cloneNode(true);
    const id = note.dataset.finding;
    for (const field of $$("[data-field]", editForm)) field.id = `edit-${id}-${field.dataset.field}`;
    for (const label of $$("[data-for]", editForm)) label.htmlFor = `edit-${id}-${label.dataset.for}`;
    editForm.action = note.dataset.editUrl;
    editForm.elements.version.value = note.dataset.version;
    editForm.elements.text.value = $(".live-note-text", note).textContent;
    for (const radio of $$("input[name=kind]", form)) {
      editForm.elements.kind.append(new Option(labelOf(radio), radio.value));
    }
    editForm.elements.kind.value = note.dataset.kind;
    editForm.elements.speaker.append(new Option(T.noSpeaker, ""));
    for (const radio of $$("input[name=speaker]", form)) {
      if (radio.value) editForm.elements.speaker.append(new Option(labelOf(radio), radio.value));
    }
    const speaker = note.dataset.speaker;
    if (speaker && ![...editForm.elements.speaker.options].some((o) => o.value === speaker)) {
      editForm.elements.speaker.append(new Option(note.dataset.speakerLabel, speaker));
    }
    editForm.elements.speaker.value = speaker;
    editForm.elements.starred.checked = note.dataset.starred === "1";
    $("[data-edit-note]", note).hidden = true;
    note.append(editForm);
    editForm.elements.text.focus();
  }

  function closeEditor(note) {
    $("form.live-edit", note)?.remove();
    const button = $("[data-edit-note]", note);
    button.hidden = false;
    button.focus();
  }

  function replaceNote(note, html) {
    const id = note.id;
    note.outerHTML = html;
    document.getElementById(id)?.querySelector("[data-edit-note]")?.focus();
  }

  async function submitEdit(editForm) {
    const note = editForm.closest(".live-note");
    const errorBox = $("[data-edit-error]", editForm);
    errorBox.textContent = "";
    const button = $("[type=submit]", editForm);
    button.disabled = true;
    try {
      const { response, data } = await post(editForm.action, new URLSearchParams(new FormData(editForm)));
      if (response.ok && data && data.html) {
        replaceNote(note, data.html);
        return;
      }
      if (response.status === 409 && data && data.html) {
        editForm.dataset.theirVersion = data.version;
        editForm.noteHtml = data.note_html;
        const box = $("[data-conflict]", editForm);
        box.innerHTML = data.html;
        $("[data-edit-actions]", editForm).hidden = true;
        $(".live-conflict", box).focus();
        announce((data.errors || []).join(" "));
        return;
      }
      errorBox.setAttribute("role", "alert");
      errorBox.textContent = data && data.errors
        ? data.errors.join(" ")
        : (response.redirected ? T.loggedOut : T.editFailed);
    } catch {
      errorBox.setAttribute("role", "alert");
      errorBox.textContent = T.editFailed;
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("submit", (event) => {
    const editForm = event.target.closest("form.live-edit");
    if (!editForm) return;
    event.preventDefault();
    submitEdit(editForm);
  });

  document.addEventListener("click", (event) => {
    const target = event.target;
    const editButton = target.closest("[data-edit-note]");
    if (editButton) {
      openEditor(editButton.closest(".live-note"));
      return;
    }
    const editForm = target.closest("form.live-edit");
    if (!editForm) return;
    if (target.closest("[data-edit-cancel]")) {
      closeEditor(editForm.closest(".live-note"));
    } else if (target.closest("[data-keep-mine]")) {
      editForm.elements.version.value = editForm.dataset.theirVersion;
      $("[data-conflict]", editForm).replaceChildren();
      $("[data-edit-actions]", editForm).hidden = false;
      submitEdit(editForm);
    } else if (target.closest("[data-keep-theirs]")) {
      replaceNote(editForm.closest(".live-note"), editForm.noteHtml);
    }
  });

  // — clocks, computed from the server's timestamps —

  function duration(ms) {
    const total = Math.max(0, Math.floor(ms / 1000));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const pad = (n) => String(n).padStart(2, "0");
    const seconds = pad(total % 60);
    return hours ? `${hours}:${pad(minutes)}:${seconds}` : `${minutes}:${seconds}`;
  }

  function overTime(node, ms) {
    setText(node, ms > 0 ? `· ${T.over.replace("{n}", Math.max(1, Math.floor(ms / 60000)))}` : "");
  }

  function tick() {
    const now = serverNow();
    const meeting = $("[data-clock=meeting]");
    if (meeting && root.dataset.liveAt) {
      const elapsed = now - Number(root.dataset.liveAt);
      setText(meeting, duration(elapsed));
      overTime($("[data-over=meeting]"), elapsed - Number(root.dataset.duration) * 60000);
    }
    const timer = $(".live-timer[data-started]");
    if (timer && timer.dataset.started) {
      const elapsed = now - Number(timer.dataset.started);
      setText($("[data-clock=question]", timer), duration(elapsed));
      overTime($("[data-over=question]", timer), elapsed - Number(timer.dataset.planned) * 60000);
    }
  }

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
  if (ended) {
    showLeftover();
    return;
  }
  tick();
  setInterval(tick, 1000);
  setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) poll();
  });
})();
