"""The router trained on a tiny inline corpus: outputs, decisions, explanations, persistence."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone

from lapor_nlp.model import ComplaintRouter
from tests.lapor_nlp.model import corpus


@pytest.fixture(scope="module")
def router() -> ComplaintRouter:
    model = ComplaintRouter(threshold_folds=2, min_df=1, random_state=0)
    return model.fit(
        corpus.texts(), corpus.opd(), corpus.category(), nonroutable=corpus.NONROUTABLE
    )


def test_init_stores_params_untouched() -> None:
    model = ComplaintRouter(head="svm", C=3.0)
    assert model.get_params()["head"] == "svm"
    assert clone(model).get_params()["C"] == 3.0
    assert not hasattr(model, "classes_")


def test_bad_parameter_is_named_at_fit() -> None:
    with pytest.raises(ValueError, match="'head' parameter of ComplaintRouter must be"):
        ComplaintRouter(head="forest").fit(corpus.texts(), corpus.opd())
    with pytest.raises(ValueError, match="target_precision"):
        ComplaintRouter(target_precision=1.5).fit(corpus.texts(), corpus.opd())


def test_single_class_is_refused() -> None:
    with pytest.raises(ValueError, match="two OPD classes"):
        ComplaintRouter().fit(["jalan rusak", "jalan berlubang"], ["DPUPR", "DPUPR"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jalan berlubang dan jembatan amblas di poros Sangatta", "DPUPR"),
        ("bantuan PKH untuk keluarga miskin belum cair", "DINSOS"),
        ("sampah tidak diangkut dan baunya busuk sekali", "DLH"),
        ("perusahaan tidak membayar THR dan upah lembur pekerja", "DISNAKERTRANS"),
    ],
)
def test_unseen_complaints_route_to_their_agency(
    router: ComplaintRouter, text: str, expected: str
) -> None:
    decision = router.route([text])[0]
    assert decision.opd[0].code == expected


def test_route_shape_and_order(router: ComplaintRouter) -> None:
    decision = router.route(["sungai tercemar limbah"], top_k=3)[0]
    assert len(decision.opd) == 3
    confidences = [s.confidence for s in decision.opd]
    assert confidences == sorted(confidences, reverse=True)
    assert 0.0 < sum(confidences) <= 1.0 + 1e-6
    assert decision.category[0].code == "LINGKUNGAN"
    assert decision.decision in {"auto", "review", "needs_info"}


def test_top_k_is_capped_by_the_number_of_classes(router: ComplaintRouter) -> None:
    assert len(router.route(["sampah menumpuk"], top_k=10)[0].opd) == 4


def test_predict_proba_columns_follow_classes(router: ComplaintRouter) -> None:
    proba = router.predict_proba(["gaji di bawah UMP"])
    assert proba.shape == (1, len(router.classes_))
    assert router.classes_[int(np.argmax(proba))] == router.predict(["gaji di bawah UMP"])[0]


@pytest.mark.parametrize("text", ["", "   ", "🙏🙏🙏", "halo min", "test 123"])
def test_content_free_text_needs_info(router: ComplaintRouter, text: str) -> None:
    assert router.route([text])[0].decision == "needs_info"


def test_explanation_shows_words_as_written(router: ComplaintRouter) -> None:
    text = "Perbaikan jalan yang berlubang di Tenggarong tidak selesai"
    decision = router.route([text])[0]
    assert decision.explanation, "a routable complaint gets an explanation"
    for term in decision.explanation:
        for word in term.term.split():
            assert word in text.split(), f"{word!r} is not a word of the complaint as written"
        assert term.weight > 0
    assert "Perbaikan" in {t.term for t in decision.explanation} or all(
        t.term != "baik" for t in decision.explanation
    )
    weights = [t.weight for t in decision.explanation]
    assert weights == sorted(weights, reverse=True)


def test_fitted_thresholds_are_stored(router: ComplaintRouter) -> None:
    thresholds = router.thresholds_
    assert {"threshold", "margin", "target_precision", "curve"} <= set(thresholds)
    assert thresholds["target_precision"] == 0.95
    assert router.heldout_metrics_["opd"]["n"] == len(corpus.ROWS)


def test_route_threshold_override(router: ComplaintRouter) -> None:
    text = ["jalan poros berlubang dan jembatan retak"]
    assert router.route(text, threshold=0.0, margin=0.0)[0].decision == "auto"
    assert router.route(text, threshold=1.0, margin=0.0)[0].decision == "review"


def test_pickle_round_trip_gives_identical_predictions(router: ComplaintRouter) -> None:
    texts = ["sampah di pasar", "gaji tidak dibayar", "jalan rusak parah", ""]
    again = pickle.loads(pickle.dumps(router))
    np.testing.assert_allclose(again.predict_proba(texts), router.predict_proba(texts))
    assert again.route(texts) == router.route(texts)


def test_fit_is_reproducible() -> None:
    def fit() -> ComplaintRouter:
        return ComplaintRouter(threshold_folds=2, min_df=1, random_state=0).fit(
            corpus.texts(), corpus.opd()
        )

    a, b = fit(), fit()
    probe = ["jalan berlubang", "bansos tidak cair"]
    np.testing.assert_allclose(a.predict_proba(probe), b.predict_proba(probe))
    assert a.thresholds_ == b.thresholds_


def test_svm_head_also_gives_probabilities() -> None:
    model = ComplaintRouter(head="svm", threshold_folds=2, min_df=1).fit(
        corpus.texts(), corpus.opd()
    )
    proba = model.predict_proba(["limbah pabrik mencemari sungai"])
    assert proba.sum() == pytest.approx(1.0, abs=1e-6)
    assert model.predict(["limbah pabrik mencemari sungai"])[0] == "DLH"
