// Clocks that count from a server timestamp, for the live page and the presenter screen.
//   <span data-clock-since="…" data-clock-planned="10">   m:ss (h:mm:ss), and "· n min over"
//       in the element named by its data-clock (data-over="…") once the planned minutes pass;
//   <span data-elapsed-since="…">                          h:mm, for the screen.
// Times are milliseconds or ISO; [data-server-now] corrects a machine whose clock is off.
"use strict";

(() => {
  const parse = (value) => (/^\d+$/.test(value || "") ? Number(value) : Date.parse(value || ""));
  const anchor = document.querySelector("[data-server-now]");
  const serverNow = anchor ? parse(anchor.dataset.serverNow) : NaN;
  const offset = Number.isNaN(serverNow) ? 0 : serverNow - Date.now();
  const overText = anchor?.dataset.overText || "{n} min over";
  const pad = (n) => String(n).padStart(2, "0");
  const set = (node, text) => { if (node && node.textContent !== text) node.textContent = text; };

  function tick() {
    const now = Date.now() + offset;
    for (const clock of document.querySelectorAll("[data-clock-since]")) {
      const since = parse(clock.dataset.clockSince);
      if (Number.isNaN(since)) continue;
      const s = Math.max(0, Math.floor((now - since) / 1000));
      const h = Math.floor(s / 3600);
      const m = Math.floor((s % 3600) / 60);
      set(clock, h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`);
      if (!clock.dataset.clockPlanned) continue;
      const over = now - since - Number(clock.dataset.clockPlanned) * 60000;
      const minutes = Math.max(1, Math.floor(over / 60000));
      set(document.querySelector(`[data-over="${clock.dataset.clock}"]`),
        over > 0 ? `· ${overText.replace("{n}", minutes)}` : "");
    }
    for (const clock of document.querySelectorAll("[data-elapsed-since]")) {
      const since = parse(clock.dataset.elapsedSince);
      if (Number.isNaN(since)) continue;
      const minutes = Math.max(0, Math.floor((now - since) / 60000));
      set(clock, `${Math.floor(minutes / 60)}:${pad(minutes % 60)}`);
    }
  }
  tick();
  window.setInterval(tick, 1000);
  document.addEventListener("htmx:afterSettle", tick);
})();
