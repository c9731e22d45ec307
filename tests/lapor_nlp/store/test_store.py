"""The store against real SQLite and PostgreSQL: migrations, round-trips, rollback."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from lapor_nlp.auth import KeyManager, Role, hash_key
from lapor_nlp.errors import DataValidationError, NotFoundError
from lapor_nlp.store import Complaint, Feedback, Prediction, RoutedRecord, Store
from lapor_nlp.store import repository as repo
from lapor_nlp.store.database import current_revision, head_revision

TABLES = {
    "complaints",
    "predictions",
    "api_keys",
    "audit_log",
    "feedback",
    "model_versions",
    "retrain_jobs",
    "alembic_version",
}


def _record(complaint_id: str = "C-1", decision: str = "auto", **extra: object) -> RoutedRecord:
    values: dict[str, object] = {
        "complaint_id": complaint_id,
        "text": "Jalan rusak di km 12, hubungi [TELEPON]",
        "title": "Jalan rusak",
        "channel": "web",
        "model_version": "v1",
        "decision": decision,
        "opd": [{"code": "DPUPR", "confidence": 0.9}, {"code": "DISHUB", "confidence": 0.05}],
        "category": [{"code": "INFRASTRUKTUR", "confidence": 0.8}],
        "explanation": [{"term": "jalan", "weight": 1.5}],
    }
    values.update(extra)
    return RoutedRecord(**values)  # type: ignore[arg-type]


def test_migrations_create_every_table(store: Store) -> None:
    assert set(inspect(store.engine).get_table_names()) >= TABLES
    assert current_revision(store.engine) == head_revision()


def test_migrate_twice_is_a_no_op(store: Store) -> None:
    assert store.migrate() is False


def test_sqlite_runs_in_wal_mode_with_foreign_keys(store: Store) -> None:
    if store.dialect != "sqlite":
        pytest.skip("SQLite pragmas only")
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_routed_record_round_trips(store: Store) -> None:
    with store.transaction() as session:
        repo.save_routed(session, [_record()])
    with store.read() as session:
        complaint = repo.get_complaint(session, "C-1")
        assert complaint is not None
        assert complaint.text == "Jalan rusak di km 12, hubungi [TELEPON]"
        assert complaint.title == "Jalan rusak"
        assert complaint.created_at.tzinfo is not None
        (prediction,) = complaint.predictions
        assert prediction.top_opd == "DPUPR"
        assert prediction.top_confidence == pytest.approx(0.9)
        assert prediction.opd[1] == {"code": "DISHUB", "confidence": 0.05}
        assert prediction.explanation == [{"term": "jalan", "weight": 1.5}]
        assert complaint.feedback == []


def test_routing_an_id_again_adds_a_prediction_and_updates_the_complaint(store: Store) -> None:
    with store.transaction() as session:
        repo.save_routed(session, [_record()])
    with store.transaction() as session:
        repo.save_routed(session, [_record(decision="review", text="teks baru")])
    with store.read() as session:
        complaint = repo.get_complaint(session, "C-1")
        assert complaint is not None
        assert complaint.text == "teks baru"
        assert [p.decision for p in complaint.predictions] == ["auto", "review"]
        assert complaint.updated_at >= complaint.created_at


def test_one_batch_may_name_a_complaint_twice(store: Store) -> None:
    with store.transaction() as session:
        repo.save_routed(session, [_record("C-2"), _record("C-2", decision="review")])
    with store.read() as session:
        count = len(
            session.scalars(select(Prediction).where(Prediction.complaint_id == "C-2")).all()
        )
    assert count == 2


def test_a_failed_transaction_writes_nothing(store: Store) -> None:
    with pytest.raises(IntegrityError), store.transaction() as session:
        repo.save_routed(session, [_record("C-3")])
        session.flush()
        # A second complaint row with the same id breaks the primary key.
        session.add(
            Complaint(
                id="C-3",
                text="x",
                created_at=datetime.now(UTC),
                updated_at=datetime.now(UTC),
            )
        )
    with store.read() as session:
        assert session.get(Complaint, "C-3") is None
        assert session.scalars(select(Prediction)).all() == []


def test_feedback_needs_an_existing_complaint(store: Store) -> None:
    with pytest.raises(IntegrityError), store.transaction() as session:
        session.add(
            Feedback(
                complaint_id="nope",
                verdict="correct",
                operator="op",
                created_at=datetime.now(UTC),
            )
        )


def test_feedback_idempotency_key_is_unique(store: Store) -> None:
    with store.transaction() as session:
        repo.save_routed(session, [_record("C-4")])
    row = {"complaint_id": "C-4", "verdict": "correct", "operator": "op", "idempotency_key": "k1"}
    with store.transaction() as session:
        session.add(Feedback(**row, created_at=datetime.now(UTC)))
    with pytest.raises(IntegrityError), store.transaction() as session:
        session.add(Feedback(**row, created_at=datetime.now(UTC)))


def test_api_keys_are_stored_hashed_and_audited(store: Store) -> None:
    manager = KeyManager(store, cache_seconds=0)
    info, key = manager.create(role=Role.OPERATOR, name="loket", actor="test")
    with store.read() as session:
        row = repo.find_api_key(session, key_hash=hash_key(key))
        assert row is not None and row.role == "operator"
        assert key not in {row.key_hash, row.prefix, row.name}
        assert key.startswith(row.prefix)
        (entry,) = repo.list_audit(session, action="api_key.create")
        assert entry.actor == "test" and entry.target == f"api_key:{info.id}"
        assert key not in str(entry.detail)
    principal = manager.authenticate(key)
    assert principal is not None and principal.role is Role.OPERATOR
    assert manager.authenticate(key + "x") is None


def test_revoked_keys_stop_authenticating(store: Store) -> None:
    manager = KeyManager(store, cache_seconds=60)
    info, key = manager.create(role=Role.INTAKE, name="kios", actor="test")
    assert manager.authenticate(key) is not None
    manager.revoke(info.prefix, actor="test")
    assert manager.authenticate(key) is None
    assert manager.list()[0].revoked_at is not None
    with pytest.raises(NotFoundError):
        manager.revoke("lpr_doesnotexist", actor="test")
    with pytest.raises(DataValidationError):
        manager.revoke("  ", actor="test")


def test_bootstrap_key_only_when_there_is_none(store: Store) -> None:
    manager = KeyManager(store, cache_seconds=0)
    key = manager.ensure_bootstrap()
    assert key is not None
    principal = manager.authenticate(key)
    assert principal is not None and principal.role is Role.MAINTAINER
    assert manager.ensure_bootstrap() is None
