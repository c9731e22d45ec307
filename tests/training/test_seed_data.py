"""The seed training files: columns, codes, counts, duplicates and the 8-word overlap rule."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pandas as pd
import pytest

from lapor_nlp.paths import TRAINING_DATA_DIR
from lapor_nlp.taxonomy import load_default_taxonomy

SEED = TRAINING_DATA_DIR / "seed_complaints.csv"
NONROUTABLE = TRAINING_DATA_DIR / "seed_nonroutable.csv"
NOT_AUTHORITY = TRAINING_DATA_DIR / "seed_not_authority.csv"
OTHER_LEVELS = {"kabkota", "pusat", "bumn"}
REASONS = {"greeting", "no_content", "spam", "test", "private_matter", "thanks"}


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return pd.read_csv(SEED, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def nonroutable() -> pd.DataFrame:
    return pd.read_csv(NONROUTABLE, dtype=str, keep_default_na=False)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_columns_and_codes(seed: pd.DataFrame) -> None:
    taxonomy = load_default_taxonomy()
    assert list(seed.columns) == ["title", "text", "opd", "category"]
    assert set(seed["opd"]) == taxonomy.opd_codes
    assert set(seed["category"]) == taxonomy.category_codes
    assert (seed["text"].str.strip() != "").all()


def test_counts(seed: pd.DataFrame) -> None:
    assert len(seed) >= 2500
    per_opd = Counter(seed["opd"])
    assert min(per_opd.values()) >= 80, per_opd.most_common()[-3:]
    # rows in the style of real reports (title + body): at least 100 per OPD
    per_opd_titled = Counter(seed.loc[seed["title"].str.strip() != "", "opd"])
    assert set(per_opd_titled) == set(per_opd)
    assert min(per_opd_titled.values()) >= 100, per_opd_titled.most_common()[-3:]


def test_not_authority_file() -> None:
    rows = pd.read_csv(NOT_AUTHORITY, dtype=str, keep_default_na=False)
    assert list(rows.columns) == ["title", "text", "level", "opd"]
    assert set(rows["level"]) == OTHER_LEVELS
    assert min(Counter(rows["level"]).values()) >= 40
    assert set(rows["opd"]) <= load_default_taxonomy().opd_codes
    assert (rows["title"].str.strip() != "").all() and (rows["text"].str.strip() != "").all()
    assert not rows["text"].str.strip().str.lower().duplicated().any()


def test_no_duplicate_texts_or_shared_sentences(seed: pd.DataFrame) -> None:
    """No sentence of seven words or more in two rows. Shorter formulas that real reports share
    ("Selamat siang Bapak Gubernur", "Terima kasih atas perhatiannya") may repeat."""
    assert not seed["text"].str.strip().str.lower().duplicated().any()
    owners: dict[str, set[int]] = defaultdict(set)
    for i, text in enumerate(seed["text"]):
        for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
            words = _words(sentence)
            if len(words) >= 7:
                owners[" ".join(words)].add(i)
    shared = {s: rows for s, rows in owners.items() if len(rows) > 1}
    assert not shared, list(shared.items())[:5]


def test_at_most_15_percent_share_an_8_word_run(seed: pd.DataFrame) -> None:
    owners: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, text in enumerate(seed["text"]):
        words = _words(text)
        for j in range(len(words) - 7):
            owners[tuple(words[j : j + 8])].add(i)
    rows = set().union(*(r for r in owners.values() if len(r) > 1))
    assert len(rows) / len(seed) <= 0.15


def test_category_follows_the_labelling_rules(seed: pd.DataFrame) -> None:
    """Default category per OPD, except the exceptions training/data/README.md documents."""
    defaults = {label.code: label.default_category for label in load_default_taxonomy().opd}
    exceptions = {("DISDIKBUD", "KEPEGAWAIAN"), ("DISPAR", "PAJAK_RETRIBUSI")}
    pairs = set(zip(seed["opd"], seed["category"], strict=True))
    assert pairs - {(o, d) for o, d in defaults.items()} <= exceptions


def test_some_rows_carry_personal_data_the_way_citizens_paste_it(seed: pd.DataFrame) -> None:
    nik = seed["text"].str.contains(r"\b64\d{2}[\s.]?\d{4}[\s.]?\d{4}[\s.]?\d{4}\b")
    phone = seed["text"].str.contains(r"(?:\+62|\b62|\b08)\d")
    assert nik.sum() >= 50 and phone.sum() >= 50


def test_nonroutable_file(nonroutable: pd.DataFrame, seed: pd.DataFrame) -> None:
    assert list(nonroutable.columns) == ["text", "reason"]
    assert 120 <= len(nonroutable) <= 200
    assert set(nonroutable["reason"]) == REASONS
    assert not nonroutable["text"].duplicated().any()
    assert not set(nonroutable["text"]) & set(seed["text"])
