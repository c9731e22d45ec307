"""A verdict supersedes the previous one (undo, change, recategorize) through the running
server, on SQLite and PostgreSQL: both rows stay in the history; the queue, the statistics,
the export and the retraining labels read the latest."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import pytest

from lapor_nlp.errors import ConflictError
from lapor_nlp.service.feedback import FeedbackService
from lapor_nlp.taxonomy import load_default_taxonomy
from tests.api.conftest import Server
from tests.api.corpus import ROAD_TEXT
from tests.api.feedback.conftest import route


def _routed(server: Server) -> tuple[str, dict[str, Any]]:
    complaint_id = f"VH-{uuid.uuid4().hex[:12]}"
    return complaint_id, route(server, ROAD_TEXT, complaint_id)


def _post(server: Server, complaint_id: str, role: str = "operator", **body: Any) -> Any:
    with server.client(role) as client:
        return client.post(f"/v1/complaints/{complaint_id}/feedback", json=body)


def _history(server: Server, complaint_id: str) -> list[dict[str, Any]]:
    with server.client("operator") as client:
        feedback: list[dict[str, Any]] = client.get(f"/v1/complaints/{complaint_id}").json()[
            "feedback"
        ]
    return feedback


def _queued(server: Server, complaint_id: str) -> bool:
    with server.client("operator") as client:
        items = client.get("/v1/review-queue", params={"limit": 500}).json()["items"]
    return complaint_id in {item["complaint_id"] for item in items}


def _labels(server: Server) -> dict[str, tuple[str, str | None]]:
    store = server.store()
    try:
        labels = FeedbackService(store, load_default_taxonomy()).training_labels()
    finally:
        store.dispose()
    return {label.key: (label.opd, label.category) for label in labels}


def _export(server: Server) -> list[dict[str, str]]:
    with server.client("maintainer") as client:
        response = client.get("/v1/feedback/export")
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text)))


def test_a_changed_verdict_supersedes_and_both_are_kept(server: Server) -> None:
    complaint_id, routed = _routed(server)
    top = routed["opd"][0]["code"]
    first = _post(server, complaint_id, verdict="accept", opd=top).json()
    assert not _queued(server, complaint_id)
    changed = _post(
        server, complaint_id, verdict="correct", opd="DISHUB", supersedes=first["feedback_id"]
    )
    assert changed.status_code == 201, changed.text
    assert changed.json()["supersedes_id"] == first["feedback_id"]
    # The corrected OPD brings its own default category, not the model's.
    assert changed.json()["category"] == "TRANSPORTASI"
    # A change based on what is no longer the latest verdict is refused, nothing stored.
    stale = _post(server, complaint_id, verdict="not_authority", supersedes=first["feedback_id"])
    assert stale.status_code == 409 and "supersedes" in stale.json()["detail"]
    history = _history(server, complaint_id)
    assert [f["verdict"] for f in history] == ["accept", "correct"]
    assert _labels(server)[complaint_id] == ("DISHUB", "TRANSPORTASI")
    rows = [r for r in _export(server) if r["complaint_id"] == complaint_id]
    assert [(r["verdict"], r["opd"], r["category"]) for r in rows] == [
        ("accept", top, routed["category"][0]["code"]),
        ("correct", "DISHUB", "TRANSPORTASI"),
    ]
    assert rows[1]["supersedes_id"] == str(first["feedback_id"])
    # The statistics count the complaint once, by its latest verdict.
    with server.client("maintainer") as client:
        before = client.get("/v1/stats").json()["feedback"]
    _post(server, complaint_id, verdict="not_authority", supersedes=changed.json()["feedback_id"])
    with server.client("maintainer") as client:
        after = client.get("/v1/stats").json()["feedback"]
    assert after["complaints_with_feedback"] == before["complaints_with_feedback"]
    assert after["verdicts"]["correct"] == before["verdicts"]["correct"] - 1
    assert after["verdicts"]["not_authority"] == before["verdicts"]["not_authority"] + 1
    assert complaint_id not in _labels(server)


def test_undo_returns_the_complaint_to_the_queue(server: Server) -> None:
    complaint_id, routed = _routed(server)
    given = _post(server, complaint_id, verdict="accept", opd=routed["opd"][0]["code"]).json()
    assert complaint_id in _labels(server)
    with server.client("maintainer") as other:  # another key may not undo it
        refused = other.post(f"/v1/feedback/{given['feedback_id']}/undo")
    assert refused.status_code == 409 and "another key" in refused.json()["detail"]
    with server.client("operator") as client:
        undone = client.post(f"/v1/feedback/{given['feedback_id']}/undo")
        again = client.post(f"/v1/feedback/{given['feedback_id']}/undo")
        missing = client.post("/v1/feedback/999999999/undo")
    assert undone.status_code == 201, undone.text
    assert undone.json()["verdict"] == "withdrawn"
    assert undone.json()["supersedes_id"] == given["feedback_id"]
    assert again.status_code == 409 and missing.status_code == 404
    assert [f["verdict"] for f in _history(server, complaint_id)] == ["accept", "withdrawn"]
    assert _queued(server, complaint_id)
    assert complaint_id not in _labels(server)
    assert [r["verdict"] for r in _export(server) if r["complaint_id"] == complaint_id] == [
        "accept",
        "withdrawn",
    ]


def test_undo_only_within_its_window(server: Server) -> None:
    complaint_id, _ = _routed(server)
    given = _post(server, complaint_id, verdict="incomplete").json()
    store = server.store()
    try:
        service = FeedbackService(store, load_default_taxonomy())
        with pytest.raises(ConflictError, match="only within 0 s"):
            service.undo(
                given["feedback_id"],
                actor=_actor_of(server, given["feedback_id"]),
                operator="test-operator",
                window_seconds=0.0,
            )
    finally:
        store.dispose()
    assert [f["verdict"] for f in _history(server, complaint_id)] == ["incomplete"]


def _actor_of(server: Server, feedback_id: int) -> str:
    from lapor_nlp.store import Feedback

    store = server.store()
    try:
        with store.read() as session:
            row = session.get(Feedback, feedback_id)
            assert row is not None and row.actor
            return row.actor
    finally:
        store.dispose()


def test_a_category_change_is_its_own_verdict(server: Server) -> None:
    complaint_id, routed = _routed(server)
    top, model_category = routed["opd"][0]["code"], routed["category"][0]["code"]
    other = "KESEHATAN" if model_category != "KESEHATAN" else "PENDIDIKAN"
    as_accept = _post(server, complaint_id, verdict="accept", opd=top, category=other)
    assert as_accept.status_code == 422 and "recategorize" in as_accept.json()["detail"]
    wrong_opd = _post(server, complaint_id, verdict="recategorize", opd="DISHUB", category=other)
    assert wrong_opd.status_code == 422 and "correct" in wrong_opd.json()["detail"]
    same = _post(server, complaint_id, verdict="recategorize", category=model_category)
    assert same.status_code == 422 and "accept" in same.json()["detail"]
    done = _post(server, complaint_id, verdict="recategorize", category=other)
    assert done.status_code == 201, done.text
    assert (done.json()["opd"], done.json()["category"]) == (top, other)
    assert [f["verdict"] for f in _history(server, complaint_id)] == ["recategorize"]
    assert _labels(server)[complaint_id] == (top, other)
    with server.client("maintainer") as client:
        stats = client.get("/v1/stats").json()["feedback"]
    assert stats["verdicts"]["recategorize"] >= 1
    row = [r for r in _export(server) if r["complaint_id"] == complaint_id]
    assert [(r["verdict"], r["opd"], r["category"]) for r in row] == [("recategorize", top, other)]
