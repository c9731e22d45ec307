"""The structured fields of a complaint as one sparse block: place words and the channel.

Address words (letters only: house numbers and RT/RW numbers never become columns), the
kecamatan and kelurahan as whole names, and the channel become prefixed tokens, weighted by
TF-IDF (sublinear tf, l2 norm) like the text blocks; the heads learn how much each counts.
A row without fields is an empty row of the block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from lapor_nlp.data.fields import ComplaintFields
from lapor_nlp.loading import DefaultsOnLoad
from lapor_nlp.model.tfidf import WordNgramTfidf

FieldRows = Sequence[ComplaintFields | None]

_WORD_RE = re.compile(r"[^\W\d_]+")
_PLACEHOLDER_RE = re.compile(r"\[[A-Z]+\]")
# Words of an address that name no place: numbering, and the masked placeholders' words.
_FILLER = frozenset({"rt", "rw", "no", "nomor", "nmr", "blok", "kav", "lt", "lantai"})
_SPELLINGS = {"jl": "jalan", "jln": "jalan", "gg": "gang", "kec": "kecamatan", "kel": "kelurahan"}
_AREA_PREFIX = re.compile(r"^(?:kecamatan|kelurahan|desa|kec|kel|ds) ")


def place_words(text: str | None) -> list[str]:
    """The place words of an address: lower case, letters only, common abbreviations spelled
    out, numbering words dropped.

    >>> place_words("Jl. Sememi Jaya 5 No.12 RT 02 RW 01, [TELEPON]")
    ['jalan', 'sememi', 'jaya']
    """
    cleaned = _PLACEHOLDER_RE.sub(" ", text or "").casefold()
    words = (_SPELLINGS.get(w, w) for w in _WORD_RE.findall(cleaned))
    return [w for w in words if len(w) > 1 and w not in _FILLER]


def area_name(text: str | None) -> str:
    """A kecamatan or kelurahan name as one token: ``"Kec. Pucang Sewu"`` -> ``pucang_sewu``."""
    name = " ".join(_WORD_RE.findall((text or "").casefold()))
    return _AREA_PREFIX.sub("", name).replace(" ", "_")


def field_tokens(row: ComplaintFields | None) -> str:
    """One row's fields as a document of prefixed tokens (address words and word pairs,
    ``kec:``, ``kel:``, ``channel:``)."""
    if row is None:
        return ""
    row = row.masked()  # an e-mail in an address would otherwise give name words
    words = place_words(row.address)
    tokens = [f"a:{w}" for w in words]
    tokens += [f"a:{a}_{b}" for a, b in pairwise(words)]
    for prefix, value in (("kec", area_name(row.kecamatan)), ("kel", area_name(row.kelurahan))):
        if value:
            tokens.append(f"{prefix}:{value}")
    channel = "_".join((row.channel or "").casefold().split())
    if channel:
        tokens.append(f"channel:{channel}")
    return " ".join(tokens)


class FieldFeatures(DefaultsOnLoad, TransformerMixin, BaseEstimator):
    """TF-IDF over :func:`field_tokens`, scaled by ``weight``.

    ``fit`` takes one :class:`ComplaintFields` (or None) per training row; tokens seen in fewer
    than ``min_df`` rows are dropped, so a single household's street is not a column.
    """

    def __init__(self, *, min_df: int = 2, weight: float = 1.0) -> None:
        self.min_df = min_df
        self.weight = weight

    def fit(self, X: FieldRows, y: Any = None) -> FieldFeatures:
        self.tfidf_ = WordNgramTfidf(ngram_range=(1, 1), min_df=self.min_df).fit(
            [field_tokens(row) for row in X]
        )
        return self

    def transform(self, X: FieldRows) -> sp.csr_matrix:
        check_is_fitted(self, "tfidf_")
        block = self.tfidf_.transform([field_tokens(row) for row in X])
        return block * self.weight if self.weight != 1.0 else block

    def get_feature_names_out(self, input_features: Any = None) -> Any:
        check_is_fitted(self, "tfidf_")
        return self.tfidf_.get_feature_names_out()
