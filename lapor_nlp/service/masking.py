"""Personal-data masking for everything the service stores, answers or logs."""

from __future__ import annotations

from lapor_nlp.text import mask_personal_data


def mask(text: str) -> str:
    """``text`` with NIK, phone numbers, e-mails and similar replaced by placeholders."""
    return mask_personal_data(text)


def mask_optional(text: str | None) -> str | None:
    """:func:`mask` for an optional field: None stays None."""
    return None if text is None else mask(text)
