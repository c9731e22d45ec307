"""Property-based run over the server's own OpenAPI document: no input may cause a 5xx, and
every answer conforms to the document (status code, content type, body schema, headers).

Cases are generated from the live ``/openapi.json`` (valid and invalid data) and sent with a
maintainer key. Bounded: at most ``MAX_EXAMPLES`` per operation and generation mode.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation.modes import GenerationMode

from tests.api.conftest import Server

MAX_EXAMPLES = 40
OPERATIONS = [
    ("POST", "/v1/route"),
    ("POST", "/v1/route/batch"),
    ("GET", "/v1/complaints/{complaint_id}"),
    ("GET", "/v1/taxonomy"),
    ("GET", "/v1/models"),
    ("GET", "/v1/models/active"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("POST", "/v1/complaints/{complaint_id}/feedback"),
    ("GET", "/v1/review-queue"),
    ("GET", "/v1/feedback/export"),
    ("POST", "/v1/feedback/{feedback_id}/undo"),
    ("GET", "/v1/jobs/{job_id}"),
    ("GET", "/v1/stats"),
    ("GET", "/v1/models/active/guard"),
]
# They change which model serves or start a training run on the shared server: exercised by
# tests/api/feedback and tests/api/guard instead of being fuzzed here.
STATE_CHANGING = {
    ("POST", "/v1/models/active/guard"),
    ("POST", "/v1/models/{version}/promote"),
    ("POST", "/v1/models/rollback"),
    ("POST", "/v1/retrain"),
}


def test_every_operation_is_covered(server: Server) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    found = {(op.ok().method.upper(), op.ok().path) for op in schema.get_all_operations()}
    assert found - {("GET", "/metrics")} == set(OPERATIONS) | STATE_CHANGING


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

# Operations without any input have no invalid data to generate.
NO_INPUT = {"/healthz", "/readyz"}
CASES = [
    pytest.param(method, path, mode, id=f"{method} {path} {mode.value}")
    for method, path in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if not (path in NO_INPUT and mode is GenerationMode.NEGATIVE)
]


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_no_server_errors(server: Server, method: str, path: str, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    operation = next(
        op.ok()
        for op in schema.get_all_operations()
        if op.ok().method.upper() == method and op.ok().path == path
    )
    headers = {"Authorization": f"Bearer {server.keys['maintainer']}"}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS, timeout=30)

    check()
