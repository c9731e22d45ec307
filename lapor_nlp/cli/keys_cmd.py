"""``lapor-nlp keys create|list|revoke``: API keys with roles (intake, operator, maintainer)."""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Annotated

import typer

from lapor_nlp.errors import LaporError

if TYPE_CHECKING:  # the store pulls in SQLAlchemy: imported when a command runs
    from lapor_nlp.auth import KeyManager
    from lapor_nlp.store import Store

keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)


def _manager() -> tuple[Store, KeyManager]:
    from lapor_nlp.auth import KeyManager
    from lapor_nlp.settings import get_settings
    from lapor_nlp.store import Store

    settings = get_settings()
    store = Store(settings.effective_database_url, timeouts=settings.db_timeouts)
    store.migrate()
    return store, KeyManager(store, cache_seconds=0)


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@keys_app.command("create")
def create(
    role: Annotated[str, typer.Option(help="intake, operator or maintainer")],
    name: Annotated[str, typer.Option(help="Who or what uses the key")] = "",
) -> None:
    """Create a key; the key itself is printed once, on the last line."""
    from lapor_nlp.auth import parse_role

    store, manager = _manager()
    try:
        info, key = manager.create(role=parse_role(role), name=name, actor=_actor())
    except LaporError as exc:
        raise typer.BadParameter(str(exc)) from None
    finally:
        store.dispose()
    typer.echo(f"created key id={info.id} name={info.name} role={info.role.value}")
    typer.echo("store it now: it cannot be shown again")
    typer.echo(key)


@keys_app.command("list")
def list_keys() -> None:
    """List keys (id, prefix, role, name, created, revoked); never the keys themselves."""
    store, manager = _manager()
    try:
        infos = manager.list()
    finally:
        store.dispose()
    typer.echo(f"{'id':>4}  {'prefix':<14}{'role':<12}{'created':<27}{'revoked':<27}name")
    for info in infos:
        revoked = info.revoked_at.isoformat(timespec="seconds") if info.revoked_at else "-"
        created = info.created_at.isoformat(timespec="seconds")
        typer.echo(
            f"{info.id:>4}  {info.prefix:<14}{info.role.value:<12}{created:<27}{revoked:<27}"
            f"{info.name}"
        )


@keys_app.command("revoke")
def revoke(key: Annotated[str, typer.Argument(help="The key's id or prefix")]) -> None:
    """Revoke a key (running servers stop accepting it within LAPOR_KEY_CACHE_SECONDS)."""
    store, manager = _manager()
    try:
        info = manager.revoke(key, actor=_actor())
    except LaporError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from None
    finally:
        store.dispose()
    typer.echo(f"revoked key id={info.id} prefix={info.prefix} name={info.name}")


def register(app: typer.Typer) -> None:
    """Add the ``keys`` command group to the app."""
    app.add_typer(keys_app, name="keys")
