"""What is stored: the two collections, their vectors, payload fields and payload indexes.

`chunks` holds one point per passage (dense MiniLM vector + BM25 sparse vector with IDF) and the
payload needed to cite it. `documents` holds one point per distinct document (by content hash):
its metadata, every source it was seen under and the full text that chunk offsets index into.
"""

import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

# Bump when the payload layout, chunking or vectors change: an index built with another
# version is refused rather than silently mixed.
SCHEMA_VERSION = 1

DENSE_VECTOR = "dense"
SPARSE_VECTOR = "bm25"
TITLE_SPARSE_VECTOR = "title_bm25"

DOC_TYPES = ("minutes", "ofsted_report", "news", "report")

# Payload fields with an index, and their type: keyword or integer.
CHUNK_PAYLOAD_INDEXES = {
    "document_id": "keyword",
    "authority": "keyword",
    "doc_type": "keyword",
    "body": "keyword",
    "date_int": "integer",
    "access": "keyword",
}
DOCUMENT_PAYLOAD_INDEXES = {
    "document_id": "keyword",
    "authority": "keyword",
    "doc_type": "keyword",
    "body": "keyword",
    "date_int": "integer",
    "sources": "keyword",
    "text_sha256": "keyword",
    "access": "keyword",
}

COMMITMENT_PAYLOAD_INDEXES = {
    "document_id": "keyword",
    "authority": "keyword",
    "body": "keyword",
    "date_int": "integer",
    "due_int": "integer",
    "access": "keyword",
}

_ID_NAMESPACE = uuid.UUID("5c1e7a3e-3b1f-4f0e-9a55-2d1b7c0f9e11")


def text_sha256(text: str) -> str:
    """Identity of a document's words: files that differ in bytes but not in text (a PDF saved
    again into another meeting's pack) have the same one."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def point_id(key: str) -> str:
    """A stable point id (UUID) derived from a content key."""
    return str(uuid.uuid5(_ID_NAMESPACE, key))


def date_int(date: str | None) -> int | None:
    """'2019-12-03' -> 20191203, the integer the date filters range over."""
    if not date:
        return None
    return int(date[:10].replace("-", ""))


@dataclass
class SparseVector:
    indices: list[int]
    values: list[float]


@dataclass
class ChunkRecord:
    """One passage to store: its exact text, where it sits in its document, and its vectors."""

    document_id: str
    chunk_index: int
    text: str
    start: int
    end: int
    dense: list[float]
    sparse: SparseVector
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return point_id(f"{self.document_id}:{self.chunk_index}:{self.start}:{self.end}")

    def payload(self) -> dict[str, Any]:
        payload = dict(self.meta)
        payload.update(
            document_id=self.document_id,
            chunk_index=self.chunk_index,
            text=self.text,
            start=self.start,
            end=self.end,
            date_int=date_int(self.meta.get("date")),
        )
        return payload


@dataclass
class DocumentRecord:
    """One distinct document: metadata, all sources it came from, full text and page offsets."""

    document_id: str
    text: str
    sources: list[str]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return point_id(f"document:{self.document_id}")

    def payload(self) -> dict[str, Any]:
        payload = dict(self.meta)
        payload.update(
            document_id=self.document_id,
            text=self.text,
            sources=list(self.sources),
            date_int=date_int(self.meta.get("date")),
            text_sha256=text_sha256(self.text),
        )
        return payload


@dataclass
class CommitmentRecord:
    """An undertaking found in minutes, with its exact span in the document text."""

    document_id: str
    start: int
    end: int
    quote: str
    sparse: SparseVector
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return point_id(f"commitment:{self.document_id}:{self.start}:{self.end}")

    def payload(self) -> dict[str, Any]:
        payload = dict(self.meta)
        payload.update(
            commitment_id=self.id,
            document_id=self.document_id,
            quote=self.quote,
            start=self.start,
            end=self.end,
            date_int=date_int(self.meta.get("date")),
            due_int=date_int(self.meta.get("due_date")),
        )
        return payload


@dataclass
class ChunkHit:
    """A passage returned by a query, with its fused or raw score."""

    id: str
    score: float
    payload: dict[str, Any]
    dense: list[float] | None = None
    # The raw cosine similarity to the query (an absolute measure, unlike a fused score); for a
    # passage only BM25 found, the lowest dense score retrieved (its similarity is below that).
    dense_score: float | None = None
