"""``lapor-nlp serve``: run the HTTP service with uvicorn."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from lapor_nlp.settings import Settings


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="uvicorn worker processes")] = 1,
    bootstrap_key: Annotated[
        bool,
        typer.Option(
            "--bootstrap-key",
            help="On first start (no API key at all) create a maintainer key and print it once",
        ),
    ] = False,
) -> None:
    """Serve the routing API (migrations are applied before the workers start).

    With ``--workers`` above 1, ``/metrics`` sums every worker's counters from
    ``PROMETHEUS_MULTIPROC_DIR`` (default: ``<data dir>/prometheus/<port>``), emptied at start.
    """
    import uvicorn

    from lapor_nlp.observability import configure_logging
    from lapor_nlp.observability.multiprocess import prepare_multiprocess_dir
    from lapor_nlp.settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    # Workers sum their metrics in one folder (PROMETHEUS_MULTIPROC_DIR, else one per port).
    prepare_multiprocess_dir(settings.data_dir / "prometheus" / str(port), workers)
    try:
        _prepare_database(settings, bootstrap_key=bootstrap_key)
    except DatabaseNotUsableError as exc:
        typer.echo(f"error: {exc}", err=True)  # one line, never wrapped
        raise typer.Exit(code=2) from None
    uvicorn.run(
        "lapor_nlp.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        server_header=False,
    )


class DatabaseNotUsableError(Exception):
    pass


def _prepare_database(settings: Settings, *, bootstrap_key: bool) -> None:
    """Apply pending migrations (and create the first key); a database that cannot be
    reached or opened raises DatabaseNotUsableError with one line saying so."""
    from lapor_nlp.auth import KeyManager
    from lapor_nlp.store import DATABASE_ERRORS, Store, unreachable_message

    try:
        store = Store(settings.effective_database_url, timeouts=settings.db_timeouts)
    except OSError as exc:  # e.g. a SQLite directory that cannot be created
        raise DatabaseNotUsableError(f"database cannot be opened: {exc}") from None
    try:
        store.migrate()
        if bootstrap_key:
            key = KeyManager(store).ensure_bootstrap(actor="serve --bootstrap-key")
            if key is not None:
                typer.echo("Created a maintainer API key (shown only this once):")
                typer.echo(key)
    except DATABASE_ERRORS as exc:
        raise DatabaseNotUsableError(unreachable_message(store, exc)) from None
    finally:
        store.dispose()


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the app."""
    app.command("serve")(serve)
