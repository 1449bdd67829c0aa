"""HTML: ModernGov agenda-item and meeting pages, and news articles."""

import re
from dataclasses import dataclass, field

import lxml.html
import trafilatura

from ingest.extract import ExtractionError
from ingest.extract.cleaning import clean_news_paragraphs
from ingest.extract.text import decode, normalise_whitespace

_MODERNGOV_MARKERS = ("mgAi.aspx", "mgIssueHistory", "ieListDocuments", "mgMeetingAttendance", "modern.gov", "moderngov")


@dataclass
class HtmlExtraction:
    text: str
    title: str | None = None
    site_name: str | None = None
    date: str | None = None
    is_moderngov: bool = False
    meta: dict = field(default_factory=dict)


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) or b"<html" in head[:512]


def _block_text(element) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _moderngov_text(tree) -> tuple[str, str | None]:
    """ModernGov pages keep the item in #modgov / .mgContent; headings and paragraphs in order."""
    root = (tree.xpath("//*[@id='modgov']") or tree.xpath("//*[contains(@class,'mgContent')]") or [tree])[0]
    for junk in root.xpath(".//script|.//style|.//nav|.//*[contains(@class,'mgLinks')]|.//*[contains(@class,'noPrint')]"):
        junk.drop_tree()
    blocks = []
    for element in root.iter("h1", "h2", "h3", "h4", "p", "li", "td"):
        if element.tag == "td" and element.xpath(".//p|.//li"):
            continue
        text = _block_text(element)
        if text:
            prefix = "· " if element.tag == "li" else ""
            blocks.append(prefix + text)
    # The item title is the sub-title; the main title is often just "Agenda item".
    candidates = root.xpath(".//*[contains(@class,'mgSubTitleTxt')]") + root.xpath(".//h2") + root.xpath(".//h1")
    titles = [_block_text(node) for node in candidates if _block_text(node).lower() not in ("agenda item", "")]
    title = titles[0] if titles else None
    return "\n\n".join(blocks), title


def extract_html(data: bytes, max_chars: int | None = None) -> HtmlExtraction:
    """The page's text and what it says of itself.

    :raises ExtractionError: not text, unreadable, or without text.
    :raises LimitExceededError: the decoded page is over `max_chars` characters (checked
        before parsing: trafilatura spends minutes on a 20 MB page).
    """
    raw = decode(data, max_chars)
    try:
        tree = lxml.html.fromstring(raw)
    except (lxml.etree.ParserError, ValueError) as e:
        raise ExtractionError(f"unreadable HTML: {e}") from e
    page_title = _block_text(tree.find(".//title")) if tree.find(".//title") is not None else None
    if any(marker in raw for marker in _MODERNGOV_MARKERS):
        text, title = _moderngov_text(tree)
        text = normalise_whitespace(text)
        if not text:
            raise ExtractionError("ModernGov page without any agenda-item text")
        return HtmlExtraction(text=text, title=title or page_title, is_moderngov=True)

    metadata = trafilatura.extract_metadata(raw)
    body = trafilatura.extract(raw, include_comments=False, include_tables=True, favor_precision=True, output_format="txt")
    if not body:
        raise ExtractionError("no article text found in the HTML page")
    captions = {_block_text(c) for c in tree.xpath("//figcaption")} | {
        (img.get("alt") or "").strip() for img in tree.xpath("//img")
    }
    title = metadata.title if metadata else page_title
    paragraphs = [p for p in body.split("\n") if p.strip()]
    if title and paragraphs and paragraphs[0].strip() == title.strip():
        paragraphs = paragraphs[1:]
    paragraphs = clean_news_paragraphs(paragraphs, captions)
    text = normalise_whitespace("\n\n".join(([title] if title else []) + paragraphs))
    return HtmlExtraction(
        text=text,
        title=title,
        site_name=metadata.sitename if metadata else None,
        date=metadata.date if metadata else None,
    )
