/* Complaint page: change the verdict. The new verdict supersedes the latest one (sent as
   `supersedes`, so a verdict given meanwhile by someone else is not overwritten unseen). */
"use strict";

(() => {
  const { request, toast } = window.Konsol;
  const form = document.getElementById("verdict-form");
  const choice = document.getElementById("verdict-choice");
  const opd = document.getElementById("verdict-opd");
  const category = document.getElementById("verdict-category");
  const statusBox = document.getElementById("verdict-status");
  let categoryTouched = false;

  function show(message, kind) {
    statusBox.textContent = message;
    statusBox.hidden = !message;
    statusBox.className = "item-status" + (kind ? " is-" + kind : "");
  }

  /* Which fields a verdict uses; a corrected OPD proposes its default category. */
  function sync() {
    const verdict = choice.value;
    document.getElementById("verdict-opd-field").hidden = verdict !== "correct";
    document.getElementById("verdict-category-field").hidden =
      verdict !== "correct" && verdict !== "recategorize";
    if (verdict === "accept" || verdict === "recategorize") opd.value = form.dataset.modelOpd;
    if (verdict === "correct" && !categoryTouched) {
      const option = opd.options[opd.selectedIndex];
      if (option && option.dataset.category) category.value = option.dataset.category;
    }
  }

  choice.addEventListener("change", sync);
  opd.addEventListener("change", sync);
  category.addEventListener("change", () => { categoryTouched = true; });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const verdict = choice.value;
    const body = { verdict };
    if (verdict === "accept") body.opd = form.dataset.modelOpd;
    if (verdict === "correct") { body.opd = opd.value; body.category = category.value; }
    if (verdict === "recategorize") body.category = category.value;
    const note = form.elements.note.value.trim();
    if (note) body.note = note;
    if (form.dataset.latest) body.supersedes = Number(form.dataset.latest);
    const button = document.getElementById("verdict-save");
    button.disabled = true;
    show("Menyimpan…", "busy");
    try {
      const url = "/console/api/complaints/" + encodeURIComponent(form.dataset.complaint) + "/feedback";
      await request("POST", url, body);
    } catch (err) {
      button.disabled = false;
      show("Gagal menyimpan: " + err.message, "error");
      return;
    }
    toast("Keputusan disimpan.");
    window.location.reload();
  });

  sync();
  window.Konsol.ready();
})();
