"""CSV downloads of the commitments register and of search results, for a spreadsheet."""

import csv
import io
from collections.abc import Iterable

from fastapi.responses import Response

from service.schemas import Citation, CommitmentList, Passage, SearchResponse

# A cell that starts like a formula is run by spreadsheets (CSV injection): quoted text instead.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(header: list[str], rows: Iterable[list], filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    # A byte-order mark so spreadsheet programs read the text as UTF-8.
    return Response(
        content="\ufeff" + buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _link(base_url: str, cited: Citation | Passage) -> str:
    return f"{base_url.rstrip('/')}/documents/{cited.document_id}?start={cited.start}&end={cited.end}"


def commitments_csv(register: CommitmentList, base_url: str) -> Response:
    header = [
        "status", "who", "commitment", "due", "due_date", "made_on", "authority", "body", "document", "page",
        "link", "web_address", "later_documents_searched", "evidence", "evidence_date", "evidence_link",
    ]
    rows = [
        [
            item.status, item.who, item.what, item.due_text, item.due_date, item.citation.date, item.citation.authority,
            item.citation.body, item.citation.title, item.citation.page, _link(base_url, item.citation), item.citation.url,
            item.later_documents_searched, item.evidence.quote if item.evidence else None,
            item.evidence.date if item.evidence else None, _link(base_url, item.evidence) if item.evidence else None,
        ]
        for item in register.commitments
    ]
    return _csv(header, rows, f"commitments-{register.as_of.isoformat()}.csv")


def search_csv(results: SearchResponse, base_url: str) -> Response:
    # "rank" is the order shown; the score is retrieval's, which the search reranker also weighs.
    header = ["rank", "authority", "body", "date", "type", "document", "page", "quote", "link", "web_address", "retrieval_score"]
    rows = [
        [results.offset + i, p.authority, p.body, p.date, p.doc_type, p.title, p.page, p.quote, _link(base_url, p), p.url, p.score]
        for i, p in enumerate(results.results, start=1)
    ]
    return _csv(header, rows, "search-results.csv")
