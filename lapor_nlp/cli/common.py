"""Helpers shared by the CLI commands: turning domain errors into a message and an exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from lapor_nlp.errors import LaporError

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
