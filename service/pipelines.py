"""The query pipelines, assembled in one place and shared by the API, the CLI and eval."""

import os

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from haystack import Pipeline  # noqa: E402

from indexes import ScrutinyIndex  # noqa: E402
from service.components.extractive_answerer import ExtractiveAnswerer  # noqa: E402
from service.components.hybrid_retriever import HybridRetriever  # noqa: E402
from service.components.inspection_fact_finder import InspectionFactFinder  # noqa: E402
from service.components.onnx_text_embedder import OnnxTextEmbedder  # noqa: E402
from service.components.passage_deduplicator import PassageDeduplicator  # noqa: E402
from service.components.query_expander import GlossaryQueryExpander  # noqa: E402
from service.components.question_scope import QuestionScope  # noqa: E402
from service.settings import ServiceSettings  # noqa: E402


def build_search_pipeline(
    index: ScrutinyIndex, settings: ServiceSettings, *, expand_glossary: bool = True, read_scope: bool = True, with_vectors: bool = False
) -> Pipeline:
    """query -> glossary expansion -> dense embedding -> hybrid retrieval (within the scope the
    question names) -> de-duplication."""
    pipeline = Pipeline()
    pipeline.add_component("expander", GlossaryQueryExpander(enabled=expand_glossary))
    pipeline.add_component("scope", QuestionScope(enabled=read_scope))
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
    pipeline.connect("expander.query", "scope.question")
    pipeline.connect("scope.filters", "retriever.filters")
    pipeline.connect("scope.fallback_filters", "retriever.fallback_filters")
    pipeline.connect("retriever.passages", "deduplicator.passages")
    return pipeline


def build_ask_pipeline(index: ScrutinyIndex, settings: ServiceSettings, *, expand_glossary: bool = True, read_scope: bool = True) -> Pipeline:
    """The search pipeline followed by answering: first-page facts of the Ofsted report the
    question names, else extractive answering over the passages."""
    # The answerer measures each passage's cosine similarity, so the retriever returns vectors.
    pipeline = build_search_pipeline(index, settings, expand_glossary=expand_glossary, read_scope=read_scope, with_vectors=True)
    pipeline.add_component(
        "answerer",
        ExtractiveAnswerer(
            min_confidence=settings.min_confidence,
            semantic_weight=settings.semantic_weight,
            passages_considered=settings.answer_passages,
        ),
    )
    pipeline.add_component("inspection_facts", InspectionFactFinder(index=index))
    pipeline.connect("expander.query", "inspection_facts.question")
    pipeline.connect("scope.scope", "inspection_facts.scope")
    pipeline.connect("inspection_facts.answer", "answerer.known_answer")
    # The answerer reads the question's topic (its words less the scope), its vector, the glossary additions and the passages.
    pipeline.connect("scope.topic", "answerer.question")
    pipeline.connect("expander.additions", "answerer.additions")
    pipeline.connect("embedder.embedding", "answerer.query_embedding")
    pipeline.connect("deduplicator.passages", "answerer.passages")
    return pipeline
