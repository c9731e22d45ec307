"""The Wilson score interval of a proportion: honest bounds for small samples.

The live precision of ``auto`` is measured on a few dozen audits; the normal approximation
would give bounds above 1 or a zero-width interval at 50/50 correct, Wilson's does not.
"""

from __future__ import annotations

import math

Z_95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Lower and upper bound of the Wilson score interval (``(0.0, 1.0)`` when ``n`` is 0).

    Parameters
    ----------
    successes : int
        Correct outcomes, ``0 <= successes <= n``.
    n : int
        Trials.
    z : float
        Standard normal quantile; the default gives a two-sided 95% interval.

    Examples
    --------
    >>> low, high = wilson_interval(48, 50)
    >>> round(low, 3), round(high, 3)
    (0.865, 0.989)
    """
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got successes={successes}, n={n}")
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def wilson_lower_bound(successes: int, n: int, z: float = Z_95) -> float:
    """The lower end of :func:`wilson_interval`: what the precision is at least, at 95%."""
    return wilson_interval(successes, n, z)[0]
