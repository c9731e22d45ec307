"""The console speaks Indonesian: the service's (English) error details, said for operators.

Only responses of ``/console/`` paths are translated; the ``/v1`` API keeps its details. A
detail without a known pattern gets the status's general message, never English.
"""

from __future__ import annotations

import re

_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), m)
    for p, m in (
        (
            r"no previously active model to roll back to",
            "Tidak ada model sebelumnya untuk dikembalikan.",
        ),
        (
            r"a retraining job is already queued or running: (\S+)",
            "Pelatihan ulang lain sedang berjalan (job {0}).",
        ),
        (
            r"a retraining job was just finishing",
            "Pelatihan ulang sebelumnya baru selesai; coba lagi.",
        ),
        (r"no retraining job with id '([^']+)'", "Job pelatihan ulang {0} tidak ada."),
        (r"there is no active model to retrain", "Belum ada model aktif untuk dilatih ulang."),
        (r"no model with version '([^']+)'", "Model {0} tidak ada."),
        (
            r"refusing to activate (\S+): no registered checksum",
            "Model {0} tidak diaktifkan: checksum-nya tidak terdaftar.",
        ),
        (r"model '([^']+)' is already registered", "Model {0} sudah terdaftar."),
        (r"no model is active", "Belum ada model aktif."),
        (r"no complaint with id '([^']+)'", "Pengaduan {0} tidak ada."),
        (r"no feedback with id (\d+)", "Umpan balik {0} tidak ada."),
        (
            r"feedback (\d+) is not the complaint's latest verdict any more",
            "Keputusan ini sudah bukan yang terakhir; muat ulang halaman.",
        ),
        (
            r"feedback (\d+) was given by another key",
            "Hanya pemberi keputusan ini yang dapat membatalkannya.",
        ),
        (
            r"undo: only within (\S+) s",
            "Pembatalan hanya dalam {0} detik setelah menyimpan; "
            "ubah keputusan di halaman detail pengaduan.",
        ),
        (
            r"supersedes: feedback \d+ is not the complaint's latest",
            "Keputusan pengaduan ini "
            "sudah diubah sejak halaman dibuka; muat ulang lalu putuskan lagi.",
        ),
        (
            r"category: '([^']+)' is not the model's category '([^']+)'",
            "Kategori {0} bukan "
            "kategori saran model ({1}); perubahan kategori disimpan sebagai 'ubah kategori'.",
        ),
        (
            r"opd: 'recategorize' keeps the model's OPD '([^']+)'",
            "Ubah kategori tetap memakai OPD saran model ({0}); OPD lain adalah koreksi OPD.",
        ),
        (
            r"category: '([^']+)' is already the model's category",
            "Kategori {0} sudah kategori saran model; pilih 'terima saran'.",
        ),
        (r"'recategorize' needs a routed complaint", "Pengaduan ini belum punya saran model."),
        (r"opd: required when", "Pilih OPD untuk keputusan ini."),
        (r"category: required when", "Pilih kategori untuk 'ubah kategori'."),
        (r"opd: unknown OPD code '([^']+)'", "Kode OPD {0} tidak dikenal."),
        (r"category: unknown category code '([^']+)'", "Kode kategori {0} tidak dikenal."),
        (
            r"Idempotency-Key: this key was already used",
            "Permintaan ini bentrok dengan permintaan sebelumnya; muat ulang halaman.",
        ),
        (r"reason: say why", "Tulis alasan perubahan penjaga."),
        (r"threshold: required", "Ambang wajib diisi untuk status 'diperketat'."),
        (r"(threshold|margin): must be between 0 and 1", "Nilai {0} harus antara 0 dan 1."),
        (r"^sign in first$", "Masuk dulu dengan kunci API Anda."),
        (
            r"too many failed logins",
            "Terlalu banyak percobaan masuk yang gagal; coba lagi beberapa menit lagi.",
        ),
    )
]
_BY_STATUS = {
    400: "Permintaan tidak valid.",
    401: "Sesi berakhir atau kunci dicabut. Masuk lagi, lalu ulangi.",
    403: "Peran Anda tidak boleh melakukan ini.",
    404: "Data tidak ditemukan (mungkin sudah dihapus).",
    409: "Bentrok dengan perubahan lain; muat ulang halaman.",
    413: "Isian terlalu besar.",
    422: "Isian tidak valid.",
    429: "Terlalu banyak permintaan; coba lagi sebentar lagi.",
    503: "Server sedang sibuk atau basis data tidak terjangkau; coba lagi sebentar lagi.",
}


def indonesian(detail: str, status: int, *, known_only: bool = False) -> str:
    """The operator's message for an error ``detail`` answered with ``status``.

    ``known_only``: a detail without a pattern is kept (the console's own errors are written
    in Indonesian already).
    """
    for pattern, message in _MESSAGES:
        found = pattern.search(detail)
        if found:
            return message.format(*found.groups())
    if known_only:
        return detail
    if status >= 500:
        return f"Server gagal memproses ({status}). Coba lagi sebentar lagi."
    return _BY_STATUS.get(status, f"Permintaan gagal ({status}).")
