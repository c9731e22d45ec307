"""Malformed requests get a 4xx JSON answer naming the field and the problem, never a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.conftest import Server
from tests.api.corpus import ROAD_TEXT

OK = {"text": ROAD_TEXT}

# (id, JSON body, field the answer must name, words the problem must contain)
ROUTE_CASES: list[tuple[str, Any, str, str]] = [
    ("missing-text", {}, "text", "required"),
    ("text-number", {"text": 123}, "text", "string"),
    ("text-null", {"text": None}, "text", "string"),
    ("text-list", {"text": ["a"]}, "text", "string"),
    ("text-empty", {"text": ""}, "text", "at least 1"),
    ("text-whitespace", {"text": " \n\t "}, "text", "whitespace"),
    ("text-too-long", {"text": "a" * 20_001}, "text", "20000"),
    ("text-nul", {"text": "jalan\u0000rusak"}, "text", "NUL"),
    ("unknown-field", {**OK, "priority": "high"}, "priority", "unknown field"),
    ("title-number", {**OK, "title": 7}, "title", "string"),
    ("title-too-long", {**OK, "title": "x" * 501}, "title", "500"),
    ("channel-number", {**OK, "channel": 1}, "channel", "string"),
    ("channel-too-long", {**OK, "channel": "w" * 65}, "channel", "64"),
    ("address-number", {**OK, "address": 12}, "address", "string"),
    ("address-too-long", {**OK, "address": "jalan " * 100}, "address", "500"),
    ("address-nul", {**OK, "address": "jalan\u0000mawar"}, "address", "NUL"),
    ("kecamatan-list", {**OK, "kecamatan": ["a"]}, "kecamatan", "string"),
    ("kecamatan-too-long", {**OK, "kecamatan": "k" * 101}, "kecamatan", "100"),
    ("kelurahan-number", {**OK, "kelurahan": 3}, "kelurahan", "string"),
    ("kelurahan-too-long", {**OK, "kelurahan": "k" * 101}, "kelurahan", "100"),
    ("complaint-id-number", {**OK, "complaint_id": 12345}, "complaint_id", "string"),
    ("complaint-id-bad", {**OK, "complaint_id": "a b/c"}, "complaint_id", "letters"),
    ("top-k-zero", {**OK, "top_k": 0}, "top_k", "greater than or equal to 1"),
    ("top-k-eleven", {**OK, "top_k": 11}, "top_k", "less than or equal to 10"),
    ("top-k-string", {**OK, "top_k": "3"}, "top_k", "integer"),
    ("top-k-float", {**OK, "top_k": 2.5}, "top_k", "integer"),
    ("top-k-bool", {**OK, "top_k": True}, "top_k", "integer"),
    ("body-list", [OK], "body", "object"),
    ("body-string", "jalan rusak", "body", "object"),
]

BATCH_CASES: list[tuple[str, Any, str, str]] = [
    ("items-missing", {}, "items", "required"),
    ("items-empty", {"items": []}, "items", "at least 1"),
    ("items-not-list", {"items": OK}, "items", "list"),
    ("items-too-many", {"items": [{"text": "jalan"}] * 1001}, "items", "1000"),
    ("item-bad", {"items": [OK, {"text": 5}]}, "items.1.text", "string"),
    ("item-unknown-field", {"items": [{**OK, "x": 1}]}, "items.0.x", "unknown field"),
    ("item-bad-field", {"items": [OK, {**OK, "kecamatan": 5}]}, "items.1.kecamatan", "string"),
    ("batch-unknown-field", {"items": [OK], "mode": "fast"}, "mode", "unknown field"),
]


def _assert_names(response: Any, status: set[int], field: str, words: str) -> None:
    assert response.status_code in status, response.text
    body = response.json()
    assert body["request_id"]
    assert isinstance(body["detail"], str)
    assert field in body["detail"], body
    assert words.lower() in body["detail"].lower(), body
    if response.status_code == 422 and "errors" in body:
        assert any(e["field"].endswith(field) for e in body["errors"]), body


@pytest.mark.parametrize(
    ("body", "field", "words"), [c[1:] for c in ROUTE_CASES], ids=[c[0] for c in ROUTE_CASES]
)
def test_route_rejects(server: Server, body: Any, field: str, words: str) -> None:
    with server.client("intake") as client:
        response = client.post("/v1/route", json=body)
    _assert_names(response, {413, 422}, field, words)


@pytest.mark.parametrize(
    ("body", "field", "words"), [c[1:] for c in BATCH_CASES], ids=[c[0] for c in BATCH_CASES]
)
def test_batch_rejects(server: Server, body: Any, field: str, words: str) -> None:
    with server.client("intake") as client:
        response = client.post("/v1/route/batch", json=body)
    _assert_names(response, {413, 422}, field, words)


def test_lone_surrogate_is_rejected(server: Server) -> None:
    raw = b'{"text": "jalan \\ud800 rusak"}'
    with server.client("intake") as client:
        response = client.post(
            "/v1/route", content=raw, headers={"Content-Type": "application/json"}
        )
    _assert_names(response, {422}, "text", "string")


@pytest.mark.parametrize(
    "raw",
    [b'{"text": "jalan rusak"', b"{text: 1}", b"", b"null"],
    ids=["cut", "bare", "empty", "null"],
)
def test_invalid_json(server: Server, raw: bytes) -> None:
    with server.client("intake") as client:
        response = client.post(
            "/v1/route", content=raw, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 422, response.text
    assert "body" in response.json()["detail"]


def test_bytes_that_are_not_utf8(server: Server) -> None:
    raw = '{"text": "jalan rusak é"}'.encode("latin-1")
    with server.client("intake") as client:
        response = client.post(
            "/v1/route", content=raw, headers={"Content-Type": "application/json"}
        )
    _assert_names(response, {400}, "body", "UTF-8")


def test_body_over_the_size_limit_by_content_length(server: Server) -> None:
    raw = json.dumps({"items": [{"text": "jalan rusak " * 1000}] * 100}).encode()
    assert len(raw) > 1024 * 1024
    with server.client("intake") as client:
        response = client.post(
            "/v1/route/batch", content=raw, headers={"Content-Type": "application/json"}
        )
    _assert_names(response, {413}, "body", "limit")


def test_body_over_the_size_limit_while_reading(server: Server) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"items": ['
        for _ in range(200):
            yield b'{"text": "' + b"a" * 10_000 + b'"},'
        yield b'{"text": "a"}]}'

    with server.client("intake") as client:
        response = client.post(
            "/v1/route/batch", content=chunks(), headers={"Content-Type": "application/json"}
        )
    assert "content-length" not in response.request.headers
    _assert_names(response, {413}, "body", "limit")


def test_not_json_content_type(server: Server) -> None:
    with server.client("intake") as client:
        response = client.post(
            "/v1/route", content=b"jalan rusak", headers={"Content-Type": "text/plain"}
        )
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_unknown_path_and_method_are_json(server: Server) -> None:
    with server.client("intake") as client:
        missing = client.get("/v1/nothing-here")
        method = client.delete("/v1/route")
    assert missing.status_code == 404 and missing.json()["detail"]
    assert method.status_code == 405 and method.json()["detail"]


def test_bad_complaint_id_in_path(server: Server) -> None:
    with server.client("operator") as client:
        response = client.get("/v1/complaints/" + "x" * 100)
    _assert_names(response, {422}, "complaint_id", "pattern")
