"""Structure-aware chunking: paragraphs, items and headings found in a document's text, then
packed into passages that fit the embedding model's window. Every chunk is a span of the
document text, so its quote is exact by construction."""

import re
from dataclasses import dataclass

from councils.text import sentence_spans
from ingest.extract.pdf import ITEM_START, RUN_ON_WORDS

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WORD = re.compile(r"\S+")
# Labels that open a part of a ModernGov item, e.g. "Minutes:", "Decision:", "Resolved that:".
_LABEL = re.compile(r"^(minutes|discussion|decision|decisions|resolved|resolved that|purpose|supporting documents|agenda item)\s*:?$", re.I)


# Publisher boilerplate that is not the document's content: Ofsted's back page (and everything
# after its opening paragraph: licence, address, contact lines).
BACK_MATTER = re.compile(
    r"^The Office for Standards in Education, Children[’']s Services and Skills \(Ofsted\) regulates and inspects"
)


@dataclass
class Block:
    start: int
    end: int
    kind: str  # "heading" | "item" | "text"

    def words(self, text: str) -> int:
        return len(_WORD.findall(text[self.start:self.end]))


@dataclass
class Span:
    start: int
    end: int
    section: str | None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, trimmed of surrounding white space."""
    spans = []
    position = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    trimmed = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            trimmed.append((start, end))
    return trimmed


def classify(paragraph: str, max_heading_words: int = 16) -> str:
    stripped = paragraph.strip()
    words = len(stripped.split())
    if ITEM_START.match(stripped):
        # "84. Apologies (Item 1)": a numbered minute title, not a paragraph.
        if words <= 12 and re.search(r"\(Item \d+\)$", stripped):
            return "heading"
        return "item"
    if _LABEL.match(stripped):
        return "heading"
    if (
        words <= max_heading_words
        and (stripped[:1].isupper() or stripped[:1].isdigit())
        and not stripped.endswith((".", ",", ";", "!", "?", "”", '"', "-", "–"))
        and stripped.rsplit(" ", 1)[-1].lower() not in RUN_ON_WORDS
        and "\n" not in stripped
    ):
        return "heading"
    return "text"


def _split_long(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    """Cut an over-long paragraph at sentence ends (at word ends if a sentence is itself too long)."""
    pieces: list[tuple[int, int]] = []
    for s_start, s_end in sentence_spans(text, start, end):
        words = list(_WORD.finditer(text, s_start, s_end))
        if len(words) <= max_words:
            pieces.append((s_start, s_end))
            continue
        for i in range(0, len(words), max_words):
            group = words[i : i + max_words]
            pieces.append((group[0].start(), group[-1].end()))
    packed: list[tuple[int, int]] = []
    count = 0
    for piece in pieces:
        n = len(_WORD.findall(text[piece[0]:piece[1]]))
        if packed and count + n <= max_words:
            packed[-1] = (packed[-1][0], piece[1])
            count += n
        else:
            packed.append(piece)
            count = n
    return packed


# Longest passage in words: room for the context header within the model's 256 word pieces.
MAX_WORDS = 170


def chunk_spans(text: str, doc_type: str, max_words: int = MAX_WORDS, min_words: int = 30, news_words: int = 120) -> list[Span]:
    """Passages of `text`: a new passage at every heading and item (minutes, reports) or packed
    paragraphs (news), never longer than `max_words`."""
    blocks = []
    for start, end in paragraphs(text):
        if BACK_MATTER.match(text[start:end]):
            break
        blocks.append(Block(start, end, classify(text[start:end])))
    target = news_words if doc_type == "news" else max_words
    spans: list[Span] = []
    section: str | None = None
    current: list[Block] = []
    pending_heading: Block | None = None

    def flush() -> None:
        nonlocal current
        if current:
            spans.append(Span(current[0].start, current[-1].end, section))
        current = []

    def words_of(blocks_: list[Block]) -> int:
        return sum(b.words(text) for b in blocks_)

    for block in blocks:
        if block.kind == "heading":
            flush()
            if pending_heading is not None:
                spans.append(Span(pending_heading.start, pending_heading.end, section))
            heading = text[block.start:block.end].strip()
            label = _LABEL.match(heading)
            if not label:
                section = heading[:200]
            elif label.group(1).lower() in ("decision", "decisions", "resolved", "resolved that"):
                section = heading.rstrip(":")
            pending_heading = block
            continue
        n = block.words(text)
        starts_unit = block.kind == "item" and doc_type != "news"
        small = words_of(current) < min_words
        if current and (n + words_of(current) > target or (starts_unit and not small)):
            flush()
        if pending_heading is not None:
            # A heading opens the passage that follows it; after unflushed text it stands alone.
            if current:
                spans.append(Span(pending_heading.start, pending_heading.end, section))
            else:
                current.append(pending_heading)
            pending_heading = None
        if n > max_words:
            flush()
            for piece_start, piece_end in _split_long(text, block.start, block.end, max_words):
                spans.append(Span(piece_start, piece_end, section))
            continue
        current.append(block)
    flush()
    if pending_heading is not None:
        spans.append(Span(pending_heading.start, pending_heading.end, section))
    spans = [span for span in spans if not _LABEL.match(text[span.start:span.end].strip())]
    return _merge_headings_only(text, spans, max_words)


def _merge_headings_only(text: str, spans: list[Span], max_words: int) -> list[Span]:
    """A span that is only a short heading joins the next span when that fits."""
    merged: list[Span] = []
    i = 0
    while i < len(spans):
        span = spans[i]
        words = len(_WORD.findall(text[span.start:span.end]))
        if words < 12 and i + 1 < len(spans):
            following = spans[i + 1]
            total = len(_WORD.findall(text[span.start:following.end]))
            if total <= max_words:
                spans[i + 1] = Span(span.start, following.end, following.section)
                i += 1
                continue
        merged.append(span)
        i += 1
    return merged
