"""The server backend: a Qdrant server through qdrant-client (`:memory:` for its in-process
mode, which speaks the same API and is used by the congruence tests)."""

import logging
from typing import Any

from qdrant_client import QdrantClient
from qdrant_client import models as qm

from indexes.backends.base import Collection, HybridQuery, PointData
from indexes.errors import IndexBackendError, IndexSchemaError
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

_INDEX_TYPES = {"keyword": qm.PayloadSchemaType.KEYWORD, "integer": qm.PayloadSchemaType.INTEGER}


def _sparse(vector: SparseVector) -> qm.SparseVector:
    return qm.SparseVector(indices=vector.indices, values=vector.values)


def server_filter(search_filter: SearchFilter | None) -> qm.Filter | None:
    if search_filter is None or search_filter.is_empty():
        return None
    must: list[Any] = [
        qm.FieldCondition(key=key, match=qm.MatchAny(any=values))
        for key, values in search_filter.keyword_conditions().items()
    ]
    low, high = search_filter.date_range()
    if low is not None or high is not None:
        must.append(qm.FieldCondition(key="date_int", range=qm.Range(gte=low, lte=high)))
    must_not = []
    if search_filter.exclude_document_ids:
        must_not.append(qm.FieldCondition(key="document_id", match=qm.MatchAny(any=search_filter.exclude_document_ids)))
    return qm.Filter(must=must or None, must_not=must_not or None)


def _selector(fields: list[str] | None):
    return qm.PayloadSelectorInclude(include=fields) if fields else True


class ServerBackend:
    """Collections `<collection>_chunks` and `<collection>_documents` on a Qdrant server."""

    def __init__(self, url: str, api_key: str | None, collection: str, dimension: int):
        try:
            self._client = QdrantClient(location=":memory:") if url == ":memory:" else QdrantClient(url=url, api_key=api_key)
            self._names = {name: f"{collection}_{name}" for name in ("chunks", "documents", "commitments")}
            self._ensure(
                self._names["chunks"],
                {DENSE_VECTOR: qm.VectorParams(size=dimension, distance=qm.Distance.COSINE)},
                {SPARSE_VECTOR: qm.SparseVectorParams(modifier=qm.Modifier.IDF)},
                CHUNK_PAYLOAD_INDEXES,
                dimension,
            )
            self._ensure(
                self._names["documents"],
                {},
                {TITLE_SPARSE_VECTOR: qm.SparseVectorParams(modifier=qm.Modifier.IDF)},
                DOCUMENT_PAYLOAD_INDEXES,
                None,
            )
            self._ensure(
                self._names["commitments"],
                {},
                {SPARSE_VECTOR: qm.SparseVectorParams(modifier=qm.Modifier.IDF)},
                COMMITMENT_PAYLOAD_INDEXES,
                None,
            )
        except IndexSchemaError:
            raise
        except Exception as e:
            raise IndexBackendError(f"cannot open the Qdrant collections at {url}: {e}") from e

    def _ensure(self, name, vectors, sparse_vectors, payload_indexes, dimension):
        if self._client.collection_exists(name):
            if dimension is not None:
                existing = self._client.get_collection(name).config.params.vectors
                size = existing[DENSE_VECTOR].size if isinstance(existing, dict) and DENSE_VECTOR in existing else None
                if size != dimension:
                    raise IndexSchemaError(f"collection {name} has dense size {size}, expected {dimension}")
            # A collection made before a field was indexed gains its payload index.
            indexed = self._client.get_collection(name).payload_schema or {}
            for field_name in payload_indexes.keys() - indexed.keys():
                self._client.create_payload_index(name, field_name, _INDEX_TYPES[payload_indexes[field_name]])
            return
        self._client.create_collection(name, vectors_config=vectors, sparse_vectors_config=sparse_vectors)
        for field_name, kind in payload_indexes.items():
            self._client.create_payload_index(name, field_name, _INDEX_TYPES[kind])

    def _call(self, action: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            raise IndexBackendError(f"Qdrant server failed to {action}: {e}") from e

    def upsert(self, collection: Collection, points: list[PointData]) -> None:
        if not points:
            return
        structs = []
        for point in points:
            vector: dict[str, Any] = {}
            if point.dense is not None:
                vector[DENSE_VECTOR] = point.dense
            for name, sparse in (point.sparse or {}).items():
                vector[name] = _sparse(sparse)
            structs.append(qm.PointStruct(id=point.id, vector=vector, payload=point.payload))
        self._call("upsert", self._client.upsert, self._names[collection], points=structs, wait=True)

    def delete(self, collection: Collection, search_filter: SearchFilter) -> None:
        qfilter = server_filter(search_filter)
        if qfilter is None:
            raise ValueError("refusing to delete with an empty filter")
        self._call("delete", self._client.delete, self._names[collection], points_selector=qm.FilterSelector(filter=qfilter), wait=True)

    def set_payload(self, collection: Collection, point_id: str, payload: dict[str, Any]) -> None:
        self._call("set payload", self._client.set_payload, self._names[collection], payload=payload, points=[point_id], wait=True)

    def retrieve(self, collection, ids, fields=None):
        records = self._call("retrieve", self._client.retrieve, self._names[collection], ids=ids, with_payload=_selector(fields))
        return [dict(record.payload or {}) for record in records]

    def scroll(self, collection, search_filter, limit, offset, fields=None):
        records, next_offset = self._call(
            "scroll",
            self._client.scroll,
            self._names[collection],
            scroll_filter=server_filter(search_filter),
            limit=limit,
            offset=offset,
            with_payload=_selector(fields),
        )
        return [dict(record.payload or {}) for record in records], (str(next_offset) if next_offset is not None else None)

    def count(self, collection, search_filter):
        result = self._call("count", self._client.count, self._names[collection], count_filter=server_filter(search_filter), exact=True)
        return result.count

    def facet(self, collection, key, search_filter, limit):
        response = self._call("facet", self._client.facet, self._names[collection], key=key, facet_filter=server_filter(search_filter), limit=limit, exact=True)
        return [(hit.value, hit.count) for hit in response.hits]

    def query(self, query: HybridQuery, search_filter: SearchFilter | None, fields: list[str] | None = None) -> list[ChunkHit]:
        qfilter = server_filter(search_filter)
        name = self._names["chunks"]
        common = dict(query_filter=qfilter, limit=query.limit, with_payload=_selector(fields), with_vectors=[DENSE_VECTOR] if query.with_dense else False)
        if query.mode == "dense" or (query.mode == "hybrid" and query.sparse is None):
            response = self._call("query", self._client.query_points, name, query=query.dense, using=DENSE_VECTOR, **common)
        elif query.mode == "sparse" or query.dense is None:
            response = self._call("query", self._client.query_points, name, query=_sparse(query.sparse), using=SPARSE_VECTOR, **common)
        else:
            prefetch = [
                qm.Prefetch(query=query.dense, using=DENSE_VECTOR, limit=query.prefetch_limit, filter=qfilter),
                qm.Prefetch(query=_sparse(query.sparse), using=SPARSE_VECTOR, limit=query.prefetch_limit, filter=qfilter),
            ]
            fusion = qm.RrfQuery(rrf=qm.Rrf(k=query.rrf_k, weights=list(query.weights) if query.weights else None))
            response = self._call("query", self._client.query_points, name, prefetch=prefetch, query=fusion, **common)
        return [
            ChunkHit(
                id=str(p.id),
                score=p.score,
                payload=dict(p.payload or {}),
                dense=list(p.vector[DENSE_VECTOR]) if query.with_dense and isinstance(p.vector, dict) and DENSE_VECTOR in p.vector else None,
            )
            for p in response.points
        ]

    def flush(self) -> None:
        """Writes wait for the server, so there is nothing to flush."""

    def optimize(self) -> None:
        """The server runs its optimizers itself."""

    def close(self) -> None:
        self._client.close()

    def set_payload_by_filter(self, collection: Collection, search_filter: SearchFilter, payload: dict[str, Any]) -> None:
        """Set payload fields on every point the filter matches (e.g. all chunks of a document)."""
        qfilter = server_filter(search_filter)
        if qfilter is None:
            raise ValueError("refusing to set payload with an empty filter")
        self._call(
            "set payload", self._client.set_payload, self._names[collection], payload=payload, points=qm.FilterSelector(filter=qfilter), wait=True
        )
