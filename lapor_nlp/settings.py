"""The one typed settings object; read once at start-up from ``LAPOR_*`` variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from lapor_nlp.paths import BUNDLED_MODELS_DIR

if TYPE_CHECKING:
    from lapor_nlp.store.faults import DatabaseTimeouts


class Settings(BaseSettings):
    """Runtime configuration of the service and the CLI.

    Model-shaping choices (stopwords, thresholds fitted at training) travel inside the
    model artifact; these settings only say where things are and how the service behaves.
    """

    model_config = SettingsConfigDict(env_prefix="LAPOR_", extra="ignore")

    # Runtime state lives in a folder the user chooses (default: ./var where the command runs),
    # never beside the installed package.
    data_dir: Path = Field(
        default_factory=lambda: Path.cwd() / "var",
        description="runtime state: SQLite file, model registry, reports, job scratch",
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file in data_dir"
    )
    models_dir: Path = Field(
        default_factory=lambda data: Path(data["data_dir"]) / "models",
        description="the model registry; default: data_dir/models",
    )
    bundled_models_dir: Path = Field(
        default=BUNDLED_MODELS_DIR, description="the shipped default model(s)"
    )

    # Decision thresholds: None keeps the values fitted at training time and stored with the model.
    auto_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    auto_margin: float | None = Field(default=None, ge=0.0, le=1.0)
    target_precision: float = Field(
        default=0.95, gt=0.0, le=1.0, description="the precision auto-routing promises"
    )
    feedback_weight: float | None = Field(
        default=None,
        gt=0.0,
        le=100.0,
        description="weight of operator-labelled rows in retraining; None: chosen on inner folds",
    )

    # The auto-route guard (issue 11).
    audit_rate: float = Field(
        default=0.05, ge=0.0, le=1.0, description="share of auto routings audited by operators"
    )
    auto_start: Literal["shadow", "on"] = Field(
        default="shadow",
        description="first guard state of a model whose candidate report did not meet the target",
    )
    guard_min_audits: int = Field(
        default=50, ge=1, description="audited verdicts before the guard releases or trips"
    )
    guard_tolerance: float = Field(
        default=0.10,
        ge=0.0,
        lt=1.0,
        description="how far the Wilson lower bound may fall below the target",
    )

    max_text_chars: int = Field(default=20_000, ge=100)
    max_batch_items: int = Field(default=1_000, ge=1)
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    default_top_k: int = Field(default=3, ge=1, le=10)

    stem_cache_size: int = Field(default=200_000, ge=0)
    stopwords_file: Path | None = Field(
        default=None, description="replaces the shipped stopword list when training"
    )

    model_signing_key: SecretStr | None = Field(
        default=None,
        min_length=16,
        description="HMAC key: models are signed when written, and only signed ones are loaded",
    )

    auto_promote: bool = False
    model_poll_seconds: float = Field(default=2.0, gt=0.0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = Field(
        default="text", description="one text line per record, or one JSON object"
    )

    # HTTP service (API helper's additions).
    key_cache_seconds: float = Field(
        default=5.0, ge=0.0, description="how long a checked API key is trusted per process"
    )
    key_outage_seconds: float = Field(
        default=300.0,
        ge=0.0,
        description="while the database is unreachable, keys checked this recently still work",
    )
    route_batch_items: int = Field(
        default=64, ge=1, description="largest micro-batch of concurrent single routings"
    )
    access_log: bool = Field(default=True, description="one log line per HTTP request")

    # Waiting on the database: every wait is bounded, so a stalled database cannot hang a
    # request, a worker thread or the promotion listener.
    db_connect_timeout_seconds: float = Field(
        default=5.0, gt=0.0, description="opening a database connection (PostgreSQL: >= 2 s)"
    )
    db_statement_timeout_seconds: float = Field(
        default=15.0,
        gt=0.0,
        description="one statement (server-side limit; the client gives up 2 s later)",
    )
    db_pool_timeout_seconds: float = Field(
        default=5.0, gt=0.0, description="waiting for a free pooled connection"
    )
    db_max_concurrency: int = Field(
        default=16,
        ge=1,
        le=200,
        description="requests that use the database at once; more wait, then answer 503",
    )
    ready_timeout_seconds: float = Field(
        default=1.0, gt=0.0, le=10.0, description="/readyz gives up on the database after this"
    )

    # Feedback and retraining (issue 6).
    job_heartbeat_seconds: float = Field(
        default=5.0, gt=0.0, description="how often a retraining worker marks its job alive"
    )
    job_stale_seconds: float = Field(
        default=15.0,
        gt=0.0,
        description="a queued/running job without a heartbeat for this long is failed "
        "(at least two heartbeats)",
    )
    undo_seconds: float = Field(
        default=60.0,
        ge=0.0,
        le=3600.0,
        description="how long after a verdict its operator may undo it (later: change it)",
    )

    # Operator console (issue 15).
    timezone: str = Field(
        default="Asia/Makassar",
        description="IANA zone of the days counted in statistics and shown in the console (WITA)",
    )
    login_attempts: int = Field(
        default=10, ge=1, description="failed console logins per IP or key prefix per window"
    )
    login_window_seconds: float = Field(
        default=300.0, gt=0.0, description="the window of login_attempts"
    )

    model_notify_channel: str = Field(
        default="lapor_nlp_model",
        pattern=r"^[a-z_][a-z0-9_]{0,62}$",
        description="PostgreSQL LISTEN/NOTIFY channel announcing promotions",
    )

    @model_validator(mode="after")
    def _stale_after_two_beats(self) -> Settings:
        if self.job_stale_seconds < 2 * self.job_heartbeat_seconds:
            raise ValueError(
                "job_stale_seconds must be at least twice job_heartbeat_seconds, or live jobs "
                "would be failed between two heartbeats"
            )
        return self

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r} (e.g. Asia/Makassar)") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        """``timezone`` as a tzinfo: the zone days are counted and shown in."""
        return ZoneInfo(self.timezone)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("auto_start", "log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def db_timeouts(self) -> DatabaseTimeouts:
        from lapor_nlp.store.faults import DatabaseTimeouts

        return DatabaseTimeouts(
            connect=self.db_connect_timeout_seconds,
            statement=self.db_statement_timeout_seconds,
            pool=self.db_pool_timeout_seconds,
        )

    @property
    def effective_database_url(self) -> str:
        """``LAPOR_DATABASE_URL``, or the SQLite file in the data directory when it is unset."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'lapor.db').as_posix()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read on first use (never at import)."""
    return Settings()
