from haystack import Document, component

from indexes import ScrutinyIndex, text_sha256


@component
class TextDuplicateFilter:
    """Stops files whose text is already stored, or already in this batch, from being chunked
    and embedded again: they differ from a stored file in bytes only (the same minutes saved
    again into a later meeting's pack) and become extra sources of that document.

    Usage:
        text_filter = TextDuplicateFilter(index=index)
        text_filter.run(documents=converted, duplicates=byte_duplicates)
    """

    def __init__(self, index: ScrutinyIndex):
        """:param index: The open index to compare against."""
        self.index = index

    @component.output_types(documents=list[Document], duplicates=list[dict])
    def run(self, documents: list[Document], duplicates: list[dict] | None = None):
        """
        :param documents: Converted documents (meta has `source`, `document_id`, `replaces`,
            `also_sources`, `content_sha256`).
        :param duplicates: Byte-identical duplicates found before conversion, passed on.
        :returns: The `documents` with new text, and all `duplicates`: those passed in plus
            `{"source", "document_id", "n_chunks", "replaces", "content_sha256"}` per file whose
            text is stored under another document.
        """
        found = list(duplicates or [])
        kept: dict[str, Document] = {}
        for document in documents:
            text_hash = text_sha256(document.content or "")
            entries = [{"source": document.meta["source"], "replaces": document.meta.get("replaces")}, *document.meta.get("also_sources", [])]
            if text_hash in kept:
                first = kept[text_hash]
                first.meta["also_sources"] = [*first.meta.get("also_sources", []), *entries]
                first.meta["variant_sha256s"] = [*first.meta.get("variant_sha256s", []), document.meta.get("content_sha256")]
                found += [{"source": e["source"], "document_id": first.meta["document_id"], "n_chunks": None, "in_run": True} for e in entries]
                continue
            stored = self.index.document_with_text(text_hash)
            if stored is not None and stored["document_id"] != document.meta["document_id"]:
                sidecar = document.meta.get("sidecar") or {}
                for entry in entries:
                    found.append({
                        "source": entry["source"],
                        "document_id": stored["document_id"],
                        "n_chunks": stored.get("n_chunks", 0),
                        # The source already belongs to the document it duplicates: nothing to drop.
                        "replaces": entry.get("replaces") if entry.get("replaces") != stored["document_id"] else None,
                        "content_sha256": document.meta.get("content_sha256"),
                        "access": sidecar.get("access"),
                        "access_source": sidecar.get("access_source"),
                    })
                continue
            kept[text_hash] = document
        return {"documents": list(kept.values()), "duplicates": found}
