"""Step 4: slang, abbreviations and regional words to standard Indonesian.

The lexicon (``data/slang.tsv``) is written for this project: chat abbreviations
(*yg*, *gak*, *udh*, *tlg*), colloquial verbs (*benerin* -> *benarkan*), Banjar and Kutai
words of Kalimantan Timur (*kada*, *pian*, *ulun*), Javanese and Sundanese words
(*ora*, *durung*, *teu*). Reduplication written with a 2 (*jalan2*) is expanded by rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from lapor_nlp.text._data import DATA_DIR, read_lines

__all__ = ["expand_reduplication", "load_lexicon", "normalize_slang", "slang_ratio"]

_REDUP_RE = re.compile(r"([a-z]{2,})2(nya|an|kan|lah|pun)?")
_WORD_RE = re.compile(r"[^\W\d_]+(?:-?[^\W_]+)*")


@lru_cache(maxsize=1)
def load_lexicon() -> Mapping[str, str]:
    """The shipped lexicon, written form -> standard form (read on first call).

    Raises
    ------
    ValueError
        When an entry is malformed or maps a word to itself.

    Examples
    --------
    >>> load_lexicon()["yg"], load_lexicon()["benerin"]
    ('yang', 'benarkan')
    """
    table: dict[str, str] = {}
    for line in read_lines(DATA_DIR / "slang.tsv"):
        key, sep, value = line.partition("\t")
        key, value = key.strip(), " ".join(value.split())
        if not sep or not key or not value or key == value:
            raise ValueError(f"bad slang lexicon entry: {line!r}")
        table[key] = value
    return MappingProxyType(table)


def expand_reduplication(word: str) -> str | None:
    """``jalan2`` -> ``jalan-jalan``, ``anak2nya`` -> ``anak-anaknya``; None if not that form.

    Examples
    --------
    >>> expand_reduplication("jalan2"), expand_reduplication("covid19")
    ('jalan-jalan', None)
    """
    match = _REDUP_RE.fullmatch(word)
    if match is None:
        return None
    base, suffix = match.group(1), match.group(2) or ""
    return f"{base}-{base}{suffix}"


def normalize_slang(word: str, lexicon: Mapping[str, str] | None = None) -> str:
    """Standard form of one lower-case word (may be several words), or the word itself.

    Examples
    --------
    >>> normalize_slang("gak"), normalize_slang("dll"), normalize_slang("lampu2")
    ('tidak', 'dan lain lain', 'lampu-lampu')
    """
    table = load_lexicon() if lexicon is None else lexicon
    found = table.get(word)
    if found is not None:
        return found
    return expand_reduplication(word) or word


def slang_ratio(text: str) -> float:
    """Share of word tokens of ``text`` that are lexicon entries or ``word2`` reduplications.

    Returns 0.0 for text without words.

    Examples
    --------
    >>> slang_ratio("Jln rusak gak diperbaiki")
    0.5
    >>> slang_ratio("")
    0.0
    """
    words = _WORD_RE.findall(text.lower())
    if not words:
        return 0.0
    table = load_lexicon()
    hits = sum(1 for w in words if w in table or _REDUP_RE.fullmatch(w) is not None)
    return hits / len(words)
