"""TF-IDF features over preprocessed token strings: word n-grams, then character n-grams.

The word block comes first; explanations read its columns. Optional blocks follow: the
agencies the complaint names (:class:`~lapor_nlp.model.aliases.AgencyMentions`), then the
complaint's structured fields (:class:`~lapor_nlp.model.field_features.FieldFeatures`), the
latter only when the training rows carried any. The character block reads either the same
documents or, with ``char_view="surface"``, the surface view of the complaints
(:func:`lapor_nlp.text.surface_text`: masked, lower-cased, not stemmed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from lapor_nlp.data.fields import any_fields
from lapor_nlp.loading import DefaultsOnLoad
from lapor_nlp.model.aliases import AgencyMentions
from lapor_nlp.model.field_features import FieldFeatures, FieldRows
from lapor_nlp.model.tfidf import TokenCharTfidf, WordNgramTfidf


def reads_surface(char_view: str, char_ngram_range: tuple[int, int] | None) -> bool:
    """Whether features of these parameters read surface texts (a character block that reads
    them)."""
    return char_view == "surface" and char_ngram_range is not None


class ComplaintFeatures(DefaultsOnLoad, TransformerMixin, BaseEstimator):
    """Word n-grams carry meaning; character n-grams catch typos and spellings never seen.

    A plain side-by-side of two blocks (what ``FeatureUnion`` does, without its per-call
    dispatch, which costs more than the transform for a single complaint).

    ``char_view`` says what the character block reads: ``"features"``, the documents (the
    only behaviour before the parameter existed, hence the default), or ``"surface"``, the
    ``surface`` texts given beside them to ``fit`` and ``transform`` (one per document).
    """

    def __init__(
        self,
        *,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] | None = (3, 5),
        char_view: str = "features",
        min_df: int = 2,
        max_word_features: int | None = None,
        max_char_features: int | None = None,
        mention_aliases: tuple[tuple[str, str], ...] = (),
        mention_weight: float = 1.0,
        fit_sample: int | None = None,
        random_state: int = 0,
        field_weight: float = 1.0,
    ) -> None:
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.char_view = char_view
        self.min_df = min_df
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.mention_aliases = mention_aliases
        self.mention_weight = mention_weight
        self.fit_sample = fit_sample
        self.random_state = random_state
        self.field_weight = field_weight

    def fit(
        self,
        X: Iterable[str],
        y: Any = None,
        *,
        fields: FieldRows | None = None,
        surface: Sequence[str] | None = None,
    ) -> ComplaintFeatures:
        """Learn the word and (when configured) character vocabularies from documents (from a
        seeded sample of ``fit_sample`` of them, when there are more), and the field block
        when any of ``fields`` (one per document, None for none) carries a field."""
        docs = list(X)
        rows = _checked_fields(fields, len(docs))
        char_docs = self._char_docs(docs, surface)
        self.word_ = WordNgramTfidf(
            ngram_range=tuple(self.word_ngram_range),  # type: ignore[arg-type]
            min_df=self.min_df,
            max_features=self.max_word_features,
            fit_sample=self.fit_sample,
            random_state=self.random_state,
        ).fit(docs)
        self.char_ = (
            None
            if self.char_ngram_range is None
            else TokenCharTfidf(
                ngram_range=tuple(self.char_ngram_range),  # type: ignore[arg-type]
                min_df=self.min_df,
                max_features=self.max_char_features,
                fit_sample=self.fit_sample,
                random_state=self.random_state,
            ).fit(char_docs)
        )
        self.mentions_ = (
            AgencyMentions(weight=self.mention_weight).fit(
                [doc for doc, _ in self.mention_aliases], [code for _, code in self.mention_aliases]
            )
            if self.mention_aliases
            else None
        )
        self.n_word_features_ = len(self.word_.vocabulary_)
        self.fields_ = _field_block(rows, self.min_df, self.field_weight)
        return self

    def transform(
        self,
        X: Iterable[str],
        *,
        fields: FieldRows | None = None,
        surface: Sequence[str] | None = None,
    ) -> sp.csr_matrix:
        """Word TF-IDF columns, character TF-IDF columns, then the optional blocks, one row per
        document. ``fields`` (one per document) fill the field block; without them, or when
        the model has no field block, they are left out (an empty block, or none)."""
        check_is_fitted(self, "word_")
        docs = list(X)
        rows = _checked_fields(fields, len(docs))
        blocks = [self.word_.transform(docs)]
        if self.char_ is not None:
            blocks.append(self.char_.transform(self._char_docs(docs, surface)))
        mentions = getattr(self, "mentions_", None)  # absent in artifacts built before it
        if mentions is not None:
            blocks.append(mentions.transform(docs))
        field_block = getattr(self, "fields_", None)  # absent in artifacts built before it
        if field_block is not None:
            blocks.append(field_block.transform(rows or [None] * len(docs)))
        if len(blocks) == 1:
            return sp.csr_matrix(blocks[0])
        return sp.hstack(blocks, format="csr")

    @property
    def uses_fields(self) -> bool:
        """True when the features have a field block (training rows carried fields)."""
        return getattr(self, "fields_", None) is not None

    def without_fields(self, features: sp.csr_matrix) -> sp.csr_matrix:
        """``features`` with the field block emptied (same width): for the heads that learn
        from rows that never carry fields, so that having fields is not itself a signal."""
        field_block = getattr(self, "fields_", None)
        if field_block is None:
            return features
        width = len(field_block.tfidf_.vocabulary_)
        keep = np.ones(features.shape[1])
        keep[features.shape[1] - width :] = 0.0
        return sp.csr_matrix(features @ sp.diags(keep))

    @property
    def reads_surface(self) -> bool:
        """True when the character block reads the surface texts, not the documents."""
        return reads_surface(self.char_view, self.char_ngram_range)

    def _char_docs(self, docs: list[str], surface: Sequence[str] | None) -> list[str]:
        """What the character block reads: the documents, or their surface texts."""
        if self.char_view not in ("features", "surface"):
            raise ValueError(f"char_view must be 'features' or 'surface', got {self.char_view!r}")
        if not self.reads_surface:
            return docs
        if surface is None or len(surface) != len(docs):
            raise ValueError(
                "the character block reads the surface view: give one surface text per document"
                f" ({len(docs)} documents, {'none' if surface is None else len(surface)} given)"
            )
        return list(surface)


def _checked_fields(fields: FieldRows | None, n: int) -> list[Any] | None:
    if fields is None:
        return None
    rows = list(fields)
    if len(rows) != n:
        raise ValueError(f"fields has {len(rows)} rows for {n} documents")
    return rows


def _field_block(rows: FieldRows | None, min_df: int, weight: float) -> FieldFeatures | None:
    """The fitted field block, or None when no row carries a field (or no field value is
    shared by ``min_df`` rows)."""
    if not any_fields(rows):
        return None
    assert rows is not None
    try:
        return FieldFeatures(min_df=min_df, weight=weight).fit(rows)
    except ValueError:  # scikit-learn: empty vocabulary after min_df
        return None
