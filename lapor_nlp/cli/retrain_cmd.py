"""``lapor-nlp retrain [--wait]``: a retraining job, like ``POST /v1/retrain``."""

from __future__ import annotations

import json
import time
from typing import Annotated, Any

import typer

from lapor_nlp.cli.common import console, err_console, user_errors
from lapor_nlp.cli.models_cmd import cli_actor


def _summary(view: Any) -> dict[str, Any]:
    report = view.report or {}
    keys = ("n", "not_worse", "macro_f1_delta", "worse_opd", "rows", "feedback_weight", "verified")
    brief = {k: report.get(k) for k in keys}
    for side in ("candidate", "active"):
        metrics = report.get(side) or {}
        brief[side] = {
            k: metrics.get(k)
            for k in ("accuracy", "macro_f1", "auto_coverage", "auto_precision")
            if k in metrics
        }
    return {
        "job_id": view.job_id,
        "status": view.status,
        "base_version": view.base_version,
        "candidate_version": view.candidate_version,
        "feedback_labels": view.feedback_labels,
        "auto_promoted": view.auto_promoted,
        "error": view.error,
        "report": brief,
    }


def retrain(
    wait: Annotated[
        bool,
        typer.Option("--wait", help="Run the training here and print the report when done"),
    ] = False,
) -> None:
    """Train a candidate on the active model's data plus operators' corrections.

    Without --wait a worker process is started and the job id printed (follow it with
    ``GET /v1/jobs/{job_id}``). The candidate is promoted only with LAPOR_AUTO_PROMOTE=true
    and when it is not worse than the active model; otherwise use ``models promote``.
    """
    from lapor_nlp.service.offline import open_services
    from lapor_nlp.settings import get_settings

    with user_errors():
        services = open_services(get_settings(), sync=True)
        try:
            if not wait:
                view = services.jobs.start(actor=cli_actor())
                console.print(f"retraining job {view.job_id} started")
                return
            view = services.jobs.create(actor=cli_actor())
            console.print(f"retraining job {view.job_id}: training (this takes a while)")
            started = time.perf_counter()
            view = services.jobs.run(view.job_id)
            seconds = time.perf_counter() - started
        finally:
            services.close()
    summary = {**_summary(view), "seconds": round(seconds, 1)}
    typer.echo(json.dumps(summary, indent=2, default=str))
    if view.status != "succeeded":
        err_console.print(f"[bold red]error:[/] retraining failed: {view.error}")
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Add ``retrain`` to the app."""
    app.command("retrain")(retrain)
