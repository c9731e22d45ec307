"""Step 1: Unicode and markup clean-up of raw complaint text.

The clean-up keeps the letter case, so that :func:`lapor_nlp.text.mask.mask_personal_data`
can still see upper-case vehicle plates afterwards; :func:`normalize_text` adds lower-casing.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

__all__ = ["clean_text", "normalize_text", "remove_control_characters", "strip_html"]

_TAG_RE = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>", re.DOTALL)
_ENTITY_HINT_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+\d*);?")
# Zero-width and directional format characters that should simply disappear.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
_INVISIBLE += "".join(chr(c) for c in range(0x202A, 0x202F)) + "".join(
    chr(c) for c in range(0x2066, 0x206A)
)
_CONTROL_RE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")


@lru_cache(maxsize=1)
def _control_table() -> dict[int, str | None]:
    """Translation table: C0/C1 controls to a space, invisible format characters to nothing."""
    table: dict[int, str | None] = {c: " " for c in range(0x20) if chr(c) not in "\n\t"}
    table.update({c: " " for c in range(0x7F, 0xA0)})
    table.update({ord(ch): None for ch in _INVISIBLE})
    return table


def strip_html(text: str) -> str:
    """Decode HTML entities and replace HTML tags by a space.

    Entities are decoded first so that escaped markup (``&lt;b&gt;``) is removed as well.
    A lone ``<`` or ``>`` (``harga < 5000``) is not a tag and stays.

    Examples
    --------
    >>> strip_html("<p>Jalan&nbsp;rusak</p>")
    ' Jalan\\xa0rusak '
    """
    if "&" in text and _ENTITY_HINT_RE.search(text):
        text = html.unescape(text)
    if "<" in text:
        text = _TAG_RE.sub(" ", text)
    return text


def remove_control_characters(text: str) -> str:
    """Replace control characters by a space and drop zero-width ones (newline and tab stay).

    Examples
    --------
    >>> remove_control_characters("air\\x00mati\\u200b")
    'air mati'
    """
    if text.isprintable() or _CONTROL_RE.search(text) is None:
        return text
    return text.translate(_control_table())


def clean_text(text: str) -> str:
    """NFKC, HTML tags and entities removed, control characters removed; case kept.

    Examples
    --------
    >>> clean_text("<b>Ｊａｌａｎ</b> rusak&amp;berlubang")
    ' Jalan  rusak&berlubang'
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = strip_html(text)
    if not text.isascii():
        # entities may decode to characters that need NFKC again (&#xFF21; -> A)
        text = unicodedata.normalize("NFKC", text)
    return remove_control_characters(text)


def normalize_text(text: str) -> str:
    """:func:`clean_text` followed by lower-casing.

    Examples
    --------
    >>> normalize_text("PDAM &amp; PLN")
    'pdam & pln'
    """
    return clean_text(text).lower()
