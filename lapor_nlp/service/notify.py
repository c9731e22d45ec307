"""Follow promotions made by other processes: PostgreSQL ``LISTEN`` in a background thread.

Polling (``ModelHolder.start_polling``) stays on as the fallback, and is the only mechanism
on SQLite. A notification only triggers ``on_change``; what is active is always read back
from the database, so lost, duplicated or foreign notifications are harmless.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy.engine import make_url

from lapor_nlp.store.faults import DatabaseTimeouts

logger = logging.getLogger(__name__)


def libpq_url(sqlalchemy_url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as a libpq connection URI (query options kept)."""
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PromotionListener:
    """Calls ``on_change`` whenever a notification arrives on ``channel``.

    Parameters
    ----------
    database_url : str
        SQLAlchemy URL of the PostgreSQL database.
    channel : str
        The channel name (a plain identifier).
    on_change : callable
        Called from the listener thread on each notification, and after each (re)connect
        (a promotion may have happened while the connection was down).
    timeouts : DatabaseTimeouts, optional
        Connect timeout and answer deadline of the listening connection. A quiet connection
        is asked ``SELECT 1`` every ``check_seconds``: a stalled database is noticed within
        about ``check_seconds`` plus the deadline, and the listener reconnects.
    """

    def __init__(
        self,
        database_url: str,
        channel: str,
        on_change: Callable[[], object],
        *,
        retry_seconds: float = 2.0,
        timeouts: DatabaseTimeouts | None = None,
        check_seconds: float = 10.0,
    ) -> None:
        if not channel.isidentifier():
            raise ValueError(f"channel must be a plain identifier, got {channel!r}")
        self._dsn = libpq_url(database_url)
        self._channel = channel
        self._on_change = on_change
        self._retry_seconds = retry_seconds
        self._timeouts = timeouts or DatabaseTimeouts()
        self._check_seconds = check_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.listening = threading.Event()

    def start(self) -> None:
        """Listen on the channel from a daemon thread."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="model-listener", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and wait for the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        from psycopg import sql

        from lapor_nlp.store.postgres import connect_postgres

        listen = sql.SQL("LISTEN {}").format(sql.Identifier(self._channel))
        while not self._stop.is_set():
            try:
                with connect_postgres(self._timeouts, self._dsn, autocommit=True) as conn:
                    conn.execute(listen)
                    self.listening.set()
                    self._call()
                    checked = time.monotonic()
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=1.0):
                            self._call()
                        if time.monotonic() - checked >= self._check_seconds:
                            conn.execute("SELECT 1")  # bounded by the answer deadline
                            checked = time.monotonic()
            except Exception as exc:  # keep listening after database restarts
                self.listening.clear()
                if not self._stop.is_set():
                    logger.warning("promotion listener: %s; retrying", exc)
                    self._stop.wait(self._retry_seconds)
        self.listening.clear()

    def _call(self) -> None:
        try:
            self._on_change()
        except Exception:
            logger.exception("promotion listener: refreshing the model failed")
