"""Packages of the wheel; the rest of the metadata is in pyproject.toml.

The repository keeps the HTTP app in the top-level folder ``api/``; it is installed as
``lapor_nlp.api`` (never as a generic top-level ``api``). In a checkout the symbolic link
``lapor_nlp/api -> ../api`` gives the development tools (mypy, pytest, the editable install)
the same module names.

Besides the code, the wheel carries the bundled default model and the training data it was
built from (a retrain reads them again), laid out under ``lapor_nlp/_shipped`` as in the
repository (``models/bundled``, ``training/data``); see ``lapor_nlp/paths.py``.
"""

from setuptools import find_packages, setup

SHIPPED = {
    "lapor_nlp._shipped.models.bundled": "models/bundled",
    "lapor_nlp._shipped.training.data": "training/data",
}
API = ["lapor_nlp.api", *(f"lapor_nlp.api.{name}" for name in find_packages("api"))]

setup(
    packages=[
        *find_packages(include=["lapor_nlp*"], exclude=["lapor_nlp.api", "lapor_nlp.api.*"]),
        *API,
        *SHIPPED,
    ],
    package_dir={"lapor_nlp.api": "api", **SHIPPED},
    package_data={
        "": ["*.csv", "*.tsv", "*.txt", "*.json", "*.ini", "*.mako", "*.html", "*.css", "*.js"],
        # Data folders without an __init__.py belong to the package above them.
        "lapor_nlp.taxonomy": ["data/*.csv"],
        "lapor_nlp.text": ["data/*.txt", "data/*.tsv"],
        "lapor_nlp.api.console": ["templates/*.html", "static/*"],
        "lapor_nlp._shipped.models.bundled": ["*/model.joblib", "*/metadata.json"],
        "lapor_nlp._shipped.training.data": ["*.csv"],
    },
)
