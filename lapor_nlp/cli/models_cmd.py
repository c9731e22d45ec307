"""``lapor-nlp models list|register|promote|rollback|guard``: the database-backed model catalog.

The same catalog as ``GET /v1/models`` and ``POST /v1/models/...``: promotions are one
database transaction, audited as ``cli:<user>``, and running servers follow within seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lapor_nlp.cli.common import console, user_errors

if TYPE_CHECKING:  # the services pull in SQLAlchemy: imported when a command runs
    from lapor_nlp.service.offline import OfflineServices

models_app = typer.Typer(
    help="List, register, promote and roll back models (catalog in the database, files in "
    "LAPOR_MODELS_DIR).",
    no_args_is_help=True,
)


def cli_actor() -> str:
    """The audit log's name for whoever runs the command (``cli:USER``)."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _services() -> OfflineServices:
    from lapor_nlp.service.offline import open_services
    from lapor_nlp.settings import get_settings

    return open_services(get_settings(), sync=True)


def _fmt(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else "-"


@models_app.command("list")
def list_models() -> None:
    """Versions with status and cross-validated OPD metrics, newest first."""
    with user_errors():
        services = _services()
        try:
            records = services.catalog.list_versions()
        finally:
            services.close()
    width = max([len("version"), *(len(r.version) for r in records)])
    typer.echo(
        f"{'version':<{width}}  {'status':<9}  {'created':<25}  {'activated':<25}  "
        f"{'OPD acc':>7}  {'macro-F1':>8}  parent"
    )
    for record in records:
        opd = record.metrics.get("opd", {}) if isinstance(record.metrics, dict) else {}
        activated = (
            record.activated_at.isoformat(timespec="seconds") if record.activated_at else "-"
        )
        typer.echo(
            f"{record.version:<{width}}  {record.status:<9}  "
            f"{record.created_at.isoformat(timespec='seconds'):<25}  {activated:<25}  "
            f"{_fmt(opd.get('accuracy')):>7}  {_fmt(opd.get('macro_f1')):>8}  "
            f"{record.parent_version or '-'}"
        )


@models_app.command("promote")
def promote(version: Annotated[str, typer.Argument(help="version to make active")]) -> None:
    """Make VERSION the active model (running servers pick it up within seconds)."""
    with user_errors():
        services = _services()
        try:
            promotion = services.catalog.promote(version, actor=cli_actor())
        finally:
            services.close()
    console.print(f"active: {promotion.version} (was: {promotion.previous_version or 'none'})")


@models_app.command("register")
def register_model(
    directory: Annotated[
        Path,
        typer.Argument(help="a model directory (model.joblib + metadata.json) you trust"),
    ],
) -> None:
    """Register a model directory as a candidate: copy it into the registry and record its
    artifact's SHA-256 in the database (only registered models can be promoted or loaded)."""
    with user_errors():
        if not (directory / "metadata.json").is_file():
            raise FileNotFoundError(f"{directory} is not a model directory (no metadata.json)")
        services = _services()
        try:
            version = services.catalog.register_directory(directory, actor=cli_actor())
            sha = services.catalog.artifact_sha256(version)
        finally:
            services.close()
    console.print(f"registered: {version} (candidate, artifact SHA-256 {sha})")


@models_app.command("rollback")
def rollback() -> None:
    """Re-activate the model that was active before the current one."""
    with user_errors():
        services = _services()
        try:
            promotion = services.catalog.rollback(actor=cli_actor())
        finally:
            services.close()
    console.print(f"active: {promotion.version} (was: {promotion.previous_version or 'none'})")


@models_app.command("guard")
def guard(
    state: Annotated[
        str | None,
        typer.Option("--set", help="new state: shadow, on, tightened or off"),
    ] = None,
    reason: Annotated[str, typer.Option(help="why (required with --set; audited)")] = "",
    threshold: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="with --set tightened")
    ] = None,
    margin: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="with --set tightened")
    ] = None,
) -> None:
    """Show the active model's auto-route guard and live precision; --set changes its state."""
    from lapor_nlp.service.guard import require_version

    with user_errors():
        services = _services()
        try:
            version = require_version(services.catalog.active_version())
            if state is not None:
                services.guard.set_state(
                    version,
                    state,
                    actor=cli_actor(),
                    reason=reason,
                    threshold=threshold,
                    margin=margin,
                )
            status = services.guard.status(version).as_dict()
        finally:
            services.close()
    typer.echo(f"model {status['model_version']}: guard {status['state']} ({status['reason']})")
    typer.echo(
        f"rule: threshold {status['threshold']:.2f}, margin {status['margin']:.2f}; "
        f"target {status['target']:.2f} (tolerance {status['tolerance']:.2f}, "
        f"at least {status['min_audits']} audits)"
    )
    typer.echo(
        f"audited {status['audited']}, correct {status['correct']}, "
        f"precision {_fmt(status['precision'])}, lower bound {_fmt(status['lower_bound'])}, "
        f"waiting for a verdict {status['pending']}"
    )


def register(app: typer.Typer) -> None:
    """Add the ``models`` group."""
    app.add_typer(models_app, name="models")
