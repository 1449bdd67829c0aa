"""The passages the retriever hands to the other search and answer components."""

import copy
from typing import Any

from haystack import Document

# Values a deep copy may share: they cannot change.
_IMMUTABLE = (str, bytes, int, float, bool, type(None))


def _copied(value: Any, memo: dict) -> Any:
    if isinstance(value, _IMMUTABLE):
        return value
    if type(value) is not dict:
        return copy.deepcopy(value, memo)
    if id(value) in memo:  # a dict met twice is copied once, as deepcopy does
        return memo[id(value)]
    clone = memo[id(value)] = {}
    clone.update((key, _copied(item, memo)) for key, item in value.items())
    return clone


class RetrievedPassage(Document):
    """A passage as retrieved: a Haystack Document whose deep copy is quick (the API's view of one
    is `service.schemas.Passage`).

    A Haystack pipeline deep-copies every component's inputs, and `copy.deepcopy` rebuilds a
    Document field by field through its reconstruction protocol (~40 µs each; a search copies
    50). A passage's fields and its flat `meta` hold strings and numbers, which a copy may share,
    so copying its dicts is a deep copy; anything else in it is deep-copied as before.
    """

    def __deepcopy__(self, memo: dict) -> "RetrievedPassage":
        clone = object.__new__(type(self))
        memo[id(self)] = clone
        # Straight into __dict__: Document warns on attribute assignment after __init__.
        clone.__dict__.update({name: _copied(value, memo) for name, value in self.__dict__.items()})
        return clone
