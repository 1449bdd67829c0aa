"""Scoring one run of the known-answer set: retrieval (Haystack's evaluators), answers,
citations, abstention and latency, per category and overall."""

import re
import statistics
from dataclasses import dataclass, field

from haystack import Document
from haystack.components.evaluators import DocumentMRREvaluator, DocumentNDCGEvaluator, DocumentRecallEvaluator

from eval.known_answers import KnownAnswer


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'").lower()).strip()


def fact_found(alternatives: list[str], text: str) -> bool:
    normal = _normal(text)
    return any(_normal(a) in normal for a in alternatives)


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

    @property
    def fact_match(self) -> float:
        if not self.known.facts:
            return 0.0
        return sum(fact_found(f, self.answer or "") for f in self.known.facts) / len(self.known.facts)

    def citation_hits(self, strict: bool = False) -> list[bool]:
        """Each citation is right when it comes from a relevant document and quotes a key fact.
        Not strict: a context sentence from the same document as a fact-bearing quote of the
        answer (the sentence before or after it) also counts as right."""
        quotes_fact = [any(fact_found(f, c["quote"]) for f in self.known.facts) for c in self.citations]
        documents_with_fact = {c["document_id"] for c, has in zip(self.citations, quotes_fact) if has}
        return [
            self.known.relevant_key(c["source"]) is not None and (has or (not strict and c["document_id"] in documents_with_fact))
            for c, has in zip(self.citations, quotes_fact)
        ]


@dataclass
class Scores:
    questions: int = 0
    recall_at_5: float | None = None
    mrr: float | None = None
    ndcg_at_10: float | None = None
    fact_match: float | None = None
    citation_precision: float | None = None
    abstention_recall: float | None = None
    abstention_precision: float | None = None
    false_abstention: float | None = None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    extra: dict = field(default_factory=dict)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def score(results: list[QuestionResult]) -> Scores:
    scores = Scores(questions=len(results))
    if not results:
        return scores
    answerable = [r for r in results if r.known.answerable]
    unanswerable = [r for r in results if not r.known.answerable]
    if answerable:
        truth = [[Document(content=key) for key in r.known.relevant] for r in answerable]
        retrieved = [[Document(content=r.known.relevant_key(s) or s) for s in r.retrieved_sources] for r in answerable]
        top5 = [docs[:5] for docs in retrieved]
        top10 = [docs[:10] for docs in retrieved]
        scores.recall_at_5 = round(DocumentRecallEvaluator(mode="single_hit").run(truth, top5)["score"], 4)
        scores.mrr = round(DocumentMRREvaluator().run(truth, top10)["score"], 4)
        scores.ndcg_at_10 = round(DocumentNDCGEvaluator().run(truth, top10)["score"], 4)
        scores.fact_match = round(statistics.mean(r.fact_match for r in answerable), 4)
        hits = [hit for r in answerable for hit in r.citation_hits()]
        scores.citation_precision = round(sum(hits) / len(hits), 4) if hits else None
        strict = [hit for r in answerable for hit in r.citation_hits(strict=True)]
        scores.extra["citation_precision_strict"] = round(sum(strict) / len(strict), 4) if strict else None
        sources = [r.known.relevant_key(c["source"]) is not None for r in answerable for c in r.citations]
        scores.extra["citation_source_precision"] = round(sum(sources) / len(sources), 4) if sources else None
        scores.false_abstention = round(sum(r.abstained for r in answerable) / len(answerable), 4)
    abstentions = [r for r in results if r.abstained]
    if unanswerable:
        scores.abstention_recall = round(sum(r.abstained for r in unanswerable) / len(unanswerable), 4)
    if abstentions:
        scores.abstention_precision = round(sum(not r.known.answerable for r in abstentions) / len(abstentions), 4)
    latencies = [r.milliseconds for r in results]
    scores.latency_p50_ms = round(_percentile(latencies, 0.5), 1)
    scores.latency_p95_ms = round(_percentile(latencies, 0.95), 1)
    return scores
