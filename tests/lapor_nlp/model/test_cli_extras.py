"""matplotlib and the PostgreSQL driver are extras: without them the rest works and the use
that needs one says which extra to install. Each case runs in a fresh interpreter in which the
module cannot be imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BLOCK = "import sys; sys.modules[{module!r}] = None\n"


def _python(module: str, code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK.format(module=module) + code],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        check=False,
    )


def test_postgres_without_the_driver_names_the_extra(tmp_path: Path) -> None:
    code = (
        "from lapor_nlp.errors import MissingExtraError\n"
        "from lapor_nlp.store import Store\n"
        "Store('sqlite:///ok.db').migrate()\n"
        "try:\n"
        "    Store('postgresql+psycopg://postgres@127.0.0.1:5432/test')\n"
        "except MissingExtraError as exc:\n"
        "    print(exc)\n"
    )
    result = _python("psycopg", code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "pip install 'lapor-nlp[postgres]'" in result.stdout
    assert (tmp_path / "ok.db").is_file()  # SQLite needs no extra


def test_evaluate_without_matplotlib_writes_the_report_and_says_how_to_get_charts(
    tmp_path: Path, model_dir: Path, data_csv: Path
) -> None:
    out = tmp_path / "report"
    code = (
        "from lapor_nlp.cli import main\n"
        f"sys.argv = ['lapor-nlp', 'evaluate', '--model', {str(model_dir)!r},"
        f" '--data', {str(data_csv)!r}, '--text-col', 'isi', '--opd-col', 'instansi',"
        f" '--out', {str(out)!r}]\n"
        "main()\n"
    )
    result = _python("matplotlib", code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "lapor-nlp[charts]" in result.stderr
    report = (out / "report.md").read_text()
    assert "No confusion-matrix charts" in report and "lapor-nlp[charts]" in report
    assert "![confusion matrix]" not in report
    assert not list(out.glob("*.png"))
    assert (out / "metrics.json").is_file()
