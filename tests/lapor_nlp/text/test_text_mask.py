"""Personal data masking on raw text."""

import pytest

from lapor_nlp.text import mask_personal_data


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NIK saya 6472010101900001 mohon dicek", "NIK saya [NIK] mohon dicek"),
        ("nik: 6472 0101 0190 0001.", "nik: [NIK]."),
        ("NIK 64.72.01.010190.0001", "NIK [NIK]"),
        ("hubungi 081234567890 ya", "hubungi [TELEPON] ya"),
        ("WA 0812-3456-7890", "WA [TELEPON]"),
        ("telp +62 812 3456 7890", "telp [TELEPON]"),
        ("hp +6281234567890.", "hp [TELEPON]."),
        ("no 6281234567890", "no [TELEPON]"),
        ("telepon kantor 0541-123456", "telepon kantor [TELEPON]"),
        ("kirim ke Budi.Santoso@gmail.com segera", "kirim ke [EMAIL] segera"),
        ("lihat https://lapor.go.id/laporan/123.", "lihat [URL]."),
        ("buka www.samarindakota.go.id atau lapor.go.id", "buka [URL] atau [URL]"),
        ("NPWP 01.234.567.8-901.000", "NPWP [NPWP]"),
        ("npwp: 012345678901000", "npwp: [NPWP]"),
        ("rek BRI 0123 0101 2345 501", "rek BRI [REKENING]"),
        ("transfer ke 1234567890", "transfer ke [REKENING]"),
        ("motor KT 1234 AB hilang", "motor [PLAT] hilang"),
        ("mobil kt 4321 xy", "mobil [PLAT]"),
        ("plat DA 12 KC", "plat [PLAT]"),
    ],
)
def test_masks_personal_data(raw: str, expected: str) -> None:
    assert mask_personal_data(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "biaya Rp 1.750.000 terlalu mahal",
        "Rp 12.500.000.000 untuk jalan",
        "di RT 04 RW 05 Kelurahan Sempaja",
        "jalan km 12 menuju Tenggarong",
        "sejak tahun 2019 2020 2021 belum diperbaiki",
        "tanggal 12-03-2024 jam 10.30",
        "antrean nomor 123 di loket 4",
        "rt 04 rw 05",
        "KT 12 RT",
        "pi 3.14159",
        "",
    ],
)
def test_leaves_other_numbers_alone(text: str) -> None:
    assert mask_personal_data(text) == text


def test_keeps_the_rest_of_the_text_as_written() -> None:
    raw = "Yth. Bapak,\nJALAN Rusak!! hub 081234567890 😡 <b>tolong</b>"
    assert mask_personal_data(raw) == "Yth. Bapak,\nJALAN Rusak!! hub [TELEPON] 😡 <b>tolong</b>"


def test_does_not_swallow_a_following_small_number() -> None:
    assert mask_personal_data("hubungi 081234567890 2 kali") == "hubungi [TELEPON] 2 kali"


def test_long_input_is_masked_quickly() -> None:
    text = "jalan rusak di RT 04 hub 081234567890. " * 2_500
    masked = mask_personal_data(text)
    assert masked.count("[TELEPON]") == 2_500
    assert "0812" not in masked


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NIK6471051203900011", "NIK[NIK]"),
        ("nik6471051203900011 saya", "nik[NIK] saya"),
        ("wa:081234567890", "wa:[TELEPON]"),
        ("hp０８１２３４５６７８９０", "hp[TELEPON]"),
        ("nomor ٠٨١٢٣٤٥٦٧٨٩٠", "nomor [TELEPON]"),
        ("hp 0812\u00a03456\u00a07890", "hp [TELEPON]"),
        ("hp 0812\u202f3456\u20077890", "hp [TELEPON]"),
        ("hp 0812\u20133456\u20147890", "hp [TELEPON]"),
        ("hp 0812\u22123456\u22127890", "hp [TELEPON]"),
        ("hp 0812\u200b3456\u200c7890\u2060", "hp [TELEPON]"),
        ("hp 0812\u00ad3456\ufeff7890", "hp [TELEPON]"),
        ("(0812) 3456 7896", "[TELEPON]"),
        ("hubungi (08123456789) ya", "hubungi [TELEPON] ya"),
        ("+62 (812) 3456-7890", "[TELEPON]"),
        ("+62-812-3456-7890", "[TELEPON]"),
        ("0062 812 3456 7890", "[TELEPON]"),
        ("0812 - 3456 - 7890", "[TELEPON]"),
        ("0812  3456  7890", "[TELEPON]"),
        ("0812 3456\n7890 ya", "[TELEPON] ya"),
        ("0812-3456-\r\n7890", "[TELEPON]"),
        ("NIK 6471 0512\n0390 0011", "NIK [NIK]"),
        ("0 8 1 2 3 4 5 6 7 8 9 0", "[TELEPON]"),
        ("&#48;8123456789", "[TELEPON]"),
        ("&#x30;&#56;123456789", "[TELEPON]"),
        ("akun budi＠gmail.com", "akun [EMAIL]"),
        ("npwp01.234.567.8-901.000", "npwp[NPWP]"),
        ("KT1234AB", "[PLAT]"),
    ],
)
def test_masks_written_variants(raw: str, expected: str) -> None:
    assert mask_personal_data(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Rp 2.500.000 dan Rp 12.500.000.000",
        "Rp 2.500.000\n3.000.000",
        "2.500.000 3.000.000",
        "sejak 2019\n2020 2021",
        "tgl 12-03-2024 jam 10.30-12.00",
        "waktu 1234 ab",
        "no. 1 2 3 4 5",
        "harga (2.500.000) per bulan",
    ],
)
def test_variant_rules_leave_amounts_and_dates_alone(text: str) -> None:
    assert mask_personal_data(text) == text
