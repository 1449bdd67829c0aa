"""Commitment extraction: the seed undertakings, their deadlines, and precision/recall on the
hand-labelled minutes."""

from datetime import date

import pytest

from eval.commitments_eval import evaluate
from ingest.commitments import due_of, find_commitments
from tests.conftest import SAMPLE


def test_labelled_minutes_meet_the_precision_and_recall_goals():
    result = evaluate(SAMPLE)
    assert result["labelled"] >= 25
    assert result["precision"] >= 0.9
    assert result["recall"] >= 0.8


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Members would receive an update report in 3 months time – December 2015.", ("in 3 months time – December 2015", "2015-12-31")),
        ("she would carry out a review report in six and twelve months", ("in six and twelve months", "2020-07-09")),
        ("an update report be made to the committee’s next meeting", ("next meeting", None)),
        ("Analysis on this would be reported back once known.", ("once known", None)),
    ],
)
def test_deadlines_are_read_from_the_words(sentence, expected):
    assert due_of(sentence, date(2020, 1, 9)) == expected


def test_descriptions_and_hopes_are_not_commitments():
    text = (
        "The plan included a number of actions which would address the concerns of the Minister. "
        "It was hoped the first session would take place in late January. "
        "The Director undertook to circulate the figures."
    )
    found = find_commitments(text, "2020-01-09")
    assert [c.quote for c in found] == ["The Director undertook to circulate the figures."]
    assert found[0].who == "The Director"


def test_the_maker_is_whoever_a_member_title_names_but_not_a_word_that_starts_like_one():
    made = find_commitments("Miss Stone said she would report back to the next meeting.", "2024-01-10")
    assert [c.who for c in made] == ["Miss Stone"]
    made = find_commitments("Mission Control said it would report back to the next meeting.", "2024-01-10")
    assert [c.who for c in made] == [None]
    made = find_commitments("The Near Miss Review said it would report back to the next meeting.", "2024-01-10")
    assert [c.who for c in made] == [None]
