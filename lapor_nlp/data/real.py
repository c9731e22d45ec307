"""Loaders for the real complaint exports in the shared data folder (evaluation only).

The data is read in place from :data:`lapor_nlp.paths.SHARED_DATA_DIR` and never copied into
the project. ``load_*_agency`` implement "the standard agency task" of the shared data README:

1. text (Bandung: ``Judul Laporan`` + ". " + ``Isi Laporan Awal``), stripped; rows
   without a text or a label dropped;
2. label stripped, whitespace collapsed, ``Kab.`` -> ``Kabupaten``; every ``Kecamatan``/
   ``Kelurahan``/``Desa`` label becomes ``KEWILAYAHAN``;
3. exact duplicate texts dropped (first kept), then agencies with fewer than 10 reports.

Surabaya gives 12,050 rows / 27 classes and Bandung 1,843 rows / 25 classes.

With ``with_fields=True`` the same rows also carry their structured fields (masked): Surabaya's
``alamat``, ``kecamatan`` and ``kelurahan``; Bandung's ``Sumber Laporan`` (channel), and the
``Kecamatan``/``Kelurahan`` of its 2024 file joined by ``Tracking ID`` (2024 rows only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lapor_nlp.data.fields import ComplaintFields
from lapor_nlp.data.io import read_table
from lapor_nlp.data.labels import clean_label, merge_territorial
from lapor_nlp.data.lapor_export import (
    AGENCY,
    BODY,
    CATEGORY,
    TITLE,
    TRACKING_ID,
    export_fields,
    read_lapor_export,
)
from lapor_nlp.errors import SharedDataUnavailableError
from lapor_nlp.paths import SHARED_DATA_DIR
from lapor_nlp.text import model_input

MIN_REPORTS = 10
SURABAYA_FILE = Path("surabaya-mediacenter-2022") / "Dataset_Preprocessing.xlsx"
BANDUNG_FILE = Path("kab-bandung-sp4n-lapor-2021-2024") / "laporan21-24.xlsx"
BANDUNG_2024_FILE = Path("kab-bandung-sp4n-lapor-2021-2024") / "Laporan Ringkas Lapor.xlsx"
PURBALINGGA_FILE = Path("purbalingga-lapormasbup-2025") / "dataset_cleaned.csv"


@dataclass(frozen=True)
class LabelledTexts:
    """Texts with one label each, ready for cross-validation."""

    name: str
    texts: list[str]
    labels: list[str]
    fields: list[ComplaintFields] | None = None
    """Structured fields per text, when loaded ``with_fields``."""

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def n_classes(self) -> int:
        """How many distinct labels the texts have."""
        return len(set(self.labels))


def shared_file(relative: Path, data_dir: Path | None = None) -> Path:
    """Absolute path of a shared data file, or :class:`SharedDataUnavailableError`."""
    root = Path(data_dir) if data_dir is not None else SHARED_DATA_DIR
    if not root.is_dir():
        raise SharedDataUnavailableError(
            f"the shared real-data folder {root} is not available on this machine; "
            "real-data evaluation needs it (see its README.md)"
        )
    path = root / relative
    if not path.is_file():
        raise SharedDataUnavailableError(f"shared data file missing: {path}")
    return path


def standard_agency_task(
    name: str,
    texts: Sequence[object],
    labels: Sequence[object],
    *,
    min_reports: int = MIN_REPORTS,
    fields: Sequence[ComplaintFields] | None = None,
) -> LabelledTexts:
    """Apply steps 1-3 of the standard agency task to raw texts and agency labels (the rows'
    ``fields``, when given, follow their rows)."""
    cleaned = [_text(t) for t in texts]
    normalised = merge_territorial([clean_label(label) for label in labels])
    return _dedupe_and_prune(name, cleaned, normalised, min_reports, fields)


def raw_surabaya_agency(data_dir: Path | None = None) -> tuple[list[object], list[object]]:
    """Surabaya Media Center 2022 as read: ``keluhan`` texts and ``instansi`` labels."""
    frame = read_table(shared_file(SURABAYA_FILE, data_dir))
    return frame["keluhan"].tolist(), frame["instansi"].tolist()


def raw_bandung_agency(data_dir: Path | None = None) -> tuple[list[object], list[object]]:
    """Kab. Bandung SP4N-LAPOR! 2021-2024 as read: title + ". " + body, disposed agency."""
    frame = read_lapor_export(shared_file(BANDUNG_FILE, data_dir))
    return list(_lapor_texts(frame)), frame[AGENCY].tolist()


def load_surabaya_agency(
    data_dir: Path | None = None, *, min_reports: int = MIN_REPORTS, with_fields: bool = False
) -> LabelledTexts:
    """Surabaya Media Center 2022: ``keluhan`` -> ``instansi``."""
    frame = read_table(shared_file(SURABAYA_FILE, data_dir))
    fields = None
    if with_fields:
        fields = [
            ComplaintFields(
                address=_text(a) or None, kecamatan=_text(c) or None, kelurahan=_text(k) or None
            ).masked()
            for a, c, k in zip(frame["alamat"], frame["kecamatan"], frame["kelurahan"], strict=True)
        ]
    return standard_agency_task(
        "surabaya",
        frame["keluhan"].tolist(),
        frame["instansi"].tolist(),
        min_reports=min_reports,
        fields=fields,
    )


def load_bandung_agency(
    data_dir: Path | None = None, *, min_reports: int = MIN_REPORTS, with_fields: bool = False
) -> LabelledTexts:
    """Kab. Bandung SP4N-LAPOR! 2021-2024: title + body -> ``Instansi Terdisposisi``."""
    frame = read_lapor_export(shared_file(BANDUNG_FILE, data_dir))
    fields = None
    if with_fields:
        channel = export_fields(frame) or [ComplaintFields()] * len(frame)
        area = {
            str(tracking): row
            for tracking, row in zip(
                *_tracking_and_fields(shared_file(BANDUNG_2024_FILE, data_dir)), strict=True
            )
        }
        fields = [
            ComplaintFields(
                channel=own.channel,
                kecamatan=area[key].kecamatan if key in area else None,
                kelurahan=area[key].kelurahan if key in area else None,
            )
            for own, key in zip(channel, frame[TRACKING_ID].astype(str), strict=True)
        ]
    return standard_agency_task(
        "bandung",
        _lapor_texts(frame),
        frame[AGENCY].tolist(),
        min_reports=min_reports,
        fields=fields,
    )


def _tracking_and_fields(path: Path) -> tuple[list[str], list[ComplaintFields]]:
    frame = read_lapor_export(path)
    fields = export_fields(frame) or [ComplaintFields()] * len(frame)
    return frame[TRACKING_ID].astype(str).tolist(), fields


def load_bandung_category(
    data_dir: Path | None = None, *, min_reports: int = MIN_REPORTS
) -> LabelledTexts:
    """Kab. Bandung: title + body -> official LAPOR! ``Kategori`` (deduped, classes >= 10)."""
    frame = read_lapor_export(shared_file(BANDUNG_FILE, data_dir))
    texts = [_text(t) for t in _lapor_texts(frame)]
    labels = [clean_label(label) for label in frame[CATEGORY].tolist()]
    return _dedupe_and_prune("bandung-category", texts, labels, min_reports)


def load_purbalingga_category(
    data_dir: Path | None = None, *, min_reports: int = MIN_REPORTS
) -> LabelledTexts:
    """Purbalingga Lapor Mas Bup 2025: ``text`` -> hand-labelled ``kategori`` (6 classes)."""
    frame = read_table(shared_file(PURBALINGGA_FILE, data_dir))
    texts = [_text(t) for t in frame["text"].tolist()]
    labels = [clean_label(label) for label in frame["kategori"].tolist()]
    return _dedupe_and_prune("purbalingga-category", texts, labels, min_reports)


AGENCY_TASKS: dict[str, Callable[..., LabelledTexts]] = {
    "surabaya": load_surabaya_agency,
    "bandung": load_bandung_agency,
}
RAW_AGENCY_EXPORTS: dict[str, Callable[..., tuple[list[object], list[object]]]] = {
    "surabaya": raw_surabaya_agency,
    "bandung": raw_bandung_agency,
}


def _dedupe_and_prune(
    name: str,
    texts: list[str],
    labels: list[str],
    min_reports: int,
    fields: Sequence[ComplaintFields] | None = None,
) -> LabelledTexts:
    seen: set[str] = set()
    kept: list[int] = []
    for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
        if not text or not label or text in seen:
            continue
        seen.add(text)
        kept.append(i)
    counts = Counter(labels[i] for i in kept)
    kept = [i for i in kept if counts[labels[i]] >= min_reports]
    return LabelledTexts(
        name=name,
        texts=[texts[i] for i in kept],
        labels=[labels[i] for i in kept],
        fields=None if fields is None else [fields[i] for i in kept],
    )


def _lapor_texts(frame: pd.DataFrame) -> list[str]:
    titles = frame[TITLE].tolist() if TITLE in frame.columns else [""] * len(frame)
    return [model_input(_text(t), _text(b)) for t, b in zip(titles, frame[BODY], strict=True)]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()
