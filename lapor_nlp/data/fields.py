"""The optional structured fields of a complaint, beside its text: where it is and how it came.

An SP4N-LAPOR! export (and a region's own intake) often says where the problem is (an address,
the kecamatan and kelurahan) and by which channel the report came. Territorial offices and
agencies with a local remit are told apart better with them, so the model reads them as a
block of their own (:mod:`lapor_nlp.model.field_features`), never glued into the text.

This module is the one place that names them: the dataclass, the training-table columns
(``address,kecamatan,kelurahan,channel``) and how a table's rows become fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace

import pandas as pd


@dataclass(frozen=True)
class ComplaintFields:
    """Where a complaint is and how it came; every field optional (None: not given)."""

    address: str | None = None
    kecamatan: str | None = None
    kelurahan: str | None = None
    channel: str | None = None

    def is_empty(self) -> bool:
        """True when no field carries any text."""
        return not any((getattr(self, name) or "").strip() for name in FIELD_COLUMNS)

    def masked(self) -> ComplaintFields:
        """These fields with personal data masked (addresses carry NIK, phone numbers...)."""
        from lapor_nlp.text import mask_personal_data

        values = {name: getattr(self, name) for name in FIELD_COLUMNS}
        return replace(
            self, **{k: None if v is None else mask_personal_data(v) for k, v in values.items()}
        )


FIELD_COLUMNS = tuple(f.name for f in fields(ComplaintFields))
"""Columns of a training or prediction table that hold the fields (each optional):
``address``, ``kecamatan``, ``kelurahan``, ``channel``."""


def field_columns(columns: Iterable[object]) -> list[str]:
    """The field columns a table has, in :data:`FIELD_COLUMNS` order."""
    present = {str(c) for c in columns}
    return [name for name in FIELD_COLUMNS if name in present]


def fields_from_frame(frame: pd.DataFrame) -> list[ComplaintFields] | None:
    """One :class:`ComplaintFields` per row from the table's field columns (blank cells are
    None); None when the table has none of them."""
    present = field_columns(frame.columns)
    if not present:
        return None
    values = {name: [_cell(v) for v in frame[name]] for name in present}
    return [
        ComplaintFields(**{name: values[name][i] for name in present}) for i in range(len(frame))
    ]


def any_fields(rows: Sequence[ComplaintFields | None] | None) -> bool:
    """True when at least one row carries a field."""
    return rows is not None and any(row is not None and not row.is_empty() for row in rows)


def _cell(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None
