"""TF-IDF features over preprocessed token strings: word n-grams, then character n-grams.

The word block comes first; explanations read its columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from lapor_nlp.model.tfidf import TokenCharTfidf, WordNgramTfidf


class ComplaintFeatures(TransformerMixin, BaseEstimator):
    """Word n-grams carry meaning; character n-grams catch typos and spellings never seen.

    A plain side-by-side of two blocks (what ``FeatureUnion`` does, without its per-call
    dispatch, which costs more than the transform for a single complaint).
    """

    def __init__(
        self,
        *,
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] | None = (3, 5),
        min_df: int = 2,
        max_word_features: int | None = None,
        max_char_features: int | None = None,
    ) -> None:
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features

    def fit(self, X: Iterable[str], y: Any = None) -> ComplaintFeatures:
        """Learn the word and (when configured) character vocabularies from documents."""
        docs = list(X)
        self.word_ = WordNgramTfidf(
            ngram_range=tuple(self.word_ngram_range),  # type: ignore[arg-type]
            min_df=self.min_df,
            max_features=self.max_word_features,
        ).fit(docs)
        self.char_ = (
            None
            if self.char_ngram_range is None
            else TokenCharTfidf(
                ngram_range=tuple(self.char_ngram_range),  # type: ignore[arg-type]
                min_df=self.min_df,
                max_features=self.max_char_features,
            ).fit(docs)
        )
        self.n_word_features_ = len(self.word_.vocabulary_)
        return self

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        """Word TF-IDF columns followed by character TF-IDF columns, one row per document."""
        check_is_fitted(self, "word_")
        docs = list(X)
        word = self.word_.transform(docs)
        if self.char_ is None:
            return sp.csr_matrix(word)
        return sp.hstack([word, self.char_.transform(docs)], format="csr")
