"""Limits come from the settings when a request is served (not frozen into the schemas), and a
batch answers each item: its routing, or why it was not routed."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select

from lapor_nlp.store import Complaint
from tests.api.conftest import Models, Server, server_env, start_server, stop_server
from tests.api.corpus import HEALTH_TEXT, ROAD_TEXT
from tests.pii_variants import NIK


def test_max_text_chars_and_max_batch_items_come_from_the_settings(
    tmp_path: Path, models: Models
) -> None:
    from tests.api.test_logs_and_errors import _key

    shutil.copytree(models.root, tmp_path / "models")
    db_url = f"sqlite:///{tmp_path / 'lapor.db'}"
    key = _key(db_url)
    results = {}
    for max_chars, max_items in ((150, 2), (30_000, 1_500)):
        env = {
            **server_env(tmp_path, db_url, tmp_path / "models"),
            "LAPOR_MAX_TEXT_CHARS": str(max_chars),
            "LAPOR_MAX_BATCH_ITEMS": str(max_items),
        }
        process, url = start_server(env, tmp_path / f"server-{max_chars}.log")
        try:
            import httpx

            with httpx.Client(
                base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60
            ) as client:
                text = (ROAD_TEXT + " ") * (25_000 // len(ROAD_TEXT))
                results[max_chars] = (
                    client.post("/v1/route", json={"text": text[:151]}),
                    client.post("/v1/route", json={"text": text[:25_000]}),
                    client.post("/v1/route/batch", json={"items": [{"text": ROAD_TEXT}] * 3}),
                    client.post("/v1/route/batch", json={"items": [{"text": ROAD_TEXT}] * 1_001}),
                )
        finally:
            stop_server(process)
    short_151, long_25k, batch_3, batch_1001 = results[150]
    assert short_151.status_code == 422 and "150" in short_151.json()["detail"]
    assert long_25k.status_code == 422
    assert batch_3.status_code == 422 and "at most 2" in batch_3.json()["detail"]
    short_151, long_25k, batch_3, batch_1001 = results[30_000]
    assert short_151.status_code == 200 and long_25k.status_code == 200
    assert batch_3.status_code == 200 and batch_1001.status_code == 200
    assert len(batch_1001.json()["results"]) == 1_001


def test_a_batch_answers_each_item(server: Server) -> None:
    items = [
        {"text": ROAD_TEXT, "complaint_id": "BATCH-OK-1"},
        {"text": "   "},
        {"text": HEALTH_TEXT, "complaint_id": NIK},
        {"text": HEALTH_TEXT, "complaint_id": "BATCH-OK-2", "top_k": 2},
        {"text": "x" * 20_001},
    ]
    with server.client("intake") as client:
        response = client.post("/v1/route/batch", json={"items": items})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert len(results) == 5
    assert results[0]["complaint_id"] == "BATCH-OK-1" and results[0]["decision"]
    assert results[1] == {
        "index": 1,
        "error": {"field": "items.1.text", "problem": "must not be empty or whitespace only"},
    }
    assert results[2]["index"] == 2 and results[2]["error"]["field"] == "items.2.complaint_id"
    assert NIK not in response.text
    assert results[3]["complaint_id"] == "BATCH-OK-2" and len(results[3]["opd"]) == 2
    assert results[4]["error"]["field"] == "items.4.text"
    store = server.store()
    with store.read() as session:
        ids = set(session.scalars(select(Complaint.id)))
    store.dispose()
    assert {"BATCH-OK-1", "BATCH-OK-2"} <= ids and NIK not in ids
