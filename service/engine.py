"""The query engine: the index, the warmed pipelines, and the mapping from pipeline output to
response models. One per process; the API, the CLI and eval all call it."""

import uuid
from collections import Counter
from functools import lru_cache
from typing import Literal

from haystack import Document, logging

from councils.authorities import authority_registry
from councils.text import page_at
from indexes import SCHEMA_VERSION, ScrutinyIndex, SearchFilter
from service.answering.model import stored_relevance_floor
from service.answering.presentation import answer_text, lead_in
from councils.access import ACCESS_LEVELS
from indexes.scope import reading_as
from service.auth import shown_source
from service.errors import InvalidRequestError, NotFoundError
from service.originals import Original, OriginalFinder
from service.pipelines import build_ask_pipeline, build_search_pipeline
from service.schemas import (
    AskRequest,
    AskResponse,
    Citation,
    Coverage,
    DocumentDetail,
    DocumentList,
    DocumentSummary,
    Facets,
    Filters,
    Health,
    Highlight,
    Passage,
    SearchResponse,
    source_fields,
)
from service.settings import Answerer, ServiceSettings

logger = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "sparse"]
# How many candidates a search draws to de-duplicate and count facets over.
CANDIDATES = 50


def passage_from(document: Document) -> Passage:
    meta = document.meta
    return Passage(
        **source_fields(meta, document.content or "", meta["start"], meta["end"]),
        score=round(float(document.score or 0.0), 6),
        section=meta.get("section"),
    )


class QueryEngine:
    """Answers search, ask and document requests from one open index.

    Usage:
        engine = QueryEngine(index, settings)
        engine.warm_up()
        engine.ask(AskRequest(question="What did the director promise on NFA rates?"))
    """

    def __init__(self, index: ScrutinyIndex, settings: ServiceSettings, *, expand_glossary: bool = True, read_scope: bool = True):
        """`expand_glossary` and `read_scope` (authorities and periods named in a question) suit
        council documents; a benchmark from another field turns them off."""
        self.index = index
        self.settings = settings
        self.relevance_floor = settings.relevance_floor if settings.relevance_floor is not None else stored_relevance_floor()
        self.search_pipeline = build_search_pipeline(
            index, settings, expand_glossary=expand_glossary, read_scope=read_scope, relevance_floor=self.relevance_floor
        )
        self.reranks_search = "reranker" in self.search_pipeline.graph.nodes
        self.ask_pipeline = build_ask_pipeline(index, settings, expand_glossary=expand_glossary, read_scope=read_scope)
        self.reranks_shown = "shown" in self.ask_pipeline.graph.nodes
        self.document_text = lru_cache(maxsize=256)(self._load_document_text)
        self.originals = OriginalFinder()

    def warm_up(self) -> None:
        """Load the model and the passages and run one query, so the first user request is not
        the slow one."""
        if read := self.index.warm():
            logger.info("read {count} passages into memory", count=read)
        self.search_pipeline.warm_up()
        self.ask_pipeline.warm_up()
        with reading_as(ACCESS_LEVELS):  # nobody sees this answer
            self.ask(AskRequest(question="warm up the model and the index"))

    # -- filters ------------------------------------------------------------------------------

    def resolve_filters(self, filters: Filters) -> SearchFilter:
        registry = authority_registry()
        authorities = []
        for name in filters.authority:
            canonical = registry.normalise(name)
            if canonical is None:
                raise InvalidRequestError(f"authority: {name!r} is not an English local authority", "unknown_authority")
            authorities.append(canonical)
        bodies = []
        if filters.body:
            known = {value.lower(): value for value, _ in self.index.facet("body", limit=1000, collection="documents") if value}
            for body in filters.body:
                if body.lower() not in known:
                    raise InvalidRequestError(f"body: no documents from {body!r} in this index", "unknown_body")
                bodies.append(known[body.lower()])
        if filters.since and filters.until and filters.since > filters.until:
            raise InvalidRequestError(f"since ({filters.since}) is after until ({filters.until})", "invalid_date_range")
        return SearchFilter(authorities=authorities, doc_types=list(filters.type), bodies=bodies, since=filters.since, until=filters.until)

    # -- search and ask -----------------------------------------------------------------------

    def search(
        self,
        query: str,
        filters: Filters | None = None,
        k: int = 10,
        sort: Literal["relevance", "date"] = "relevance",
        mode: Mode = "hybrid",
        offset: int = 0,
    ) -> SearchResponse:
        """One page (`offset`, `k`) of the passages that match, in relevance or date order."""
        search_filter = self.resolve_filters(filters or Filters())
        depth = max(CANDIDATES, offset + k)
        result = self.search_pipeline.run(
            {
                "expander": {"query": query},
                "scope": {"filters": search_filter},
                "retriever": {"top_k": depth, "mode": mode},
                "deduplicator": {"top_k": depth, "sort": sort},
                # Newest first needs no ranking, and one branch asked for alone is that branch's order.
                **({"reranker": {"top_n": 0}} if self.reranks_search and (sort == "date" or mode != "hybrid") else {}),
            }
        )
        matches = result["reranker" if self.reranks_search else "deduplicator"]["passages"]
        shown = matches[offset : offset + k]
        # Facet counts describe the matches a reader can page through, as `total` does.
        facets = Facets(
            authority=dict(Counter(p.meta.get("authority") or "unknown" for p in matches).most_common()),
            doc_type=dict(Counter(p.meta.get("doc_type") or "unknown" for p in matches).most_common()),
        )
        message = None
        if not matches:
            message = "No passage matches this search closely enough. Try other words, or remove a filter."
        elif not shown:
            message = f"There are {len(matches)} matching passages; this page starts after the last of them."
        return SearchResponse(
            query=query,
            results=[passage_from(p) for p in shown],
            total=len(matches),
            offset=offset,
            next_offset=offset + k if offset + k < len(matches) else None,
            facets=facets,
            message=message,
        )

    def passages_given(self, answerer: Answerer | None = None) -> int:
        """How many passages an answerer (None: the one configured) is given. The learned
        answerer ranks more passages than it reads; the rules answerer weighs terms over all it
        is given, so it gets what it reads."""
        if answerer is None:
            answerer = self.settings.answerer
        ranked = self.settings.answer_passages_ranked if answerer == "learned" else 0
        return max(self.settings.answer_passages, ranked)

    def run_ask_pipeline(self, request: AskRequest, mode: Mode = "hybrid", outputs: set[str] = frozenset(), for_answerer: Answerer | None = None) -> dict:
        """The ask pipeline's raw outputs for a request (the answerer's, the deduplicator's and
        any other component's named in `outputs`), with the passages `for_answerer` (default:
        the configured one) is given: training reads the passages users' answerer gets."""
        search_filter = self.resolve_filters(request.filters)
        k = max(request.k, self.passages_given(for_answerer))
        return self.ask_pipeline.run(
            {
                "expander": {"query": request.question},
                "scope": {"filters": search_filter},
                "retriever": {"top_k": CANDIDATES, "mode": mode},
                "deduplicator": {"top_k": k},
                # As /search: one branch asked for alone is that branch's order.
                **({"shown": {"top_n": 0}} if self.reranks_shown and mode != "hybrid" else {}),
            },
            include_outputs_from={"deduplicator", *outputs},
        )

    def ask(self, request: AskRequest, mode: Mode = "hybrid") -> AskResponse:
        """Answer with cited quotes; `mode` (for evaluation) picks the retrieval branch(es)."""
        result = self.run_ask_pipeline(request, mode)
        answer = result["answerer"]
        passages = [passage_from(p) for p in result["shown" if self.reranks_shown else "deduplicator"]["passages"][: request.k]]
        citations = [Citation(**c) for c in answer["citations"]]
        verified = [c for c in citations if self.quote_is_exact(c.document_id, c.start, c.end, c.quote)]
        if len(verified) < len(citations):
            logger.error("dropped {n} citations whose quotes did not match their documents", n=len(citations) - len(verified))
        if not verified:
            return AskResponse(
                question=request.question,
                answer=None,
                abstained=True,
                reason=answer["reason"] if answer["abstained"] else "no citation could be verified against its document",
                confidence=answer["confidence"],
                citations=[],
                passages=passages,
            )
        pages = {c.n: self.page_of(c.document_id, c.start, c.page) for c in verified}
        verified = [c.model_copy(update={"page": pages[c.n]}) for c in verified]
        verified = [c.model_copy(update={"lead_in": lead_in(c.model_dump())}) for c in verified]
        text = answer_text([c.model_dump() for c in verified])
        return AskResponse(
            question=request.question,
            answer=text,
            abstained=False,
            reason=answer["reason"],
            confidence=answer["confidence"],
            citations=verified,
            passages=passages,
        )

    # -- documents ----------------------------------------------------------------------------

    def _load_document_text(self, document_id: str) -> tuple[str, tuple]:
        record = self.index.get_document(document_id)
        return record["text"], tuple(tuple(p) for p in (record.get("pages") or []))

    def quote_is_exact(self, document_id: str, start: int, end: int, quote: str) -> bool:
        """The contract every citation keeps: the quote is the document's text at its offsets."""
        text, _ = self.document_text(document_id)
        return 0 <= start < end <= len(text) and text[start:end] == quote

    def page_of(self, document_id: str, offset: int, fallback: int | None) -> int | None:
        _, pages = self.document_text(document_id)
        return page_at(pages, offset) or fallback

    def document(self, document_id: str, start: int | None = None, end: int | None = None) -> DocumentDetail:
        record = self.index.get_document(document_id)
        highlight = None
        if start is not None or end is not None:
            if start is None or end is None or not 0 <= start < end <= len(record["text"]):
                raise InvalidRequestError(f"highlight needs 0 <= start < end <= {len(record['text'])}", "invalid_highlight")
            highlight = Highlight(start=start, end=end, quote=record["text"][start:end])
        fields = {k: record.get(k) for k in DocumentDetail.model_fields if k != "highlight"}
        return DocumentDetail(**fields | {"sources": [shown_source(s) for s in record.get("sources") or []]}, highlight=highlight)

    def original(self, document_id: str) -> Original:
        """The paper a document was read from (see service.originals)."""
        found = self.originals.find(self.index.get_document(document_id, with_text=False))
        if found is None:
            raise NotFoundError(f"the original of document {document_id} is no longer where it was indexed", "original_not_found")
        return found

    def documents(self, filters: Filters, limit: int = 50, offset: str | None = None) -> DocumentList:
        if offset is not None:
            # A page token is a document's point id (a UUID) as `next_offset` gave it; the
            # index would fail on anything else.
            try:
                offset = str(uuid.UUID(offset))
            except ValueError:
                raise InvalidRequestError("offset: not a page token; pass the next_offset of the previous page") from None
        records, next_offset = self.index.list_documents(self.resolve_filters(filters), limit, offset)
        summaries = [
            DocumentSummary(**{k: r.get(k) for k in DocumentSummary.model_fields} | {"sources": [shown_source(s) for s in r.get("sources") or []]})
            for r in records
        ]
        return DocumentList(documents=summaries, next_offset=next_offset)

    def coverage(self) -> Coverage:
        """Counts, types and date range of the documents the reader may see."""
        records = list(self.index.iter_documents(fields=["doc_type", "authority", "date", "indexed_at"]))
        dates = sorted(r["date"] for r in records if r.get("date"))
        written = [r["indexed_at"] for r in records if r.get("indexed_at")]
        return Coverage(
            documents=len(records),
            authorities=len({r["authority"] for r in records if r.get("authority")}),
            by_type=dict(Counter(r.get("doc_type") or "unknown" for r in records).most_common()),
            earliest=dates[0] if dates else None,
            latest=dates[-1] if dates else None,
            undated=len(records) - len(dates),
            last_ingest=max(written) if written else None,
        )

    def health(self) -> Health:
        settings = self.index.settings
        return Health(
            status="ok",
            backend=settings.backend_name,
            index=settings.qdrant_url or shown_source(str(settings.index_path)),
            documents=self.index.count_documents(),
            chunks=self.index.count_chunks(),
            model=settings.model_name,
            schema_version=SCHEMA_VERSION,
        )

