"""The ``lapor-nlp`` command line; each command lives in its own module and registers here."""

from __future__ import annotations

from typing import Annotated

import typer

import lapor_nlp
from lapor_nlp.cli import (
    evaluate_cmd,
    feedback_cmd,
    import_cmd,
    keys_cmd,
    models_cmd,
    predict_cmd,
    retrain_cmd,
    serve_cmd,
    train_cmd,
)

app = typer.Typer(
    name="lapor-nlp",
    help="Route Indonesian public-service complaints to the responsible OPD.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"lapor-nlp {lapor_nlp.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Route Indonesian public-service complaints to the responsible OPD."""


for _module in (
    train_cmd,
    predict_cmd,
    evaluate_cmd,
    import_cmd,
    serve_cmd,
    keys_cmd,
    models_cmd,
    feedback_cmd,
    retrain_cmd,
):
    _module.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
