"""``POST /v1/route`` with the structured fields, on real servers: one serving a model trained
with fields (the place decides), and the session's model trained without them (ignored)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from lapor_nlp.auth import KeyManager, Role
from lapor_nlp.data.fields import ComplaintFields
from lapor_nlp.model import ComplaintRouter
from lapor_nlp.registry import ModelRegistry
from lapor_nlp.store import Store
from tests.api.conftest import Server, server_env, start_server, stop_server
from tests.api.corpus import CORPUS, NONROUTABLE, ROAD_TEXT

SAME = "Lampu penerangan jalan di gang kami mati dan saluran air meluap, mohon ditangani"
NORTH = ComplaintFields(address="Jl. Mawar Utara 12 RT 01", kecamatan="Utara Jaya")
SOUTH = ComplaintFields(address="Gg. Melati Selatan 3", kecamatan="Selatan Raya")


def _router() -> ComplaintRouter:
    texts = [t for t, _, _ in CORPUS]
    opd = [o for _, o, _ in CORPUS]
    fields: list[ComplaintFields | None] = [None] * len(texts)
    for i in range(8):
        for office, where in (("KEC_UTARA", NORTH), ("KEC_SELATAN", SOUTH)):
            texts.append(f"{SAME} (laporan {i})")
            opd.append(office)
            fields.append(where)
    return ComplaintRouter(char_ngram_range=None, min_df=1, threshold_folds=3).fit(
        texts, opd, nonroutable=NONROUTABLE, fields=fields
    )


@pytest.fixture(scope="module")
def field_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("field-server")
    models_dir = tmp / "models"
    registry = ModelRegistry(models_dir)
    registry.activate(registry.register(_router(), {"version": "fields", "trained_on": "inline"}))
    db_url = f"sqlite:///{(tmp / 'lapor.db').as_posix()}"
    store = Store(db_url)
    store.migrate()
    key = KeyManager(store, cache_seconds=0).create(role=Role.INTAKE, name="t", actor="pytest")[1]
    store.dispose()
    env = server_env(tmp, db_url, models_dir)
    log_path = tmp / "server.log"
    process, url = start_server(env, log_path)
    try:
        yield Server(url, "sqlite", db_url, models_dir, log_path, env, process, {"intake": key})
    finally:
        stop_server(process)


def _top(client: httpx.Client, **body: object) -> str:
    response = client.post("/v1/route", json={"text": SAME, **body})
    assert response.status_code == 200, response.text
    return str(response.json()["opd"][0]["code"])


def test_the_fields_reach_the_model(field_server: Server) -> None:
    with field_server.client("intake") as client:
        assert _top(client, kecamatan="UTARA JAYA") == "KEC_UTARA"
        assert _top(client, kecamatan="Selatan Raya", channel="web") == "KEC_SELATAN"
        assert _top(client, address="gang melati selatan no 9") == "KEC_SELATAN"
        batch = client.post(
            "/v1/route/batch",
            json={
                "items": [
                    {"text": SAME, "kelurahan": "x", "kecamatan": "utara jaya"},
                    {"text": SAME, "kecamatan": "selatan raya"},
                    {"text": SAME, "kecamatan": 7},
                ]
            },
        )
    assert batch.status_code == 422, batch.text  # a wrongly typed field is the request's error
    with field_server.client("intake") as client:
        batch = client.post(
            "/v1/route/batch",
            json={
                "items": [
                    {"text": SAME, "kecamatan": "utara jaya"},
                    {"text": SAME, "kecamatan": "selatan raya"},
                ]
            },
        )
    assert batch.status_code == 200, batch.text
    assert [r["opd"][0]["code"] for r in batch.json()["results"]] == ["KEC_UTARA", "KEC_SELATAN"]


def test_a_model_without_fields_routes_the_same_with_them(server: Server) -> None:
    with server.client("intake") as client:
        plain = client.post("/v1/route", json={"text": ROAD_TEXT})
        with_fields = client.post(
            "/v1/route",
            json={
                "text": ROAD_TEXT,
                "address": "Jl. Mawar No. 3 RT 02",
                "kecamatan": "Sungai Kunjang",
                "kelurahan": "Loa Bakung",
                "channel": "web",
            },
        )
    assert plain.status_code == with_fields.status_code == 200, with_fields.text
    assert with_fields.json()["opd"] == plain.json()["opd"]
