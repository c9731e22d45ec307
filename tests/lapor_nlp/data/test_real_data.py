"""Checks against the real exports in the shared data folder (skipped when it is absent)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lapor_nlp.data import real
from lapor_nlp.data.lapor_export import ImportOptions, import_lapor_export, read_lapor_export

pytestmark = pytest.mark.realdata


def test_bandung_export_header_detected(shared_data_dir: Path) -> None:
    frame = read_lapor_export(shared_data_dir / real.BANDUNG_FILE)
    assert len(frame) == 2127  # PROVENANCE: 2,127 reports
    assert frame["Tracking ID"].is_unique


def test_bandung_import(shared_data_dir: Path) -> None:
    rows, summary = import_lapor_export(shared_data_dir / real.BANDUNG_FILE, ImportOptions())
    assert summary.rows_in == 2127
    assert summary.dropped["no agency (Instansi Terdisposisi)"] == 233  # 1,894 labelled
    assert len(rows) == 1894
    # Kab./Kabupaten and case variants unified: fewer than the 69 raw strings
    assert len(summary.opd_counts) < 69
    rows, summary = import_lapor_export(
        shared_data_dir / real.BANDUNG_FILE,
        ImportOptions(drop_archived=True, territorial_label="KEWILAYAHAN"),
    )
    assert summary.dropped["archived or blocked"] == 188 + 13


@pytest.mark.parametrize(
    ("loader", "n_rows", "n_classes"),
    [(real.load_bandung_agency, 1843, 25), (real.load_surabaya_agency, 12050, 27)],
)
def test_standard_agency_task_counts(
    shared_data_dir: Path, loader: Callable[..., real.LabelledTexts], n_rows: int, n_classes: int
) -> None:
    data = loader()
    assert (len(data), data.n_classes) == (n_rows, n_classes)
    assert "KEWILAYAHAN" in data.labels


@pytest.mark.parametrize(
    ("loader", "present"),
    [
        (real.load_bandung_agency, lambda f: f.channel),
        (real.load_surabaya_agency, lambda f: f.kecamatan),
    ],
)
def test_with_fields_the_task_keeps_its_rows_and_adds_their_fields(
    shared_data_dir: Path,
    loader: Callable[..., real.LabelledTexts],
    present: Callable[..., str | None],
) -> None:
    plain, with_fields = loader(), loader(with_fields=True)
    assert plain.fields is None
    assert (with_fields.texts, with_fields.labels) == (plain.texts, plain.labels)
    assert with_fields.fields is not None and len(with_fields.fields) == len(plain)
    assert all(present(f) for f in with_fields.fields)


def test_bandung_import_writes_its_channel(shared_data_dir: Path) -> None:
    rows, summary = import_lapor_export(shared_data_dir / real.BANDUNG_FILE, ImportOptions())
    assert summary.fields == ["channel"]
    assert rows.columns.tolist() == ["text", "opd", "category", "channel"]
