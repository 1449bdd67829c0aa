from haystack import component

from councils.text import page_at
from indexes import CommitmentRecord
from indexes.sparse import bm25_encoder
from ingest.commitments import find_commitments

# Bump when the extraction rules change: stored documents are re-read (no re-embedding needed).
COMMITMENTS_VERSION = "1"
CITATION_FIELDS = ("title", "authority", "body", "date", "url", "doc_type", "access")


@component
class CommitmentExtractor:
    """Finds the commitments made in minutes (who undertook what, by when) in stored documents.

    Usage:
        extractor = CommitmentExtractor(avg_len=110)
        extractor.run(documents=[document_record])  # records with text, pages and metadata
    """

    def __init__(self, avg_len: float = 110.0):
        """
        :param avg_len: The index's BM25 average length, for the commitment's sparse vector.
        :raises ValueError: if `avg_len` is not positive.
        """
        if avg_len <= 0:
            raise ValueError(f"avg_len must be positive, got {avg_len}")
        self.avg_len = avg_len

    @component.output_types(commitments=dict[str, list[CommitmentRecord]])
    def run(self, documents: list[dict]):
        """
        :param documents: Stored document records (`text`, `pages`, `sources`, metadata).
        :returns: `commitments`: document id -> its commitments (empty for non-minutes).
        """
        encoder = bm25_encoder(self.avg_len)
        found: dict[str, list[CommitmentRecord]] = {}
        for record in documents:
            if record.get("doc_type") != "minutes":
                found[record["document_id"]] = []
                continue
            pages = record.get("pages") or []
            records = []
            for commitment in find_commitments(record["text"], record.get("date")):
                page = page_at(pages, commitment.start)
                meta = {key: record.get(key) for key in CITATION_FIELDS}
                meta.update(
                    who=commitment.who,
                    due_text=commitment.due_text,
                    due_date=commitment.due_date,
                    page=page,
                    source=(record.get("sources") or [None])[0],
                )
                records.append(
                    CommitmentRecord(
                        document_id=record["document_id"],
                        start=commitment.start,
                        end=commitment.end,
                        quote=commitment.quote,
                        sparse=encoder.embed_document(commitment.quote),
                        meta=meta,
                    )
                )
            found[record["document_id"]] = records
        return {"commitments": found}
