"""The service's database: tables, migrations and the reads and writes on them."""

from lapor_nlp.store.database import (
    Store,
    current_revision,
    head_revision,
    make_engine,
    migrate,
    unreachable_message,
)
from lapor_nlp.store.faults import DATABASE_ERRORS, DatabaseTimeouts, database_unavailable
from lapor_nlp.store.repository import RoutedRecord
from lapor_nlp.store.tables import (
    ApiKey,
    AuditEntry,
    Base,
    Complaint,
    Feedback,
    ModelVersion,
    Prediction,
    RetrainJob,
)

__all__ = [
    "DATABASE_ERRORS",
    "ApiKey",
    "AuditEntry",
    "Base",
    "Complaint",
    "DatabaseTimeouts",
    "Feedback",
    "ModelVersion",
    "Prediction",
    "RetrainJob",
    "RoutedRecord",
    "Store",
    "current_revision",
    "database_unavailable",
    "head_revision",
    "make_engine",
    "migrate",
    "unreachable_message",
]
