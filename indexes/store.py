"""The index: the one object ingest writes through and the service reads through."""

import fcntl
import json
import logging
import os
import sys
from dataclasses import dataclass, field, replace
from hashlib import blake2b
from pathlib import Path
from typing import Any, Sequence

from indexes.backends.base import Backend, HybridQuery, Mode, PointData
from indexes.errors import DocumentNotFoundError, IndexLockedError, IndexSchemaError
from indexes.filters import SearchFilter
from councils.access import check_level
from indexes.scope import ScopeMissingError, current_levels, is_unrestricted
from indexes.schema import (
    SCHEMA_VERSION,
    SPARSE_VECTOR,
    TITLE_SPARSE_VECTOR,
    ChunkHit,
    ChunkRecord,
    CommitmentRecord,
    DocumentRecord,
    point_id,
)
from indexes.settings import IndexSettings
from indexes.sentence_vectors import SentenceVectors
from indexes.sparse import Bm25Encoder, bm25_encoder

logger = logging.getLogger(__name__)

# Document fields returned by listings (everything but the full text).
DOCUMENT_SUMMARY_FIELDS = [
    "document_id", "title", "doc_type", "authority", "body", "date", "sources", "url",
    "n_chunks", "n_pages", "content_sha256", "ofsted", "date_source", "pipeline_version", "commitments_version",
    "text_sha256", "variant_sha256s", "access", "access_source",
]
# Chunk fields a search hit carries (the embedding header is not needed by readers).
CHUNK_HIT_FIELDS = [
    "document_id", "chunk_index", "text", "start", "end", "page", "page_end", "section",
    "title", "doc_type", "authority", "body", "date", "source", "url", "access",
]
MAX_SCROLL_PAGE = 1000


class _ProcessLock:
    """An advisory lock on the embedded index folder, naming its holder for the error message."""

    def __init__(self, folder: Path, holder: dict[str, Any]):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / ".lock"
        self._handle = self.path.open("a+")
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._handle.seek(0)
            try:
                current = json.loads(self._handle.read() or "{}")
            except json.JSONDecodeError:
                current = {}
            self._handle.close()
            raise IndexLockedError(str(folder), current) from None
        self._handle.seek(0)
        self._handle.truncate()
        self._handle.write(json.dumps(holder))
        self._handle.flush()

    def update(self, **holder: Any) -> None:
        current = {}
        self._handle.seek(0)
        try:
            current = json.loads(self._handle.read() or "{}")
        except json.JSONDecodeError:
            pass
        current.update(holder)
        self._handle.seek(0)
        self._handle.truncate()
        self._handle.write(json.dumps(current))
        self._handle.flush()

    def release(self) -> None:
        if not self._handle.closed:
            self._handle.seek(0)
            self._handle.truncate()
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()


class ScrutinyIndex:
    """Documents and their chunks, stored in Qdrant; search over chunks.

    Usage:
        with open_index(IndexSettings(index_path="var/index")) as index:
            hits = index.search(dense=vector, query_text="no further action", limit=5)
    """

    def __init__(self, backend: Backend, settings: IndexSettings, lock: _ProcessLock | None = None):
        self.backend = backend
        self.settings = settings
        self._lock = lock
        # The service sets this: every read then needs a reader's scope (indexes.scope).
        self.require_scope = False

    def __enter__(self) -> "ScrutinyIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def sparse_encoder(self) -> Bm25Encoder:
        return bm25_encoder(self.settings.bm25_avg_len)

    def announce(self, **holder: Any) -> None:
        """Record who holds the embedded index (a service records its URL here)."""
        if self._lock is not None:
            self._lock.update(**holder)

    # -- the reader's scope -------------------------------------------------------------------

    def _levels(self) -> tuple[str, ...] | None:
        """The access levels the current reader sees; None: everything."""
        levels = current_levels()
        if levels is None:
            if self.require_scope:
                raise ScopeMissingError("the index was read outside a reader's scope")
            return None
        return None if is_unrestricted(levels) else levels

    def _scoped(self, search_filter: SearchFilter | None) -> SearchFilter | None:
        """The filter with the reader's access levels added, so Qdrant itself leaves out what
        the reader may not see (in results, counts and facets alike)."""
        levels = self._levels()
        if levels is None:
            return search_filter
        search_filter = search_filter or SearchFilter()
        if search_filter.access is not None:
            levels = tuple(level for level in levels if level in search_filter.access)
        return replace(search_filter, access=levels)

    def _may_read(self, record: dict[str, Any]) -> bool:
        levels = self._levels()
        return levels is None or record.get("access") in levels

    # -- documents ---------------------------------------------------------------------------

    def get_document(self, document_id: str, with_text: bool = True) -> dict[str, Any]:
        """A document by id; one the reader may not see is reported as not found, so its
        existence does not leak."""
        fields = None if with_text else DOCUMENT_SUMMARY_FIELDS
        found = self.backend.retrieve("documents", [point_id(f"document:{document_id}")], fields)
        if not found or not self._may_read(found[0]):
            raise DocumentNotFoundError(document_id)
        return found[0]

    def has_document(self, document_id: str) -> dict[str, Any] | None:
        try:
            return self.get_document(document_id, with_text=False)
        except DocumentNotFoundError:
            return None

    def document_for_source(self, source: str) -> dict[str, Any] | None:
        records, _ = self.backend.scroll("documents", self._scoped(SearchFilter(sources=[source])), 1, None, DOCUMENT_SUMMARY_FIELDS)
        return records[0] if records else None

    def document_with_text(self, text_hash: str) -> dict[str, Any] | None:
        """The stored document with these words (`schema.text_sha256`), if any."""
        records, _ = self.backend.scroll("documents", self._scoped(SearchFilter(text_hashes=[text_hash])), 1, None, DOCUMENT_SUMMARY_FIELDS)
        return records[0] if records else None

    def put_document(self, document: DocumentRecord, chunks: list[ChunkRecord]) -> None:
        """Store a document's chunks, then its record: the record is written last, so a document
        whose record exists is complete, and an interrupted one is redone on the next run.

        If the write stops before the record lands (an error, Ctrl-C), the chunks just written
        are removed again; what a killed process leaves (chunks without a record) is found and
        removed by `integrity` / `repair`, which the next ingest runs first."""
        try:
            self.backend.upsert(
                "chunks",
                [
                    PointData(id=c.id, payload=c.payload(), dense=c.dense, sparse={SPARSE_VECTOR: c.sparse})
                    for c in chunks
                ],
            )
            title_vector = self.sparse_encoder.embed_document(document.meta.get("title") or "")
            self.backend.upsert(
                "documents",
                [PointData(id=document.id, payload=document.payload(), sparse={TITLE_SPARSE_VECTOR: title_vector})],
            )
        except BaseException:
            if not self.backend.retrieve("documents", [document.id], ["document_id"]):
                self.backend.delete("chunks", SearchFilter(document_ids=[document.document_id]))
            raise

    def put_commitments(self, document_id: str, commitments: list[CommitmentRecord]) -> None:
        """Replace the commitments recorded for one document."""
        self.backend.delete("commitments", SearchFilter(document_ids=[document_id]))
        self.backend.upsert(
            "commitments",
            [PointData(id=c.id, payload=c.payload(), sparse={SPARSE_VECTOR: c.sparse}) for c in commitments],
        )

    def iter_commitments(self, search_filter: SearchFilter | None = None):
        offset = None
        while True:
            records, offset = self.backend.scroll("commitments", self._scoped(search_filter), MAX_SCROLL_PAGE, offset, None)
            yield from records
            if offset is None:
                return

    def set_sources(self, document_id: str, sources: list[str]) -> None:
        self.set_document_fields(document_id, {"sources": sources})

    def set_document_fields(self, document_id: str, fields: dict[str, Any]) -> None:
        self.backend.set_payload("documents", point_id(f"document:{document_id}"), fields)

    def delete_document(self, document_id: str) -> None:
        """Remove the record first, so a half-deleted document is never served as complete."""
        self.backend.delete("documents", SearchFilter(document_ids=[document_id]))
        self.backend.delete("chunks", SearchFilter(document_ids=[document_id]))
        self.backend.delete("commitments", SearchFilter(document_ids=[document_id]))

    def remove_source(self, source: str, document_id: str | None = None) -> str | None:
        """Forget one source (of `document_id`, or of whichever document holds it); the document
        goes too when no other source holds it. Returns the document's id, or None if unknown."""
        record = self.has_document(document_id) if document_id else self.document_for_source(source)
        if record is None or source not in record.get("sources", []):
            return None
        remaining = [s for s in record.get("sources", []) if s != source]
        if remaining:
            self.set_sources(record["document_id"], remaining)
        else:
            self.delete_document(record["document_id"])
        return record["document_id"]

    def list_documents(
        self, search_filter: SearchFilter | None = None, limit: int = 50, offset: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        return self.backend.scroll("documents", self._scoped(search_filter), limit, offset, DOCUMENT_SUMMARY_FIELDS)

    def iter_documents(self, search_filter: SearchFilter | None = None, fields: list[str] | None = None):
        offset = None
        while True:
            records, offset = self.backend.scroll("documents", self._scoped(search_filter), MAX_SCROLL_PAGE, offset, fields or DOCUMENT_SUMMARY_FIELDS)
            yield from records
            if offset is None:
                return

    def iter_chunks(self, search_filter: SearchFilter | None = None, fields: list[str] | None = None):
        offset = None
        while True:
            records, offset = self.backend.scroll("chunks", self._scoped(search_filter), MAX_SCROLL_PAGE, offset, fields or CHUNK_HIT_FIELDS)
            yield from records
            if offset is None:
                return

    # -- search ------------------------------------------------------------------------------

    def search(
        self,
        *,
        dense: Sequence[float] | None,
        query_text: str | None,
        search_filter: SearchFilter | None = None,
        limit: int = 10,
        mode: Mode = "hybrid",
        prefetch_limit: int = 50,
        weights: tuple[float, float] | None = None,
        with_dense: bool = False,
    ) -> list[ChunkHit]:
        """Chunks ranked by dense similarity, BM25, or both fused with reciprocal-rank fusion;
        `with_dense` returns each hit's dense vector too. `dense` may be a list or an array."""
        if mode not in ("hybrid", "dense", "sparse"):
            raise ValueError(f"mode must be one of hybrid, dense, sparse; got {mode!r}")
        if dense is not None and not isinstance(dense, list):
            dense = [float(x) for x in dense]
        search_filter = self._scoped(search_filter)
        sparse = self.sparse_encoder.embed_query(query_text) if query_text and mode != "dense" else None
        if sparse is not None and not sparse.indices:
            sparse = None
        if mode == "sparse" and sparse is None:
            return []
        if mode != "sparse" and dense is None:
            raise ValueError(f"mode {mode!r} needs a dense query vector")
        if mode == "hybrid" and sparse is not None and self.settings.fusion == "score":
            return self._score_fused(dense, sparse, search_filter, limit, max(prefetch_limit, limit), weights, with_dense)
        query = HybridQuery(
            dense=dense,
            sparse=sparse,
            mode=mode,
            limit=limit,
            prefetch_limit=max(prefetch_limit, limit),
            rrf_k=self.settings.rrf_k,
            weights=weights,
            with_dense=with_dense,
        )
        hits = self.backend.query(query, search_filter, CHUNK_HIT_FIELDS)
        if mode == "dense":
            hits = [replace(hit, dense_score=hit.score) for hit in hits]
        return hits

    def _score_fused(self, dense, sparse, search_filter, limit, prefetch_limit, weights, with_dense) -> list[ChunkHit]:
        """Convex combination of the branches' min-max normalised scores: unlike rank fusion it
        keeps how far ahead a branch's best passages are (a passage missing from a branch
        scores 0 there)."""
        w_dense, w_sparse = weights or (1.0, 1.0)
        fused: dict[str, float] = {}
        hits: dict[str, ChunkHit] = {}
        dense_scores: dict[str, float] = {}
        dense_floor = None
        for weight, branch_mode in ((w_dense, "dense"), (w_sparse, "sparse")):
            branch = self.backend.query(
                HybridQuery(dense=dense, sparse=sparse, mode=branch_mode, limit=prefetch_limit, prefetch_limit=prefetch_limit,
                            rrf_k=self.settings.rrf_k, weights=None, with_dense=with_dense),
                search_filter,
                CHUNK_HIT_FIELDS,
            )
            if not branch:
                continue
            top, bottom = branch[0].score, branch[-1].score
            if branch_mode == "dense":
                dense_scores = {hit.id: hit.score for hit in branch}
                dense_floor = bottom
            spread = (top - bottom) or 1.0
            for hit in branch:
                fused[hit.id] = fused.get(hit.id, 0.0) + weight / (w_dense + w_sparse) * (hit.score - bottom) / spread
                hits.setdefault(hit.id, hit)
        best = sorted(fused, key=fused.get, reverse=True)[:limit]
        return [
            ChunkHit(id=i, score=fused[i], payload=hits[i].payload, dense=hits[i].dense, dense_score=dense_scores.get(i, dense_floor))
            for i in best
        ]

    def count_chunks(self, search_filter: SearchFilter | None = None) -> int:
        return self.backend.count("chunks", self._scoped(search_filter))

    def count_documents(self, search_filter: SearchFilter | None = None) -> int:
        return self.backend.count("documents", self._scoped(search_filter))

    def facet(self, key: str, search_filter: SearchFilter | None = None, limit: int = 200, collection: str = "chunks") -> list[tuple[str, int]]:
        return self.backend.facet(collection, key, self._scoped(search_filter), limit)

    # -- lifecycle ---------------------------------------------------------------------------

    def flush(self) -> None:
        self.backend.flush()

    def optimize(self) -> None:
        self.backend.optimize()

    @property
    def sentence_vectors_folder(self) -> Path:
        """Where the answer stage's vectors of this index's sentences are kept: the embedded
        index's folder; for a Qdrant server, a folder under `index_path` named for the server and
        collection (each has its own sentences)."""
        if not self.settings.qdrant_url:
            return Path(self.settings.index_path)
        served = blake2b(f"{self.settings.qdrant_url}|{self.settings.collection}".encode(), digest_size=6).hexdigest()
        return Path(self.settings.index_path) / f"server-{served}"

    def sentence_vectors(self, encoder: str, dimension: int) -> SentenceVectors | None:
        """The vectors `encoder` made of this index's sentences, or None.

        :raises SentenceVectorsError: their file is unreadable or of another width.
        """
        return SentenceVectors.load(self.sentence_vectors_folder, encoder, dimension)

    def warm(self) -> int:
        """Read what searches read of every passage once, and return how many were read. An
        embedded shard just opened fetches a passage slowly the first time it is asked for (on the
        whole corpus each branch query took ~2.5x as long on passages not yet read), so a service
        does this before its first user does (~2.5 s, ~40 MB for 50k chunks). A Qdrant server
        keeps its own caches, and reading every point over the network would cost more than it
        saves: nothing is read."""
        if self.settings.qdrant_url:
            return 0
        return sum(1 for _ in self._iter_all("chunks", CHUNK_HIT_FIELDS))

    def close(self) -> None:
        try:
            self.backend.close()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    # -- access levels and integrity (ingest and `scrutiny index check`) ---------------------

    def set_access(self, document_id: str, level: str, source: str | None = None) -> None:
        """Give a stored document another access level: its chunks and commitments first, its
        record last (like a write), without re-embedding anything."""
        level = check_level(level)
        for collection in ("chunks", "commitments"):
            self.backend.set_payload_by_filter(collection, SearchFilter(document_ids=[document_id]), {"access": level})
        self.set_document_fields(document_id, {"access": level, "access_source": source})

    def integrity(self) -> "IndexIntegrity":
        """What an interrupted write or delete can leave behind: chunks and commitments whose
        document record is missing (orphans), and records whose chunk count is not `n_chunks`."""
        documents = {
            d["document_id"]: d.get("n_chunks")
            for d in self._iter_all("documents", ["document_id", "n_chunks"])
        }
        # A facet can list a value whose points were all deleted, with count 0.
        chunk_counts = {d: n for d, n in self.backend.facet("chunks", "document_id", None, max(1, self.backend.count("chunks", None))) if n}
        commitment_counts = {
            d: n for d, n in self.backend.facet("commitments", "document_id", None, max(1, self.backend.count("commitments", None))) if n
        }
        return IndexIntegrity(
            documents=len(documents),
            orphan_chunks={d: n for d, n in chunk_counts.items() if d not in documents},
            orphan_commitments={d: n for d, n in commitment_counts.items() if d not in documents},
            incomplete_documents=sorted(
                d for d, n in documents.items() if isinstance(n, int) and chunk_counts.get(d, 0) != n
            ),
        )

    def repair(self, found: "IndexIntegrity | None" = None, *, incomplete: bool = True) -> "IndexIntegrity":
        """Remove orphan chunks and commitments and (if `incomplete`) incomplete documents, so
        that a re-run ingests them again. Returns what was found and removed."""
        found = self.integrity() if found is None else found
        for collection, orphans in (("chunks", found.orphan_chunks), ("commitments", found.orphan_commitments)):
            ids = sorted(orphans)
            for first in range(0, len(ids), REPAIR_BATCH):
                self.backend.delete(collection, SearchFilter(document_ids=ids[first : first + REPAIR_BATCH]))
        if incomplete:
            for document_id in found.incomplete_documents:
                self.delete_document(document_id)
        self.flush()
        return found

    def _iter_all(self, collection: str, fields: list[str]):
        """Every point's `fields` in one collection, whatever the reader's scope (integrity
        checks must see everything)."""
        offset = None
        while True:
            records, offset = self.backend.scroll(collection, None, MAX_SCROLL_PAGE, offset, fields)
            yield from records
            if offset is None:
                return


def _check_manifest(folder: Path, settings: IndexSettings) -> None:
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "dimension": settings.dimension,
        "bm25_avg_len": settings.bm25_avg_len,
        "model": Path(settings.model).name,
    }
    path = folder / "index.json"
    if path.exists():
        stored = json.loads(path.read_text())
        differing = {k: (stored.get(k), v) for k, v in manifest.items() if stored.get(k) != v}
        if differing:
            detail = ", ".join(f"{k}: index has {a!r}, settings ask for {b!r}" for k, (a, b) in differing.items())
            raise IndexSchemaError(
                f"the index at {folder} was built differently ({detail}); rebuild it into a new --index folder"
            )
    else:
        path.write_text(json.dumps(manifest, indent=2))


def open_index(settings: IndexSettings | None = None, *, purpose: str | None = None) -> ScrutinyIndex:
    """Open the index the settings name: a Qdrant server if `qdrant_url` is set, else the embedded
    engine at `index_path` (created if missing, locked to this process while open).

    :raises IndexLockedError: the embedded index is open in another process.
    :raises IndexSchemaError: the index was built with another schema, model or BM25 setting.
    :raises IndexBackendError: the engine or server failed.
    """
    settings = settings or IndexSettings()
    if settings.qdrant_url:
        from indexes.backends.server import ServerBackend

        backend = ServerBackend(settings.qdrant_url, settings.qdrant_api_key, settings.collection, settings.dimension)
        return ScrutinyIndex(backend, settings)

    from indexes.backends.edge import EdgeBackend

    folder = Path(settings.index_path)
    holder = {"pid": os.getpid(), "command": purpose or " ".join(Path(a).name if i == 0 else a for i, a in enumerate(sys.argv[:2]))}
    lock = _ProcessLock(folder, holder)
    try:
        _check_manifest(folder, settings)
        backend = EdgeBackend(folder / settings.collection, settings.dimension)
    except BaseException:
        lock.release()
        raise
    return ScrutinyIndex(backend, settings, lock)


# Document ids per delete filter when repairing: keeps each filter's MatchAny small.
REPAIR_BATCH = 500


@dataclass
class IndexIntegrity:
    """`ScrutinyIndex.integrity()`: what is wrong, by document id."""

    documents: int
    orphan_chunks: dict[str, int] = field(default_factory=dict)
    orphan_commitments: dict[str, int] = field(default_factory=dict)
    incomplete_documents: list[str] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not (self.orphan_chunks or self.orphan_commitments or self.incomplete_documents)

    def counts(self) -> dict[str, int]:
        return {
            "documents": self.documents,
            "orphan_chunks": sum(self.orphan_chunks.values()),
            "orphan_commitments": sum(self.orphan_commitments.values()),
            "orphan_documents": len(set(self.orphan_chunks) | set(self.orphan_commitments)),
            "incomplete_documents": len(self.incomplete_documents),
        }
