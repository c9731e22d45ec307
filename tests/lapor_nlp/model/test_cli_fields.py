"""import-lapor -> train -> predict with the structured fields, as a user runs them (real
processes, real files; the export is written here)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.lapor_nlp.model.conftest import run

NORTH = "Kecamatan Utara Jaya"
SOUTH = "Kecamatan Selatan Raya"
PROBLEMS = [
    "Jalan lingkungan rusak berlubang",
    "Lampu penerangan jalan gang mati",
    "Saluran air tersumbat dan meluap",
    "Surat keterangan domisili lama",
    "Pohon tumbang menutup jalan kampung",
    "Parkir liar di depan balai warga",
]
WASTE = [
    "Sampah menumpuk di TPS tidak diangkut",
    "Sungai tercemar limbah pabrik",
    "Bau busuk dari tempat pembuangan sampah",
]


def write_export(path: Path) -> Path:
    """An SP4N-LAPOR! export whose two territorial offices get the same complaints."""
    rows = []
    for i in range(36):
        problem = PROBLEMS[i % len(PROBLEMS)]
        for office, kecamatan, street in (
            (NORTH, "UTARA JAYA", "Mawar"),
            (SOUTH, "SELATAN RAYA", "Melati"),
        ):
            rows.append(
                {
                    "Tracking ID": f"{len(rows) + 1}",
                    "Judul Laporan": problem,
                    "Isi Laporan Awal": f"{problem}, mohon ditindaklanjuti (laporan {i})",
                    "Kategori": "Kewilayahan",
                    "Instansi Terdisposisi": office,
                    "Sumber Laporan": "Website" if i % 2 else "Android",
                    "Alamat": f"Jl. {street} No. {i} RT 0{i % 9} RW 02, hp 0812345678{i:02d}",
                    "Kecamatan": kecamatan,
                    "Kelurahan": street,
                }
            )
        waste = WASTE[i % len(WASTE)]
        rows.append(
            {
                "Tracking ID": f"{len(rows) + 1}",
                "Judul Laporan": waste,
                "Isi Laporan Awal": f"{waste}, bau sekali (laporan {i})",
                "Kategori": "Lingkungan",
                "Instansi Terdisposisi": "Dinas Lingkungan Hidup",
                "Sumber Laporan": "SMS",
                "Alamat": "",
                "Kecamatan": "",
                "Kelurahan": "",
            }
        )
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_import_train_predict_read_the_fields_end_to_end(tmp_path: Path) -> None:
    export = write_export(tmp_path / "export.csv")
    data = tmp_path / "train.csv"
    result = run("import-lapor", str(export), "--out", str(data))
    assert result.returncode == 0, result.stderr
    imported = pd.read_csv(data, dtype=str, keep_default_na=False)
    assert imported.columns.tolist()[3:] == ["address", "kecamatan", "kelurahan", "channel"]
    assert "0812345678" not in data.read_text(encoding="utf-8")

    model = tmp_path / "model"
    result = run(
        "train", "--data", str(data), "--text-col", "text", "--opd-col", "opd",
        "--out", str(model), "--version", "fields-test",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "structured fields" in result.stdout

    source = tmp_path / "in.csv"
    text = "Jalan lingkungan rusak berlubang, mohon ditindaklanjuti"
    pd.DataFrame(
        {
            "text": [text, text, "Sampah menumpuk di TPS tidak diangkut"],
            "kecamatan": ["Utara Jaya", "Selatan Raya", ""],
            "address": ["", "gang melati 7", ""],
        }
    ).to_csv(source, index=False)
    out = tmp_path / "out.csv"
    result = run("predict", "--input", str(source), "--output", str(out), "--model", str(model))
    assert result.returncode == 0, result.stderr
    routed = pd.read_csv(out, keep_default_na=False)
    assert routed["suggested_opd"].tolist() == [NORTH, SOUTH, "Dinas Lingkungan Hidup"]
