"""Shared resources of a request, read from the application state set up by the lifespan."""

from typing import Annotated

from fastapi import Depends, Request

from service.engine import QueryEngine


def get_engine(request: Request) -> QueryEngine:
    return request.app.state.engine


EngineDep = Annotated[QueryEngine, Depends(get_engine)]
