"""Promoting another model while clients hammer /v1/route: no errors, no mixed answers.

The promotions go through the database-backed catalog (``POST /v1/models/{v}/promote``) of
the server under load; its own poller and the promotion answer swap the model.
"""

from __future__ import annotations

import threading
import time

import httpx

from tests.api.conftest import Models, Server
from tests.api.corpus import HEALTH_TEXT, ROAD_TEXT

TEXTS = [ROAD_TEXT, HEALTH_TEXT]


def _promote(server: Server, version: str) -> None:
    with server.client("maintainer") as client:
        response = client.post(f"/v1/models/{version}/promote")
    assert response.status_code == 200, response.text
    assert response.json()["loaded_version"] == version


def _wait_loaded(server: Server, version: str) -> None:
    deadline = time.monotonic() + 10
    with server.client("operator") as client:
        while client.get("/v1/models").json()["loaded_version"] != version:
            assert time.monotonic() < deadline, f"server never loaded {version}"
            time.sleep(0.1)


def test_swap_under_concurrent_requests(server: Server, models: Models) -> None:
    expected = {
        loaded.version: {
            text: [(s.code, s.confidence) for s in decision.opd]
            for text, decision in zip(TEXTS, loaded.router.route(TEXTS, top_k=3), strict=True)
        }
        for loaded in (models.a, models.b)
    }
    assert expected["test-a"] != expected["test-b"], "the two test models must differ"
    stop = threading.Event()
    seen: list[tuple[str, str, list[tuple[str, float]]]] = []
    failures: list[str] = []

    def client_loop(worker: int) -> None:
        headers = {"Authorization": f"Bearer {server.keys['intake']}"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
            i = worker
            while not stop.is_set():
                text = TEXTS[i % 2]
                i += 1
                try:
                    response = client.post("/v1/route", json={"text": text})
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))
                    continue
                if response.status_code != 200:
                    failures.append(f"{response.status_code} {response.text}")
                    continue
                body = response.json()
                opd = [(o["code"], o["confidence"]) for o in body["opd"]]
                seen.append((body["model_version"], text, opd))

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.5)
        _promote(server, "test-b")
        _wait_loaded(server, "test-b")
        time.sleep(0.5)
        _promote(server, "test-a")
        _wait_loaded(server, "test-a")
        time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        _promote(server, "test-a")
        _wait_loaded(server, "test-a")
    assert not failures, failures[:5]
    versions = {version for version, _, _ in seen}
    assert versions == {"test-a", "test-b"}
    for version, text, opd in seen:
        assert opd == expected[version][text], (version, text)
