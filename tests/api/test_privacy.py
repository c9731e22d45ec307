"""Personal data is never echoed in answers, stored unmasked, or written to the server's log."""

from __future__ import annotations

import json

from sqlalchemy import select

from lapor_nlp.store import AuditEntry, Complaint, Prediction
from tests.api.conftest import Server

NIK = "6472051204880003"
PHONE = "081234567890"
EMAIL = "budi.santoso@contoh.co.id"
SECRETS = (NIK, PHONE, EMAIL)
PII_TEXT = (
    f"Jalan provinsi rusak berlubang di depan rumah saya. NIK saya {NIK}, "
    f"hubungi {PHONE} atau {EMAIL}"
)


def _clean(text: str) -> bool:
    return not any(secret in text for secret in SECRETS)


def test_pii_is_masked_in_answers_database_and_logs(server: Server) -> None:
    complaint_id = "PII-CHECK-1"
    payload = {"text": PII_TEXT, "title": f"Laporan {PHONE}", "complaint_id": complaint_id}
    with server.client("maintainer") as client:
        routed = client.post("/v1/route", json=payload)
        batch = client.post("/v1/route/batch", json={"items": [payload, {"text": PII_TEXT}]})
        stored = client.get(f"/v1/complaints/{complaint_id}")
        bad = [
            client.post("/v1/route", json={"text": 5, "title": PII_TEXT}),
            client.post("/v1/route", json={"text": PII_TEXT, f"x{NIK}": PHONE}),
            client.post("/v1/route", json={"text": PII_TEXT, "top_k": PHONE}),
            client.post("/v1/route", json={"text": PII_TEXT, "complaint_id": f"{EMAIL} x"}),
            client.post("/v1/route", json={"text": PII_TEXT * 300}),
            client.post("/v1/route/batch", json={"items": [{"text": PII_TEXT, "z": EMAIL}]}),
            client.post(
                "/v1/route",
                content=f'{{"text": "{PII_TEXT}"'.encode(),
                headers={"Content-Type": "application/json"},
            ),
            client.get(f"/v1/complaints/{NIK}"),
        ]
    assert routed.status_code == 200 and batch.status_code == 200 and stored.status_code == 200
    for response in (routed, batch, stored, *bad):
        assert _clean(response.text), response.text
    for response in bad:
        assert 400 <= response.status_code < 500
    body = stored.json()
    assert "[NIK]" in body["text"] and "[TELEPON]" in body["text"] and "[EMAIL]" in body["text"]
    assert body["title"] == "Laporan [TELEPON]"

    store = server.store()
    with store.read() as session:
        rows = session.scalars(select(Complaint)).all()
        predictions = session.scalars(select(Prediction)).all()
        audit = session.scalars(select(AuditEntry)).all()
    store.dispose()
    dumped = json.dumps(
        [[r.text, r.title, r.channel] for r in rows]
        + [[p.opd, p.category, p.explanation] for p in predictions]
        + [[a.detail, a.target] for a in audit]
    )
    assert _clean(dumped)
    assert _clean(server.log())
