"""Agency mentions as features: one column per OPD, set when the complaint names that agency.

Citizens often name the agency outright ("Dishub", "Satpol PP", "dinas pendidikan kota").
The columns are stacked beside the TF-IDF blocks, so the heads learn how much a named agency
counts against what the complaint is about, instead of a rule overriding the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Real
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted


class AgencyMentions(TransformerMixin, BaseEstimator):
    """Mark which OPDs a preprocessed complaint names.

    ``fit`` takes the aliases as preprocessed documents (``X``) with their OPD codes (``y``),
    so an alias is matched in the same token form as the complaint (lower case, slang
    expanded, stemmed). ``transform`` gives a sparse matrix with one column per OPD in
    ``classes_``: ``weight`` where any alias of that OPD occurs as a run of tokens.

    Examples
    --------
    >>> m = AgencyMentions().fit(["dishub", "satpol pp"], ["DISHUB", "SATPOLPP"])
    >>> m.transform(["lapor satpol pp kota"]).toarray().tolist()
    [[0.0, 1.0]]
    """

    classes_: np.ndarray
    patterns_: dict[str, list[tuple[tuple[str, ...], int]]]

    def __init__(self, *, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(self, X: Iterable[str], y: Iterable[str]) -> AgencyMentions:
        if not isinstance(self.weight, Real) or self.weight <= 0:
            raise ValueError(f"weight must be a positive number, got {self.weight!r}")
        docs, codes = list(X), [str(code) for code in y]
        if len(docs) != len(codes):
            raise ValueError("aliases and OPD codes differ in length")
        self.classes_ = np.array(sorted(set(codes)), dtype=object)
        column = {code: i for i, code in enumerate(self.classes_)}
        patterns: dict[str, list[tuple[tuple[str, ...], int]]] = {}  # first token -> aliases
        for doc, code in zip(docs, codes, strict=True):
            tokens = tuple(doc.split())
            if tokens:  # an alias made only of stopwords cannot be matched
                patterns.setdefault(tokens[0], []).append((tokens, column[code]))
        self.patterns_ = patterns
        return self

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        check_is_fitted(self, "patterns_")
        rows: list[int] = []
        cols: list[int] = []
        n = 0
        for n, doc in enumerate(X, start=1):
            for col in self._mentioned(doc.split()):
                rows.append(n - 1)
                cols.append(col)
        data = np.full(len(rows), float(self.weight))
        return sp.csr_matrix((data, (rows, cols)), shape=(n, len(self.classes_)))

    def _mentioned(self, tokens: list[str]) -> set[int]:
        found: set[int] = set()
        for i, token in enumerate(tokens):
            for pattern, col in self.patterns_.get(token, ()):
                if tuple(tokens[i : i + len(pattern)]) == pattern:
                    found.add(col)
        return found

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "patterns_")
        return np.array([f"mentions:{code}" for code in self.classes_], dtype=object)
