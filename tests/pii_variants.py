"""Personal data written every way we know of, and a scanner that finds it in any text.

The scanner reduces a text to its canonical form and drops separators before it looks for
the planted numbers, so a number that escaped the masking is found whichever way it was written.
"""

from __future__ import annotations

import re

from lapor_nlp.text.mask import canonical_form

NIK = "6471051203900011"
PHONE = "081234567896"
PHONE_62 = "6281298765432"
ACCOUNT = "1234509876123"
NPWP = "012345678901000"
EMAIL_USER = "siti.aminah77"

NUMBERS = (NIK, PHONE, PHONE_62[2:], ACCOUNT, NPWP)
"""The digits that must never survive (a +62 number is looked for without its 62)."""

TEMPLATES = (
    "Jalan rusak berlubang di depan rumah saya NIK{nik} mohon diperbaiki",
    "Bantuan sosial tidak cair, nik saya {nik_fullwidth} hubungi {phone_nbsp}",
    "Sampah menumpuk di sungai, telp {phone_en_dash} atau {phone_zero_width}",
    "Puskesmas tutup terus, hubungi saya di ({phone_4}) {phone_rest_1} {phone_rest_2}",
    "Sekolah memungut biaya, WA +62 ({p62_1}) {p62_2}-{p62_3} atau 0062{p62_all}",
    "Jalan provinsi rusak, nomor saya {phone_4} {phone_rest_1}\n{phone_rest_2} terima kasih",
    "Limbah pabrik mencemari sungai, rekening {account_spaced} npwp{npwp}",
    "Gaji belum dibayar, email {email_user}＠gmail.com hp {phone_spaced_out}",
    "Obat puskesmas kosong, NIK: {nik_arabic}, hp {phone_html}",
    "Bansos dipotong, hp {phone_soft}",
)


def _spaced(digits: str) -> str:
    return " ".join(digits)


def _fullwidth(digits: str) -> str:
    return "".join(chr(0xFF10 + int(d)) for d in digits)


def _arabic(digits: str) -> str:
    return "".join(chr(0x0660 + int(d)) for d in digits)


def variant_texts() -> list[str]:
    """One complaint per template, each carrying personal data in an unusual form."""
    p62 = PHONE_62[2:]
    values = {
        "nik": NIK,
        "nik_fullwidth": _fullwidth(NIK),
        "nik_arabic": _arabic(NIK),
        "phone_nbsp": "\u00a0".join([PHONE[:4], PHONE[4:8], PHONE[8:]]),
        "phone_en_dash": "\u2013".join([PHONE[:4], PHONE[4:8], PHONE[8:]]),
        "phone_zero_width": "\u200b".join([PHONE[:4], PHONE[4:8], PHONE[8:]]),
        "phone_4": PHONE[:4],
        "phone_rest_1": PHONE[4:8],
        "phone_rest_2": PHONE[8:],
        "p62_1": p62[:3],
        "p62_2": p62[3:7],
        "p62_3": p62[7:],
        "p62_all": p62,
        "account_spaced": " ".join([ACCOUNT[:4], ACCOUNT[4:8], ACCOUNT[8:]]),
        "npwp": NPWP,
        "email_user": EMAIL_USER,
        "phone_spaced_out": _spaced(PHONE),
        "phone_html": "".join(f"&#{ord(d)};" for d in PHONE[:3]) + PHONE[3:],
        "phone_soft": "\u00ad".join([PHONE[:4], PHONE[4:8], PHONE[8:]]),
    }
    return [template.format(**values) for template in TEMPLATES]


_SEPARATORS = re.compile(r"[\s.\-()+&#;]+")


def leaks(text: str) -> list[str]:
    """The planted numbers and e-mail user found in ``text``, however they were written."""
    flat = _SEPARATORS.sub("", canonical_form(text)).lower()
    found = [number for number in NUMBERS if number in flat]
    if EMAIL_USER.replace(".", "") in flat:
        found.append(EMAIL_USER)
    return found
