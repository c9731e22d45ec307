"""Loaders for the real complaint exports in the shared data folder (evaluation only).

The data is read in place from :data:`lapor_nlp.paths.SHARED_DATA_DIR` and never copied into
the project. ``load_*_agency`` implement "the standard agency task" of the shared data README:

1. text (Bandung: ``Judul Laporan`` + ". " + ``Isi Laporan Awal``), stripped; rows
   without a text or a label dropped;
2. label stripped, whitespace collapsed, ``Kab.`` -> ``Kabupaten``; every ``Kecamatan``/
   ``Kelurahan``/``Desa`` label becomes ``KEWILAYAHAN``;
3. exact duplicate texts dropped (first kept), then agencies with fewer than 10 reports.

Surabaya gives 12,050 rows / 27 classes and Bandung 1,843 rows / 25 classes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lapor_nlp.data.io import read_table
from lapor_nlp.data.labels import clean_label, merge_territorial
from lapor_nlp.data.lapor_export import AGENCY, BODY, CATEGORY, TITLE, read_lapor_export
from lapor_nlp.errors import SharedDataUnavailableError
from lapor_nlp.paths import SHARED_DATA_DIR
from lapor_nlp.text import model_input

MIN_REPORTS = 10
SURABAYA_FILE = Path("surabaya-mediacenter-2022") / "Dataset_Preprocessing.xlsx"
BANDUNG_FILE = Path("kab-bandung-sp4n-lapor-2021-2024") / "laporan21-24.xlsx"
PURBALINGGA_FILE = Path("purbalingga-lapormasbup-2025") / "dataset_cleaned.csv"


@dataclass(frozen=True)
class LabelledTexts:
    """Texts with one label each, ready for cross-validation."""

    name: str
    texts: list[str]
    labels: list[str]

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
    name: str, texts: Sequence[object], labels: Sequence[object], *, min_reports: int = MIN_REPORTS
) -> LabelledTexts:
    """Apply steps 1-3 of the standard agency task to raw texts and agency labels."""
    cleaned = [_text(t) for t in texts]
    normalised = merge_territorial([clean_label(label) for label in labels])
    return _dedupe_and_prune(name, cleaned, normalised, min_reports)


def raw_surabaya_agency(data_dir: Path | None = None) -> tuple[list[object], list[object]]:
    """Surabaya Media Center 2022 as read: ``keluhan`` texts and ``instansi`` labels."""
    frame = read_table(shared_file(SURABAYA_FILE, data_dir))
    return frame["keluhan"].tolist(), frame["instansi"].tolist()


def raw_bandung_agency(data_dir: Path | None = None) -> tuple[list[object], list[object]]:
    """Kab. Bandung SP4N-LAPOR! 2021-2024 as read: title + ". " + body, disposed agency."""
    frame = read_lapor_export(shared_file(BANDUNG_FILE, data_dir))
    return list(_lapor_texts(frame)), frame[AGENCY].tolist()


def load_surabaya_agency(
    data_dir: Path | None = None, *, min_reports: int = MIN_REPORTS
) -> LabelledTexts:
    """Surabaya Media Center 2022: ``keluhan`` -> ``instansi``."""
    return standard_agency_task("surabaya", *raw_surabaya_agency(data_dir), min_reports=min_reports)


def load_bandung_agency(
    data_dir: Path | None = None, *, min_reports: int = MIN_REPORTS
) -> LabelledTexts:
    """Kab. Bandung SP4N-LAPOR! 2021-2024: title + body -> ``Instansi Terdisposisi``."""
    return standard_agency_task("bandung", *raw_bandung_agency(data_dir), min_reports=min_reports)


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
    name: str, texts: list[str], labels: list[str], min_reports: int
) -> LabelledTexts:
    seen: set[str] = set()
    kept: list[tuple[str, str]] = []
    for text, label in zip(texts, labels, strict=True):
        if not text or not label or text in seen:
            continue
        seen.add(text)
        kept.append((text, label))
    counts = Counter(label for _, label in kept)
    kept = [(t, label) for t, label in kept if counts[label] >= min_reports]
    return LabelledTexts(name=name, texts=[t for t, _ in kept], labels=[label for _, label in kept])


def _lapor_texts(frame: pd.DataFrame) -> list[str]:
    titles = frame[TITLE].tolist() if TITLE in frame.columns else [""] * len(frame)
    return [model_input(_text(t), _text(b)) for t, b in zip(titles, frame[BODY], strict=True)]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()
