"""Paragraph numbers: layout that opens a paragraph, not words of it."""

import pytest

from councils.text import page_at, without_paragraph_number


@pytest.mark.parametrize(
    "text, words",
    [
        ("34.Since the last inspection in 2016", "Since the last inspection in 2016"),
        ("2.23 The previous government had confirmed", "The previous government had confirmed"),
        ("1.2.4 The plan and priority actions", "The plan and priority actions"),
        ("(4) Recommend that the council", "Recommend that the council"),
        ("14) Mr Lehmann commented", "Mr Lehmann commented"),
        ("5. Children in care are visited", "Children in care are visited"),
        ("41.", ""),
    ],
)
def test_a_paragraph_number_is_passed_over(text, words):
    assert text[without_paragraph_number(text, 0, len(text)) :] == words


@pytest.mark.parametrize(
    "text",
    [
        "12 Children's homes were inspected",  # a count, not a number with a point or bracket
        "1.5 million children live in poverty",  # a figure before a lower-case word
        "2023 was a difficult year",
        "£2.2m was added to the budget",
        "3.5% of children were re-referred",
        "4.5 FTE posts are vacant",  # an abbreviation, not a word
        "Since 2016-17 the Council has had the ability",
    ],
)
def test_words_that_open_with_a_figure_are_kept(text):
    assert without_paragraph_number(text, 0, len(text)) == 0


def test_only_the_span_given_is_read():
    text = "Care leavers are consulted. 34.Since the last inspection"
    start = text.index("34.")
    assert text[without_paragraph_number(text, start, len(text)) :] == "Since the last inspection"
    assert without_paragraph_number(text, 0, start) == 0


def test_the_page_of_an_offset():
    # Three pages joined by a two-character separator, as ingest stores them.
    pages = [(0, 10), (12, 30), (32, 40)]
    assert [page_at(pages, offset) for offset in (0, 9, 10, 11, 12, 29, 31, 32, 39)] == [1, 1, 1, 1, 2, 2, 2, 3, 3]
    assert page_at([[5, 10], [12, 20]], 3) is None  # before the first page (pages as JSON stores them)
    assert page_at([], 3) is None and page_at(None, 3) is None
