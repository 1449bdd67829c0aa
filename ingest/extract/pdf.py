"""PDF: text per page, re-flowed into paragraphs, page by page.

pypdfium2 is the default extractor: on this corpus it gives the same words as pypdf about 18
times faster (540 against 29 pages/s on one core), which keeps extraction small next to
embedding. pypdf remains available (`backend="pypdf"`) and reads the same files.
"""

import io
import re
import zlib
from typing import Literal

from councils.text import PRINTED_BULLETS
from ingest.extract import ExtractionError
from ingest.extract.html import looks_like_html
from ingest.limits import Deadline, IngestLimits, LimitExceededError

PdfBackend = Literal["pdfium", "pypdf"]

# A line that starts a list item is never joined to the line before. Only printed bullets: a line
# opening with an unmapped symbol-font bullet runs on, as the stored texts (and the labelled
# answers' offsets into them) were extracted; the readers of stored text know those glyphs.
ITEM_START = re.compile(
    r"^(?:[" + PRINTED_BULLETS + r"–\-]\s|\(?[a-z]\)\s|\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)\s|\(?\d{1,3}[.)]\s|\(\d{1,3}\)\s|\d{1,3}\.\d{1,2}\.?\s)"
)
_TERMINAL = (".", ":", ";", "!", "?", "”", '"', "’")
# A line ending in one of these words runs on into the next line: never a heading.
RUN_ON_WORDS = frozenset("of the and to a an in for with on by or at from that which as be is are was were its their our".split())
_PAGE_NUMBER = re.compile(r"^(page\s+)?\d{1,4}(\s+of\s+\d{1,4})?$", re.I)


def check_pdf_bytes(data: bytes) -> None:
    if not data.strip():
        raise ExtractionError("empty file")
    if not data[:1024].lstrip().startswith(b"%PDF"):
        if looks_like_html(data):
            raise ExtractionError("an HTML page saved with a .pdf name, not a PDF")
        raise ExtractionError("not a PDF (no %PDF header)")


def _inflated_size(raw: bytes, limit: int) -> int:
    """Bytes a Flate stream inflates to, counted in 64 KB steps and never held: a 1 MB stream
    can inflate to 400 MB. Stops counting once past `limit`."""
    inflater = zlib.decompressobj()
    total, pending = 0, raw
    try:
        while pending and total <= limit:
            total += len(inflater.decompress(pending, 1 << 16))
            pending = inflater.unconsumed_tail
        if total <= limit:
            total += len(inflater.flush())
    except zlib.error:
        pass  # a damaged stream: pdfium reads what inflates, which is counted
    return total


def _stream_size(stream, limit: int) -> int:
    from pypdf.generic import ArrayObject

    filters = stream.get("/Filter")
    filters = list(filters) if isinstance(filters, ArrayObject) else [filters] if filters is not None else []
    if not filters:
        return len(stream._data)
    if filters[0] == "/FlateDecode" and len(filters) == 1:
        return _inflated_size(stream._data, limit)
    # Other or chained filters: pypdf decodes them with its own output caps.
    return len(stream.get_data())


def _page_streams(page) -> list:
    """The content streams pdfium parses to load a page: its /Contents and the Form XObjects
    its resources name, nested forms included."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    found, seen = [], set()

    def add(reference) -> None:
        key = (reference.idnum, reference.generation) if isinstance(reference, IndirectObject) else id(reference)
        if key in seen:
            return
        seen.add(key)
        obj = reference.get_object()
        if isinstance(obj, ArrayObject):
            for item in obj:
                add(item)
            return
        if not isinstance(obj, StreamObject):
            return
        found.append((key, obj))
        forms(obj.get("/Resources"))

    def forms(resources) -> None:
        resources = resources.get_object() if resources is not None else None
        xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
        xobjects = xobjects.get_object() if xobjects is not None else None
        if isinstance(xobjects, DictionaryObject):
            for reference in xobjects.values():
                if reference.get_object().get("/Subtype") == "/Form":
                    add(reference)

    contents = page.get("/Contents")
    if contents is not None:
        add(contents)
    forms(page.get("/Resources"))
    return found


def check_pdf_content(reader, limits: IngestLimits, deadline: Deadline | None = None) -> None:
    """Refuse a PDF whose page count or decompressed page content is over the limits, before
    any page is parsed: pdfium holds a page's whole content while parsing it.

    :raises LimitExceededError: naming the limit.
    """
    if len(reader.pages) > limits.max_pages:
        raise LimitExceededError(f"over the {limits.max_pages}-page limit ({len(reader.pages)} pages)")
    sizes: dict = {}
    for number, page in enumerate(reader.pages, start=1):
        if deadline is not None:
            deadline.check()
        page_bytes = 0
        for key, stream in _page_streams(page):
            if key not in sizes:
                sizes[key] = _stream_size(stream, limits.max_page_content_bytes)
                if sum(sizes.values()) > limits.max_content_bytes:
                    raise LimitExceededError(f"over the {limits.max_content_bytes}-byte limit of decompressed page content")
            page_bytes += sizes[key]
            if page_bytes > limits.max_page_content_bytes:
                raise LimitExceededError(
                    f"over the {limits.max_page_content_bytes}-byte limit of decompressed content on one page (page {number})"
                )


def _pypdf_reader(data: bytes):
    import pypdf
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ExtractionError("encrypted PDF: a password is required to read it")
            except (FileNotDecryptedError, NotImplementedError) as e:
                raise ExtractionError("encrypted PDF: a password is required to read it") from e
        len(reader.pages)
        return reader
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise ExtractionError(f"corrupt PDF: {e}") from e


class _TextBudget:
    """Counts extracted characters and stops extraction at the limit, so a page that draws the
    same string a million times is never held whole."""

    def __init__(self, limits: IngestLimits, deadline: Deadline | None):
        self.limits = limits
        self.deadline = deadline
        self.chars = 0

    def add(self, text: str) -> str:
        self.chars += len(text)
        if self.chars > self.limits.max_chars:
            raise LimitExceededError(f"over the {self.limits.max_chars}-character limit")
        if self.deadline is not None:
            self.deadline.check()
        return text


def _pages_pdfium(data: bytes, limits: IngestLimits, deadline: Deadline | None) -> list[str]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise ExtractionError("encrypted PDF: a password is required to read it") from e
        raise ExtractionError(f"corrupt PDF: {e}") from e
    try:
        # The page count first: it costs nothing, unlike reading a 30,000-page tree with pypdf.
        if len(document) > limits.max_pages:
            raise LimitExceededError(f"over the {limits.max_pages}-page limit ({len(document)} pages)")
        try:
            reader = _pypdf_reader(data)
        except ExtractionError as e:
            raise ExtractionError(f"cannot check the PDF's content before reading it ({e})") from e
        check_pdf_content(reader, limits, deadline)
        budget = _TextBudget(limits, deadline)
        pages = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(budget.add(textpage.get_text_bounded()))
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()


def _pages_pypdf(data: bytes, limits: IngestLimits, deadline: Deadline | None) -> list[str]:
    from pypdf.errors import PdfReadError

    reader = _pypdf_reader(data)
    check_pdf_content(reader, limits, deadline)
    budget = _TextBudget(limits, deadline)
    try:
        return [budget.add(page.extract_text() or "") for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as e:
        raise ExtractionError(f"corrupt PDF: {e}") from e


def reflow_page(text: str) -> str:
    """Join the wrapped lines of a page into paragraphs separated by blank lines.

    A new paragraph starts at a bullet or numbered item, after a short line that ends a
    sentence, and after a short line with no punctuation (a heading). Running page numbers
    are dropped.
    """
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    while lines and _PAGE_NUMBER.match(lines[0]):
        lines.pop(0)
    while lines and _PAGE_NUMBER.match(lines[-1]):
        lines.pop()
    if not lines:
        return ""
    width = max(len(line) for line in lines)
    paragraphs: list[list[str]] = [[lines[0]]]
    for previous, line in zip(lines, lines[1:]):
        short = len(previous) < 0.8 * width
        breaks = (
            ITEM_START.match(line)
            or (short and previous.endswith(_TERMINAL))
            or (
                len(previous) < 0.6 * width
                and len(previous.split()) <= 10
                and "," not in previous
                and (len(paragraphs[-1]) == 1)
                and line[:1].isupper()
                and not previous.endswith((",", "-", "–", *_TERMINAL))
                and previous.rsplit(" ", 1)[-1].lower() not in RUN_ON_WORDS
            )
        )
        if breaks:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    joined = []
    for paragraph in paragraphs:
        out = paragraph[0]
        for line in paragraph[1:]:
            out = out + line if out.endswith("-") and not out.endswith(" -") else out + " " + line
        joined.append(re.sub(r"[ \t\u00a0]+", " ", out))
    return "\n\n".join(joined)


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _without_running_lines(pages: list[str]) -> list[str]:
    """Drop running headers and footers: lines among the first or last three of a page whose
    shape (digits ignored) recurs on at least half the pages (and three of them)."""
    split = [page.replace("\r\n", "\n").replace("\r", "\n").split("\n") for page in pages]
    if len(split) < 3:
        return pages
    counts: dict[str, int] = {}
    for lines in split:
        edges = [line for line in lines if line.strip()]
        for shape in {_shape(line) for line in edges[:3] + edges[-3:]}:
            counts[shape] = counts.get(shape, 0) + 1
    running = {shape for shape, n in counts.items() if n >= max(3, len(split) // 2) and len(shape) > 3}
    cleaned = []
    for lines in split:
        edges = [i for i, line in enumerate(lines) if line.strip()]
        edge_set = set(edges[:3] + edges[-3:])
        cleaned.append("\n".join(line for i, line in enumerate(lines) if not (i in edge_set and _shape(line) in running)))
    return cleaned


def extract_pdf_pages(
    data: bytes, backend: PdfBackend = "pdfium", limits: IngestLimits | None = None, deadline: Deadline | None = None
) -> list[str]:
    """Re-flowed text of each page (empty string for a page without text).

    :raises ExtractionError: not a PDF, encrypted, corrupt, or without any text.
    :raises LimitExceededError: over the page, content, character or time limit.
    """
    check_pdf_bytes(data)
    limits = IngestLimits() if limits is None else limits
    raw_pages = _pages_pdfium(data, limits, deadline) if backend == "pdfium" else _pages_pypdf(data, limits, deadline)
    if not raw_pages:
        raise ExtractionError("PDF has no pages")
    pages = [reflow_page(page) for page in _without_running_lines(raw_pages)]
    if not any(page.strip() for page in pages):
        raise ExtractionError("PDF has no extractable text (scanned images?)")
    return pages
