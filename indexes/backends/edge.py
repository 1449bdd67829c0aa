"""The embedded backend: Qdrant's own engine (qdrant-edge) in this process, one shard per
collection under the index folder."""

import logging
from pathlib import Path
from typing import Any

import qdrant_edge as edge

from indexes.backends.base import Collection, HybridQuery, PointData
from indexes.errors import IndexBackendError
from indexes.filters import SearchFilter
from indexes.schema import (
    CHUNK_PAYLOAD_INDEXES,
    COMMITMENT_PAYLOAD_INDEXES,
    DENSE_VECTOR,
    DOCUMENT_PAYLOAD_INDEXES,
    SPARSE_VECTOR,
    TITLE_SPARSE_VECTOR,
    ChunkHit,
    SparseVector,
)

logger = logging.getLogger(__name__)

_INDEX_TYPES = {"keyword": edge.PayloadSchemaType.Keyword, "integer": edge.PayloadSchemaType.Integer}


def _sparse(vector: SparseVector) -> edge.SparseVector:
    return edge.SparseVector(indices=vector.indices, values=vector.values)


def edge_filter(search_filter: SearchFilter | None) -> edge.Filter | None:
    if search_filter is None or search_filter.is_empty():
        return None
    must: list[Any] = [
        edge.FieldCondition(key, match=edge.MatchAny(values))
        for key, values in search_filter.keyword_conditions().items()
    ]
    low, high = search_filter.date_range()
    if low is not None or high is not None:
        must.append(edge.FieldCondition("date_int", range=edge.RangeFloat(gte=low, lte=high)))
    must_not = []
    if search_filter.exclude_document_ids:
        must_not.append(edge.FieldCondition("document_id", match=edge.MatchAny(search_filter.exclude_document_ids)))
    return edge.Filter(must=must or None, must_not=must_not or None)


def _dense_of(vector) -> list[float] | None:
    if isinstance(vector, dict):
        return list(vector.get(DENSE_VECTOR) or []) or None
    return None


def _selector(fields: list[str] | None):
    return edge.PayloadSelector.Include(fields) if fields else True


class EdgeBackend:
    """Opens (or creates) the `chunks` and `documents` shards under `path`."""

    def __init__(self, path: Path, dimension: int):
        self.path = path
        try:
            self._shards = {
                "chunks": self._open(
                    path / "chunks",
                    edge.EdgeConfig(
                        vectors={DENSE_VECTOR: edge.EdgeVectorParams(size=dimension, distance=edge.Distance.Cosine)},
                        sparse_vectors={SPARSE_VECTOR: edge.EdgeSparseVectorParams(modifier=edge.Modifier.Idf)},
                    ),
                    CHUNK_PAYLOAD_INDEXES,
                ),
                "documents": self._open(
                    path / "documents",
                    edge.EdgeConfig(
                        sparse_vectors={TITLE_SPARSE_VECTOR: edge.EdgeSparseVectorParams(modifier=edge.Modifier.Idf)},
                    ),
                    DOCUMENT_PAYLOAD_INDEXES,
                ),
                "commitments": self._open(
                    path / "commitments",
                    edge.EdgeConfig(sparse_vectors={SPARSE_VECTOR: edge.EdgeSparseVectorParams(modifier=edge.Modifier.Idf)}),
                    COMMITMENT_PAYLOAD_INDEXES,
                ),
            }
        except Exception as e:  # the engine raises bare Exception subclasses
            raise IndexBackendError(f"cannot open the embedded index at {path}: {e}") from e

    @staticmethod
    def _open(path: Path, config: edge.EdgeConfig, payload_indexes: dict[str, str]) -> edge.EdgeShard:
        if (path / "wal").exists() or any(path.glob("segments*")):
            shard = edge.EdgeShard.load(str(path))
            # An index made before a field was indexed gains its payload index on opening.
            for field_name in payload_indexes.keys() - shard.info().payload_schema.keys():
                shard.update(edge.UpdateOperation.create_field_index(field_name, _INDEX_TYPES[payload_indexes[field_name]]))
            return shard
        shard = edge.EdgeShard.create(str(path), config)
        for field_name, kind in payload_indexes.items():
            shard.update(edge.UpdateOperation.create_field_index(field_name, _INDEX_TYPES[kind]))
        return shard

    def _call(self, action: str, fn, *args):
        try:
            return fn(*args)
        except IndexBackendError:
            raise
        except Exception as e:
            raise IndexBackendError(f"qdrant-edge failed to {action}: {e}") from e

    def upsert(self, collection: Collection, points: list[PointData]) -> None:
        if not points:
            return
        converted = []
        for point in points:
            vector: dict[str, Any] = {}
            if point.dense is not None:
                vector[DENSE_VECTOR] = point.dense
            for name, sparse in (point.sparse or {}).items():
                vector[name] = _sparse(sparse)
            converted.append(edge.Point(point.id, vector, point.payload))
        self._call("upsert", self._shards[collection].update, edge.UpdateOperation.upsert_points(converted))

    def delete(self, collection: Collection, search_filter: SearchFilter) -> None:
        qfilter = edge_filter(search_filter)
        if qfilter is None:
            raise ValueError("refusing to delete with an empty filter")
        self._call("delete", self._shards[collection].update, edge.UpdateOperation.delete_points_by_filter(qfilter))

    def set_payload(self, collection: Collection, point_id: str, payload: dict[str, Any]) -> None:
        self._call("set payload", self._shards[collection].update, edge.UpdateOperation.set_payload([point_id], payload))

    def retrieve(self, collection: Collection, ids: list[str], fields: list[str] | None = None) -> list[dict[str, Any]]:
        records = self._call("retrieve", self._shards[collection].retrieve, ids, _selector(fields), False)
        return [dict(record.payload or {}) for record in records]

    def scroll(self, collection, search_filter, limit, offset, fields=None):
        request = edge.ScrollRequest(
            offset=offset, limit=limit, filter=edge_filter(search_filter), with_payload=_selector(fields), with_vector=False
        )
        records, next_offset = self._call("scroll", self._shards[collection].scroll, request)
        return [dict(record.payload or {}) for record in records], (str(next_offset) if next_offset is not None else None)

    def count(self, collection: Collection, search_filter: SearchFilter | None) -> int:
        return self._call("count", self._shards[collection].count, edge.CountRequest(exact=True, filter=edge_filter(search_filter)))

    def facet(self, collection, key, search_filter, limit):
        request = edge.FacetRequest(key, limit=limit, exact=True, filter=edge_filter(search_filter))
        response = self._call("facet", self._shards[collection].facet, request)
        return [(hit.value, hit.count) for hit in response]

    def query(self, query: HybridQuery, search_filter: SearchFilter | None, fields: list[str] | None = None) -> list[ChunkHit]:
        qfilter = edge_filter(search_filter)
        dense = edge.Query.Nearest(query.dense, using=DENSE_VECTOR) if query.dense is not None else None
        sparse = edge.Query.Nearest(_sparse(query.sparse), using=SPARSE_VECTOR) if query.sparse is not None else None
        with_vector = [DENSE_VECTOR] if query.with_dense else False
        if query.mode == "dense" or (query.mode == "hybrid" and sparse is None):
            request = edge.QueryRequest(limit=query.limit, query=dense, filter=qfilter, with_payload=_selector(fields), with_vector=with_vector)
        elif query.mode == "sparse" or dense is None:
            request = edge.QueryRequest(limit=query.limit, query=sparse, filter=qfilter, with_payload=_selector(fields), with_vector=with_vector)
        else:
            fusion = edge.Fusion.Rrf(k=query.rrf_k, weights=list(query.weights) if query.weights else None)
            request = edge.QueryRequest(
                limit=query.limit,
                prefetches=[
                    edge.Prefetch(limit=query.prefetch_limit, query=dense, filter=qfilter),
                    edge.Prefetch(limit=query.prefetch_limit, query=sparse, filter=qfilter),
                ],
                query=fusion,
                filter=qfilter,
                with_payload=_selector(fields),
                with_vector=with_vector,
            )
        points = self._call("query", self._shards["chunks"].query, request)
        return [
            ChunkHit(id=str(p.id), score=p.score, payload=dict(p.payload or {}), dense=_dense_of(p.vector) if query.with_dense else None)
            for p in points
        ]

    def flush(self) -> None:
        for shard in self._shards.values():
            self._call("flush", shard.flush)

    def optimize(self) -> None:
        for shard in self._shards.values():
            self._call("optimize", shard.optimize)

    def close(self) -> None:
        for shard in self._shards.values():
            try:
                shard.flush()
            finally:
                shard.close()
        self._shards = {}

    def set_payload_by_filter(self, collection: Collection, search_filter: SearchFilter, payload: dict[str, Any]) -> None:
        """Set payload fields on every point the filter matches (e.g. all chunks of a document)."""
        qfilter = edge_filter(search_filter)
        if qfilter is None:
            raise ValueError("refusing to set payload with an empty filter")
        self._call("set payload", self._shards[collection].update, edge.UpdateOperation.set_payload_by_filter(qfilter, payload))
