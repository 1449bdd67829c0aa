"""Ingest throughput against pure encoding: the whole pipeline (read, extract, infer, chunk,
embed dense and BM25, store) on a set of files, then `SentenceTransformer.encode` alone on
exactly the texts the pipeline embedded, in the same process. The ratio is what matters; bare
seconds depend on the machine."""

import tempfile
import time
from pathlib import Path

from indexes import IndexSettings, open_index
from ingest.pipeline import run_ingest


def bench_ingest(paths: list[str], batch_size: int = 32) -> dict:
    from sentence_transformers import SentenceTransformer

    with tempfile.TemporaryDirectory() as scratch:
        settings = IndexSettings(index_path=Path(scratch) / "warm")
        # Load the model into the process first, so neither measurement pays for loading it.
        warm_file = Path(scratch) / "warm.txt"
        warm_file.write_text("Medway Council. The committee noted the report on caseloads.")
        with open_index(settings) as index:
            run_ingest([str(warm_file)], index, show_progress=False)

        settings = IndexSettings(index_path=Path(scratch) / "bench")
        with open_index(settings) as index:
            summary = run_ingest(paths, index, show_progress=False)
            texts = [f"{c['context']}\n{c['text']}" if c.get("context") else c["text"] for c in index.iter_chunks(fields=["context", "text"])]
        model = SentenceTransformer(settings.model, device="cpu", local_files_only=True)
        model.encode(texts[:8], batch_size=batch_size)
        started = time.perf_counter()
        model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
        encode_seconds = time.perf_counter() - started

    pipeline_rate = summary.written / summary.seconds
    encode_rate = len(texts) / encode_seconds
    return {
        "paths": paths,
        "documents": summary.documents,
        "chunks": summary.written,
        "failed": len(summary.failed),
        "pipeline_seconds": round(summary.seconds, 2),
        "encode_seconds": round(encode_seconds, 2),
        "pipeline_chunks_per_second": round(pipeline_rate, 2),
        "encode_chunks_per_second": round(encode_rate, 2),
        "ratio": round(pipeline_rate / encode_rate, 3),
        "goal": ">= 0.85",
    }
