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


@router.get("/live")
async def live() -> dict[str, str]:
    """Liveness for an orchestrator's probe: the process is up and its event loop answers.

    `async def` with no dependencies, so it runs on the event loop itself and never queues for
    the thread pool that searches and answers occupy (a sync route, `/health` included, waits
    behind them under load). It needs no key, touches neither model nor index, and says nothing
    beyond "ok"."""
    return {"status": "ok"}
