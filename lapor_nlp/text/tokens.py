"""From one token of masked, lower-cased text to its feature tokens.

:class:`FeatureMaker` strings steps 3 to 7 together for a single token: repeated letters,
slang, protected words, stopwords, stemming. Feature tokens contain only word characters
(a hyphen becomes ``_``), so any downstream tokenizer keeps them whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lapor_nlp.text.mask import PLACEHOLDERS
from lapor_nlp.text.noise import squash_repeats
from lapor_nlp.text.slang import expand_reduplication
from lapor_nlp.text.stem import root_words, stem_word

__all__ = [
    "PLACEHOLDER_FEATURES",
    "SURFACE_TOKEN_RE",
    "TOKEN_RE",
    "FeatureMaker",
    "join_currency",
    "prepare_tokens",
]

PLACEHOLDER_FEATURES: dict[str, str] = {
    value.lower(): f"__{key.lower()}__" for key, value in PLACEHOLDERS.items()
}
"""Lower-cased placeholder (``[nik]``) -> feature token (``__nik__``)."""
PLACEHOLDER_FEATURES.update({f: f for f in list(PLACEHOLDER_FEATURES.values())})

_PLACEHOLDER_RE = re.compile("|".join(re.escape(p.lower()) for p in PLACEHOLDERS.values()))
# "2.500.000" (thousands dots, optional ",50"), never the head of a longer run of digits.
_NUMBER = r"[0-9]{1,3}(?:\.[0-9]{3})+(?![0-9]|\.[0-9])(?:,[0-9]{1,2}(?![0-9]))?"
# "Rp 2.500.000", "Rp.150.000", "rp50000": the currency and its amount are one token.
_AMOUNT = rf"(?:{_NUMBER}|[0-9]+(?![.,]?[0-9]))"
_MONEY = rf"\brp\.?\s*{_AMOUNT}|{_NUMBER}"
_MONEY_RE = re.compile(_MONEY)
_CURRENCY_GAP_RE = re.compile(rf"\b(rp\.?)\s+(?={_AMOUNT})", re.IGNORECASE)
TOKEN_RE = re.compile(rf"{_MONEY}|\w+(?:-\w+)*")
"""Tokens of :func:`prepare_tokens` text: amounts of money and thousands-separated numbers,
words, numbers, hyphenated words, ``__nik__``."""
SURFACE_TOKEN_RE = re.compile(rf"{_PLACEHOLDER_RE.pattern}|{TOKEN_RE.pattern}")
"""The same tokens on lower-cased masked text, placeholders (``[nik]``) kept as written."""


def join_currency(text: str) -> str:
    """Join "Rp 2.500.000" into "Rp2.500.000": whitespace-separated chunks keep an amount whole.

    Examples
    --------
    >>> join_currency("bayar Rp. 2.500.000 ke petugas")
    'bayar Rp.2.500.000 ke petugas'
    """
    if "p" not in text and "P" not in text:
        return text
    return _CURRENCY_GAP_RE.sub(r"\1", text)


def _placeholder_feature(match: re.Match[str]) -> str:
    return f" {PLACEHOLDER_FEATURES[match.group(0)]} "


def prepare_tokens(lowered: str) -> str:
    """Lower-cased masked text with placeholders (``[nik]``) turned into ``__nik__`` words."""
    if "[" in lowered:
        return _PLACEHOLDER_RE.sub(_placeholder_feature, lowered)
    return lowered


_TRIPLE_RE = re.compile(r"([a-z])\1\1")
TOKEN_MEMO_SIZE = 20_000
"""Tokens whose features one :class:`FeatureMaker` keeps (the dict empties itself when full)."""


class FeatureMaker:
    """Feature tokens of single tokens, for one configuration.

    Parameters
    ----------
    lexicon : mapping
        Slang lexicon (empty: no slang expansion).
    stopwords : frozenset of str
    protected : mapping
        Protected word -> feature token.
    stem_table : mapping
        Word -> stem answers known in advance (a fitted ``stem_table_``).
    stem : bool
        Whether to stem at all.
    cache_size : int
        Size of the process's Sastrawi LRU cache.
    learned : dict or None
        When given, every word that reaches the stemming step is recorded here with its stem.
    """

    def __init__(
        self,
        *,
        lexicon: Mapping[str, str],
        stopwords: frozenset[str],
        protected: Mapping[str, str],
        stem_table: Mapping[str, str],
        stem: bool,
        cache_size: int,
        learned: dict[str, str] | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.stopwords = stopwords
        self.protected = protected
        self.stem_table = stem_table
        self.stem = stem
        self.cache_size = cache_size
        self.learned = learned
        self.novel = False
        """Whether the last :meth:`chunk_features` call met a word outside every word list."""
        self._tokens: dict[str, tuple[str, bool]] = {}

    def __contains__(self, word: object) -> bool:
        """Whether ``word`` is known (used to choose how to squash repeated letters)."""
        return isinstance(word, str) and (
            word in self.lexicon
            or word in self.protected
            or word in self.stopwords
            or word in root_words()
        )

    def chunk_features(self, chunk: str) -> str:
        """Feature tokens of one whitespace-separated chunk of masked text (any case).

        Tokens never span whitespace, so the features of a text are the features of its
        chunks in order; memoising chunks makes punctuation and case free on the hot path.

        Examples
        --------
        >>> maker = FeatureMaker(lexicon={}, stopwords=frozenset(), protected={},
        ...                      stem_table={}, stem=True, cache_size=100)
        >>> maker.chunk_features("Perbaikan/PENGADUAN,"), maker.chunk_features("[NIK].")
        ('baik adu', '__nik__')
        """
        self.novel = False
        tokens = TOKEN_RE.findall(prepare_tokens(chunk.lower()))
        if len(tokens) == 1:
            return self._token_features(tokens[0])
        return " ".join(f for f in map(self._token_features, tokens) if f)

    def _token_features(self, token: str) -> str:
        """:meth:`features` memoised: chunks differing in case or punctuation share tokens."""
        known = self._tokens.get(token)
        if known is not None:
            self.novel |= known[1]
            return known[0]
        novel, self.novel = self.novel, False
        features = self.features(token)
        if len(self._tokens) >= TOKEN_MEMO_SIZE:
            self._tokens.clear()
        self._tokens[token] = (features, self.novel)
        self.novel |= novel
        return features

    def features(self, token: str) -> str:
        """Space-separated feature tokens of one token ("" when nothing is left).

        Examples
        --------
        >>> maker = FeatureMaker(lexicon={"gak": "tidak"}, stopwords=frozenset({"yang"}),
        ...                      protected={"pdam": "pdam"}, stem_table={}, stem=True,
        ...                      cache_size=100)
        >>> [maker.features(t) for t in ["gak", "yang", "pdam", "perbaikan", "__nik__", "12"]]
        ['tidak', '', 'pdam', 'baik', '__nik__', '12']
        """
        placeholder = PLACEHOLDER_FEATURES.get(token)
        if placeholder is not None:
            return placeholder
        if (token[:1].isdigit() or token[:2] == "rp") and _MONEY_RE.fullmatch(token):
            return self._amount(token)
        if "_" in token:
            token = token.strip("_")
            if not token:
                return ""
        word = squash_repeats(token, self) if _TRIPLE_RE.search(token) else token
        protected = self.protected.get(word)
        if protected is not None:
            return protected.replace("-", "_")
        expanded = self.lexicon.get(word)
        if expanded is None:
            redup = expand_reduplication(word) if self.lexicon and "2" in word else None
            expanded = redup or word
        if " " not in expanded:
            return self._word(expanded)
        return " ".join(f for f in map(self._word, expanded.split(" ")) if f)

    def _amount(self, token: str) -> str:
        """One feature for an amount: "rp" for money (the currency is the signal, not the
        sum), the digits without separators for a number ("2.500.000" -> "2500000")."""
        if token[:2] == "rp":
            return self.features("rp")
        return token.split(",")[0].replace(".", "")

    def _word(self, word: str) -> str:
        """Feature token(s) of one standard-form word."""
        protected = self.protected.get(word)
        if protected is not None:
            return protected.replace("-", "_")
        if word in self.stopwords:
            return ""
        if not self.stem:
            return word.replace("-", "_")
        stem = self.stem_table.get(word)
        if stem is None:
            stem = stem_word(word, self.cache_size)
            if word not in root_words():
                self.novel = True
            if self.learned is not None:
                self.learned[word] = stem
        if "-" not in stem:
            return stem
        # Sastrawi keeps a hyphenated word whole when its halves have different roots.
        parts = [self._word(part) for part in stem.split("-") if part and part != word]
        return " ".join(p for p in parts if p)
