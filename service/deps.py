"""Shared resources of a request, read from the application state set up by the lifespan."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from service.auth import Caller, identify, presented_secret
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
