/* Review queue: keyboard and mouse actions, saving feedback without reloading the page. */
"use strict";

(() => {
  const { request, toast, randomKey } = window.Konsol;
  const queue = document.getElementById("queue");
  const empty = document.getElementById("queue-empty");
  const counter = document.getElementById("queue-count");
  const picker = document.getElementById("opd-picker");
  const search = document.getElementById("opd-search");
  const options = Array.from(document.querySelectorAll("#opd-options li"));
  const REFILL_BELOW = 5;
  let selected = null;
  let pickerItem = null;
  let refilling = false;
  let exhausted = false;

  const items = () => Array.from(queue.querySelectorAll(".item:not(.done)"));

  function select(item, scroll) {
    if (selected) selected.classList.remove("selected");
    selected = item || null;
    if (!selected) return;
    selected.classList.add("selected");
    if (scroll !== false) {
      selected.scrollIntoView({ block: "nearest", behavior: "smooth" });
      selected.focus({ preventScroll: true });
    }
  }

  function move(delta) {
    const list = items();
    if (!list.length) return;
    const index = list.indexOf(selected);
    const next = index < 0 ? 0 : Math.min(list.length - 1, Math.max(0, index + delta));
    select(list[next]);
  }

  function updateCount() {
    const n = items().length;
    if (counter) counter.textContent = String(n);
    empty.hidden = n > 0;
  }

  function status(item, message, kind) {
    const box = item.querySelector(".item-status");
    box.textContent = message || "";
    box.hidden = !message;
    box.className = "item-status" + (kind ? " is-" + kind : "");
  }

  function setBusy(item, busy) {
    item.classList.toggle("saving", busy);
    item.querySelectorAll("button, select, input").forEach((el) => { el.disabled = busy; });
    if (busy) item.dataset.busy = "1"; else delete item.dataset.busy;
  }

  const VERDICT_DONE = {
    accept: "Saran diterima",
    correct: "OPD dikoreksi",
    not_authority: "Ditandai bukan wewenang",
    incomplete: "Ditandai perlu info",
  };

  function payloadFor(item, verdict, opd) {
    const body = { verdict };
    if (verdict === "accept" || verdict === "correct") {
      body.opd = opd;
      const category = item.querySelector("select.category");
      if (category && category.value) body.category = category.value;
    }
    const note = item.querySelector("input.note").value.trim();
    if (note) body.note = note;
    return body;
  }

  async function save(item, verdict, opd) {
    if (!item || item.dataset.busy) return;
    if ((verdict === "accept" || verdict === "correct") && !opd) {
      status(item, "Pengaduan ini tidak punya saran OPD; pilih OPD dengan / .", "error");
      return;
    }
    const body = payloadFor(item, verdict, opd);
    // A retry of the same action reuses its idempotency key: never two records for one act.
    const fingerprint = JSON.stringify(body);
    if (item.dataset.attempt !== fingerprint) {
      item.dataset.attempt = fingerprint;
      item.dataset.key = randomKey();
    }
    setBusy(item, true);
    status(item, "Menyimpan…", "busy");
    try {
      const url = "/console/api/complaints/" + encodeURIComponent(item.dataset.id) + "/feedback";
      await request("POST", url, body, { "Idempotency-Key": item.dataset.key });
    } catch (err) {
      setBusy(item, false);
      status(item, "Gagal menyimpan: " + err.message, "error");
      toast("Gagal menyimpan " + item.dataset.id + ". Pengaduan tetap di antrean.", true);
      if (item === selected) item.focus({ preventScroll: true });
      return;
    }
    finish(item, VERDICT_DONE[verdict] + (opd && verdict === "correct" ? " → " + opd : ""));
  }

  function finish(item, message) {
    const list = items();
    const index = list.indexOf(item);
    const next = list[index + 1] || list[index - 1] || null;
    item.classList.add("done");
    item.setAttribute("aria-hidden", "true");
    if (item === selected || !selected) select(next);
    setTimeout(() => { item.remove(); updateCount(); }, 160);
    toast(message + " · " + item.dataset.id);
    if (list.length - 1 < REFILL_BELOW) refill();
  }

  async function refill() {
    if (refilling || exhausted) return;
    refilling = true;
    try {
      const params = new URLSearchParams();
      if (queue.dataset.opd) params.set("opd", queue.dataset.opd);
      if (queue.dataset.decision) params.set("decision", queue.dataset.decision);
      if (queue.dataset.audit) params.set("audit", queue.dataset.audit);
      const shown = Array.from(queue.querySelectorAll(".item"), (el) => el.dataset.id);
      params.set("exclude", shown.join(","));
      const data = await request("GET", "/console/api/queue?" + params.toString());
      const template = document.createElement("template");
      template.innerHTML = data.html;
      template.content.querySelectorAll(".item").forEach((node) => {
        if (!document.getElementById(node.id)) queue.insertBefore(node, empty);
      });
      exhausted = !data.more;
      if (!selected) select(items()[0], false);
    } catch (err) {
      toast("Gagal memuat pengaduan berikutnya: " + err.message, true);
    } finally {
      refilling = false;
      updateCount();
    }
  }

  /* OPD picker */
  function filterOptions() {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let first = null;
    options.forEach((li) => {
      const hit = words.every((w) => li.dataset.search.includes(w));
      li.hidden = !hit;
      li.classList.remove("active");
      if (hit && !first) first = li;
    });
    if (first) first.classList.add("active");
    markActive(first);
  }

  function markActive(li) {
    options.forEach((option) => option.setAttribute("aria-selected", String(option === li)));
    if (li) search.setAttribute("aria-activedescendant", li.id);
    else search.removeAttribute("aria-activedescendant");
  }

  function moveOption(delta) {
    const visible = options.filter((li) => !li.hidden);
    if (!visible.length) return;
    const current = visible.findIndex((li) => li.classList.contains("active"));
    const next = visible[Math.min(visible.length - 1, Math.max(0, current + delta))];
    visible.forEach((li) => li.classList.remove("active"));
    next.classList.add("active");
    markActive(next);
    next.scrollIntoView({ block: "nearest" });
  }

  function openPicker(item) {
    if (!item || item.dataset.busy) return;
    pickerItem = item;
    search.value = "";
    filterOptions();
    picker.showModal();
    search.focus();
  }

  function choose(code) {
    const item = pickerItem;
    picker.close();
    if (!item || !code) return;
    save(item, code === item.dataset.top ? "accept" : "correct", code);
  }

  search.addEventListener("input", filterOptions);
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") { event.preventDefault(); moveOption(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); moveOption(-1); }
    else if (event.key === "Enter") {
      event.preventDefault();
      const active = options.find((li) => !li.hidden && li.classList.contains("active"));
      if (active) choose(active.dataset.code);
    }
  });
  options.forEach((li) => li.addEventListener("click", () => choose(li.dataset.code)));
  picker.addEventListener("close", () => {
    if (pickerItem && pickerItem === selected) pickerItem.focus({ preventScroll: true });
    pickerItem = null;
  });

  /* mouse and touch */
  let pointerStart = null; // the card that was already selected when the pointer went down
  queue.addEventListener("pointerdown", (event) => {
    const item = event.target.closest(".item");
    pointerStart = item && item === selected ? item : null;
  });
  queue.addEventListener("click", (event) => {
    const item = event.target.closest(".item");
    if (!item || event.target.closest("a")) return;
    const button = event.target.closest("button[data-action]");
    const selectedBefore = pointerStart === item;
    pointerStart = null;
    if (event.detail > 0 && !selectedBefore) {
      // The first click (or tap) on a card only selects it: no verdict is saved by accident.
      select(item, false);
      return;
    }
    if (!button) return;
    const action = button.dataset.action;
    if (action === "accept") save(item, "accept", item.dataset.top);
    else if (action === "pick") choose_suggestion(item, button.dataset.opd);
    else if (action === "other") openPicker(item);
    else save(item, action);
  });
  queue.addEventListener("focusin", (event) => {
    const item = event.target.closest(".item");
    if (item && item !== selected) select(item, false);
  });

  function choose_suggestion(item, code) {
    save(item, code === item.dataset.top ? "accept" : "correct", code);
  }

  /* keyboard */
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]")) return;
    const target = event.target;
    if (target.matches("input, select, textarea")) {
      if (event.key === "Escape") {
        target.blur();
        if (selected) selected.focus({ preventScroll: true });
      } else if (event.key === "Enter" && target.matches("input.note") && selected) {
        event.preventDefault();
        target.blur();
        selected.focus({ preventScroll: true });
      }
      return;
    }
    const item = selected;
    const key = event.key;
    let handled = true;
    if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (key === "?") {
      const help = document.querySelector("details.keys");
      if (help) help.open = !help.open;
    } else if (!item) handled = false;
    else if (key === "a") save(item, "accept", item.dataset.top);
    else if (key === "1" || key === "2" || key === "3") {
      const button = item.querySelector('.suggestion[data-rank="' + key + '"]');
      if (button) choose_suggestion(item, button.dataset.opd);
    } else if (key === "/") openPicker(item);
    else if (key === "b") save(item, "not_authority");
    else if (key === "i") save(item, "incomplete");
    else if (key === "c") item.querySelector("select.category").focus();
    else if (key === "n") item.querySelector("input.note").focus();
    else if (key === "o") window.location.href = item.querySelector(".item-id").href;
    else handled = false;
    if (handled) event.preventDefault();
  });

  select(items()[0], false);
  updateCount();
  if (items().length < REFILL_BELOW) exhausted = queue.dataset.more !== "1";
})();
