"""Whose read this is: the access levels the current reader may see.

The service sets the scope around each request (`reading_as`); the index adds it to every
query, count, facet and scroll it sends to Qdrant, and checks records fetched by id. A
service-side index refuses to read outside a scope (`ScrutinyIndex.require_scope`), so a code
path that forgot to set one fails loudly instead of reading everything.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from councils.access import ACCESS_LEVELS

_UNSET: tuple[str, ...] = ("<unset>",)
_levels: ContextVar[tuple[str, ...]] = ContextVar("scrutiny_readable_levels", default=_UNSET)


class ScopeMissingError(RuntimeError):
    """An index that requires a reader's scope was read without one."""


@contextmanager
def reading_as(levels: Sequence[str]) -> Iterator[None]:
    """Reads inside this block see only documents whose `access` is one of `levels`."""
    token = _levels.set(tuple(levels))
    try:
        yield
    finally:
        _levels.reset(token)


def current_levels() -> tuple[str, ...] | None:
    """The levels of the current scope; None outside any scope."""
    levels = _levels.get()
    return None if levels is _UNSET else levels


def is_unrestricted(levels: tuple[str, ...]) -> bool:
    """A reader of every level needs no condition (and sees records stored before levels)."""
    return set(ACCESS_LEVELS) <= set(levels)
