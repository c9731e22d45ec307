"""The surface view of a complaint: the words as the citizen wrote them, masked, not stemmed.

Stemming and stopword removal serve the word n-grams; character n-grams read spelling, which
stemming throws away (prefixes, suffixes, the short words that carry the agency's jargon). The
surface view keeps all of it but the personal data.
"""

from __future__ import annotations

import re

from lapor_nlp.text.mask import PLACEHOLDERS, mask_personal_data
from lapor_nlp.text.normalize import clean_text

__all__ = ["surface_text"]

_LOWERED_PLACEHOLDER_RE = re.compile("|".join(re.escape(p.lower()) for p in PLACEHOLDERS.values()))


def surface_text(text: str) -> str:
    """:func:`clean_text`, personal data masked, then lower-cased but for the placeholders.

    Masking comes before lower-casing because it needs the case (vehicle plates); the
    placeholders stay as written (``[NIK]``), so their character n-grams differ from a
    citizen's word "nik".

    Examples
    --------
    >>> surface_text("Jalan RUSAK, hub 081234567890!")
    'jalan rusak, hub [TELEPON]!'
    """
    lowered = mask_personal_data(clean_text(text)).lower()
    return _LOWERED_PLACEHOLDER_RE.sub(lambda match: match.group(0).upper(), lowered)
