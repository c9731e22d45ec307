"""What a candidate report says of the promise when its model is promoted: real verdicts
decide once there are enough of them, else the held-out rows."""

from __future__ import annotations

from typing import Any

from lapor_nlp.model.decision import MIN_REAL_SUPPORT
from lapor_nlp.service.guard import candidate_met_target

TARGET = 0.95


def report(heldout: float | None, auto: int, correct: int) -> dict[str, Any]:
    score = {"auto": auto, "correct": correct, "precision": None, "top1": 0.0}
    return {"candidate": {"auto_precision": heldout}, "verified": {"n": 500, "candidate": score}}


def test_enough_real_verdicts_below_the_target_outweigh_the_heldout_rows() -> None:
    evidence = candidate_met_target(report(0.99, MIN_REAL_SUPPORT, MIN_REAL_SUPPORT - 3), TARGET)
    assert evidence is not None and evidence.on_real and not evidence.met


def test_enough_real_verdicts_at_the_target_meet_it_even_when_heldout_rows_do_not() -> None:
    evidence = candidate_met_target(report(0.90, 100, 97), TARGET)
    assert evidence is not None and evidence.on_real and evidence.met


def test_the_target_itself_is_enough_on_real_verdicts() -> None:
    at = candidate_met_target(report(0.99, 60, 57), TARGET)  # 0.95
    below = candidate_met_target(report(0.99, 60, 56), TARGET)  # 0.933
    assert at is not None and at.on_real and at.met
    assert below is not None and below.on_real and not below.met


def test_too_few_real_verdicts_leave_the_heldout_figure() -> None:
    few = candidate_met_target(report(0.97, MIN_REAL_SUPPORT - 1, 0), TARGET)
    assert few is not None and not few.on_real and few.met
    low = candidate_met_target(report(0.90, 10, 10), TARGET)
    assert low is not None and not low.on_real and not low.met
    old_report = candidate_met_target({"candidate": {"auto_precision": 0.96}}, TARGET)
    assert old_report is not None and old_report.met and not old_report.on_real


def test_no_report_or_no_figure_says_nothing() -> None:
    assert candidate_met_target(None, TARGET) is None
    assert candidate_met_target({"candidate": {"auto_precision": None}}, TARGET) is None
