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
  const defaultCategory = Object.fromEntries(options.map((li) => [li.dataset.code, li.dataset.category]));
  const UNDO_MS = Number(queue.dataset.undoSeconds || "0") * 1000;
  const REFILL_BELOW = 5;
  let lastSaved = null; // { feedbackId, node, before, at }: what u can undo
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
    recategorize: "Kategori diubah",
    not_authority: "Ditandai bukan wewenang",
    incomplete: "Ditandai perlu info",
  };

  function payloadFor(item, verdict, opd) {
    const body = { verdict };
    const category = item.querySelector("select.category");
    if (verdict === "accept" || verdict === "correct") {
      body.opd = opd;
      if (category && category.value) body.category = category.value;
    }
    if (verdict === "recategorize") body.category = category.value;
    const note = item.querySelector("input.note").value.trim();
    if (note) body.note = note;
    return body;
  }

  async function save(item, verdict, opd) {
    if (!item || item.dataset.busy) return;
    cancelPending(item);
    const category = item.querySelector("select.category");
    if (verdict === "accept" && category && category.dataset.predicted && category.value !== category.dataset.predicted) {
      verdict = "recategorize"; // the model's OPD, another category: its own verdict
    }
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
    let saved;
    try {
      const url = "/console/api/complaints/" + encodeURIComponent(item.dataset.id) + "/feedback";
      saved = await request("POST", url, body, { "Idempotency-Key": item.dataset.key });
    } catch (err) {
      setBusy(item, false);
      status(item, "Gagal menyimpan: " + err.message, "error");
      toast("Gagal menyimpan " + item.dataset.id + ". Pengaduan tetap di antrean.", true);
      if (item === selected) item.focus({ preventScroll: true });
      return;
    }
    const detail = verdict === "correct" ? " → " + opd + " (" + body.category + ")"
      : verdict === "recategorize" ? " → " + body.category : "";
    finish(item, VERDICT_DONE[verdict] + detail, saved.feedback_id);
  }

  function finish(item, message, feedbackId) {
    const list = items();
    const index = list.indexOf(item);
    const next = list[index + 1] || list[index - 1] || null;
    item.classList.add("done");
    item.setAttribute("aria-hidden", "true");
    if (item === selected || !selected) select(next);
    lastSaved = { feedbackId, node: item, before: next, at: Date.now() };
    setTimeout(() => { item.remove(); updateCount(); }, 160);
    const action = UNDO_MS ? { label: "Batalkan (u)", run: undo } : null;
    toast(message + " · " + item.dataset.id, false, action, UNDO_MS);
    if (list.length - 1 < REFILL_BELOW) refill();
  }

  /* Undo of the last save: the verdict is withdrawn (kept in the history), the card returns. */
  async function undo() {
    const last = lastSaved;
    if (!last) return;
    lastSaved = null;
    if (Date.now() - last.at > UNDO_MS) {
      toast("Waktu untuk membatalkan sudah lewat; ubah keputusan di halaman detail pengaduan.", true);
      return;
    }
    try {
      await request("POST", "/console/api/feedback/" + encodeURIComponent(last.feedbackId) + "/undo", {});
    } catch (err) {
      toast("Gagal membatalkan: " + err.message, true);
      return;
    }
    const node = last.node;
    node.classList.remove("done", "selected", "saving");
    node.removeAttribute("aria-hidden");
    delete node.dataset.attempt;
    setBusy(node, false);
    status(node, "Keputusan dibatalkan; pengaduan kembali ke antrean.", "info");
    const anchor = last.before && last.before.isConnected ? last.before : queue.querySelector(".item:not(.done)") || empty;
    queue.insertBefore(node, anchor);
    select(node);
    updateCount();
    toast("Dibatalkan · " + node.dataset.id);
  }

  /* A corrected OPD proposes its default category; the operator confirms (Enter) or picks
     another (c), or cancels (Esc). */
  function proposeCorrection(item, opd) {
    if (!item || item.dataset.busy) return;
    const category = item.querySelector("select.category");
    if (!category.dataset.touched && defaultCategory[opd]) category.value = defaultCategory[opd];
    item.dataset.pending = opd;
    const chosen = category.options[category.selectedIndex];
    const box = item.querySelector(".item-status");
    box.className = "item-status is-confirm";
    box.hidden = false;
    box.textContent = "";
    const text = document.createElement("span");
    text.textContent = "Koreksi ke " + opd + ", kategori " + (chosen ? chosen.text : "") +
      ". Enter simpan, c ubah kategori, Esc batal. ";
    const ok = document.createElement("button");
    ok.type = "button";
    ok.className = "btn btn-primary";
    ok.dataset.action = "confirm";
    ok.textContent = "Simpan koreksi";
    box.append(text, ok);
    item.classList.add("pending");
    if (item === selected) item.focus({ preventScroll: true });
  }

  function cancelPending(item) {
    if (!item || !item.dataset.pending) return;
    delete item.dataset.pending;
    item.classList.remove("pending");
    status(item, "");
  }

  function confirmPending(item) {
    if (item && item.dataset.pending) save(item, "correct", item.dataset.pending);
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
    choose_suggestion(item, code);
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
    else if (action === "confirm") confirmPending(item);
    else save(item, action);
  });
  queue.addEventListener("focusin", (event) => {
    const item = event.target.closest(".item");
    if (item && item !== selected) select(item, false);
  });

  function choose_suggestion(item, code) {
    if (code === item.dataset.top) save(item, "accept", code);
    else proposeCorrection(item, code);
  }
  queue.addEventListener("change", (event) => {
    if (event.target.matches("select.category")) event.target.dataset.touched = "1";
  });

  /* keyboard */
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]")) return;
    const target = event.target;
    if (target.matches("input, select, textarea")) {
      const pendingItem = target.closest(".item.pending");
      if (event.key === "Enter" && pendingItem && target.matches("select.category")) {
        event.preventDefault();
        confirmPending(pendingItem);
        return;
      }
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
    else if (key === "u") undo();
    else if (key === "?") {
      const help = document.querySelector("details.keys");
      if (help) help.open = !help.open;
    } else if (!item) handled = false;
    else if (key === "Enter" && item.dataset.pending) confirmPending(item);
    else if (key === "Escape" && item.dataset.pending) cancelPending(item);
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
  window.Konsol.ready();
})();
