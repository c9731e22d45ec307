"""``lapor-nlp predict`` reads what users hand it: one table reader for CSV (any delimiter,
UTF-8 with or without BOM, Windows-1252), XLSX and standard input; rows of the wrong width are
refused with their line; ``--top-k`` and ``--version`` work. Real processes, real files."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import lapor_nlp
from tests.lapor_nlp.model.conftest import CLI, run

TEXT = "gaji di bawah UMP dan THR tidak dibayar, mohon ditindak"


def _predict_stdin(model_dir: Path, data: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [CLI, "predict", "--input", "-", "--output", "-", "--model", str(model_dir), "--jobs", "1",
         *args],
        input=data,
        capture_output=True,
        timeout=300,
        check=False,
    )  # fmt: skip


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"lapor-nlp {lapor_nlp.__version__}"


def test_one_column_csv_with_an_unquoted_comma_is_refused_with_its_line(
    model_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(f'text\n"{TEXT}"\n{TEXT}\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("predict", "--input", str(source), "--output", str(out), "--model", str(model_dir))
    assert result.returncode == 2
    flat = " ".join(result.stderr.split())
    assert "line 3: 2 fields where the header has 1" in flat
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_predict_reads_every_encoding_train_reads(model_dir: Path, encoding: str) -> None:
    text = "Caf\xe9 di pinggir jalan buang sampah ke sungai, bau sekali"
    data = f"id;text\n7;{text}\n".encode(encoding)
    result = _predict_stdin(model_dir, data)
    assert result.returncode == 0, result.stderr.decode()
    routed = pd.read_csv(io.BytesIO(result.stdout), keep_default_na=False)
    assert routed.loc[0, "text"] == text  # decoded right, BOM not glued to the header
    assert routed.loc[0, "id"] == 7
    assert routed.loc[0, "opd"] == "DLH"


def test_stdin_xlsx_to_stdout(model_dir: Path) -> None:
    buffer = io.BytesIO()
    pd.DataFrame({"text": ["sungai tercemar limbah pabrik"]}).to_excel(buffer, index=False)
    result = _predict_stdin(model_dir, buffer.getvalue())
    assert result.returncode == 0, result.stderr.decode()
    assert pd.read_csv(io.BytesIO(result.stdout)).loc[0, "opd"] == "DLH"


def test_top_k_lists_that_many_choices(model_dir: Path) -> None:
    data = f'text\n"{TEXT}"\n'.encode()
    default = pd.read_csv(io.BytesIO(_predict_stdin(model_dir, data).stdout))
    four = pd.read_csv(io.BytesIO(_predict_stdin(model_dir, data, "--top-k", "4").stdout))
    assert len(default.loc[0, "opd_top3"].split(";")) == 3
    assert "opd_top3" not in four.columns
    choices = four.loc[0, "opd_top4"].split(";")
    assert len(choices) == len(set(choices)) == 4  # every OPD of this model
    assert choices[:3] == default.loc[0, "opd_top3"].split(";")


def test_default_top_k_comes_from_the_settings(model_dir: Path) -> None:
    data = f'text\n"{TEXT}"\n'.encode()
    result = subprocess.run(
        [CLI, "predict", "--input", "-", "--output", "-", "--model", str(model_dir), "--jobs", "1"],
        input=data,
        capture_output=True,
        timeout=300,
        check=False,
        env={**os.environ, "LAPOR_DEFAULT_TOP_K": "2"},
    )
    assert result.returncode == 0, result.stderr.decode()
    assert len(pd.read_csv(io.BytesIO(result.stdout)).loc[0, "opd_top2"].split(";")) == 2


def test_empty_input_writes_the_header(model_dir: Path) -> None:
    result = _predict_stdin(model_dir, b"id,text\n")
    assert result.returncode == 0, result.stderr.decode()
    header = result.stdout.decode().strip().split(",")
    assert header[:4] == ["id", "text", "opd", "suggested_opd"]


def test_evaluate_reads_standard_input(model_dir: Path, data_csv: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [CLI, "evaluate", "--data", "-", "--text-col", "isi", "--opd-col", "instansi",
         "--model", str(model_dir), "--out", str(tmp_path / "report")],
        input=data_csv.read_bytes(),
        capture_output=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    metrics = json.loads((tmp_path / "report" / "metrics.json").read_text())
    assert metrics["metadata"]["rows"] == str(len(pd.read_csv(data_csv)))
