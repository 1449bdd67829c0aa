from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from service.auth import acting_as
from service.csv_export import search_csv
from service.deps import CallerDep, EngineDep
from service.schemas import DocType, ErrorResponse, Filters, SearchResponse

router = APIRouter(prefix="/search", tags=["search"])


@router.get("", response_model=SearchResponse, responses={200: {"content": {"text/csv": {}}}, 422: {"model": ErrorResponse}})
def search(
    request: Request,
    caller: CallerDep,
    engine: EngineDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="What to look for")],
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    authority: Annotated[list[str], Query(max_length=20)] = [],
    type: Annotated[list[DocType], Query()] = [],
    body: Annotated[list[str], Query(max_length=20)] = [],
    since: date | None = None,
    until: date | None = None,
    sort: Literal["relevance", "date"] = "relevance",
    mode: Literal["hybrid", "dense", "sparse"] = "hybrid",
    offset: Annotated[int, Query(ge=0, le=500, description="Skip this many matches (the previous page's `next_offset`)")] = 0,
    format: Annotated[Literal["json", "csv"], Query(description="csv: this page of results as a spreadsheet download")] = "json",
) -> SearchResponse | Response:
    """Passages matching the query (dense + BM25, fused), with facet counts."""
    filters = Filters(authority=authority, type=type, body=body, since=since, until=until)
    with acting_as(caller):
        results = engine.search(q, filters, k=k, sort=sort, mode=mode, offset=offset)
    return search_csv(results, str(request.base_url)) if format == "csv" else results
