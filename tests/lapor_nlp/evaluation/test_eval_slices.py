from __future__ import annotations

import numpy as np
import pytest

from lapor_nlp.evaluation.slices import slice_masks
from lapor_nlp.evaluation.summary import evaluate_head, slice_headlines

LONG = " ".join(["jalan"] * 20)  # exactly 20 words: long
SHORT = " ".join(["jalan"] * 19)


def fake_ratio(text: str) -> float:
    return 0.5 if "gan" in text.split() else 0.0


def test_slice_masks_split_at_20_words_and_slang_ratio() -> None:
    masks = slice_masks([LONG, SHORT, "lampu mati gan", "lampu mati"], ratio=fake_ratio)
    short, long_, slang, plain = masks.values()
    assert short.tolist() == [False, True, True, True]
    assert long_.tolist() == [True, False, False, False]
    assert slang.tolist() == [False, False, True, False]
    assert plain.tolist() == [True, True, False, True]


def test_slice_masks_with_the_real_lexicon_partition_the_data() -> None:
    texts = ["jalan rusak parah", "gmn nih min lampu mati gak nyala2", LONG]
    masks = list(slice_masks(texts).values())
    assert (masks[0] ^ masks[1]).all()
    assert (masks[2] ^ masks[3]).all()


def test_slice_headlines_and_empty_slice() -> None:
    classes = ["a", "b"]
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    texts = [LONG, "x y", "z"]
    result = slice_headlines(["a", "a", "a"], proba, classes, texts)
    short = result["short (<20 words)"]
    long_ = result["long (>=20 words)"]
    assert (short.n, short.accuracy) == (2, 0.5)
    assert (long_.n, long_.accuracy) == (1, 1.0)
    empty = [h for h in result.values() if h.n == 0]
    for h in empty:
        assert h.accuracy is None and h.ece is None


def test_evaluate_head_collects_everything() -> None:
    classes = ["a", "b", "c"]
    proba = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]])
    y = ["a", "b", "b", "c"]
    result = evaluate_head(y, proba, classes, texts=["a b"] * 4, threshold=0.6, margin=0.1)
    assert result.headline.accuracy == 0.75
    assert result.headline.top3_accuracy == 1.0
    assert result.auto_route is not None
    assert (result.auto_route.coverage, result.auto_route.precision) == (0.75, 1.0)
    assert result.auto_rule == "top-1 >= 0.60 and margin >= 0.10"
    assert len(result.slices) == 4
    assert result.confusion.sum() == 4
    data = result.to_dict()
    assert data["confusion"] == result.confusion.tolist()


def test_slice_headlines_length_mismatch() -> None:
    with pytest.raises(ValueError, match="2 texts for 1 labels"):
        slice_headlines(["a"], np.array([[1.0, 0.0]]), ["a", "b"], ["x", "y"])
