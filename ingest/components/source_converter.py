from pathlib import Path
from typing import Literal

from haystack import Document, component, logging
from haystack.dataclasses import ByteStream

from ingest.extract import ExtractionError
from ingest.extract.cleaning import clean_news_paragraphs
from ingest.extract.html import extract_html, looks_like_html
from ingest.extract.pdf import extract_pdf_pages
from ingest.extract.text import extract_text
from ingest.limits import Deadline, IngestLimits, time_limit

logger = logging.getLogger(__name__)

PAGE_SEPARATOR = "\n\n"


def _format_of(stream: ByteStream) -> str:
    name = (stream.meta.get("file_name") or stream.meta.get("source", "")).lower()
    mime = stream.meta.get("mime_type") or ""
    if name.endswith(".pdf") or mime == "application/pdf":
        return "pdf"
    if name.endswith((".html", ".htm")) or "html" in mime or (stream.meta.get("url") and looks_like_html(stream.data)):
        return "html"
    return "text"


@component
class SourceConverter:
    """Turns text, HTML and PDF files into one Document each: the stored text, page offsets for
    PDFs and what the format itself says (HTML title, site name, date).

    A file over one of the `IngestLimits` (pages, decompressed content, characters, seconds)
    is refused by name with the limit it broke.

    Usage:
        converter = SourceConverter(pdf_backend="pdfium", limits=IngestLimits())
        converter.run(streams=streams)
    """

    def __init__(self, pdf_backend: Literal["pdfium", "pypdf"] = "pdfium", limits: IngestLimits | None = None):
        """
        :param pdf_backend: "pdfium" (fast, default) or "pypdf".
        :param limits: Per-file caps; None: `IngestLimits()` (defaults and environment).
        :raises ValueError: for any other backend.
        """
        if pdf_backend not in ("pdfium", "pypdf"):
            raise ValueError(f"pdf_backend must be 'pdfium' or 'pypdf', got {pdf_backend!r}")
        self.pdf_backend = pdf_backend
        self.limits = IngestLimits() if limits is None else limits

    def _convert(self, stream: ByteStream, deadline: Deadline) -> tuple[str, dict]:
        kind = _format_of(stream)
        sidecar = stream.meta.get("sidecar", {})
        if kind == "pdf":
            pages = extract_pdf_pages(stream.data, self.pdf_backend, self.limits, deadline)
            offsets, position = [], 0
            for page in pages:
                offsets.append([position, position + len(page)])
                position += len(page) + len(PAGE_SEPARATOR)
            return PAGE_SEPARATOR.join(pages), {"format": "pdf", "pages": offsets, "n_pages": len(pages)}
        if kind == "html":
            extraction = extract_html(stream.data, self.limits.max_chars)
            return extraction.text, {
                "format": "html",
                "html_title": extraction.title,
                "site_name": extraction.site_name,
                "html_date": extraction.date,
                "is_moderngov": extraction.is_moderngov,
            }
        text = extract_text(stream.data, self.limits.max_chars)
        if sidecar.get("doc_type") == "news":
            text = PAGE_SEPARATOR.join(clean_news_paragraphs(text.split("\n")))
        return text, {"format": "text"}

    @component.output_types(documents=list[Document], failed=list[dict])
    def run(self, streams: list[ByteStream]):
        """
        :param streams: Files to convert (meta from `ChangeDetector`).
        :returns: `documents` with `meta` carried over, and `failed` files with their reason.
        """
        documents: list[Document] = []
        failed: list[dict] = []
        for stream in streams:
            source = stream.meta["source"]
            try:
                with time_limit(self.limits.max_seconds) as deadline:
                    text, extra = self._convert(stream, deadline)
                    deadline.check()
            except ExtractionError as e:
                failed.append({"source": source, "reason": str(e)})
                continue
            except Exception as e:  # a library crash on one file must not stop the batch
                logger.exception("converting {source} failed", source=source)
                failed.append({"source": source, "reason": f"unexpected {e.__class__.__name__}: {e}"})
                continue
            if not text.strip():
                failed.append({"source": source, "reason": "no text after extraction"})
                continue
            meta = {k: v for k, v in stream.meta.items()}
            meta.update(extra)
            meta.setdefault("file_name", Path(source).name)
            documents.append(Document(id=meta["document_id"], content=text, meta=meta))
        return {"documents": documents, "failed": failed}
