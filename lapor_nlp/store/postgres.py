"""PostgreSQL connections with bounded waits (psycopg, the ``postgres`` extra).

Imported only when a PostgreSQL URL is used, so a SQLite-only install needs no driver.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import errors as pg_errors

from lapor_nlp.store.faults import DatabaseTimeouts

# psycopg raises this (private) class when ``Connection.wait`` runs out of time.
_WAIT_TIMEOUT: type[BaseException] = pg_errors._WaitTimeout


class DeadlineConnection(psycopg.Connection[Any]):
    """A psycopg connection that gives up waiting for the server after ``deadline`` seconds.

    On a deadline the connection is closed and :class:`psycopg.OperationalError` raised, so
    SQLAlchemy discards it from the pool like any broken connection.
    """

    deadline: float | None = None

    def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
        limit = timeout if timeout is not None else self.deadline
        try:
            return super().wait(gen, interval=interval, timeout=limit)
        except _WAIT_TIMEOUT:
            if timeout is not None:  # psycopg's own bounded wait: let it handle it
                raise
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"the database did not answer within {limit:g} s; connection closed"
            ) from None


def connect_postgres(timeouts: DatabaseTimeouts, *args: Any, **kwargs: Any) -> DeadlineConnection:
    """Open a :class:`DeadlineConnection` with the connect timeout, then bound statements."""
    kwargs.setdefault("connect_timeout", timeouts.libpq_connect)
    connection = DeadlineConnection.connect(*args, **kwargs)
    connection.deadline = timeouts.client_deadline
    milliseconds = int(timeouts.statement * 1000)
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {milliseconds}")
        cursor.execute(f"SET lock_timeout = {milliseconds}")
    if not connection.autocommit:
        connection.commit()
    return connection
