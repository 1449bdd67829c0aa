from haystack import Document, component

from councils.text import page_at
from ingest.chunking import MAX_WORDS, chunk_spans

CHUNK_META_FIELDS = ("document_id", "title", "doc_type", "authority", "body", "date", "source", "url", "access")


@component
class StructureSplitter:
    """Splits each document into passages at its own structure (agenda items, question-and-answer
    bullets, numbered paragraphs, news paragraphs) within the embedding model's window.

    Each chunk's content is exactly `document.content[start:end]`. A document that would make
    more than `max_chunks` chunks is refused whole (`failed`), never stored in part.

    Usage:
        splitter = StructureSplitter(max_words=170, max_chunks=5000)
        splitter.run(documents=documents)
    """

    def __init__(self, max_words: int = MAX_WORDS, min_words: int = 30, news_words: int = 120, max_chunks: int = 5000):
        """
        :param max_words: Longest passage in words; all-MiniLM-L6-v2 reads 256 word pieces,
            about 180 words of council prose plus the context header.
        :param min_words: Shorter items are joined with the next one.
        :param news_words: Target length for packed news paragraphs.
        :param max_chunks: Most chunks one document may make (`IngestLimits.max_chunks`).
        :raises ValueError: if the bounds are not 0 < min_words < max_words <= 230, or
            `max_chunks` is not positive.
        """
        if max_chunks <= 0:
            raise ValueError(f"max_chunks must be positive, got {max_chunks}")
        if not 0 < min_words < max_words <= 230:
            raise ValueError(f"need 0 < min_words < max_words <= 230, got min_words={min_words}, max_words={max_words}")
        if not 0 < news_words <= max_words:
            raise ValueError(f"news_words must be in (0, max_words], got {news_words}")
        self.max_words = max_words
        self.min_words = min_words
        self.news_words = news_words
        self.max_chunks = max_chunks

    @component.output_types(chunks=list[Document], documents=list[Document], failed=list[dict])
    def run(self, documents: list[Document]):
        """
        :param documents: Documents with metadata (`MetadataEnricher`).
        :returns: `chunks` with `start`, `end`, `page`, `page_end`, `section`, `chunk_index` and
            the document's citation metadata; `documents`, those split (the others are in
            `failed`, `{"source", "reason"}`).
        """
        chunks: list[Document] = []
        kept: list[Document] = []
        failed: list[dict] = []
        for document in documents:
            text = document.content or ""
            pages = document.meta.get("pages")
            spans = chunk_spans(text, document.meta.get("doc_type", "report"), self.max_words, self.min_words, self.news_words)
            if len(spans) > self.max_chunks:
                failed.append({"source": document.meta.get("source"), "reason": f"over the {self.max_chunks}-chunk limit ({len(spans)} chunks)"})
                continue
            kept.append(document)
            for index, span in enumerate(spans):
                meta = {key: document.meta.get(key) for key in CHUNK_META_FIELDS}
                header = document.meta.get("context", "")
                if span.section and span.section not in header:
                    header = f"{header} | {span.section}" if header else span.section
                meta.update(
                    chunk_index=index,
                    start=span.start,
                    end=span.end,
                    section=span.section,
                    page=page_at(pages, span.start),
                    page_end=page_at(pages, span.end - 1),
                    context=header,
                )
                chunks.append(Document(content=text[span.start:span.end], meta=meta))
        return {"chunks": chunks, "documents": kept, "failed": failed}
