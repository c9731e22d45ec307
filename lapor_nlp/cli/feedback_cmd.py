"""``lapor-nlp feedback export``: operators' verdicts as CSV (texts masked)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from lapor_nlp.cli.common import console, user_errors

feedback_app = typer.Typer(help="Operators' feedback.", no_args_is_help=True)


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not an ISO 8601 time: {value!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


@feedback_app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write")],
    since: Annotated[
        str | None, typer.Option(help="Only feedback since this ISO 8601 time (UTC if no zone)")
    ] = None,
) -> None:
    """Write every verdict (with the masked complaint text) to a CSV file."""
    from lapor_nlp.service.offline import open_services
    from lapor_nlp.settings import get_settings

    start = _since(since)
    with user_errors():
        services = open_services(get_settings())
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            scratch = out.with_name(f".{out.name}.partial")
            with scratch.open("w", encoding="utf-8", newline="") as handle:
                count = services.feedback.export_csv(handle, since=start)
            scratch.replace(out)
        finally:
            services.close()
    console.print(f"wrote {count} feedback rows to {out}")


def register(app: typer.Typer) -> None:
    """Add the ``feedback`` group."""
    app.add_typer(feedback_app, name="feedback")
