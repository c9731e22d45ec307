"""The routing decision: what a caller gets back for one complaint."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Decision = Literal["auto", "review", "needs_info"]


@dataclass(frozen=True)
class Scored:
    code: str
    confidence: float


@dataclass(frozen=True)
class Term:
    term: str
    weight: float


@dataclass(frozen=True)
class RoutingDecision:
    decision: Decision
    opd: list[Scored]
    category: list[Scored] = field(default_factory=list)
    explanation: list[Term] = field(default_factory=list)


def top_k(proba_row: np.ndarray, classes: np.ndarray, k: int) -> list[Scored]:
    """The k most probable labels, best first (ties broken by label order for stability)."""
    k = max(1, min(k, len(classes)))
    order = np.argsort(-proba_row, kind="stable")[:k]
    return [Scored(code=str(classes[i]), confidence=round(float(proba_row[i]), 6)) for i in order]


def top_two(proba: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Top-1 probability and its margin over the runner-up, per row."""
    if proba.shape[1] == 1:
        ones = np.ones(proba.shape[0])
        return ones, ones
    part = np.partition(proba, -2, axis=1)
    best = part[:, -1]
    return best, best - part[:, -2]


def decide(best: float, margin: float, *, threshold: float, min_margin: float) -> Decision:
    """``auto`` when the model is sure enough by both measures, else ``review``."""
    return "auto" if best >= threshold and margin >= min_margin else "review"
