"""Personal-data masking for everything the service stores, answers or logs."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=1)
def _masker() -> Callable[[str], str]:
    # Imported on first use: the text package loads word lists, which is start-up work.
    masker: Callable[[str], str] = importlib.import_module("lapor_nlp.text").mask_personal_data
    return masker


def mask(text: str) -> str:
    """``text`` with NIK, phone numbers, e-mails and similar replaced by placeholders."""
    return _masker()(text)


def mask_optional(text: str | None) -> str | None:
    return None if text is None else mask(text)
