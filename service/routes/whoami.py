from fastapi import APIRouter

from service.deps import CallerDep
from service.schemas import ErrorResponse, WhoAmI

router = APIRouter(prefix="/whoami", tags=["access"])


@router.get("", response_model=WhoAmI, responses={401: {"model": ErrorResponse}})
def whoami(caller: CallerDep) -> WhoAmI:
    """Who the request's key belongs to and its role (the page shows it)."""
    return WhoAmI(name=caller.name, role=caller.role, open=caller.open)
