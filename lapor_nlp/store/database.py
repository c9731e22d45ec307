"""Engine, sessions and migrations: the one way the package talks to its database."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from lapor_nlp.extras import require
from lapor_nlp.store.faults import DatabaseTimeouts

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any constant works: it only has to be the same for every process migrating one database.
_PG_MIGRATION_LOCK = 7_310_442_001

logger = logging.getLogger(__name__)


def _sqlite_pragmas(busy_ms: int) -> Callable[[Any, Any], None]:
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        finally:
            cursor.close()

    return set_pragmas


def make_engine(
    url: str, *, echo: bool = False, timeouts: DatabaseTimeouts | None = None
) -> Engine:
    """An engine for ``url`` whose every wait is bounded by ``timeouts``.

    SQLite gets WAL mode, foreign keys and a busy timeout of the statement timeout; the
    directory of a SQLite file is created when missing. PostgreSQL connections get the
    connect timeout, a server-side statement and lock timeout and a client-side deadline
    (see :mod:`lapor_nlp.store.faults`). Both wait at most ``timeouts.pool`` for a pooled
    connection.
    """
    timeouts = timeouts or DatabaseTimeouts()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # In-memory databases get a one-connection pool per thread, which has no checkout wait.
        in_memory = not database or database == ":memory:" or "mode=memory" in url
        pooling = {} if in_memory else {"pool_timeout": timeouts.pool}
        engine = create_engine(
            url,
            echo=echo,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": timeouts.statement},
            **pooling,
        )
        event.listen(engine, "connect", _sqlite_pragmas(int(timeouts.statement * 1000)))
        return engine
    if parsed.get_driver_name() == "psycopg":
        require("psycopg", "a PostgreSQL database")
    engine = create_engine(
        url,
        echo=echo,
        hide_parameters=True,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        pool_timeout=timeouts.pool,
    )
    if parsed.get_driver_name() == "psycopg":
        from lapor_nlp.store.postgres import connect_postgres

        def connect(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
            return connect_postgres(timeouts, *cargs, **cparams)

        event.listen(engine, "do_connect", connect)
    return engine


def _alembic_config(connection: Any) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest migration shipped with the package."""
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return script.get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> bool:
    """Apply pending migrations; True when something was applied.

    Safe to call from several processes at once: PostgreSQL takes an advisory lock and
    SQLite serialises the writers with its file lock.
    """
    if current_revision(engine) == head_revision():
        return False
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        before = MigrationContext.configure(connection).get_current_revision()
        if before == head_revision():
            return False
        command.upgrade(_alembic_config(connection), "head")
    logger.info("database migrated from %s to %s", before or "empty", head_revision())
    return True


class Store:
    """The database behind the service: an engine and a session factory.

    Parameters
    ----------
    url : str
        SQLAlchemy URL, e.g. ``sqlite:///var/lapor.db`` or
        ``postgresql+psycopg://user@host/db``.
    timeouts : DatabaseTimeouts, optional
        How long to wait on the database (defaults: 5 s connect, 15 s statement, 5 s pool).

    Examples
    --------
    >>> store = Store("sqlite://")
    >>> _ = store.migrate()
    >>> with store.transaction() as session:
    ...     _ = session.execute(text("SELECT 1"))
    """

    def __init__(self, url: str, *, timeouts: DatabaseTimeouts | None = None) -> None:
        self.url = url
        self.timeouts = timeouts or DatabaseTimeouts()
        self.engine = make_engine(url, timeouts=self.timeouts)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """The database's dialect name (``sqlite`` or ``postgresql``)."""
        return self.engine.dialect.name

    def migrate(self) -> bool:
        """Bring the schema to the newest revision (see :func:`migrate`)."""
        return migrate(self.engine)

    def ping(self) -> None:
        """Raise when the database cannot be reached or is not migrated."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1 FROM alembic_version"))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on any error."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        with self._sessions() as session:
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def unreachable_message(store: Store, exc: BaseException) -> str:
    """One line saying which database could not be used and why (password hidden)."""
    cause = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(cause).strip().splitlines() if line.strip()]
    reason = lines[0] if lines else type(cause).__name__
    where = make_url(store.url).render_as_string(hide_password=True)
    return f"database unreachable ({where}): {reason}"
