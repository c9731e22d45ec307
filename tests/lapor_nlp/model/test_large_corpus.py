"""Training at national volume: one split instead of folds above a size, a bounded
vocabulary sample, and progress by stage with an estimate of the time left."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lapor_nlp.model import ComplaintRouter
from lapor_nlp.model.crossfit import cross_fit_head, holdout_split
from lapor_nlp.model.features import ComplaintFeatures
from tests.lapor_nlp.model import corpus
from tests.lapor_nlp.model.conftest import run


def _rows(copies: int) -> tuple[list[str], list[str], list[str]]:
    texts = [f"{t} laporan {i}" for i in range(copies) for t, _, _ in corpus.ROWS]
    return texts, corpus.opd() * copies, [c for _, _, c in corpus.ROWS] * copies


def test_one_split_keeps_the_model_of_its_training_part_and_calibrates_on_the_rest() -> None:
    texts, opd, _ = _rows(4)
    labels = np.asarray(opd)
    X = ComplaintFeatures(min_df=1).fit(texts).transform(texts)
    folds = holdout_split(labels, 40, 0)
    ((train, test),) = folds
    assert len(test) == 40 and set(labels[train]) == set(labels) == set(labels[test])
    fit = cross_fit_head(
        "svm", X, labels, folds=folds, C=0.5, random_state=0, sample_weight=np.ones(len(labels))
    )
    assert fit.fits == 1 and fit.n_splits == 1
    assert fit.oof_rows.tolist() == sorted(test.tolist())
    assert fit.oof_proba is not None and fit.oof_proba.shape == (40, len(set(opd)))
    # the kept model is the training part's: its probabilities on the held-out rows are the
    # out-of-fold ones
    np.testing.assert_allclose(fit.head.predict_proba(X[fit.oof_rows]), fit.oof_proba, atol=1e-5)


def test_the_router_switches_to_one_split_above_its_size() -> None:
    texts, opd, category = _rows(10)
    folded = ComplaintRouter(threshold_folds=3, random_state=0).fit(texts, opd, category)
    assert folded.heldout_metrics_["folds"] == 3
    assert folded.heldout_metrics_["opd"]["n"] == len(texts)
    split = ComplaintRouter(
        threshold_folds=3, one_split_above=len(texts) - 1, split_holdout=60, random_state=0
    ).fit(texts, opd, category)
    assert split.heldout_metrics_["folds"] == 1
    assert split.heldout_metrics_["opd"]["n"] == 60
    assert split.heldout_metrics_["category"]["n"] == 60
    assert split.predict(["sampah menumpuk di TPS dan bau busuk"])[0] == "DLH"


def test_fit_reports_every_stage_to_its_end() -> None:
    texts, opd, category = _rows(2)
    heard: list[tuple[str, int, int]] = []
    ComplaintRouter(threshold_folds=2, random_state=0).fit(
        texts,
        opd,
        category,
        nonroutable=["halo admin", "selamat pagi", "tes tes"],
        progress=lambda stage, done, total: heard.append((stage, done, total)),
    )
    stages = list(dict.fromkeys(stage for stage, _, _ in heard))
    assert stages == [
        "text pipeline: stems",
        "text pipeline",
        "features",
        "OPD head",
        "category head",
        "content gate and authority head",
    ]
    last = {stage: (done, total) for stage, done, total in heard}
    assert all(done == total for done, total in last.values())
    assert last["OPD head"] == (3, 3)  # two folds and the final fit
    assert last["text pipeline"] == (len(texts), len(texts))


def test_train_shows_its_stages_on_stderr(data_csv: Path, tmp_path: Path) -> None:
    result = run(
        "train", "--data", str(data_csv), "--text-col", "isi", "--opd-col", "instansi",
        "--out", str(tmp_path / "m"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for stage in ("reading data", "text pipeline", "OPD head", "held-out test rows", "ETA"):
        assert stage in result.stderr


@pytest.mark.parametrize("bad", [0, -5])
def test_a_bad_vocabulary_sample_is_refused(bad: int) -> None:
    texts, opd, _ = _rows(1)
    with pytest.raises(ValueError, match="vocabulary_sample"):
        ComplaintRouter(vocabulary_sample=bad).fit(texts, opd)


def test_a_model_pickled_before_a_parameter_existed_loads_clones_and_routes() -> None:
    """Artifacts outlive code: parameters added since take their defaults on load."""
    import pickle

    from sklearn.base import clone

    texts, opd, _ = _rows(2)
    router = ComplaintRouter(threshold_folds=2, random_state=0).fit(texts, opd)
    for name in ("one_split_above", "split_holdout", "vocabulary_sample"):
        del router.__dict__[name]
    del router.vectorizer_.__dict__["fit_sample"]
    del router.vectorizer_.word_.__dict__["fit_sample"]
    loaded = pickle.loads(pickle.dumps(router))
    assert loaded.one_split_above == 200_000 and loaded.vocabulary_sample == 100_000
    assert loaded.vectorizer_.fit_sample is None and loaded.vectorizer_.word_.fit_sample is None
    assert clone(loaded).get_params()["split_holdout"] == 50_000
    assert loaded.predict(["sampah menumpuk di TPS dan bau busuk"])[0] == "DLH"
