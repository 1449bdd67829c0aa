"""Plain text: decoding and whitespace normalisation shared by every format."""

import re

from ingest.extract import ExtractionError

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_RUNS = re.compile(r"\n{3,}")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which council web pages often are."""
    if not data.strip():
        raise ExtractionError("empty file")
    if b"\x00" in data[:4096]:
        raise ExtractionError("binary content, not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def normalise_whitespace(text: str) -> str:
    """One space between words, paragraphs separated by exactly one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u200b", "")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()


def extract_text(data: bytes) -> str:
    text = normalise_whitespace(decode(data))
    if not text:
        raise ExtractionError("no text (only white space)")
    return text
