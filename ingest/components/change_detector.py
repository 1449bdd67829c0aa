from haystack import component
from haystack.dataclasses import ByteStream

from indexes import ScrutinyIndex
from ingest.version import PIPELINE_VERSION

DOCUMENT_ID_CHARS = 24  # of the SHA-256 hex digest: 96 bits, ample for a council archive


def document_id_for(content_sha256: str) -> str:
    return content_sha256[:DOCUMENT_ID_CHARS]


@component
class ChangeDetector:
    """Sorts incoming files into new or changed (to process), unchanged (skip) and duplicates of a
    stored or earlier file (record the extra source only). Identity is the file's content hash
    (or, for a file already known to repeat a stored document's text, that document).

    Usage:
        detector = ChangeDetector(index=index)
        detector.run(streams=streams)
    """

    def __init__(self, index: ScrutinyIndex):
        """:param index: The open index to compare against."""
        self.index = index

    @component.output_types(changed=list[ByteStream], unchanged=list[dict], duplicates=list[dict])
    def run(self, streams: list[ByteStream]):
        """
        :param streams: Files as read by `SourceFetcher`.
        :returns: `changed` streams (meta gains `document_id`, `also_sources`, `replaces`),
            `unchanged` and `duplicates` as `{"source", "document_id", "n_chunks", "access",
            "access_source"}` (`access`: the level given to the file explicitly, or None;
            duplicates also carry `replaces`, the document the source pointed to before, if any).
        """
        changed: dict[str, ByteStream] = {}
        unchanged: list[dict] = []
        duplicates: list[dict] = []
        for stream in streams:
            source = stream.meta["source"]
            document_id = document_id_for(stream.meta["content_sha256"])
            previous = self.index.document_for_source(source)
            replaces = previous["document_id"] if previous and previous["document_id"] != document_id else None
            if document_id in changed:
                changed[document_id].meta["also_sources"].append({"source": source, "replaces": replaces})
                duplicates.append({"source": source, "document_id": document_id, "n_chunks": None, "in_run": True})
                continue
            stored = self.index.has_document(document_id)
            if stored is None and previous is not None and stream.meta["content_sha256"] in (previous.get("variant_sha256s") or []):
                # Other bytes with the same text as the document this source already belongs to.
                stored, document_id, replaces = previous, previous["document_id"], None
            if stored is not None and stored.get("pipeline_version") == PIPELINE_VERSION:
                sidecar = stream.meta.get("sidecar") or {}
                entry = {
                    "source": source, "document_id": document_id, "n_chunks": stored.get("n_chunks", 0), "replaces": replaces,
                    # An explicit level for a stored file is applied without re-reading it (IndexWriter).
                    "access": sidecar.get("access"), "access_source": sidecar.get("access_source"),
                }
                if source in stored.get("sources", []):
                    unchanged.append(entry)
                else:
                    duplicates.append(entry)
                continue
            stream.meta.update(document_id=document_id, also_sources=[], replaces=replaces)
            changed[document_id] = stream
        return {"changed": list(changed.values()), "unchanged": unchanged, "duplicates": duplicates}
