"""``lapor-nlp train`` and ``lapor-nlp predict`` as a user runs them: real processes, real files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from lapor_nlp.paths import TAXONOMY_DIR
from tests.lapor_nlp.model.conftest import run


def test_train_writes_a_loadable_model_with_its_base_data(model_dir: Path) -> None:
    from lapor_nlp.registry import load_model_dir

    loaded = load_model_dir(model_dir)
    assert loaded.metadata["base_data"]["text_col"] == "isi"
    assert loaded.metadata["labels"]["category"]
    assert loaded.router.predict(["sampah menumpuk dan bau"])[0] == "DLH"


def test_predict_writes_routing_columns(model_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    pd.DataFrame(
        {"id": [1, 2, 3], "text": ["gaji di bawah UMP dan THR tidak dibayar", "", "halo min"]}
    ).to_csv(source, index=False)
    out = tmp_path / "out.csv"
    result = run("predict", "--input", str(source), "--output", str(out), "--model", str(model_dir))
    assert result.returncode == 0, result.stderr
    routed = pd.read_csv(out, keep_default_na=False)
    assert list(routed.columns) == [
        "id", "text", "opd", "suggested_opd", "opd_confidence", "opd_top3", "category",
        "category_confidence", "decision", "authority_level", "authority_confidence",
    ]  # fmt: skip
    assert (routed["authority_level"] == "").all()  # this model has no authority head
    assert routed.loc[0, "opd"] == "DISNAKERTRANS"
    assert routed.loc[0, "opd_top3"].split(";")[0] == "DISNAKERTRANS"
    assert list(routed["decision"][1:]) == ["needs_info", "needs_info"]
    # nothing to route yet: no OPD, but the model's first choice is kept beside it
    assert list(routed["opd"][1:]) == ["", ""]
    assert all(routed["suggested_opd"][1:] != "")
    assert routed.loc[0, "suggested_opd"] == "DISNAKERTRANS"


def test_predict_xlsx_round_trip(model_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.xlsx"
    pd.DataFrame({"isi": ["sungai tercemar limbah pabrik"]}).to_excel(source, index=False)
    out = tmp_path / "out.xlsx"
    result = run(
        "predict", "--input", str(source), "--output", str(out), "--model", str(model_dir),
        "--text-col", "isi",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert pd.read_excel(out).loc[0, "opd"] == "DLH"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--text-col", "nope", "--opd-col", "instansi"), "missing column"),
        (("--text-col", "isi", "--opd-col", "kategori"), "unknown OPD code"),
    ],
)
def test_train_user_errors_are_one_line(
    data_csv: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run(
        "train", "--data", str(data_csv), *args, "--taxonomy", str(TAXONOMY_DIR),
        "--out", str(tmp_path / "m"),
    )  # fmt: skip
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "m").exists()


def test_predict_missing_column_is_a_clear_error(model_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("isi\njalan rusak\n")
    result = run(
        "predict", "--input", str(source), "--output", str(tmp_path / "o.csv"),
        "--model", str(model_dir),
    )  # fmt: skip
    assert result.returncode == 2
    assert "no column 'text'" in result.stderr


def test_train_takes_the_target_precision_from_the_settings(data_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "m-target"
    result = run(
        "train", "--data", str(data_csv), "--text-col", "isi", "--opd-col", "instansi",
        "--out", str(out), "--version", "target-test",
        env={"LAPOR_TARGET_PRECISION": "0.8"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "target 0.80" in result.stdout
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["thresholds"]["target_precision"] == 0.8
