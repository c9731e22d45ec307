"""The Wilson score interval: its bounds solve the score equation, and it behaves at the edges."""

from __future__ import annotations

import math

import pytest

from lapor_nlp.evaluation.wilson import Z_95, wilson_interval, wilson_lower_bound


@pytest.mark.parametrize(("successes", "n"), [(48, 50), (1, 10), (97, 100), (30, 31), (5, 9)])
def test_bounds_solve_the_score_equation(successes: int, n: int) -> None:
    # Wilson's bounds are the p with |p_hat - p| = z * sqrt(p (1 - p) / n).
    p_hat = successes / n
    for p in wilson_interval(successes, n):
        assert abs(p_hat - p) == pytest.approx(Z_95 * math.sqrt(p * (1 - p) / n), abs=1e-9)


def test_edges_and_monotonicity() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    low, high = wilson_interval(50, 50)
    assert high == 1.0 and 0.92 < low < 0.93
    assert wilson_interval(0, 20)[0] == 0.0
    # More evidence of the same precision gives a higher lower bound.
    assert wilson_lower_bound(19, 20) < wilson_lower_bound(95, 100) < wilson_lower_bound(950, 1000)


def test_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError, match="successes=6, n=5"):
        wilson_interval(6, 5)
