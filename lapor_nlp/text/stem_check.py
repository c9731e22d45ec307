"""Checking the project's stemming against plain PySastrawi on real words.

:func:`lapor_nlp.text.stem.stem_word` answers many words without Sastrawi and runs the rest
through :class:`lapor_nlp.text.sastrawi_fast.FastStemmer`; both promise Sastrawi's own
answer. :func:`stem_mismatches` checks that promise word by word against an untouched
``Sastrawi.Stemmer.Stemmer.Stemmer`` built from the dictionary ``StemmerFactory`` reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["TABLE_EXPORTS", "Mismatch", "export_words", "plain_sastrawi", "stem_mismatches"]

WORD_RE = re.compile(r"[a-z]+(?:-[a-z]+)*")
"""Words as the stemmer receives them: lower-case letters, hyphenated reduplications."""

# CSV exports (file under the shared data folder, separator, text column); Surabaya and
# Kab. Bandung come through their loaders. The reserved acceptance export is never read.
TABLE_EXPORTS: tuple[tuple[Path, str, str], ...] = (
    (Path("purbalingga-lapormasbup-2025") / "dataset_cleaned.csv", ",", "text"),
    (Path("laporgub-jateng-2024-2025") / "prep_2024_2025.csv", ";", "complaints"),
)


@dataclass(frozen=True)
class Mismatch:
    """A word the project stems differently from PySastrawi."""

    word: str
    ours: str
    sastrawi: str


def export_words(data_dir: Path | None = None) -> list[str]:
    """Every distinct word (``WORD_RE``) of the lower-cased texts of the real exports.

    Raises :class:`lapor_nlp.errors.SharedDataUnavailableError` when a file is missing.
    """
    import pandas as pd

    from lapor_nlp.data.real import raw_bandung_agency, raw_surabaya_agency, shared_file

    texts: list[object] = []
    for raw in (raw_surabaya_agency, raw_bandung_agency):
        texts += raw(data_dir)[0]
    for relative, sep, column in TABLE_EXPORTS:
        frame = pd.read_csv(shared_file(relative, data_dir), sep=sep, dtype=str)
        texts += frame[column].tolist()
    words: set[str] = set()
    for text in texts:
        if isinstance(text, str):
            words.update(WORD_RE.findall(text.lower()))
    return sorted(words)


def plain_sastrawi() -> Any:
    """An uncached, unmodified PySastrawi stemmer with its default dictionary."""
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return Stemmer(ArrayDictionary(StemmerFactory().get_words()))


def stem_mismatches(words: Iterable[str]) -> list[Mismatch]:
    """Words where ``stem_word`` or ``FastStemmer.stem_word`` differ from PySastrawi.

    Examples
    --------
    >>> stem_mismatches(["perbaikannya", "anak-anak", "sukomanunggalan"])
    []
    """
    from lapor_nlp.text.stem import _sastrawi, stem_word

    reference = plain_sastrawi()
    fast = _sastrawi()
    found: list[Mismatch] = []
    for word in words:
        expected: str = reference.stem_word(word)
        for ours in (stem_word(word, cache_size=0), fast.stem_word(word)):
            if ours != expected:
                found.append(Mismatch(word, ours, expected))
                break
    return found
