"""Agency-label clean-up shared by the LAPOR! importer and the real-data loaders.

Exports spell one agency several ways ("Dinas Lingkungan Hidup Kab. Bandung",
"DINAS LINGKUNGAN HIDUP KABUPATEN Bandung", doubled spaces). These functions make the
spellings agree and fold the long tail of kecamatan/kelurahan/desa labels.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lapor_nlp.errors import DataValidationError

TERRITORIAL_LABEL = "KEWILAYAHAN"
_WHITESPACE = re.compile(r"\s+")
_KAB_ABBREVIATION = re.compile(r"\bKab\.\s*", flags=re.IGNORECASE)
_TERRITORIAL = re.compile(r"^(kecamatan|kelurahan|desa)\b", flags=re.IGNORECASE)


def clean_label(value: object) -> str:
    """Strip, collapse whitespace and spell out ``Kab.`` as ``Kabupaten``; missing -> ``""``.

    Examples
    --------
    >>> clean_label("  Dinas Sosial   Kab.Bandung ")
    'Dinas Sosial Kabupaten Bandung'
    >>> clean_label(None)
    ''
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = _WHITESPACE.sub(" ", str(value)).strip()
    text = _KAB_ABBREVIATION.sub("Kabupaten ", text)
    return _WHITESPACE.sub(" ", text).strip()


def is_territorial(label: str) -> bool:
    """True for labels naming a kecamatan, kelurahan or desa office.

    >>> is_territorial("Kecamatan Baleendah"), is_territorial("Dinas Sosial")
    (True, False)
    """
    return bool(_TERRITORIAL.match(label.strip()))


def unify_case(labels: Sequence[str]) -> list[str]:
    """Map spellings that differ only in letter case to their most frequent spelling.

    Ties go to the spelling seen first, so the result does not depend on set ordering.

    >>> unify_case(["Dinas Sosial", "DINAS SOSIAL", "Dinas Sosial"])
    ['Dinas Sosial', 'Dinas Sosial', 'Dinas Sosial']
    """
    counts = Counter(labels)
    canonical: dict[str, str] = {}
    for label in labels:  # first-seen order
        key = label.casefold()
        current = canonical.get(key)
        if current is None or counts[label] > counts[current]:
            canonical[key] = label
    return [canonical[label.casefold()] if label else label for label in labels]


@dataclass(frozen=True)
class MergeRule:
    """Every label matching ``pattern`` (regular expression, case-insensitive, searched) becomes
    ``label``."""

    pattern: re.Pattern[str]
    label: str

    @classmethod
    def parse(cls, spec: str) -> MergeRule:
        """Parse ``PATTERN=LABEL`` (split at the last ``=``)."""
        pattern, sep, label = spec.rpartition("=")
        if not sep or not pattern.strip() or not label.strip():
            raise DataValidationError(
                f"merge rule {spec!r} is not PATTERN=LABEL "
                "(e.g. 'Dinas Kesehatan|DINKES=Dinas Kesehatan')"
            )
        try:
            compiled = re.compile(pattern.strip(), flags=re.IGNORECASE)
        except re.error as exc:
            raise DataValidationError(
                f"merge rule {spec!r}: {pattern!r} is not a valid regular expression ({exc})"
            ) from exc
        return cls(pattern=compiled, label=label.strip())


def apply_merges(labels: Iterable[str], rules: Sequence[MergeRule]) -> list[str]:
    """Replace each non-empty label by the target of the first rule that matches it."""
    merged = []
    for label in labels:
        for rule in rules:
            if label and rule.pattern.search(label):
                label = rule.label
                break
        merged.append(label)
    return merged


def merge_territorial(labels: Iterable[str], into: str = TERRITORIAL_LABEL) -> list[str]:
    """Fold every ``Kecamatan …``/``Kelurahan …``/``Desa …`` label into one class ``into``."""
    return [into if label and is_territorial(label) else label for label in labels]


def rare_labels(labels: Iterable[str], min_count: int) -> set[str]:
    """Non-empty labels that occur fewer than ``min_count`` times."""
    counts = Counter(label for label in labels if label)
    return {label for label, n in counts.items() if n < min_count}
