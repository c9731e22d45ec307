"""Explanations: the words the citizen wrote that pushed the chosen OPD up the most."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from lapor_nlp.model.decision import Term


def explain_row(
    word_row: sp.spmatrix,
    coef_row: np.ndarray,
    feature_names: np.ndarray,
    pairs: Sequence[tuple[str, str]],
    n_terms: int,
) -> list[Term]:
    """Top positive contributions (tf-idf value x coefficient) of word features, as written.

    A feature is a stem (or two); ``pairs`` maps each feature token of this text back to the
    surface word it came from, so "perbaikan" is shown, not "baik".
    """
    if n_terms == 0:
        return []
    row = sp.csr_matrix(word_row)
    if row.nnz == 0:
        return []
    contributions = row.data * coef_row[row.indices]
    order = np.argsort(-contributions, kind="stable")
    surfaces = _surface_index(pairs)
    terms: list[Term] = []
    seen: set[str] = set()
    for k in order:
        weight = float(contributions[k])
        if weight <= 0 or len(terms) >= n_terms:
            break
        name = str(feature_names[row.indices[k]])
        if name.startswith("__"):
            continue
        surface = surfaces.get(name)
        if surface is None or surface in seen:
            continue
        seen.add(surface)
        terms.append(Term(term=surface, weight=round(weight, 4)))
    return terms


def _surface_index(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Feature unigram and bigram -> the first surface form that produced it in this text."""
    kept = [(surface, feature) for surface, feature in pairs if feature]
    index: dict[str, str] = {}
    for i, (surface, feature) in enumerate(kept):
        index.setdefault(feature, surface)
        if i + 1 < len(kept):
            next_surface, next_feature = kept[i + 1]
            index.setdefault(f"{feature} {next_feature}", f"{surface} {next_surface}")
    return index
