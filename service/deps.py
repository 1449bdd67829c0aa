"""Shared resources of a request, read from the application state set up by the lifespan."""

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from service.auth import Caller, identify, presented_secret
from service.errors import UnauthorizedError
from service.engine import QueryEngine
from service.tracking import ScrutinyTracker


def get_engine(request: Request) -> QueryEngine:
    return request.app.state.engine


EngineDep = Annotated[QueryEngine, Depends(get_engine)]


def get_tracker(engine: EngineDep) -> ScrutinyTracker:
    return ScrutinyTracker(engine)


TrackerDep = Annotated[ScrutinyTracker, Depends(get_tracker)]


# Declared as security schemes so /docs offers "Authorize"; missing keys are judged in identify().
_bearer = HTTPBearer(auto_error=False, description="An access key from `scrutiny keys add`")
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="The same key, as a header")


def get_caller(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key)],
) -> Caller:
    """The caller named by the request's key (401 without a valid one once keys exist; 429
    beyond the key's rate)."""
    state = request.app.state
    secret = presented_secret(f"Bearer {bearer.credentials}" if bearer else None, api_key)
    return identify(state.keys, state.rate_limiter, state.settings.open_role, secret)


CallerDep = Annotated[Caller, Depends(get_caller)]


def get_original_caller(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key)],
    document_id: str,
    grant: Annotated[str | None, Query(max_length=200, description="A signed link from the document's `original_url`")] = None,
) -> Caller:
    """The caller of a link to an original: its key's header, or a grant signed for it (a
    browser following a link cannot send the header)."""
    state = request.app.state
    if grant is None or not state.keys.configured():
        return get_caller(request, bearer, api_key)
    key_id = state.grants.verify(document_id, grant)
    key = state.keys.active(key_id) if key_id else None
    if key is None:
        raise UnauthorizedError("this link to the paper has expired or its key was revoked; open the document again")
    state.rate_limiter.take(key.id)
    return Caller(name=key.name, role=key.role, key_id=key.id)


OriginalCallerDep = Annotated[Caller, Depends(get_original_caller)]
