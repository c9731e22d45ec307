"""Step 2: personal data replaced by placeholder tokens.

:func:`mask_personal_data` is what the whole project calls before it stores or logs text,
so it works on raw text (any case). Apart from the placeholders, the text changes only where
Unicode offers several ways to write one digit, dash or space (:func:`canonical_form`).
Money (``Rp 1.750.000``), ``RT 04``, ``km 12``, dates and years are not personal data.
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = ["PLACEHOLDERS", "canonical_form", "mask_personal_data", "personal_data_kinds"]

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
_TLD_HINT_RE = re.compile(rf"\.{_TLDS}\b", re.IGNORECASE)
# Cheap pre-check for plates; digit runs are looked for when the text has 9+ digits.
_PLATE_HINT_RE = re.compile(r"[A-Z] ?[0-9]{1,4} ?[A-Z]")
_URL_TRAILING = ".,;:!?)]}'\""
# A run of digit groups, optionally "+" first. A group may sit in brackets: "(0812) 3456".
# Groups are joined by a dot or dash (spaces around it allowed), by spaces, or by a line
# break; a group after spaces or a line break needs 3+ digits, so "0812345678 2 kali" keeps
# its "2". Letters may touch the run ("NIK6471..."); digits and "+" may not.
_GROUP = r"(?:\([0-9]+\)|[0-9]+)"
_JOIN = r"[ \t]{0,3}[.\-][ \t]{0,3}(?:\r?\n[ \t]{0,3})?"
_GAP = r"(?:[ \t]{0,3}\r?\n[ \t]{0,3}|[ \t]{1,3})(?=\(?[0-9]{3})"
_DIGITS_RE = re.compile(rf"(?<![0-9+])(\+?)({_GROUP}(?:(?:{_JOIN}|{_GAP}){_GROUP})*)(?![0-9])")
_GROUP_RE = re.compile(r"[0-9]+")
_MAX_GROUPS = 8
# Ten or more single digits spaced out one by one: "0 8 1 2 3 4 5 6 7 8 9".
_SPACED_DIGITS_RE = re.compile(r"(?<![0-9])[0-9](?:[ .\-][0-9]){9,}(?![0-9])")
_NOT_DIGIT_RE = re.compile(r"[^0-9]")
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


def _harmless(raw: str) -> bool:
    """Years or money amounts that only sit next to each other: "2019 2020", "Rp 1.500.000"."""
    pieces = raw.split()
    return all(_YEAR_RE.fullmatch(p) or _MONEY_RE.fullmatch(p) for p in pieces)


def _classify(digits: str, raw: str, plus: bool, before: str) -> str | None:
    """Placeholder kind for one digit run, or None when it is not personal data."""
    n = len(digits)
    if n < 9 or _harmless(raw):
        return None
    if digits.startswith("00628"):  # international prefix written as 00
        digits, n = digits[2:], n - 2
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
    if n >= 10:
        return "REKENING"
    return None


def _mask_digit_run(match: re.Match[str]) -> str:
    """Mask the longest leading groups of a digit run that are personal data, then the rest."""
    plus, body = match.group(1), match.group(2)
    groups = list(_GROUP_RE.finditer(body))
    if sum(len(g.group(0)) for g in groups) < 9:
        return match.group(0)
    before = match.string[max(0, match.start() - 8) : match.start()]
    out: list[str] = [] if not plus else [plus]
    done = 0  # body[:done] is written to out
    start = 0
    while start < len(groups):
        # Personal data spans at most a few groups (an NPWP has six): a long run of numbers
        # costs a bounded number of tries per group.
        for end in range(min(len(groups), start + _MAX_GROUPS), start, -1):
            first, last = groups[start].start(), groups[end - 1].end()
            digits = "".join(g.group(0) for g in groups[start:end])
            kind = _classify(digits, body[first:last], bool(plus) and start == 0, before)
            if kind is not None:
                first -= first > 0 and body[first - 1] == "("
                last += last < len(body) and body[last] == ")"
                if start == 0 and plus:
                    out.pop(0)
                out += [body[done:first], PLACEHOLDERS[kind]]
                done = last
                break
        else:
            end = start + 1
        start = end
    out.append(body[done:])
    return "".join(out)


def _mask_spaced_digits(match: re.Match[str]) -> str:
    raw = match.group(0)
    kind = _classify(_NOT_DIGIT_RE.sub("", raw), raw, False, "")
    return raw if kind is None else PLACEHOLDERS[kind]


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


class _CanonicalTable(dict[int, int | str | None]):
    """``str.translate`` table filled on first sight of each non-ASCII character."""

    def __missing__(self, code: int) -> int | str | None:
        char = chr(code)
        kind = unicodedata.category(char)
        value: int | str | None = code
        if kind == "Nd":
            value = str(unicodedata.decimal(char))  # Arabic-Indic, Devanagari, ... digits
        elif kind == "Cf":
            value = None  # zero-width spaces and joiners, soft hyphen, direction marks
        elif kind == "Pd" or char == "\u2212":
            value = "-"  # en dash, em dash, minus sign, ...
        elif kind == "Zs":
            value = " "
        elif kind in ("Zl", "Zp"):
            value = "\n"
        elif kind == "Cc" and char not in "\n\r\t":
            value = " "
        if len(self) < 65_536:
            self[code] = value
        return value


_CANONICAL = _CanonicalTable()
_NUMERIC_ENTITY_RE = re.compile(r"&#(?:[0-9]{1,7}|[xX][0-9a-fA-F]{1,6});?")


def canonical_form(text: str) -> str:
    """``text`` with every way of writing a digit or a separator reduced to one.

    Numeric HTML character references are decoded, then NFKC (full-width digits and
    brackets, no-break spaces), other Unicode digits become ASCII digits, dashes a hyphen,
    spaces a space, and invisible format characters (zero-width space, soft hyphen) go.
    ASCII text without ``&#`` is returned as it is.

    Examples
    --------
    >>> canonical_form("０８１２\u00a03456\u20137890\u200b")
    '0812 3456-7890'
    """
    if "&#" in text:
        text = _NUMERIC_ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text).translate(_CANONICAL)


def mask_personal_data(text: str) -> str:
    """Replace personal data in raw text by placeholders, keeping everything else as written.

    Masks e-mail addresses (``[EMAIL]``), URLs (``[URL]``), phone numbers starting with
    ``08``, ``+62``, ``62`` or ``0062`` (``[TELEPON]``), NPWP (``[NPWP]``), 16-digit NIK
    (``[NIK]``), other runs of 10 or more digits (``[REKENING]``) and vehicle plates
    (``[PLAT]``). Digits may be grouped with spaces, dots or dashes, split across lines, put
    in brackets, glued to letters (``NIK6471...``) or spaced out one by one; any Unicode digit,
    dash, space or invisible separator counts (see :func:`canonical_form`, which the result
    is written in). Money written with thousands dots, RT/RW and km numbers, dates and years
    stay.

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
    text = canonical_form(text)
    if "@" in text:
        text = _EMAIL_RE.sub(PLACEHOLDERS["EMAIL"], text)
    if "://" in text or "www." in text or _TLD_HINT_RE.search(text):
        text = _URL_RE.sub(_mask_url, text)
    if sum(map(text.count, "0123456789")) >= 9:
        text = _DIGITS_RE.sub(_mask_digit_run, text)
        text = _SPACED_DIGITS_RE.sub(_mask_spaced_digits, text)
    if "kt" in text or "Kt" in text or "KT" in text or _PLATE_HINT_RE.search(text):
        text = _mask_plates(text)
    return text


def personal_data_kinds(text: str) -> set[str]:
    """The kinds of personal data (keys of :data:`PLACEHOLDERS`) found in ``text``.

    Examples
    --------
    >>> sorted(personal_data_kinds("NIK6471051203900011 hp 0812 3456 7890"))
    ['NIK', 'TELEPON']
    """
    masked = mask_personal_data(text)
    return {kind for kind, placeholder in PLACEHOLDERS.items() if placeholder in masked} - {
        kind for kind, placeholder in PLACEHOLDERS.items() if placeholder in text
    }
