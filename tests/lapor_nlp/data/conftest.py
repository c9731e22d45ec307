"""Fixtures for the data tests: a small SP4N-LAPOR! export written by the test itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

HEADER = [
    "Tracking ID",
    "Tanggal Laporan Masuk",
    "Nama Pelapor",
    "Kategori",
    "Judul Laporan",
    "Isi Laporan Awal",
    "Instansi Terdisposisi",
    "Status Laporan",
]
REPORTER_NAMES = ("Budi Santoso", "Siti Aminah", "Rudi Hartono", "Dewi Lestari")
NIK = "6472011234560001"
PHONE = "081234567890"
PUPR = "Dinas PUPR Kabupaten Kutai Kartanegara"
DLH = "Dinas Lingkungan Hidup"

# (tracking id, category, title, body, agency, status)
ROWS = [
    (
        "1001",
        "Jalan Rusak",
        "Jalan berlubang",
        f"Jalan di RT 04 berlubang, NIK saya {NIK}",
        "Dinas PUPR Kab. Kutai Kartanegara",
        "Ditutup oleh Sistem",
    ),
    (
        "1002",
        "Jalan Rusak",
        "Aspal mengelupas",
        f"Mohon diperbaiki, hubungi {PHONE}",
        "Dinas PUPR Kab.  Kutai Kartanegara",
        "Ditutup oleh Admin",
    ),
    (
        "1003",
        "Jalan Rusak",
        "Jembatan retak",
        "Jembatan di desa kami retak parah",
        PUPR,
        "Ditutup oleh Sistem",
    ),
    (
        "1004",
        "Jalan Rusak",
        "Drainase tersumbat",
        "Saluran air tersumbat sejak lama",
        "DINAS PUPR KABUPATEN KUTAI KARTANEGARA",
        "Ditutup oleh Sistem",
    ),
    (
        "1005",
        "Sampah",
        "Sampah menumpuk",
        "Sampah di pasar tidak diangkut seminggu",
        DLH,
        "Ditutup oleh Sistem",
    ),
    (
        "1006",
        "Sampah",
        "Bau sampah",
        "TPS dekat sekolah bau sekali",
        " Dinas  Lingkungan Hidup ",
        "Ditutup oleh Sistem",
    ),
    (
        "1007",
        "Pencemaran",
        "Limbah pabrik",
        "Sungai tercemar limbah pabrik tahu",
        DLH,
        "Ditutup oleh Pelapor",
    ),
    (
        "1008",
        "Pencemaran",
        "Asap pembakaran",
        "Pembakaran sampah tiap malam",
        DLH,
        "Diarsipkan oleh Admin",
    ),
    ("1009", "Lainnya", "Spam", "iklan tidak jelas", DLH, "Konten Terblokir"),
    (
        "1010",
        "Kependudukan",
        "Surat pindah",
        "Pengurusan surat pindah lama sekali",
        "Kecamatan Tenggarong",
        "Ditutup oleh Sistem",
    ),
    (
        "1011",
        "Kependudukan",
        "Surat domisili",
        "Lurah tidak ada di kantor",
        "Kelurahan Loa Ipuh",
        "Ditutup oleh Sistem",
    ),
    (
        "1012",
        "Bantuan Sosial",
        "Dana desa",
        "Penyaluran BLT dana desa tidak merata",
        "Desa Bukit Raya",
        "Ditutup oleh Sistem",
    ),
    (
        "1013",
        "Kesehatan",
        "Puskesmas tutup",
        "Puskesmas tutup pada jam kerja",
        "Dinas Kesehatan",
        "Ditutup oleh Sistem",
    ),
    (
        "1014",
        "Jalan Rusak",
        "Lampu jalan mati",
        "PJU mati di jalan poros",
        "",
        "Menunggu Kelengkapan Informasi",
    ),
    ("1015", "Lainnya", "", "", DLH, "Ditutup oleh Sistem"),
]


def write_export(path: Path, rows: list[tuple[str, ...]] = ROWS) -> Path:
    """An XLSX laid out like the LAPOR! "Laporan Ringkas" export: 10 metadata rows, then data."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    metadata = [
        ["Judul Laporan", None, "Laporan Ringkas"],
        [],
        ["Nama Instansi", None, "Pemerintah Kabupaten Kutai Kartanegara"],
        [],
        ["Tanggal Generate", None, "2025-01-01"],
        [],
        ["Periode Masuk", None, "(2024-01-01) - (2024-12-31)"],
        [],
        ["Pengelola", None, None],
        [],
    ]
    for line in metadata:
        sheet.append(line)
    sheet.append(HEADER)
    for i, (tid, category, title, body, agency, status) in enumerate(rows):
        name = REPORTER_NAMES[i % len(REPORTER_NAMES)]
        sheet.append([tid, "01 Mar 2024", name, category, title, body, agency or None, status])
    sheet.append([])  # trailing blank row, as exports sometimes have
    book.save(path)
    return path


@pytest.fixture
def export_xlsx(tmp_path: Path) -> Path:
    return write_export(tmp_path / "export.xlsx")
