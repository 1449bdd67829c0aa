from fastapi import APIRouter

from service.deps import EngineDep
from service.schemas import Health

router = APIRouter(prefix="/health", tags=["health"])


@router.get("", response_model=Health)
def health(engine: EngineDep) -> Health:
    """Index backend, document and chunk counts, and the embedding model."""
    return engine.health()
