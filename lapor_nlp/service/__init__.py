"""The service's logic: the active model, routing and recording, micro-batching."""

from lapor_nlp.service.batching import RouteBatcher
from lapor_nlp.service.model_holder import ModelHolder, ModelUnavailableError
from lapor_nlp.service.routing import (
    LabelScore,
    RoutedComplaint,
    RouteRequest,
    RoutingService,
    model_input,
)

__all__ = [
    "LabelScore",
    "ModelHolder",
    "ModelUnavailableError",
    "RouteBatcher",
    "RouteRequest",
    "RoutedComplaint",
    "RoutingService",
    "model_input",
]
