"""Packages of the wheel; the rest of the metadata is in pyproject.toml.

Besides the code, the wheel carries the bundled default model and the training data it was
built from (a retrain reads them again), laid out under ``lapor_nlp/_shipped`` as in the
repository (``models/bundled``, ``training/data``); see ``lapor_nlp/paths.py``.
"""

from setuptools import find_packages, setup

SHIPPED = {
    "lapor_nlp._shipped.models.bundled": "models/bundled",
    "lapor_nlp._shipped.training.data": "training/data",
}

setup(
    packages=[*find_packages(include=["lapor_nlp*", "api*"]), *SHIPPED],
    package_dir=SHIPPED,
    package_data={
        "": ["*.csv", "*.tsv", "*.txt", "*.json", "*.ini", "*.mako", "*.html", "*.css", "*.js"],
        "api.console": ["templates/*.html", "static/*"],
        "lapor_nlp._shipped.models.bundled": ["*/model.joblib", "*/metadata.json"],
        "lapor_nlp._shipped.training.data": ["*.csv"],
    },
)
