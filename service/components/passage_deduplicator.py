import re
from collections.abc import Sequence
from typing import Literal

from haystack import Document, component

from service.retrieved import Passages

_WORDS = re.compile(r"\w+")
EDGE_WORDS = 6
# Characters read at each end for those words: enough for six words of most text.
EDGE_CHARS = 120


def _shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    words = _WORDS.findall(text.lower())
    return {tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def edge_words(text: str) -> tuple[list[str], list[str]]:
    """The first and the last EDGE_WORDS words of `text`, lower-cased, read from its ends only
    (a search compares 50 passages; splitting each whole costs more than the rest)."""
    head = _WORDS.findall(text[:EDGE_CHARS].lower())
    tail = _WORDS.findall(text[-EDGE_CHARS:].lower())
    # A slice may cut a word in two; with more words than needed, the cut one is not kept.
    if len(head) > EDGE_WORDS and len(tail) > EDGE_WORDS:
        return head[:EDGE_WORDS], tail[-EDGE_WORDS:]
    words = _WORDS.findall(text.lower())
    return words[:EDGE_WORDS], words[-EDGE_WORDS:]


@component
class PassageDeduplicator:
    """Drops near-identical passages (the same minutes filed twice under different names, a
    report quoted in its covering paper) and optionally orders the rest by date.

    Usage:
        deduplicator = PassageDeduplicator(threshold=0.8)
        deduplicator.run(passages=passages, sort="date")
    """

    def __init__(self, threshold: float = 0.8, top_k: int = 10):
        """
        :param threshold: Word-trigram Jaccard similarity at or above which a lower-ranked
            passage is a duplicate of a higher-ranked one.
        :param top_k: Passages kept after de-duplication.
        :raises ValueError: if threshold is not in (0, 1] or top_k is not positive.
        """
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        if top_k <= 0:
            raise ValueError(f"top_k must be positive, got {top_k}")
        self.threshold = threshold
        self.top_k = top_k

    @component.output_types(passages=Sequence[Document])
    def run(self, passages: Sequence[Document], sort: Literal["relevance", "date"] | None = None, top_k: int | None = None):
        """
        :param passages: Retrieved passages, best first.
        :param sort: "relevance" (default) or "date" (newest first, undated last).
        :param top_k: Overrides how many passages are kept.
        :returns: `passages`, the distinct ones, at most `top_k`.
        """
        top_k = self.top_k if top_k is None else top_k
        kept: list[Document] = []
        # Only passages that open or close with the same words can be near-identical, so each
        # passage is compared with those few, not with every kept one.
        by_edge: dict[tuple, list[int]] = {}
        shingles: dict[int, set] = {}

        def shingles_of(position: int) -> set:
            if position not in shingles:
                shingles[position] = _shingles(passages[position].content or "")
            return shingles[position]

        for position, passage in enumerate(passages):
            head, tail = edge_words(passage.content or "")
            edges = [("head", *head), ("tail", *tail)]
            similar = {other for edge in edges for other in by_edge.get(edge, [])}
            mine = shingles_of(position) if similar else set()
            if any(len(mine & shingles_of(o)) / len(mine | shingles_of(o)) >= self.threshold for o in similar):
                continue
            kept.append(passage)
            for edge in edges:
                by_edge.setdefault(edge, []).append(position)
        selected = kept[:top_k]
        if sort == "date":
            selected = sorted(selected, key=lambda p: p.meta.get("date") or "", reverse=True)
        return {"passages": Passages(selected)}
