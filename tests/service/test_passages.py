"""Passages as the search components pass them on: quick, true deep copies, and duplicates found
from the passages' first and last words."""

import copy
import random
import re

from haystack import Document
from haystack.core.pipeline.utils import _deepcopy_with_exceptions

from service.components.passage_deduplicator import EDGE_WORDS, PassageDeduplicator, edge_words
from service.retrieved import RetrievedPassage

TEXT = (
    "Rates of closing cases with no further action were high compared to other areas. The director "
    "said that a review of all contacts closed in the last quarter had begun, and that the results "
    "would be reported to the committee in the spring, with an action plan for the front door."
)


def passage(text: str = TEXT, **meta) -> RetrievedPassage:
    return RetrievedPassage(id="c1", content=text, meta={"authority": "Leeds", "page": 3, "dense_score": 0.41, "url": None, **meta}, score=0.7)


def test_a_passage_copy_is_equal_and_shares_nothing_that_can_change():
    original = passage(sections=["1.2", "1.3"], nested={"rows": [1, 2]})
    clone = copy.deepcopy(original)
    assert type(clone) is RetrievedPassage and clone == original and clone is not original
    assert clone.meta is not original.meta
    clone.meta["sections"].append("9")
    clone.meta["nested"]["rows"].append(3)
    clone.meta["authority"] = "Kent"
    assert original.meta == {"authority": "Leeds", "page": 3, "dense_score": 0.41, "url": None, "sections": ["1.2", "1.3"], "nested": {"rows": [1, 2]}}


def test_a_value_met_twice_in_a_passage_is_copied_once_as_deepcopy_does():
    shared = {"rows": [1, 2]}
    original = passage(first=shared, second=shared)
    clone = copy.deepcopy(original)
    assert clone.meta["first"] is clone.meta["second"] and clone.meta["first"] is not shared


def test_the_pipeline_copy_of_a_passage_skips_the_generic_reconstruction(monkeypatch):
    """Haystack deep-copies every component input; a Document goes through copy's generic
    reconstruction (`copy._reconstruct`), a RetrievedPassage through its own copy of its dicts."""
    calls = []
    reconstruct = copy._reconstruct
    monkeypatch.setattr(copy, "_reconstruct", lambda *a, **k: calls.append(1) or reconstruct(*a, **k))
    documents = [Document(id=str(i), content=TEXT, meta={"page": i}) for i in range(5)]
    passages = [RetrievedPassage(id=str(i), content=TEXT, meta={"page": i}) for i in range(5)]
    assert _deepcopy_with_exceptions(documents) == documents and len(calls) >= 5
    calls.clear()
    copied = _deepcopy_with_exceptions(passages)
    assert copied == passages and all(a is not b for a, b in zip(copied, passages)) and calls == []


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
