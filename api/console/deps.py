"""Dependencies of the console routes: who is signed in, and the CSRF/Origin checks."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request

from lapor_nlp.api.console.session import (
    CSRF_HEADER,
    ConsoleUser,
    csrf_ok,
    csrf_token_for,
    same_origin,
    session_key,
)
from lapor_nlp.api.deps import Context
from lapor_nlp.auth import Role

LOGIN_PATH = "/console/login"


def signed_in(request: Request, context: Context) -> ConsoleUser | None:
    """The console user of the request's session cookie, or None.

    The key is checked like an API key on every request (revoked keys stop working after the
    key cache's few seconds); intake keys never get a console session.
    """
    key = session_key(request)
    if key is None:
        return None
    principal = context.keys.authenticate(key)
    if principal is None or not principal.role.allows(Role.OPERATOR):
        return None
    return ConsoleUser(principal=principal, csrf_token=csrf_token_for(key))


OptionalUser = Annotated[ConsoleUser | None, Depends(signed_in)]


def page_user(request: Request, user: OptionalUser) -> ConsoleUser:
    """For pages: the signed-in user, else a redirect to the login page (303)."""
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise HTTPException(
            status_code=303,
            detail="sign in first",
            headers={"Location": f"{LOGIN_PATH}?next={quote(target, safe='')}"},
        )
    return user


def api_user(request: Request, user: OptionalUser) -> ConsoleUser:
    """For the console's JSON endpoints: 401 without a session; for state-changing methods
    also 403 unless the request comes from this site with the session's CSRF token."""
    if user is None:
        raise HTTPException(
            status_code=401,
            detail="Sesi berakhir atau kunci dicabut; masuk lagi.",
        )
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        if not same_origin(request):
            raise HTTPException(status_code=403, detail="Permintaan ditolak: asal tidak dikenal.")
        if not csrf_ok(user, request.headers.get(CSRF_HEADER)):
            raise HTTPException(
                status_code=403,
                detail="Permintaan ditolak: token CSRF tidak cocok. Muat ulang halaman.",
            )
    return user


def maintainer(user: Annotated[ConsoleUser, Depends(api_user)]) -> ConsoleUser:
    """The console user when a maintainer, else 403."""
    if not user.is_maintainer:
        raise HTTPException(status_code=403, detail="Hanya maintainer yang boleh melakukan ini.")
    return user


PageUser = Annotated[ConsoleUser, Depends(page_user)]
ApiUser = Annotated[ConsoleUser, Depends(api_user)]
MaintainerUser = Annotated[ConsoleUser, Depends(maintainer)]
