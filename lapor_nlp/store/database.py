"""Engine, sessions and migrations: the one way the package talks to its database."""

from __future__ import annotations

import logging
from collections.abc import Iterator
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

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any constant works: it only has to be the same for every process migrating one database.
_PG_MIGRATION_LOCK = 7_310_442_001

logger = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
    finally:
        cursor.close()


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode, foreign keys and a busy timeout.

    The directory of a SQLite file is created when missing.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": 10},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url, echo=echo, hide_parameters=True, pool_pre_ping=True, pool_size=10, max_overflow=20
    )


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

    Examples
    --------
    >>> store = Store("sqlite://")
    >>> _ = store.migrate()
    >>> with store.transaction() as session:
    ...     _ = session.execute(text("SELECT 1"))
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
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
