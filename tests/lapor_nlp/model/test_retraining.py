"""The retraining core: fixed held-out shares, feedback labels, the comparison report."""

from __future__ import annotations

from itertools import count
from pathlib import Path

import pandas as pd
import pytest

from lapor_nlp.data.base import Rows, base_data_spec, in_heldout, load_base_data
from lapor_nlp.errors import DataValidationError
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.model.decision import NEVER_AUTO, AutoPair
from lapor_nlp.model.retraining import (
    FEEDBACK_HELDOUT_FRACTION,
    FEEDBACK_HELDOUT_SALT,
    FeedbackLabel,
    VerdictText,
    drop_singletons,
    operator_levels,
    retrain,
)
from lapor_nlp.model.training import train_model
from lapor_nlp.model.weighting import WEIGHT_GRID
from tests.lapor_nlp.model import corpus


@pytest.fixture(scope="module")
def base_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("base") / "base.csv"
    rows = [(f"{t} (kasus {i})", o, c) for i, (t, o, c) in enumerate(corpus.ROWS * 3)]
    pd.DataFrame(rows, columns=["text", "opd", "category"]).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def spec(base_csv: Path) -> dict[str, object]:
    return base_data_spec(
        base_csv,
        text_col="text",
        opd_col="opd",
        category_col="category",
        nonroutable_path=None,
        heldout_fraction=0.2,
    )


@pytest.fixture(scope="module")
def active(spec: dict[str, object]):  # type: ignore[no-untyped-def]
    return train_model(spec, router=ComplaintRouter(threshold_folds=2))


def _keys(prefix: str, n: int, *, held_out: bool) -> list[str]:
    """``n`` complaint ids the retraining holds out (or trains on), found by their hash."""
    keys = (f"{prefix}{i}" for i in count())
    chosen = (
        k
        for k in keys
        if in_heldout(k, FEEDBACK_HELDOUT_FRACTION, FEEDBACK_HELDOUT_SALT) is held_out
    )
    return [next(chosen) for _ in range(n)]


def _verdicts(prefix: str, texts: list[str], *, held_out: bool = False) -> list[VerdictText]:
    keys = _keys(prefix, len(texts), held_out=held_out)
    return [VerdictText(k, t) for k, t in zip(keys, texts, strict=True)]


def test_heldout_membership_is_stable_and_near_the_fraction() -> None:
    keys = [f"complaint-{i}" for i in range(2000)]
    first = [in_heldout(k, 0.1, "salt") for k in keys]
    assert first == [in_heldout(k, 0.1, "salt") for k in keys]
    assert 0.07 < sum(first) / len(keys) < 0.13
    assert first != [in_heldout(k, 0.1, "other") for k in keys]


def test_base_data_is_split_and_refused_when_changed(
    spec: dict[str, object], base_csv: Path
) -> None:
    base = load_base_data(spec)
    assert len(base.train) + len(base.heldout) == len(corpus.ROWS) * 3
    assert not set(base.train.texts) & set(base.heldout.texts)
    changed = {**spec, "sha256": "0" * 64}
    with pytest.raises(DataValidationError, match="changed since"):
        load_base_data(changed)


def test_first_training_scores_its_heldout_rows(active) -> None:  # type: ignore[no-untyped-def]
    assert active.metadata["heldout_test"]["n"] > 0
    assert active.metadata["base_data"]["heldout_fraction"] == 0.2


def test_drop_singletons() -> None:
    rows = Rows(
        ["a", "b", "c", "d", "e", "f", "g", "h"],
        ["X", "X", "Y", "Y", "Y", "Z", "W", "W"],
        ["K1", "K1", "K2", "K2", "K9", "K3", "K7", "K8"],
    )
    kept, notes = drop_singletons(rows)
    assert kept.opd == ["X", "X", "Y", "Y", "Y"]
    assert kept.category == ["K1", "K1", "K2", "K2", "K2"]
    assert kept.texts == ["a", "b", "c", "d", "e"]
    assert len(notes) == 3
    assert kept.fields is None


def test_drop_singletons_keeps_the_fields_with_their_rows() -> None:
    from lapor_nlp.data.fields import ComplaintFields

    places = [ComplaintFields(kecamatan=k) for k in "abcde"]
    rows = Rows(["a", "b", "c", "d", "e"], ["X", "Z", "X", "Y", "Y"], None, places)
    kept, _ = drop_singletons(rows.extend(Rows(["f"], ["Y"])))  # a correction without fields
    assert kept.texts == ["a", "c", "d", "e", "f"]
    assert kept.fields == [places[0], places[2], places[3], places[4], ComplaintFields()]


def test_retrain_learns_corrections_and_reports(active) -> None:  # type: ignore[no-untyped-def]
    # Operators say complaints about "kabel listrik" belong to DPUPR (a new phrasing), once
    # with a category seen nowhere else, which must not break the category head.
    labels = [
        FeedbackLabel(f"c{i}", f"kabel listrik putus di tiang nomor {i} dekat jalan", "DPUPR", None)
        for i in range(12)
    ]
    labels.append(FeedbackLabel("odd", "kabel listrik jatuh lagi", "DPUPR", "TIK"))
    result = retrain(
        active.router,
        active.metadata,
        labels,
        extra_nonroutable=_verdicts("ni", ["mohon info lanjut", "?"]),
    )
    assert result.router.predict(["kabel listrik putus di tiang"])[0] == "DPUPR"
    report = result.report
    assert {"candidate", "active", "per_opd", "macro_f1_delta", "not_worse"} <= set(report)
    assert report["rows"]["feedback_train"] + report["rows"]["feedback_heldout"] == 13
    assert report["rows"]["needs_info_examples"] == 2
    assert result.metadata["base_data"] == active.metadata["base_data"]


def _cable_corrections(n: int) -> list[FeedbackLabel]:
    # Road words the active model files under DPUPR; operators say DISNAKERTRANS.
    return [
        FeedbackLabel(
            f"k{i}", f"kabel listrik jalan poros berlubang putus nomor {i}", "DISNAKERTRANS"
        )
        for i in range(n)
    ]


def test_retrain_weighs_corrections_and_reports_them_beside_the_active_model(active) -> None:  # type: ignore[no-untyped-def]
    result = retrain(active.router, active.metadata, _cable_corrections(30))
    report = result.report
    weight = report["feedback_weight"]
    assert weight["weight"] in WEIGHT_GRID and "inner folds" in weight["chosen_by"]
    assert [s["weight"] for s in weight["scores"]] == list(WEIGHT_GRID)
    assert result.metadata["feedback_weight"] == weight
    verified = report["verified"]
    assert verified["n"] == report["rows"]["feedback_heldout"] > 0
    assert verified["active"]["top1"] == 0.0 and verified["active"]["correct"] == 0
    assert verified["candidate"]["top1"] == 1.0
    for side in ("active", "candidate"):
        score = verified[side]
        expected = round(score["correct"] / score["auto"], 4) if score["auto"] else None
        assert score["precision"] == expected
    # the candidate's pair was fitted on folds holding the corrections, above the old pair
    thresholds = result.router.thresholds_
    assert thresholds["verified"]["n"] == report["rows"]["feedback_train"]
    floor = active.router.thresholds_
    assert thresholds["floor"] == {"threshold": floor["threshold"], "margin": floor["margin"]}


def test_auto_decisions_on_complaints_judged_without_an_opd_count_as_wrong(active) -> None:  # type: ignore[no-untyped-def]
    # Complaints both models route ``auto`` that operators judged not the province's matter or
    # incomplete: held out, they train neither model and every auto decision on them is wrong.
    texts = [t for t, _, _ in corpus.ROWS]
    decisions = active.router.route(texts, top_k=1, explain=False)
    sure = [t for t, d in zip(texts, decisions, strict=True) if d.decision == "auto"][:4]
    assert len(sure) == 4
    labels = _cable_corrections(30)
    plain = retrain(active.router, active.metadata, labels, feedback_weight=3.0)
    judged = retrain(
        active.router,
        active.metadata,
        labels,
        feedback_weight=3.0,
        extra_not_authority=_verdicts("na", sure[:2], held_out=True),
        extra_nonroutable=_verdicts("ni", sure[2:], held_out=True),
    )
    rows, verified = judged.report["rows"], judged.report["verified"]
    assert rows["unlabelled_heldout"] == verified["unlabelled"] == 4
    assert rows["not_authority_feedback"] == 0  # held out: not trained on
    assert rows["needs_info_examples"] == plain.report["rows"]["needs_info_examples"]
    before, after = plain.report["verified"]["active"], verified["active"]
    assert after["auto"] == before["auto"] + 4 and after["correct"] == before["correct"]
    assert after["top1"] == before["top1"]  # no OPD label: no part in top-1
    assert after["precision"] == round(after["correct"] / after["auto"], 4)
    candidate = verified["candidate"]
    assert candidate["auto"] >= plain.report["verified"]["candidate"]["auto"]
    assert candidate["correct"] == plain.report["verified"]["candidate"]["correct"]


def test_the_candidates_pair_starts_no_looser_than_the_pair_in_force(active) -> None:  # type: ignore[no-untyped-def]
    fitted = active.router.thresholds_
    stricter = AutoPair(min(fitted["threshold"] + 0.05, 1.0), fitted["margin"] + 0.1)
    looser = AutoPair(max(fitted["threshold"] - 0.1, 0.0), 0.0)
    floors = {}
    for name, in_force in (("stricter", stricter), ("looser", looser)):
        result = retrain(
            active.router,
            active.metadata,
            _cable_corrections(10),
            feedback_weight=3.0,
            pair_in_force=in_force,
        )
        floors[name] = result.router.thresholds_["floor"]
        fit = result.router.thresholds_
        pair = AutoPair(fit["threshold"], fit["margin"])
        assert pair.threshold == NEVER_AUTO or pair.at_least_as_strict_as(AutoPair(**floors[name]))
    assert floors["stricter"] == {"threshold": stricter.threshold, "margin": stricter.margin}
    # a looser override does not loosen the floor below the serving model's fitted pair
    assert floors["looser"] == {"threshold": fitted["threshold"], "margin": fitted["margin"]}


def test_the_deployment_may_set_the_weight_of_corrections(active) -> None:  # type: ignore[no-untyped-def]
    labels = _cable_corrections(30)
    result = retrain(active.router, active.metadata, labels, feedback_weight=3.0)
    assert result.report["feedback_weight"] == {
        "weight": 3.0,
        "chosen_by": "LAPOR_FEEDBACK_WEIGHT",
        "rows": result.report["rows"]["feedback_train"],
        "scores": [],
    }


def test_retraining_fits_the_threshold_for_the_deployments_target_precision(active) -> None:  # type: ignore[no-untyped-def]
    assert active.router.target_precision == 0.95
    labels = [
        FeedbackLabel(f"t{i}", f"kabel listrik putus nomor {i}", "DPUPR", None) for i in range(6)
    ]
    result = retrain(active.router, active.metadata, labels, target_precision=0.8)
    assert result.router.target_precision == 0.8
    assert result.router.thresholds_["target_precision"] == 0.8


def test_a_retrained_candidate_holds_no_personal_data(active) -> None:  # type: ignore[no-untyped-def]
    import pickle

    from tests.pii_variants import leaks, variant_texts

    labels = [FeedbackLabel(f"p{i}", text, "DPUPR", None) for i, text in enumerate(variant_texts())]
    result = retrain(
        active.router,
        active.metadata,
        labels,
        extra_nonroutable=_verdicts("pii", variant_texts()),
        extra_not_authority=_verdicts("pii-held", variant_texts(), held_out=True),
    )
    assert result.report["rows"]["feedback_train"] > 0
    assert leaks(" ".join(result.router.word_feature_names_)) == []
    assert leaks(pickle.dumps(result.router).decode("latin-1")) == []


def test_not_authority_rows_and_verdicts_teach_the_authority_head(
    base_csv: Path, tmp_path: Path
) -> None:
    other = tmp_path / "not_authority.csv"
    closest = {"bumn": "DLH", "pusat": "DINSOS", "kabkota": "DPUPR"}
    pd.DataFrame(
        [("", text, level, closest[level]) for text, level in corpus.NOT_AUTHORITY],
        columns=["title", "text", "level", "opd"],
    ).to_csv(other, index=False)
    spec = base_data_spec(
        base_csv,
        text_col="text",
        opd_col="opd",
        category_col="category",
        nonroutable_path=None,
        heldout_fraction=0.2,
        not_authority_path=other,
    )
    run = train_model(spec, router=ComplaintRouter(threshold_folds=2))
    assert run.metadata["not_authority_rows"] == len(corpus.NOT_AUTHORITY)
    # they also train the OPD head on their closest OPD: base training rows + these rows
    base_rows = len(load_base_data(spec).train)
    assert run.metadata["training_rows"] == base_rows + len(corpus.NOT_AUTHORITY)
    assert run.router.predict_authority_proba(["tagihan listrik PLN naik"]) is not None
    verdicts = ["meteran listrik PLN di rumah saya rusak dan tagihan membengkak"]
    assert operator_levels(run.router, verdicts) == ["bumn"]  # the model's likeliest other level
    result = retrain(run.router, run.metadata, [], extra_not_authority=_verdicts("na", verdicts))
    rows = result.report["rows"]
    assert rows["not_authority_feedback"] == 1 and rows["unlabelled_heldout"] == 0
    assert rows["not_authority_examples"] == len(corpus.NOT_AUTHORITY) + 1


def test_not_authority_file_with_an_unknown_level_is_refused(
    base_csv: Path, tmp_path: Path
) -> None:
    other = tmp_path / "bad.csv"
    pd.DataFrame([("PLN", "tagihan naik", "desa")], columns=["title", "text", "level"]).to_csv(
        other, index=False
    )
    spec = base_data_spec(
        base_csv,
        text_col="text",
        opd_col="opd",
        category_col="category",
        nonroutable_path=None,
        heldout_fraction=0.2,
        not_authority_path=other,
    )
    with pytest.raises(DataValidationError, match="level 'desa' is not one of"):
        load_base_data(spec)
