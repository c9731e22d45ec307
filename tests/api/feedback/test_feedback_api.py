"""Operators' feedback through the running server, on SQLite and PostgreSQL: stored masked,
idempotent retries, validation, the review queue, the CSV export and the statistics."""

from __future__ import annotations

import csv
import io
import threading
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from lapor_nlp.store import Feedback
from lapor_nlp.store import repository as repo
from tests.api.conftest import Server
from tests.api.corpus import HEALTH_TEXT, ROAD_TEXT
from tests.api.feedback.conftest import route

PHONE = "0812-3456-7890"
NIK = "6472011204850003"


def _new_id(prefix: str = "FB") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _count_feedback(server: Server, complaint_id: str) -> int:
    store = server.store()
    try:
        with store.read() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(Feedback)
                    .where(Feedback.complaint_id == complaint_id)
                )
                or 0
            )
    finally:
        store.dispose()


def test_feedback_is_stored_masked_audited_and_listed(server: Server) -> None:
    complaint_id = _new_id()
    routed = route(server, ROAD_TEXT, complaint_id)
    payload = {
        "verdict": "correct",
        "opd": "DISHUB",
        "category": "TRANSPORTASI",
        "note": f"pelapor NIK {NIK}, soal angkutan, Budi {PHONE}",
    }
    with server.client("operator") as client:
        response = client.post(f"/v1/complaints/{complaint_id}/feedback", json=payload)
        stored = client.get(f"/v1/complaints/{complaint_id}").json()
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body["feedback_id"], int)
    assert body["complaint_id"] == complaint_id
    assert (body["verdict"], body["opd"], body["category"]) == ("correct", "DISHUB", "TRANSPORTASI")
    assert body["model_version"] == routed["model_version"]
    assert body["predicted_opd"] == routed["opd"][0]["code"]
    assert PHONE not in response.text and NIK not in response.text
    assert body["operator"] == "test-operator"
    assert "[TELEPON]" in body["note"] and "[NIK]" in body["note"]
    assert stored["feedback"] == [body]
    store = server.store()
    with store.read() as session:
        row = session.get(Feedback, body["feedback_id"])
        assert row is not None and NIK not in (row.note or "") and PHONE not in (row.note or "")
        audit = repo.list_audit(session, action="feedback.create", limit=500)
    store.dispose()
    assert any(e.target == f"complaint:{complaint_id}" for e in audit)


def test_the_operator_is_the_keys_owner_never_the_clients_word(server: Server) -> None:
    complaint_id = _new_id()
    route(server, HEALTH_TEXT, complaint_id)
    url = f"/v1/complaints/{complaint_id}/feedback"
    with server.client("operator") as client:
        refused = client.post(url, json={"verdict": "incomplete", "operator": "Siti"})
        body = client.post(url, json={"verdict": "incomplete"}).json()
        stored = client.get(f"/v1/complaints/{complaint_id}").json()["feedback"]
    assert refused.status_code == 422
    assert "operator" in refused.json()["detail"] and "owner" in refused.json()["detail"]
    assert body["operator"] == "test-operator"
    assert body["opd"] is None
    assert [f["operator"] for f in stored] == ["test-operator"]  # the refused one left nothing


def test_a_retry_with_the_same_idempotency_key_returns_the_first_result(server: Server) -> None:
    complaint_id = _new_id()
    route(server, ROAD_TEXT, complaint_id)
    key = uuid.uuid4().hex
    payload = {"verdict": "accept", "opd": "DPUPR"}
    url = f"/v1/complaints/{complaint_id}/feedback"
    with server.client("operator") as client:
        first = client.post(url, json=payload, headers={"Idempotency-Key": key})
        again = client.post(url, json=payload, headers={"Idempotency-Key": key})
        other = client.post(
            url, json={"verdict": "accept", "opd": "DLH"}, headers={"Idempotency-Key": key}
        )
        fresh = client.post(url, json=payload, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert other.status_code == 409
    assert "Idempotency-Key" in other.json()["detail"]
    assert fresh.status_code == 201 and fresh.json()["feedback_id"] != first.json()["feedback_id"]
    assert _count_feedback(server, complaint_id) == 2


def test_concurrent_retries_with_one_key_store_one_record(server: Server) -> None:
    complaint_id = _new_id()
    route(server, ROAD_TEXT, complaint_id)
    key = uuid.uuid4().hex
    answers: list[tuple[int, str]] = []
    barrier = threading.Barrier(6)

    def send() -> None:
        with server.client("operator") as client:
            barrier.wait()
            response = client.post(
                f"/v1/complaints/{complaint_id}/feedback",
                json={"verdict": "correct", "opd": "DLH"},
                headers={"Idempotency-Key": key},
            )
            answers.append((response.status_code, response.text))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 6
    assert {status for status, _ in answers} == {201}
    assert len({text for _, text in answers}) == 1
    assert _count_feedback(server, complaint_id) == 1


@pytest.mark.parametrize(
    ("payload", "field", "named"),
    [
        ({"verdict": "correct", "opd": "DINAS_X"}, "opd", "DINAS_X"),
        ({"verdict": "accept", "opd": "DPUPR", "category": "SIHIR"}, "category", "SIHIR"),
        ({"verdict": "correct"}, "opd", "required"),
        ({"verdict": "accept", "category": "INFRASTRUKTUR"}, "opd", "required"),
        ({"verdict": "not_authority", "opd": "NOPE"}, "opd", "NOPE"),
        ({"verdict": "maybe"}, "verdict", "verdict"),
        ({"verdict": "accept", "opd": 5}, "opd", "opd"),
        ({"verdict": "accept", "opd": "DPUPR", "extra": 1}, "extra", "extra"),
    ],
)
def test_invalid_feedback_is_422_naming_the_field(
    server: Server, payload: dict[str, object], field: str, named: str
) -> None:
    complaint_id = _new_id()
    route(server, ROAD_TEXT, complaint_id)
    with server.client("operator") as client:
        response = client.post(f"/v1/complaints/{complaint_id}/feedback", json=payload)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert field in detail and named in detail
    assert _count_feedback(server, complaint_id) == 0


def test_unknown_complaint_is_404_and_a_bad_idempotency_key_422(server: Server) -> None:
    with server.client("operator") as client:
        missing = client.post("/v1/complaints/no-such-id/feedback", json={"verdict": "incomplete"})
        bad_key = client.post(
            "/v1/complaints/no-such-id/feedback",
            json={"verdict": "incomplete"},
            headers={"Idempotency-Key": "x" * 200},
        )
    assert missing.status_code == 404 and "no-such-id" in missing.json()["detail"]
    assert bad_key.status_code == 422 and "Idempotency-Key" in bad_key.json()["detail"]


def test_review_queue_lists_unjudged_complaints_least_certain_first(server: Server) -> None:
    ids = [_new_id("RQ") for _ in range(4)]
    texts = [ROAD_TEXT, HEALTH_TEXT, "mohon dibantu segera pak", "sekolah dan jalan rusak"]
    for complaint_id, text in zip(ids, texts, strict=True):
        route(server, text, complaint_id)
    with server.client("operator") as client:
        client.post(f"/v1/complaints/{ids[0]}/feedback", json={"verdict": "accept", "opd": "DPUPR"})
        response = client.get("/v1/review-queue", params={"limit": 500})
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        by_opd = client.get("/v1/review-queue", params={"opd": "DINKES", "limit": 500}).json()
        by_decision = client.get("/v1/review-queue", params={"decision": "review"}).json()
        invalid = [
            client.get("/v1/review-queue", params=params)
            for params in ({"opd": "XX"}, {"limit": 0}, {"limit": 501}, {"decision": "maybe"})
        ]
    listed = [item["complaint_id"] for item in items]
    assert ids[0] not in listed
    assert set(ids[1:]) <= set(listed)
    keys = [(item["confidence"], item["created_at"]) for item in items]
    assert keys == sorted(keys)
    item = next(i for i in items if i["complaint_id"] == ids[1])
    assert item["text"] == HEALTH_TEXT
    assert 1 <= len(item["opd"]) <= 3 and item["opd"][0]["name"]
    assert item["confidence"] == item["opd"][0]["confidence"]
    assert item["decision"] in {"auto", "review", "needs_info"} and "explanation" in item
    assert by_opd["items"] and all(i["opd"][0]["code"] == "DINKES" for i in by_opd["items"])
    assert all(i["decision"] == "review" for i in by_decision["items"])
    assert [r.status_code for r in invalid] == [422, 422, 422, 422]
    assert "XX" in invalid[0].json()["detail"]


def test_export_is_csv_of_masked_feedback_since_a_time(server: Server) -> None:
    complaint_id = _new_id("EX")
    before = datetime.now(UTC) - timedelta(seconds=2)
    route(server, f"{ROAD_TEXT}, hubungi {PHONE}", complaint_id)
    with server.client("operator") as client:
        client.post(
            f"/v1/complaints/{complaint_id}/feedback", json={"verdict": "correct", "opd": "DLH"}
        )
        forbidden = client.get("/v1/feedback/export")
    with server.client("maintainer") as client:
        recent = client.get("/v1/feedback/export", params={"since": before.isoformat()})
        future = client.get(
            "/v1/feedback/export", params={"since": (before + timedelta(days=1)).isoformat()}
        )
        invalid = client.get("/v1/feedback/export", params={"since": "gestern"})
    assert forbidden.status_code == 403
    assert recent.status_code == 200 and recent.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(recent.text)))
    mine = [r for r in rows if r["complaint_id"] == complaint_id]
    assert len(mine) == 1
    assert (mine[0]["verdict"], mine[0]["opd"]) == ("correct", "DLH")
    assert mine[0]["model_version"] and mine[0]["predicted_opd"] and mine[0]["created_at"]
    assert "[TELEPON]" in mine[0]["text"] and PHONE not in recent.text
    assert all(
        datetime.fromisoformat(r["created_at"]) >= before - timedelta(seconds=1) for r in rows
    )
    assert future.text.strip().split("\n") == [future.text.strip()]  # the header only
    assert invalid.status_code == 422


def test_stats_report_volumes_rates_acceptance_and_drift(server: Server) -> None:
    complaint_id = _new_id("ST")
    routed = route(server, HEALTH_TEXT, complaint_id)
    with server.client("operator") as client:
        client.post(
            f"/v1/complaints/{complaint_id}/feedback",
            json={"verdict": "accept", "opd": routed["opd"][0]["code"]},
        )
        response = client.get("/v1/stats", params={"days": 7})
        invalid = client.get("/v1/stats", params={"days": 0})
    assert response.status_code == 200, response.text
    stats = response.json()
    assert stats["days"] == 7 and stats["complaints"] >= 1
    assert stats["timezone"] == "Asia/Makassar"  # days are counted in WITA, as pages show
    today = datetime.now(ZoneInfo("Asia/Makassar")).date().isoformat()
    assert any(r["day"] == today and r["count"] >= 1 for r in stats["per_opd_per_day"])
    assert sum(r["count"] for r in stats["per_opd_per_day"]) == stats["complaints"]
    rates = [v["rate"] for v in stats["decisions"].values()]
    assert sum(rates) == pytest.approx(1.0, abs=1e-3)
    feedback = stats["feedback"]
    assert feedback["complaints_with_feedback"] >= 1
    row = next(r for r in feedback["per_opd"] if r["opd"] == routed["opd"][0]["code"])
    assert row["accept"] >= 1 and 0 < row["acceptance_rate"] <= 1
    assert row["acceptance_rate"] + row["correction_rate"] <= 1
    drift = stats["drift"]
    assert drift["training_source"] == "base training data"
    assert 0.0 <= drift["total_variation"] <= 1.0
    shares = {r["opd"]: r["training_share"] for r in drift["per_opd"]}
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-3)
    assert invalid.status_code == 422


def test_idempotency_keys_belong_to_one_api_key(server: Server) -> None:
    """A second client reusing a key gets its own record, never the first client's."""
    complaint_id = _new_id()
    route(server, ROAD_TEXT, complaint_id)
    key = uuid.uuid4().hex
    url = f"/v1/complaints/{complaint_id}/feedback"
    with server.client("operator") as operator, server.client("maintainer") as maintainer:
        first = operator.post(
            url, json={"verdict": "accept", "opd": "DPUPR"}, headers={"Idempotency-Key": key}
        )
        second = maintainer.post(
            url, json={"verdict": "correct", "opd": "DLH"}, headers={"Idempotency-Key": key}
        )
        same = maintainer.post(
            url, json={"verdict": "accept", "opd": "DPUPR"}, headers={"Idempotency-Key": key}
        )
        replay = operator.post(
            url, json={"verdict": "accept", "opd": "DPUPR"}, headers={"Idempotency-Key": key}
        )
    assert first.status_code == second.status_code == 201
    assert "idempotent-replayed" not in second.headers
    assert second.json()["feedback_id"] != first.json()["feedback_id"]
    assert second.json()["opd"] == "DLH"
    assert same.status_code == 409  # the maintainer's own key, reused for another verdict
    assert replay.status_code == 201 and replay.json() == first.json()
    assert _count_feedback(server, complaint_id) == 2


def test_export_since_must_be_an_iso_time_and_the_document_says_so(server: Server) -> None:
    with server.client("maintainer") as client:
        numbers = [client.get("/v1/feedback/export", params={"since": v}) for v in ("0.5", "1")]
        good = [
            client.get("/v1/feedback/export", params={"since": v})
            for v in ("2026-11-01", "2026-11-01T08:00:00+08:00", "2026-11-01 08:00")
        ]
        document = client.get("/openapi.json").json()
    assert [r.status_code for r in numbers] == [422, 422]
    assert all("since" in r.json()["detail"] for r in numbers)
    assert [r.status_code for r in good] == [200, 200, 200]
    feedback_in = document["components"]["schemas"]["FeedbackIn"]
    assert feedback_in["if"]["properties"]["verdict"]["enum"] == ["accept", "correct"]
    assert feedback_in["then"]["required"] == ["opd"]
    assert "HTTPValidationError" not in str(document)
