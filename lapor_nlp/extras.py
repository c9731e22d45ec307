"""Optional dependencies, installed as extras: ``lapor-nlp[postgres]`` and ``lapor-nlp[charts]``.

The core install serves, predicts and retrains on SQLite without them; a use that needs one
gets a :class:`~lapor_nlp.errors.MissingExtraError` saying which extra to install.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from lapor_nlp.errors import MissingExtraError

EXTRAS = {"psycopg": "postgres", "matplotlib": "charts"}


def require(module: str, purpose: str) -> ModuleType:
    """Import ``module`` (a key of :data:`EXTRAS`) or say which extra ``purpose`` needs."""
    try:
        return importlib.import_module(module)
    except ImportError:
        extra = EXTRAS[module]
        raise MissingExtraError(
            f"{purpose} needs {module}, which is not installed: pip install 'lapor-nlp[{extra}]'"
        ) from None
