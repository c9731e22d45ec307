"""Helpers shared by the CLI commands: domain errors as a message and an exit code, progress."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import TaskID

from lapor_nlp.errors import LaporError
from lapor_nlp.progress import Progress

err_console = Console(stderr=True)
console = Console()


@contextmanager
def user_errors() -> Iterator[None]:
    """Print a domain error as one line on stderr and exit 2, instead of a traceback."""
    try:
        yield
    except (LaporError, FileNotFoundError, FileExistsError) as exc:
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}")
        raise typer.Exit(code=2) from exc


@contextmanager
def stage_progress() -> Iterator[Progress]:
    """A :class:`~lapor_nlp.progress.Progress` that draws one bar per stage on stderr, each
    with its count, elapsed time and an estimate of the time left."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as Bars

    with Bars(
        TextColumn("{task.description:<32}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err_console,
    ) as bars:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(stage, total=total)
            bars.update(tasks[stage], completed=done, total=total)

        yield report
