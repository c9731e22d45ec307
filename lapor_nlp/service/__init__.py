"""The service's logic: the active model, routing and recording, micro-batching, feedback,
the review queue, the model catalog, retraining jobs and statistics.

Names are imported on first use so that light commands (``lapor-nlp models list``) do not pay
for the routing stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lapor_nlp.service.batching import RouteBatcher
    from lapor_nlp.service.model_holder import ModelHolder
    from lapor_nlp.service.routing import (
        LabelScore,
        RoutedComplaint,
        RouteRequest,
        RoutingService,
    )

_LOCATIONS = {
    "RouteBatcher": "lapor_nlp.service.batching",
    "ModelHolder": "lapor_nlp.service.model_holder",
    "LabelScore": "lapor_nlp.service.routing",
    "RoutedComplaint": "lapor_nlp.service.routing",
    "RouteRequest": "lapor_nlp.service.routing",
    "RoutingService": "lapor_nlp.service.routing",
}

__all__ = [
    "LabelScore",
    "ModelHolder",
    "RouteBatcher",
    "RouteRequest",
    "RoutedComplaint",
    "RoutingService",
]


def __getattr__(name: str) -> Any:
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'lapor_nlp.service' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
