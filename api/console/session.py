"""The console's login session: the key in a cookie, a CSRF token derived from it, Origin checks.

The cookie holds the operator's API key itself (HttpOnly, SameSite=Strict, path ``/console``),
so every request is checked against the key store exactly like an API call and a revoked key
stops working in the console too. State-changing requests must also

- come from a page of this server: the ``Origin`` (or, without it, ``Referer``) header must name
  this host, and
- carry the session's CSRF token (header ``X-CSRF-Token`` or form field ``csrf_token``): an
  HMAC of a fixed label under the key, so it is bound to the session, needs no server-side
  state and is the same on every replica.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Request, Response

from lapor_nlp.auth import Principal, Role

COOKIE_NAME = "lapor_console"
COOKIE_PATH = "/console"
COOKIE_MAX_AGE = 12 * 3600  # one working day
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
_CSRF_LABEL = b"lapor-nlp console csrf v1"


@dataclass(frozen=True)
class ConsoleUser:
    """The operator or maintainer signed in to the console."""

    principal: Principal
    csrf_token: str

    @property
    def name(self) -> str:
        """The key's name."""
        return self.principal.name

    @property
    def role(self) -> Role:
        """The key's role."""
        return self.principal.role

    @property
    def is_maintainer(self) -> bool:
        """Whether the user may change models and start retraining."""
        return self.principal.role.allows(Role.MAINTAINER)


def csrf_token_for(key: str) -> str:
    """The CSRF token of the session holding ``key``."""
    return hmac.new(key.encode("utf-8"), _CSRF_LABEL, hashlib.sha256).hexdigest()


def session_key(request: Request) -> str | None:
    """The API key in the session cookie, or None."""
    value = request.cookies.get(COOKIE_NAME)
    return value or None


def set_session(request: Request, response: Response, key: str) -> None:
    """Store ``key`` in the session cookie (Secure when the console is served over HTTPS)."""
    response.set_cookie(
        COOKIE_NAME,
        key,
        max_age=COOKIE_MAX_AGE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=_is_https(request),
    )


def clear_session(request: Request, response: Response) -> None:
    """Delete the session cookie."""
    response.delete_cookie(
        COOKIE_NAME, path=COOKIE_PATH, httponly=True, samesite="strict", secure=_is_https(request)
    )


def _is_https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def same_origin(request: Request) -> bool:
    """True when the request says it comes from a page of this host.

    Browsers send ``Origin`` with every POST; ``Referer`` is the fallback. A request with
    neither (not a browser) passes this check and still needs the CSRF token.
    """
    host = request.headers.get("host", "").lower()
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        return True
    if source == "null":
        return False
    return urlsplit(source).netloc.lower() == host


def csrf_ok(user: ConsoleUser, sent: str | None) -> bool:
    """Whether ``sent`` is the user's CSRF token (constant-time comparison)."""
    return bool(sent) and hmac.compare_digest(user.csrf_token, sent or "")
