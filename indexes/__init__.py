"""What an index is: settings, schema, the backends (embedded qdrant-edge or a Qdrant server),
queries and errors. The only package that imports Qdrant modules."""

from indexes.errors import (
    DocumentNotFoundError,
    IndexBackendError,
    IndexError_,
    IndexLockedError,
    IndexSchemaError,
)
from indexes.filters import SearchFilter
from indexes.schema import DOC_TYPES, SCHEMA_VERSION, ChunkHit, ChunkRecord, CommitmentRecord, DocumentRecord, SparseVector, text_sha256
from indexes.sentence_vectors import SentenceVectors, SentenceVectorsError
from indexes.settings import IndexSettings
from indexes.store import ScrutinyIndex, open_index

__all__ = [
    "DOC_TYPES",
    "SCHEMA_VERSION",
    "ChunkHit",
    "ChunkRecord",
    "CommitmentRecord",
    "DocumentNotFoundError",
    "DocumentRecord",
    "IndexBackendError",
    "IndexError_",
    "IndexLockedError",
    "IndexSchemaError",
    "IndexSettings",
    "ScrutinyIndex",
    "SearchFilter",
    "SentenceVectors",
    "SentenceVectorsError",
    "SparseVector",
    "open_index",
    "text_sha256",
]
