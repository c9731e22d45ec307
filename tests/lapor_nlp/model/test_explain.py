"""Explanations on a real analysis of the text, with chosen weights per feature."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from lapor_nlp.model.explain import explain_row
from lapor_nlp.text import TextPreprocessor


@pytest.fixture(scope="module")
def prep() -> TextPreprocessor:
    return TextPreprocessor().fit([])


def _explain(prep: TextPreprocessor, text: str, weights: dict[str, float]) -> list[str]:
    """Terms shown when each feature of ``weights`` is present with its weight."""
    analysis = prep.analyze_spans(text)
    names = np.array(list(weights), dtype=object)
    row = sp.csr_matrix(np.ones((1, len(names))))
    terms = explain_row(row, np.array(list(weights.values())), names, analysis, 10)
    return [t.term for t in terms]


def test_one_entry_per_word_that_gives_several_features(prep: TextPreprocessor) -> None:
    weights = {"pungut liar": 3.0, "pungut": 2.0, "liar": 1.0, "pungut liar pungut": 0.5}
    assert _explain(prep, "Ada pungli pungli di sekolah", weights) == ["pungli"]
    weights = {"samarinda tenggarong": 2.0, "samarinda": 1.5, "tenggarong": 1.0}
    assert _explain(prep, "Jalan Samarinda-Tenggarong", weights) == ["Samarinda-Tenggarong"]


def test_phrase_only_for_words_that_stand_together(prep: TextPreprocessor) -> None:
    weights = {"jalan rusak": 2.0, "jalan": 1.0, "rusak": 0.5}
    # The phrase is shown as written (with the stopword between), its words not again.
    assert _explain(prep, "jalan yang rusak", weights) == ["jalan yang rusak"]
    # Across a sentence end the bigram is no phrase: the words are shown on their own.
    assert _explain(prep, "Ke jalan. Rusak semua", weights) == ["jalan", "Rusak"]


def test_a_repeated_feature_is_no_phrase(prep: TextPreprocessor) -> None:
    weights = {"jalan jalan": 2.0, "jalan": 1.0}
    assert _explain(prep, "jln Jl. Poros", weights) == ["jln"]


def test_no_bare_numbers_or_separators(prep: TextPreprocessor) -> None:
    text = "Bayar Rp 2.500.000 dan 1.000.000 lagi di km 5"
    weights = {"rp": 2.0, "1000000": 1.9, "5": 1.8, "km 5": 1.7, "bayar": 0.1}
    assert _explain(prep, text, weights) == ["Rp 2.500.000", "km 5", "Bayar"]


def test_placeholders_and_negative_weights_are_not_shown(prep: TextPreprocessor) -> None:
    weights = {"__telepon__": 3.0, "hubung": -1.0, "sekolah": 0.5}
    assert _explain(prep, "sekolah, hub 081234567890", weights) == ["sekolah"]


def test_a_word_shown_in_a_phrase_is_not_shown_again_from_elsewhere(
    prep: TextPreprocessor,
) -> None:
    weights = {"jalan rusak": 2.0, "jalan": 1.0, "sekolah": 0.5}
    assert _explain(prep, "Jalan. Sekolah dan jalan rusak", weights) == [
        "jalan rusak",
        "Sekolah",
    ]
