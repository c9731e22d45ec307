from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from lapor_nlp.evaluation import evaluate_head, write_report

SECRET = "rahasiawarga"


def test_report_files_written(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    classes = [f"Dinas {i}" for i in range(5)]
    y = [classes[i % 5] for i in range(50)]
    proba = rng.dirichlet(np.ones(5), size=50)
    texts = [f"{SECRET} jalan rusak {i}" for i in range(50)]
    opd = evaluate_head(y, proba, classes, texts=texts, head="opd", threshold=0.5)
    category = evaluate_head(y, proba, classes, head="category", routed=proba.max(axis=1) > 0.4)
    paths = write_report([opd, category], tmp_path / "out", metadata={"data": "x.csv"})

    assert set(paths) == {"report", "metrics", "confusion_opd", "confusion_category"}
    for name in ("confusion_opd", "confusion_category"):
        assert paths[name].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = paths["report"].read_text(encoding="utf-8")
    assert report.startswith("# Routing evaluation")
    assert "| opd | 50 |" in report
    assert "## category" in report
    assert "Dinas 3" in report
    assert "![confusion matrix](confusion_opd.png)" in report
    assert "- **data**: x.csv" in report
    assert SECRET not in report  # numbers and labels only, never complaint text
    metrics = json.loads(paths["metrics"].read_text(encoding="utf-8"))
    assert metrics["heads"][0]["headline"]["n"] == 50
    assert metrics["heads"][1]["auto_route"]["threshold"] is None  # NaN -> null


def test_many_labels_plot_is_truncated(tmp_path: Path) -> None:
    classes = [f"label {i:02d}" for i in range(45)]
    y = classes * 2
    proba = np.eye(45)[np.arange(90) % 45]
    evaluation = evaluate_head(y, proba, classes)
    paths = write_report([evaluation], tmp_path)
    assert paths["confusion_opd"].stat().st_size > 0
    assert "No confusions." in paths["report"].read_text(encoding="utf-8")
