"""Turn an SP4N-LAPOR! admin export ("Laporan Ringkas") into ``text,opd,category`` training rows,
plus the structured fields the export has (``address,kecamatan,kelurahan,channel``).

The XLSX export has a block of metadata rows (title, instansi, generation date, period) above the
real header; the header row is found by looking for the ``Tracking ID`` cell rather than by
position. CSV exports have the header on the first line and go through the same path.
Reporter-name columns are dropped as soon as the header is known.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lapor_nlp.data.fields import FIELD_COLUMNS, ComplaintFields
from lapor_nlp.data.io import read_table
from lapor_nlp.data.labels import (
    MergeRule,
    apply_merges,
    clean_label,
    merge_territorial,
    rare_labels,
    unify_case,
)
from lapor_nlp.errors import DataValidationError
from lapor_nlp.text import mask_personal_data, model_input

TRACKING_ID = "Tracking ID"
TITLE = "Judul Laporan"
BODY = "Isi Laporan Awal"
CATEGORY = "Kategori"
AGENCY = "Instansi Terdisposisi"
STATUS = "Status Laporan"
OUTPUT_COLUMNS = ("text", "opd", "category")
# Export headers (any case) that hold each structured field; the first one present is read.
FIELD_SOURCES: dict[str, tuple[str, ...]] = {
    "address": ("Alamat", "Alamat Kejadian", "Alamat Lokasi", "Lokasi Kejadian", "Lokasi"),
    "kecamatan": ("Kecamatan",),
    "kelurahan": ("Kelurahan", "Kelurahan/Desa", "Desa/Kelurahan", "Desa"),
    "channel": ("Sumber Laporan", "Kanal", "Kanal Pengaduan"),
}
HEADER_SCAN_ROWS = 50
# Columns that identify the reporter; never kept past the header.
PERSONAL_COLUMNS = frozenset({"nama pelapor", "nama", "email", "e-mail", "no hp", "nik", "telepon"})
_ARCHIVED = re.compile(r"arsip|terblokir|blokir", flags=re.IGNORECASE)


@dataclass(frozen=True)
class ImportOptions:
    """How to turn an export into training rows (see ``lapor-nlp import-lapor --help``)."""

    drop_archived: bool = False
    merges: tuple[MergeRule, ...] = ()
    territorial_label: str | None = None
    min_reports: int = 0
    fold_into: str | None = None
    keep_personal_data: bool = False
    keep_unlabelled: bool = False


@dataclass
class ImportSummary:
    """What an import did: rows in, rows dropped by reason, rows out, resulting labels."""

    rows_in: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    rows_out: int = 0
    opd_counts: Counter[str] = field(default_factory=Counter)
    category_counts: Counter[str] = field(default_factory=Counter)
    labels_respelled: int = 0
    folded: list[str] = field(default_factory=list)
    masked: bool = True
    fields: list[str] = field(default_factory=list)
    """The structured fields written (``address``, ``kecamatan``, ``kelurahan``, ``channel``)."""


def find_header_row(raw: pd.DataFrame, marker: str = TRACKING_ID) -> int:
    """Index of the first row (within the first ``HEADER_SCAN_ROWS``) that has a cell ``marker``.

    Raises
    ------
    DataValidationError
        No such row: the file is probably not an SP4N-LAPOR! export.
    """
    wanted = marker.casefold()
    for position, row in enumerate(raw.head(HEADER_SCAN_ROWS).itertuples(index=False)):
        if any(isinstance(cell, str) and cell.strip().casefold() == wanted for cell in row):
            return position
    raise DataValidationError(
        f"no header row with a {marker!r} cell in the first {HEADER_SCAN_ROWS} rows; "
        "is this an SP4N-LAPOR! export (Laporan Ringkas)?"
    )


def read_lapor_export(path: str | Path) -> pd.DataFrame:
    """Read an export (XLSX or CSV) below its detected header, without reporter-name columns.

    Rows without a ``Tracking ID`` (blank lines, footers) are removed.
    """
    raw = read_table(path, header=None)
    header_at = find_header_row(raw)
    header = _unique([_column_name(cell, i) for i, cell in enumerate(raw.iloc[header_at])])
    frame = raw.iloc[header_at + 1 :].copy()
    frame.columns = pd.Index(header)
    keep = [c for c in header if c.casefold() not in PERSONAL_COLUMNS]
    frame = frame.loc[:, keep]
    tracking = frame[TRACKING_ID].map(_cell)
    return frame.loc[tracking != ""].reset_index(drop=True)


def import_lapor_export(
    path: str | Path, options: ImportOptions | None = None
) -> tuple[pd.DataFrame, ImportSummary]:
    """Read an export and convert it; see :func:`convert_export`."""
    return convert_export(read_lapor_export(path), options or ImportOptions())


def convert_export(
    frame: pd.DataFrame, options: ImportOptions
) -> tuple[pd.DataFrame, ImportSummary]:
    """Build ``text,opd,category`` rows (and the field columns the export has) from export rows.

    Steps: optionally drop archived/blocked reports; text = title + ". " + body and the fields
    of :func:`export_field_columns` (all masked unless ``keep_personal_data``); drop empty
    texts; fix label spellings (whitespace, ``Kab.``, case);
    apply ``--merge`` rules, then the territorial fold; fold or drop agencies below
    ``min_reports``; drop rows without an agency unless ``keep_unlabelled``.
    """
    _require(frame, [BODY, AGENCY] + ([STATUS] if options.drop_archived else []))
    summary = ImportSummary(rows_in=len(frame), masked=not options.keep_personal_data)
    if options.drop_archived:
        archived = frame[STATUS].map(_cell).str.contains(_ARCHIVED)
        frame = _drop(frame, archived, "archived or blocked", summary)

    texts = [
        model_input(t, b) for t, b in zip(_column(frame, TITLE), _column(frame, BODY), strict=True)
    ]
    sources = export_field_columns(frame.columns)
    work = pd.DataFrame(
        {
            "text": texts,
            "opd": _column(frame, AGENCY),
            "category": _column(frame, CATEGORY),
            **{name: _column(frame, column) for name, column in sources.items()},
        }
    )
    work = _drop(work, work["text"] == "", "empty text", summary)
    if not options.keep_personal_data:
        for column in ("text", *sources):
            work[column] = work[column].map(mask_personal_data)
    summary.fields = list(sources)

    cleaned = [clean_label(v) for v in work["opd"]]
    opd = unify_case(cleaned)
    summary.labels_respelled = sum(a != b for a, b in zip(work["opd"], opd, strict=True))
    opd = apply_merges(opd, options.merges)
    if options.territorial_label:
        opd = merge_territorial(opd, options.territorial_label)
    work["opd"] = opd
    work["category"] = unify_case([clean_label(v) for v in work["category"]])

    if not options.keep_unlabelled:
        work = _drop(work, work["opd"] == "", "no agency (Instansi Terdisposisi)", summary)
    work = _fold_rare(work, options, summary)

    summary.rows_out = len(work)
    summary.opd_counts = Counter(label for label in work["opd"] if label)
    summary.category_counts = Counter(label for label in work["category"] if label)
    return work.loc[:, [*OUTPUT_COLUMNS, *sources]].reset_index(drop=True), summary


def export_fields(frame: pd.DataFrame) -> list[ComplaintFields] | None:
    """The structured fields of each export row (masked), or None when the export has none."""
    sources = export_field_columns(frame.columns)
    if not sources:
        return None
    values = {name: _column(frame, column) for name, column in sources.items()}
    return [
        ComplaintFields(**{name: values[name][i] or None for name in sources}).masked()
        for i in range(len(frame))
    ]


def export_field_columns(columns: Iterable[object]) -> dict[str, str]:
    """Field name -> the export column it is read from, for the fields the export has
    (:data:`FIELD_SOURCES`; in :data:`~lapor_nlp.data.fields.FIELD_COLUMNS` order)."""
    by_name = {str(c).casefold(): str(c) for c in columns}
    found: dict[str, str] = {}
    for name in FIELD_COLUMNS:
        present = [by_name[c.casefold()] for c in FIELD_SOURCES[name] if c.casefold() in by_name]
        if present:
            found[name] = present[0]
    return found


def _fold_rare(work: pd.DataFrame, options: ImportOptions, summary: ImportSummary) -> pd.DataFrame:
    if options.min_reports <= 1:
        return work
    rare = rare_labels(work["opd"], options.min_reports)
    if options.fold_into:
        rare.discard(options.fold_into)
    summary.folded = sorted(rare)
    is_rare = work["opd"].isin(rare)
    if options.fold_into:
        work = work.copy()
        work.loc[is_rare, "opd"] = options.fold_into
        return work
    return _drop(work, is_rare, f"agency with fewer than {options.min_reports} reports", summary)


def _drop(
    frame: pd.DataFrame, mask: pd.Series, reason: str, summary: ImportSummary
) -> pd.DataFrame:
    mask = mask.fillna(False).astype(bool)
    summary.dropped[reason] = summary.dropped.get(reason, 0) + int(mask.sum())
    return frame.loc[~mask]


def _require(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataValidationError(
            f"the export lacks column(s) {', '.join(repr(c) for c in missing)}; "
            f"it has: {', '.join(repr(str(c)) for c in frame.columns)}"
        )


def _column(frame: pd.DataFrame, name: str) -> list[str]:
    if name not in frame.columns:
        return [""] * len(frame)
    return [_cell(v) for v in frame[name]]


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _column_name(cell: object, position: int) -> str:
    name = re.sub(r"\s+", " ", _cell(cell))
    return name or f"column_{position}"


def _unique(names: list[str]) -> list[str]:
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name}.{seen[name] - 1}")
    return unique
