"""The operations the index needs from a Qdrant engine, whichever one it is."""

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from indexes.filters import SearchFilter
from indexes.schema import ChunkHit, SparseVector

Collection = Literal["chunks", "documents", "commitments"]
Mode = Literal["hybrid", "dense", "sparse"]


@dataclass
class PointData:
    id: str
    payload: dict[str, Any]
    dense: list[float] | None = None
    sparse: dict[str, SparseVector] | None = None


@dataclass
class HybridQuery:
    """A dense vector and a BM25 query vector, each prefetched, then fused by RRF."""

    dense: list[float] | None
    sparse: SparseVector | None
    mode: Mode
    limit: int
    prefetch_limit: int
    rrf_k: int
    weights: tuple[float, float] | None = None  # (dense, sparse)
    with_dense: bool = False  # return each hit's dense vector (to measure cosine similarity)


class Backend(Protocol):
    def upsert(self, collection: Collection, points: list[PointData]) -> None: ...

    def delete(self, collection: Collection, search_filter: SearchFilter) -> None: ...

    def set_payload(self, collection: Collection, point_id: str, payload: dict[str, Any]) -> None: ...

    def retrieve(self, collection: Collection, ids: list[str], fields: list[str] | None = None) -> list[dict[str, Any]]: ...

    def scroll(
        self,
        collection: Collection,
        search_filter: SearchFilter | None,
        limit: int,
        offset: str | None,
        fields: list[str] | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def count(self, collection: Collection, search_filter: SearchFilter | None) -> int: ...

    def facet(self, collection: Collection, key: str, search_filter: SearchFilter | None, limit: int) -> list[tuple[str, int]]: ...

    def query(self, query: HybridQuery, search_filter: SearchFilter | None, fields: list[str] | None = None) -> list[ChunkHit]: ...

    def flush(self) -> None: ...

    def optimize(self) -> None: ...

    def close(self) -> None: ...

    def set_payload_by_filter(self, collection: Collection, search_filter: SearchFilter, payload: dict[str, Any]) -> None: ...
