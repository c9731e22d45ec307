"""Step 7: Sastrawi stemming, one stemmer per process behind a bounded LRU cache.

PySastrawi's ``StemmerFactory`` wraps its stemmer in a cache that is an unbounded dict, so a
stream of never-seen tokens (typos, names, codes) grows memory without limit. Here the stemmer
(Sastrawi's rules run by :class:`lapor_nlp.text.sastrawi_fast.FastStemmer`, same answers) is
created lazily on first use and wrapped in a ``functools.lru_cache`` of at most
``cache_size`` words (default :data:`DEFAULT_CACHE_SIZE`; ``TextPreprocessor(stem_cache_size=...)``
sets it). Words found in Sastrawi's root dictionary, numbers and words with characters Sastrawi
would drop are answered without calling it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import _lru_cache_wrapper, lru_cache
from typing import Any

__all__ = ["DEFAULT_CACHE_SIZE", "get_stem_cache", "root_words", "sastrawi_may_change", "stem_word"]

DEFAULT_CACHE_SIZE = 200_000
_STEMMABLE_RE = re.compile(r"[a-z]{4,}|[a-z]+(?:-[a-z]+)+")
# Words Sastrawi cannot change: no prefix it knows (di-, ke-, se-, be-, me-, pe-, te-, ku-,
# kau-, or a consonant + er/el/em/in + vowel infix) and a last letter no suffix it knows ends
# in (-i, -an, -kan, -is, -isme, -isasi, -lah, -kah, -tah, -pun, -ku, -mu, -nya).
# Sastrawi only ever returns the word itself or a root-dictionary word reached by removing
# affixes, so these come back unchanged without running its rules.
_NO_AFFIX_RE = re.compile(
    r"(?!di|ke|se|be|me|pe|te|ku|kau|[b-df-hj-np-tv-z](?:er|el|em|in)[aeiou])[a-z]*[^iaeuhns]"
)
_lock = threading.Lock()
_stemmer: Any = None
_root_words: frozenset[str] | None = None
_cache: _lru_cache_wrapper[str] | None = None
_cache_size = -1


def root_words() -> frozenset[str]:
    """Sastrawi's root-word dictionary (read once per process, on first call).

    Examples
    --------
    >>> "jalan" in root_words(), "jalanan" in root_words()
    (True, False)
    """
    global _root_words
    if _root_words is None:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        words = StemmerFactory().get_words()
        _root_words = frozenset(w for w in words if w and not w.isspace())
    return _root_words


_PREFIXES = (
    "di", "ke", "se", "ku", "kau", "be", "ber", "bel", "te", "ter", "tel", "me", "mem", "men",
    "meng", "menge", "meny", "pe", "pem", "pen", "peng", "penge", "peny", "per", "pel",
)  # fmt: skip
# Letters a removed prefix may leave in front of the rest (menyapu -> sapu, memukul -> pukul).
_RECODED = {
    "meny": "s", "peny": "s", "mem": "pm", "pem": "pm", "men": "tn", "pen": "tn",
    "meng": "k", "peng": "k", "ber": "r", "ter": "r", "per": "r",
}  # fmt: skip
_SUFFIXES = frozenset(
    a + b + c
    for a in ("", "i", "kan", "an", "is", "isme", "isasi")
    for b in ("", "ku", "mu", "nya")
    for c in ("", "lah", "kah", "tah", "pun")
)
_MAX_SUFFIX = max(map(len, _SUFFIXES))
_INFIXES = ("er", "el", "em", "in")
_root_tails: frozenset[str] | None = None


def _tails() -> frozenset[str]:
    """Root words and root words without their first one or two letters."""
    global _root_tails
    if _root_tails is None:
        _root_tails = frozenset(r[k:] for r in root_words() for k in (0, 1, 2) if r[k:])
    return _root_tails


def _remainders(word: str) -> set[str]:
    """What may be left of ``word`` after Sastrawi removes up to three prefixes or an infix."""
    found = {word}
    todo = [(word, 0)]
    while todo:
        rest, depth = todo.pop()
        candidates: list[str] = []
        if len(rest) > 3 and rest[1:3] in _INFIXES:
            candidates.append(rest[0] + rest[3:])
        if depth < 3:
            for prefix in _PREFIXES:
                if rest.startswith(prefix) and len(rest) > len(prefix):
                    tail = rest[len(prefix) :]
                    candidates.append(tail)
                    candidates += [c + tail for c in _RECODED.get(prefix, "")]
        for candidate in candidates:
            if candidate not in found:
                found.add(candidate)
                todo.append((candidate, depth + 1))
    return found


def sastrawi_may_change(word: str) -> bool:
    """False when no split into prefixes, a root and suffixes exists, so Sastrawi keeps ``word``.

    Sastrawi returns either the word itself or a root-dictionary word left after removing
    prefixes (possibly re-coding the first letter), an infix and suffixes. This checks every
    such split against the dictionary; it is a filter, a little wider than Sastrawi's rules.

    Examples
    --------
    >>> sastrawi_may_change("menyapukan"), sastrawi_may_change("sukomanunggalan")
    (True, False)
    """
    tails = _tails()
    for rest in _remainders(word):
        n = len(rest)
        for end in range(n - 1, max(0, n - _MAX_SUFFIX) - 1, -1):
            if rest[end:] in _SUFFIXES and rest[:end] in tails:
                return True
        if rest in tails:
            return True
    return False


def _sastrawi() -> Any:
    """The process's uncached Sastrawi stemmer (its rules run by ``FastStemmer``), created on
    first call."""
    global _stemmer
    if _stemmer is None:
        with _lock:
            if _stemmer is None:
                from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary

                from lapor_nlp.text.sastrawi_fast import FastStemmer

                _stemmer = FastStemmer(ArrayDictionary(sorted(root_words())))
    return _stemmer


def _stem_with_sastrawi(word: str) -> str:
    result: str = _sastrawi().stem_word(word)
    return result


def get_stem_cache(maxsize: int = DEFAULT_CACHE_SIZE) -> Callable[[str], str]:
    """The process's LRU-cached Sastrawi ``stem_word``, holding at most ``maxsize`` words.

    Asking for another size replaces the cache (the stemmer itself is kept). The returned
    function has ``cache_info()`` and ``cache_clear()``.

    Examples
    --------
    >>> get_stem_cache(1000)("perbaikan")
    'baik'
    """
    global _cache, _cache_size
    if _cache is None or _cache_size != maxsize:
        with _lock:
            if _cache is None or _cache_size != maxsize:
                _cache = lru_cache(maxsize=maxsize)(_stem_with_sastrawi)
                _cache_size = maxsize
    return _cache


def stem_word(word: str, cache_size: int = DEFAULT_CACHE_SIZE) -> str:
    """Stem one normalised (lower-case) word.

    Root words, words shorter than four letters, words with digits or characters other than
    ``a-z`` and ``-``, and words without any affix Sastrawi knows come back as they are
    (Sastrawi would return them unchanged too); other words go through the bounded cache.

    Examples
    --------
    >>> stem_word("pelayanan"), stem_word("jalan"), stem_word("2024"), stem_word("anak-anak")
    ('layan', 'jalan', '2024', 'anak')
    """
    if _STEMMABLE_RE.fullmatch(word) is None:
        return word
    if "-" in word:  # Sastrawi's reduplication path
        return get_stem_cache(cache_size)(word)
    if word in root_words():
        return word
    if _NO_AFFIX_RE.fullmatch(word) is not None or (
        "-" not in word and not sastrawi_may_change(word)
    ):
        return word
    return get_stem_cache(cache_size)(word)
