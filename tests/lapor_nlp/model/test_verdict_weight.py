"""Operator verdicts in training: row weights reach the heads, the weight is chosen on inner
folds, and the threshold rule holds the pair to what real verdicts support."""

from __future__ import annotations

import numpy as np
import pytest

from lapor_nlp.data.base import Rows
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.model.decision import (
    NEVER_AUTO,
    AutoPair,
    auto_routed,
    fit_thresholds,
    precision_coverage,
)
from lapor_nlp.model.weighting import MIN_ROWS_TO_CHOOSE, WEIGHT_GRID, choose_weight
from tests.lapor_nlp.model import corpus

# A DLH complaint an operator filed under DPUPR, and a complaint like it.
VERDICT = "sampah menumpuk di TPS tidak diangkut, bau busuk"
PROBE = "sampah menumpuk bau busuk di TPS"


def _fit(weight: float) -> ComplaintRouter:
    texts = [t for t, _, _ in corpus.ROWS] + [VERDICT]
    opd = [o for _, o, _ in corpus.ROWS] + ["DPUPR"]
    weights = np.r_[np.ones(len(corpus.ROWS)), weight]
    return ComplaintRouter(threshold_folds=2).fit(texts, opd, sample_weight=weights)


def _p(router: ComplaintRouter, opd: str) -> float:
    return float(router.predict_proba([PROBE])[0, list(router.classes_).index(opd)])


def test_a_heavier_row_pulls_the_heads_toward_its_label() -> None:
    light, heavy = _fit(1.0), _fit(20.0)
    assert _p(heavy, "DPUPR") > _p(light, "DPUPR") + 0.2
    assert heavy.predict([PROBE])[0] == "DPUPR"
    assert light.predict([PROBE])[0] != "DPUPR"


def test_sample_weight_of_the_wrong_length_or_sign_is_refused() -> None:
    texts = [t for t, _, _ in corpus.ROWS]
    opd = [o for _, o, _ in corpus.ROWS]
    with pytest.raises(ValueError, match="sample_weight has 3 values"):
        ComplaintRouter(threshold_folds=2).fit(texts, opd, sample_weight=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="sample_weight must be positive"):
        ComplaintRouter(threshold_folds=2).fit(texts, opd, sample_weight=np.zeros(len(texts)))


def _rows(items: list[tuple[str, str, str]]) -> Rows:
    return Rows([t for t, _, _ in items], [o for _, o, _ in items], None)


def test_the_weight_is_chosen_on_inner_folds_over_the_corrections() -> None:
    # Operators consistently file "kabel listrik" complaints under DISNAKERTRANS: only a
    # heavier weight lets a few corrections outvote the seed rows about roads.
    corrections = [
        (f"kabel listrik jalan poros putus berlubang nomor {i}", "DISNAKERTRANS", "")
        for i in range(MIN_ROWS_TO_CHOOSE + 3)
    ]
    seed = _rows(corpus.ROWS * 2)
    choice = choose_weight(ComplaintRouter(), seed, _rows(corrections))
    assert [s["weight"] for s in choice["scores"]] == list(WEIGHT_GRID)
    best = max(s["top1"] for s in choice["scores"])
    assert choice["weight"] == min(s["weight"] for s in choice["scores"] if s["top1"] == best)
    assert "inner folds" in choice["chosen_by"]
    assert choice["rows"] == len(corrections)


def test_too_few_corrections_keep_weight_one() -> None:
    few = _rows([("kabel listrik putus", "DPUPR", "")] * 3)
    choice = choose_weight(ComplaintRouter(), _rows(corpus.ROWS), few)
    assert choice["weight"] == 1.0 and choice["scores"] == []
    assert "too few" in choice["chosen_by"]


def _scores(n: int, best: float, right: bool) -> tuple[np.ndarray, list[str]]:
    proba = np.tile([best, 1 - best], (n, 1))
    return proba, ["A" if right else "B"] * n


CLASSES = np.array(["A", "B"])


def _data(parts: list[tuple[int, float, bool]]) -> tuple[np.ndarray, np.ndarray]:
    blocks = [_scores(n, best, right) for n, best, right in parts]
    return np.vstack([b[0] for b in blocks]), np.array([y for b in blocks for y in b[1]])


def test_verified_rows_keep_the_pair_from_trusting_seed_like_rows() -> None:
    # seed-like rows: right at 0.7; real rows at 0.7 are wrong, at 0.9 right
    seed, seed_y = _data([(200, 0.7, True), (200, 0.9, True)])
    real, real_y = _data([(10, 0.7, False), (10, 0.9, True)])
    proba, truth = np.vstack([seed, real]), np.r_[seed_y, real_y]
    verified = np.r_[np.zeros(len(seed), bool), np.ones(len(real), bool)]
    at = np.array([[0.7, 0.3], [0.9, 0.1]])
    blind = fit_thresholds(proba, truth, CLASSES, 0.95)
    # 10 wrong of 420 still look fine without the real rows: both kinds are auto-routed
    assert auto_routed(at, threshold=blind["threshold"], margin=blind["margin"]).tolist() == [
        True,
        True,
    ]
    fitted = fit_thresholds(proba, truth, CLASSES, 0.95, verified=verified)
    assert auto_routed(at, threshold=fitted["threshold"], margin=fitted["margin"]).tolist() == [
        False,
        True,
    ]
    assert fitted["verified"] == {"n": 20, "auto": 10, "precision": 1.0}
    quality = precision_coverage(real, real_y, CLASSES, fitted["threshold"], fitted["margin"])
    assert quality.precision == 1.0


def test_only_enough_real_verdicts_may_loosen_the_floor() -> None:
    floor = AutoPair(0.95, 0.3)
    seed, seed_y = _data([(300, 0.8, True), (50, 0.97, True)])
    # fewer than MIN_REAL_SUPPORT (50) verified auto-routings never loosen it, even all right
    # (30/30: Wilson lower bound 0.886 >= 0.85); 50/50 right (0.929) do
    for n_real, looser in ((5, False), (30, False), (49, False), (50, True)):
        real, real_y = _data([(n_real, 0.8, True)])
        proba, truth = np.vstack([seed, real]), np.r_[seed_y, real_y]
        verified = np.r_[np.zeros(len(seed), bool), np.ones(n_real, bool)]
        fitted = fit_thresholds(proba, truth, CLASSES, 0.95, verified=verified, floor=floor)
        pair = AutoPair(fitted["threshold"], fitted["margin"])
        assert pair.at_least_as_strict_as(floor) is not looser
        assert fitted["floor"] == {"threshold": 0.95, "margin": 0.3}
    assert fitted["threshold"] <= 0.8  # 50 real verdicts right at 0.8 support the looser pair
    # no real support and nothing at least as strict as the floor reaches the target: no auto
    unsupported = fit_thresholds(seed[:300], seed_y[:300], CLASSES, 0.95, floor=floor)
    assert unsupported["threshold"] == NEVER_AUTO
