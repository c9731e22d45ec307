"""Agency aliases per OPD (``aliases.csv``: ``opd,alias``): how citizens name an agency.

Full names, abbreviations and common aliases. Matching works on preprocessed tokens and
accepts an alias anywhere in the complaint, so "Dinas Pendidikan" also matches "dinas
pendidikan kota" and "Dinas Pendidikan Provinsi Kaltim": a suffix needs no line of its own.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lapor_nlp.errors import DataValidationError
from lapor_nlp.paths import TAXONOMY_DIR

ALIASES_FILE = TAXONOMY_DIR / "aliases.csv"


@dataclass(frozen=True)
class AgencyAlias:
    opd: str
    alias: str


def load_agency_aliases(
    path: Path = ALIASES_FILE, *, opd_codes: Iterable[str] | None = None
) -> tuple[AgencyAlias, ...]:
    """Read the alias table; with ``opd_codes`` every code must be one of them."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != ("opd", "alias"):
            raise DataValidationError(f"{path}: columns must be opd,alias")
        rows = [
            AgencyAlias((row["opd"] or "").strip(), (row["alias"] or "").strip()) for row in reader
        ]
    known = None if opd_codes is None else set(opd_codes)
    seen: dict[str, str] = {}
    for n, row in enumerate(rows, start=2):
        if not row.opd or not row.alias:
            raise DataValidationError(f"{path} line {n}: empty opd or alias")
        if known is not None and row.opd not in known:
            raise DataValidationError(f"{path} line {n}: unknown OPD code {row.opd!r}")
        key = row.alias.casefold()
        if key in seen:
            raise DataValidationError(
                f"{path} line {n}: alias {row.alias!r} already given for {seen[key]}"
            )
        seen[key] = row.opd
    return tuple(rows)
