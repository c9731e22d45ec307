"""Slices of the evaluation data: short vs long texts, with vs without slang.

A model can look good overall and fail on the short, slang-heavy messages that arrive through
chat channels; slice metrics make that visible.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from lapor_nlp.text.slang import slang_ratio

SHORT_TEXT_WORDS = 20
SLANG_RATIO = 0.05


def word_count(text: str) -> int:
    """Whitespace-separated words."""
    return len(text.split())


def slice_masks(
    texts: Sequence[str], *, ratio: Callable[[str], float] = slang_ratio
) -> dict[str, np.ndarray]:
    """Boolean masks per slice name.

    ``short``: fewer than 20 words; ``long``: 20 or more; ``slang``: ``slang_ratio >= 0.05``;
    ``no slang``: the rest.
    """
    words = np.array([word_count(t) for t in texts], dtype=int)
    slang = np.array([ratio(t) >= SLANG_RATIO for t in texts], dtype=bool)
    short = words < SHORT_TEXT_WORDS
    return {
        f"short (<{SHORT_TEXT_WORDS} words)": short,
        f"long (>={SHORT_TEXT_WORDS} words)": ~short,
        f"slang (ratio >={SLANG_RATIO:g})": slang,
        "no slang": ~slang,
    }
