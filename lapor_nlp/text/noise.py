"""Step 3: noise typical of typed complaints.

Letters held down (``bangeeet``), repeated punctuation (``!!!``) and emoji.
"""

from __future__ import annotations

import re
from collections.abc import Container

__all__ = ["remove_emoji", "squash_punctuation", "squash_repeats"]

_REPEAT_RE = re.compile(r"([a-z])\1{2,}")
_DOUBLE_RE = re.compile(r"([a-z])\1+")
_PUNCT_RE = re.compile(r"([!?.,;:\-_~*=+#/\\])\1+")
_EMOJI_RE = re.compile(
    "["
    "\U0001f000-\U0001faff"  # emoticons, pictographs, transport, symbols, flags
    "\U00002600-\U000027bf"  # miscellaneous symbols and dingbats
    "\U00002b00-\U00002bff"  # arrows and stars used as emoji
    "\U0000fe00-\U0000fe0f"  # variation selectors
    "\U0000200d"  # zero-width joiner inside emoji sequences
    "\U000020e3"  # combining keycap
    "\U000e0020-\U000e007f"  # tag characters (subdivision flags)
    "]+"
)


def squash_repeats(word: str, known: Container[str] = ()) -> str:
    """Collapse a letter repeated three or more times.

    The run becomes one letter, or two when only that spelling is a known word
    (``maaaaf`` -> ``maaf`` when ``maaf`` is in ``known``). Digits are never touched.

    Examples
    --------
    >>> squash_repeats("bangeeet")
    'banget'
    >>> squash_repeats("maaaaf", known={"maaf"})
    'maaf'
    >>> squash_repeats("1000000")
    '1000000'
    """
    if _REPEAT_RE.search(word) is None:
        return word
    single = _REPEAT_RE.sub(r"\1", word)
    if single in known:
        return single
    double = _REPEAT_RE.sub(r"\1\1", word)
    if double in known:
        return double
    all_single = _DOUBLE_RE.sub(r"\1", word)
    if all_single in known:
        return all_single
    return single


def squash_punctuation(text: str) -> str:
    """Collapse repeated punctuation marks to one.

    Examples
    --------
    >>> squash_punctuation("kapan diperbaiki???!!! ...")
    'kapan diperbaiki?! .'
    """
    return _PUNCT_RE.sub(r"\1", text)


def remove_emoji(text: str) -> str:
    """Replace each run of emoji by a space.

    Examples
    --------
    >>> remove_emoji("jalan rusak😡😡parah")
    'jalan rusak parah'
    """
    if text.isascii():
        return text
    return _EMOJI_RE.sub(" ", text)
