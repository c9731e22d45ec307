"""The guard's rules on small inline verdict lists: what counts as right, when the promise
holds, the stricter rule a re-fit finds, and when only ``off`` is left."""

from __future__ import annotations

from lapor_nlp.model.decision import AutoPair
from lapor_nlp.service.guard_rules import (
    GuardConfig,
    evaluate,
    holds,
    is_right,
    live_precision,
    refit,
)
from lapor_nlp.store.guard import JudgedPrediction

CONFIG = GuardConfig(target=0.95, tolerance=0.10, min_audits=20)
BASE = AutoPair(threshold=0.5, margin=0.0)


def judged(
    confidence: float, right: bool, *, audit: bool = True, opd: str = "DPUPR", margin: float = 0.3
) -> JudgedPrediction:
    return JudgedPrediction(
        top_opd=opd,
        confidence=confidence,
        margin=margin,
        audit=audit,
        decision="auto",
        verdict="accept" if right else "correct",
        verdict_opd=opd if right else "DISHUB",
    )


def test_only_the_top_opd_confirmed_counts_as_right() -> None:
    assert is_right(judged(0.9, True))
    assert not is_right(judged(0.9, False))
    for verdict in ("not_authority", "incomplete"):
        for sent_opd in (None, "DPUPR"):  # an OPD sent with it is no label
            item = JudgedPrediction("DPUPR", 0.9, 0.3, True, "auto", verdict, sent_opd)
            assert not is_right(item)
    relabelled_same = JudgedPrediction("DPUPR", 0.9, 0.3, True, "auto", "correct", "DPUPR")
    assert is_right(relabelled_same)


def test_live_precision_counts_audits_the_rule_admits_per_opd() -> None:
    items = [
        judged(0.9, True),
        judged(0.8, False, opd="DINKES"),
        judged(0.9, True, audit=False),  # an operator's pick, not a random audit
        judged(0.4, False),  # below the rule
    ]
    live = live_precision(items, BASE)
    assert (live.overall.audited, live.overall.correct) == (2, 1)
    assert live.per_opd["DPUPR"].precision == 1.0 and live.per_opd["DINKES"].precision == 0.0
    assert live.overall.lower_bound is not None and live.overall.lower_bound < 0.5


def test_holds_needs_the_point_estimate_and_the_lower_bound() -> None:
    from lapor_nlp.service.guard_rules import Precision

    assert holds(Precision(50, 49), CONFIG)
    assert not holds(Precision(50, 47), CONFIG)  # 0.94 < target
    assert not holds(Precision(20, 19), CONFIG)  # 0.95, but lower bound 0.76 < 0.85
    assert not holds(Precision(0, 0), CONFIG)


def test_nothing_happens_before_the_minimum_of_audits() -> None:
    items = [judged(0.9, False)] * (CONFIG.min_audits - 1)
    assert evaluate("on", items, config=CONFIG, base=BASE, current=BASE) is None


def test_a_drop_at_low_confidence_tightens_to_a_stricter_rule() -> None:
    # 30 right above 0.8; 10 wrong at 0.55-0.65; precision 0.75 under the base rule.
    items = [judged(0.8 + i / 200, True) for i in range(30)]
    items += [judged(0.55 + i / 100, False) for i in range(10)]
    change = evaluate("on", items, config=CONFIG, base=BASE, current=BASE)
    assert change is not None and change.state == "tightened" and change.rule is not None
    assert 0.6 < change.rule.threshold <= 0.8  # the most coverage that keeps the target
    assert "30/40" in change.reason
    after = live_precision(items, change.rule).overall
    assert after.correct == 30 and (after.precision or 0) >= CONFIG.target


def test_confident_mistakes_leave_only_off() -> None:
    items = [judged(0.9, i % 4 != 0) for i in range(40)]
    change = evaluate("on", items, config=CONFIG, base=BASE, current=BASE)
    assert change is not None and change.state == "off" and change.rule is None
    assert "no stricter threshold" in change.reason


def test_shadow_releases_when_the_promise_holds_and_on_stays() -> None:
    items = [judged(0.9, True) for _ in range(30)]
    change = evaluate("shadow", items, config=CONFIG, base=BASE, current=BASE)
    assert change is not None and change.state == "on" and "shadow released" in change.reason
    assert evaluate("on", items, config=CONFIG, base=BASE, current=BASE) is None


def test_off_waits_for_a_maintainer() -> None:
    items = [judged(0.9, True) for _ in range(60)]
    assert evaluate("off", items, config=CONFIG, base=BASE, current=BASE) is None


def test_refit_never_loosens_the_rule_in_force() -> None:
    items = [judged(0.6 + i / 200, True) for i in range(60)]
    fitted = refit(items, CONFIG, floor=AutoPair(0.75, 0.1))
    assert fitted is not None
    rule, precision = fitted
    assert rule.threshold >= 0.75 and rule.margin >= 0.1 and precision.precision == 1.0
