from fastapi import APIRouter

from service.auth import acting_as
from service.deps import CallerDep, TrackerDep
from service.schemas import CompareRequest, CompareResponse, ErrorResponse

router = APIRouter(prefix="/compare", tags=["compare"])


@router.post("", response_model=CompareResponse, responses={422: {"model": ErrorResponse}})
def compare(caller: CallerDep, tracker: TrackerDep, request: CompareRequest) -> CompareResponse:
    """The same question answered separately for each authority, side by side."""
    with acting_as(caller):
        return tracker.compare(request)
