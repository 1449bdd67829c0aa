"""Paragraph numbers: layout that opens a paragraph, not words of it."""

import pytest

from councils.text import (
    continues_paragraph,
    page_at,
    sentence_spans,
    without_paragraph_number,
    words_start,
)


@pytest.mark.parametrize(
    "text, words",
    [
        ("34.Since the last inspection in 2016", "Since the last inspection in 2016"),
        ("2.23 The previous government had confirmed", "The previous government had confirmed"),
        ("1.2.4 The plan and priority actions", "The plan and priority actions"),
        ("2.4The intention of the Government", "The intention of the Government"),
        ("(4) Recommend that the council", "Recommend that the council"),
        ("14) Mr Lehmann commented", "Mr Lehmann commented"),
        ("5. Children in care are visited", "Children in care are visited"),
        ("5. A review was commissioned", "A review was commissioned"),
        ("7. LSCB partners agreed", "LSCB partners agreed"),
        ("2.1 ‘Good’ was the judgement", "‘Good’ was the judgement"),
        ("12. “Children come first” is the plan", "“Children come first” is the plan"),
        ("41.", ""),
        ("(4)", ""),
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
        "18.5",  # a figure standing alone
        "2.1 NHS England said",  # a decimal before an acronym is read as a figure ("4.5 FTE")
        "Since 2016-17 the Council has had the ability",
    ],
)
def test_words_that_open_with_a_figure_are_kept(text):
    assert without_paragraph_number(text, 0, len(text)) == 0


@pytest.mark.parametrize(
    "text, words",
    [
        ("• Challenge and support to partner agencies", "Challenge and support to partner agencies"),
        ("◼ Challenge and support to partner agencies", "Challenge and support to partner agencies"),
        ("\uf0b7 Care leavers are consulted", "Care leavers are consulted"),  # a symbol-font bullet
        ("• 4.2 The Council agreed the budget", "The Council agreed the budget"),
        ("34.Since the last inspection", "Since the last inspection"),
        ("•", ""),
        ("• 41.", ""),
        # Kept: an opening quotation mark, a figure, words.
        ("“Children come first” is the plan", "“Children come first” is the plan"),
        ("12 Children's homes were inspected", "12 Children's homes were inspected"),
        ("Care leavers • are consulted", "Care leavers • are consulted"),
    ],
)
def test_a_quote_s_words_start_after_its_bullet_and_number(text, words):
    assert text[words_start(text, 0, len(text)) :] == words


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


def test_a_sentence_continues_the_paragraph_of_the_one_before_unless_it_opens_its_own():
    def continues(text: str, second: str) -> bool:
        start = text.index(second)
        return continues_paragraph(text, text.index(".") + 1, start, start + len(second))

    assert continues("The Director attended. He undertook to report back.", "He undertook")
    assert continues("The Director attended.\nHe undertook to report back.", "He undertook")  # a line break in a paragraph
    assert not continues("The Director attended.\n\nHe undertook to report back.", "He undertook")
    assert not continues("Leaders know their services well. 34.Since the last inspection.", "34.Since")
    assert not continues("The plan has three aims.\n• Children are seen quickly.", "• Children")
    assert not continues("Reserves fell by £0.2m. B) New Homes Bonus grant ends.", "B) New Homes")


def test_each_field_of_a_report_cover_sheet_run_together_is_a_sentence_of_its_own():
    text = (
        "By: Anna Taylor, Scrutiny Research Officer To: Cabinet - 4 March 2025 Subject: Cabinet reconsideration "
        "of Decision 24/00093 Decision Number: 24/00115 Classification: Unrestricted Past Pathway of Paper: N/A "
        "Future Pathway of Paper: County Council Decision no: 24/001 Author: Jo Bloggs "
        "Summary: Following the referral, Cabinet must reconsider the decision."
    )
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "By: Anna Taylor, Scrutiny Research Officer",
        "To: Cabinet - 4 March 2025",
        "Subject: Cabinet reconsideration of Decision 24/00093",
        "Decision Number: 24/00115",
        "Classification: Unrestricted",
        "Past Pathway of Paper: N/A",
        "Future Pathway of Paper: County Council",
        "Decision no: 24/001",
        "Author: Jo Bloggs",
        "Summary: Following the referral, Cabinet must reconsider the decision.",
    ]
    # The fields are one block: the answer stage may quote a field with the next ("Subject: …
    # Decision no: …") as it quotes consecutive sentences of a paragraph.
    assert all(continues_paragraph(text, spans[i - 1][1], *spans[i]) for i in range(1, len(spans)))


@pytest.mark.parametrize(
    "text",
    [
        # A label that ends in a field's word is not cut in two.
        "Capital programme 2025-26 Funded By: Grant 12.1 Borrowing 3.4",
        "The report was sent to: the Corporate Board, the Cabinet and the Scrutiny Committee.",
        "Officers were asked to report back To the committee in March.",
    ],
)
def test_a_label_like_word_inside_a_line_does_not_split_it(text):
    assert [text[a:b] for a, b in sentence_spans(text)] == [text]
