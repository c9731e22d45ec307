"""Database faults: bounded waits (connection, statement, pool) and telling an unavailable
database from a broken request.

PostgreSQL gets a server-side ``statement_timeout`` and, because a stalled network never
delivers the server's answer, a client-side deadline on every wait for the server: the
connection is closed when the deadline passes, which frees the waiting thread. SQLite's only
wait is its lock, bounded by the busy timeout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

DATABASE_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    DisconnectionError,
    PoolTimeoutError,
)
"""Errors that mean the database cannot be used right now (not that a request is wrong)."""
_SQLITE_UNAVAILABLE = (
    "database is locked",
    "database table is locked",
    "unable to open database file",
    "disk i/o error",
)
CLIENT_GRACE_SECONDS = 2.0
"""How much longer than the server-side statement timeout the client waits for an answer."""


@dataclass(frozen=True)
class DatabaseTimeouts:
    """Seconds the service waits on the database."""

    connect: float = 5.0
    statement: float = 15.0
    pool: float = 5.0

    @property
    def libpq_connect(self) -> int:
        """libpq's ``connect_timeout``: whole seconds, and libpq treats under 2 as 2."""
        return max(2, math.ceil(self.connect))

    @property
    def client_deadline(self) -> float:
        return self.statement + CLIENT_GRACE_SECONDS


def database_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` means the database cannot be used now (retrying later may work).

    Connection failures, deadlines, pool timeouts and locks count; a missing table or a
    constraint violation does not. SQLite reports both kinds as OperationalError, so its
    message decides.
    """
    if not isinstance(exc, DATABASE_ERRORS):
        return False
    if isinstance(exc, OperationalError) and not exc.connection_invalidated:
        orig = exc.orig
        if orig is not None and type(orig).__module__.startswith("sqlite3"):
            return str(orig).lower().startswith(_SQLITE_UNAVAILABLE)
    return True
