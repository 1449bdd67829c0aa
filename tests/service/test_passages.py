"""Passages as the search components pass them on: read-only, so quick to copy, and duplicates
found from the passages' first and last words."""

import copy
import dataclasses
import pickle
import random
import re

import numpy as np
import pytest
from haystack import Document
from haystack.core.pipeline import utils
from haystack.dataclasses import ByteStream

from service.components.passage_deduplicator import (
    EDGE_WORDS,
    PassageDeduplicator,
    edge_words,
)
from service.components.relevance_floor import RelevanceFloor
from service.retrieved import Passages, ReadOnlyMeta, RetrievedPassage

TEXT = (
    "Rates of closing cases with no further action were high compared to other areas. The director "
    "said that a review of all contacts closed in the last quarter had begun, and that the results "
    "would be reported to the committee in the spring, with an action plan for the front door."
)


def passage(text: str = TEXT, **meta) -> RetrievedPassage:
    return RetrievedPassage(id="c1", content=text, meta={"authority": "Leeds", "page": 3, "dense_score": 0.41, "url": None, **meta}, score=0.7)


CHANGES_TO_FIELDS = {
    "score": lambda p: setattr(p, "score", 0.1),
    "content": lambda p: setattr(p, "content", "other"),
    "a new attribute": lambda p: setattr(p, "note", "x"),
    "deletion": lambda p: delattr(p, "score"),
}
# Every dict method that changes a dict in place, and one nested dict.
CHANGES_TO_META = {
    "[]=": lambda m: m.__setitem__("authority", "Kent"),
    "del": lambda m: m.__delitem__("page"),
    "|=": lambda m: m.__ior__({"authority": "Kent"}),
    "update": lambda m: m.update(authority="Kent"),
    "pop": lambda m: m.pop("authority"),
    "popitem": lambda m: m.popitem(),
    "setdefault": lambda m: m.setdefault("new", 1),
    "clear": lambda m: m.clear(),
    "__init__ again": lambda m: m.__init__(authority="Kent"),
    "nested": lambda m: m["nested"].__setitem__("rows", []),
}


@pytest.mark.parametrize("change", CHANGES_TO_FIELDS.values(), ids=CHANGES_TO_FIELDS.keys())
def test_a_retrieved_passage_s_fields_cannot_be_changed(change):
    with pytest.raises(dataclasses.FrozenInstanceError):
        change(passage())


@pytest.mark.parametrize("change", CHANGES_TO_META.values(), ids=CHANGES_TO_META.keys())
def test_a_retrieved_passage_s_meta_cannot_be_changed(change):
    original = passage(nested={"rows": [1, 2]})
    before = dict(original.meta)
    with pytest.raises(TypeError):
        change(original.meta)
    assert original.meta == before


def test_nothing_in_a_retrieved_passage_can_change_so_its_deep_copy_is_itself():
    original = RetrievedPassage(id="c1", content=TEXT, embedding=[0.5, 0.25], meta={"sections": ["1.2", "1.3"], "nested": {"rows": [1, 2]}})
    # Lists become tuples, dicts read-only, all the way down.
    assert original.embedding == (0.5, 0.25) and original.meta["sections"] == ("1.2", "1.3") and original.meta["nested"] == {"rows": (1, 2)}
    assert copy.deepcopy(original) is original and copy.deepcopy(original.meta) is original.meta
    assert ReadOnlyMeta({"rows": [1]})["rows"] == (1,)
    # What could change and is not JSON read from the index is refused, and named.
    for value in ({1, 2}, bytearray(b"x"), np.zeros(2)):
        with pytest.raises(TypeError, match="'odd'"):
            passage(odd=value)
    with pytest.raises(ValueError, match="blob"):
        RetrievedPassage(content=TEXT, blob=ByteStream(data=b"x"))


def test_a_changed_passage_is_a_new_one_and_reads_as_a_plain_document():
    original = passage(nested={"rows": [1, 2]})
    rescored = dataclasses.replace(original, score=0.2)
    assert rescored.score == 0.2 and original.score == 0.7 and rescored.meta == original.meta
    assert {**original.meta, "page": 4}["page"] == 4 and dict(original.meta) == original.meta
    assert pickle.loads(pickle.dumps(original.meta)) == original.meta
    # As a plain Document again, it can change, all the way down.
    plain = Document.from_dict(original.to_dict())
    assert type(plain) is Document and plain.meta == {**original.meta, "nested": {"rows": [1, 2]}}
    plain.meta["nested"]["rows"].append(3)
    assert original.meta["nested"] == {"rows": (1, 2)}


def test_the_search_components_hand_on_one_passages_value():
    passages = [passage(f"Passage {i} is about caseloads in Leeds.") for i in range(3)]
    assert isinstance(PassageDeduplicator().run(passages=passages)["passages"], Passages)
    for floor in (None, 0.5):
        assert isinstance(RelevanceFloor(floor=floor).run(passages=passages, query="caseloads")["passages"], Passages)


def test_a_document_that_can_change_is_still_copied_deeply_in_passages():
    document = Document(id="d1", content=TEXT, meta={"rows": [1, 2]})
    passages = Passages([document, passage()])
    copied = copy.deepcopy(passages)
    assert copied == passages and copied[0] is not document and copied[1] is passages[1]
    copied[0].meta["rows"].append(3)
    assert document.meta["rows"] == [1, 2]


def test_the_pipeline_copies_a_search_s_passages_as_one_value(monkeypatch):
    """Haystack deep-copies every component input, a list element by element (asking of each
    whether it is a Component: ~10 µs); `Passages` is copied as one value."""
    calls = []
    deepcopy_input = utils._deepcopy_with_exceptions
    monkeypatch.setattr(utils, "_deepcopy_with_exceptions", lambda value: calls.append(value) or deepcopy_input(value))
    as_list = [passage() for _ in range(5)]
    assert utils._deepcopy_with_exceptions(as_list) == as_list and len(calls) == 6
    calls.clear()
    as_passages = Passages(as_list)
    assert utils._deepcopy_with_exceptions(as_passages) == as_passages and len(calls) == 1


def test_passages_read_as_a_sequence():
    items = [passage(f"Passage {i} says something.") for i in range(4)]
    passages = Passages(items)
    assert len(passages) == 4 and list(passages) == items and passages[1] is items[1]
    assert isinstance(passages[1:3], Passages) and list(passages[1:3]) == items[1:3]
    assert passages == Passages(items) and passages != Passages(items[:2]) and passages[-1] is items[-1]
    assert not Passages() and items[2] in passages


def test_edge_words_read_from_the_ends_are_those_of_the_whole_text():
    rng = random.Random(7)
    vocabulary = ["a", "no", "further", "action", "safeguarding", "multi-agency", "2019/20", "Ofsted's", "x" * 40, "é" * 3, "İstanbul"]
    texts = ["", "one", "one two", " ".join(["word"] * EDGE_WORDS), "x" * 300, "y" * 300 + " end of it"]
    texts += [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 80))) for _ in range(500)]
    for text in texts:
        words = re.findall(r"\w+", text.lower())
        assert edge_words(text) == (words[:EDGE_WORDS], words[-EDGE_WORDS:]), text


def test_near_identical_passages_are_dropped_and_different_ones_kept():
    same = TEXT.replace("high", "very high")  # a word added: the same minutes filed twice
    # Closes with the same words, so it is compared, but most of it differs.
    same_ending = "Social worker caseloads fell when agency staff left the service. " + TEXT.split(". ", 1)[1]
    different = "Unaccompanied asylum seeking children were placed out of county. " * 3
    passages = [passage(TEXT), passage(same), passage(same_ending), passage(different)]
    kept = PassageDeduplicator().run(passages=passages)["passages"]
    assert [p.content for p in kept] == [TEXT, same_ending, different]
