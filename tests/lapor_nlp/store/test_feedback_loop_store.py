"""Tables of migration 0002 against real SQLite and PostgreSQL: the database enforces one
active model and one retraining at a time; the catalog's promotions are serialised."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lapor_nlp.errors import ConflictError, ModelNotFoundError
from lapor_nlp.registry import ModelRegistry
from lapor_nlp.service.catalog import ModelCatalog
from lapor_nlp.store import Base, ModelVersion, RetrainJob, Store
from lapor_nlp.store import feedback as feedback_rows
from lapor_nlp.store import jobs as job_rows
from lapor_nlp.store import repository as repo
from lapor_nlp.store.database import _alembic_config
from lapor_nlp.store.tables import Feedback
from tests.lapor_nlp.store.test_store import _record


def _version(name: str, status: str = "candidate") -> ModelVersion:
    return ModelVersion(
        version=name,
        status=status,
        created_at=datetime.now(UTC),
        registered_at=datetime.now(UTC),
        metrics={},
    )


def test_the_migrations_match_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_downgrade_to_0001_and_upgrade_again(store: Store) -> None:
    with store.engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "0001_initial")
    assert store.migrate() is True
    with store.read() as session:
        assert session.scalars(select(ModelVersion)).all() == []


def test_the_database_allows_one_active_model(store: Store) -> None:
    with store.transaction() as session:
        session.add_all([_version("a", "active"), _version("b"), _version("c", "retired")])
    with pytest.raises(IntegrityError), store.transaction() as session:
        session.add(_version("d", "active"))
    with pytest.raises(IntegrityError), store.transaction() as session:
        session.get(ModelVersion, "b").status = "active"  # type: ignore[union-attr]
    with pytest.raises(IntegrityError), store.transaction() as session:
        session.add(_version("e", "deleted"))  # not a status


def test_one_retraining_job_at_a_time(store: Store) -> None:
    with store.transaction() as session:
        job_rows.add_job(session, job_id="j1", requested_by="t")
    with pytest.raises(IntegrityError), store.transaction() as session:
        job_rows.add_job(session, job_id="j2", requested_by="t")
    with store.transaction() as session:
        assert job_rows.claim(session, "j1", pid=1)
        assert not job_rows.claim(session, "j1", pid=1)
        assert job_rows.finish(session, "j1", status="succeeded", candidate_version="v2")
        assert not job_rows.finish(session, "j1", status="failed", error="late")
    with store.transaction() as session:
        job_rows.add_job(session, job_id="j2", requested_by="t")
    with store.read() as session:
        holder = job_rows.slot_holder(session)
        assert holder is not None and holder.id == "j2"
        done = session.get(RetrainJob, "j1")
        assert done is not None and done.status == "succeeded" and done.slot is None


def test_jobs_without_a_heartbeat_are_failed_as_interrupted(store: Store) -> None:
    with store.transaction() as session:
        job_rows.add_job(session, job_id="old", requested_by="t")
        job_rows.claim(session, "old", pid=1)
    later = datetime.now(UTC) + timedelta(seconds=31)
    with store.transaction() as session:
        assert job_rows.fail_stale(session, older_than=timedelta(seconds=60), now=later) == []
        assert job_rows.fail_stale(session, older_than=timedelta(seconds=30), now=later) == ["old"]
    with store.read() as session:
        row = session.get(RetrainJob, "old")
        assert row is not None and row.status == "failed" and row.slot is None
        assert row.error is not None and row.error.startswith("interrupted")


def test_review_queue_order_and_final_labels(store: Store) -> None:
    records = [
        _record("Q-1", opd=[{"code": "DPUPR", "confidence": 0.9}]),
        _record("Q-2", opd=[{"code": "DINKES", "confidence": 0.3}]),
        _record("Q-3", opd=[{"code": "DPUPR", "confidence": 0.3}], decision="review"),
        _record("Q-4", opd=[{"code": "DLH", "confidence": 0.1}]),
    ]
    for record in records:  # one transaction each: distinct creation times
        with store.transaction() as session:
            repo.save_routed(session, [record])
    with store.transaction() as session:  # Q-1 routed again: its latest prediction counts
        repo.save_routed(session, [_record("Q-1", opd=[{"code": "DLH", "confidence": 0.2}])])
        for verdict, opd in (("correct", "DINKES"), ("not_authority", None), ("correct", "DLH")):
            feedback_rows.add_feedback(
                session, complaint_id="Q-4", verdict=verdict, opd=opd, operator="op"
            )
    with store.read() as session:
        queue = feedback_rows.review_queue(session, limit=10)
        assert [c.id for c, _ in queue] == ["Q-1", "Q-2", "Q-3"]
        assert queue[0][1].top_opd == "DLH"
        only = feedback_rows.review_queue(session, limit=10, opd="DPUPR", decision="review")
        assert [c.id for c, _ in only] == ["Q-3"]
        assert [c.id for c, _ in feedback_rows.review_queue(session, limit=1)] == ["Q-1"]
        labels = feedback_rows.final_labels(session)
        assert [(f.complaint_id, f.opd) for f, _ in labels] == [("Q-4", "DLH")]
        count = session.scalar(select(func.count()).select_from(Feedback))
        assert count == 3


def _registry(tmp_path: Path, versions: list[str]) -> ModelRegistry:
    registry = ModelRegistry(tmp_path / "models")
    for version in versions:
        # The catalog never unpickles: any picklable object stands in for a router here.
        registry.register({"stand-in": version}, {"version": version, "metrics": {"v": version}})
    registry.activate(versions[0])
    return registry


def test_catalog_sync_promote_and_rollback(store: Store, tmp_path: Path) -> None:
    registry = _registry(tmp_path, ["m1", "m2", "m3"])
    catalog = ModelCatalog(store, registry)
    assert catalog.sync() == ["m1", "m2", "m3"]
    assert catalog.sync() == []
    assert catalog.active_version() == "m1"
    assert catalog.promote("m2", actor="t").previous_version == "m1"
    assert registry.active_version() == "m2"  # the file pointer follows the database
    assert catalog.promote("m3", actor="t").previous_version == "m2"
    assert catalog.rollback(actor="t").version == "m2"
    assert catalog.rollback(actor="t").version == "m3"
    statuses = {r.version: r.status for r in catalog.list_versions()}
    assert statuses == {"m1": "retired", "m2": "retired", "m3": "active"}
    with pytest.raises(ModelNotFoundError):
        catalog.promote("nope", actor="t")
    with store.read() as session:
        actions = [e.action for e in repo.list_audit(session, limit=10)]
    assert actions.count("model.promote") == 2 and actions.count("model.rollback") == 2


def test_rollback_without_history_is_a_conflict(store: Store, tmp_path: Path) -> None:
    catalog = ModelCatalog(store, _registry(tmp_path, ["only"]))
    catalog.sync()
    with pytest.raises(ConflictError):
        catalog.rollback(actor="t")


def test_concurrent_promotions_leave_exactly_one_active(store: Store, tmp_path: Path) -> None:
    versions = [f"c{i}" for i in range(6)]
    registry = _registry(tmp_path, versions)
    ModelCatalog(store, registry).sync()
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(versions))

    def promote(version: str) -> None:
        # One catalog (and database connection pool) per thread, like separate processes.
        catalog = ModelCatalog(store, registry)
        barrier.wait()
        for _ in range(3):
            try:
                catalog.promote(version, actor=f"t-{version}")
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=promote, args=(v,)) for v in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    with store.read() as session:
        active = session.scalars(select(ModelVersion).where(ModelVersion.status == "active")).all()
        assert len(active) == 1
        promotions = repo.list_audit(session, action="model.promote", limit=100)
    assert len(promotions) == 3 * len(versions)
    assert registry.active_version() == active[0].version
