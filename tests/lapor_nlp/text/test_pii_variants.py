"""The scanner of the personal-data variants finds them (else the tests using it prove nothing)."""

from lapor_nlp.text import mask_personal_data
from tests.pii_variants import NIK, PHONE, leaks, variant_texts


def test_the_scanner_finds_every_variant_before_masking() -> None:
    texts = variant_texts()
    assert all(leaks(text) for text in texts)
    assert NIK in leaks(texts[0]) and PHONE in leaks(texts[1])


def test_masking_leaves_nothing_of_any_variant() -> None:
    for text in variant_texts():
        masked = mask_personal_data(text)
        assert leaks(masked) == [], masked


def test_log_messages_keep_identifiers_and_mask_the_rest() -> None:
    from lapor_nlp.observability.logging import mask_message

    message = (
        "model 20261203-064758-d87c loaded; job 3f2a9b1c0d4e5f60718293a4b5c6d7e8 ran; "
        "Uvicorn running on http://127.0.0.1:8000; complaint says hubungi 0812 3456 7890 "
        "and https://contoh.co.id/saya"
    )
    masked = mask_message(message)
    assert "20261203-064758-d87c" in masked
    assert "3f2a9b1c0d4e5f60718293a4b5c6d7e8" in masked
    assert "http://127.0.0.1:8000" in masked
    assert "[TELEPON]" in masked and "0812" not in masked and "contoh.co.id" not in masked
