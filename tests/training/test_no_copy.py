"""The seed files copy nothing from the real exports: no shared sentence, no shared 8-word run.

Every export folder under the shared data folder is scanned the same way (every CSV and XLSX
file, every text cell longer than 40 characters), so no folder is named here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from lapor_nlp.paths import TRAINING_DATA_DIR

pytestmark = pytest.mark.realdata

SEED_FILES = ("seed_complaints.csv", "seed_not_authority.csv")
RUN = 8
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _runs(text: str) -> set[str]:
    words = _words(text)
    return {" ".join(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def _sentences(text: str) -> set[str]:
    parts = (" ".join(_words(s)) for s in re.split(r"[.!?\n]+", text))
    return {p for p in parts if len(p.split()) >= 5}


def _cells(path: Path) -> list[str]:
    if path.suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, on_bad_lines="skip", encoding_errors="replace")
    else:
        frame = pd.read_excel(path, dtype=str, header=None)
    return [v for col in frame.columns for v in frame[col].dropna() if len(v) > 40]


@pytest.fixture(scope="module")
def real(shared_data_dir: Path) -> tuple[set[str], set[str]]:
    runs: set[str] = set()
    sentences: set[str] = set()
    files = [p for p in sorted(shared_data_dir.rglob("*")) if p.suffix in (".csv", ".xlsx")]
    assert files, f"no CSV or XLSX export under {shared_data_dir}"
    for path in files:
        for text in _cells(path):
            runs |= _runs(text)
            sentences |= _sentences(text)
    return runs, sentences


def _seed_texts(name: str) -> list[str]:
    frame = pd.read_csv(TRAINING_DATA_DIR / name, dtype=str, keep_default_na=False)
    titles = frame["title"] if "title" in frame.columns else [""] * len(frame)
    return [f"{t}. {b}" if t.strip() else b for t, b in zip(titles, frame["text"], strict=True)]


@pytest.mark.parametrize("name", SEED_FILES)
def test_no_seed_row_shares_a_sentence_or_an_8_word_run_with_a_real_export(
    real: tuple[set[str], set[str]], name: str
) -> None:
    runs, sentences = real
    copied = [
        (i, sorted((_runs(text) & runs) | (_sentences(text) & sentences))[0])
        for i, text in enumerate(_seed_texts(name), start=2)
        if _runs(text) & runs or _sentences(text) & sentences
    ]
    assert not copied, f"{name}: rows sharing text with a real export (line, text): {copied[:5]}"


def test_the_check_sees_a_copied_run(real: tuple[set[str], set[str]]) -> None:
    runs, _ = real
    some_run = next(iter(runs))
    assert _runs(f"awal {some_run} akhir") & runs
