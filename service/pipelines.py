"""The query pipelines, assembled in one place and shared by the API, the CLI and eval."""

import os

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from haystack import Pipeline  # noqa: E402

from indexes import ScrutinyIndex  # noqa: E402
from service.components.extractive_answerer import RULES_MIN_CONFIDENCE, ExtractiveAnswerer  # noqa: E402
from service.components.learned_answerer import LearnedAnswerer  # noqa: E402
from service.components.hybrid_retriever import HybridRetriever  # noqa: E402
from service.components.inspection_fact_finder import InspectionFactFinder  # noqa: E402
from service.components.onnx_text_embedder import OnnxTextEmbedder  # noqa: E402
from service.components.passage_deduplicator import PassageDeduplicator  # noqa: E402
from service.components.passage_reranker import PassageReranker  # noqa: E402
from service.components.query_expander import GlossaryQueryExpander  # noqa: E402
from service.components.question_scope import QuestionScope  # noqa: E402
from service.components.recorded_vote_finder import RecordedVoteFinder  # noqa: E402
from service.components.relevance_floor import RelevanceFloor  # noqa: E402
from service.settings import ServiceSettings  # noqa: E402


def _reranker(index: ScrutinyIndex, settings: ServiceSettings) -> PassageReranker:
    """/search's reranker (a pipeline holds its own instance of a component)."""
    return PassageReranker(model=index.settings.model, sentence_vectors=str(index.sentence_vectors_folder), top_n=settings.search_reranked)


def build_search_pipeline(
    index: ScrutinyIndex,
    settings: ServiceSettings,
    *,
    expand_glossary: bool = True,
    read_scope: bool = True,
    exact_similarity: bool = False,
    relevance_floor: float | None = None,
    rerank: bool = True,
) -> Pipeline:
    """query -> glossary expansion -> dense embedding -> hybrid retrieval (within the scope the
    question names) -> relevance floor -> de-duplication -> reranking by the answer encoder
    (`rerank`, and `settings.search_reranked` > 0)."""
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
            exact_similarity=exact_similarity,
        ),
    )
    pipeline.add_component("floor", RelevanceFloor(floor=relevance_floor))
    pipeline.add_component("deduplicator", PassageDeduplicator(top_k=settings.default_k))
    # The expanded query feeds both the dense and the BM25 branch.
    pipeline.connect("expander.expanded", "embedder.text")
    pipeline.connect("expander.expanded", "retriever.query_text")
    pipeline.connect("embedder.embedding", "retriever.query_embedding")
    pipeline.connect("expander.query", "scope.question")
    pipeline.connect("scope.filters", "retriever.filters")
    pipeline.connect("scope.fallback_filters", "retriever.fallback_filters")
    # Passages too far from the query are not matches, however they rank.
    pipeline.connect("retriever.passages", "floor.passages")
    pipeline.connect("expander.query", "floor.query")
    pipeline.connect("expander.additions", "floor.additions")
    pipeline.connect("floor.passages", "deduplicator.passages")
    if rerank and settings.search_reranked:
        # Last, over distinct passages: its output, when it is there, is the search's.
        pipeline.add_component("reranker", _reranker(index, settings))
        pipeline.connect("expander.query", "reranker.query")
        pipeline.connect("deduplicator.passages", "reranker.passages")
    return pipeline


def build_ask_pipeline(index: ScrutinyIndex, settings: ServiceSettings, *, expand_glossary: bool = True, read_scope: bool = True) -> Pipeline:
    """The search pipeline followed by answering: first-page facts of the Ofsted report the
    question names, else the vote recorded in minutes that the question asks about, else the
    answer stage (learned by default) over the passages; beside it, the passages shown with the
    answer, reranked as /search reranks (`settings.search_reranked` > 0)."""
    # The answerer weighs each passage's exact cosine similarity, so the retriever measures it for
    # passages only BM25 found too; it judges relevance itself (its calibrated confidence), so no
    # floor is applied. It orders the passages it reads itself, from retrieval's order (which its
    # model learned from), so they are not reranked before it.
    pipeline = build_search_pipeline(index, settings, expand_glossary=expand_glossary, read_scope=read_scope, exact_similarity=True, rerank=False)
    if settings.answerer == "learned":
        answerer = LearnedAnswerer(
            model=index.settings.model,
            min_confidence=settings.min_confidence,
            policy=settings.answer_policy(),
            sentence_vectors=str(index.sentence_vectors_folder),
        )
    else:
        answerer = ExtractiveAnswerer(
            min_confidence=RULES_MIN_CONFIDENCE if settings.min_confidence is None else settings.min_confidence,
            semantic_weight=settings.semantic_weight,
            passages_considered=settings.answer_passages,
        )
    pipeline.add_component("answerer", answerer)
    pipeline.add_component("inspection_facts", InspectionFactFinder(index=index))
    pipeline.connect("expander.query", "inspection_facts.question")
    pipeline.connect("scope.scope", "inspection_facts.scope")
    # How a vote went, read from the minutes that record it, unless the first page answered.
    pipeline.add_component("votes", RecordedVoteFinder(index=index))
    pipeline.connect("expander.query", "votes.question")
    pipeline.connect("scope.topic", "votes.topic")
    pipeline.connect("scope.filters", "votes.filters")
    pipeline.connect("embedder.embedding", "votes.query_embedding")
    pipeline.connect("inspection_facts.answer", "votes.known_answer")
    pipeline.connect("votes.answer", "answerer.known_answer")
    # The answerer reads the question's topic (its words less the scope), the glossary additions and the passages.
    pipeline.connect("scope.topic", "answerer.question")
    pipeline.connect("expander.additions", "answerer.additions")
    pipeline.connect("deduplicator.passages", "answerer.passages")
    if settings.answerer == "learned":
        # Its fine-tuned sentence encoder reads the whole question, as it was trained to.
        pipeline.connect("expander.query", "answerer.asked")
    if settings.search_reranked:
        # The passages shown beside the answer, in the order /search shows them (the answerer
        # still reads retrieval's order).
        pipeline.add_component("shown", _reranker(index, settings))
        pipeline.connect("expander.query", "shown.query")
        pipeline.connect("deduplicator.passages", "shown.passages")
    return pipeline
