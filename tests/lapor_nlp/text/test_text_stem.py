"""Step 7: bounded, lazily created Sastrawi stemmer."""

import subprocess
import sys

import pytest

from lapor_nlp.text import get_stem_cache, stem_word
from lapor_nlp.text.stem import root_words


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("pelayanan", "layan"),
        ("perbaikan", "baik"),
        ("diperbaiki", "baik"),
        ("kebersihan", "bersih"),
        ("jalan", "jalan"),
        ("anak-anak", "anak"),
        ("2024", "2024"),
        ("__nik__", "__nik__"),
        ("café", "café"),
    ],
)
def test_stem_word(word: str, stem: str) -> None:
    assert stem_word(word) == stem


@pytest.mark.parametrize(
    ("word", "overstem"),
    [
        ("bekasi", "bekas"),
        ("bali", "bal"),
        ("berikan", "ikan"),
        ("relawan", "rawan"),
        ("perbankan", "perban"),
    ],
)
def test_sastrawi_overstems_these_words(word: str, overstem: str) -> None:
    # The reason they are in the protected list (see the preprocessor tests).
    assert stem_word(word) == overstem


def test_cache_bound_is_respected() -> None:
    cache = get_stem_cache(50)
    cache.cache_clear()  # type: ignore[attr-defined]
    for root in sorted(root_words())[1000:1300]:
        stem_word(f"di{root}kan", cache_size=50)
    info = cache.cache_info()  # type: ignore[attr-defined]
    assert info.maxsize == 50
    assert info.currsize == 50
    get_stem_cache(200_000)


def test_no_stemmer_is_built_at_import() -> None:
    code = (
        "import lapor_nlp.text as t, lapor_nlp.text.stem as s, sys;"
        "t.mask_personal_data('x');"
        "print(s._stemmer is None, s._root_words is None, 'sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "False"]


@pytest.mark.parametrize(
    "word",
    [
        "sukomanunggal",
        "wonokromo",
        "ahmad",
        "kautsar",
        "gerobak",
        "telur",
        "pemkot",
        "xyzzy",
        "menyetujui",
        "penertiban",
        "kejelasannya",
        "sukomanunggalan",
        "seolah-olah",
        "menyeselaikan",
    ],
)
def test_shortcut_agrees_with_sastrawi(word: str) -> None:
    from lapor_nlp.text.stem import _sastrawi

    assert stem_word(word, cache_size=0) == _sastrawi().stem_word(word)
