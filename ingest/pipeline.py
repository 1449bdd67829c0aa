"""The indexing pipeline, assembled in one place, and the batch runner the CLI calls."""

import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from haystack import Pipeline, logging  # noqa: E402
from haystack.utils import ComponentDevice  # noqa: E402
from haystack_integrations.components.embedders.sentence_transformers import (  # noqa: E402
    SentenceTransformersDocumentEmbedder,
)
from tqdm import tqdm  # noqa: E402

from indexes import ScrutinyIndex, SearchFilter, text_sha256  # noqa: E402
from councils.ofsted import OFSTED_FACTS_VERSION, read_report  # noqa: E402
from ingest.chunking import MAX_WORDS  # noqa: E402
from ingest.components.bm25_sparse_embedder import Bm25SparseEmbedder  # noqa: E402
from ingest.components.change_detector import ChangeDetector  # noqa: E402
from ingest.components.commitment_extractor import COMMITMENTS_VERSION, CommitmentExtractor  # noqa: E402
from ingest.components.index_writer import IndexWriter  # noqa: E402
from ingest.components.metadata_enricher import MetadataEnricher, classify_access  # noqa: E402
from ingest.components.source_converter import SourceConverter  # noqa: E402
from ingest.components.source_fetcher import SourceFetcher  # noqa: E402
from ingest.components.structure_splitter import StructureSplitter  # noqa: E402
from ingest.components.text_duplicate_filter import TextDuplicateFilter  # noqa: E402
from ingest.limits import IngestLimits  # noqa: E402
from ingest.sources import collect_sources  # noqa: E402

logger = logging.getLogger(__name__)

# Files per pipeline run: enough chunks per encode call to keep batching efficient, few enough
# that an interruption loses little work.
FILES_PER_BATCH = 16


def build_indexing_pipeline(
    index: ScrutinyIndex,
    *,
    pdf_backend: str = "pdfium",
    embed_batch_size: int = 32,
    max_words: int = MAX_WORDS,
    limits: IngestLimits | None = None,
) -> Pipeline:
    """Sources -> documents -> chunks -> dense and sparse vectors -> index. Not warmed up.

    `limits` caps each file (`ingest.limits`); None: the defaults and the environment."""
    limits = IngestLimits() if limits is None else limits
    pipeline = Pipeline()
    pipeline.add_component("fetcher", SourceFetcher(max_bytes=limits.max_file_bytes))
    pipeline.add_component("detector", ChangeDetector(index=index))
    pipeline.add_component("converter", SourceConverter(pdf_backend=pdf_backend, limits=limits))
    pipeline.add_component("text_filter", TextDuplicateFilter(index=index))
    pipeline.add_component("enricher", MetadataEnricher())
    pipeline.add_component("splitter", StructureSplitter(max_words=max_words, max_chunks=limits.max_chunks))
    pipeline.add_component(
        "dense",
        SentenceTransformersDocumentEmbedder(
            model=index.settings.model,
            device=ComponentDevice.from_str("cpu"),
            meta_fields_to_embed=["context"],
            normalize_embeddings=True,
            batch_size=embed_batch_size,
            progress_bar=False,
            local_files_only=True,
        ),
    )
    pipeline.add_component("sparse", Bm25SparseEmbedder(avg_len=index.settings.bm25_avg_len))
    pipeline.add_component("writer", IndexWriter(index=index))

    # Files that are new or changed go on to conversion; the rest stop at the detector.
    pipeline.connect("fetcher.streams", "detector.streams")
    pipeline.connect("detector.changed", "converter.streams")
    # Converted files whose text is already stored join the byte duplicates as extra sources.
    pipeline.connect("detector.duplicates", "text_filter.duplicates")
    pipeline.connect("converter.documents", "text_filter.documents")
    pipeline.connect("text_filter.duplicates", "writer.duplicates")
    # Unchanged files reach the writer only to take an access level given to them this run.
    pipeline.connect("detector.unchanged", "writer.unchanged")
    # Whole documents go to the splitter; those it splits (within the chunk limit) go on to
    # the writer for their records.
    pipeline.connect("text_filter.documents", "enricher.documents")
    pipeline.connect("enricher.documents", "splitter.documents")
    pipeline.connect("splitter.documents", "writer.documents")
    # Chunks: dense vector, then BM25 vector, then storage.
    pipeline.connect("splitter.chunks", "dense.documents")
    pipeline.connect("dense.documents", "sparse.documents")
    pipeline.connect("sparse.documents", "writer.chunks")
    return pipeline


@dataclass
class IngestSummary:
    documents: int = 0
    chunks: int = 0
    written: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failed: list[dict] = field(default_factory=list)
    skipped: int = 0
    deleted: int = 0
    commitments: int = 0
    # Stored documents whose access level this run changed (without re-embedding them).
    relabelled: int = 0
    # Chunks and commitments left without a document record by an earlier, killed run.
    orphans_removed: int = 0
    seconds: float = 0.0
    chunks_per_second: float = 0.0
    interrupted: bool = False

    def as_dict(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        return (
            f"{self.documents} documents, {self.chunks} chunks ({self.written} written), "
            f"{self.unchanged} unchanged, {self.duplicates} duplicates, {len(self.failed)} failed"
            + (f", {self.skipped} other files skipped" if self.skipped else "")
            + (f", {self.deleted} sources deleted" if self.deleted else "")
            + (f", {self.commitments} commitments recorded" if self.commitments else "")
            + (f", {self.relabelled} access levels changed" if self.relabelled else "")
            + (f", {self.orphans_removed} orphan chunks and commitments removed" if self.orphans_removed else "")
            + f" in {self.seconds:.1f} s ({self.chunks_per_second:.1f} chunks/s)"
            + (" - INTERRUPTED, run again to finish" if self.interrupted else "")
        )


def run_ingest(
    arguments: list[str],
    index: ScrutinyIndex,
    *,
    show_progress: bool = True,
    files_per_batch: int = FILES_PER_BATCH,
    pdf_backend: str = "pdfium",
    max_words: int = MAX_WORDS,
    access: str | None = None,
    limits: IngestLimits | None = None,
) -> IngestSummary:
    """Ingest files, folders and URLs into `index`, batch by batch. A KeyboardInterrupt stops
    after flushing what was written; every stored document is complete, so a re-run finishes.

    :param access: The access level of every source of this run (`--access`); None: each
        document's sidecar, folder rule or markings decide (`ingest.sources`).
    :param limits: Per-file caps; None: `IngestLimits()`.
    """
    started = time.perf_counter()
    collected = collect_sources(arguments, access=access)
    summary = IngestSummary(failed=list(collected.failed), skipped=collected.skipped)
    # What a killed run left (chunks written, record not): removed before anything else.
    found = index.integrity()
    if found.orphan_chunks or found.orphan_commitments:
        index.repair(found, incomplete=False)
        summary.orphans_removed = sum(found.orphan_chunks.values()) + sum(found.orphan_commitments.values())
    chunk_counts: dict[str, int] = {}
    pipeline = build_indexing_pipeline(index, pdf_backend=pdf_backend, max_words=max_words, limits=limits)
    pipeline.warm_up()
    sources = collected.sources
    bar = tqdm(total=len(sources), unit="file", disable=not show_progress, dynamic_ncols=True)
    try:
        for first in range(0, len(sources), files_per_batch):
            batch = sources[first : first + files_per_batch]
            # Each document as its record lands: counted even if the batch stops half-way.
            landed: list[dict] = []
            try:
                result = pipeline.run(
                    {
                        "fetcher": {"sources": [s.source for s in batch], "sidecars": {s.source: s.sidecar for s in batch}},
                        "writer": {"on_stored": landed.append},
                    },
                    include_outputs_from={"detector", "converter", "text_filter", "writer", "fetcher", "splitter"},
                )
            finally:
                for entry in landed:
                    chunk_counts[entry["document_id"]] = entry["n_chunks"]
                    summary.written += entry["n_chunks"]
            summary.failed += result["fetcher"]["failed"] + result["converter"]["failed"] + result["splitter"]["failed"]
            for entry in result["detector"]["unchanged"]:
                summary.unchanged += 1
                chunk_counts[entry["document_id"]] = entry["n_chunks"]
            for entry in result["text_filter"]["duplicates"]:
                summary.duplicates += 1
                if entry["n_chunks"] is not None:
                    chunk_counts.setdefault(entry["document_id"], entry["n_chunks"])
            summary.relabelled += result["writer"]["relabelled"]
            bar.update(len(batch))
            bar.set_postfix(chunks=summary.written, failed=len(summary.failed))
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        bar.close()
        index.flush()
    if not summary.interrupted:
        merge_same_text_documents(index, chunk_counts)
        refresh_access(index, summary.failed)
        summary.commitments = refresh_commitments(index, summary.failed)
        refresh_ofsted_facts(index, summary.failed)
    if not summary.interrupted and summary.written:
        index.optimize()
    summary.documents = len(chunk_counts)
    summary.chunks = sum(chunk_counts.values())
    summary.seconds = round(time.perf_counter() - started, 2)
    summary.chunks_per_second = round(summary.written / summary.seconds, 2) if summary.seconds else 0.0
    return summary


# What a stored record that breaks a contract raises while it is re-read (a date that is not
# a date, a missing field): the record is skipped and reported, the others carry on.
BAD_RECORD_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError)


def _report_bad_record(failed: list[dict] | None, record: dict, step: str, error: Exception) -> None:
    logger.warning("stored document {document} skipped by {step}: {error}", document=record.get("document_id"), step=step, error=error)
    if failed is not None:
        source = (record.get("sources") or [None])[0] or f"document {record.get('document_id')}"
        failed.append({"source": source, "reason": f"stored document {record.get('document_id')} skipped by {step}: {error.__class__.__name__}: {error}; re-ingest or --delete it"})


def merge_same_text_documents(index: ScrutinyIndex, chunk_counts: dict[str, int] | None = None) -> int:
    """Documents stored before text identity was recorded may repeat one another's words in
    other bytes. Record each one's text identity, then keep one document per text — the one whose
    first source sorts first (the earliest meeting's copy) — with every copy's sources, and drop
    the rest. Returns the number of documents merged away."""
    by_text: dict[str, list[dict]] = {}
    for record in index.iter_documents(fields=["document_id", "sources", "text_sha256", "content_sha256", "variant_sha256s"]):
        if not record.get("text_sha256"):
            record["text_sha256"] = text_sha256(index.get_document(record["document_id"])["text"])
            index.set_document_fields(record["document_id"], {"text_sha256": record["text_sha256"]})
        by_text.setdefault(record["text_sha256"], []).append(record)
    merged = 0
    for copies in by_text.values():
        if len(copies) < 2:
            continue
        keep, *others = sorted(copies, key=lambda r: sorted(r.get("sources") or [""])[0])
        sources = list(dict.fromkeys([*keep["sources"], *(s for other in others for s in other["sources"])]))
        variants = list(dict.fromkeys([*(keep.get("variant_sha256s") or []), *(other.get("content_sha256") for other in others if other.get("content_sha256"))]))
        for other in others:
            index.delete_document(other["document_id"])
            if chunk_counts is not None:
                chunk_counts.pop(other["document_id"], None)
            merged += 1
        index.set_document_fields(keep["document_id"], {"sources": sources, "variant_sha256s": variants})
        logger.info("{n} copies of {document} stored once", n=len(copies), document=keep["document_id"])
    return merged


def refresh_access(index: ScrutinyIndex, failed: list[dict] | None = None) -> int:
    """Give documents stored before access levels (no `access`) a level from their stored title
    and text, by the same markings as at ingest (`classify_access`), on the record, its chunks
    and its commitments, without re-embedding. Returns how many documents were given one."""
    missing = [d for d in index.iter_documents(fields=["document_id", "access", "sources"]) if not d.get("access")]
    for summary in missing:
        try:
            record = index.get_document(summary["document_id"])
            level = classify_access(record.get("doc_type"), record.get("title"), record.get("text"))
        except BAD_RECORD_ERRORS as e:
            _report_bad_record(failed, summary, "the access refresh", e)
            continue
        index.set_access(summary["document_id"], level, "detected")
    index.flush()
    return len(missing)


def refresh_ofsted_facts(index: ScrutinyIndex, failed: list[dict] | None = None) -> int:
    """(Re-)read the facts of stored Ofsted reports whose facts predate the current reader
    (councils.ofsted), from stored text only: an index built before facts carried offsets gains
    them without re-embedding. Returns how many reports were read again; a record that cannot
    be read is skipped and reported in `failed`."""
    stale = [
        d
        for d in index.iter_documents(SearchFilter(doc_types=["ofsted_report"]), fields=["document_id", "ofsted", "sources"])
        if (d.get("ofsted") or {}).get("version") != OFSTED_FACTS_VERSION
    ]
    for summary in stale:
        try:
            record = index.get_document(summary["document_id"])
            pages = record.get("pages") or [[0, len(record["text"])]]
            facts = read_report(record["text"], pages[0][1]).as_meta()
        except BAD_RECORD_ERRORS as e:
            _report_bad_record(failed, summary, "the Ofsted facts refresh", e)
            continue
        index.set_document_fields(summary["document_id"], {"ofsted": facts})
    index.flush()
    return len(stale)


def refresh_commitments(index: ScrutinyIndex, failed: list[dict] | None = None) -> int:
    """(Re-)extract commitments from stored minutes whose record predates the current rules.
    Reads stored text only, so an index built before the register existed gains one without
    re-embedding. Returns how many commitments were written; a record that cannot be read
    (a stored date that is not a date) is skipped and reported in `failed`."""
    extractor = CommitmentExtractor(avg_len=index.settings.bm25_avg_len)
    stale = [
        d
        for d in index.iter_documents(SearchFilter(doc_types=["minutes"]), fields=["document_id", "commitments_version", "sources"])
        if d.get("commitments_version") != COMMITMENTS_VERSION
    ]
    written = 0
    for summary in stale:
        document_id = summary["document_id"]
        try:
            record = index.get_document(document_id)
            commitments = extractor.run(documents=[record])["commitments"][document_id]
        except BAD_RECORD_ERRORS as e:
            _report_bad_record(failed, summary, "the commitments refresh", e)
            continue
        index.put_commitments(document_id, commitments)
        index.set_document_fields(document_id, {"commitments_version": COMMITMENTS_VERSION})
        written += len(commitments)
    index.flush()
    return written


def delete_sources(arguments: list[str], index: ScrutinyIndex) -> IngestSummary:
    """Forget each named file or URL; a document goes when none of its sources remain."""
    started = time.perf_counter()
    summary = IngestSummary()
    for argument in arguments:
        source = argument if argument.startswith(("http://", "https://")) else str(Path(argument).expanduser().resolve())
        if index.remove_source(source) is None:
            summary.failed.append({"source": argument, "reason": "not in the index"})
        else:
            summary.deleted += 1
    index.flush()
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary
