"""Taxonomy files: ``opd.csv`` (code,name,handles,default_category), ``category.csv`` (code,name).

A taxonomy is optional: a model trained on another region's data takes its labels from the
data. When one is given it validates labels and supplies display names.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lapor_nlp.errors import DataValidationError, UnknownLabelError
from lapor_nlp.paths import TAXONOMY_DIR


@dataclass(frozen=True)
class Label:
    """One code of the taxonomy: its name, what it handles, its default category."""

    code: str
    name: str
    handles: str = ""
    default_category: str = ""


@dataclass(frozen=True)
class Taxonomy:
    """The OPDs and categories a deployment routes to."""

    opd: tuple[Label, ...]
    category: tuple[Label, ...] = ()
    _opd_index: dict[str, Label] = field(default_factory=dict, compare=False, repr=False)
    _category_index: dict[str, Label] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._opd_index.update({label.code: label for label in self.opd})
        self._category_index.update({label.code: label for label in self.category})

    @property
    def opd_codes(self) -> frozenset[str]:
        """Every OPD code."""
        return frozenset(self._opd_index)

    @property
    def category_codes(self) -> frozenset[str]:
        """Every category code."""
        return frozenset(self._category_index)

    def opd_name(self, code: str) -> str:
        """The OPD's name (the code itself for an unknown code)."""
        label = self._opd_index.get(code)
        return label.name if label else code

    def category_name(self, code: str) -> str:
        """The category's name (the code itself for an unknown code)."""
        label = self._category_index.get(code)
        return label.name if label else code

    def check_opd(self, codes: Iterable[str]) -> None:
        """UnknownLabelError naming every code that is not an OPD of the taxonomy."""
        _check_known(codes, self.opd_codes, "OPD")

    def check_category(self, codes: Iterable[str]) -> None:
        """UnknownLabelError naming every unknown category code (none without categories)."""
        if self.category:
            _check_known(codes, self.category_codes, "category")


def _check_known(codes: Iterable[str], known: frozenset[str], kind: str) -> None:
    unknown = sorted({c for c in codes if c not in known})
    if unknown:
        shown = ", ".join(repr(c) for c in unknown[:10])
        more = f" (and {len(unknown) - 10} more)" if len(unknown) > 10 else ""
        raise UnknownLabelError(f"unknown {kind} code(s) not in the taxonomy: {shown}{more}")


def _read_labels(path: Path, required: tuple[str, ...]) -> tuple[Label, ...]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise DataValidationError(f"{path}: missing column(s) {', '.join(missing)}")
        labels = []
        for row in reader:
            code = (row.get("code") or "").strip()
            if not code:
                raise DataValidationError(f"{path}: a row has an empty code")
            labels.append(
                Label(
                    code=code,
                    name=(row.get("name") or code).strip(),
                    handles=(row.get("handles") or "").strip(),
                    default_category=(row.get("default_category") or "").strip(),
                )
            )
    codes = [label.code for label in labels]
    if len(set(codes)) != len(codes):
        raise DataValidationError(f"{path}: duplicate codes")
    return tuple(labels)


def load_taxonomy(directory: Path) -> Taxonomy:
    """Read a taxonomy directory; ``category.csv`` may be absent."""
    directory = Path(directory)
    opd_file = directory / "opd.csv"
    if not opd_file.is_file():
        raise DataValidationError(f"taxonomy directory {directory} has no opd.csv")
    category_file = directory / "category.csv"
    categories = _read_labels(category_file, ("code", "name")) if category_file.is_file() else ()
    return Taxonomy(opd=_read_labels(opd_file, ("code", "name")), category=categories)


@lru_cache(maxsize=1)
def load_default_taxonomy() -> Taxonomy:
    """The Kalimantan Timur deployment's 27 OPDs and 21 categories shipped with the package."""
    return load_taxonomy(TAXONOMY_DIR)
