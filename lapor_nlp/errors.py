"""Domain errors. Each names what is wrong so the HTTP layer and the CLI can say it plainly."""

from __future__ import annotations


class LaporError(Exception):
    """Base of every error this package raises on purpose."""


class DataValidationError(LaporError, ValueError):
    """Training or input data that cannot be used as given."""


class UnknownLabelError(DataValidationError):
    """A label that is not in the taxonomy."""


class ModelIntegrityError(LaporError):
    """A model artifact that must not be loaded (checksum or library version mismatch)."""


class ModelNotFoundError(LaporError, LookupError):
    """No model with that version in the registry."""


class NotFoundError(LaporError, LookupError):
    """A requested record does not exist."""


class ConflictError(LaporError):
    """The request conflicts with the current state (e.g. a job already running)."""
