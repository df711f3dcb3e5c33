// A table's golden tips, never lost: the same promise as note-queue.js, for the tip form.
//
// Every tip gets an id made here (client_id) and waits in localStorage until the server has
// confirmed it (201 new, 200 already stored); 400 gives it back to the form with the reason;
// anything else (offline, 5xx, logged out) keeps it and tries again.
"use strict";

(() => {
  const root = document.getElementById("table-tips");
  if (!root) return;
  const T = JSON.parse(document.getElementById("live-strings").textContent);
  const QUEUE = `spiegel:tips:${root.dataset.key}`;
  const $ = (selector) => document.querySelector(selector);
  const form = $("#tip-form");
  const error = $("#tip-error");
  const memory = new Map();
  const live = document.getElementById("live");
  const offset = live?.dataset.serverNow ? Number(live.dataset.serverNow) - Date.now() : 0;

  function read() {
    try {
      const raw = localStorage.getItem(QUEUE);
      return raw === null ? (memory.get(QUEUE) || []) : JSON.parse(raw);
    } catch {
      return memory.get(QUEUE) || [];
    }
  }
  function write(tips) {
    memory.set(QUEUE, tips);
    try { localStorage.setItem(QUEUE, JSON.stringify(tips)); } catch { /* memory keeps them */ }
  }

  function uuid() {
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    const b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : $("[name=csrfmiddlewaretoken]")?.value;
  }

  let problem = "";
  function render() {
    const pending = $("#tip-pending");
    const tips = read();
    pending.replaceChildren(...tips.map((tip) => {
      const item = document.createElement("li");
      item.className = "golden-tip is-pending";
      item.textContent = `${tip.theme} · ${tip.text} (${T.waiting})`;
      return item;
    }));
    const status = $("#tip-queue");
    if (tips.length) {
      const count = tips.length === 1 ? T.tipWaitingOne : T.tipWaitingMany.replace("{n}", tips.length);
      status.textContent = `${count} ${problem || (navigator.onLine ? "" : T.offline)}`.trim();
      status.classList.remove("is-ok");
    } else if (status.textContent) {
      status.textContent = T.tipsSaved;
      status.classList.add("is-ok");
    }
  }

  async function send(tip) {
    const body = new URLSearchParams({
      client_id: tip.client_id, theme: tip.theme, text: tip.text, captured_at: tip.captured_at,
    });
    let response;
    let data = null;
    try {
      response = await fetch(root.dataset.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      });
      if ((response.headers.get("Content-Type") || "").includes("application/json")) {
        data = await response.json().catch(() => null);
      }
    } catch {
      problem = T.offline;
      return false;
    }
    if (response.redirected) {
      problem = T.loggedOut;
      return false;
    }
    if ((response.status === 200 || response.status === 201) && data) {
      write(read().filter((t) => t.client_id !== tip.client_id));
      problem = "";
      if (!document.getElementById(`tip-${data.id}`)) {
        $("#tip-list").insertAdjacentHTML("beforeend", data.html);
      }
      return true;
    }
    if (response.status === 400 && data) {
      write(read().filter((t) => t.client_id !== tip.client_id));
      const box = document.createElement("div");
      box.className = "live-rejected";
      box.setAttribute("role", "alert");
      box.textContent = `${T.tipRejected} ${(data.errors || []).join(" ")} ${tip.theme} · ${tip.text}`;
      $("#tip-rejected").append(box);
      return true;
    }
    problem = T.serverError;
    return false;
  }

  let flushing = null;
  async function drain() {
    for (const tip of read()) {
      if (!(await send(tip))) break;
    }
    render();
  }
  function flush() {
    if (!flushing) flushing = drain().finally(() => { flushing = null; });
    return flushing;
  }

  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const theme = form.elements.theme.value.trim();
      const text = form.elements.text.value.trim();
      if (!theme || !text) {
        error.setAttribute("role", "alert");
        error.textContent = T.tipEmpty;
        return;
      }
      error.textContent = "";
      write([...read(), { client_id: uuid(), theme, text, captured_at: new Date(Date.now() + offset).toISOString() }]);
      form.elements.text.value = "";
      form.elements.text.focus();
      render();
      flush();
    });
  }
  window.addEventListener("online", () => flush());
  setInterval(() => { if (read().length) flush(); }, 4000);
  render();
  flush();
})();
