from fastapi import APIRouter

from service.auth import acting_as
from service.deps import CallerDep, EngineDep
from service.schemas import Health

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", response_model=Health)
def health(caller: CallerDep, engine: EngineDep) -> Health:
    """Index backend, the document and chunk counts the caller may read, and the embedding model."""
    with acting_as(caller):
        return engine.health()
