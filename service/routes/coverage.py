from fastapi import APIRouter

from service.auth import acting_as
from service.deps import CallerDep, EngineDep
from service.schemas import Coverage, ErrorResponse

router = APIRouter(prefix="/coverage", tags=["documents"])


@router.get("", response_model=Coverage, responses={401: {"model": ErrorResponse}})
def coverage(caller: CallerDep, engine: EngineDep) -> Coverage:
    """What is in here: document counts by type, authorities, the date range and the last ingest."""
    with acting_as(caller):
        return engine.coverage()
