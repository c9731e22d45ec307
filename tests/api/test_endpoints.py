"""Every endpoint of the running server, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from lapor_nlp.store import Prediction
from lapor_nlp.store import repository as repo
from lapor_nlp.taxonomy import load_default_taxonomy
from tests.api.conftest import Models, Server
from tests.api.corpus import HEALTH_TEXT, ROAD_TEXT


def test_route_answers_opd_category_decision_and_explanation(server: Server) -> None:
    with server.client("intake") as client:
        response = client.post("/v1/route", json={"text": ROAD_TEXT})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {
        "complaint_id",
        "model_version",
        "decision",
        "opd",
        "category",
        "explanation",
        "authority",
    }
    assert body["authority"] is None  # a provincial road is the province's matter
    assert re.fullmatch(r"[0-9a-f]{32}", body["complaint_id"])
    assert body["model_version"] == "test-a"
    assert body["decision"] in {"auto", "review", "needs_info"}
    assert len(body["opd"]) == 3
    assert body["opd"][0]["code"] == "DPUPR"
    taxonomy = load_default_taxonomy()
    assert body["opd"][0]["name"] == taxonomy.opd_name("DPUPR")
    confidences = [item["confidence"] for item in body["opd"]]
    assert confidences == sorted(confidences, reverse=True)
    assert body["category"][0]["code"] == "INFRASTRUKTUR"
    assert body["category"][0]["name"] == taxonomy.category_name("INFRASTRUKTUR")
    assert all(set(term) == {"term", "weight"} for term in body["explanation"])


def test_route_uses_the_title_and_top_k(server: Server, models: Models) -> None:
    payload = {"text": "mohon ditindaklanjuti segera", "title": HEALTH_TEXT, "top_k": 1}
    with server.client("intake") as client:
        body = client.post("/v1/route", json=payload).json()
    assert len(body["opd"]) == 1 and len(body["category"]) == 1
    (expected,) = models.a.router.route([f"{HEALTH_TEXT}. mohon ditindaklanjuti segera"], top_k=1)
    assert body["opd"][0]["code"] == expected.opd[0].code == "DINKES"
    assert body["opd"][0]["confidence"] == expected.opd[0].confidence


def test_routing_an_id_again_records_a_new_prediction(server: Server) -> None:
    complaint_id = f"LAPOR-{uuid.uuid4().hex[:8]}"
    with server.client("operator") as client:
        for text in (ROAD_TEXT, HEALTH_TEXT):
            response = client.post(
                "/v1/route", json={"text": text, "complaint_id": complaint_id, "channel": "sms"}
            )
            assert response.json()["complaint_id"] == complaint_id
        stored = client.get(f"/v1/complaints/{complaint_id}")
    assert stored.status_code == 200
    body = stored.json()
    assert body["complaint_id"] == complaint_id
    assert body["text"] == HEALTH_TEXT
    assert body["channel"] == "sms"
    assert body["feedback"] == []
    assert [p["opd"][0]["code"] for p in body["predictions"]] == ["DPUPR", "DINKES"]
    assert body["predictions"][0]["opd"][0]["name"] == load_default_taxonomy().opd_name("DPUPR")
    assert all(p["model_version"] == "test-a" for p in body["predictions"])


def test_batch_answers_in_order_and_stores_everything(server: Server) -> None:
    ids = [f"B-{uuid.uuid4().hex[:10]}" for _ in range(3)]
    items = [
        {"text": ROAD_TEXT, "complaint_id": ids[0]},
        {"text": HEALTH_TEXT, "complaint_id": ids[1], "top_k": 2},
        {"text": ROAD_TEXT, "complaint_id": ids[2], "title": "Jalan rusak"},
    ]
    with server.client("intake") as client:
        response = client.post("/v1/route/batch", json={"items": items})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["complaint_id"] for r in results] == ids
    assert [r["opd"][0]["code"] for r in results] == ["DPUPR", "DINKES", "DPUPR"]
    assert len(results[1]["opd"]) == 2 and len(results[0]["opd"]) == 3
    store = server.store()
    with store.read() as session:
        rows = session.scalars(select(Prediction).where(Prediction.complaint_id.in_(ids))).all()
    store.dispose()
    assert len(rows) == 3


def test_unknown_complaint_is_404(server: Server) -> None:
    with server.client("operator") as client:
        response = client.get("/v1/complaints/does-not-exist")
    assert response.status_code == 404
    assert "does-not-exist" in response.json()["detail"]


def test_taxonomy(server: Server) -> None:
    with server.client("intake") as client:
        body = client.get("/v1/taxonomy").json()
    taxonomy = load_default_taxonomy()
    assert [o["code"] for o in body["opd"]] == [label.code for label in taxonomy.opd]
    assert set(body["opd"][0]) == {"code", "name", "handles"}
    assert set(body["category"][0]) == {"code", "name"}
    assert len(body["category"]) == len(taxonomy.category)


def test_models_and_active_model(server: Server) -> None:
    with server.client("operator") as client:
        listing = client.get("/v1/models").json()
        active = client.get("/v1/models/active").json()
    statuses = {m["version"]: m["status"] for m in listing["models"]}
    assert statuses["test-a"] == "active" and statuses["test-b"] in {"candidate", "retired"}
    assert listing["active_version"] == listing["loaded_version"] == "test-a"
    assert active["version"] == active["loaded_version"] == "test-a"
    assert isinstance(active["metrics"], dict)


def test_health_ready_and_metrics_need_no_key(server: Server) -> None:
    with server.client(None) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {"status": "ready", "model_version": "test-a", "reasons": []}
        client.post("/v1/route", json={"text": ROAD_TEXT})  # 401, counted
        metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'lapor_http_requests_total{method="POST",path="/v1/route",status="401"}' in text
    assert 'lapor_http_request_duration_seconds_bucket{le="0.005",method="GET"' in text
    assert 'lapor_route_decisions_total{decision="auto"}' in text
    assert 'lapor_active_model_info{version="test-a"} 1.0' in text
    assert "lapor_errors_total" in text
    assert "process_resident_memory_bytes " in text  # one worker: its own process metrics
    assert 'lapor_feedback_total{verdict="accept"}' in text
    assert "lapor_model_latency_seconds_bucket" in text


def test_every_response_has_a_request_id(server: Server) -> None:
    with server.client("intake") as client:
        response = client.post("/v1/route", json={"text": ROAD_TEXT})
        given = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])
    assert given.headers["x-request-id"] == "abc-123"


def test_openapi_docs_have_indonesian_examples(server: Server) -> None:
    with server.client(None) as client:
        assert client.get("/docs").status_code == 200
        schema = client.get("/openapi.json").json()
    for path in (
        "/v1/route",
        "/v1/route/batch",
        "/v1/complaints/{complaint_id}",
        "/v1/taxonomy",
        "/v1/models",
        "/v1/models/active",
        "/v1/models/{version}/promote",
        "/v1/models/rollback",
        "/v1/complaints/{complaint_id}/feedback",
        "/v1/review-queue",
        "/v1/feedback/export",
        "/v1/retrain",
        "/v1/jobs/{job_id}",
        "/v1/stats",
        "/healthz",
        "/readyz",
        "/metrics",
    ):
        assert path in schema["paths"], path
    example = schema["components"]["schemas"]["RouteIn"]["examples"][0]
    assert "Jalan" in example["text"]


def test_review_queue_index_exists(server: Server) -> None:
    store = server.store()
    with store.read() as session:
        assert repo.list_audit(session, action="api_key.create")
    from sqlalchemy import inspect

    names = {ix["name"] for ix in inspect(store.engine).get_indexes("predictions")}
    store.dispose()
    assert "ix_predictions_review_queue" in names


def test_another_levels_matter_is_sent_to_review_with_its_level(server: Server) -> None:
    complaint_id = f"LAPOR-{uuid.uuid4().hex[:8]}"
    text = "tagihan listrik PLN naik dua kali lipat padahal pemakaian sama, meteran rusak"
    with server.client("operator") as client:
        body = client.post("/v1/route", json={"text": text, "complaint_id": complaint_id}).json()
        stored = client.get(f"/v1/complaints/{complaint_id}").json()
        queue = client.get("/v1/review-queue", params={"limit": 500}).json()
        schema = client.get("/openapi.json").json()
    assert body["decision"] == "review"
    assert body["authority"]["level"] == "bumn"
    assert 0.6 <= body["authority"]["confidence"] <= 1.0
    assert len(body["opd"]) == 3  # the OPD suggestions stay
    assert stored["predictions"][-1]["authority"] == body["authority"]
    (item,) = [i for i in queue["items"] if i["complaint_id"] == complaint_id]
    assert item["authority"] == body["authority"]
    level = schema["components"]["schemas"]["AuthorityOut"]["properties"]["level"]
    assert level["enum"] == ["kabkota", "pusat", "bumn"]
