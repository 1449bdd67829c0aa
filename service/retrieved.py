"""The passages the retriever hands to the other search and answer components."""

import copy
import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, overload

from haystack import Document

# What a payload read from the index (JSON) holds that cannot change.
_UNCHANGING = (str, int, float, bool, type(None), bytes, frozenset)


class ReadOnlyMeta(dict):
    """A passage's metadata, which can be read like any dict but not changed, nor anything in it
    (its lists are tuples, its dicts read-only)."""

    __slots__ = ("_sealed",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "_sealed", False):
            self._refuse()
        super().__init__({key: read_only(value, key) for key, value in dict(*args, **kwargs).items()})
        self._sealed = True

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a retrieved passage's meta is read-only: make a new passage with dataclasses.replace")

    # Every dict method that changes a dict in place.
    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _refuse

    def __deepcopy__(self, memo: dict) -> "ReadOnlyMeta":
        return self  # nothing in it can change

    def __reduce__(self):
        return (type(self), (dict(self),))


def read_only(value: Any, key: str = "meta") -> Any:
    """`value`, from a payload read from the index (JSON), with its lists as tuples and its dicts
    read-only; `key` names it in the error for anything else that could change."""
    if isinstance(value, dict):
        return value if isinstance(value, ReadOnlyMeta) else ReadOnlyMeta(value)
    if isinstance(value, (list, tuple)):
        return tuple(read_only(item, key) for item in value)
    if isinstance(value, _UNCHANGING):
        return value
    raise TypeError(f"a retrieved passage's meta holds values read from the index (JSON); {key!r} is a {type(value).__name__}")


def thawed(value: Any) -> Any:
    """A read-only payload value as plain JSON data again: dicts and lists that can change."""
    if isinstance(value, dict):
        return {key: thawed(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [thawed(item) for item in value]
    return value


class RetrievedPassage(Document):
    """A passage as retrieved: a Haystack Document that cannot be changed once made (the API's
    view of one is `service.schemas.Passage`).

    A Haystack pipeline deep-copies every component's inputs, in case a component changes them
    (Haystack asks components not to: "use dataclasses.replace"). A retrieved passage refuses
    to be changed: its fields, its embedding (a tuple) and its meta (read-only, and JSON values
    only); it has no blob or sparse embedding. So its deep copy is itself, as a string's is;
    `copy.deepcopy` of a Document otherwise rebuilds it field by field (~40 µs; a search copies
    about a hundred).
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.blob is not None or self.sparse_embedding is not None:
            raise ValueError("a retrieved passage has no blob or sparse embedding (they could change)")
        if self.embedding is not None:
            self.embedding = tuple(float(x) for x in self.embedding)
        self.meta = read_only(self.meta)
        object.__setattr__(self, "_sealed", True)

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_sealed", False):
            raise dataclasses.FrozenInstanceError(f"cannot assign {name!r} on a retrieved passage: make a new one with dataclasses.replace")
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete {name!r} of a retrieved passage")

    def __deepcopy__(self, memo: dict) -> "RetrievedPassage":
        return self

    def to_dict(self, flatten: bool = True) -> dict[str, Any]:
        """As `Document.to_dict`, in plain JSON data (so `Document.from_dict` makes a Document
        that can change, as any other)."""
        return thawed(super().to_dict(flatten=flatten))


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

    def __repr__(self) -> str:
        return f"Passages({list(self._items)!r})"

    def __deepcopy__(self, memo: dict) -> "Passages":
        clone = memo[id(self)] = Passages(copy.deepcopy(passage, memo) for passage in self._items)
        return clone
