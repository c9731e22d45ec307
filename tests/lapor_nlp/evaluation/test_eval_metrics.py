from __future__ import annotations

import math

import numpy as np
import pytest

from lapor_nlp.errors import DataValidationError
from lapor_nlp.evaluation.metrics import (
    accuracy,
    auto_route_quality,
    confusion_matrix,
    expected_calibration_error,
    macro_f1,
    per_class_metrics,
    precision_coverage_curve,
    routed_quality,
    top_k_accuracy,
)

AB = ["a", "b"]
# top-1: a (right), a (wrong), b (right), b (wrong); confidences 0.9, 0.8, 0.7, 0.6
Y4 = ["a", "b", "b", "a"]
P4 = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.4, 0.6]])


def test_accuracy_and_macro_f1() -> None:
    assert accuracy(Y4, P4, AB) == 0.5
    # a: P=1/2 R=1/2 F=1/2; b: same
    assert macro_f1(Y4, P4, AB) == pytest.approx(0.5)


def test_ece_each_example_in_its_own_bin() -> None:
    # bins of width 1/15: 0.9, 0.8, 0.7, 0.6 fall in four different bins
    expected = (abs(1 - 0.9) + abs(0 - 0.8) + abs(1 - 0.7) + abs(0 - 0.6)) / 4
    assert expected_calibration_error(Y4, P4, AB) == pytest.approx(expected)  # 0.45


def test_ece_shared_bin() -> None:
    proba = np.array([[0.90, 0.10], [0.92, 0.08]])
    # both in bin (13/15, 14/15]; accuracy 1/2, mean confidence 0.91
    assert expected_calibration_error(["a", "b"], proba, AB) == pytest.approx(0.41)


def test_ece_bin_edge_belongs_to_lower_bin() -> None:
    # 1/3 = 5/15 is the upper edge of bin 4; 0.34 is in bin 5: separate bins
    proba = np.array([[1 / 3, 1 / 3, 1 / 3], [0.34, 0.33, 0.33]])
    ece = expected_calibration_error(["a", "b"], proba, ["a", "b", "c"], n_bins=15)
    assert ece == pytest.approx((abs(1 - 1 / 3) + abs(0 - 0.34)) / 2)
    # with 2 bins both are in the first bin: accuracy 1/2, confidence 0.33667
    ece2 = expected_calibration_error(["a", "b"], proba, ["a", "b", "c"], n_bins=2)
    assert ece2 == pytest.approx(abs(0.5 - (1 / 3 + 0.34) / 2))


def test_perfectly_calibrated_is_zero() -> None:
    proba = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert expected_calibration_error(["a", "b"], proba, AB) == 0.0


def test_top3_accuracy() -> None:
    classes = ["a", "b", "c", "d"]
    proba = np.array(
        [[0.4, 0.3, 0.2, 0.1], [0.4, 0.3, 0.2, 0.1], [0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4]]
    )
    y = ["c", "d", "unknown-to-model", "a"]
    assert top_k_accuracy(y, proba, classes, k=3) == 0.25
    assert top_k_accuracy(y, proba, classes, k=4) == 0.75
    assert top_k_accuracy(y, proba, classes, k=1) == 0.0
    assert top_k_accuracy(y, proba, classes, k=99) == 0.75  # k capped at the class count


CURVE_Y = ["a", "b", "b", "a"]
CURVE_P = np.array([[0.95, 0.05], [0.15, 0.85], [0.75, 0.25], [0.55, 0.45]])


def test_precision_coverage_on_top1_probability() -> None:
    curve = precision_coverage_curve(CURVE_Y, CURVE_P, AB, thresholds=[0.5, 0.8, 0.9, 0.99])
    assert [(p.threshold, p.coverage, p.precision, p.n_routed) for p in curve] == [
        (0.5, 1.0, 0.75, 4),
        (0.8, 0.5, 1.0, 2),
        (0.9, 0.25, 1.0, 1),
        (0.99, 0.0, None, 0),
    ]


def test_precision_coverage_on_margin() -> None:
    # margins 0.9, 0.7, 0.5, 0.1
    curve = precision_coverage_curve(CURVE_Y, CURVE_P, AB, kind="margin", thresholds=[0.5, 0.8])
    assert curve[0].coverage == 0.75
    assert curve[0].precision == pytest.approx(2 / 3)
    assert (curve[1].coverage, curve[1].precision) == (0.25, 1.0)


def test_auto_route_rule_needs_both_conditions() -> None:
    point = auto_route_quality(CURVE_Y, CURVE_P, AB, threshold=0.7, margin=0.6)
    assert (point.coverage, point.precision, point.n_routed) == (0.5, 1.0, 2)
    point = auto_route_quality(CURVE_Y, CURVE_P, AB, threshold=0.5)
    assert (point.coverage, point.precision) == (1.0, 0.75)


def test_routed_mask_quality() -> None:
    point = routed_quality(CURVE_Y, CURVE_P, AB, np.array([True, False, True, False]))
    assert (point.coverage, point.precision, point.n_routed) == (0.5, 0.5, 2)
    assert math.isnan(point.threshold)


def test_per_class_and_confusion() -> None:
    proba = np.array([[0.9, 0.1], [0.4, 0.6], [0.2, 0.8], [0.3, 0.7]])
    y = ["a", "a", "b", "b"]
    metrics = {m.label: m for m in per_class_metrics(y, proba, AB)}
    assert (metrics["a"].precision, metrics["a"].recall, metrics["a"].support) == (1.0, 0.5, 2)
    assert metrics["b"].precision == pytest.approx(2 / 3)
    assert metrics["b"].recall == 1.0
    assert metrics["b"].f1 == pytest.approx(0.8)
    matrix, labels = confusion_matrix(y, proba, AB)
    assert labels == ["a", "b"]
    assert matrix.tolist() == [[1, 1], [0, 2]]


def test_labels_unknown_to_the_model_are_reported() -> None:
    proba = np.array([[0.9, 0.1], [0.2, 0.8]])
    matrix, labels = confusion_matrix(["a", "zz"], proba, AB)
    assert labels == ["a", "b", "zz"]
    assert matrix.tolist() == [[1, 0, 0], [0, 0, 0], [0, 1, 0]]
    assert {m.label for m in per_class_metrics(["a", "zz"], proba, AB)} == {"a", "b", "zz"}


def test_shape_mismatch_is_an_error() -> None:
    with pytest.raises(DataValidationError, match="proba must be"):
        accuracy(["a"], np.array([[0.5, 0.5, 0.0]]), AB)
    with pytest.raises(DataValidationError, match="no examples"):
        accuracy([], np.zeros((0, 2)), AB)
