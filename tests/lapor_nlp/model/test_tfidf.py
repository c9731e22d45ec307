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


def test_a_large_batch_is_transformed_in_chunks_with_the_same_rows() -> None:
    """More documents than one chunk holds: the rows equal those of one document at a time."""
    from lapor_nlp.model.tfidf import TRANSFORM_CHUNK

    rng = np.random.default_rng(0)
    words = np.array(["jalan", "rusak", "lampu", "mati", "sampah", "bau", "air", "keruh"])
    docs = [" ".join(rng.choice(words, size=5)) for _ in range(TRANSFORM_CHUNK + 7)]
    model = WordNgramTfidf(ngram_range=(1, 2), min_df=1).fit(docs[:100])
    batch = model.transform(docs)
    assert batch.shape == (len(docs), len(model.vocabulary_))
    for i in (0, TRANSFORM_CHUNK - 1, TRANSFORM_CHUNK, len(docs) - 1):
        np.testing.assert_allclose(batch[i].toarray(), model.transform([docs[i]]).toarray())


@pytest.mark.parametrize("vectorizer", [WordNgramTfidf, TokenCharTfidf])
def test_the_vocabulary_is_learned_from_a_bounded_sample(vectorizer: type) -> None:
    """``fit_sample`` caps the documents the vocabulary and idf are learned from; at or under
    the cap nothing changes."""
    rng = np.random.default_rng(1)
    docs = [f"jalan rusak nomor{rng.integers(1000)} rt{i % 40}" for i in range(300)]
    full = vectorizer(ngram_range=(1, 2) if vectorizer is WordNgramTfidf else (3, 5)).fit(docs)
    same = vectorizer(ngram_range=full.ngram_range, fit_sample=len(docs)).fit(docs)
    assert same.vocabulary_ == full.vocabulary_
    sampled = vectorizer(ngram_range=full.ngram_range, fit_sample=50, random_state=3).fit(docs)
    again = vectorizer(ngram_range=full.ngram_range, fit_sample=50, random_state=3).fit(docs)
    assert sampled.vocabulary_ == again.vocabulary_  # seeded: the same sample every time
    assert 0 < len(sampled.vocabulary_) < len(full.vocabulary_)
    picked = np.sort(np.random.default_rng(3).choice(len(docs), size=50, replace=False))
    reference = vectorizer(ngram_range=full.ngram_range).fit([docs[i] for i in picked])
    assert sampled.vocabulary_ == reference.vocabulary_
    np.testing.assert_allclose(sampled.idf_, reference.idf_)
