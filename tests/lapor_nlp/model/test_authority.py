"""The authority head: complaints another level owns go to review with that level shown."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from lapor_nlp.model import ComplaintRouter
from lapor_nlp.model.authority import LEVELS, authority_calls
from tests.lapor_nlp.model import corpus


def _fit(**params: object) -> ComplaintRouter:
    return ComplaintRouter(threshold_folds=2, min_df=1, random_state=0, **params).fit(  # type: ignore[arg-type]
        corpus.texts(),
        corpus.opd(),
        corpus.category(),
        nonroutable=corpus.NONROUTABLE,
        authority_texts=[t for t, _ in corpus.NOT_AUTHORITY],
        authority_levels=[level for _, level in corpus.NOT_AUTHORITY],
    )


@pytest.fixture(scope="module")
def router() -> ComplaintRouter:
    return _fit(authority_threshold=0.5)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("tagihan listrik PLN naik terus padahal pemakaian sama, meteran rusak", "bumn"),
        ("laporan pencurian di polsek tidak ditanggapi polisi sama sekali", "pusat"),
        ("lurah tidak mau tanda tangan surat keterangan tidak mampu", "kabkota"),
    ],
)
def test_another_levels_matter_goes_to_review_with_its_level(
    router: ComplaintRouter, text: str, level: str
) -> None:
    decision = router.route([text], threshold=0.0, margin=0.0)[0]
    assert decision.authority is not None and decision.authority.level == level
    assert decision.authority.confidence >= 0.5
    assert decision.decision == "review"  # auto at threshold 0 without the authority call
    assert len(decision.opd) == 3  # the OPD suggestions stay


def test_the_provinces_matter_has_no_authority_call(router: ComplaintRouter) -> None:
    decision = router.route(["jalan poros provinsi berlubang besar, motor jatuh"], threshold=0.0)[0]
    assert decision.authority is None
    assert decision.decision == "auto"


def test_threshold_decides_when_the_head_speaks() -> None:
    proba = np.array([[0.2, 0.7, 0.05, 0.05], [0.6, 0.3, 0.05, 0.05], [0.4, 0.45, 0.1, 0.05]])
    classes = np.array(["provinsi", "kabkota", "pusat", "bumn"])
    calls = authority_calls(proba, classes, threshold=0.5)
    assert [c.level if c else None for c in calls] == ["kabkota", None, None]


def test_without_examples_there_is_no_head_and_no_call() -> None:
    model = ComplaintRouter(threshold_folds=2, min_df=1).fit(corpus.texts(), corpus.opd())
    assert model.predict_authority_proba(["tagihan PLN naik"]) is None
    assert model.route(["tagihan PLN naik"])[0].authority is None


def test_bad_levels_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown authority level"):
        ComplaintRouter(threshold_folds=2, min_df=1).fit(
            corpus.texts(), corpus.opd(), authority_texts=["x y z"], authority_levels=["desa"]
        )
    with pytest.raises(ValueError, match="another level than the province"):
        ComplaintRouter(threshold_folds=2, min_df=1).fit(
            corpus.texts(), corpus.opd(), authority_texts=["x y"], authority_levels=["provinsi"]
        )


def test_authority_head_survives_pickling(router: ComplaintRouter) -> None:
    copy = pickle.loads(pickle.dumps(router))
    text = ["token listrik PLN tidak masuk"]
    np.testing.assert_allclose(
        copy.predict_authority_proba(text), router.predict_authority_proba(text)
    )
    assert list(router.authority_head_.classes_) == sorted(LEVELS)
