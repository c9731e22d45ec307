"""``lapor-nlp serve``: run the HTTP service with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


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
    """Serve the routing API (migrations are applied before the workers start)."""
    import uvicorn

    from lapor_nlp.auth import KeyManager
    from lapor_nlp.observability import configure_logging
    from lapor_nlp.settings import get_settings
    from lapor_nlp.store import Store

    settings = get_settings()
    configure_logging(settings.log_level)
    store = Store(settings.effective_database_url)
    try:
        store.migrate()
        if bootstrap_key:
            key = KeyManager(store).ensure_bootstrap(actor="serve --bootstrap-key")
            if key is not None:
                typer.echo("Created a maintainer API key (shown only this once):")
                typer.echo(key)
    finally:
        store.dispose()
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        server_header=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the app."""
    app.command("serve")(serve)
