"""The labelled question set itself (size, kinds, the split by document, offsets that still hold),
its metrics, and the dev-split floors CI enforces."""

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.known_answers import DATA, DEFAULT_SETS, KINDS, MORE_TRAIN_QUESTIONS, AnswerSpan, KnownAnswer, load_known_answers
from eval.metrics import QuestionResult, fact_found, score

SPLITS_FILE = DATA / "document_splits.json"


def test_the_set_is_large_varied_and_split_by_document():
    answers = load_known_answers()
    written = [a for a in answers if a.origin == "written from the documents"]
    assert len(written) >= 600
    unanswerable = [a for a in answers if not a.answerable]
    assert 0.13 <= len(unanswerable) / len(answers) <= 0.2
    for split in ("train", "dev", "test"):
        in_split = [a for a in answers if a.split == split]
        assert {a.kind for a in in_split if a.answerable} == set(KINDS), split
        assert any(not a.answerable for a in in_split), split
    assert Counter(a.split for a in answers)["train"] > Counter(a.split for a in answers)["test"]
    # Test questions read test documents only, and no other question reads one: nothing was
    # tuned on what test asks about. (Train and dev are both tuned on; a few known-answer
    # questions read one document of each.)
    splits = json.loads(SPLITS_FILE.read_text())
    for known in answers:
        for key in known.relevant:
            owners = {split for source, split in splits.items() if source.endswith(key)}
            assert len(owners) == 1, (known.id, key, owners)
            assert (owners == {"test"}) == (known.split == "test"), (known.id, key, owners)


def test_answerable_questions_name_the_sentences_that_answer_them():
    written = [a for a in load_known_answers() if a.origin == "written from the documents" and a.answerable]
    for known in written:
        assert known.answers, known.id
        for span in known.answers:
            assert span.end - span.start == len(span.quote)
            quoted = " ".join(a.quote for a in known.answers)
            assert any(fact_found(f, quoted) for f in known.facts), known.id


def test_the_train_questions_kept_outside_the_set_are_train_questions_like_the_set_s():
    held = load_known_answers([MORE_TRAIN_QUESTIONS])
    splits = json.loads(SPLITS_FILE.read_text())
    assert held and {a.split for a in held} == {"train"}
    # load_known_answers refuses ids used twice: none is shared with the set.
    assert len(load_known_answers(DEFAULT_SETS + [MORE_TRAIN_QUESTIONS])) == len(load_known_answers()) + len(held)
    for known in held:
        for key in known.relevant:
            assert {split for source, split in splits.items() if source.endswith(key)} == {"train"}, (known.id, key)
        if known.answerable:
            assert known.answers and any(fact_found(f, " ".join(a.quote for a in known.answers)) for f in known.facts), known.id


@pytest.mark.slow
def test_answer_offsets_hold_in_the_text_ingest_stores(shared_corpus):
    """Each labelled quote is the stored text at its offsets (extracted as ingest extracts)."""
    from ingest.components.source_converter import SourceConverter
    from ingest.components.source_fetcher import SourceFetcher
    from ingest.sources import collect_sources

    spans: dict[str, list[AnswerSpan]] = {}
    for known in load_known_answers(DEFAULT_SETS + [MORE_TRAIN_QUESTIONS]):
        for span in known.answers:
            spans.setdefault(span.source, []).append(span)
    collected = collect_sources([str(shared_corpus / source) for source in spans])
    streams = SourceFetcher().run(sources=[s.source for s in collected.sources], sidecars={s.source: s.sidecar for s in collected.sources})["streams"]
    for stream in streams:
        stream.meta.update(document_id="x", also_sources=[], replaces=None)
    documents = SourceConverter().run(streams=streams)["documents"]
    assert len(documents) == len(spans)
    for document in documents:
        source = str(Path(document.meta["source"]).relative_to(shared_corpus))
        for span in spans[source]:
            assert document.content[span.start : span.end] == span.quote, (source, span.start)


def test_facts_match_ignoring_case_quotes_and_spacing():
    assert fact_found(["Children’s  Services"], "the children's services of Medway")
    assert not fact_found(["December 2015"], "in December 2016")


def _known(**overrides) -> KnownAnswer:
    fields = dict(
        id="q", question="How many children were in care?", kind="number", split="dev", part="shared", answerable=True,
        relevant=["reports/leeds.pdf"], facts=[["1,270"]], answers=[AnswerSpan("reports/leeds.pdf", 100, 160, "x" * 60)],
    )
    return KnownAnswer(**{**fields, **overrides})


def _citation(quote: str, start: int, end: int, source: str = "/corpus/reports/leeds.pdf", document_id: str = "leeds") -> dict:
    return {"quote": quote, "start": start, "end": end, "source": source, "document_id": document_id}


def test_strict_citation_precision_counts_only_quotes_that_state_the_answer():
    known = _known()
    stating = _citation("There were 1,270 children in care.", 100, 135)
    labelled = _citation("The figure had risen since the last inspection.", 140, 190)  # overlaps the labelled sentence
    context = _citation("Leaders know their services well.", 300, 335)
    result = QuestionResult(known, ["/corpus/reports/leeds.pdf"], "...", False, [stating, labelled, context], 10.0)
    assert result.citation_hits(strict=True) == [True, True, False]
    assert result.citation_hits(strict=False) == [True, True, True]
    assert result.answered_right
    scores = score([result])
    assert scores.citation_precision == pytest.approx(2 / 3, abs=1e-4) and scores.citation_precision_lenient == 1.0
    wrong_document = QuestionResult(known, [], "...", False, [_citation("There were 1,270 children.", 100, 135, "/corpus/other.pdf", "other")], 10.0)
    assert not wrong_document.answered_right and score([wrong_document]).citation_precision == 0.0


def test_a_document_filed_under_two_names_is_cited_by_either():
    known = _known()
    # The same bytes filed again as "copy.pdf": the response shows that name, the label the other.
    twin = _citation("The figure had risen since the last inspection.", 140, 190, "/corpus/minutes/copy.pdf") | {
        "sources": ["/corpus/minutes/copy.pdf", "/corpus/reports/leeds.pdf"]}
    assert QuestionResult(known, [], "...", False, [twin], 10.0).answered_right
    alone = _citation("The figure had risen since the last inspection.", 140, 190, "/corpus/minutes/copy.pdf") | {"sources": ["/corpus/minutes/copy.pdf"]}
    assert not QuestionResult(known, [], "...", False, [alone], 10.0).answered_right


def test_abstention_scores_reward_declining_the_unanswerable_only():
    answerable, unanswerable = _known(), _known(id="u", answerable=False, facts=[], answers=[])
    honest = QuestionResult(unanswerable, [], None, True, [], 5.0)
    timid = QuestionResult(answerable, ["/corpus/reports/leeds.pdf"], None, True, [], 5.0)
    scores = score([honest, timid])
    assert scores.abstention_recall == 1.0 and scores.false_abstention == 1.0 and scores.abstention_precision == 0.5
    assert scores.answered_right == 0.0


@pytest.mark.slow
def test_dev_questions_stay_above_the_recorded_floors(dev_index_path):
    """The dev questions whose documents CI indexes, asked as a user asks them (API defaults)."""
    from eval.runner import covered_by_index, run_set
    from indexes import IndexSettings, open_index
    from service.engine import QueryEngine
    from service.settings import ServiceSettings

    floors = json.loads((DATA / "floors.json").read_text())
    settings = ServiceSettings(index=IndexSettings(index_path=dev_index_path))
    with open_index(settings.index) as index:
        engine = QueryEngine(index, settings)
        engine.warm_up()
        questions = covered_by_index(index, load_known_answers(split="dev"))
        assert len(questions) >= 70
        overall = score(run_set(engine, questions))
    for metric in ("answered_right", "citation_precision", "recall_at_5", "abstention_recall", "search_hit_at_1"):
        assert getattr(overall, metric) >= floors[metric], (metric, getattr(overall, metric))
    assert overall.false_abstention <= floors["false_abstention_max"]


def test_search_scores_count_only_questions_with_a_labelled_sentence():
    first, third, missed = (QuestionResult(_known(id=i), [], "...", False, [], 5.0, search_rank=r) for i, r in (("a", 1), ("b", 3), ("c", None)))
    unlabelled = QuestionResult(_known(id="d", answers=[]), [], "...", False, [], 5.0)
    scores = score([first, third, missed, unlabelled])
    assert scores.search_hit_at_1 == round(1 / 3, 4)
    assert scores.search_mrr_at_10 == round((1 + 1 / 3) / 3, 4)
    assert score([unlabelled]).search_hit_at_1 is None
