"""Everything one service process holds: built once at start-up from the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from lapor_nlp.auth import KeyManager
from lapor_nlp.observability import ServiceMetrics
from lapor_nlp.registry import ModelRegistry
from lapor_nlp.service.batching import RouteBatcher
from lapor_nlp.service.model_holder import ModelHolder
from lapor_nlp.service.routing import RoutingService
from lapor_nlp.settings import Settings
from lapor_nlp.store import Store
from lapor_nlp.taxonomy import Taxonomy, load_default_taxonomy

logger = logging.getLogger(__name__)


@dataclass
class ServiceContext:
    """The process-wide objects behind the HTTP endpoints."""

    settings: Settings
    store: Store
    keys: KeyManager
    registry: ModelRegistry
    holder: ModelHolder
    taxonomy: Taxonomy
    routing: RoutingService
    batcher: RouteBatcher
    metrics: ServiceMetrics

    @classmethod
    def start(cls, settings: Settings, metrics: ServiceMetrics) -> ServiceContext:
        """Open the database (applying pending migrations), seed the registry, load the model.

        A model that cannot be loaded leaves the process running but not ready (``/readyz``
        says why); the registry is polled again every ``model_poll_seconds``.
        """
        store = Store(settings.effective_database_url)
        store.migrate()
        registry = ModelRegistry(settings.models_dir, settings.bundled_models_dir)
        try:
            registry.ensure_seeded()
        except Exception as exc:  # a broken registry must not stop /healthz from answering
            logger.error("could not seed the model registry: %s", exc)
        holder = ModelHolder(
            registry, on_swap=lambda model: metrics.set_active_model(model.version)
        )
        holder.refresh()
        taxonomy = load_default_taxonomy()
        routing = RoutingService(
            holder=holder,
            store=store,
            taxonomy=taxonomy,
            threshold=settings.auto_threshold,
            margin=settings.auto_margin,
            max_text_chars=settings.max_text_chars,
        )
        return cls(
            settings=settings,
            store=store,
            keys=KeyManager(store, cache_seconds=settings.key_cache_seconds),
            registry=registry,
            holder=holder,
            taxonomy=taxonomy,
            routing=routing,
            batcher=RouteBatcher(
                routing.route,
                max_items=settings.route_batch_items,
                on_batch=metrics.batch_size.observe,
            ),
            metrics=metrics,
        )

    def close(self) -> None:
        self.holder.stop_polling()
        self.store.dispose()
