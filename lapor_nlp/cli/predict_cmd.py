"""``lapor-nlp predict``: route every row of a CSV/XLSX file, streaming CSV in chunks."""

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


def _chunks(path: Path, chunk_size: int) -> Iterator[pd.DataFrame]:
    """CSV is streamed; the delimiter is read off the header line so a one-column file works."""
    from lapor_nlp.data.io import read_table, sniff_delimiter
    from lapor_nlp.errors import DataValidationError

    if path.suffix.lower() != ".csv":
        frame = read_table(path)
        for start in range(0, len(frame), chunk_size):
            yield frame.iloc[start : start + chunk_size]
        return
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    try:
        yield from pd.read_csv(
            path,
            chunksize=chunk_size,
            dtype=str,
            keep_default_na=False,
            sep=sniff_delimiter(header),
            encoding="utf-8-sig",
        )
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataValidationError(f"cannot read {path}: {exc}") from exc


ROUTING_COLUMNS = (
    "opd",
    "opd_confidence",
    "opd_top3",
    "category",
    "category_confidence",
    "decision",
    "authority_level",
    "authority_confidence",
)


def route_frame(router: Any, frame: pd.DataFrame, text_col: str, top_k: int) -> pd.DataFrame:
    """The input columns plus the routing columns, row for row."""
    texts = frame[text_col].fillna("").astype(str).tolist()
    decisions = router.route(texts, top_k=max(3, top_k), explain=False)
    out = frame.copy()
    out["opd"] = [d.opd[0].code for d in decisions]
    out["opd_confidence"] = [round(d.opd[0].confidence, 4) for d in decisions]
    out["opd_top3"] = [";".join(s.code for s in d.opd[:3]) for d in decisions]
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


def _checked(chunks: Iterator[pd.DataFrame], text_col: str, source: Path) -> Iterator[pd.DataFrame]:
    from lapor_nlp.errors import DataValidationError

    for chunk in chunks:
        if text_col not in chunk.columns:
            raise DataValidationError(
                f"no column {text_col!r} in {source}; columns: {', '.join(map(str, chunk.columns))}"
            )
        yield chunk


def predict(
    input_path: Path = typer.Option(..., "--input", exists=True, dir_okay=False),
    output: Path = typer.Option(..., "--output", help="CSV or XLSX to write"),
    text_col: str = typer.Option("text", "--text-col"),
    model: Path | None = typer.Option(None, "--model", help="model directory (default: active)"),
    top_k: int = typer.Option(3, "--top-k", min=1, max=10),
    chunk_size: int = typer.Option(2000, "--chunk-size", min=1),
    jobs: int = typer.Option(
        0, "--jobs", min=0, help="worker processes (0: one per CPU core; 1: no workers)"
    ),
) -> None:
    """Write the input rows plus opd, opd_confidence, opd_top3, category, decision and the
    authority level (with its confidence) when the complaint is likely not the province's."""
    import multiprocessing
    import os
    from contextlib import ExitStack

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from lapor_nlp.data.io import write_table
    from lapor_nlp.errors import DataValidationError

    with user_errors():
        if output.suffix.lower() not in (".csv", ".xlsx"):
            raise DataValidationError(f"--output must end in .csv or .xlsx, got {output.name!r}")
        loaded = resolve_model(model)
        workers = jobs or os.cpu_count() or 1
        chunks = _checked(_chunks(input_path, chunk_size), text_col, input_path)
        written = 0
        excel_parts: list[pd.DataFrame] = []
        stack = ExitStack()
        routed_chunks: Iterator[pd.DataFrame]
        if workers > 1:
            # Forked workers share the loaded model; forked before the progress bar's thread.
            global _WORKER_ROUTER
            _WORKER_ROUTER = loaded.router
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(workers))
            routed_chunks = pool.imap(_route_in_worker, ((c, text_col, top_k) for c in chunks))
        else:
            routed_chunks = (route_frame(loaded.router, c, text_col, top_k) for c in chunks)
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
                if output.suffix.lower() == ".csv":
                    routed.to_csv(output, mode="w" if i == 0 else "a", header=i == 0, index=False)
                else:
                    excel_parts.append(routed)
                written += len(routed)
                progress.update(task, advance=len(routed))
        if excel_parts:
            pd.concat(excel_parts).to_excel(output, index=False)
        elif written == 0:
            write_table(pd.DataFrame(columns=[text_col, *ROUTING_COLUMNS]), output)
    err_console.print(f"{written} rows routed with model {loaded.version} -> {output}")


def register(app: typer.Typer) -> None:
    """Add ``predict``."""
    app.command("predict")(predict)
