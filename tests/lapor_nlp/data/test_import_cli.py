from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from lapor_nlp.cli import app
from tests.lapor_nlp.data.conftest import NIK, PHONE, PUPR, REPORTER_NAMES

runner = CliRunner()


def test_import_with_every_option(export_xlsx: Path, tmp_path: Path) -> None:
    out = tmp_path / "train.csv"
    result = runner.invoke(
        app,
        [
            "import-lapor",
            str(export_xlsx),
            "--out",
            str(out),
            "--drop-archived",
            "--merge",
            "kesehatan=DINKES",
            "--merge",
            "lingkungan=DLH",
            "--merge-territorial",
            "KEWILAYAHAN",
            "--min-reports",
            "3",
            "--fold-into",
            "LAINNYA",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "rows out" in result.output
    rows = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert rows.columns.tolist() == ["text", "opd", "category"]
    assert rows["opd"].value_counts().to_dict() == {
        PUPR: 4,
        "KEWILAYAHAN": 3,
        "DLH": 3,
        "LAINNYA": 1,
    }
    blob = out.read_text(encoding="utf-8")
    assert NIK not in blob and PHONE not in blob
    assert not any(name in blob for name in REPORTER_NAMES)


def test_import_to_xlsx(export_xlsx: Path, tmp_path: Path) -> None:
    out = tmp_path / "train.xlsx"
    result = runner.invoke(app, ["import-lapor", str(export_xlsx), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(pd.read_excel(out)) == 13


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--merge", "broken"], "merge rule"),
        (["--fold-into", "X"], "--fold-into needs --min-reports"),
        (["--min-reports", "100"], "no rows left"),
    ],
)
def test_user_errors_exit_2_without_traceback(
    export_xlsx: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(
        app, ["import-lapor", str(export_xlsx), "--out", str(tmp_path / "o.csv"), *args]
    )
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_export_file(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["import-lapor", str(tmp_path / "none.xlsx"), "--out", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 2
    assert "file not found" in result.output


def _installed_cli() -> list[str]:
    script = Path(sys.executable).parent / "lapor-nlp"
    if script.exists():
        return [str(script)]
    found = shutil.which("lapor-nlp")
    if found is None:
        pytest.skip("the lapor-nlp console script is not installed")
    return [found]


def test_installed_console_script(export_xlsx: Path, tmp_path: Path) -> None:
    out = tmp_path / "train.csv"
    done = subprocess.run(
        [*_installed_cli(), "import-lapor", str(export_xlsx), "--out", str(out), "--drop-archived"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = pd.read_csv(out, dtype=str)
    assert len(rows) == 11
    assert NIK not in out.read_text(encoding="utf-8")


def test_installed_console_script_user_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [*_installed_cli(), "import-lapor", str(tmp_path / "x.txt"), "--out", "o.csv"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "file not found" in done.stderr
    assert "Traceback" not in done.stderr
