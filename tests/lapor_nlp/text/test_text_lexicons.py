"""Steps 4 to 6: slang lexicon, stopwords, protected words."""

from pathlib import Path

import pytest

from lapor_nlp.text import (
    default_protected,
    default_stopwords,
    load_lexicon,
    load_protected,
    load_stopwords,
    normalize_slang,
    slang_ratio,
)


def test_lexicon_is_large_and_never_maps_a_word_to_itself() -> None:
    lexicon = load_lexicon()
    assert len(lexicon) >= 500
    assert all(key != value for key, value in lexicon.items())
    assert all(key == key.strip().lower() and " " not in key for key in lexicon)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("yg", "yang"),
        ("gak", "tidak"),
        ("ga", "tidak"),
        ("nggak", "tidak"),
        ("ngga", "tidak"),
        ("gk", "tidak"),
        ("tdk", "tidak"),
        ("udh", "sudah"),
        ("udah", "sudah"),
        ("sdh", "sudah"),
        ("blm", "belum"),
        ("krn", "karena"),
        ("bgt", "sangat"),
        ("dgn", "dengan"),
        ("jln", "jalan"),
        ("tlg", "tolong"),
        ("sy", "saya"),
        ("kmrn", "kemarin"),
        ("skrg", "sekarang"),
        ("gmn", "bagaimana"),
        ("knp", "kenapa"),
        ("lg", "lagi"),
        ("aja", "saja"),
        ("dr", "dari"),
        ("utk", "untuk"),
        ("sm", "sama"),
        ("tp", "tapi"),
        ("dll", "dan lain lain"),
        ("bpk", "bapak"),
        ("bu", "ibu"),
        ("kada", "tidak"),
        ("pian", "anda"),
        ("ulun", "saya"),
        ("ora", "tidak"),
        ("benerin", "benarkan"),
        ("diperbaikin", "diperbaiki"),
        ("jalan2", "jalan-jalan"),
        ("anak2nya", "anak-anaknya"),
        ("ugal2an", "ugal-ugalan"),
        ("jalan", "jalan"),
        ("covid19", "covid19"),
    ],
)
def test_normalize_slang(word: str, expected: str) -> None:
    assert normalize_slang(word) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", 0.0), ("   ", 0.0), ("😡", 0.0), ("jalan rusak", 0.0), ("yg gak jln2", 1.0)],
)
def test_slang_ratio(text: str, expected: float) -> None:
    assert slang_ratio(text) == pytest.approx(expected)


@pytest.mark.parametrize("word", ["tidak", "belum", "bukan", "jangan", "tak", "kurang", "tanpa"])
def test_negations_are_not_stopwords(word: str) -> None:
    assert word not in default_stopwords()


@pytest.mark.parametrize("word", ["yang", "dan", "di", "sih", "dong", "admin", "assalamualaikum"])
def test_fillers_are_stopwords(word: str) -> None:
    assert word in default_stopwords()


def test_stopwords_from_a_list_and_a_file(tmp_path: Path) -> None:
    path = tmp_path / "stop.txt"
    path.write_text("# mine\nYang\n\ndi\n", encoding="utf-8")
    assert load_stopwords(path) == frozenset({"yang", "di"})
    assert load_stopwords(str(path)) == frozenset({"yang", "di"})
    assert load_stopwords(["Dan"]) == frozenset({"dan"})
    with pytest.raises(FileNotFoundError, match="word list not found"):
        load_stopwords(tmp_path / "missing.txt")


@pytest.mark.parametrize(
    ("word", "feature"),
    [
        ("samarinda", "samarinda"),
        ("balikpapan", "balikpapan"),
        ("bontang", "bontang"),
        ("tenggarong", "tenggarong"),
        ("sangatta", "sangatta"),
        ("redeb", "redeb"),
        ("penajam", "penajam"),
        ("janan", "janan"),
        ("palaran", "palaran"),
        ("kutai", "kutai"),
        ("pln", "pln"),
        ("pdam", "pdam"),
        ("bpjs", "bpjs"),
        ("samsat", "samsat"),
        ("puskesmas", "puskesmas"),
        ("disdukcapil", "disdukcapil"),
        ("bekasi", "bekasi"),
        ("relawan", "relawan"),
        ("perbankan", "bank"),
        ("berikan", "beri"),
    ],
)
def test_protected_words(word: str, feature: str) -> None:
    assert default_protected()[word] == feature


def test_protected_from_lines_and_mapping() -> None:
    assert load_protected(["Loa Janan"]) == {"loa": "loa", "janan": "janan"}
    assert load_protected({"Relawan": "relawan"}) == {"relawan": "relawan"}
