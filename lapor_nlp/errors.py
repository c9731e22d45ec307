"""Domain errors. Each names what is wrong so the HTTP layer and the CLI can say it plainly."""

from __future__ import annotations


class LaporError(Exception):
    """Base of every error this package raises on purpose."""


class DataValidationError(LaporError, ValueError):
    """Training or input data that cannot be used as given."""


class UnknownLabelError(DataValidationError):
    """A label that is not in the taxonomy."""


class SharedDataUnavailableError(DataValidationError):
    """The shared real-data folder (or one of its files) is not on this machine."""


class ModelIntegrityError(LaporError):
    """A model artifact that must not be loaded (checksum or library version mismatch)."""


class ModelNotFoundError(LaporError, LookupError):
    """No model with that version in the registry."""


class ModelUnavailableError(LaporError):
    """No model is loaded in this process (yet)."""


class NotFoundError(LaporError, LookupError):
    """A requested record does not exist."""


class ConflictError(LaporError):
    """The request conflicts with the current state (e.g. a job already running)."""


class JobConflictError(ConflictError):
    """A retraining is already queued or running; ``fields`` names it."""

    def __init__(self, job_id: str) -> None:
        super().__init__(f"a retraining job is already queued or running: {job_id}")
        self.fields = {"job_id": job_id}


class DatabaseUnavailableError(LaporError):
    """The database refused, did not answer in time, or every connection to it is busy."""


class MissingExtraError(LaporError):
    """An optional dependency (a ``lapor-nlp[...]`` extra) that this use needs is not installed."""
