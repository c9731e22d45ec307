"""The model registry: a directory of model directories and one pointer to the active model.

``registry.json`` mirrors the database's active version for offline tools (``lapor-nlp
predict`` without ``--model``), with the versions activated before it (shown as retired). It
never decides a rollback: the ``model_versions`` table is the only rollback memory (see
:mod:`lapor_nlp.service.catalog`). The file is rewritten atomically under a file lock, so
concurrent promotions on one machine always leave exactly one active version.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from lapor_nlp.errors import ModelIntegrityError, ModelNotFoundError
from lapor_nlp.fingerprint import sha256_file
from lapor_nlp.registry.artifact import (
    ARTIFACT,
    METADATA,
    LoadedModel,
    checked_metadata,
    load_model_dir,
    read_metadata,
    sign_metadata,
    write_model_dir,
)
from lapor_nlp.registry.metadata import HeldoutSummary, ModelMetadata
from lapor_nlp.settings import Settings

STATE = "registry.json"
Status = Literal["candidate", "active", "retired"]


@dataclass(frozen=True)
class ModelInfo:
    """One model directory as the registry lists it."""

    version: str
    status: Status
    created_at: str
    metrics: HeldoutSummary
    path: Path
    metadata: ModelMetadata


def new_version() -> str:
    """A fresh version name: UTC time plus a short random suffix."""
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


class ModelRegistry:
    """Models under ``root``; ``bundled_dir`` holds the default model shipped with the project.

    With a ``signing_key`` every model written or installed here is signed, and only signed
    models are loaded (see :func:`lapor_nlp.registry.artifact.load_model_dir`).
    """

    def __init__(
        self, root: Path, bundled_dir: Path | None = None, *, signing_key: bytes | None = None
    ) -> None:
        self.root = Path(root)
        self.bundled_dir = Path(bundled_dir) if bundled_dir is not None else None
        self.signing_key = signing_key

    @classmethod
    def from_settings(cls, settings: Settings) -> ModelRegistry:
        """The registry the settings name (``LAPOR_MODELS_DIR``), with the bundled default."""
        key = settings.model_signing_key
        return cls(
            settings.models_dir,
            settings.bundled_models_dir,
            signing_key=key.get_secret_value().encode() if key is not None else None,
        )

    # ------------------------------------------------------------------ state
    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _read_state(self) -> dict[str, Any]:
        path = self.root / STATE
        if not path.is_file():
            return {"active": None, "history": []}
        return dict(json.loads(path.read_text(encoding="utf-8")))

    def _write_state(self, state: dict[str, Any]) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".registry.", dir=self.root)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.root / STATE)

    # ---------------------------------------------------------------- queries
    def _model_dirs(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(
            p
            for p in self.root.iterdir()
            if p.is_dir() and not p.name.startswith(".") and (p / METADATA).is_file()
        )

    def active_version(self) -> str | None:
        """The version the registry's file pointer names, or None."""
        active = self._read_state().get("active")
        return str(active) if active else None

    def list_models(self) -> list[ModelInfo]:
        """Every readable model directory, newest first."""
        state = self._read_state()
        history = set(state.get("history", []))
        infos = []
        for directory in self._model_dirs():
            try:
                meta = read_metadata(directory)
            except ModelIntegrityError:
                continue
            version = str(meta["version"])
            status: Status = (
                "active"
                if version == state.get("active")
                else "retired"
                if version in history
                else "candidate"
            )
            infos.append(
                ModelInfo(
                    version=version,
                    status=status,
                    created_at=str(meta.get("created_at", "")),
                    metrics=meta.get("metrics", {}),
                    path=directory,
                    metadata=meta,
                )
            )
        return sorted(infos, key=lambda info: (info.created_at, info.version), reverse=True)

    def get(self, version: str) -> ModelInfo:
        """The model ``version``; ModelNotFoundError when there is none."""
        for info in self.list_models():
            if info.version == version:
                return info
        raise ModelNotFoundError(f"no model with version {version!r} in {self.root}")

    def path_of(self, version: str) -> Path:
        """The directory of ``version``; ModelNotFoundError when there is none."""
        directory = self.root / version
        if not (directory / METADATA).is_file():
            raise ModelNotFoundError(f"no model with version {version!r} in {self.root}")
        return directory

    def load(
        self, version: str | None = None, *, expected_sha256: str | None = None
    ) -> LoadedModel:
        """Load a version (default: the active one) after its integrity checks.

        ``expected_sha256`` is the checksum recorded in the database when the model was
        registered; the service always passes it (the metadata beside the file is not proof).
        """
        version = version or self.active_version()
        if version is None:
            raise ModelNotFoundError(f"no active model in {self.root}")
        return load_model_dir(
            self.path_of(version), expected_sha256=expected_sha256, signing_key=self.signing_key
        )

    # ---------------------------------------------------------------- changes
    def ensure_seeded(self) -> str | None:
        """Install the bundled default model into an empty registry and activate it."""
        with self._locked():
            state = self._read_state()
            if state.get("active") and (self.root / str(state["active"])).is_dir():
                return str(state["active"])
            if not self._model_dirs():
                self._install_bundled()
            dirs = self._model_dirs()
            if not dirs:
                return None
            newest = max(dirs, key=lambda d: str(read_metadata(d).get("created_at", "")))
            version = str(read_metadata(newest)["version"])
            self._set_active(state, version)
            return version

    def _install_bundled(self) -> None:
        if self.bundled_dir is None or not self.bundled_dir.is_dir():
            return
        for source in sorted(self.bundled_dir.iterdir()):
            if (source / METADATA).is_file():
                self.install(source)

    def bundled_sha256(self, version: str) -> str | None:
        """The SHA-256 of the bundled default model ``version``, read from the installation
        (not from the registry's copy), or None when it is not a bundled model."""
        if self.bundled_dir is None or not self.bundled_dir.is_dir():
            return None
        for source in sorted(self.bundled_dir.iterdir()):
            if (source / METADATA).is_file() and str(read_metadata(source)["version"]) == version:
                return sha256_file(source / ARTIFACT)
        return None

    def install(self, source: Path) -> str:
        """Copy the model directory ``source`` into the registry (signed when a key is set);
        return its version. A version already in the registry is left as it is."""
        version = str(read_metadata(source)["version"])
        target = self.root / version
        if target.exists():
            return version
        self.root.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=self.root))
        try:
            shutil.copytree(source, scratch, dirs_exist_ok=True)
            if self.signing_key is not None:
                sign_metadata(scratch, self.signing_key)
            os.replace(scratch, target)
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        return version

    def register(self, router: Any, metadata: ModelMetadata) -> str:
        """Store a trained router as a new candidate version."""
        return str(self.write(router, metadata)["version"])

    def write(self, router: Any, metadata: ModelMetadata) -> ModelMetadata:
        """Store a trained router as a new version; return its metadata as written."""
        version = str(metadata.get("version") or new_version())
        return write_model_dir(
            router,
            {**metadata, "version": version},
            self.root / version,
            signing_key=self.signing_key,
        )

    def activate(self, version: str) -> str:
        """Make ``version`` the active model; returns the version that was active before."""
        checked_metadata(self.path_of(version), action="activate")
        with self._locked():
            state = self._read_state()
            previous = state.get("active")
            self._set_active(state, version)
            return str(previous) if previous else ""

    def _set_active(self, state: dict[str, Any], version: str) -> None:
        history = [v for v in state.get("history", []) if v != version]
        self._write_state({"active": version, "history": [*history, version]})
