"""``lapor-nlp models list|promote|rollback``: the registry from the command line."""

from __future__ import annotations

import typer

from lapor_nlp.cli.common import console, user_errors

models_app = typer.Typer(help="List, promote and roll back models in LAPOR_MODELS_DIR.")


def _registry():  # type: ignore[no-untyped-def]
    from lapor_nlp.registry import ModelRegistry
    from lapor_nlp.settings import get_settings

    registry = ModelRegistry.from_settings(get_settings())
    registry.ensure_seeded()
    return registry


@models_app.command("list")
def list_models() -> None:
    """Versions with status and held-out metrics, newest first."""
    from rich.table import Table

    with user_errors():
        infos = _registry().list_models()
    table = Table()
    for column in ("version", "status", "created", "rows", "OPD acc", "OPD macro-F1", "auto cov"):
        table.add_column(column)
    for info in infos:
        opd = info.metrics.get("opd", {})
        thresholds = info.metadata.get("thresholds", {})
        table.add_row(
            info.version,
            info.status,
            info.created_at,
            str(info.metadata.get("training_rows", "")),
            f"{opd.get('accuracy', float('nan')):.3f}",
            f"{opd.get('macro_f1', float('nan')):.3f}",
            f"{thresholds.get('heldout_coverage', float('nan')):.3f}",
        )
    console.print(table)


@models_app.command("promote")
def promote(version: str = typer.Argument(..., help="version to make active")) -> None:
    """Make VERSION the active model (running servers pick it up within seconds)."""
    with user_errors():
        previous = _registry().activate(version)
    console.print(f"active: {version} (was: {previous or 'none'})")


@models_app.command("rollback")
def rollback() -> None:
    """Re-activate the model that was active before the current one."""
    with user_errors():
        version = _registry().rollback()
    console.print(f"active: {version}")


def register(app: typer.Typer) -> None:
    """Add the ``models`` group."""
    app.add_typer(models_app, name="models")
