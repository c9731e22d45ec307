"""Failed sign-ins are limited per client address and per key prefix, so guessing keys from
one address, or one key from many addresses, is slowed down.

The counts live in the process (each replica counts its own): a limit per replica, enough
against guessing, with nothing to clean up in the database.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

KEY_PREFIX_CHARS = 12
"""As many characters as a key's public prefix (what ``keys revoke`` names)."""
_MAX_TRACKED = 10_000


class LoginThrottle:
    """Counts failed sign-ins in a sliding window.

    Parameters
    ----------
    attempts : int
        Failures allowed per address and per key prefix within ``window_seconds``.
    window_seconds : float
    clock : callable, optional
        Monotonic seconds (tests pass their own).
    """

    def __init__(
        self,
        attempts: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.attempts = attempts
        self.window_seconds = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def subjects(address: str, key: str) -> tuple[str, ...]:
        """What one attempt counts against: its address, and the key's prefix if any."""
        prefix = key.strip()[:KEY_PREFIX_CHARS]
        return (f"ip:{address}", f"key:{prefix}") if prefix else (f"ip:{address}",)

    def retry_after(self, address: str, key: str) -> float:
        """Seconds until this address and key may try again (0: now)."""
        now = self._clock()
        wait = 0.0
        with self._lock:
            for subject in self.subjects(address, key):
                failures = self._recent(subject, now)
                if len(failures) >= self.attempts:
                    wait = max(wait, failures[0] + self.window_seconds - now)
        return wait

    def failed(self, address: str, key: str) -> None:
        """Record a failed sign-in."""
        now = self._clock()
        with self._lock:
            if len(self._failures) >= _MAX_TRACKED:
                self._failures = {
                    s: f for s, f in self._failures.items() if self._recent(s, now, f)
                }
            for subject in self.subjects(address, key):
                self._failures.setdefault(subject, deque()).append(now)

    def _recent(
        self, subject: str, now: float, failures: deque[float] | None = None
    ) -> deque[float]:
        found = self._failures.get(subject, deque()) if failures is None else failures
        while found and found[0] <= now - self.window_seconds:
            found.popleft()
        return found
