"""Passages as the search components pass them on: read-only, so quick to copy, and duplicates
found from the passages' first and last words."""

import copy
import dataclasses
import pickle
import random
import re

import pytest
from haystack import Document
from haystack.core.pipeline import utils

from service.components.passage_deduplicator import EDGE_WORDS, PassageDeduplicator, edge_words
from service.retrieved import Passages, RetrievedPassage

TEXT = (
    "Rates of closing cases with no further action were high compared to other areas. The director "
    "said that a review of all contacts closed in the last quarter had begun, and that the results "
    "would be reported to the committee in the spring, with an action plan for the front door."
)


def passage(text: str = TEXT, **meta) -> RetrievedPassage:
    return RetrievedPassage(id="c1", content=text, meta={"authority": "Leeds", "page": 3, "dense_score": 0.41, "url": None, **meta}, score=0.7)


def test_a_retrieved_passage_cannot_be_changed_so_its_deep_copy_is_itself():
    original = passage(sections=["1.2", "1.3"], nested={"rows": [1, 2]})
    for change in (
        lambda p: setattr(p, "score", 0.1),
        lambda p: setattr(p, "content", "other"),
        lambda p: delattr(p, "score"),
    ):
        with pytest.raises(dataclasses.FrozenInstanceError):
            change(original)
    for change in (
        lambda m: m.__setitem__("authority", "Kent"),
        lambda m: m.update(authority="Kent"),
        lambda m: m.pop("authority"),
        lambda m: m.setdefault("new", 1),
        lambda m: m.__delitem__("page"),
        lambda m: m.clear(),
        lambda m: m["nested"].__setitem__("rows", []),
    ):
        with pytest.raises(TypeError):
            change(original.meta)
    # Lists in the payload become tuples, so nothing nested can change either.
    assert original.meta["sections"] == ("1.2", "1.3") and original.meta["nested"] == {"rows": (1, 2)}
    assert copy.deepcopy(original) is original
    assert original.meta == {"authority": "Leeds", "page": 3, "dense_score": 0.41, "url": None, "sections": ("1.2", "1.3"), "nested": {"rows": (1, 2)}}


def test_a_changed_passage_is_a_new_one_and_reads_as_a_plain_document():
    original = passage()
    rescored = dataclasses.replace(original, score=0.2)
    assert rescored.score == 0.2 and original.score == 0.7 and rescored.meta == original.meta
    assert Document.from_dict(original.to_dict()) == Document(id="c1", content=TEXT, meta=dict(original.meta), score=0.7)
    assert {**original.meta, "page": 4}["page"] == 4 and dict(original.meta) == original.meta
    assert pickle.loads(pickle.dumps(original.meta)) == original.meta


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
