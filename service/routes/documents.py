from datetime import date
from typing import Annotated

from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from service.auth import acting_as
from service.deps import CallerDep, EngineDep, OriginalCallerDep
from service.errors import NotFoundError
from service.originals import MEDIA_TYPES
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
    request: Request,
    caller: CallerDep,
    engine: EngineDep,
    document_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")],
    start: Annotated[int | None, Query(ge=0, description="Highlight from this offset")] = None,
    end: Annotated[int | None, Query(ge=1, description="Highlight to this offset")] = None,
) -> DocumentDetail:
    """A document's metadata and full stored text (what citation offsets index into)."""
    with acting_as(caller):
        detail = engine.document(document_id, start, end)
        try:
            engine.original(document_id)
        except NotFoundError:
            return detail
    link = f"/documents/{document_id}/original"
    if caller.key_id is not None:
        link += f"?grant={request.app.state.grants.issue(document_id, caller.key_id)}"
    return detail.model_copy(update={"original_url": link})


@router.get(
    "/{document_id}/original",
    response_class=Response,
    responses={
        200: {"content": {media: {} for media in sorted(set(MEDIA_TYPES.values()))}, "description": "The source file as indexed"},
        307: {"description": "The document's web address, for a paper read from the web"},
        401: {"model": ErrorResponse},
        404: {"model": ErrorResponse},
    },
)
def get_original(
    caller: OriginalCallerDep,
    engine: EngineDep,
    document_id: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")],
) -> Response:
    """The paper itself: the stored source file (open a PDF at a page with `#page=N`), or a
    redirect to its web address. Only the file whose bytes were indexed is sent."""
    with acting_as(caller):
        original = engine.original(document_id)
    if original.path is None:
        return RedirectResponse(original.url, status_code=307)
    headers = {"Content-Disposition": f"inline; filename*=UTF-8''{quote(original.path.name)}", "Cache-Control": "private, no-store"}
    if not original.media_type.startswith("application/pdf"):
        # A saved web page may carry scripts: shown as its own sandboxed origin, never as ours.
        headers["Content-Security-Policy"] = "sandbox"
    return FileResponse(original.path, media_type=original.media_type, headers=headers)
