"""``lapor-nlp evaluate``: score a saved model, or cross-validate the pipeline, on labelled data."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lapor_nlp.errors import DataValidationError, LaporError

if TYPE_CHECKING:
    from lapor_nlp.data.fields import ComplaintFields

console = Console()
err_console = Console(stderr=True)


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the app."""
    app.command("evaluate")(evaluate)


def evaluate(
    data: Annotated[Path, typer.Option("--data", help="CSV or XLSX with texts and labels.")],
    text_col: Annotated[str, typer.Option("--text-col", help="Column with the complaint text.")],
    opd_col: Annotated[str, typer.Option("--opd-col", help="Column with the agency (OPD).")],
    category_col: Annotated[
        str | None, typer.Option("--category-col", help="Column with the category.")
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", help="Model directory to score (no training).")
    ] = None,
    cv: Annotated[
        int | None, typer.Option("--cv", help="Cross-validate the pipeline with K folds.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Report directory (default: <data_dir>/reports/eval-<time>)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Fold shuffling seed for --cv.")] = 0,
) -> None:
    """Measure routing quality: accuracy, macro-F1, top-3, calibration, auto-route
    precision/coverage, per class and per slice. Use exactly one of --model DIR or --cv K."""
    try:
        _run(data, text_col, opd_col, category_col, model, cv, out, seed)
    except LaporError as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(code=2) from None


def _run(
    data: Path,
    text_col: str,
    opd_col: str,
    category_col: str | None,
    model: Path | None,
    cv: int | None,
    out: Path | None,
    seed: int,
) -> None:
    from lapor_nlp.data import read_table, validate_training_frame
    from lapor_nlp.evaluation import write_report

    if (model is None) == (cv is None):
        raise DataValidationError("give exactly one of --model DIR or --cv K")
    if cv is not None and cv < 2:
        raise DataValidationError(f"--cv needs at least 2 folds, got {cv}")
    frame = read_table(data)
    # A saved model can be scored on any labels, even singletons; CV needs >= 2 per class.
    minimum = 1 if model is not None else max(2, cv or 2)
    validated = validate_training_frame(
        frame,
        text_col=text_col,
        opd_col=opd_col,
        category_col=category_col,
        min_examples=minimum,
        min_classes=1 if model is not None else 2,
    )
    for warning in validated.warnings:
        err_console.print(f"[yellow]warning:[/] {warning}", highlight=False)

    if model is not None:
        evaluations, meta = _score_model(
            model, validated.texts, validated.opd, validated.category, validated.fields
        )
    else:
        assert cv is not None
        evaluations, meta = _cross_validate(
            cv, seed, validated.texts, validated.opd, validated.category, validated.fields
        )
    meta = {"data": str(data), "rows": len(validated), **meta}
    _print_headline(evaluations)
    out_dir = out if out is not None else _default_out_dir()
    paths = write_report(evaluations, out_dir, title="Routing evaluation", metadata=meta)
    console.print(f"report: {paths['report']}", highlight=False)
    if not any(name.startswith("confusion_") for name in paths):
        err_console.print(
            "no confusion-matrix charts: install 'lapor-nlp[charts]' to get them", markup=False
        )


def _score_model(
    model_dir: Path,
    texts: list[str],
    opd: list[str],
    category: list[str] | None,
    fields: list[ComplaintFields] | None,
) -> tuple[list[Any], dict[str, object]]:
    from lapor_nlp.evaluation import evaluate_head
    from lapor_nlp.registry import load_model_dir

    loaded = load_model_dir(model_dir)
    router = loaded.router
    proba = np.asarray(router.predict_proba(texts, fields))
    routed = np.array(
        [d.decision == "auto" for d in router.route(texts, top_k=1, fields=fields)], dtype=bool
    )
    evaluations = [
        evaluate_head(
            opd,
            proba,
            [str(c) for c in router.classes_],
            texts=texts,
            head="opd",
            routed=routed,
            routed_rule="the model's fitted thresholds",
        )
    ]
    if category is not None and getattr(router, "category_classes_", None) is not None:
        cat_proba = router.predict_category_proba(texts, fields)
        evaluations.append(
            evaluate_head(
                category,
                np.asarray(cat_proba),
                [str(c) for c in router.category_classes_],
                texts=texts,
                head="category",
            )
        )
    elif category is not None:
        err_console.print("[yellow]warning:[/] the model has no category head; category skipped")
    return evaluations, {"mode": "saved model", "model": str(model_dir), "version": loaded.version}


def _cross_validate(
    k: int,
    seed: int,
    texts: list[str],
    opd: list[str],
    category: list[str] | None,
    fields: list[ComplaintFields] | None,
) -> tuple[list[Any], dict[str, object]]:
    from lapor_nlp.evaluation import evaluate_head
    from lapor_nlp.model.training import cross_val_proba

    with console.status(f"cross-validating ({k} folds)…"):
        result = cross_val_proba(texts, opd, category, n_splits=k, seed=seed, fields=fields)
    evaluations = [
        evaluate_head(
            opd,
            result.opd_proba,
            [str(c) for c in result.opd_classes],
            texts=texts,
            head="opd",
            routed=np.asarray(result.auto, dtype=bool),
            routed_rule="each fold model's fitted thresholds",
        )
    ]
    if category is not None and result.category_proba is not None:
        assert result.category_classes is not None
        evaluations.append(
            evaluate_head(
                category,
                result.category_proba,
                [str(c) for c in result.category_classes],
                texts=texts,
                head="category",
            )
        )
    return evaluations, {"mode": f"{k}-fold stratified cross-validation", "seed": seed}


def _print_headline(evaluations: list[Any]) -> None:
    table = Table(title="Routing quality")
    for name in ("head", "n", "accuracy", "macro-F1", "top-3", "ECE", "auto precision", "coverage"):
        table.add_column(name, justify="left" if name == "head" else "right")
    for e in evaluations:
        h = e.headline
        auto = e.auto_route
        table.add_row(
            e.head,
            str(h.n),
            _fmt(h.accuracy),
            _fmt(h.macro_f1),
            _fmt(h.top3_accuracy),
            _fmt(h.ece),
            _fmt(auto.precision if auto else None),
            _fmt(auto.coverage if auto else None),
        )
    console.print(table)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _default_out_dir() -> Path:
    from lapor_nlp.settings import get_settings

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return get_settings().data_dir / "reports" / f"eval-{stamp}"
