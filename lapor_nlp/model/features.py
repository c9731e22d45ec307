"""TF-IDF features over preprocessed token strings: word n-grams, then character n-grams.

The word block comes first; explanations read its columns. An optional last block marks the
agencies the complaint names (:class:`~lapor_nlp.model.aliases.AgencyMentions`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from lapor_nlp.loading import DefaultsOnLoad
from lapor_nlp.model.aliases import AgencyMentions
from lapor_nlp.model.tfidf import TokenCharTfidf, WordNgramTfidf


class ComplaintFeatures(DefaultsOnLoad, TransformerMixin, BaseEstimator):
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
        mention_aliases: tuple[tuple[str, str], ...] = (),
        mention_weight: float = 1.0,
        fit_sample: int | None = None,
        random_state: int = 0,
    ) -> None:
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.mention_aliases = mention_aliases
        self.mention_weight = mention_weight
        self.fit_sample = fit_sample
        self.random_state = random_state

    def fit(self, X: Iterable[str], y: Any = None) -> ComplaintFeatures:
        """Learn the word and (when configured) character vocabularies from documents (from a
        seeded sample of ``fit_sample`` of them, when there are more)."""
        docs = list(X)
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
            ).fit(docs)
        )
        self.mentions_ = (
            AgencyMentions(weight=self.mention_weight).fit(
                [doc for doc, _ in self.mention_aliases], [code for _, code in self.mention_aliases]
            )
            if self.mention_aliases
            else None
        )
        self.n_word_features_ = len(self.word_.vocabulary_)
        return self

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        """Word TF-IDF columns followed by character TF-IDF columns, one row per document."""
        check_is_fitted(self, "word_")
        docs = list(X)
        blocks = [self.word_.transform(docs)]
        if self.char_ is not None:
            blocks.append(self.char_.transform(docs))
        mentions = getattr(self, "mentions_", None)  # absent in artifacts built before it
        if mentions is not None:
            blocks.append(mentions.transform(docs))
        if len(blocks) == 1:
            return sp.csr_matrix(blocks[0])
        return sp.hstack(blocks, format="csr")
