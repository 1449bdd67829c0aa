"""Shared resources of a request, read from the application state set up by the lifespan."""

from typing import Annotated

from fastapi import Depends, Request

from service.engine import QueryEngine
from service.tracking import ScrutinyTracker


def get_engine(request: Request) -> QueryEngine:
    return request.app.state.engine


EngineDep = Annotated[QueryEngine, Depends(get_engine)]


def get_tracker(engine: EngineDep) -> ScrutinyTracker:
    return ScrutinyTracker(engine)


TrackerDep = Annotated[ScrutinyTracker, Depends(get_tracker)]
