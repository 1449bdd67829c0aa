"""An external benchmark: a BEIR dataset (SciFact) indexed through the same ingest pipeline and
searched through the same search pipeline, scored with nDCG@10 and recall@100 beside the
published figures."""

import json
import math
import re
from pathlib import Path

from indexes import IndexSettings, open_index
from indexes.sparse import STOPWORDS
from ingest.chunking import MAX_WORDS
from ingest.pipeline import run_ingest
from service.answering.sentence_encoder import store_sentence_vectors, storing_encoder
from service.engine import QueryEngine
from service.settings import ServiceSettings

PUBLISHED = {
    "scifact": {
        "BM25 (Anserini, published)": 0.665,
        "bm25s (published)": 0.687,
        "all-MiniLM-L6-v2 dense (MTEB)": 0.645,
        "plain RRF of bm25s + MiniLM (measured here)": 0.725,
    }
}
DEPTH = 100
_WORD = re.compile(r"\w+")


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    for line in path.read_text().splitlines()[1:]:
        query_id, doc_id, grade = line.split("\t")[:3]
        qrels.setdefault(query_id, {})[doc_id] = int(grade)
    return qrels


def ndcg_at(ranking: list[str], relevant: dict[str, int], k: int = 10) -> float:
    gains = sum((2 ** relevant.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranking[:k]))
    ideal = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(sorted(relevant.values(), reverse=True)[:k]))
    return gains / ideal if ideal else 0.0


def recall_at(ranking: list[str], relevant: dict[str, int], k: int = DEPTH) -> float:
    found = sum(1 for d in ranking[:k] if relevant.get(d, 0) > 0)
    return found / sum(1 for g in relevant.values() if g > 0)


def prepare_corpus(dataset: Path, work_dir: Path) -> tuple[Path, float]:
    """Write each abstract as a text file (title in a manifest, so it becomes the embedded
    context header) and return the folder and the corpus's mean BM25 document length."""
    folder = work_dir / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    lengths = []
    manifest = []
    for record in _read_jsonl(dataset / "corpus.jsonl"):
        name = f"{record['_id']}.txt"
        path = folder / name
        text = record["text"].strip() or record.get("title", "")
        if not path.exists():
            path.write_text(text, encoding="utf-8")
        manifest.append(json.dumps({"file": name, "title": record.get("title") or None, "doc_type": "report"}))
        lengths.append(sum(1 for w in _WORD.findall(f"{record.get('title', '')} {text}".lower()) if w not in STOPWORDS))
    (folder / "manifest.jsonl").write_text("\n".join(manifest) + "\n")
    return folder, sum(lengths) / len(lengths)


def rank_documents(engine: QueryEngine, query: str, mode: str) -> list[str]:
    """Documents by their best passage: retrieval's order in "sparse", "dense" and "hybrid";
    "reranked" is hybrid reordered by the search reranker, as /search does."""
    reranked = mode == "reranked"
    inputs = {"expander": {"query": query}, "retriever": {"top_k": 2 * DEPTH, "mode": "hybrid" if reranked else mode}, "deduplicator": {"top_k": 2 * DEPTH}}
    if engine.reranks_search and not reranked:
        inputs["reranker"] = {"top_n": 0}
    result = engine.search_pipeline.run(inputs, include_outputs_from={"deduplicator"})
    ranking: list[str] = []
    for passage in result["reranker" if reranked else "deduplicator"]["passages"]:
        doc_id = Path(passage.meta["source"]).stem
        if doc_id not in ranking:
            ranking.append(doc_id)
    return ranking[:DEPTH]


def default_work_dir(dataset: Path, max_words: int) -> Path:
    suffix = "" if max_words == MAX_WORDS else f"-w{max_words}"
    return Path("var") / f"beir-{dataset.name}{suffix}"


def _claims(dataset: Path, split: str) -> tuple[dict[str, str], dict[str, dict[str, int]], list[str]]:
    """A split's queries, its relevance judgements, and the queries that have judgements."""
    queries = {q["_id"]: q["text"] for q in _read_jsonl(dataset / ("queries.jsonl" if split == "test" else f"queries-{split}.jsonl"))}
    qrels = _read_qrels(dataset / f"qrels-{split}.tsv")
    return queries, qrels, [q for q in queries if q in qrels]


def _index_settings(dataset: Path, work_dir: Path) -> tuple[Path, IndexSettings]:
    """The benchmark's document folder and the settings of its index (BM25 length from the corpus)."""
    folder, avg_len = prepare_corpus(dataset, work_dir)
    return folder, IndexSettings(index_path=work_dir / "index", bm25_avg_len=round(avg_len, 1))


def run_beir(
    dataset: Path,
    work_dir: Path | None = None,
    split: str = "test",
    limit: int | None = None,
    service_settings: ServiceSettings | None = None,
    max_words: int = MAX_WORDS,
) -> dict:
    name = dataset.name
    work_dir = work_dir or default_work_dir(dataset, max_words)
    folder, index_settings = _index_settings(dataset, work_dir)
    tuned_path = tuned_fusion_path(dataset, max_words)
    tuned = json.loads(tuned_path.read_text()) if tuned_path.exists() else {}
    queries, qrels, query_ids = _claims(dataset, split)
    query_ids = query_ids[:limit]
    settings = (service_settings or ServiceSettings()).model_copy(update={"index": index_settings})
    with open_index(index_settings, purpose="scrutiny eval --beir") as index:
        summary = run_ingest([str(folder)], index, show_progress=True, max_words=max_words)
        if tuned and service_settings is None:
            # Fusion chosen on this dataset's train claims at this passage length (`--tune`).
            index.settings.fusion = tuned["fusion"]
            index.settings.rrf_k = tuned["rrf_k"] or index.settings.rrf_k
            settings = settings.model_copy(update={"fusion_weights": tuple(tuned["fusion_weights"]) if tuned["fusion_weights"] else None})
        # Glossary expansion and reading authorities and periods from the question are for
        # council documents; a biomedical benchmark runs without them.
        engine = QueryEngine(index, settings, expand_glossary=False, read_scope=False)
        # The search reranker looks up the answer encoder's sentence vectors (a search would encode
        # its ~100 sentences without them): stored once, as for a served index.
        store_sentence_vectors(index, storing_encoder(index.settings.model), log=lambda line: None)
        engine.search_pipeline.warm_up()
        scores = {}
        reranks = engine.reranks_search and engine.search_pipeline.get_component("reranker").reranks
        for mode in ("sparse", "dense", "hybrid", *(["reranked"] if reranks else [])):
            rankings = {q: rank_documents(engine, queries[q], mode) for q in query_ids}
            scores[mode] = {
                "ndcg@10": round(sum(ndcg_at(rankings[q], qrels[q]) for q in query_ids) / len(query_ids), 4),
                "recall@100": round(sum(recall_at(rankings[q], qrels[q]) for q in query_ids) / len(query_ids), 4),
            }
    labels = {"sparse": "scrutiny BM25 (Qdrant sparse, IDF)", "dense": "scrutiny dense (all-MiniLM-L6-v2)", "hybrid": f"scrutiny hybrid ({index_settings.fusion} fusion)",
              "reranked": "scrutiny hybrid + /search's reranker"}
    lines = [f"{name} {split} split, {len(query_ids)} queries, {summary.documents} documents, {summary.chunks} chunks", f"{'method':<48}{'nDCG@10':>9}{'R@100':>8}"]
    for label, value in PUBLISHED.get(name, {}).items():
        lines.append(f"{label:<48}{value:>9.3f}{'':>8}")
    for mode, values in scores.items():
        lines.append(f"{labels[mode]:<48}{values['ndcg@10']:>9.3f}{values['recall@100']:>8.3f}")
    return {
        "dataset": name,
        "split": split,
        "queries": len(query_ids),
        "settings": {"max_words": max_words, "fusion": index_settings.fusion, "rrf_k": index_settings.rrf_k, "tuned_on_train": bool(tuned), "fusion_weights": settings.fusion_weights, "prefetch_limit": settings.prefetch_limit, "bm25_avg_len": index_settings.bm25_avg_len},
        "scores": scores,
        "published": PUBLISHED.get(name, {}),
        "table": "\n".join(lines),
    }


def _fused_documents(dense: list[tuple[str, str, float]], sparse: list[tuple[str, str, float]], fusion: str, k: int, weights: tuple[float, float] | None) -> list[str]:
    """Fuse two chunk rankings the way `ScrutinyIndex.search` does (Qdrant's RRF formula, or
    the weighted sum of min-max normalised scores), then list documents by their best chunk."""
    w_dense, w_sparse = weights or (1.0, 1.0)
    scores: dict[str, float] = {}
    document_of: dict[str, str] = {}
    for weight, ranking in ((w_dense, dense), (w_sparse, sparse)):
        if not ranking:
            continue
        top, bottom = ranking[0][2], ranking[-1][2]
        for rank, (chunk, document, score) in enumerate(ranking):
            if fusion == "rrf":
                gain = weight / (k + rank + 1)
            else:
                gain = weight / (w_dense + w_sparse) * (score - bottom) / ((top - bottom) or 1.0)
            scores[chunk] = scores.get(chunk, 0.0) + gain
            document_of[chunk] = document
    ranking: list[str] = []
    for chunk in sorted(scores, key=scores.get, reverse=True):
        if document_of[chunk] not in ranking:
            ranking.append(document_of[chunk])
    return ranking[:DEPTH]


RRF_GRID = [("rrf", k, w) for k in (2, 5, 10, 20, 30, 60, 100) for w in (None, (1.0, 1.25), (1.0, 1.5), (1.0, 2.0), (1.25, 1.0), (1.5, 1.0), (2.0, 1.0))]
SCORE_GRID = [("score", 0, (round(a, 2), round(1 - a, 2))) for a in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)]


def tune_fusion(
    dataset: Path, work_dir: Path | None = None, grid: list[tuple] = RRF_GRID + SCORE_GRID, prefetch: int = 2 * DEPTH, max_words: int = MAX_WORDS
) -> list[dict]:
    """nDCG@10 on the *train* claims for each fusion (RRF constant and (dense, BM25) weights, or
    score fusion's dense share): each branch is retrieved once per claim from the index
    `run_beir` built, at the depth `run_beir` searches, and fused here exactly as the index
    fuses. Test claims are never used for tuning."""
    work_dir = work_dir or default_work_dir(dataset, max_words)
    _, index_settings = _index_settings(dataset, work_dir)
    queries, qrels, query_ids = _claims(dataset, "train")
    branches: dict[str, tuple[list, list]] = {}
    with open_index(index_settings, purpose="scrutiny eval --beir tuning") as index:
        engine = QueryEngine(index, ServiceSettings(index=index_settings), expand_glossary=False, read_scope=False)
        embedder = engine.search_pipeline.get_component("embedder")
        embedder.warm_up()
        for query_id in query_ids:
            text = queries[query_id]
            vector = embedder.run(text=text)["embedding"]
            ranked = {}
            for mode in ("dense", "sparse"):
                hits = index.search(dense=vector, query_text=text, limit=prefetch, prefetch_limit=prefetch, mode=mode)
                ranked[mode] = [(hit.id, Path(hit.payload["source"]).stem, hit.score) for hit in hits]
            branches[query_id] = (ranked["dense"], ranked["sparse"])
    results = []
    for fusion, k, weights in grid:
        score = sum(ndcg_at(_fused_documents(*branches[q], fusion, k, weights), qrels[q]) for q in query_ids) / len(query_ids)
        results.append({"fusion": fusion, "rrf_k": k or None, "fusion_weights": weights, "prefetch_limit": prefetch, "train_ndcg@10": round(score, 4)})
    return sorted(results, key=lambda r: r["train_ndcg@10"], reverse=True)


def tuned_fusion_path(dataset: Path, max_words: int = MAX_WORDS) -> Path:
    suffix = "" if max_words == MAX_WORDS else f"_w{max_words}"
    return Path(__file__).parent / "data" / f"fusion_{dataset.name}{suffix}.json"


def save_tuned_fusion(dataset: Path, results: list[dict], max_words: int = MAX_WORDS) -> Path:
    """Record the best fusion on the train claims, with the plain-RRF figure beside it."""
    best = results[0]
    default = next(r for r in results if r["fusion"] == "rrf" and r["rrf_k"] == 60 and r["fusion_weights"] is None)
    path = tuned_fusion_path(dataset, max_words)
    path.write_text(json.dumps({
        "_comment": f"Fusion for {dataset.name} indexed in passages of at most {max_words} words, chosen on its TRAIN claims by "
                    f"`scrutiny eval --beir {dataset} --chunk-words {max_words} --tune` "
                    "(RRF constants x (dense, BM25) weights, and score fusion's dense share). The test claims were not used.",
        "fusion": best["fusion"],
        "rrf_k": best["rrf_k"],
        "fusion_weights": best["fusion_weights"],
        "train_ndcg@10": best["train_ndcg@10"],
        "train_ndcg@10_rrf_k60_equal": default["train_ndcg@10"],
    }, indent=2) + "\n")
    return path
