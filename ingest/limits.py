"""How much one file may cost: bytes, pages, decompressed content, characters, chunks, seconds.

A file over a limit is refused by name ("over the 2000-page limit") and the batch carries on.
Each limit can be set through the environment (`SCRUTINY_INGEST_MAX_PAGES=5000`, ...).
"""

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.extract import ExtractionError

MB = 1024 * 1024


class IngestLimits(BaseSettings):
    """Per-file caps. The defaults sit far above anything in the shared corpus (largest file
    ~10 MB, longest paper ~300 pages, largest page content stream ~100 KB decompressed, longest
    text ~1 M characters) and far below what would exhaust a 2-core, few-GB machine."""

    model_config = SettingsConfigDict(env_prefix="SCRUTINY_INGEST_", extra="ignore", frozen=True)

    max_file_bytes: int = Field(default=200 * MB, gt=0)
    max_pages: int = Field(default=2000, gt=0)
    # pdfium holds ~14x a page's decompressed content stream while parsing it (a 20 MB stream
    # peaked at 286 MB), so this bounds the memory one page can take.
    max_page_content_bytes: int = Field(default=8 * MB, gt=0)
    # All distinct content streams of a PDF together: bounds the time spent checking them.
    max_content_bytes: int = Field(default=256 * MB, gt=0)
    # Extracted text (and, for HTML and plain text, the decoded input before parsing).
    max_chars: int = Field(default=5_000_000, gt=0)
    max_chunks: int = Field(default=5000, gt=0)
    # Reading one file: fetching aside, its conversion and splitting.
    max_seconds: float = Field(default=120.0, gt=0)


class LimitExceededError(ExtractionError):
    """A file went over one of the `IngestLimits`; the message names the limit."""


class _Alarm(BaseException):
    """Raised by the SIGALRM handler; a BaseException so that a library's `except Exception`
    inside a long parse cannot swallow it."""


class Deadline:
    """A per-file time budget, checked between pages and steps."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def message(self) -> str:
        return f"over the {self.seconds:g}-second limit"

    def check(self) -> None:
        """:raises LimitExceededError: once the budget is spent."""
        if time.monotonic() > self.ends:
            raise LimitExceededError(self.message())


@contextmanager
def time_limit(seconds: float) -> Iterator[Deadline]:
    """A `Deadline` for the block. In the main thread a SIGALRM also interrupts Python code that
    never returns to a check (trafilatura on a huge page); C code that holds the interpreter is
    only interrupted when it returns, which the other caps keep short."""
    deadline = Deadline(seconds)
    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = None
    armed = [use_alarm]
    if use_alarm:
        def on_alarm(signum, frame):
            if armed[0]:
                raise _Alarm()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield deadline
    except _Alarm:
        raise LimitExceededError(deadline.message()) from None
    finally:
        armed[0] = False
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
