"""Step 2: personal data replaced by placeholder tokens.

:func:`mask_personal_data` is what the whole project calls before it stores or logs text,
so it works on raw text (any case) and leaves every other character as written.
Money (``Rp 1.750.000``), ``RT 04``, ``km 12``, dates and years are not personal data.
"""

from __future__ import annotations

import re

__all__ = ["PLACEHOLDERS", "mask_personal_data"]

PLACEHOLDERS: dict[str, str] = {
    "NIK": "[NIK]",
    "TELEPON": "[TELEPON]",
    "EMAIL": "[EMAIL]",
    "URL": "[URL]",
    "NPWP": "[NPWP]",
    "REKENING": "[REKENING]",
    "PLAT": "[PLAT]",
}
"""Placeholder written for each kind of personal data."""

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_TLDS = r"(?:com|net|org|id|io|ly|me|info|biz|gov|edu|co|my|sch|ac|web|xyz|app|link|site)"
_URL_RE = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'\[\]]+"
    rf"|\b(?:[a-z0-9-]+\.)+{_TLDS}\b(?:/[^\s<>\"'\[\]]*)?",
    re.IGNORECASE,
)
# Cheap pre-checks: the full patterns run only on the few texts that pass them.
_TLD_HINT_RE = re.compile(rf"\.{_TLDS}\b", re.IGNORECASE)
_NINE_DIGITS_RE = re.compile(r"[0-9](?:[ .\-]?[0-9]){8}")
_PLATE_HINT_RE = re.compile(r"[A-Z] ?[0-9]{1,4} ?[A-Z]")
# One pass over the digits for both: nine digits in a row, or capital, digits, capital.
_DIGITS_HINT_RE = re.compile(
    r"[0-9](?:(?:[ .\-]?[0-9]){8}|(?:(?<=[A-Z][0-9])|(?<=[A-Z] [0-9]))[0-9]{0,3} ?[A-Z])"
)
_URL_TRAILING = ".,;:!?)]}'\""
# A run of digits in groups joined by one separator (space, dot, dash), optionally "+" first.
# A group after a space needs 3+ digits, so "0812345678 2 kali" keeps its "2".
_DIGITS_RE = re.compile(r"(?<![\w+])(\+?)([0-9]+(?:[.\-][0-9]+| [0-9]{3,})*)(?![0-9])")
_GROUP_SEP_RE = re.compile(r"[ .\-]")
_MONEY_RE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_NPWP_SHAPE_RE = re.compile(r"[0-9]{2}\.[0-9]{3}\.[0-9]{3}\.[0-9][.\-][0-9]{3}\.[0-9]{3}")
_YEAR_RE = re.compile(r"(?:19|20)[0-9]{2}")
_LANDLINE_RE = re.compile(r"0[2-7][0-9]")
_NPWP_KEY_RE = re.compile(r"npwp\W{0,3}$", re.IGNORECASE)
# Region codes of Indonesian plates (upper case); Kalimantan Timur's KT in any case.
_PLATE_CODES = frozenset(
    [
        "A",
        "B",
        "D",
        "E",
        "F",
        "G",
        "H",
        "K",
        "L",
        "M",
        "N",
        "P",
        "R",
        "S",
        "T",
        "W",
        "Z",
        "AA",
        "AB",
        "AD",
        "AE",
        "AG",
        "BA",
        "BB",
        "BD",
        "BE",
        "BG",
        "BH",
        "BK",
        "BL",
        "BM",
        "BN",
        "BP",
        "DA",
        "DB",
        "DC",
        "DD",
        "DE",
        "DG",
        "DH",
        "DK",
        "DL",
        "DM",
        "DN",
        "DR",
        "DT",
        "EA",
        "EB",
        "ED",
        "KB",
        "KH",
        "KT",
        "KU",
        "PA",
        "PB",
    ]
)
# A plate's number and letters; its region code is checked in the text just before.
_PLATE_TAIL_RE = re.compile(r"(?<![0-9])[0-9]{1,4}( ?)([A-Za-z]{1,3})\b")
_PLATE_HEAD_RE = re.compile(r"(?:^|[^0-9A-Za-z])([A-Za-z]{1,2})( ?)$")
_NOT_PLATE_SUFFIX = frozenset({"RT", "RW"})


def _classify(digits: str, raw: str, plus: bool, before: str) -> str | None:
    """Placeholder kind for one digit run, or None when it is not personal data."""
    n = len(digits)
    if " " in raw and all(_YEAR_RE.fullmatch(g) for g in raw.split(" ")):
        return None  # "2019 2020 2021"
    if plus or digits.startswith("62"):
        if digits.startswith("628") and 10 <= n <= 15:
            return "TELEPON"
        if plus:
            return None
    if digits.startswith("08") and 10 <= n <= 13:
        return "TELEPON"
    if _LANDLINE_RE.match(digits) and 9 <= n <= 12 and raw != digits:
        return "TELEPON"
    if _NPWP_SHAPE_RE.fullmatch(raw) or (n in (15, 16) and _NPWP_KEY_RE.search(before)):
        return "NPWP"
    if n == 16:
        return "NIK"
    if n >= 10 and not _MONEY_RE.fullmatch(raw):
        return "REKENING"
    return None


def _mask_digit_run(match: re.Match[str]) -> str:
    """Mask the longest leading groups of a digit run that are personal data, then the rest."""
    plus, body = match.group(1), match.group(2)
    if len(body) < 9:  # fewer than 9 characters cannot hold 9 digits
        return match.group(0)
    before = match.string[max(0, match.start() - 8) : match.start()]
    parts = _GROUP_SEP_RE.split(body)
    seps = _GROUP_SEP_RE.findall(body)
    out: list[str] = []
    start = 0
    while start < len(parts):
        for end in range(len(parts), start, -1):
            raw = "".join(
                p + s for p, s in zip(parts[start:end], [*seps[start : end - 1], ""], strict=True)
            )
            kind = _classify("".join(parts[start:end]), raw, bool(plus) and start == 0, before)
            if kind is not None:
                out.append(PLACEHOLDERS[kind])
                break
        else:
            end = start + 1
            out.append((plus if start == 0 else "") + parts[start])
        if end < len(parts):
            out.append(seps[end - 1])
        start = end
    return "".join(out)


def _plate_start(text: str, match: re.Match[str]) -> int | None:
    """Start of the plate whose number and letters ``match`` found, or None."""
    head = _PLATE_HEAD_RE.search(text, max(0, match.start() - 4), match.start())
    if head is None or bool(head.group(2)) != bool(match.group(1)):
        return None  # "KT 1234AB" or "KT1234 AB": spacing must be consistent
    code, suffix = head.group(1), match.group(2)
    if suffix.upper() in _NOT_PLATE_SUFFIX:
        return None
    if code in _PLATE_CODES and suffix.isupper():
        return head.start(1)
    if code.lower() == "kt" and (suffix.islower() or suffix.isupper()):
        return head.start(1)
    return None


def _mask_plates(text: str) -> str:
    pieces: list[str] = []
    end = 0
    for match in _PLATE_TAIL_RE.finditer(text):
        start = _plate_start(text, match)
        if start is not None and start >= end:
            pieces += [text[end:start], PLACEHOLDERS["PLAT"]]
            end = match.end()
    if not pieces:
        return text
    pieces.append(text[end:])
    return "".join(pieces)


def _mask_url(match: re.Match[str]) -> str:
    url = match.group(0)
    stripped = url.rstrip(_URL_TRAILING)
    return PLACEHOLDERS["URL"] + url[len(stripped) :]


def mask_personal_data(text: str) -> str:
    """Replace personal data in raw text by placeholders, keeping everything else as written.

    Masks e-mail addresses (``[EMAIL]``), URLs (``[URL]``), phone numbers starting with
    ``08``, ``+62`` or ``62`` (``[TELEPON]``), NPWP (``[NPWP]``), 16-digit NIK (``[NIK]``),
    other runs of 10 or more digits (``[REKENING]``) and vehicle plates (``[PLAT]``).
    Digits may be grouped with single spaces, dots or dashes. Money written with
    thousands dots, RT/RW and km numbers, dates and years stay.

    Parameters
    ----------
    text : str
        Raw complaint text, any case.

    Returns
    -------
    str
        The text with personal data replaced.

    Examples
    --------
    >>> mask_personal_data("NIK 6472 0101 0190 0001, hp +62 812-3456-7890, Rp 1.750.000")
    'NIK [NIK], hp [TELEPON], Rp 1.750.000'
    >>> mask_personal_data("Email budi.s@gmail.com / motor KT 1234 AB di RT 04")
    'Email [EMAIL] / motor [PLAT] di RT 04'
    """
    if "@" in text:
        text = _EMAIL_RE.sub(PLACEHOLDERS["EMAIL"], text)
    if "://" in text or "www." in text or _TLD_HINT_RE.search(text):
        text = _URL_RE.sub(_mask_url, text)
    lower_kt = "kt " in text or "Kt " in text or "KT " in text
    if not lower_kt and _DIGITS_HINT_RE.search(text) is None:
        return text
    if _NINE_DIGITS_RE.search(text):
        text = _DIGITS_RE.sub(_mask_digit_run, text)
    if lower_kt or _PLATE_HINT_RE.search(text):
        text = _mask_plates(text)
    return text
