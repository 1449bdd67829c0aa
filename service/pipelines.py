"""The query pipelines, assembled in one place and shared by the API, the CLI and eval."""

import os

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from haystack import Pipeline  # noqa: E402

from indexes import ScrutinyIndex  # noqa: E402
from service.components.extractive_answerer import ExtractiveAnswerer  # noqa: E402
from service.components.hybrid_retriever import HybridRetriever  # noqa: E402
from service.components.onnx_text_embedder import OnnxTextEmbedder  # noqa: E402
from service.components.passage_deduplicator import PassageDeduplicator  # noqa: E402
from service.components.query_expander import GlossaryQueryExpander  # noqa: E402
from service.settings import ServiceSettings  # noqa: E402


def build_search_pipeline(index: ScrutinyIndex, settings: ServiceSettings, *, expand_glossary: bool = True, with_vectors: bool = False) -> Pipeline:
    """query -> glossary expansion -> dense embedding -> hybrid retrieval -> de-duplication."""
    pipeline = Pipeline()
    pipeline.add_component("expander", GlossaryQueryExpander(enabled=expand_glossary))
    pipeline.add_component("embedder", OnnxTextEmbedder(model=index.settings.model))
    pipeline.add_component(
        "retriever",
        HybridRetriever(
            index=index,
            top_k=settings.default_k,
            prefetch_limit=settings.prefetch_limit,
            weights=settings.fusion_weights,
            with_vectors=with_vectors,
        ),
    )
    pipeline.add_component("deduplicator", PassageDeduplicator(top_k=settings.default_k))
    # The expanded query feeds both the dense and the BM25 branch.
    pipeline.connect("expander.expanded", "embedder.text")
    pipeline.connect("expander.expanded", "retriever.query_text")
    pipeline.connect("embedder.embedding", "retriever.query_embedding")
    pipeline.connect("retriever.passages", "deduplicator.passages")
    return pipeline


def build_ask_pipeline(index: ScrutinyIndex, settings: ServiceSettings, *, expand_glossary: bool = True) -> Pipeline:
    """The search pipeline followed by extractive answering over its passages."""
    # The answerer measures each passage's cosine similarity, so the retriever returns vectors.
    pipeline = build_search_pipeline(index, settings, expand_glossary=expand_glossary, with_vectors=True)
    pipeline.add_component(
        "answerer",
        ExtractiveAnswerer(
            min_confidence=settings.min_confidence,
            semantic_weight=settings.semantic_weight,
            passages_considered=settings.answer_passages,
        ),
    )
    # The answerer reads the original question, its vector, the glossary additions and the passages.
    pipeline.connect("expander.query", "answerer.question")
    pipeline.connect("expander.additions", "answerer.additions")
    pipeline.connect("embedder.embedding", "answerer.query_embedding")
    pipeline.connect("deduplicator.passages", "answerer.passages")
    return pipeline
