"""The guard's counts follow a complaint's latest verdict (SQLite and PostgreSQL): a changed
verdict replaces the judged one, an undone verdict makes the audit pending again."""

from __future__ import annotations

from lapor_nlp.store import Store
from lapor_nlp.store import feedback as feedback_rows
from lapor_nlp.store import guard as guard_rows
from lapor_nlp.store import repository as repo
from tests.lapor_nlp.store.test_store import _record


def _verdict(store: Store, complaint_id: str, verdict: str, opd: str | None = None) -> int:
    with store.transaction() as session:
        previous = feedback_rows.latest_feedback(session, complaint_id)
        row = feedback_rows.add_feedback(
            session,
            complaint_id=complaint_id,
            verdict=verdict,
            opd=opd,
            operator="op",
            model_version="v1",
            supersedes_id=previous.id if previous else None,
        )
        return row.id


def _judged(store: Store) -> list[tuple[str, str | None]]:
    with store.read() as session:
        return sorted(
            (j.verdict, j.verdict_opd) for j in guard_rows.judged_predictions(session, "v1")
        )


def test_the_guard_counts_the_latest_verdict(store: Store) -> None:
    with store.transaction() as session:
        repo.save_routed(session, [_record("G-1", audit=True), _record("G-2", audit=True)])
    with store.read() as session:
        assert guard_rows.pending_audits(session, "v1") == 2
    first = _verdict(store, "G-1", "accept", "DPUPR")
    assert _judged(store) == [("accept", "DPUPR")]
    _verdict(store, "G-1", "correct", "DISHUB")  # the operator changed their mind
    assert _judged(store) == [("correct", "DISHUB")]
    _verdict(store, "G-2", "accept", "DPUPR")
    _verdict(store, "G-2", "withdrawn")  # undone: judged no more, pending again
    assert _judged(store) == [("correct", "DISHUB")]
    with store.read() as session:
        assert guard_rows.pending_audits(session, "v1") == 1
        queue = [c.id for c, _ in feedback_rows.review_queue(session, limit=10)]
        assert queue == ["G-2"]
        labels = [(f.complaint_id, f.opd) for f, _ in feedback_rows.final_labels(session)]
        assert labels == [("G-1", "DISHUB")]
        history = feedback_rows.latest_feedback(session, "G-1")
        assert history is not None and history.supersedes_id == first


def test_the_default_queue_is_what_needs_a_decision(store: Store) -> None:
    high = [{"code": "DPUPR", "confidence": 0.97}]
    low = [{"code": "DINKES", "confidence": 0.4}]
    records = [
        _record("N-auto", decision="auto", opd=high),
        _record("N-audit", decision="auto", opd=high, audit=True),
        _record("N-review", decision="review", opd=low),
        _record("N-info", decision="needs_info", opd=[{"code": "DPUPR", "confidence": 0.5}]),
    ]
    with store.transaction() as session:
        repo.save_routed(session, records)
    with store.read() as session:
        default = feedback_rows.review_queue(session, limit=10, needs_decision=True)
        everything = feedback_rows.review_queue(session, limit=10)
        autos = feedback_rows.review_queue(session, limit=10, decision="auto", audit=False)
        counts = sorted(feedback_rows.queue_counts(session))
    assert [c.id for c, _ in default] == ["N-review", "N-info", "N-audit"]
    assert {c.id for c, _ in everything} == {r.complaint_id for r in records}
    assert [c.id for c, _ in autos] == ["N-auto"]
    assert counts == [
        ("DINKES", "review", False, 1),
        ("DPUPR", "auto", False, 1),
        ("DPUPR", "auto", True, 1),
        ("DPUPR", "needs_info", False, 1),
    ]
