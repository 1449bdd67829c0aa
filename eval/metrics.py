"""Scoring one run of the labelled question set: answers (right and cited, key facts), citation
precision (strict and lenient), abstention, retrieval (Haystack's evaluators) and latency."""

import statistics
from dataclasses import dataclass, field

from haystack import Document
from haystack.components.evaluators import DocumentMRREvaluator, DocumentNDCGEvaluator, DocumentRecallEvaluator

from eval.known_answers import KnownAnswer, fact_found


def _sources(citation: dict) -> list[str]:
    """Every file that holds the cited document (the same bytes filed twice), else its source."""
    return citation.get("sources") or [citation["source"]]


@dataclass
class QuestionResult:
    """What the system did with one question."""

    known: KnownAnswer
    retrieved_sources: list[str]  # distinct documents, best first
    answer: str | None
    abstained: bool
    citations: list[dict]
    milliseconds: float
    confidence: float = 0.0
    # Where /search, asked the question at its defaults (the first page of 10), shows the first
    # passage that overlaps a sentence labelled as the answer: 1 for first, None when not on the
    # page or when the question has no labelled sentence (see `searched`).
    search_rank: int | None = None

    @property
    def searched(self) -> bool:
        """Whether /search's rank counts: an answerable question with a labelled sentence."""
        return bool(self.known.answerable and self.known.answers)

    @property
    def fact_match(self) -> float:
        if not self.known.facts:
            return 0.0
        quoted = " ".join(c["quote"] for c in self.citations)
        return sum(fact_found(f, quoted) for f in self.known.facts) / len(self.known.facts)

    def citation_hits(self, strict: bool = True) -> list[bool]:
        """Each citation is right when it comes from a relevant document and states the answer.
        Lenient: a context sentence from the same document as a right quote also counts."""
        right = [any(self.known.quote_is_right(s, c["start"], c["end"], c["quote"]) for s in _sources(c)) for c in self.citations]
        documents_right = {c["document_id"] for c, hit in zip(self.citations, right) if hit}
        if strict:
            return right
        return [hit or (any(self.known.relevant_key(s) is not None for s in _sources(c)) and c["document_id"] in documents_right)
                for c, hit in zip(self.citations, right)]

    @property
    def answered_right(self) -> bool:
        """A right, cited answer: answered, and at least one quote states the answer."""
        return self.known.answerable and not self.abstained and any(self.citation_hits(strict=True))


@dataclass
class Scores:
    questions: int = 0
    answered_right: float | None = None
    citation_precision: float | None = None  # strict: every quote states the answer
    citation_precision_lenient: float | None = None
    fact_match: float | None = None
    abstention_recall: float | None = None
    abstention_precision: float | None = None
    false_abstention: float | None = None
    recall_at_5: float | None = None
    mrr: float | None = None
    ndcg_at_5: float | None = None
    # /search's own first page: the answering passage shown first, and its reciprocal rank.
    search_hit_at_1: float | None = None
    search_mrr_at_10: float | None = None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    extra: dict = field(default_factory=dict)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _share(hits: list[bool]) -> float | None:
    return round(sum(hits) / len(hits), 4) if hits else None


def score(results: list[QuestionResult]) -> Scores:
    scores = Scores(questions=len(results))
    if not results:
        return scores
    answerable = [r for r in results if r.known.answerable]
    unanswerable = [r for r in results if not r.known.answerable]
    if answerable:
        truth = [[Document(content=key) for key in r.known.relevant] for r in answerable]
        retrieved = [[Document(content=r.known.relevant_key(s) or s) for s in r.retrieved_sources[:5]] for r in answerable]
        scores.recall_at_5 = round(DocumentRecallEvaluator(mode="single_hit").run(truth, retrieved)["score"], 4)
        scores.mrr = round(DocumentMRREvaluator().run(truth, retrieved)["score"], 4)
        scores.ndcg_at_5 = round(DocumentNDCGEvaluator().run(truth, retrieved)["score"], 4)
        scores.answered_right = _share([r.answered_right for r in answerable])
        scores.fact_match = round(statistics.mean(r.fact_match for r in answerable), 4)
        scores.citation_precision = _share([hit for r in answerable for hit in r.citation_hits(strict=True)])
        scores.citation_precision_lenient = _share([hit for r in answerable for hit in r.citation_hits(strict=False)])
        scores.false_abstention = _share([r.abstained for r in answerable])
        searched = [r for r in answerable if r.searched]
        if searched:
            scores.search_hit_at_1 = _share([r.search_rank == 1 for r in searched])
            scores.search_mrr_at_10 = round(statistics.mean(1 / r.search_rank if r.search_rank else 0.0 for r in searched), 4)
    if unanswerable:
        scores.abstention_recall = _share([r.abstained for r in unanswerable])
    abstentions = [r for r in results if r.abstained]
    if abstentions:
        scores.abstention_precision = _share([not r.known.answerable for r in abstentions])
    latencies = [r.milliseconds for r in results]
    scores.latency_p50_ms = round(_percentile(latencies, 0.5), 1)
    scores.latency_p95_ms = round(_percentile(latencies, 0.95), 1)
    return scores
