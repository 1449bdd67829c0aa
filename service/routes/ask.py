from fastapi import APIRouter

from service.auth import acting_as
from service.deps import CallerDep, EngineDep
from service.schemas import AskRequest, AskResponse, ErrorResponse

router = APIRouter(prefix="/ask", tags=["ask"])


@router.post("", response_model=AskResponse, responses={422: {"model": ErrorResponse}})
def ask(caller: CallerDep, engine: EngineDep, request: AskRequest) -> AskResponse:
    """A short answer made of verbatim, cited sentences, or an honest abstention."""
    with acting_as(caller):
        return engine.ask(request)
