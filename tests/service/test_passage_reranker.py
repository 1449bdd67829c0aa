"""The search reranker: matches reordered by their closest sentence to the query (the answer
encoder's), nothing added or dropped, retrieval's order kept past `top_n` and for date order."""

import pytest

from indexes import IndexSettings
from service.components.passage_reranker import PassageReranker
from service.retrieved import Passages, RetrievedPassage

# Retrieval's order: a passage that shares the query's words but does not answer it, the one whose
# sentence does, one about something else, and another that shares words.
TEXTS = [
    "Social workers and social work managers attended the social work conference. The conference discussed social workers.",
    "Caseloads have fallen to an average of 18 children for each social worker, down from 27 last year.",
    "Parking charges in the town centre rose in April. The car park on the High Street will close for resurfacing.",
    "The budget for social work training was agreed. Social workers' training will continue next year.",
]
QUERY = "How many children does each social worker have on their caseload?"


def _passages(texts=TEXTS) -> Passages:
    return Passages(
        RetrievedPassage(id=f"c{i}", content=text, meta={"source": f"/corpus/{i}.txt", "start": 0, "end": len(text)}, score=1.0 - i / 10)
        for i, text in enumerate(texts)
    )


@pytest.fixture(scope="module")
def reranker() -> PassageReranker:
    # No index here, so no stored vectors: it encodes the sentences.
    reranker = PassageReranker(model=IndexSettings().model, encode_unstored=True)
    reranker.warm_up()
    return reranker


def test_the_passage_whose_sentence_answers_comes_first(reranker):
    reranked = reranker.run(query=QUERY, passages=_passages())["passages"]
    assert reranked[0].id == "c1"  # second by retrieval
    assert sorted(p.id for p in reranked) == ["c0", "c1", "c2", "c3"]  # nothing added or dropped
    assert reranked[0].score == pytest.approx(0.9)  # retrieval's score is kept


def test_no_reordering_when_switched_off_or_beyond_top_n(reranker):
    ids = [p.id for p in _passages()]
    assert [p.id for p in reranker.run(query=QUERY, passages=_passages(), top_n=0)["passages"]] == ids
    # Retrieved parking first: all four reordered, the last (budget) rises above the conference;
    # only the first three, it stays last.
    passages = _passages()
    parking_first = Passages([passages[2], passages[1], passages[0], passages[3]])
    assert [p.id for p in reranker.run(query=QUERY, passages=parking_first)["passages"]] == ["c1", "c2", "c3", "c0"]
    assert [p.id for p in reranker.run(query=QUERY, passages=parking_first, top_n=3)["passages"]] == ["c1", "c2", "c0", "c3"]
    assert [p.id for p in reranker.run(query=QUERY, passages=_passages(), top_n=1)["passages"]] == ids
    assert list(reranker.run(query=QUERY, passages=Passages())["passages"]) == []
    assert [p.id for p in reranker.run(query="   ", passages=_passages())["passages"]] == ids


def test_a_passage_with_no_close_sentence_falls(reranker):
    """The passage about parking falls below one retrieved after it that shares the subject; the
    first by retrieval, whose sentences are as close as that one's, stays above it."""
    assert [p.id for p in reranker.run(query=QUERY, passages=_passages())["passages"]] == ["c1", "c0", "c3", "c2"]


def test_without_stored_vectors_or_a_model_it_passes_the_matches_through(tmp_path):
    """A search would encode ~100 sentences (~200 ms) without stored vectors, and search does not
    need the answer model: either way the matches come back in retrieval's order."""
    ids = [p.id for p in _passages()]
    unstored = PassageReranker(model=IndexSettings().model, sentence_vectors=str(tmp_path))
    assert not unstored.reranks
    assert [p.id for p in unstored.run(query=QUERY, passages=_passages())["passages"]] == ids
    broken = tmp_path / "answer_model.json"
    broken.write_text("{not json")
    no_model = PassageReranker(model=IndexSettings().model, model_path=str(broken), encode_unstored=True)
    assert not no_model.reranks
    assert [p.id for p in no_model.run(query=QUERY, passages=_passages())["passages"]] == ids


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError, match="top_n"):
        PassageReranker(model="unused", top_n=-1)
    with pytest.raises(ValueError, match="fusion_k"):
        PassageReranker(model="unused", fusion_k=0)


def test_search_reranks_by_relevance_only_and_keeps_the_matches(sample_index_copy):
    """Through the engine on the sample index with its sentence vectors stored: a relevance
    search's page is reordered, its total and facets are retrieval's, and a date-ordered or
    single-branch search is as without the reranker; /ask shows its passages in that order and
    answers as without it."""
    from indexes import open_index
    from service.answering.sentence_encoder import store_sentence_vectors, storing_encoder
    from service.engine import QueryEngine
    from service.schemas import AskRequest
    from service.settings import ServiceSettings

    settings = ServiceSettings(index=IndexSettings(index_path=sample_index_copy))
    with open_index(settings.index) as index:
        store_sentence_vectors(index, storing_encoder(index.settings.model), log=lambda line: None)
        reranking, plain = QueryEngine(index, settings), QueryEngine(index, settings.model_copy(update={"search_reranked": 0}))
        assert reranking.reranks_search and reranking.search_pipeline.get_component("reranker").reranks
        assert not plain.reranks_search
        assert "reranker" not in reranking.ask_pipeline.graph.nodes  # the answer stage orders what it reads itself
        assert "shown" in reranking.ask_pipeline.graph.nodes and "shown" not in plain.ask_pipeline.graph.nodes
        changed = shown_changed = 0
        for query in ("What did the director promise on NFA rates?", "Ofsted judgement overall effectiveness", "acronyms in the action plan", "caseloads"):
            # The passages beside an answer are shown as /search orders them; the answer is the same.
            asked, asked_plain = reranking.ask(AskRequest(question=query, k=24)), plain.ask(AskRequest(question=query, k=24))
            assert (asked.answer, asked.citations) == (asked_plain.answer, asked_plain.citations)
            assert sorted((r.document_id, r.start) for r in asked.passages) == sorted((r.document_id, r.start) for r in asked_plain.passages)
            shown_changed += [(r.document_id, r.start) for r in asked.passages] != [(r.document_id, r.start) for r in asked_plain.passages]
            a, b = reranking.search(query, k=50), plain.search(query, k=50)
            assert (a.total, a.facets) == (b.total, b.facets)
            assert sorted((r.document_id, r.start) for r in a.results) == sorted((r.document_id, r.start) for r in b.results)
            changed += [(r.document_id, r.start) for r in a.results] != [(r.document_id, r.start) for r in b.results]
            for other in ({"sort": "date"}, {"mode": "sparse"}, {"mode": "dense"}):
                assert [(r.document_id, r.start) for r in reranking.search(query, **other).results] == [(r.document_id, r.start) for r in plain.search(query, **other).results]
        assert changed and shown_changed
