from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from service.auth import acting_as
from service.deps import CallerDep, EngineDep
from service.schemas import DocType, DocumentDetail, DocumentList, ErrorResponse, Filters

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get("", response_model=DocumentList, responses={422: {"model": ErrorResponse}})
def list_documents(
    caller: CallerDep,
    engine: EngineDep,
    authority: Annotated[list[str], Query(max_length=20)] = [],
    type: Annotated[list[DocType], Query()] = [],
    body: Annotated[list[str], Query(max_length=20)] = [],
    since: date | None = None,
    until: date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[str | None, Query(max_length=64)] = None,
) -> DocumentList:
    """Stored documents, filtered; page with `next_offset`."""
    filters = Filters(authority=authority, type=type, body=body, since=since, until=until)
    with acting_as(caller):
        return engine.documents(filters, limit=limit, offset=offset)


@router.get("/{document_id}", response_model=DocumentDetail, responses={404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})
def get_document(
    caller: CallerDep,
    engine: EngineDep,
    document_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")],
    start: Annotated[int | None, Query(ge=0, description="Highlight from this offset")] = None,
    end: Annotated[int | None, Query(ge=1, description="Highlight to this offset")] = None,
) -> DocumentDetail:
    """A document's metadata and full stored text (what citation offsets index into)."""
    with acting_as(caller):
        return engine.document(document_id, start, end)
