"""``lapor-nlp train``: validate a labelled table, fit a router, write a model directory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from lapor_nlp.cli.common import console, err_console, stage_progress, user_errors

if TYPE_CHECKING:
    from lapor_nlp.registry.metadata import ModelMetadata


def train(
    data: Path = typer.Option(..., "--data", help="CSV or XLSX with texts and labels"),
    text_col: str = typer.Option(..., "--text-col"),
    opd_col: str = typer.Option(..., "--opd-col"),
    out: Path = typer.Option(..., "--out", help="model directory to create"),
    category_col: str | None = typer.Option(None, "--category-col"),
    taxonomy: Path | None = typer.Option(
        None, "--taxonomy", help="directory with opd.csv/category.csv to validate labels"
    ),
    nonroutable: Path | None = typer.Option(
        None, "--nonroutable", help="CSV with a `text` column of texts that cannot be routed"
    ),
    heldout_fraction: float = typer.Option(
        0.1,
        "--heldout-fraction",
        min=0.0,
        max=0.5,
        help="share of rows (chosen by a hash of the text) never trained on: the test set",
    ),
    head: str = typer.Option("svm", "--head", help="svm (calibrated LinearSVC) or logreg"),
    target_precision: float | None = typer.Option(
        None,
        "--target-precision",
        min=0.5,
        max=1.0,
        help="precision the auto-route threshold aims at (default: LAPOR_TARGET_PRECISION, 0.95)",
    ),
    seed: int = typer.Option(0, "--seed"),
    version: str | None = typer.Option(None, "--version", help="version name (default: time)"),
) -> None:
    """Train a router and write it with its held-out metrics to OUT.

    Columns address, kecamatan, kelurahan and channel of DATA, when present (as
    `lapor-nlp import-lapor` writes them), are read as structured fields: the model then
    reads them in predict and in POST /v1/route too."""
    from lapor_nlp.data.base import base_data_spec
    from lapor_nlp.model import ComplaintRouter
    from lapor_nlp.model.training import train_model
    from lapor_nlp.registry import new_version, write_model_dir
    from lapor_nlp.settings import get_settings
    from lapor_nlp.taxonomy import load_taxonomy
    from lapor_nlp.text import TextPreprocessor

    with user_errors():
        if out.exists():
            raise FileExistsError(f"{out} already exists; choose a new --out directory")
        tax = load_taxonomy(taxonomy) if taxonomy else None
        if nonroutable is not None:
            _read_nonroutable(nonroutable)  # fail early on a bad file
        spec = base_data_spec(
            _readable(data),
            text_col=text_col,
            opd_col=opd_col,
            category_col=category_col,
            nonroutable_path=nonroutable,
            heldout_fraction=heldout_fraction,
        )
        settings = get_settings()
        preprocessor = TextPreprocessor(
            stopwords=settings.stopwords_file, stem_cache_size=settings.stem_cache_size
        )
        router = ComplaintRouter(
            preprocessor=preprocessor,
            head=head,
            target_precision=(
                target_precision if target_precision is not None else settings.target_precision
            ),
            random_state=seed,
        )
        with stage_progress() as progress:
            run = train_model(spec, router=router, taxonomy=tax, progress=progress)
        for warning in run.warnings:
            err_console.print(f"[yellow]warning:[/] {warning}")
        meta = write_model_dir(
            run.router, {**run.metadata, "version": version or new_version()}, out
        )
    _print_metrics(meta)
    if run.router.uses_fields:
        console.print("structured fields (address, kecamatan, kelurahan, channel) are read")
    console.print(f"model [bold]{meta['version']}[/] written to {out}")


def _readable(path: Path) -> Path:
    from lapor_nlp.errors import DataValidationError

    if not path.is_file():
        raise DataValidationError(f"file not found: {path}")
    return path


def _read_nonroutable(path: Path) -> list[str]:
    from lapor_nlp.data.io import read_table
    from lapor_nlp.errors import DataValidationError

    frame = read_table(path)
    if "text" not in frame.columns:
        raise DataValidationError(f"{path}: needs a `text` column")
    return [str(t) for t in frame["text"].dropna() if str(t).strip()]


def _print_metrics(meta: ModelMetadata) -> None:
    from rich.table import Table

    table = Table(title="held-out metrics")
    for column in ("head", "n", "accuracy", "macro-F1", "top-3"):
        table.add_column(column)
    rows = [
        ("OPD, cross-validated", meta.get("metrics", {}).get("opd")),
        ("category, cross-validated", meta.get("metrics", {}).get("category")),
        ("OPD, held-out test rows", meta.get("heldout_test")),
    ]
    for name, m in rows:
        if m:
            table.add_row(
                name,
                str(m["n"]),
                f"{m['accuracy']:.3f}",
                f"{m['macro_f1']:.3f}",
                f"{m['top3_accuracy']:.3f}",
            )
    console.print(table)
    t = meta.get("thresholds", {})
    if t:
        console.print(
            f"auto-route: threshold {t['threshold']:.2f}, margin {t['margin']:.2f} -> "
            f"held-out precision {t['heldout_precision']:.3f} at coverage "
            f"{t['heldout_coverage']:.3f} (target {t['target_precision']:.2f})"
        )


def register(app: typer.Typer) -> None:
    """Add ``train``."""
    app.command("train")(train)
