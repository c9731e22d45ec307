"""The active model of this process, swapped atomically when another model is promoted.

A request takes ``holder.current`` once and uses that object to the end, so a swap in the
middle of a request never mixes two models: the swap is one reference assignment.

Which version is active is asked of ``active_version`` (the database's model catalog in the
service; the registry's file pointer when none is given).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from lapor_nlp.errors import LaporError, ModelIntegrityError, ModelUnavailableError
from lapor_nlp.registry import LoadedModel, ModelRegistry

logger = logging.getLogger(__name__)


class ModelHolder:
    """Holds the loaded active model and follows the active version.

    Parameters
    ----------
    registry : ModelRegistry
        Where models are loaded from.
    active_version : callable, optional
        Returns the version that should serve (e.g. ``ModelCatalog.active_version``);
        defaults to the registry's file pointer.
    on_swap : callable, optional
        Called with the new model after each swap (e.g. to update a metric).
    expected_sha256 : callable, optional
        Returns the artifact checksum recorded for a version (``ModelCatalog.artifact_sha256``);
        when given, a version without one, or whose artifact differs, is not loaded.
    """

    def __init__(
        self,
        registry: ModelRegistry,
        *,
        active_version: Callable[[], str | None] | None = None,
        on_swap: Callable[[LoadedModel], None] | None = None,
        expected_sha256: Callable[[str], str | None] | None = None,
    ) -> None:
        self._expected_sha256 = expected_sha256
        self._registry = registry
        self._active_version = active_version or registry.active_version
        self._on_swap = on_swap
        self._current: LoadedModel | None = None
        self._refresh_lock = threading.Lock()
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None
        self.last_error: str | None = None

    @property
    def current(self) -> LoadedModel:
        """The model to use for one request; take it once per request."""
        model = self._current
        if model is None:
            reason = self.last_error or "not loaded yet"
            raise ModelUnavailableError(f"no routing model is loaded: {reason}")
        return model

    @property
    def loaded(self) -> bool:
        """Whether a model is loaded and routing can start."""
        return self._current is not None

    def swap(self, model: LoadedModel) -> LoadedModel | None:
        """Make ``model`` the current one; return the previous one."""
        previous, self._current = self._current, model
        if self._on_swap is not None:
            self._on_swap(model)
        if previous is None or previous.version != model.version:
            logger.info("active model is now %s", model.version)
        return previous

    def refresh(self) -> bool:
        """Load the active version if it differs from the current one.

        Returns True when a new model was swapped in. Failures are kept in ``last_error``
        and logged; the current model stays in place.
        """
        with self._refresh_lock:
            try:
                version = self._active_version()
                current = self._current
                if version is None or (current is not None and current.version == version):
                    if version is None and current is None:
                        self.last_error = "no model is marked active"
                    return False
                model = self._load(version)
            except (LaporError, OSError, ValueError, SQLAlchemyError) as exc:
                self.last_error = f"{type(exc).__name__}: {exc}"
                logger.error("could not load the active model: %s", self.last_error)
                return False
            self.last_error = None
            self.swap(model)
            return True

    def _load(self, version: str) -> LoadedModel:
        if self._expected_sha256 is None:
            return self._registry.load(version)
        expected = self._expected_sha256(version)
        if expected is None:
            raise ModelIntegrityError(f"model {version} has no registered artifact checksum")
        return self._registry.load(version, expected_sha256=expected)

    def start_polling(self, interval: float) -> None:
        """Call :meth:`refresh` every ``interval`` seconds in a daemon thread."""
        if self._poller is not None:
            return
        self._stop.clear()

        def _loop() -> None:
            while not self._stop.wait(interval):
                self.refresh()

        self._poller = threading.Thread(target=_loop, name="model-poller", daemon=True)
        self._poller.start()

    def stop_polling(self) -> None:
        """Stop the polling thread (if it runs) and wait for it."""
        self._stop.set()
        if self._poller is not None:
            self._poller.join(timeout=5)
            self._poller = None
