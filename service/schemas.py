"""Request and response models: one family per resource, shared by the API and `--json`."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from councils.access import Role
from service.auth import shown_source

DocType = Literal["minutes", "ofsted_report", "news", "report"]


class Filters(BaseModel):
    authority: list[str] = Field(default_factory=list, description="Authorities, any spelling ('Medway', 'Medway Council')", max_length=20)
    type: list[DocType] = Field(default_factory=list, description="Document types", max_length=4)
    body: list[str] = Field(default_factory=list, description="Committee or publisher, e.g. 'Cabinet'", max_length=20)
    since: date | None = Field(default=None, description="Earliest document date (inclusive)")
    until: date | None = Field(default=None, description="Latest document date (inclusive)")

    @field_validator("type", mode="before")
    @classmethod
    def _distinct_types(cls, value):
        # `type=minutes&type=minutes…` means minutes: repeats are not more types.
        return list(dict.fromkeys(value)) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value


class SourceFields(BaseModel):
    document_id: str
    title: str | None = None
    doc_type: str | None = None
    authority: str | None = None
    body: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    page: int | None = None
    quote: str
    start: int = Field(description="Offset of the quote in the document's stored text")
    end: int


def source_fields(record: dict, quote: str, start: int, end: int) -> dict:
    """The fields every passage and citation carries, from a stored chunk, commitment or
    document payload (a document names its first source)."""
    fields = {key: record.get(key) for key in SourceFields.model_fields if key not in ("quote", "start", "end")}
    if fields["source"] is None and record.get("sources"):
        fields["source"] = record["sources"][0]
    fields["source"] = shown_source(fields["source"])
    return {**fields, "quote": quote, "start": start, "end": end}


class Citation(SourceFields):
    n: int = Field(description="The marker [n] in the answer")
    lead_in: str | None = Field(default=None, description="Where the quote comes from, as the answer reads it: 'Ofsted, Leeds, December 2018, p. 3'")


class Passage(SourceFields):
    score: float = Field(
        description="Retrieval's relevance score (dense and BM25 fused). A relevance search's order also weighs each "
        "passage's closest sentence to the query, so scores need not fall down the page"
    )
    section: str | None = None


class AskRequest(BaseModel):
    question: str = Field(min_length=3, max_length=500)
    filters: Filters = Field(default_factory=Filters)
    k: int = Field(default=5, ge=1, le=50, description="Passages returned beside the answer")


class AskResponse(BaseModel):
    question: str
    answer: str | None
    abstained: bool
    reason: str
    confidence: float
    citations: list[Citation]
    passages: list[Passage]


class Facets(BaseModel):
    authority: dict[str, int]
    doc_type: dict[str, int]


class SearchResponse(BaseModel):
    query: str
    results: list[Passage] = Field(description="This page of the matching passages")
    total: int = Field(description="Passages that match, among the best retrieved (at least 50, and enough for this page)")
    offset: int = Field(default=0, description="Position of the first result shown among the matches")
    next_offset: int | None = Field(default=None, description="The `offset` of the next page, if there are more matches")
    facets: Facets = Field(description="Counts of the matching passages (all pages) by authority and type")
    message: str | None = Field(default=None, description="Said when nothing matches (the results are empty)")


class Highlight(BaseModel):
    start: int
    end: int
    quote: str


class DocumentSummary(BaseModel):
    document_id: str
    title: str | None = None
    doc_type: str | None = None
    authority: str | None = None
    body: str | None = None
    date: str | None = None
    url: str | None = None
    sources: list[str]
    n_chunks: int | None = None
    n_pages: int | None = None


class DocumentDetail(DocumentSummary):
    text: str = Field(description="The stored text that citation offsets index into")
    pages: list[list[int]] | None = Field(default=None, description="[start, end) offsets of each PDF page in `text`")
    ofsted: dict | None = None
    highlight: Highlight | None = None
    original_url: str | None = Field(
        default=None, description="Where to open the paper itself (add #page=N for a PDF page); a signed link when keys are in use"
    )


class DocumentList(BaseModel):
    documents: list[DocumentSummary]
    next_offset: str | None = None


class Health(BaseModel):
    status: Literal["ok"]
    backend: str
    index: str
    documents: int
    chunks: int
    model: str
    schema_version: int


class Coverage(BaseModel):
    """What the index holds for this reader, so a "not found" can be read for what it means."""

    documents: int
    authorities: int = Field(description="Authorities with at least one document")
    by_type: dict[str, int] = Field(description="Documents per type")
    earliest: str | None = Field(description="Date of the earliest dated document (YYYY-MM-DD)")
    latest: str | None = Field(description="Date of the latest dated document (YYYY-MM-DD)")
    undated: int = Field(description="Documents without a date")
    last_ingest: str | None = Field(description="When a document was last written to the index (UTC, ISO 8601), if recorded")


class WhoAmI(BaseModel):
    name: str = Field(description="The key's name, or 'open access'")
    role: Role
    open: bool = Field(description="True when the service runs without keys (this computer only)")


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class CommitmentItem(BaseModel):
    commitment_id: str
    who: str | None = Field(description="Role or name that made the commitment, where the text gives it")
    what: str = Field(description="The commitment, verbatim")
    due_text: str | None = Field(description="How the minutes put the deadline ('next meeting', 'once known', 'December 2015')")
    due_date: str | None = Field(description="The latest date the deadline implies, when it implies one")
    status: Literal["evidenced", "overdue", "open", "no_later_papers"] = Field(
        description="evidenced: a later passage reports back; overdue: the deadline passed and the later papers held say nothing; "
        "no_later_papers: the deadline passed but no later papers of that authority are held; open: not yet due"
    )
    later_documents_searched: int = Field(description="Later documents of the same authority that were searched for a follow-up")
    citation: Citation = Field(description="Where the commitment was made")
    evidence: Citation | None = Field(default=None, description="A later passage reporting back on it, if one was found")


class CommitmentList(BaseModel):
    commitments: list[CommitmentItem]
    total: int
    as_of: date


class CompareRequest(BaseModel):
    question: str = Field(min_length=3, max_length=500)
    authorities: list[str] = Field(min_length=2, max_length=8)
    filters: Filters = Field(default_factory=Filters, description="Applied to every authority (its own authority list is ignored)")
    k: int = Field(default=3, ge=1, le=20)


class CompareRow(BaseModel):
    authority: str
    answer: str | None
    abstained: bool
    reason: str
    citations: list[Citation]


class CompareResponse(BaseModel):
    question: str
    rows: list[CompareRow]


class Inspection(BaseModel):
    document_id: str
    title: str | None
    published: str | None
    framework: str | None
    inspection_start: str | None
    inspection_end: str | None
    lead_inspector: str | None
    grades: dict[str, str]
    citation: Citation | None = Field(description="The report's first-page judgement, verbatim")


class AuthorityProfile(BaseModel):
    name: str
    region: str | None
    kind: str | None
    documents: dict[str, int] = Field(description="Stored documents per type")
    inspections: list[Inspection]


class TimelineEntry(BaseModel):
    date: str
    citation: Citation


class Timeline(BaseModel):
    authority: str
    query: str
    entries: list[TimelineEntry]


class AuthoritySummary(BaseModel):
    name: str
    documents: int


class AuthorityList(BaseModel):
    authorities: list[AuthoritySummary]
