"""The services without the HTTP server: for the CLI and the retraining worker."""

from __future__ import annotations

from dataclasses import dataclass

from lapor_nlp.registry import ModelRegistry
from lapor_nlp.service.catalog import ModelCatalog
from lapor_nlp.service.feedback import FeedbackService
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

    def close(self) -> None:
        """Close the database connections."""
        self.store.dispose()


def open_services(settings: Settings, *, sync: bool = False) -> OfflineServices:
    """Open the database (migrating it) and the registry; ``sync`` mirrors the registry into
    the catalog first (seeding an empty registry with the bundled model)."""
    store = Store(settings.effective_database_url)
    store.migrate()
    registry = ModelRegistry.from_settings(settings)
    catalog = ModelCatalog(store, registry, notify_channel=settings.model_notify_channel)
    if sync:
        registry.ensure_seeded()
        catalog.sync(actor="cli")
    feedback = FeedbackService(store, load_default_taxonomy())
    jobs = RetrainJobs(store, registry, catalog, feedback, settings)
    return OfflineServices(store, registry, catalog, feedback, jobs)
