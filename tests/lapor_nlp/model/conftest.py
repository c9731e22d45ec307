"""Fixtures of the command-line tests: a small training file and a model trained from it by
``lapor-nlp train`` (once per session)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from lapor_nlp.paths import TAXONOMY_DIR
from tests.lapor_nlp.model import corpus

CLI = str(Path(sys.executable).with_name("lapor-nlp"))


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture(scope="session")
def data_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "train.csv"
    rows = corpus.ROWS * 2  # enough rows per class for held-out folds and the test split
    pd.DataFrame(
        {
            "isi": [f"{t} (laporan {i})" for i, (t, _, _) in enumerate(rows)],
            "instansi": [o for _, o, _ in rows],
            "kategori": [c for _, _, c in rows],
        }
    ).to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def model_dir(data_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("models") / "m1"
    result = run(
        "train", "--data", str(data_csv), "--text-col", "isi", "--opd-col", "instansi",
        "--category-col", "kategori", "--taxonomy", str(TAXONOMY_DIR),
        "--out", str(out), "--version", "cli-test",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "cli-test" in result.stdout and "held-out" in result.stdout
    return out
