from typing import Annotated

from fastapi import APIRouter, Path, Query

from service.auth import acting_as
from service.deps import CallerDep, TrackerDep
from service.schemas import AuthorityList, AuthorityProfile, ErrorResponse, Timeline

router = APIRouter(tags=["authorities"])


@router.get("/authorities", response_model=AuthorityList)
def authorities(caller: CallerDep, tracker: TrackerDep) -> AuthorityList:
    """Authorities with documents in the index, with their document counts."""
    with acting_as(caller):
        return tracker.authorities()


@router.get("/authorities/{name}", response_model=AuthorityProfile, responses={404: {"model": ErrorResponse}})
def authority(caller: CallerDep, tracker: TrackerDep, name: Annotated[str, Path(min_length=2, max_length=100)]) -> AuthorityProfile:
    """Every stored Ofsted inspection of an authority with its grades, cited to the report."""
    with acting_as(caller):
        return tracker.authority(name)


@router.get("/timeline", response_model=Timeline, responses={404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})
def timeline(
    caller: CallerDep,
    tracker: TrackerDep,
    authority: Annotated[str, Query(min_length=2, max_length=100)],
    q: Annotated[str, Query(min_length=1, max_length=500)],
    k: Annotated[int, Query(ge=1, le=100)] = 30,
) -> Timeline:
    """Dated, cited mentions of a topic in one authority's minutes, reports and news, in date order."""
    with acting_as(caller):
        return tracker.timeline(authority, q, k)
