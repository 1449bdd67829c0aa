from dataclasses import replace

from haystack import Document, component
from haystack.dataclasses import SparseEmbedding

from indexes.sparse import bm25_encoder


@component
class Bm25SparseEmbedder:
    """Adds the BM25 term-frequency sparse vector of each chunk's text (with its context header,
    so a search for the authority or committee also matches).

    Usage:
        embedder = Bm25SparseEmbedder(avg_len=110)
        embedder.run(documents=chunks)
    """

    def __init__(self, avg_len: float = 110.0, meta_fields_to_embed: list[str] | None = None):
        """
        :param avg_len: Expected passage length in BM25 tokens; must match the index's setting.
        :param meta_fields_to_embed: Meta fields prefixed to the text, as for the dense embedder.
        :raises ValueError: if `avg_len` is not positive.
        """
        if avg_len <= 0:
            raise ValueError(f"avg_len must be positive, got {avg_len}")
        self.avg_len = avg_len
        self.meta_fields_to_embed = meta_fields_to_embed if meta_fields_to_embed is not None else ["context"]

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]):
        """
        :param documents: Chunks to embed.
        :returns: The chunks with `sparse_embedding` set.
        """
        encoder = bm25_encoder(self.avg_len)
        embedded = []
        for document in documents:
            parts = [str(document.meta[k]) for k in self.meta_fields_to_embed if document.meta.get(k)]
            vector = encoder.embed_document("\n".join([*parts, document.content or ""]))
            embedded.append(replace(document, sparse_embedding=SparseEmbedding(indices=vector.indices, values=vector.values)))
        return {"documents": embedded}
