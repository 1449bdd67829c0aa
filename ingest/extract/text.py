"""Plain text: decoding and whitespace normalisation shared by every format."""

import re

from ingest.extract import ExtractionError
from ingest.limits import LimitExceededError

# Of the decoded characters, the share that may be control characters (other than tab, line
# and page breaks) or undecodable before a file counts as binary. Text a council writes has
# none; 64 KB of random bytes decoded as Latin-1 has about 25%.
MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_RUNS = re.compile(r"\n{3,}")


def decode(data: bytes, max_chars: int | None = None) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which council web pages often are.

    :raises ExtractionError: empty, or not text ("not text: ..."): NUL bytes, or more than
        `MAX_CONTROL_SHARE` control or undecodable characters.
    :raises LimitExceededError: more than `max_chars` characters.
    """
    if not data.strip():
        raise ExtractionError("empty file")
    if b"\x00" in data:
        raise ExtractionError("not text: the file holds NUL bytes (binary content)")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    controls = len(_CONTROL.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise ExtractionError(f"not text: {controls / len(text):.0%} of its characters are control or undecodable characters")
    if max_chars is not None and len(text) > max_chars:
        raise LimitExceededError(f"over the {max_chars}-character limit ({len(text)} characters)")
    return text


def normalise_whitespace(text: str) -> str:
    """One space between words, paragraphs separated by exactly one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u200b", "")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()


def extract_text(data: bytes, max_chars: int | None = None) -> str:
    text = normalise_whitespace(decode(data, max_chars))
    if not text:
        raise ExtractionError("no text (only white space)")
    return text
