"""Stemming equals plain PySastrawi: on every word of the real exports and on affixed forms."""

from pathlib import Path

import pytest

from lapor_nlp.text.sastrawi_fast import FastStemmer, rule_literals
from lapor_nlp.text.stem import _sastrawi, root_words
from lapor_nlp.text.stem_check import export_words, plain_sastrawi, stem_mismatches

AFFIXES = [
    ("", "kan"), ("", "annya"), ("di", "kan"), ("di", "i"), ("ke", "an"), ("se", "nya"),
    ("ber", ""), ("ber", "an"), ("ter", ""), ("me", ""), ("mem", "kan"), ("men", "i"),
    ("meng", ""), ("meny", "kan"), ("pe", "an"), ("pem", "an"), ("pen", "an"), ("peng", "an"),
    ("peny", "an"), ("per", "an"), ("memper", "kan"), ("diper", "i"), ("ku", "lah"),
]  # fmt: skip


@pytest.mark.realdata
@pytest.mark.slow
def test_every_word_of_the_real_exports(shared_data_dir: Path) -> None:
    words = export_words(shared_data_dir)
    assert len(words) > 40_000
    assert stem_mismatches(words) == []


def test_affixed_forms_of_dictionary_roots() -> None:
    roots = sorted(root_words())[::97]
    words = [f"{p}{r}{s}" for r in roots for p, s in AFFIXES]
    words += [f"{w}-{w}" for w in words[::40]] + [f"{r}-{r}an" for r in roots[::5]]
    assert stem_mismatches(words) == []


def test_words_outside_a_to_z_go_to_plain_sastrawi() -> None:
    reference = plain_sastrawi()
    for word in ["café", "ber2an", "di.kan", "(me)nulis", "a-", "--"]:
        assert _sastrawi().stem_word(word) == reference.stem_word(word)


def test_prefix_rules_are_gated_by_their_own_literals() -> None:
    from Sastrawi.Morphology.Disambiguator.DisambiguatorPrefixRule4 import (
        DisambiguatorPrefixRule4,
    )
    from Sastrawi.Morphology.Disambiguator.DisambiguatorPrefixRule37 import (
        DisambiguatorPrefixRule37a,
    )

    assert rule_literals(DisambiguatorPrefixRule4()) == ("belajar",)
    assert rule_literals(DisambiguatorPrefixRule37a()) == ("",)  # CerV: any first consonant
    stemmer = _sastrawi()
    assert isinstance(stemmer, FastStemmer)
    gated = [g for g in stemmer._rules.gates if g != ("",)]
    assert len(gated) >= 30  # all but di-/ke-/se- and the infix rules skip words they cannot match
    assert len(stemmer._rules.for_word("mengatakan")) < len(stemmer._rules.visitors) / 2


@pytest.mark.parametrize("word", ["belajar", "pelajaran", "menyapukan", "mempertanggungjawabkan"])
def test_known_words(word: str) -> None:
    assert _sastrawi().stem_word(word) == plain_sastrawi().stem_word(word)
