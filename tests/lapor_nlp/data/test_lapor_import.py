from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lapor_nlp.data import real
from lapor_nlp.data.labels import MergeRule, clean_label, is_territorial, unify_case
from lapor_nlp.data.lapor_export import (
    ImportOptions,
    find_header_row,
    import_lapor_export,
    read_lapor_export,
)
from lapor_nlp.errors import DataValidationError
from tests.lapor_nlp.data.conftest import DLH, NIK, PHONE, PUPR, REPORTER_NAMES, write_export


def run(path: Path, **options: object) -> tuple[pd.DataFrame, object]:
    return import_lapor_export(path, ImportOptions(**options))  # type: ignore[arg-type]


def test_header_row_found_below_metadata(export_xlsx: Path) -> None:
    raw = pd.read_excel(export_xlsx, header=None, dtype=str)
    assert find_header_row(raw) == 10
    frame = read_lapor_export(export_xlsx)
    assert frame["Tracking ID"].tolist()[:2] == ["1001", "1002"]
    assert len(frame) == 15  # the trailing blank row is gone


def test_reporter_names_never_read(export_xlsx: Path) -> None:
    frame = read_lapor_export(export_xlsx)
    assert "Nama Pelapor" not in frame.columns


def test_no_header_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="Tracking ID"):
        read_lapor_export(path)


def test_default_import(export_xlsx: Path) -> None:
    rows, summary = run(export_xlsx)
    assert rows.columns.tolist() == ["text", "opd", "category"]
    assert summary.rows_in == 15
    assert summary.dropped["empty text"] == 1
    assert summary.dropped["no agency (Instansi Terdisposisi)"] == 1
    assert len(rows) == summary.rows_out == 13
    assert rows["text"].iloc[2] == "Jembatan retak. Jembatan di desa kami retak parah"
    # Kab./Kabupaten, doubled spaces and upper case all become one spelling
    assert summary.opd_counts[PUPR] == 4
    assert summary.opd_counts[DLH] == 5
    assert summary.labels_respelled == 4
    assert "Kecamatan Tenggarong" in summary.opd_counts


def test_personal_data_masked_and_names_absent(export_xlsx: Path, tmp_path: Path) -> None:
    rows, _ = run(export_xlsx)
    blob = rows.to_csv(index=False)
    assert NIK not in blob
    assert PHONE not in blob
    assert "[NIK]" in blob
    assert "[TELEPON]" in blob
    for name in REPORTER_NAMES:
        assert name not in blob
    assert "RT 04" in blob  # not personal data


def test_keep_personal_data(export_xlsx: Path) -> None:
    rows, summary = run(export_xlsx, keep_personal_data=True)
    blob = rows.to_csv(index=False)
    assert NIK in blob and PHONE in blob
    assert not summary.masked
    for name in REPORTER_NAMES:  # names are never kept, whatever the option
        assert name not in blob


def test_drop_archived(export_xlsx: Path) -> None:
    rows, summary = run(export_xlsx, drop_archived=True)
    assert summary.dropped["archived or blocked"] == 2
    assert summary.opd_counts[DLH] == 3
    assert not rows["text"].str.contains("Spam").any()


def test_merge_territorial(export_xlsx: Path) -> None:
    _, summary = run(export_xlsx, territorial_label="KEWILAYAHAN")
    assert summary.opd_counts["KEWILAYAHAN"] == 3
    assert not any(
        label.startswith(("Kecamatan", "Kelurahan", "Desa")) for label in summary.opd_counts
    )


def test_merge_rules_first_match_wins(export_xlsx: Path) -> None:
    rules = (MergeRule.parse("pupr=PUPR"), MergeRule.parse("^Dinas=DINAS LAIN"))
    _, summary = run(export_xlsx, merges=rules)
    assert summary.opd_counts["PUPR"] == 4
    assert summary.opd_counts["DINAS LAIN"] == 5 + 1  # DLH + Dinas Kesehatan
    assert PUPR not in summary.opd_counts


def test_min_reports_fold_into(export_xlsx: Path) -> None:
    _, summary = run(
        export_xlsx, territorial_label="KEWILAYAHAN", min_reports=2, fold_into="LAINNYA"
    )
    assert summary.opd_counts == {PUPR: 4, DLH: 5, "KEWILAYAHAN": 3, "LAINNYA": 1}
    assert summary.folded == ["Dinas Kesehatan"]


def test_min_reports_drop(export_xlsx: Path) -> None:
    rows, summary = run(export_xlsx, min_reports=2)
    assert set(summary.opd_counts) == {PUPR, DLH}
    assert summary.dropped["agency with fewer than 2 reports"] == 4
    assert len(rows) == 9


def test_keep_unlabelled(export_xlsx: Path) -> None:
    rows, _ = run(export_xlsx, keep_unlabelled=True)
    assert len(rows) == 14
    assert (rows["opd"] == "").sum() == 1


def test_csv_export_with_header_on_first_line(tmp_path: Path) -> None:
    path = tmp_path / "aduan.csv"
    pd.DataFrame(
        {
            "Tracking ID": ["1", "2"],
            "Nama Pelapor": ["Budi Santoso", "Siti Aminah"],
            "Kategori": ["Jalan", "Sampah"],
            "Judul Laporan": ["Jalan rusak", "Sampah"],
            "Isi Laporan Awal": ["Berlubang, bahaya", "Menumpuk; bau"],
            "Instansi Terdisposisi": ["Dinas Pekerjaan Umum", "Dinas Lingkungan Hidup"],
            "Status Laporan": ["Ditutup oleh Sistem", "Ditutup oleh Sistem"],
        }
    ).to_csv(path, index=False)
    rows, _ = run(path)
    assert rows.to_dict("list") == {
        "text": ["Jalan rusak. Berlubang, bahaya", "Sampah. Menumpuk; bau"],
        "opd": ["Dinas Pekerjaan Umum", "Dinas Lingkungan Hidup"],
        "category": ["Jalan", "Sampah"],
    }


def test_missing_agency_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Tracking ID,Isi Laporan Awal\n1,teks\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="'Instansi Terdisposisi'"):
        run(path)


def test_drop_archived_needs_status_column(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Tracking ID,Isi Laporan Awal,Instansi Terdisposisi\n1,t,A\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="'Status Laporan'"):
        run(path, drop_archived=True)


def test_small_export_round_trip(tmp_path: Path) -> None:
    path = write_export(tmp_path / "one.xlsx", [("1", "K", "T", "B", "Dinas X Kab. Y", "Ditutup")])
    rows, _ = run(path)
    assert rows["opd"].tolist() == ["Dinas X Kabupaten Y"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Dinas Sosial Kab. Bandung", "Dinas Sosial Kabupaten Bandung"),
        ("  Dinas   Sosial  ", "Dinas Sosial"),
        ("Dinas Kab.Bandung", "Dinas Kabupaten Bandung"),
        (float("nan"), ""),
    ],
)
def test_clean_label(raw: object, clean: str) -> None:
    assert clean_label(raw) == clean


def test_unify_case_prefers_most_frequent_spelling() -> None:
    assert unify_case(["a B", "A B", "A B", ""]) == ["A B", "A B", "A B", ""]


def test_is_territorial() -> None:
    assert is_territorial("Kelurahan Sidodadi")
    assert is_territorial("desa bukit")
    assert not is_territorial("Dinas Pemberdayaan Masyarakat dan Desa")


@pytest.mark.parametrize("spec", ["no-equals", "=LABEL", "PATTERN=", "(unclosed=X"])
def test_bad_merge_rule(spec: str) -> None:
    with pytest.raises(DataValidationError, match="merge rule"):
        MergeRule.parse(spec)


def test_missing_shared_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(real.SharedDataUnavailableError, match="not available"):
        real.load_bandung_agency(tmp_path / "nowhere")
