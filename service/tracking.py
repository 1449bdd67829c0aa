"""What no general search tool gives: the commitments register with its follow-up check,
authority comparison, and Ofsted judgements and topic timelines per authority."""

import re
from collections import Counter
from datetime import date, timedelta

import numpy as np
import Stemmer

from councils.commitments import UNDERTAKING_WORDS
from councils.authorities import authority_registry
from indexes import SearchFilter
from service.engine import QueryEngine
from service.errors import InvalidRequestError, NotFoundError
from service.schemas import (
    AskRequest,
    AuthorityList,
    AuthorityProfile,
    AuthoritySummary,
    Citation,
    CommitmentItem,
    CommitmentList,
    CompareRequest,
    CompareResponse,
    CompareRow,
    Filters,
    Inspection,
    Timeline,
    TimelineEntry,
    source_fields,
)

_STEMMER = Stemmer.Stemmer("english")
_WORD = re.compile(r"[a-z]{3,}")
# Words of an undertaking, not of its subject: they say nothing about whether it was done.
_COMMITMENT_WORDS = set(_STEMMER.stemWords(sorted(UNDERTAKING_WORDS)))
# A follow-up passage must be about the same thing (similar meaning and shared topic words).
FOLLOW_UP_MIN_COSINE = 0.55
FOLLOW_UP_MIN_OVERLAP = 0.5


def _topic_stems(text: str) -> set[str]:
    return {s for s in _STEMMER.stemWords(_WORD.findall(text.lower())) if s not in _COMMITMENT_WORDS}


def _citation(record: dict, n: int = 1) -> Citation:
    return Citation(n=n, **source_fields(record, record["quote"], record["start"], record["end"]))


class ScrutinyTracker:
    """Commitments, comparisons and authority profiles over one engine's index.

    Usage:
        tracker = ScrutinyTracker(engine)
        tracker.commitments(Filters(authority=["Medway"]))
    """

    def __init__(self, engine: QueryEngine):
        self.engine = engine
        self.index = engine.index

    # -- commitments ----------------------------------------------------------------------------

    def commitments(
        self,
        filters: Filters,
        who: str | None = None,
        status: str | None = None,
        as_of: date | None = None,
        limit: int = 200,
    ) -> CommitmentList:
        as_of = as_of or date.today()
        search_filter = self.engine.resolve_filters(filters)
        records = sorted(self.index.iter_commitments(search_filter), key=lambda r: (r.get("date") or "", r["start"]))
        if who:
            records = [r for r in records if who.lower() in (r.get("who") or "").lower()]
        items = [self._follow_up(record, as_of) for record in records]
        if status:
            items = [item for item in items if item.status == status]
        return CommitmentList(commitments=items[:limit], total=len(items), as_of=as_of)

    def _follow_up(self, record: dict, as_of: date) -> CommitmentItem:
        """Search the same authority's later documents for a passage reporting back on it."""
        citation = _citation(record)
        if not self.engine.quote_is_exact(record["document_id"], record["start"], record["end"], record["quote"]):
            raise InvalidRequestError(f"commitment {record['commitment_id']} no longer matches its document; re-ingest it", "stale_commitment")
        made = date.fromisoformat(record["date"]) if record.get("date") else None
        later = SearchFilter(
            authorities=[record["authority"]] if record.get("authority") else [],
            since=made + timedelta(days=1) if made else None,
            exclude_document_ids=[record["document_id"]],
        )
        searched = self.index.count_documents(later) if made and record.get("authority") else 0
        evidence = None
        if searched:
            topic = _topic_stems(record["quote"])
            embedder = self.engine.search_pipeline.get_component("embedder")
            vector = embedder.run(text=record["quote"])["embedding"]
            hits = self.index.search(dense=vector, query_text=record["quote"], search_filter=later, limit=5, with_dense=True)
            for hit in hits:
                cosine = float(np.dot(vector, hit.dense)) if hit.dense else 0.0
                overlap = len(topic & _topic_stems(hit.payload["text"])) / len(topic) if topic else 0.0
                if cosine >= FOLLOW_UP_MIN_COSINE and overlap >= FOLLOW_UP_MIN_OVERLAP:
                    evidence = _citation({**hit.payload, "quote": hit.payload["text"]})
                    break
        due = date.fromisoformat(record["due_date"]) if record.get("due_date") else None
        if evidence is not None:
            status = "evidenced"
        elif due is not None and due < as_of:
            # Overdue only if later papers were there to report back in: with none held, the
            # register cannot tell a broken promise from a gap in the collection.
            status = "overdue" if searched else "no_later_papers"
        else:
            status = "open"
        return CommitmentItem(
            commitment_id=record["commitment_id"],
            who=record.get("who"),
            what=record["quote"],
            due_text=record.get("due_text"),
            due_date=record.get("due_date"),
            status=status,
            later_documents_searched=searched,
            citation=citation,
            evidence=evidence,
        )

    # -- comparison -----------------------------------------------------------------------------

    def compare(self, request: CompareRequest) -> CompareResponse:
        rows = []
        for name in request.authorities:
            filters = request.filters.model_copy(update={"authority": [name]})
            answer = self.engine.ask(AskRequest(question=request.question, filters=filters, k=request.k))
            canonical = self.engine.resolve_filters(filters).authorities[0]
            rows.append(
                CompareRow(
                    authority=canonical,
                    answer=answer.answer,
                    abstained=answer.abstained,
                    reason="answered from this authority's documents" if not answer.abstained else f"not found in this authority's documents: {answer.reason}",
                    citations=answer.citations,
                )
            )
        return CompareResponse(question=request.question, rows=rows)

    # -- authorities and timelines ----------------------------------------------------------------

    def _canonical(self, name: str) -> str:
        canonical = authority_registry().normalise(name)
        if canonical is None:
            raise NotFoundError(f"{name!r} is not an English local authority", "unknown_authority")
        return canonical

    def authorities(self) -> AuthorityList:
        """Authorities with stored documents, most documents first."""
        counts = self.index.facet("authority", limit=1000, collection="documents")
        return AuthorityList(authorities=[AuthoritySummary(name=name, documents=n) for name, n in counts if name])

    def authority(self, name: str) -> AuthorityProfile:
        canonical = self._canonical(name)
        known = authority_registry().authorities[canonical]
        counts = Counter(d.get("doc_type") for d in self.index.iter_documents(SearchFilter(authorities=[canonical])))
        inspections = []
        for record in self.index.iter_documents(SearchFilter(authorities=[canonical], doc_types=["ofsted_report"])):
            facts = record.get("ofsted") or {}
            inspections.append(
                Inspection(
                    document_id=record["document_id"],
                    title=record.get("title"),
                    published=record.get("date"),
                    framework=facts.get("framework"),
                    inspection_start=facts.get("inspection_start"),
                    inspection_end=facts.get("inspection_end"),
                    lead_inspector=facts.get("lead_inspector"),
                    grades=facts.get("grades") or {},
                    citation=self._judgement_citation(record),
                )
            )
        inspections.sort(key=lambda i: i.published or "")
        return AuthorityProfile(name=canonical, region=known.region or None, kind=known.kind or None, documents=dict(counts), inspections=inspections)

    def _judgement_citation(self, record: dict) -> Citation | None:
        """The first-page line that states the overall judgement, verbatim, with the offsets ingest recorded."""
        span = ((record.get("ofsted") or {}).get("spans") or {}).get("overall_effectiveness")
        if span is None:
            return None
        text, _ = self.engine.document_text(record["document_id"])
        return _citation({**record, "quote": text[span[0]:span[1]], "start": span[0], "end": span[1], "page": 1})

    def timeline(self, name: str, query: str, limit: int = 30) -> Timeline:
        canonical = self._canonical(name)
        results = self.engine.search(query, Filters(authority=[canonical]), k=limit, sort="date")
        entries = [
            TimelineEntry(date=p.date, citation=Citation(n=i, **p.model_dump(exclude={"score", "section"})))
            for i, p in enumerate(results.results, start=1)
            if p.date
        ]
        return Timeline(authority=canonical, query=query, entries=entries)
