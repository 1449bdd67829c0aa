from collections.abc import Callable
from datetime import UTC, datetime

from haystack import Document, component

from councils.access import ACCESS_LEVELS
from indexes import ChunkRecord, DocumentRecord, ScrutinyIndex, SparseVector
from ingest.version import PIPELINE_VERSION

DOCUMENT_META_FIELDS = (
    "title", "doc_type", "authority", "body", "date", "date_source", "url", "n_chunks", "n_pages",
    "pages", "content_sha256", "ofsted", "format", "file_name", "variant_sha256s", "access", "access_source",
)


def stricter(a: str | None, b: str | None) -> str | None:
    """The more restricted of two access levels (None: not given)."""
    given = [level for level in (a, b) if level in ACCESS_LEVELS]
    return max(given, key=ACCESS_LEVELS.index) if given else None


@component
class IndexWriter:
    """Writes documents and their embedded chunks through the index, records the extra sources of
    duplicate files, and drops what a changed file used to be.

    A document is stored chunks first, record last (`ScrutinyIndex.put_document`): the record
    is the commit point. An access level given explicitly for a file already stored (`--access`,
    a sidecar or folder rule) is applied to its document, chunks and commitments without
    re-embedding: for the same source it replaces the stored level, for a new copy of a stored
    document the stricter of the two wins.

    Usage:
        writer = IndexWriter(index=index)
        writer.run(documents=documents, chunks=chunks, duplicates=[], unchanged=[])
    """

    def __init__(self, index: ScrutinyIndex):
        """:param index: The open index to write to."""
        self.index = index

    @component.output_types(written=int, stored=list[dict], relabelled=int)
    def run(
        self,
        documents: list[Document],
        chunks: list[Document],
        duplicates: list[dict] | None = None,
        unchanged: list[dict] | None = None,
        on_stored: Callable[[dict], None] | None = None,
    ):
        """
        :param documents: Whole documents with metadata.
        :param chunks: Their chunks, with dense and sparse embeddings.
        :param duplicates: Sources whose bytes or text are already stored (`ChangeDetector`,
            `TextDuplicateFilter`).
        :param unchanged: Sources stored as they are (`ChangeDetector`), with the access level
            this run gives them, if any.
        :param on_stored: Called with each `stored` entry as soon as its record is written, so a
            run interrupted mid-batch still knows what landed.
        :returns: `written`, the number of chunks written, `stored`, one
            `{"document_id", "n_chunks", "sources"}` per document written, and `relabelled`,
            the documents whose access level changed without being rewritten.
        """
        by_document: dict[str, list[Document]] = {}
        for chunk in chunks:
            by_document.setdefault(chunk.meta["document_id"], []).append(chunk)
        written = 0
        stored = []
        for document in documents:
            document_id = document.meta["document_id"]
            level = self._level_kept(document)
            records = [
                ChunkRecord(
                    document_id=document_id,
                    chunk_index=c.meta["chunk_index"],
                    text=c.content,
                    start=c.meta["start"],
                    end=c.meta["end"],
                    dense=list(c.embedding),
                    sparse=SparseVector(indices=list(c.sparse_embedding.indices), values=list(c.sparse_embedding.values)),
                    meta={k: v for k, v in c.meta.items() if k not in ("document_id", "chunk_index", "start", "end")} | level,
                )
                for c in by_document.get(document_id, [])
            ]
            existing = self.index.has_document(document_id)
            extra = [entry["source"] for entry in document.meta.get("also_sources", [])]
            sources = list(dict.fromkeys([document.meta["source"], *extra, *((existing or {}).get("sources", []))]))
            meta = {k: document.meta.get(k) for k in DOCUMENT_META_FIELDS} | level
            # When it was written, for the coverage statement ("last ingest").
            meta.update(pipeline_version=PIPELINE_VERSION, n_chunks=len(records), indexed_at=datetime.now(UTC).isoformat(timespec="seconds"))
            if existing is not None:
                # Re-processed under a new pipeline version: old chunks may not be overwritten one for one.
                self.index.delete_document(document_id)
            self.index.put_document(DocumentRecord(document_id, document.content, sources, meta), records)
            written += len(records)
            stored.append({"document_id": document_id, "n_chunks": len(records), "sources": sources})
            if on_stored is not None:
                on_stored(stored[-1])
            for replaced in [{"source": document.meta["source"], "replaces": document.meta.get("replaces")}, *document.meta.get("also_sources", [])]:
                if replaced.get("replaces"):
                    self.index.remove_source(replaced["source"], replaced["replaces"])
        relabelled = 0
        for duplicate in duplicates if duplicates is not None else []:
            if duplicate.get("in_run"):
                continue
            record = self.index.has_document(duplicate["document_id"])
            if record is not None and duplicate["source"] not in record.get("sources", []):
                self.index.set_sources(duplicate["document_id"], [*record["sources"], duplicate["source"]])
            variant = duplicate.get("content_sha256")
            if record is not None and variant and variant not in (record.get("variant_sha256s") or []):
                # Same text in other bytes: remembered, so the file counts as unchanged next time.
                self.index.set_document_fields(duplicate["document_id"], {"variant_sha256s": [*(record.get("variant_sha256s") or []), variant]})
            if duplicate.get("replaces"):
                self.index.remove_source(duplicate["source"], duplicate["replaces"])
            if record is not None and duplicate.get("access"):
                level = stricter(record.get("access"), duplicate["access"])
                relabelled += self._relabel(record, level, duplicate.get("access_source"))
        for entry in unchanged if unchanged is not None else []:
            if entry.get("access"):
                relabelled += self._relabel(self.index.has_document(entry["document_id"]), entry["access"], entry.get("access_source"))
        self.index.flush()
        return {"written": written, "stored": stored, "relabelled": relabelled}

    def _level_kept(self, document: Document) -> dict:
        """A new version of a stored paper whose level nobody gave in this run keeps the old
        version's level when that is stricter: editing a paper ingested with `--access
        restricted` must not make it public. Returns the `access` fields to store, or {}."""
        if document.meta.get("access_source") != "detected":
            return {}
        previous_ids = [document.meta["document_id"], document.meta.get("replaces"), *(e.get("replaces") for e in document.meta.get("also_sources", []))]
        level, source = document.meta.get("access"), None
        for previous in filter(None, (self.index.has_document(i) for i in dict.fromkeys(filter(None, previous_ids)))):
            kept = stricter(level, previous.get("access"))
            if kept != level:
                level, source = kept, f"kept from the earlier version ({previous.get('access_source') or 'stored'})"
        return {"access": level, "access_source": source} if source else {}

    def _relabel(self, record: dict | None, level: str, source: str | None) -> int:
        if record is None or record.get("access") == level:
            return 0
        self.index.set_access(record["document_id"], level, source)
        return 1
