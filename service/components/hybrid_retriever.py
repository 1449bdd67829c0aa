from collections.abc import Sequence
from typing import Literal

import numpy as np
from haystack import Document, component

from indexes import ScrutinyIndex, SearchFilter
from service.retrieved import Passages, RetrievedPassage

Mode = Literal["hybrid", "dense", "sparse"]


@component
class HybridRetriever:
    """Retrieves passages from the index: the query's dense vector and BM25 vector, each
    prefetched and fused (by reciprocal rank in one Qdrant query, or by normalised score as the
    index settings say), under the request's filters.

    Usage:
        retriever = HybridRetriever(index=index, top_k=10)
        retriever.run(query_embedding=vector, query_text="no further action")
    """

    def __init__(
        self,
        index: ScrutinyIndex,
        top_k: int = 10,
        mode: Mode = "hybrid",
        prefetch_limit: int = 50,
        weights: tuple[float, float] | None = None,
        exact_similarity: bool = False,
    ):
        """
        :param index: The open index.
        :param top_k: Passages returned by default.
        :param mode: "hybrid" (default), "dense" or "sparse" (BM25 only).
        :param prefetch_limit: Candidates each branch contributes to the fusion.
        :param weights: Fusion weights of the (dense, BM25) branches; None weighs them equally.
        :param exact_similarity: Give every passage its exact cosine similarity to the query as
            `dense_score` (the answerers weigh it); otherwise `dense_score` is what the index
            gives: under score fusion a passage only BM25 found carries a stand-in, the lowest
            score the dense branch returned.
        :raises ValueError: for a mode outside those three, non-positive limits or weights.
        """
        if mode not in ("hybrid", "dense", "sparse"):
            raise ValueError(f"mode must be 'hybrid', 'dense' or 'sparse', got {mode!r}")
        if top_k <= 0 or prefetch_limit <= 0:
            raise ValueError(f"top_k and prefetch_limit must be positive, got {top_k} and {prefetch_limit}")
        self.index = index
        self.top_k = top_k
        self.mode = mode
        if weights is not None and (len(weights) != 2 or min(weights) <= 0):
            raise ValueError(f"weights must be two positive numbers (dense, BM25), got {weights}")
        self.prefetch_limit = prefetch_limit
        self.weights = weights
        self.exact_similarity = exact_similarity

    @component.output_types(passages=Sequence[Document])
    def run(
        self,
        query_embedding: np.ndarray | list[float],
        query_text: str,
        filters: SearchFilter | None = None,
        top_k: int | None = None,
        mode: Mode | None = None,
        fallback_filters: SearchFilter | None = None,
    ):
        """
        :param query_embedding: Dense vector of the (expanded) query.
        :param query_text: Text of the (expanded) query, for BM25.
        :param filters: Authority, type, body, date restrictions.
        :param top_k: Overrides the default number of passages.
        :param mode: Overrides the default retrieval mode.
        :param fallback_filters: Tried when `filters` find nothing (filters narrowed by reading
            the question fall back to the request's own).
        :returns: `passages`, best first, each with the stored payload and its `dense_score` (see
            `exact_similarity`) as `meta`, and the fused score: read-only `RetrievedPassage`s in
            a `Passages` sequence, which the pipeline's deep copy of each component's inputs
            passes over quickly. (Not their vectors: nothing downstream reads them.)
        """
        top_k = self.top_k if top_k is None else top_k
        mode = self.mode if mode is None else mode
        query = np.asarray(query_embedding, dtype=np.float32)
        hits = []
        for search_filter in (filters, fallback_filters) if fallback_filters not in (None, filters) else (filters,):
            hits = self.index.search(
                dense=query,
                query_text=query_text,
                search_filter=search_filter,
                limit=top_k,
                mode=mode,
                prefetch_limit=max(self.prefetch_limit, top_k),
                weights=self.weights,
                with_dense=self.exact_similarity,
            )
            if hits:
                break
        passages = Passages(
            RetrievedPassage(
                id=hit.id,
                content=hit.payload.get("text"),
                meta={**hit.payload, "dense_score": float(query @ np.asarray(hit.dense, dtype=np.float32)) if hit.dense is not None else hit.dense_score},
                score=hit.score,
            )
            for hit in hits
        )
        return {"passages": passages}
