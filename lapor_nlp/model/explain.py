"""Explanations: the words the citizen wrote that pushed the chosen OPD up the most.

One entry per word or phrase as written: the features of one word ("pungli" -> "pungut liar")
and a bigram over words already shown never appear twice, a bigram is shown only for words
that stand together in the text, and numbers or separators alone are never shown.
"""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp

from lapor_nlp.model.decision import Term
from lapor_nlp.text.preprocessor import Analysis

# Between the two words of a shown bigram: at most a few short words (removed stopwords),
# no sentence punctuation. "jalan yang rusak" is a phrase; "jalan. Sekolah" is not.
_PHRASE_GAP_RE = re.compile(r"[^\S\n]+(?:[^\W\d_]{1,12}[^\S\n]+){0,2}")
_LETTER_RE = re.compile(r"[^\W\d_]")

Place = tuple[int, int]
"""First and last word (indices into the analysis' words) a feature is shown as."""


def explain_row(
    word_row: sp.spmatrix,
    coef_row: np.ndarray,
    feature_names: np.ndarray,
    analysis: Analysis,
    n_terms: int,
) -> list[Term]:
    """Top positive contributions (tf-idf value x coefficient) of word features, as written.

    A feature is a stem (or two); ``analysis`` maps each feature token of this text back to
    the words it came from, so "perbaikan" is shown, not "baik". A contribution whose words
    overlap an entry already shown (a stronger one), or repeat one of its words, is skipped.
    """
    if n_terms == 0:
        return []
    row = sp.csr_matrix(word_row)
    if row.nnz == 0:
        return []
    contributions = row.data * coef_row[row.indices]
    order = np.argsort(-contributions, kind="stable")
    words = sorted({(start, end) for start, end, _ in analysis.spans})
    places = _places(analysis, {span: i for i, span in enumerate(words)})
    terms: list[Term] = []
    claimed: set[int] = set()
    shown: set[str] = set()  # words already shown (lower-cased), wherever they stood
    for k in order:
        weight = float(contributions[k])
        if weight <= 0 or len(terms) >= n_terms:
            break
        name = str(feature_names[row.indices[k]])
        place = places.get(name)
        if name.startswith("__") or place is None:
            continue
        covered = set(range(place[0], place[1] + 1))
        surface = analysis.text[words[place[0]][0] : words[place[1]][1]]
        said = set(surface.lower().split())
        if covered & claimed or said & shown or not _LETTER_RE.search(surface):
            continue
        claimed |= covered
        shown |= said
        terms.append(Term(term=surface, weight=round(weight, 4)))
    return terms


def _places(analysis: Analysis, word_index: dict[tuple[int, int], int]) -> dict[str, Place]:
    """Feature unigram and bigram -> where it is first shown in this text.

    A bigram inside one word is that word; a bigram of two words is shown only where they
    stand together (see ``_PHRASE_GAP_RE``) and never for a repeated feature ("jalan jalan").
    """
    text = analysis.text
    spans = analysis.spans
    places: dict[str, Place] = {}
    for i, (start, end, feature) in enumerate(spans):
        here = word_index[(start, end)]
        places.setdefault(feature, (here, here))
        if i + 1 == len(spans):
            break
        next_start, _, next_feature = spans[i + 1]
        bigram = f"{feature} {next_feature}"
        if bigram in places or feature == next_feature:
            continue
        there = word_index[(next_start, spans[i + 1][1])]
        if there == here:
            places[bigram] = (here, here)
        elif _PHRASE_GAP_RE.fullmatch(text, end, next_start):
            places[bigram] = (here, there)
    return places
