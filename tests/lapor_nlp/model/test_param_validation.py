"""Our estimators declare their parameters the way scikit-learn does, and its checks pass."""

from __future__ import annotations

import pytest
from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import check_param_validation

from lapor_nlp.model import ComplaintRouter
from lapor_nlp.text.preprocessor import TextPreprocessor


@pytest.mark.parametrize(
    "estimator", [ComplaintRouter(), TextPreprocessor()], ids=lambda e: type(e).__name__
)
def test_scikit_learn_parameter_checks_pass(estimator: BaseEstimator) -> None:
    estimator._validate_params()  # scikit-learn's own validation accepts the defaults
    check_param_validation(type(estimator).__name__, estimator)
