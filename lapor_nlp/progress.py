"""Progress of a long job by stage: training reports it, the command line shows it with an ETA.

A stage is named once and then counted (``done`` of ``total`` units: documents, fits); the
reporter decides how to show it. Training at national volume takes many minutes, and a
maintainer needs to see which stage it is in and how long it still needs.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Called as work advances: ``stage`` is a short name, ``done`` of ``total`` units."""

    def __call__(self, stage: str, done: int, total: int) -> None: ...


def silent(stage: str, done: int, total: int) -> None:
    """A reporter that shows nothing (the default)."""
