"""The known-answer set itself, its metrics, and the seed-part floors CI enforces."""

import json

import pytest

from eval.known_answers import DATA, load_known_answers
from eval.metrics import QuestionResult, fact_found, score


def test_the_set_is_large_varied_and_well_formed():
    answers = load_known_answers()
    assert len(answers) >= 80
    unanswerable = [a for a in answers if not a.answerable]
    assert len(unanswerable) / len(answers) >= 0.15
    assert {a.category for a in answers} == {"fact", "commitment", "comparison", "date", "judgement", "unanswerable"}
    assert len(load_known_answers(part="seeds")) >= 50


def test_relevant_documents_exist_in_the_corpus(shared_corpus, sample_dir):
    files = [str(p) for p in shared_corpus.rglob("*") if p.is_file()] + [str(p) for p in sample_dir.rglob("*") if p.is_file()]
    for known in load_known_answers():
        for key in known.relevant:
            assert any(f.endswith(key) for f in files), (known.id, key)


def test_facts_match_ignoring_case_quotes_and_spacing():
    assert fact_found(["Children’s  Services"], "the children's services of Medway")
    assert not fact_found(["December 2015"], "in December 2016")


def test_scores_reward_right_answers_and_honest_abstention():
    answerable, unanswerable = load_known_answers(part="seeds")[0], next(a for a in load_known_answers() if not a.answerable)
    quote = "Analysis on this would be reported back once known; cases closed with no further action."
    citation = {"source": f"/x/{answerable.relevant[0]}", "quote": quote, "document_id": "d1"}
    right = QuestionResult(answerable, [f"/x/{answerable.relevant[0]}"], quote, False, [citation], 10.0)
    wrong = QuestionResult(answerable, ["/x/other.txt"], "Something else.", False, [{**citation, "source": "/x/other.txt", "quote": "Something else."}], 10.0)
    honest = QuestionResult(unanswerable, [], None, True, [], 5.0)
    assert score([right, honest]).fact_match == 1.0
    assert score([right, honest]).abstention_recall == 1.0
    assert score([wrong]).citation_precision == 0.0
    assert score([wrong]).recall_at_5 == 0.0


@pytest.mark.slow
def test_seed_part_stays_above_the_recorded_floors(sample_index_path):
    from indexes import IndexSettings, open_index
    from eval.runner import run_set
    from service.engine import QueryEngine
    from service.settings import ServiceSettings

    floors = json.loads((DATA / "floors.json").read_text())
    settings = ServiceSettings(index=IndexSettings(index_path=sample_index_path))
    with open_index(settings.index) as index:
        engine = QueryEngine(index, settings)
        engine.warm_up()
        overall = score(run_set(engine, load_known_answers(part="seeds")))
    for metric in ("recall_at_5", "mrr", "ndcg_at_10", "fact_match", "citation_precision", "abstention_recall", "abstention_precision"):
        assert getattr(overall, metric) >= floors[metric], metric
    assert overall.false_abstention <= floors["false_abstention_max"]
