"""The surface view: what the citizen wrote, cleaned, masked and lower-cased, never stemmed."""

from lapor_nlp.text import surface_text
from tests.pii_variants import leaks, variant_texts


def test_no_personal_data_of_any_variant_survives() -> None:
    for text in variant_texts():
        surface = surface_text(text)
        assert leaks(surface) == [], surface
        assert not any(ch.isdigit() for ch in surface if ch not in "0123456789"), surface


def test_words_are_lowered_but_kept_whole_and_placeholders_stay_as_written() -> None:
    surface = surface_text("<b>Jalan</b> RUSAK, yang diperbaiki2 oleh PUPR; NIK 6471051203900011")
    assert surface == " jalan  rusak, yang diperbaiki2 oleh pupr; nik [NIK]"


def test_a_plate_is_masked_before_the_case_is_lost() -> None:
    assert surface_text("Mobil KT 1234 AB parkir liar") == "mobil [PLAT] parkir liar"
