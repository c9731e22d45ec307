/* Model page (maintainers): retraining with progress, promotion and rollback, each confirmed. */
"use strict";

(() => {
  const { request, toast, confirmAction } = window.Konsol;
  const panel = document.getElementById("retrain-panel");
  const startButton = document.getElementById("retrain-start");
  const jobBox = document.getElementById("job");
  const progress = document.getElementById("job-progress");
  const statusLine = document.getElementById("job-status");
  const PHASES = { queued: 0, starting: 1, loading: 1, training: 2, registering: 3 };
  const STATUS = { queued: "menunggu", running: "berjalan", succeeded: "selesai", failed: "gagal" };
  const PHASE_TEXT = {
    queued: "menunggu proses pelatih",
    starting: "memulai",
    loading: "memuat model aktif dan umpan balik",
    training: "melatih kandidat",
    registering: "mendaftarkan kandidat",
  };

  function reloadSoon() {
    setTimeout(() => window.location.reload(), 1200);
  }

  /* After a promotion or rollback: wait until the server serves `version`, then show it. */
  async function reloadWhenServing(version) {
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline) {
      try {
        const now = await request("GET", "/console/api/models/serving");
        if (now.version === version) break;
      } catch (err) {
        // a replica restarting or the network: keep waiting until the deadline
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    window.location.reload();
  }

  function show(job) {
    jobBox.hidden = false;
    const label = "Job " + job.job_id.slice(0, 8) + ": " + (STATUS[job.status] || job.status);
    if (job.status === "succeeded") {
      progress.value = progress.max;
      statusLine.textContent = label + ". Kandidat " + job.candidate_version + " siap dibandingkan.";
    } else if (job.status === "failed") {
      statusLine.textContent = label + ". " + (job.error || "");
    } else {
      progress.value = PHASES[job.phase] || 0;
      statusLine.textContent = label + " — " + (PHASE_TEXT[job.phase] || job.phase || "") + "…";
    }
  }

  async function watch(jobId) {
    startButton.disabled = true;
    for (;;) {
      let job;
      try {
        job = await request("GET", "/console/api/jobs/" + encodeURIComponent(jobId));
      } catch (err) {
        statusLine.textContent = "Gagal membaca status job: " + err.message;
        startButton.disabled = false;
        return;
      }
      show(job);
      if (job.status === "succeeded") {
        toast("Pelatihan ulang selesai.");
        reloadSoon();
        return;
      }
      if (job.status === "failed") {
        toast("Pelatihan ulang gagal.", true);
        startButton.disabled = false;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  startButton.addEventListener("click", async () => {
    const ok = await confirmAction(
      "Mulai latih ulang?",
      "Model baru dilatih di latar belakang dari data latih dan koreksi operator. Model yang melayani tidak berubah sampai Anda mengaktifkan kandidat.",
      "Ya, latih ulang",
    );
    if (!ok) return;
    startButton.disabled = true;
    try {
      const job = await request("POST", "/console/api/retrain", {});
      watch(job.job_id);
    } catch (err) {
      if (err.status === 409 && err.data && err.data.job_id) {
        toast("Pelatihan ulang lain sedang berjalan; menampilkan progresnya.");
        watch(err.data.job_id);
        return;
      }
      startButton.disabled = false;
      toast("Gagal memulai pelatihan ulang: " + err.message, true);
    }
  });

  document.querySelectorAll("[data-promote]").forEach((button) => {
    button.addEventListener("click", async () => {
      const version = button.dataset.promote;
      const ok = await confirmAction(
        "Aktifkan model " + version + "?",
        "Semua pengaduan baru akan diarahkan oleh model ini, di semua server, dalam beberapa detik. Anda dapat mengembalikannya nanti.",
        "Ya, aktifkan",
      );
      if (!ok) return;
      button.disabled = true;
      try {
        await request("POST", "/console/api/models/" + encodeURIComponent(version) + "/promote", {});
        toast("Model " + version + " diaktifkan; menunggu server memuatnya…");
        reloadWhenServing(version);
      } catch (err) {
        button.disabled = false;
        toast("Gagal mengaktifkan: " + err.message, true);
      }
    });
  });

  const rollback = document.getElementById("rollback");
  if (rollback) rollback.addEventListener("click", async () => {
    const ok = await confirmAction(
      "Kembalikan model sebelumnya?",
      "Model yang aktif sebelum model sekarang akan melayani lagi.",
      "Ya, kembalikan",
    );
    if (!ok) return;
    rollback.disabled = true;
    try {
      const done = await request("POST", "/console/api/models/rollback", {});
      toast("Model " + done.version + " diaktifkan lagi; menunggu server memuatnya…");
      reloadWhenServing(done.version);
    } catch (err) {
      rollback.disabled = false;
      toast("Gagal mengembalikan: " + err.message, true);
    }
  });

  const guardForm = document.getElementById("guard-form");
  if (guardForm) {
    guardForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const state = guardForm.elements.state.value;
      const body = { state, reason: guardForm.elements.reason.value.trim() };
      if (state === "tightened") {
        body.threshold = Number(guardForm.elements.threshold.value);
        body.margin = Number(guardForm.elements.margin.value);
      }
      const ok = await confirmAction(
        "Ubah penjaga menjadi " + state + "?",
        "Semua server mengikuti dalam beberapa detik.",
        "Ya, ubah",
      );
      if (!ok) return;
      try {
        await request("POST", "/console/api/models/active/guard", body);
        toast("Penjaga sekarang " + state + ".");
        reloadSoon();
      } catch (err) {
        toast("Gagal mengubah penjaga: " + err.message, true);
      }
    });
  }

  if (panel.dataset.job) watch(panel.dataset.job);
  const loaded = document.getElementById("loaded-version");
  if (loaded.dataset.active && loaded.textContent.trim() !== loaded.dataset.active) {
    // The active model is not served yet (a promotion a moment ago): show it once it is.
    toast("Model " + loaded.dataset.active + " sedang dimuat…");
    reloadWhenServing(loaded.dataset.active);
  }
  window.Konsol.ready();
})();
