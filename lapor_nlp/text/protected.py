"""Step 6: protected tokens, never handed to the stemmer.

Place names of Kalimantan Timur and agency or service acronyms are routing signals, and
Sastrawi over-stems some of them (*penajam* -> *najam*, *kutai* -> *kuta*, *bekasi* -> *bekas*)
or ordinary words (*berikan* -> *ikan*, *relawan* -> *rawan*, *perbankan* -> *perban*).
The shipped list (``data/protected.txt``) maps each protected word to its feature token:
itself, or a corrected stem.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from lapor_nlp.text._data import DATA_DIR, read_lines

__all__ = ["default_protected", "load_protected"]

ProtectedSource = str | os.PathLike[str] | Iterable[str] | Mapping[str, str] | None


def _parse(lines: Iterable[str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in lines:
        if "\t" in line:
            word, stem = line.split("\t", 1)
            table[word.strip().lower()] = stem.strip().lower()
            continue
        for word in line.lower().split():
            table[word] = word
    return table


@lru_cache(maxsize=1)
def default_protected() -> Mapping[str, str]:
    """The shipped protected words, word -> feature token (read on first call).

    Examples
    --------
    >>> default_protected()["penajam"], default_protected()["berikan"]
    ('penajam', 'beri')
    """
    return MappingProxyType(_parse(read_lines(DATA_DIR / "protected.txt")))


def load_protected(source: ProtectedSource = None) -> dict[str, str]:
    """Resolve a protected-word source to a ``word -> feature token`` dict.

    Parameters
    ----------
    source : None, path, iterable of str or mapping
        None for the shipped list; a path to a file in the format of ``data/protected.txt``;
        words (each kept as it is, ``"word<TAB>stem"`` forces a stem); or a mapping.

    Examples
    --------
    >>> load_protected(["Loa Janan", "perbankan\\tbank"])
    {'loa': 'loa', 'janan': 'janan', 'perbankan': 'bank'}
    """
    if source is None:
        return dict(default_protected())
    if isinstance(source, Mapping):
        return {str(k).lower(): str(v).lower() for k, v in source.items()}
    if isinstance(source, str | os.PathLike):
        return _parse(read_lines(Path(source)))
    return _parse(source)
