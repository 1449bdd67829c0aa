"""Runs the labelled question set through the service's own engine, at the API's defaults, and
reports the scores per split and per kind."""

import json
import subprocess
import time
from dataclasses import asdict
from pathlib import Path

from eval.known_answers import KINDS, KnownAnswer
from eval.metrics import QuestionResult, Scores, score
from service.engine import QueryEngine
from service.schemas import AskRequest, Filters


def run_question(engine: QueryEngine, known: KnownAnswer, mode: str = "hybrid") -> QuestionResult:
    started = time.perf_counter()
    # The request a user sends: the question and its filters, every other field at its default.
    response = engine.ask(AskRequest(question=known.question, filters=Filters(**known.filters)), mode=mode)
    milliseconds = (time.perf_counter() - started) * 1000
    sources: list[str] = []
    for passage in response.passages:
        if passage.source not in sources:
            sources.append(passage.source)
    return QuestionResult(
        known=known,
        retrieved_sources=sources,
        answer=response.answer,
        abstained=response.abstained,
        # A document filed under two names (the same bytes) is one document: a quote from it
        # cites every file that holds it, whichever name the response shows.
        citations=[c.model_dump() | {"sources": engine.index.get_document(c.document_id, with_text=False).get("sources") or [c.source]}
                   for c in response.citations],
        milliseconds=milliseconds,
        confidence=response.confidence,
        search_rank=search_rank(engine, known, mode),
    )


def search_rank(engine: QueryEngine, known: KnownAnswer, mode: str = "hybrid") -> int | None:
    """Where /search at its defaults (as a user searches with the question) shows the first
    passage overlapping a labelled answering sentence, from 1; None if not on its first page."""
    if not (known.answerable and known.answers):
        return None
    page = engine.search(known.question, Filters(**known.filters), mode=mode)
    for rank, passage in enumerate(page.results, start=1):
        sources = engine.index.get_document(passage.document_id, with_text=False).get("sources") or [passage.source]
        if any(known.states_answer(source, passage.start, passage.end) for source in sources):
            return rank
    return None


def covered_by_index(index, known_answers: list[KnownAnswer]) -> list[KnownAnswer]:
    """The questions every relevant document of which the index holds (an index of part of the
    corpus answers only those)."""
    sources = [s for record in index.iter_documents(fields=["sources"]) for s in record.get("sources") or []]
    return [k for k in known_answers if k.relevant and all(any(s.endswith(key) for s in sources) for key in k.relevant)]


def run_set(engine: QueryEngine, known_answers: list[KnownAnswer], mode: str = "hybrid") -> list[QuestionResult]:
    return [run_question(engine, known, mode) for known in known_answers]


def scores_by_kind(results: list[QuestionResult]) -> dict[str, Scores]:
    table = {"overall": score(results)}
    for kind in KINDS:
        subset = [r for r in results if r.known.kind == kind and r.known.answerable]
        if subset:
            table[kind] = score(subset)
    unanswerable = [r for r in results if not r.known.answerable]
    if unanswerable:
        table["unanswerable"] = score(unanswerable)
    return table


def git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent, timeout=10).stdout.strip() or None
    except OSError:
        return None


def build_report(engine: QueryEngine, runs: dict[str, list[QuestionResult]]) -> dict:
    """The full report: settings and commit measured, per-run per-kind scores, and every
    question's outcome (so a regression can be traced to questions). A run is named
    "<answerer>/<mode>/<split>"."""
    settings = engine.settings
    return {
        "commit": git_commit(),
        "settings": {
            "index": settings.index.qdrant_url or str(settings.index.index_path),
            "model": settings.index.model_name,
            "fusion": settings.index.fusion,
            "answerer": settings.answerer,
            "min_confidence": settings.min_confidence,
            "answer_passages": settings.answer_passages,
            "answer_passages_ranked": settings.answer_passages_ranked,
            "search_reranked": settings.search_reranked,
            "request": "AskRequest defaults (k=%d)" % AskRequest.model_fields["k"].default,
        },
        "runs": {name: {kind: asdict(s) for kind, s in scores_by_kind(results).items()} for name, results in runs.items()},
        "questions": {
            name: [
                {
                    "id": r.known.id,
                    "kind": r.known.kind,
                    "answerable": r.known.answerable,
                    "abstained": r.abstained,
                    "right": r.answered_right,
                    "confidence": r.confidence,
                    "fact_match": r.fact_match,
                    "relevant_rank": next((i + 1 for i, s in enumerate(r.retrieved_sources) if r.known.relevant_key(s)), None),
                    "search_rank": r.search_rank,
                    "answer": r.answer,
                    "milliseconds": round(r.milliseconds, 1),
                }
                for r in results
            ]
            for name, results in runs.items()
        },
    }


METRICS = [
    ("answered_right", "right"), ("citation_precision", "cite P"), ("citation_precision_lenient", "lenient"),
    ("fact_match", "facts"), ("abstention_recall", "abst R"), ("false_abstention", "false abst"),
    ("abstention_precision", "abst P"), ("recall_at_5", "R@5"), ("mrr", "MRR"), ("search_hit_at_1", "search@1"), ("search_mrr_at_10", "search MRR"), ("latency_p50_ms", "p50 ms"), ("latency_p95_ms", "p95 ms"),
]
HIGHER_IS_WORSE = {"false_abstention", "latency_p50_ms", "latency_p95_ms"}


def format_table(report: dict, baseline: dict | None = None) -> str:
    """Strict metrics first: a right, cited answer and strict citation precision, then the rest."""
    lines = []
    for name, table in report["runs"].items():
        lines.append(f"run: {name}")
        lines.append(f"{'kind':<13}{'n':>4} " + " ".join(f"{label:>10}" for _, label in METRICS))
        for kind, values in table.items():
            cells = []
            for key, _ in METRICS:
                value = values.get(key)
                cell = "-" if value is None else (f"{value:.3f}" if "ms" not in key else f"{value:.0f}")
                if baseline and value is not None:
                    old = baseline.get("runs", {}).get(name, {}).get(kind, {}).get(key)
                    if old is not None and abs(value - old) > 1e-9:
                        better = (value < old) if key in HIGHER_IS_WORSE else (value > old)
                        cell += "+" if better else "-"
                cells.append(f"{cell:>10}")
            lines.append(f"{kind:<13}{values['questions']:>4} " + " ".join(cells))
        lines.append("")
    if baseline:
        lines.append("(+ better / - worse than the baseline, commit " + str(baseline.get("commit")) + ")")
    return "\n".join(lines)


def save_json(report: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
