from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from service.auth import acting_as
from service.csv_export import commitments_csv
from service.deps import CallerDep, TrackerDep
from service.schemas import CommitmentList, ErrorResponse, Filters

router = APIRouter(prefix="/commitments", tags=["commitments"])


@router.get("", response_model=CommitmentList, responses={200: {"content": {"text/csv": {}}}, 422: {"model": ErrorResponse}})
def list_commitments(
    request: Request,
    caller: CallerDep,
    tracker: TrackerDep,
    authority: Annotated[list[str], Query(max_length=20)] = [],
    body: Annotated[list[str], Query(max_length=20)] = [],
    who: Annotated[str | None, Query(max_length=100, description="Part of the name or role, e.g. 'Director'")] = None,
    since: date | None = None,
    until: date | None = None,
    status: Literal["evidenced", "overdue", "open", "no_later_papers"] | None = None,
    as_of: date | None = Query(default=None, description="Date against which deadlines are judged (default today)"),
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    format: Annotated[Literal["json", "csv"], Query(description="csv: the register as a spreadsheet download")] = "json",
) -> CommitmentList | Response:
    """Commitments made in minutes, each with its follow-up status and citations."""
    filters = Filters(authority=authority, body=body, since=since, until=until)
    with acting_as(caller):
        register = tracker.commitments(filters, who=who, status=status, as_of=as_of, limit=limit)
    return commitments_csv(register, str(request.base_url)) if format == "csv" else register
