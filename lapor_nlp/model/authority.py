"""Whose matter is it: the province's, or a kabupaten/kota's, the central government's or a
state company's (``bukan wewenang``)?

Many complaints sent to the province belong elsewhere: SD/SMP schools, kelurahan letters and
city lanes (``kabkota``); police, land certificates, national roads (``pusat``); PLN bills,
BPJS Kesehatan, Pertamina stations (``bumn``). A small calibrated head over the router's
features learns these levels from the seed complaints (all ``provinsi``) and not-authority
examples. It only speaks when it is sure: a complaint it places at another level with at
least ``threshold`` probability goes to review with that level shown; the OPD suggestions stay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from lapor_nlp.model.compact import CompactLinearHead
from lapor_nlp.model.heads import linear_model

PROVINCE = "provinsi"
OTHER_LEVELS = ("kabkota", "pusat", "bumn")
LEVELS = (PROVINCE, *OTHER_LEVELS)


@dataclass(frozen=True)
class AuthorityCall:
    """The level a complaint most likely belongs to (not the province), with its probability."""

    level: str
    confidence: float


def check_levels(levels: Iterable[str]) -> list[str]:
    """The levels as strings; an unknown one is a ``ValueError`` naming it."""
    out = [str(level) for level in levels]
    unknown = sorted(set(out) - set(LEVELS))
    if unknown:
        raise ValueError(f"unknown authority level(s) {unknown}; known: {', '.join(LEVELS)}")
    return out


def fit_authority_head(
    features: Any, levels: list[str], *, C: float, random_state: int
) -> CompactLinearHead | None:
    """A class-balanced logistic regression over the levels; None with fewer than two."""
    labels = np.asarray(levels, dtype=object).astype(str)
    values, counts = np.unique(labels, return_counts=True)
    if len(values) < 2 or counts.min() < 2:
        return None
    # Logistic regression, not the sigmoid-calibrated SVM: calibration folds would hold too few
    # examples of a level whose complaints share few words (police, land office, passports).
    head = linear_model("logreg", C=C, random_state=random_state)
    return CompactLinearHead.from_estimator(head.fit(features, labels))


def authority_calls(
    proba: np.ndarray, classes: np.ndarray, threshold: float
) -> list[AuthorityCall | None]:
    """Per row: the most likely level when it is not the province and reaches ``threshold``."""
    calls: list[AuthorityCall | None] = []
    for row in proba:
        best = int(np.argmax(row))
        level = str(classes[best])
        if level != PROVINCE and row[best] >= threshold:
            calls.append(AuthorityCall(level=level, confidence=round(float(row[best]), 6)))
        else:
            calls.append(None)
    return calls
