"""``lapor-nlp predict``: route every row of a CSV/XLSX file (or stdin), streaming CSV in chunks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import typer

from lapor_nlp.cli.common import err_console, user_errors


def resolve_model(model_dir: Path | None) -> Any:
    """The model in ``model_dir``, or the registry's active one (seeded with the default)."""
    from lapor_nlp.registry import ModelRegistry, load_model_dir
    from lapor_nlp.settings import get_settings

    if model_dir is not None:
        return load_model_dir(model_dir)
    registry = ModelRegistry.from_settings(get_settings())
    registry.ensure_seeded()
    return registry.load()


def routing_columns(top_k: int) -> tuple[str, ...]:
    """The columns ``predict`` adds, in order."""
    return (
        "opd",
        "suggested_opd",
        "opd_confidence",
        f"opd_top{top_k}",
        "category",
        "category_confidence",
        "decision",
        "authority_level",
        "authority_confidence",
    )


def route_frame(router: Any, frame: pd.DataFrame, text_col: str, top_k: int) -> pd.DataFrame:
    """The input columns plus the routing columns, row for row.

    ``opd`` is the OPD to route to and stays empty on a ``needs_info`` row (there is nothing
    to route yet); ``suggested_opd`` always holds the model's first choice, and
    ``opd_top<k>`` its ``top_k`` choices. The structured-field columns (``address``,
    ``kecamatan``, ``kelurahan``, ``channel``), where the input has them, go to the model.
    """
    from lapor_nlp.data.fields import fields_from_frame

    texts = frame[text_col].fillna("").astype(str).tolist()
    if not texts:
        return frame.reindex(columns=[*frame.columns, *routing_columns(top_k)])
    decisions = router.route(texts, top_k=top_k, explain=False, fields=fields_from_frame(frame))
    out = frame.copy()
    suggested = [d.opd[0].code for d in decisions]
    out["opd"] = [
        "" if d.decision == "needs_info" else code
        for d, code in zip(decisions, suggested, strict=True)
    ]
    out["suggested_opd"] = suggested
    out["opd_confidence"] = [round(d.opd[0].confidence, 4) for d in decisions]
    out[f"opd_top{top_k}"] = [";".join(s.code for s in d.opd[:top_k]) for d in decisions]
    out["category"] = [d.category[0].code if d.category else "" for d in decisions]
    out["category_confidence"] = [
        round(d.category[0].confidence, 4) if d.category else None for d in decisions
    ]
    out["decision"] = [d.decision for d in decisions]
    # empty unless the complaint is likely another level's matter (kabkota, pusat, bumn)
    out["authority_level"] = [d.authority.level if d.authority else "" for d in decisions]
    out["authority_confidence"] = [
        round(d.authority.confidence, 4) if d.authority else None for d in decisions
    ]
    return out


_WORKER_ROUTER: Any = None


def _route_in_worker(job: tuple[pd.DataFrame, str, int]) -> pd.DataFrame:
    """Runs in a forked worker, which inherited the loaded model from the parent."""
    frame, text_col, top_k = job
    return route_frame(_WORKER_ROUTER, frame, text_col, top_k)


def _checked(chunks: Iterator[pd.DataFrame], text_col: str, source: str) -> Iterator[pd.DataFrame]:
    from lapor_nlp.errors import DataValidationError

    for chunk in chunks:
        if text_col not in chunk.columns:
            raise DataValidationError(
                f"no column {text_col!r} in {source}; columns: {', '.join(map(str, chunk.columns))}"
            )
        yield chunk


def predict(
    input_path: str = typer.Option(
        ..., "--input", help="CSV or XLSX to route; - reads standard input"
    ),
    output: str = typer.Option(
        ..., "--output", help="CSV or XLSX to write; - writes CSV to standard output"
    ),
    text_col: str = typer.Option("text", "--text-col"),
    model: Path | None = typer.Option(None, "--model", help="model directory (default: active)"),
    top_k: int | None = typer.Option(
        None,
        "--top-k",
        min=1,
        max=10,
        help="OPD choices listed in opd_top<K> (default: LAPOR_DEFAULT_TOP_K, 3)",
    ),
    chunk_size: int = typer.Option(2000, "--chunk-size", min=1),
    jobs: int = typer.Option(
        0, "--jobs", min=0, help="worker processes (0: one per CPU core; 1: no workers)"
    ),
) -> None:
    """Write the input rows plus opd (empty when the decision is needs_info), suggested_opd,
    opd_confidence, opd_top<K>, category, decision and the authority level (with its
    confidence) when the complaint is likely not the province's. Columns address, kecamatan,
    kelurahan and channel, when present, are read by a model trained with them."""
    import multiprocessing
    import os
    import sys
    from contextlib import ExitStack

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from lapor_nlp.data.io import STDIO, check_writable, iter_table, write_table
    from lapor_nlp.settings import get_settings

    with user_errors():
        suffix = check_writable(output)
        to_csv = suffix not in (".xlsx", ".xlsm")
        sep = "\t" if suffix == ".tsv" else ","
        k = top_k or get_settings().default_top_k
        loaded = resolve_model(model)
        workers = jobs or os.cpu_count() or 1
        chunks = _checked(iter_table(input_path, chunk_rows=chunk_size), text_col, input_path)
        written = 0
        excel_parts: list[pd.DataFrame] = []
        stack = ExitStack()
        routed_chunks: Iterator[pd.DataFrame]
        if workers > 1:
            # Forked workers share the loaded model; forked before the progress bar's thread.
            global _WORKER_ROUTER
            _WORKER_ROUTER = loaded.router
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(workers))
            routed_chunks = pool.imap(_route_in_worker, ((c, text_col, k) for c in chunks))
        else:
            routed_chunks = (route_frame(loaded.router, c, text_col, k) for c in chunks)
        with (
            stack,
            Progress(
                TextColumn("routing"),
                BarColumn(),
                TextColumn("{task.completed} rows"),
                TimeElapsedColumn(),
                console=err_console,
                transient=False,
            ) as progress,
        ):
            task = progress.add_task("route", total=None)
            for i, routed in enumerate(routed_chunks):
                if not to_csv:
                    excel_parts.append(routed)
                elif output == STDIO:
                    routed.to_csv(sys.stdout, header=i == 0, index=False)
                else:
                    routed.to_csv(
                        output, mode="w" if i == 0 else "a", header=i == 0, index=False, sep=sep
                    )
                written += len(routed)
                progress.update(task, advance=len(routed))
        if excel_parts:
            write_table(pd.concat(excel_parts), output)
    shown = "standard output" if output == STDIO else output
    err_console.print(f"{written} rows routed with model {loaded.version} -> {shown}")


def register(app: typer.Typer) -> None:
    """Add ``predict``."""
    app.command("predict")(predict)
