"""Personal data is never echoed in answers, stored unmasked, or written to the server's log."""

from __future__ import annotations

import json

from sqlalchemy import select

from lapor_nlp.store import AuditEntry, Complaint, Feedback, Prediction
from tests.api.conftest import Server
from tests.pii_variants import NIK as NIK_VARIANT
from tests.pii_variants import leaks, variant_texts

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


def test_personal_data_variants_are_masked_everywhere(server: Server) -> None:
    """Unicode digits, odd separators, glued letters and brackets: stored, answered,
    exported and logged masked; a NIK or phone number as complaint id is refused."""
    texts = variant_texts()
    ids = [f"VARIANT-{i}" for i in range(len(texts))]
    with server.client("maintainer") as client:
        answers = [
            client.post("/v1/route", json={"text": text, "complaint_id": cid, "title": text[-60:]})
            for text, cid in zip(texts, ids, strict=True)
        ]
        answers.append(client.post("/v1/route/batch", json={"items": [{"text": t} for t in texts]}))
        answers += [client.get(f"/v1/complaints/{cid}") for cid in ids]
        answers.append(
            client.post(
                f"/v1/complaints/{ids[0]}/feedback",
                json={"verdict": "incomplete", "note": f"{texts[1]} {texts[2][-40:]}"},
            )
        )
        answers.append(client.get("/v1/review-queue", params={"limit": 500}))
        answers.append(client.get("/v1/feedback/export"))
        refused = [
            client.post("/v1/route", json={"text": "jalan rusak", "complaint_id": bad})
            for bad in (NIK_VARIANT, f"NIK{NIK_VARIANT}", "081234567896", "ID-6281298765432")
        ]
    assert all(r.status_code in (200, 201) for r in answers), [r.text for r in answers]
    assert [r.status_code for r in refused] == [422] * len(refused)
    assert "complaint_id" in refused[0].json()["detail"]
    for response in (*answers, *refused):
        assert leaks(response.text) == [], response.text

    store = server.store()
    with store.read() as session:
        complaints = session.scalars(select(Complaint)).all()
        predictions = session.scalars(select(Prediction)).all()
        feedback = session.scalars(select(Feedback)).all()
    store.dispose()
    assert {c.id for c in complaints} >= set(ids)
    for row in complaints:
        assert leaks(" ".join([row.id, row.text, row.title or "", row.channel or ""])) == []
    assert leaks(json.dumps([p.explanation for p in predictions])) == []
    assert leaks(json.dumps([[f.note, f.operator] for f in feedback])) == []
    assert leaks(server.log()) == []
