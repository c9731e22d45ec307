"""Streams of labelled complaints for the guard's tests, and helpers to route and judge them.

The complaints are the bundled model's held-out seed rows (never trained on), so their true
OPD is known; an operator's verdict on each is that true label. Which of them the model routes
``auto`` and whether it is right is read from the same model in this process, so a test can
choose a stream with a given share of right auto routings; the server then routes them for
real and the verdicts are posted with an operator key.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from lapor_nlp.model.retraining import load_base_data
from lapor_nlp.paths import BUNDLED_MODELS_DIR
from lapor_nlp.registry import LoadedModel, ModelRegistry
from tests.api.conftest import Server

LOOSE_THRESHOLD = 0.3
"""A deployment override looser than the fitted threshold: auto precision well below 0.95."""


@dataclass(frozen=True)
class Labelled:
    text: str
    opd: str
    decision: str
    """What the model decides without a guard, at the threshold the stream was built for."""
    predicted: str

    @property
    def right(self) -> bool:
        return self.predicted == self.opd


@dataclass(frozen=True)
class HeldOut:
    model: LoadedModel
    rows: list[tuple[str, str]]

    def decide(self, threshold: float | None = None, margin: float | None = None) -> list[Labelled]:
        texts = [t for t, _ in self.rows]
        decisions = self.model.router.route(
            texts, top_k=1, threshold=threshold, margin=margin, explain=False
        )
        return [
            Labelled(text, opd, d.decision, d.opd[0].code)
            for (text, opd), d in zip(self.rows, decisions, strict=True)
        ]


@pytest.fixture(scope="session")
def heldout(tmp_path_factory: pytest.TempPathFactory) -> HeldOut:
    registry = ModelRegistry(tmp_path_factory.mktemp("bundled-copy"), BUNDLED_MODELS_DIR)
    registry.ensure_seeded()
    model = registry.load()
    base = load_base_data(model.metadata["base_data"])
    return HeldOut(model, list(zip(base.heldout.texts, base.heldout.opd, strict=True)))


def interleave(right: Sequence[Labelled], wrong: Sequence[Labelled], every: int) -> list[Labelled]:
    """``right`` with one of ``wrong`` after every ``every - 1`` right ones."""
    out: list[Labelled] = []
    wrong_left = list(wrong)
    for item in right:
        out.append(item)
        if wrong_left and len(out) % every == every - 1:
            out.append(wrong_left.pop(0))
    return out


def route(server: Server, text: str) -> dict[str, Any]:
    # Letters only: a run of random hex digits can look like a phone number and be refused.
    complaint_id = "G-" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(16))
    with server.client("intake") as client:
        response = client.post("/v1/route", json={"text": text, "complaint_id": complaint_id})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def judge(server: Server, complaint_id: str, true_opd: str, predicted: str) -> None:
    """The operator's verdict: accept when the model's top OPD is the true one, else correct."""
    verdict = "accept" if predicted == true_opd else "correct"
    with server.client("operator") as client:
        response = client.post(
            f"/v1/complaints/{complaint_id}/feedback", json={"verdict": verdict, "opd": true_opd}
        )
    assert response.status_code == 201, response.text


def guard(server: Server) -> dict[str, Any]:
    with server.client("operator") as client:
        response = client.get("/v1/models/active/guard")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
