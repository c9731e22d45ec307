/* Shared helpers of the console: JSON requests with the session's CSRF token, messages,
   confirmation dialogs. Plain JavaScript, no library. */
"use strict";

window.Konsol = (() => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";

  function randomKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /* A failed request: `message` is what the operator reads. */
  class RequestError extends Error {
    constructor(message, status, data) {
      super(message);
      this.status = status;
      this.data = data || null;
    }
  }

  function explain(status, detail) {
    if (status === 401) return "Sesi berakhir atau kunci dicabut. Masuk lagi, lalu ulangi.";
    if (status === 403) return detail || "Peran Anda tidak boleh melakukan ini.";
    if (status === 404) return detail || "Data tidak ditemukan (mungkin sudah dihapus).";
    if (status === 409) return detail || "Bentrok dengan perubahan lain; muat ulang halaman.";
    if (status === 422) return detail || "Isian tidak valid.";
    if (status >= 500) return "Server gagal memproses (" + status + "). Coba lagi sebentar lagi.";
    return detail || "Permintaan gagal (" + status + ").";
  }

  /* fetch() a console JSON endpoint; resolves to the parsed body, rejects with RequestError. */
  async function request(method, url, body, extraHeaders) {
    const headers = { Accept: "application/json", "X-CSRF-Token": csrf, ...(extraHeaders || {}) };
    const init = { method, headers, credentials: "same-origin", cache: "no-store" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (err) {
      throw new RequestError("Tidak dapat menghubungi server. Periksa jaringan, lalu coba lagi.", 0);
    }
    let data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = null;
    }
    if (!response.ok) {
      const detail = data && typeof data.detail === "string" ? data.detail : "";
      throw new RequestError(explain(response.status, detail), response.status, data);
    }
    return data;
  }

  let toastTimer = null;
  /* A message; `action` ({label, run}) adds a button, shown for `ms` (default 2.5 s, errors 8 s). */
  function toast(message, isError, action, ms) {
    const box = document.getElementById("toast");
    if (!box) return;
    box.textContent = message;
    if (action) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-quiet toast-action";
      button.textContent = action.label;
      button.addEventListener("click", () => { box.hidden = true; action.run(); });
      box.append(" ", button);
    }
    box.classList.toggle("is-error", Boolean(isError));
    box.hidden = false;
    clearTimeout(toastTimer);
    const shown = ms ? Math.min(ms, 10000) : isError ? 8000 : 2500;
    toastTimer = setTimeout(() => { box.hidden = true; }, shown);
  }

  /* The page's script has wired every control: tests and people may act now. */
  function ready() {
    document.body.dataset.ready = "1";
  }

  /* Ask before an irreversible act; resolves true when confirmed. */
  function confirmAction(title, text, okLabel) {
    return new Promise((resolve) => {
      const dialog = document.createElement("dialog");
      dialog.className = "confirm";
      dialog.setAttribute("aria-labelledby", "confirm-title");
      dialog.innerHTML =
        '<div class="confirm-box"><h2 id="confirm-title"></h2><p></p>' +
        '<div class="actions"><button type="button" class="btn" data-answer="no">Batal</button>' +
        '<button type="button" class="btn btn-danger" data-answer="yes"></button></div></div>';
      dialog.querySelector("h2").textContent = title;
      dialog.querySelector("p").textContent = text;
      dialog.querySelector('[data-answer="yes"]').textContent = okLabel;
      document.body.appendChild(dialog);
      let answer = false;
      dialog.addEventListener("click", (event) => {
        const button = event.target.closest("[data-answer]");
        if (!button) return;
        answer = button.dataset.answer === "yes";
        dialog.close();
      });
      dialog.addEventListener("close", () => {
        dialog.remove();
        resolve(answer);
      });
      dialog.showModal();
      dialog.querySelector('[data-answer="no"]').focus();
    });
  }

  // A page without a script of its own (data-page) is ready once parsed.
  document.addEventListener("DOMContentLoaded", () => {
    if (!document.querySelector("script[data-page]")) ready();
  });

  return { request, toast, confirmAction, randomKey, ready, RequestError };
})();
