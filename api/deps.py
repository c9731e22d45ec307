"""Dependencies shared by the routers: the service context and API-key roles."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from lapor_nlp.auth import Principal, Role
from lapor_nlp.service.context import ServiceContext

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="Kunci API: `Authorization: Bearer KEY` (peran intake, operator, maintainer)",
)


def get_context(request: Request) -> ServiceContext:
    """The service context the app was started with."""
    context: ServiceContext = request.app.state.context
    return context


Context = Annotated[ServiceContext, Depends(get_context)]


def require(role: Role) -> object:
    """A dependency that admits keys whose role includes ``role``: 401 without a valid key,
    403 when the key's role is too low."""

    async def dependency(
        context: Context,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Principal:
        if credentials is None or not credentials.credentials:
            raise HTTPException(
                status_code=401,
                detail="missing API key: send the header 'Authorization: Bearer KEY'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        key = credentials.credentials
        # A key checked recently is answered here; otherwise the database is asked in a
        # worker thread, never on the event loop (a slow database must not stall it).
        principal = context.keys.cached(key) or await anyio.to_thread.run_sync(
            context.keys.authenticate, key
        )
        if principal is None:
            raise HTTPException(
                status_code=401,
                detail="unknown or revoked API key",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not principal.role.allows(role):
            raise HTTPException(
                status_code=403,
                detail=(
                    f"an API key with role '{principal.role.value}' may not do this; "
                    f"it needs role '{role.value}' or higher"
                ),
            )
        return principal

    return Depends(dependency)


IntakeKey = Annotated[Principal, require(Role.INTAKE)]
OperatorKey = Annotated[Principal, require(Role.OPERATOR)]
MaintainerKey = Annotated[Principal, require(Role.MAINTAINER)]
