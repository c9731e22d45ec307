"""TF-IDF features over preprocessed token strings: word n-grams plus character n-grams.

The word block comes first in the union; explanations rely on that order.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from lapor_nlp.model.char_features import TokenCharTfidf

TOKEN_PATTERN = r"\S+"


def make_vectorizer(
    *,
    word_ngram_range: tuple[int, int],
    char_ngram_range: tuple[int, int] | None,
    min_df: int,
    max_word_features: int | None,
    max_char_features: int | None,
) -> FeatureUnion:
    """Word n-grams carry meaning; character n-grams catch typos and spellings never seen."""
    blocks: list[tuple[str, TfidfVectorizer | TokenCharTfidf]] = [
        (
            "word",
            TfidfVectorizer(
                token_pattern=TOKEN_PATTERN,
                lowercase=False,
                ngram_range=word_ngram_range,
                min_df=min_df,
                sublinear_tf=True,
                max_features=max_word_features,
                dtype=np.float32,
            ),
        )
    ]
    if char_ngram_range is not None:
        blocks.append(
            (
                "char",
                TokenCharTfidf(
                    ngram_range=char_ngram_range,
                    min_df=min_df,
                    max_features=max_char_features,
                    sublinear_tf=True,
                ),
            )
        )
    return FeatureUnion(blocks)
