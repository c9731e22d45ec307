"""Everything one service process holds: built once at start-up from the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from lapor_nlp.auth import KeyManager
from lapor_nlp.auth.throttle import LoginThrottle
from lapor_nlp.observability import ServiceMetrics
from lapor_nlp.registry import LoadedModel, ModelRegistry
from lapor_nlp.service.batching import RouteBatcher
from lapor_nlp.service.catalog import ModelCatalog
from lapor_nlp.service.complaints import ComplaintReader
from lapor_nlp.service.feedback import FeedbackRecord, FeedbackService
from lapor_nlp.service.guard import AutoGuard, activation_hook, build_guard
from lapor_nlp.service.jobs import RetrainJobs
from lapor_nlp.service.model_holder import ModelHolder
from lapor_nlp.service.notify import PromotionListener
from lapor_nlp.service.probe import DatabaseProbe
from lapor_nlp.service.review import ReviewQueue
from lapor_nlp.service.routing import RoutingService
from lapor_nlp.service.stats import StatsService
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
    catalog: ModelCatalog
    holder: ModelHolder
    taxonomy: Taxonomy
    routing: RoutingService
    batcher: RouteBatcher
    metrics: ServiceMetrics
    feedback: FeedbackService
    logins: LoginThrottle
    """Failed console sign-ins per address and key prefix."""
    complaints: ComplaintReader
    review: ReviewQueue
    stats: StatsService
    jobs: RetrainJobs
    guard: AutoGuard
    probe: DatabaseProbe
    listener: PromotionListener | None = None

    @classmethod
    def start(cls, settings: Settings, metrics: ServiceMetrics) -> ServiceContext:
        """Open the database (applying pending migrations), seed the registry and mirror it
        into the model catalog, fail interrupted retraining jobs, load the active model.

        A model that cannot be loaded leaves the process running but not ready (``/readyz``
        says why); the active version is polled again every ``model_poll_seconds``.
        """
        store = Store(settings.effective_database_url, timeouts=settings.db_timeouts)
        store.migrate()
        registry = ModelRegistry.from_settings(settings)
        holder: ModelHolder | None = None

        def serving() -> LoadedModel | None:
            return holder.current if holder is not None and holder.loaded else None

        guard = build_guard(store, registry, settings, loaded=serving)
        catalog = ModelCatalog(
            store,
            registry,
            notify_channel=settings.model_notify_channel,
            on_activate=activation_hook(guard),
        )
        try:
            registry.ensure_seeded()
            catalog.sync(actor="serve")
        except Exception as exc:  # a broken registry must not stop /healthz from answering
            logger.error("could not seed or mirror the model registry: %s", exc)
        holder = ModelHolder(
            registry,
            active_version=catalog.active_version,
            on_swap=lambda model: metrics.set_active_model(model.version),
            expected_sha256=catalog.artifact_sha256,
        )
        holder.refresh()
        if holder.loaded:
            try:
                guard.catch_up(holder.current.version)
            except Exception as exc:  # the guard reads its state again on every request
                logger.error("auto guard could not catch up at start: %s", exc)
        taxonomy = load_default_taxonomy()
        routing = RoutingService(
            holder=holder,
            store=store,
            taxonomy=taxonomy,
            threshold=settings.auto_threshold,
            margin=settings.auto_margin,
            max_text_chars=settings.max_text_chars,
            guard=guard,
            on_model_call=metrics.observe_model_call,
        )

        def after_verdict(record: FeedbackRecord) -> None:
            metrics.feedback.labels(record.verdict).inc()
            guard.after_verdict(record.complaint_id, record.model_version)

        feedback = FeedbackService(store, taxonomy, after_verdict=after_verdict)
        jobs = RetrainJobs(
            store,
            registry,
            catalog,
            feedback,
            settings,
            on_outcome=lambda outcome: metrics.retrain_jobs.labels(outcome).inc(),
            pair_in_force=guard.pair_in_force,
        )
        jobs.reap_stale()

        return cls(
            settings=settings,
            store=store,
            keys=KeyManager(
                store,
                cache_seconds=settings.key_cache_seconds,
                outage_seconds=settings.key_outage_seconds,
            ),
            registry=registry,
            catalog=catalog,
            holder=holder,
            taxonomy=taxonomy,
            routing=routing,
            batcher=RouteBatcher(
                routing.route,
                max_items=settings.route_batch_items,
                on_batch=metrics.batch_size.observe,
            ),
            metrics=metrics,
            feedback=feedback,
            complaints=ComplaintReader(store, taxonomy),
            review=ReviewQueue(store, taxonomy),
            stats=StatsService(store, serving, guard, zone=settings.zone),
            jobs=jobs,
            guard=guard,
            probe=DatabaseProbe(store.ping, settings.ready_timeout_seconds),
            logins=LoginThrottle(settings.login_attempts, settings.login_window_seconds),
        )

    def follow_promotions(self) -> None:
        """Poll the active version; on PostgreSQL also LISTEN for promotions. Watch for
        retraining jobs whose worker died."""
        self.jobs.start_reaping()
        self.holder.start_polling(self.settings.model_poll_seconds)
        if self.store.dialect == "postgresql" and self.listener is None:
            self.listener = PromotionListener(
                self.store.url,
                self.settings.model_notify_channel,
                self.holder.refresh,
                timeouts=self.store.timeouts,
            )
            self.listener.start()

    def close(self) -> None:
        """Stop listening and polling, and close the database connections."""
        if self.listener is not None:
            self.listener.stop()
        self.jobs.stop_reaping()
        self.holder.stop_polling()
        self.store.dispose()
