"""Runs the known-answer set through the service's own engine and reports the scores."""

import json
import subprocess
import time
from dataclasses import asdict
from pathlib import Path

from eval.known_answers import CATEGORIES, KnownAnswer
from eval.metrics import QuestionResult, Scores, score
from service.engine import QueryEngine
from service.schemas import AskRequest, Filters

RETRIEVAL_DEPTH = 10  # distinct documents kept for recall, MRR and nDCG


def run_question(engine: QueryEngine, known: KnownAnswer, mode: str = "hybrid") -> QuestionResult:
    started = time.perf_counter()
    response = engine.ask(AskRequest(question=known.question, filters=Filters(**known.filters), k=20), mode=mode)
    milliseconds = (time.perf_counter() - started) * 1000
    sources: list[str] = []
    for passage in response.passages:
        if passage.source not in sources:
            sources.append(passage.source)
    return QuestionResult(
        known=known,
        retrieved_sources=sources[:RETRIEVAL_DEPTH],
        answer=response.answer,
        abstained=response.abstained,
        citations=[c.model_dump() for c in response.citations],
        milliseconds=milliseconds,
        confidence=response.confidence,
    )


def run_set(engine: QueryEngine, known_answers: list[KnownAnswer], mode: str = "hybrid") -> list[QuestionResult]:
    return [run_question(engine, known, mode) for known in known_answers]


def scores_by_category(results: list[QuestionResult]) -> dict[str, Scores]:
    table = {"overall": score(results)}
    for category in CATEGORIES:
        subset = [r for r in results if r.known.category == category]
        if subset:
            table[category] = score(subset)
    return table


def git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=Path(__file__).parent, timeout=10).stdout.strip() or None
    except OSError:
        return None


def build_report(engine: QueryEngine, runs: dict[str, list[QuestionResult]]) -> dict:
    """The full report: settings and commit measured, per-mode per-category scores, and every
    question's outcome (so a regression can be traced to questions)."""
    settings = engine.settings
    return {
        "commit": git_commit(),
        "settings": {
            "index": settings.index.qdrant_url or str(settings.index.index_path),
            "model": settings.index.model_name,
            "fusion": settings.index.fusion,
            "rrf_k": settings.index.rrf_k,
            "bm25_avg_len": settings.index.bm25_avg_len,
            "min_confidence": settings.min_confidence,
            "semantic_weight": settings.semantic_weight,
            "answer_passages": settings.answer_passages,
        },
        "modes": {mode: {name: asdict(s) for name, s in scores_by_category(results).items()} for mode, results in runs.items()},
        "questions": {
            mode: [
                {
                    "id": r.known.id,
                    "category": r.known.category,
                    "abstained": r.abstained,
                    "confidence": r.confidence,
                    "fact_match": r.fact_match,
                    "relevant_rank": next((i + 1 for i, s in enumerate(r.retrieved_sources) if r.known.relevant_key(s)), None),
                    "answer": r.answer,
                    "milliseconds": round(r.milliseconds, 1),
                }
                for r in results
            ]
            for mode, results in runs.items()
        },
    }


METRICS = [
    ("recall_at_5", "R@5"), ("mrr", "MRR"), ("ndcg_at_10", "nDCG@10"), ("fact_match", "facts"),
    ("citation_precision", "cite P"), ("abstention_recall", "abst R"), ("abstention_precision", "abst P"),
    ("false_abstention", "false abst"), ("latency_p50_ms", "p50 ms"), ("latency_p95_ms", "p95 ms"),
]
HIGHER_IS_WORSE = {"false_abstention", "latency_p50_ms", "latency_p95_ms"}


def format_table(report: dict, baseline: dict | None = None) -> str:
    lines = []
    for mode, table in report["modes"].items():
        lines.append(f"mode: {mode}")
        header = f"{'category':<13}{'n':>4} " + " ".join(f"{label:>10}" for _, label in METRICS)
        lines.append(header)
        for category, values in table.items():
            cells = []
            for key, _ in METRICS:
                value = values.get(key)
                cell = "-" if value is None else (f"{value:.3f}" if "ms" not in key else f"{value:.0f}")
                if baseline and value is not None:
                    old = baseline.get("modes", {}).get(mode, {}).get(category, {}).get(key)
                    if old is not None and abs(value - old) > 1e-9:
                        better = (value < old) if key in HIGHER_IS_WORSE else (value > old)
                        cell += "+" if better else "-"
                cells.append(f"{cell:>10}")
            lines.append(f"{category:<13}{values['questions']:>4} " + " ".join(cells))
        lines.append("")
    if baseline:
        lines.append("(+ better / - worse than the baseline, commit " + str(baseline.get("commit")) + ")")
    return "\n".join(lines)


def save_json(report: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
