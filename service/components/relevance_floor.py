from collections.abc import Sequence

from haystack import Document, component

from service.answering.features import coverage
from service.answering.question import analyse
from service.retrieved import Passages

# A passage that holds most of the query's key terms (glossary forms count), or for a long query
# (a question, a claim) this many of them, matches by its words.
MIN_TERM_SHARE = 0.6
ENOUGH_TERMS = 3


@component
class RelevanceFloor:
    """Keeps only passages that match the query, so a search for something the documents never
    discuss ("zzzqqq", "parking fines") finds nothing rather than the least unrelated passages.
    A passage matches by its words (it holds most of the query's key terms) or by its meaning
    (its cosine similarity to the query reaches `floor`, the highest that searches these
    documents do not discuss reach). Fused scores cannot do this: they are normalised within
    each query, so the best of a bad lot always scores 1.

    Usage:
        floor = RelevanceFloor(floor=0.5)
        floor.run(passages=passages, query="caseloads")["passages"]
    """

    def __init__(self, floor: float | None = None, min_term_share: float = MIN_TERM_SHARE):
        """
        :param floor: The cosine similarity (-1 to 1) at which a passage matches by meaning alone;
            None keeps every passage. Calibrated with the answer model (`scrutiny train-answerer`).
        :param min_term_share: Share of the query's key terms a passage must hold to match by words.
        :raises ValueError: for values out of range.
        """
        if floor is not None and not -1 <= floor <= 1:
            raise ValueError(f"floor must be in [-1, 1], got {floor}")
        if not 0 < min_term_share <= 1:
            raise ValueError(f"min_term_share must be in (0, 1], got {min_term_share}")
        self.floor = floor
        self.min_term_share = min_term_share

    @component.output_types(passages=Sequence[Document])
    def run(self, passages: Sequence[Document], query: str = "", additions: list[str] | None = None, floor: float | None = None):
        """
        :param passages: Retrieved passages whose meta carries `dense_score` (None: not known,
            as with rank fusion; such a passage is kept).
        :param query: The user's query (its key terms).
        :param additions: Glossary terms the expander added (their other forms count).
        :param floor: Overrides the configured floor.
        :returns: `passages` that match, in their order.
        """
        floor = self.floor if floor is None else floor
        if floor is None:
            return {"passages": Passages(passages)}
        analysis = analyse(query, additions)
        weights = [1.0] * len(analysis.terms)
        # Terms needed: the share of a short query's terms, at most ENOUGH_TERMS of a long one's.
        needed = min(self.min_term_share, ENOUGH_TERMS / len(analysis.terms)) if analysis.terms else 1.0
        kept = Passages(
            p
            for p in passages
            if p.meta.get("dense_score") is None
            or p.meta["dense_score"] >= floor
            or (analysis.terms and coverage(analysis, weights, p.content or "") >= needed - 1e-9)
        )
        return {"passages": kept}
