from fastapi import APIRouter

from service.deps import EngineDep
from service.schemas import AskRequest, AskResponse, ErrorResponse

router = APIRouter(prefix="/ask", tags=["ask"])


@router.post("", response_model=AskResponse, responses={422: {"model": ErrorResponse}})
def ask(engine: EngineDep, request: AskRequest) -> AskResponse:
    """A short answer made of verbatim, cited sentences, or an honest abstention."""
    return engine.ask(request)
