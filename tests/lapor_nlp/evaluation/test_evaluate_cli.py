"""``lapor-nlp evaluate`` end to end on a tiny corpus (trains the real router: a few seconds)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from lapor_nlp.cli import app

runner = CliRunner()

CORPUS = {
    "DPUPR": [
        "jalan poros berlubang besar banyak motor jatuh",
        "jembatan retak dan amblas mohon segera diperbaiki",
        "aspal jalan mengelupas dan berlubang sejak musim hujan",
        "drainase jalan tersumbat sehingga jalan tergenang",
        "perbaikan jalan rusak tidak kunjung selesai",
        "lubang di jalan makin dalam truk terperosok",
        "jalan desa rusak parah tidak bisa dilalui",
        "trotoar jalan rusak dan berlubang membahayakan",
    ],
    "DINSOS": [
        "bantuan sosial PKH keluarga kami tidak cair",
        "nama ibu hilang dari DTKS padahal keluarga miskin",
        "BLT sembako tidak sampai ke warga lansia",
        "orang terlantar di pasar mohon bantuan dinas sosial",
        "penyandang disabilitas belum menerima bantuan",
        "bansos beras untuk keluarga miskin dipotong",
        "bantuan PKH dipotong pendamping tanpa alasan",
        "keluarga miskin tidak terdaftar penerima bansos",
    ],
    "DLH": [
        "sampah menumpuk di TPS tidak diangkut bau busuk",
        "sungai tercemar limbah pabrik air hitam ikan mati",
        "asap pembakaran pabrik membuat warga sesak",
        "limbah tambang mengalir ke sungai warga",
        "tumpukan sampah liar di pinggir jalan banyak lalat",
        "bau menyengat dari TPA sampai ke permukiman",
        "pembuangan limbah cair ke selokan mencemari sumur",
        "sampah pasar dibakar setiap malam asapnya tebal",
    ],
}


@pytest.fixture
def corpus_csv(tmp_path: Path) -> Path:
    rows = [(text, opd) for opd, texts in CORPUS.items() for text in texts]
    frame = pd.DataFrame(rows, columns=["isi", "instansi"])
    frame["kategori"] = frame["instansi"].map({"DPUPR": "JALAN", "DINSOS": "SOSIAL", "DLH": "LH"})
    path = tmp_path / "corpus.csv"
    frame.to_csv(path, sep=";", index=False)
    return path


BASE = ["evaluate", "--text-col", "isi", "--opd-col", "instansi"]


def test_cross_validation_writes_report(corpus_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = runner.invoke(
        app,
        [
            *BASE,
            "--data",
            str(corpus_csv),
            "--category-col",
            "kategori",
            "--cv",
            "3",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Routing quality" in result.output
    assert (out / "report.md").is_file()
    assert (out / "confusion_opd.png").is_file()
    assert (out / "confusion_category.png").is_file()
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "3-fold stratified cross-validation" in report
    assert "short (<20 words)" in report


def test_saved_model_is_scored(corpus_csv: Path, tmp_path: Path) -> None:
    from lapor_nlp.model import ComplaintRouter
    from lapor_nlp.registry import write_model_dir

    frame = pd.read_csv(corpus_csv, sep=";")
    router = ComplaintRouter(threshold_folds=2).fit(
        frame["isi"].tolist(), frame["instansi"].tolist(), frame["kategori"].tolist()
    )
    model_dir = tmp_path / "model"
    write_model_dir(router, {"version": "test-1"}, model_dir)
    out = tmp_path / "report"
    result = runner.invoke(
        app,
        [
            *BASE,
            "--data",
            str(corpus_csv),
            "--category-col",
            "kategori",
            "--model",
            str(model_dir),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "saved model" in report
    assert "## category" in report


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "exactly one of --model DIR or --cv K"),
        (["--cv", "3", "--model", "x"], "exactly one of --model DIR or --cv K"),
        (["--cv", "1"], "at least 2 folds"),
        (["--model", "/nonexistent/model"], "/nonexistent/model"),
    ],
)
def test_user_errors_exit_2(corpus_csv: Path, extra: list[str], message: str) -> None:
    result = runner.invoke(app, [*BASE, "--data", str(corpus_csv), *extra])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_column_is_named(corpus_csv: Path) -> None:
    result = runner.invoke(
        app,
        [
            "evaluate",
            "--data",
            str(corpus_csv),
            "--text-col",
            "teks",
            "--opd-col",
            "instansi",
            "--cv",
            "3",
        ],
    )
    assert result.exit_code == 2
    assert "'teks'" in result.output and "'isi'" in result.output


def test_evaluation_reads_the_structured_fields(tmp_path: Path) -> None:
    """Two offices get the same complaints; only the kecamatan column tells them apart."""
    texts = [t for ts in CORPUS.values() for t in ts]
    frame = pd.DataFrame(
        {
            "isi": texts * 2,
            "instansi": ["KEC_UTARA"] * len(texts) + ["KEC_SELATAN"] * len(texts),
            "kecamatan": ["Utara Jaya"] * len(texts) + ["Selatan Raya"] * len(texts),
        }
    )
    accuracy = {}
    for name, data in (("with", frame), ("without", frame.drop(columns="kecamatan"))):
        path = tmp_path / f"{name}.csv"
        data.to_csv(path, index=False)
        out = tmp_path / f"report-{name}"
        result = runner.invoke(app, [*BASE, "--data", str(path), "--cv", "3", "--out", str(out)])
        assert result.exit_code == 0, result.output
        row = next(
            line for line in result.output.splitlines() if line.strip("│┃ ").startswith("opd")
        )
        accuracy[name] = float(row.replace("┃", "│").split("│")[3])
    # without the column the same texts carry two labels: no fold model can be always right
    assert accuracy["without"] < accuracy["with"] == 1.0
