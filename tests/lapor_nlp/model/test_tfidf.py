"""Our TF-IDF vectorizers must equal scikit-learn's, value for value."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from lapor_nlp.model.tfidf import TokenCharTfidf, WordNgramTfidf, token_ngrams

DOCS = [
    "jalan rusak parah sekali",
    "jalan berlubang di km 12",
    "sampah bau ab x",
    "jalan jalan rusak rusak",
    "lampu jalan mati",
    "",
]


@pytest.mark.parametrize("word", ["a", "ab", "abc", "jalan", "berlubang"])
def test_token_ngrams_match_char_wb(word: str) -> None:
    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).build_analyzer()
    assert token_ngrams(word, 3, 5) == analyzer(word)


@pytest.mark.parametrize("min_df", [1, 2])
def test_transform_equals_sklearn(min_df: int) -> None:
    reference = TfidfVectorizer(
        analyzer="char_wb", lowercase=False, ngram_range=(3, 5), min_df=min_df, sublinear_tf=True
    ).fit(DOCS)
    ours = TokenCharTfidf(ngram_range=(3, 5), min_df=min_df).fit(DOCS)
    assert ours.vocabulary_ == reference.vocabulary_
    probe = [*DOCS, "jalan baru tidak dikenal", "zzz"]
    np.testing.assert_allclose(
        ours.transform(probe).toarray(), reference.transform(probe).toarray(), atol=1e-6
    )


def test_pickle_drops_the_cache_and_keeps_results() -> None:
    model = TokenCharTfidf(ngram_range=(3, 5), min_df=1).fit(DOCS)
    before = model.transform(DOCS).toarray()
    clone = pickle.loads(pickle.dumps(model))
    assert "_token_cache" not in clone.__dict__
    np.testing.assert_allclose(clone.transform(DOCS).toarray(), before)


def test_bad_ngram_range_is_named() -> None:
    with pytest.raises(ValueError, match="ngram_range"):
        TokenCharTfidf(ngram_range=(4, 2)).fit(DOCS)


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (2, 3)])
def test_word_ngrams_equal_sklearn(ngram_range: tuple[int, int]) -> None:
    reference = TfidfVectorizer(
        token_pattern=r"\S+", lowercase=False, ngram_range=ngram_range, sublinear_tf=True
    ).fit(DOCS)
    ours = WordNgramTfidf(ngram_range=ngram_range, min_df=1).fit(DOCS)
    assert ours.vocabulary_ == reference.vocabulary_
    probe = [*DOCS, "jalan rusak berat", "kata_baru saja"]
    np.testing.assert_allclose(
        ours.transform(probe).toarray(), reference.transform(probe).toarray(), atol=1e-6
    )
