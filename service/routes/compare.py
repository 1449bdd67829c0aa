from fastapi import APIRouter

from service.deps import TrackerDep
from service.schemas import CompareRequest, CompareResponse, ErrorResponse

router = APIRouter(prefix="/compare", tags=["compare"])


@router.post("", response_model=CompareResponse, responses={422: {"model": ErrorResponse}})
def compare(tracker: TrackerDep, request: CompareRequest) -> CompareResponse:
    """The same question answered separately for each authority, side by side."""
    return tracker.compare(request)
