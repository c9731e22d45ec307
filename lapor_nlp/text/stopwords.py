"""Step 5: stopwords.

The default list is Sastrawi's stopword list minus the words kept as features
(``data/stopwords_keep.txt``: negations such as *tidak*, *belum*, *bukan*, *jangan*, *tak*,
*kurang*, and words that carry routing meaning) plus the project's own additions
(``data/stopwords_extra.txt``: particles, greetings, forms of address).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache

from lapor_nlp.text._data import DATA_DIR, read_lines

__all__ = ["default_stopwords", "load_stopwords"]

StopwordSource = str | os.PathLike[str] | Iterable[str] | None


@lru_cache(maxsize=1)
def default_stopwords() -> frozenset[str]:
    """The shipped stopword list (read on first call).

    Examples
    --------
    >>> "yang" in default_stopwords(), "tidak" in default_stopwords()
    (True, False)
    """
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    base = set(StopWordRemoverFactory().get_stop_words())
    base -= set(read_lines(DATA_DIR / "stopwords_keep.txt"))
    base |= set(read_lines(DATA_DIR / "stopwords_extra.txt"))
    return frozenset(base)


def load_stopwords(source: StopwordSource = None) -> frozenset[str]:
    """Resolve a stopword source to a set of lower-case words.

    Parameters
    ----------
    source : None, path or iterable of str
        None for the shipped list; a path (``str`` or ``os.PathLike``) to a UTF-8 file with
        one word per line (``#`` comments allowed); or the words themselves.

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> sorted(load_stopwords(["Yang", " di "]))
    ['di', 'yang']
    """
    if source is None:
        return default_stopwords()
    if isinstance(source, str | os.PathLike):
        from pathlib import Path

        words: Iterable[str] = read_lines(Path(source))
    else:
        words = source
    return frozenset(w.strip().lower() for w in words if w.strip())
