"""The services without the HTTP server: for the CLI and the retraining worker."""

from __future__ import annotations

from dataclasses import dataclass

from lapor_nlp.registry import ModelRegistry
from lapor_nlp.service.catalog import ModelCatalog
from lapor_nlp.service.feedback import FeedbackService
from lapor_nlp.service.guard import AutoGuard, activation_hook, build_guard
from lapor_nlp.service.jobs import RetrainJobs
from lapor_nlp.settings import Settings
from lapor_nlp.store import Store
from lapor_nlp.taxonomy import load_default_taxonomy


@dataclass
class OfflineServices:
    """What a CLI command needs without a server: database, registry, catalog, feedback, jobs."""

    store: Store
    registry: ModelRegistry
    catalog: ModelCatalog
    feedback: FeedbackService
    jobs: RetrainJobs
    guard: AutoGuard

    def close(self) -> None:
        """Close the database connections."""
        self.store.dispose()


def open_services(settings: Settings, *, sync: bool = False) -> OfflineServices:
    """Open the database (migrating it) and the registry; ``sync`` mirrors the registry into
    the catalog first (seeding an empty registry with the bundled model)."""
    store = Store(settings.effective_database_url, timeouts=settings.db_timeouts)
    store.migrate()
    registry = ModelRegistry.from_settings(settings)
    guard = build_guard(store, registry, settings)
    catalog = ModelCatalog(
        store,
        registry,
        notify_channel=settings.model_notify_channel,
        on_activate=activation_hook(guard),
    )
    if sync:
        registry.ensure_seeded()
        catalog.sync(actor="cli")
    feedback = FeedbackService(
        store,
        load_default_taxonomy(),
        after_verdict=lambda record: guard.after_verdict(record.complaint_id, record.model_version),
    )
    jobs = RetrainJobs(
        store, registry, catalog, feedback, settings, pair_in_force=guard.pair_in_force
    )
    return OfflineServices(store, registry, catalog, feedback, jobs, guard)
