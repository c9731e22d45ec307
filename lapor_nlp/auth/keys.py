"""API keys with roles. Only a key's SHA-256 is stored; the key itself is shown once."""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from lapor_nlp.errors import DatabaseUnavailableError, DataValidationError, NotFoundError
from lapor_nlp.store import DATABASE_ERRORS, Store, database_unavailable
from lapor_nlp.store import repository as repo
from lapor_nlp.store.tables import ApiKey

logger = logging.getLogger(__name__)

KEY_PREFIX = "lpr_"
PREFIX_CHARS = 12


class Role(StrEnum):
    """What a key may do; each role includes the rights of the ones before it."""

    INTAKE = "intake"
    OPERATOR = "operator"
    MAINTAINER = "maintainer"

    @property
    def rank(self) -> int:
        """Order of the roles: a role has every right of the roles ranked below it."""
        return _RANK[self]

    def allows(self, required: Role) -> bool:
        """True when this role has ``required``'s rights."""
        return self.rank >= required.rank


_RANK = {Role.INTAKE: 0, Role.OPERATOR: 1, Role.MAINTAINER: 2}


def parse_role(value: str) -> Role:
    """The role named ``value``; raise DataValidationError naming the choices otherwise."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise DataValidationError(f"role must be one of {choices}, got {value!r}") from None


@dataclass(frozen=True)
class Principal:
    """The holder of an authenticated key."""

    key_id: int
    name: str
    role: Role

    @property
    def actor(self) -> str:
        """How the audit log names this key: ``key:ID:NAME``."""
        return f"key:{self.key_id}:{self.name}"


@dataclass(frozen=True)
class KeyInfo:
    """A key as listed: never the key itself."""

    id: int
    name: str
    role: Role
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


def generate_key() -> str:
    """A new high-entropy key (256 random bits)."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    """The SHA-256 hex digest stored for ``key``."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _info(row: ApiKey) -> KeyInfo:
    return KeyInfo(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        prefix=row.prefix,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


class KeyManager:
    """Create, list, revoke and check API keys; every change goes to the audit log.

    Parameters
    ----------
    store : Store
        Where keys live.
    cache_seconds : float
        How long a successful check is remembered in this process (0: always ask the
        database). A revoked key stops working after at most this long.
    outage_seconds : float
        While the database cannot be reached, a key this process checked successfully in the
        last ``outage_seconds`` is still accepted (routes that need no database keep working);
        any other key gets :class:`DatabaseUnavailableError`, never "unknown key".
    """

    def __init__(
        self, store: Store, *, cache_seconds: float = 5.0, outage_seconds: float = 300.0
    ) -> None:
        self._store = store
        self._cache_seconds = cache_seconds
        self._outage_seconds = outage_seconds
        self._cache: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    def create(self, *, role: Role, name: str, actor: str) -> tuple[KeyInfo, str]:
        """Store a new key; return its listing and the key (shown to the caller once)."""
        name = name.strip() or role.value
        if len(name) > 100:
            raise DataValidationError("name: at most 100 characters")
        key = generate_key()
        with self._store.transaction() as session:
            row = repo.add_api_key(
                session,
                name=name,
                role=role.value,
                key_hash=hash_key(key),
                prefix=key[:PREFIX_CHARS],
            )
            repo.add_audit(
                session,
                actor=actor,
                action="api_key.create",
                target=f"api_key:{row.id}",
                detail={"name": name, "role": role.value, "prefix": row.prefix},
            )
            info = _info(row)
        return info, key

    def ensure_bootstrap(self, *, actor: str = "bootstrap") -> str | None:
        """Create a maintainer key when there is no key at all; return it, else None."""
        with self._store.read() as session:
            if repo.count_api_keys(session) > 0:
                return None
        _, key = self.create(role=Role.MAINTAINER, name="bootstrap", actor=actor)
        return key

    def list(self) -> list[KeyInfo]:
        """Every key (revoked ones too), oldest first."""
        with self._store.read() as session:
            return [_info(row) for row in repo.list_api_keys(session)]

    def revoke(self, ref: str, *, actor: str) -> KeyInfo:
        """Revoke the key whose id or prefix is ``ref`` (must match exactly one)."""
        ref = ref.strip()
        if not ref:
            raise DataValidationError("key: give an id or a prefix")
        with self._store.transaction() as session:
            rows = repo.find_api_keys_by_id_or_prefix(session, ref)
            if not rows:
                raise NotFoundError(f"no API key with id or prefix {ref!r}")
            if len(rows) > 1:
                raise DataValidationError(f"{ref!r} matches {len(rows)} keys; give more of it")
            row = rows[0]
            repo.revoke_api_key(session, row)
            repo.add_audit(
                session,
                actor=actor,
                action="api_key.revoke",
                target=f"api_key:{row.id}",
                detail={"name": row.name, "prefix": row.prefix},
            )
            info = _info(row)
        with self._lock:
            self._cache.clear()
        return info

    def cached(self, key: str) -> Principal | None:
        """The principal of ``key`` if this process checked it within the cache time."""
        cached = self._cache.get(hash_key(key))
        if cached is not None and time.monotonic() - cached[0] < self._cache_seconds:
            return cached[1]
        return None

    def authenticate(self, key: str) -> Principal | None:
        """The principal of a valid, unrevoked key, or None.

        Raises :class:`DatabaseUnavailableError` when the database cannot say (see
        ``outage_seconds``).
        """
        digest = hash_key(key)
        now = time.monotonic()
        cached = self._cache.get(digest)
        if cached is not None and now - cached[0] < self._cache_seconds:
            return cached[1]
        try:
            with self._store.read() as session:
                row = repo.find_api_key(session, key_hash=digest)
                if row is None or row.revoked_at is not None:
                    principal = None
                else:
                    principal = Principal(key_id=row.id, name=row.name, role=Role(row.role))
        except DATABASE_ERRORS as exc:
            if not database_unavailable(exc):
                raise
            if cached is not None and now - cached[0] < self._outage_seconds:
                logger.warning(
                    "database unavailable; accepting key %s checked before", cached[1].key_id
                )
                return cached[1]
            raise DatabaseUnavailableError(
                "cannot check the API key: database unavailable"
            ) from exc
        with self._lock:
            if principal is None:
                self._cache.pop(digest, None)
            elif self._cache_seconds > 0:
                if len(self._cache) > 10_000:
                    self._cache.clear()
                self._cache[digest] = (now, principal)
        return principal
