"""What the character n-grams read: the surface view (masked, unstemmed) or the stemmed documents.

The surface view must never carry personal data into the model, must really be what the
character block reads (in fitting and in routing), and artifacts written before the choice
existed must keep reading the documents.
"""

from __future__ import annotations

import pickle
import re

import numpy as np
import pytest
from sklearn.base import clone

from lapor_nlp.model import ComplaintRouter
from lapor_nlp.model.features import ComplaintFeatures
from tests.lapor_nlp.model import corpus
from tests.pii_variants import EMAIL_USER, variant_texts

# corpus rows without digits of their own: any digit in the vocabulary would be personal data
ROWS = [row for row in corpus.ROWS if not re.search(r"\d", row[0])]
TEXTS = [text for text, _, _ in ROWS]
OPD = [opd for _, opd, _ in ROWS]


def _fit(char_view: str, texts: list[str], opd: list[str]) -> ComplaintRouter:
    return ComplaintRouter(char_view=char_view, threshold_folds=2, min_df=1, random_state=0).fit(
        texts, opd
    )


@pytest.fixture(scope="module")
def with_pii() -> tuple[list[str], list[str]]:
    """The corpus, plus each personal-data variant appended to a complaint of each agency."""
    variants = variant_texts()
    texts = TEXTS + [f"{text} {variant}" for text in TEXTS[:8] for variant in variants]
    return texts, OPD + [opd for opd in OPD[:8] for _ in variants]


@pytest.fixture(scope="module")
def surface_router(with_pii: tuple[list[str], list[str]]) -> ComplaintRouter:
    return _fit("surface", *with_pii)


@pytest.fixture(scope="module")
def features_router(with_pii: tuple[list[str], list[str]]) -> ComplaintRouter:
    return _fit("features", *with_pii)


def test_no_personal_data_reaches_the_character_vocabulary(surface_router: ComplaintRouter) -> None:
    grams = list(surface_router.vectorizer_.char_.vocabulary_)
    assert not [g for g in grams if any(ch.isdigit() for ch in g)]
    assert not [g for g in grams if "@" in g or "＠" in g or "gmail" in g or "siti" in g]
    assert EMAIL_USER.split(".")[1][:5] not in " ".join(grams)
    assert {"[NIK", "[TELE", "[EMAI"} <= set(grams)  # the placeholders, as written


def test_the_character_block_reads_the_surface_not_the_stems(
    surface_router: ComplaintRouter, features_router: ComplaintRouter
) -> None:
    surface = set(surface_router.vectorizer_.char_.vocabulary_)
    stemmed = set(features_router.vectorizer_.char_.vocabulary_)
    # "dipotong" and "perbaikan" lose their affixes to the stemmer, "dan" and "sudah" are
    # stopwords: only the surface view keeps them
    only_surface = {" dipo", " perb", " dan ", " suda"}
    assert only_surface <= surface and not only_surface & stemmed
    assert " __ni" in stemmed and " __ni" not in surface  # placeholder tokens of the pipeline
    # the word block is the stemmed pipeline's either way
    assert (
        surface_router.vectorizer_.word_.vocabulary_
        == features_router.vectorizer_.word_.vocabulary_
    )
    assert surface_router.n_word_features_ == len(surface_router.vectorizer_.word_.vocabulary_)


def test_routing_reads_the_surface_view_too(surface_router: ComplaintRouter) -> None:
    texts = ["Sampah yang menumpuk di TPS belum diangkut, baunya menyengat sekali"]
    docs = surface_router.transform_texts(texts)
    surface = surface_router.surface_texts(texts)
    assert surface is not None and surface != docs
    vectorizer, head = surface_router.vectorizer_, surface_router.head_
    expected = head.predict_proba(vectorizer.transform(docs, surface=surface))
    wrong = head.predict_proba(vectorizer.transform(docs, surface=docs))
    assert not np.allclose(expected, wrong)
    np.testing.assert_allclose(surface_router.predict_proba(texts), expected)
    routed = surface_router.route(texts, explain=True)[0]
    assert [s.confidence for s in routed.opd] == pytest.approx(
        sorted(expected[0], reverse=True)[:3], abs=1e-5
    )
    assert routed.explanation  # from the word block's columns


def test_the_surface_view_is_required_where_it_is_read() -> None:
    features = ComplaintFeatures(char_view="surface", min_df=1)
    with pytest.raises(ValueError, match="surface"):
        features.fit(TEXTS)
    router = ComplaintRouter(char_view="surface", threshold_folds=2, min_df=1)
    router.preprocessor_ = router._make_preprocessor().fit(TEXTS)
    with pytest.raises(ValueError, match="surface"):
        router.fit_documents(router.preprocessor_.transform(TEXTS), OPD)


def test_an_artifact_pickled_before_the_choice_existed_routes_exactly_as_before() -> None:
    old = _fit("features", TEXTS, OPD)
    texts = ["jalan poros berlubang dan jembatan retak", "bansos tidak cair, hp 081234567896"]
    before = old.route(texts)
    del old.__dict__["char_view"]
    del old.vectorizer_.__dict__["char_view"]
    loaded = pickle.loads(pickle.dumps(old))
    assert loaded.char_view == "features" and not loaded.vectorizer_.reads_surface
    assert loaded.surface_texts(texts) is None
    assert loaded.route(texts) == before
    assert clone(loaded).get_params()["char_view"] == "features"  # retraining keeps it
    assert ComplaintRouter().char_view == "surface"  # new training reads the surface


def test_the_bundled_model_reads_the_documents() -> None:
    """It lost auto coverage on real text with the surface view (build_default_model.py)."""
    from lapor_nlp.paths import BUNDLED_MODELS_DIR
    from lapor_nlp.registry import load_model_dir

    (folder,) = [p for p in BUNDLED_MODELS_DIR.iterdir() if (p / "model.joblib").is_file()]
    router = load_model_dir(folder).router
    assert router.char_view == "features" and not router.vectorizer_.reads_surface
    assert clone(router).get_params()["char_view"] == "features"
