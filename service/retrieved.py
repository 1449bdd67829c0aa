"""The passages the retriever hands to the other search and answer components."""

import copy
import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, overload

from haystack import Document


class ReadOnlyMeta(dict):
    """A passage's metadata, which can be read like any dict but not changed."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a retrieved passage's meta is read-only: make a new passage with dataclasses.replace")

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _refuse

    def __deepcopy__(self, memo: dict) -> "ReadOnlyMeta":
        return self  # nothing in it can change

    def __reduce__(self):
        return (type(self), (dict(self),))


def read_only(value: Any) -> Any:
    """`value` (a payload read from the index: JSON) with its lists as tuples and its dicts read-only."""
    if isinstance(value, dict):
        return ReadOnlyMeta({key: read_only(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(read_only(item) for item in value)
    return value


class RetrievedPassage(Document):
    """A passage as retrieved: a Haystack Document that cannot be changed once made (the API's
    view of one is `service.schemas.Passage`).

    A Haystack pipeline deep-copies every component's inputs, in case a component changes them
    (Haystack asks components not to: "use dataclasses.replace"). A retrieved passage refuses
    to be changed, its fields and its meta alike, so its deep copy is itself, as a string's is;
    `copy.deepcopy` of a Document otherwise rebuilds it field by field (~40 µs; a search copies
    about a hundred).
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.embedding is not None:
            self.embedding = tuple(self.embedding)
        self.meta = read_only(self.meta)
        object.__setattr__(self, "_sealed", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_sealed", False):
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r} of a retrieved passage: make a new one with dataclasses.replace")
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r} of a retrieved passage")

    def __deepcopy__(self, memo: dict) -> "RetrievedPassage":
        return self


class Passages(Sequence[Document]):
    """The passages of one search, best first, as one read-only sequence: what the retriever hands
    to the relevance floor, the floor to the deduplicator, and the deduplicator to the answer stage.

    A Haystack pipeline deep-copies every component's inputs, a list element by element, and asks
    of each element first whether it is a Component (a runtime-checked Protocol: ~10 µs on Python
    3.11, more than copying a `RetrievedPassage`). As one value, a search's 50 passages are asked
    once, then copied each by its own deep copy.

    Usage:
        passages = Passages([first, second])
        passages[0], passages[:8], len(passages), list(passages)
    """

    __slots__ = ("_items",)

    def __init__(self, passages: Iterable[Document] = ()):
        self._items = tuple(passages)

    @overload
    def __getitem__(self, index: int) -> Document: ...
    @overload
    def __getitem__(self, index: slice) -> "Passages": ...
    def __getitem__(self, index):
        return Passages(self._items[index]) if isinstance(index, slice) else self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        return self._items == other._items if isinstance(other, Passages) else NotImplemented

    __hash__ = None  # its passages can change, so it is no dictionary key

    def __repr__(self) -> str:
        return f"Passages({list(self._items)!r})"

    def __deepcopy__(self, memo: dict) -> "Passages":
        clone = memo[id(self)] = Passages(copy.deepcopy(passage, memo) for passage in self._items)
        return clone
