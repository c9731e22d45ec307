"""Structured fields of an export: read by the import, masked, and carried by the training data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lapor_nlp.data.base import Rows, split_rows
from lapor_nlp.data.fields import ComplaintFields, fields_from_frame
from lapor_nlp.data.lapor_export import ImportOptions, import_lapor_export
from lapor_nlp.data.validate import apply_label_policy, validate_training_frame
from tests.lapor_nlp.data.conftest import NIK, PHONE

HEADER = [
    "Tracking ID", "Judul Laporan", "Isi Laporan Awal", "Kategori", "Instansi Terdisposisi",
    "Sumber Laporan", "Alamat", "Kecamatan", "Kelurahan",
]  # fmt: skip


def write_csv_export(path: Path) -> Path:
    rows = [
        ["1", "Jalan rusak", "Lubang besar", "Jalan", "Kecamatan Utara", "Website",
         f"Jl. Mawar No. 5 RT 02 RW 03, telp {PHONE}", "UTARA JAYA", "Mawar"],
        ["2", "Sampah", "Sampah menumpuk", "Sampah", "Dinas Lingkungan Hidup", "Android",
         f"Gg. Melati 4, NIK {NIK}", "Selatan Raya", ""],
        ["3", "", "", "Sampah", "Dinas Lingkungan Hidup", "SMS", "Jl. Kosong", "", ""],
        ["4", "Lampu mati", "PJU mati", "Jalan", "Kecamatan Utara", "", "", "", ""],
    ]  # fmt: skip
    pd.DataFrame(rows, columns=HEADER).to_csv(path, index=False)
    return path


def test_import_writes_the_fields_masked(tmp_path: Path) -> None:
    rows, summary = import_lapor_export(write_csv_export(tmp_path / "export.csv"), ImportOptions())
    assert rows.columns.tolist() == [
        "text", "opd", "category", "address", "kecamatan", "kelurahan", "channel",
    ]  # fmt: skip
    assert summary.fields == ["address", "kecamatan", "kelurahan", "channel"]
    assert len(rows) == 3  # the row without a text is dropped with its fields
    assert rows["channel"].tolist() == ["Website", "Android", ""]
    assert rows["kecamatan"].tolist() == ["UTARA JAYA", "Selatan Raya", ""]
    blob = rows.to_csv(index=False)
    assert PHONE not in blob and NIK not in blob
    assert "[TELEPON]" in rows.loc[0, "address"] and "[NIK]" in rows.loc[1, "address"]


def test_an_export_without_the_columns_writes_none(tmp_path: Path) -> None:
    path = write_csv_export(tmp_path / "export.csv")
    frame = pd.read_csv(path).drop(columns=["Sumber Laporan", "Alamat", "Kecamatan", "Kelurahan"])
    frame.to_csv(path, index=False)
    rows, summary = import_lapor_export(path, ImportOptions())
    assert rows.columns.tolist() == ["text", "opd", "category"] and summary.fields == []


def test_training_rows_keep_their_fields_through_validation_and_splits() -> None:
    frame = pd.DataFrame(
        {
            "text": ["jalan rusak", "", "sampah", "lampu mati", "got mampet", "banjir"],
            "opd": ["PU", "PU", "DLH", "PU", "DLH", "X"],
            "kecamatan": ["Utara", "Barat", "Selatan", None, "Timur", "Tengah"],
        }
    )
    data = validate_training_frame(frame, text_col="text", opd_col="opd")
    assert data.texts == ["jalan rusak", "sampah", "lampu mati", "got mampet"]
    assert data.fields is not None
    assert [f.kecamatan for f in data.fields] == ["Utara", "Selatan", None, "Timur"]
    policy = apply_label_policy(data.texts, data.opd, fields=data.fields)
    assert policy.fields == data.fields
    rows = Rows(data.texts, data.opd, None, data.fields)
    kept, held = split_rows(rows, rows.texts, 0.5, "salt")
    for part in (kept, held):
        assert part.fields is not None
        assert [f.kecamatan for f in part.fields] == [
            {
                "jalan rusak": "Utara",
                "sampah": "Selatan",
                "lampu mati": None,
                "got mampet": "Timur",
            }[t]
            for t in part.texts
        ]
    joined = rows.extend(Rows(["halo"], ["PU"]))
    assert joined.fields is not None and joined.fields[-1] == ComplaintFields()
    assert (
        validate_training_frame(
            frame.drop(columns="kecamatan"), text_col="text", opd_col="opd"
        ).fields
        is None
    )
    assert fields_from_frame(frame.drop(columns="kecamatan")) is None
