"""TF-IDF vectorizers tuned for a stream of single complaints over preprocessed token strings.

Values equal scikit-learn's ``TfidfVectorizer`` (``sublinear_tf``, l2 norm) with
``token_pattern=r"\\S+"`` for words and ``analyzer="char_wb"`` for characters: the vocabulary
and idf are fitted by scikit-learn itself. Transform is our own: each distinct token's feature
indices are computed once and reused, and each document becomes one sparse row in a single
pass, which for one complaint is several times cheaper than the general-purpose path.

Memory stays bounded at national volume: the vocabulary and idf are learned from at most
``fit_sample`` documents (a seeded random sample; scikit-learn holds every n-gram occurrence of
the documents it fits on, about 6 GB per 100,000 long reports), and ``transform`` works through
``TRANSFORM_CHUNK`` documents at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from lapor_nlp.loading import DefaultsOnLoad

CACHE_LIMIT = 200_000
TRANSFORM_CHUNK = 20_000
_EMPTY = np.empty(0, dtype=np.int32)


def token_ngrams(token: str, min_n: int, max_n: int) -> list[str]:
    """The n-grams ``char_wb`` takes from one word: padded with a space on each side."""
    padded = f" {token} "
    grams = []
    for n in range(min_n, max_n + 1):
        if len(padded) <= n:  # a short word counts once, whole
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


class _CachedTfidf(DefaultsOnLoad, TransformerMixin, BaseEstimator):
    """Shared fit (by scikit-learn) and transform (one sparse row per document)."""

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int],
        min_df: int = 2,
        max_features: int | None = None,
        sublinear_tf: bool = True,
        fit_sample: int | None = None,
        random_state: int = 0,
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        self.fit_sample = fit_sample
        self.random_state = random_state

    def _reference(self) -> TfidfVectorizer:
        raise NotImplementedError

    def _doc_indices(self, doc: str) -> np.ndarray:
        raise NotImplementedError

    def fit(self, X: Iterable[str], y: Any = None) -> _CachedTfidf:
        low, high = self.ngram_range
        if not (1 <= low <= high):
            raise ValueError(f"ngram_range must satisfy 1 <= min <= max, got {self.ngram_range}")
        docs = list(X)
        if self.fit_sample is not None and len(docs) > self.fit_sample:
            rng = np.random.default_rng(self.random_state)
            picked = np.sort(rng.choice(len(docs), size=self.fit_sample, replace=False))
            docs = [docs[i] for i in picked]
        reference = self._reference().fit(docs)
        self.vocabulary_: dict[str, int] = reference.vocabulary_
        self.idf_ = reference.idf_.astype(np.float64)
        return self

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "vocabulary_")
        names = np.empty(len(self.vocabulary_), dtype=object)
        for gram, index in self.vocabulary_.items():
            names[index] = gram
        return names

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        check_is_fitted(self, "vocabulary_")
        docs = X if isinstance(X, list) else list(X)
        if len(docs) <= TRANSFORM_CHUNK:
            return self._transform_chunk(docs)
        return sp.vstack(
            [
                self._transform_chunk(docs[i : i + TRANSFORM_CHUNK])
                for i in range(0, len(docs), TRANSFORM_CHUNK)
            ],
            format="csr",
        )

    def _transform_chunk(self, docs: list[str]) -> sp.csr_matrix:
        found = [self._doc_indices(doc) for doc in docs]
        n_docs, n_features = len(found), len(self.vocabulary_)
        lengths = np.fromiter((len(f) for f in found), dtype=np.int64, count=n_docs)
        cols = np.concatenate(found).astype(np.int64) if lengths.sum() else np.empty(0, np.int64)
        rows = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        # One sort for the whole batch: (row, column) pairs with their counts.
        keys, counts = np.unique(rows * n_features + cols, return_counts=True)
        rows, cols = keys // n_features, keys % n_features
        tf = np.log(counts) + 1.0 if self.sublinear_tf else counts.astype(np.float64)
        weights = tf * self.idf_[cols]
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=n_docs))
        weights /= norms[rows]
        indptr = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n_docs), out=indptr[1:])
        return sp.csr_matrix(
            (weights.astype(np.float32), cols.astype(np.int32), indptr),
            shape=(n_docs, n_features),
        )

    def _cached(self, token: str) -> np.ndarray | None:
        cache: dict[str, np.ndarray] = self.__dict__.setdefault("_token_cache", {})
        return cache.get(token)

    def _remember(self, token: str, found: np.ndarray) -> np.ndarray:
        cache: dict[str, np.ndarray] = self.__dict__.setdefault("_token_cache", {})
        if len(cache) >= CACHE_LIMIT:
            cache.clear()
        cache[token] = found
        return found

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_token_cache", None)
        return state


class TokenCharTfidf(_CachedTfidf):
    """Character n-grams within each whitespace-separated token (``char_wb``)."""

    def _reference(self) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer="char_wb",
            lowercase=False,
            ngram_range=tuple(self.ngram_range),
            min_df=self.min_df,
            max_features=self.max_features,
            sublinear_tf=self.sublinear_tf,
        )

    def _token_indices(self, token: str) -> np.ndarray:
        found = self._cached(token)
        if found is None:
            vocabulary = self.vocabulary_
            grams = token_ngrams(token, *self.ngram_range)
            found = self._remember(
                token,
                np.fromiter((vocabulary[g] for g in grams if g in vocabulary), dtype=np.int32),
            )
        return found

    def _doc_indices(self, doc: str) -> np.ndarray:
        parts = [self._token_indices(token) for token in doc.split()]
        return np.concatenate(parts) if parts else _EMPTY


class WordNgramTfidf(_CachedTfidf):
    """Word n-grams over whitespace-separated tokens (``token_pattern=r"\\S+"``)."""

    def _reference(self) -> TfidfVectorizer:
        return TfidfVectorizer(
            token_pattern=r"\S+",
            lowercase=False,
            ngram_range=tuple(self.ngram_range),
            min_df=self.min_df,
            max_features=self.max_features,
            sublinear_tf=self.sublinear_tf,
        )

    def _doc_indices(self, doc: str) -> np.ndarray:
        tokens = doc.split()
        vocabulary = self.vocabulary_
        low, high = self.ngram_range
        grams: list[str] = []
        for n in range(low, high + 1):
            if n == 1:
                grams.extend(tokens)
            else:
                grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return np.fromiter((vocabulary[g] for g in grams if g in vocabulary), dtype=np.int32)
