"""Steps 1 and 3: Unicode, markup, control characters; repeated letters, punctuation, emoji."""

import pytest

from lapor_nlp.text import (
    clean_text,
    normalize_text,
    remove_emoji,
    squash_punctuation,
    squash_repeats,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ｊａｌａｎ ＲＵＳＡＫ", "jalan rusak"),
        ("<p>Air <b>PDAM</b> mati</p>", " air  pdam  mati "),
        ("harga &lt; 5000 &amp; naik", "harga < 5000 & naik"),
        ("&lt;script&gt;x&lt;/script&gt;rusak", " x rusak"),
        ("air\x00mati\x07", "air mati "),
        ("lampu\u200bjalan\ufeff", "lampujalan"),
        ("baris\nbaru\ttab", "baris\nbaru\ttab"),
        ("harga < 5000 dan > 3000", "harga < 5000 dan > 3000"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_clean_text_keeps_case() -> None:
    assert clean_text("KT 1234 AB") == "KT 1234 AB"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("bangeeet", "banget"),
        ("tidaaaak", "tidak"),
        ("rusaaakkk", "rusak"),
        ("jalan", "jalan"),
        ("1000000", "1000000"),
        ("saat", "saat"),
    ],
)
def test_squash_repeats(word: str, expected: str) -> None:
    assert squash_repeats(word) == expected


def test_squash_repeats_prefers_a_known_double_letter() -> None:
    assert squash_repeats("maaaaf", known={"maaf"}) == "maaf"
    assert squash_repeats("maaaaf") == "maf"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("kapan???", "kapan?"), ("tolong!!!!", "tolong!"), ("a...b", "a.b"), ("ok.", "ok.")],
)
def test_squash_punctuation(text: str, expected: str) -> None:
    assert squash_punctuation(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rusak😡😡parah", "rusak parah"),
        ("👍", " "),
        ("banjir 🌧️🌊 lagi", "banjir   lagi"),
        ("tanpa emoji", "tanpa emoji"),
    ],
)
def test_remove_emoji(text: str, expected: str) -> None:
    assert remove_emoji(text) == expected
