"""The routing model: text pipeline -> TF-IDF -> calibrated linear heads -> decision."""

from lapor_nlp.model.decision import RoutingDecision, Scored, Term
from lapor_nlp.model.router import ComplaintRouter

__all__ = ["ComplaintRouter", "RoutingDecision", "Scored", "Term"]
