"""How a vote went, answered from the minutes that record it (`RecordedVoteFinder`), on CI's index
of dev documents, which holds Kent County Council's printed minutes of 13 March 2025."""

from datetime import date

import pytest

from indexes import IndexSettings, SearchFilter, open_index
from service.components.recorded_vote_finder import asks_vote, held, meeting_dates, rarity, topic_stems
from service.engine import QueryEngine
from service.schemas import AskRequest
from service.settings import ServiceSettings


@pytest.mark.parametrize("question, asked", [
    ("Kent minerals and waste plan adoption March 2025 - how many councillors voted for it?", "count"),
    ("What was the vote on the electoral reform motion in December 2024?", "count"),
    ("By how many votes was the budget amendment defeated?", "count"),
    ("Was the Liberal Democrat amendment on fly-tipping carried?", "outcome"),
    ("What happened to the Greens' £75k budget amendment for a home to school transport feasibility study?", "outcome"),
    ("Did the motion on disposable vapes pass?", "outcome"),
    ("How many members abstained on the pay policy motion?", "count"),
    ("How many councillors opposed the Local Transport Plan?", "count"),
    ("What was the final vote on the budget?", "count"),
    ("By what margin was the amendment on fly-tipping defeated?", "count"),
    ("Did anyone vote against the Section 25 report?", "count"),
    # A motion about elections is still a motion.
    ("Did the motion calling for proportional representation in county council elections fail?", "outcome"),
    ("Was the recommendation on the council's response to the consultation on remote meetings agreed?", "outcome"),
])
def test_questions_about_how_a_vote_went(question, asked):
    assert asks_vote(question) == asked


@pytest.mark.parametrize("question", [
    # Voters in an election are not councillors voting on a motion.
    "How many young people voted in the Kent Youth County Council elections at the end of 2024?",
    "How many people voted for Reform UK in Kent?",
    "How many councillors voted in the 2021 county council elections?",
    # One member's vote: a tally that does not name them does not answer it.
    "How did Mrs Hohler vote on the home to school transport amendment?",
    "Which way did Mr Mallon vote on the budget?",
    # A figure in an amendment, not a count of votes.
    "By how much would the Liberal Democrats' amendment cut the Turner Contemporary grant?",
    "How many complaints did the council receive about children's social care?",
    # Who moved it, or what it said, is not how the vote went.
    "Who proposed the Green and Independent amendment on home to school transport?",
    "What did the Green and Independent motion on vapes ask the Cabinet Member to do?",
])
def test_other_questions_are_not_about_a_vote(question):
    assert asks_vote(question) is None


def test_the_topic_is_what_the_motion_was_about_not_the_asking_or_the_meeting():
    assert topic_stems("how many councillors voted for the final devolution motion at the extraordinary meeting on 9 January 2025?") == {"devolut"}


@pytest.fixture(scope="module")
def engine(dev_index_path):
    settings = ServiceSettings(index=IndexSettings(index_path=dev_index_path))
    with open_index(settings.index) as index:
        yield QueryEngine(index, settings)


def test_a_count_is_quoted_from_the_vote_on_the_motion_asked_about(engine):
    answer = engine.ask(AskRequest(question="Kent minerals and waste plan adoption March 2025 - how many councillors voted for it?"))
    assert not answer.abstained
    quotes = [c.quote for c in answer.citations]
    assert all("Printed minutes 13th-Mar-2025" in c.title for c in answer.citations)
    # Which motion (who moved it), the question put with the count asked for, the outcome.
    assert quotes[0].startswith("Mr Derek Murphy proposed")
    assert quotes[1].startswith("Following the debate, the Chairman put the motion set out in paragraph 1 to the vote") and quotes[1].endswith("For (52)")
    assert quotes[-1] == "Motion carried."
    # Not the count against, which was not asked for.
    assert not any(q.startswith("Against") for q in quotes)
    for c in answer.citations:
        assert engine.quote_is_exact(c.document_id, c.start, c.end, c.quote)


def test_an_outcome_without_a_count_declines_a_count(engine):
    answer = engine.ask(AskRequest(question="What was the vote count when County Council agreed its comments on the family hubs decision on 13 March 2025?"))
    assert answer.abstained and "not how many voted" in answer.reason
    # Asked whether it was carried, the minutes say.
    answer = engine.ask(AskRequest(question="Was the motion making comments on the family hubs decision carried on 13 March 2025?"))
    assert not answer.abstained and answer.citations[-1].quote == "Motion carried."


def test_a_vote_on_another_motion_is_not_an_answer(engine):
    # The minutes record votes that day, none on school uniform grants: the finder gives way to
    # the passages.
    result = engine.run_ask_pipeline(AskRequest(question="How many councillors voted for the school uniform grant motion on 13 March 2025?"), outputs={"votes"})
    assert result["votes"]["answer"] is None


def test_a_reader_who_searches_other_papers_is_not_answered_from_minutes(engine):
    request = AskRequest(question="Kent minerals and waste plan adoption March 2025 - how many councillors voted for it?", filters={"type": ["report"]})
    result = engine.run_ask_pipeline(request, outputs={"votes"})
    assert result["votes"]["answer"] is None


def test_topic_words_weigh_by_how_few_paragraphs_of_the_minutes_use_them():
    minutes = "\n\n".join(["The Local Transport Plan was debated: transport, roads and buses."] * 8 + ["Members asked about SEND transport."])
    weights = rarity({"send", "transport"}, minutes)
    assert weights["send"] > 2 * weights["transport"]
    # A motion on the transport plan holds "transport" but not the SEND the question is about.
    assert held(weights, "approve and adopt Local Transport Plan 5") < 0.5
    assert held(weights, "a motion on SEND transport") == 1.0


def test_the_meeting_named_narrows_the_search_and_an_event_named_does_not():
    assert meeting_dates("How did the council vote on devolution in January 2025?", SearchFilter()) == {"since": date(2025, 1, 1), "until": date(2025, 1, 31)}
    assert meeting_dates("the vote at the February 2025 budget meeting", SearchFilter()) == {"since": date(2025, 2, 1), "until": date(2025, 2, 28)}
    assert meeting_dates("How many voted on 9 January 2025?", SearchFilter()) == {"since": date(2025, 1, 9), "until": date(2025, 1, 9)}
    # The elections the amendment was about are not the meeting.
    assert meeting_dates("How many supported the amendment to keep the May 2025 county elections?", SearchFilter()) == {}


def test_the_final_vote_is_on_the_substantive_motion(engine):
    answer = engine.ask(AskRequest(question="What was the final vote on the governance working party's proposals in March 2025?"))
    assert not answer.abstained
    assert any("substantive motion" in c.quote.lower() for c in answer.citations)
    assert any(c.quote == "For (37)" or c.quote.endswith("For (37)") for c in answer.citations)


def test_the_amendment_asked_about_not_the_motion_it_amends(engine):
    answer = engine.ask(AskRequest(question="Was the amendment on the governance working party's proposals carried in March 2025?"))
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("Mr Holden proposed") and answer.citations[-1].quote.startswith("Amendment carried")


def test_an_item_whose_vote_is_not_recorded_is_not_answered_from_another_item(engine):
    # The treasury management update was agreed without a vote put; the budget and governance
    # items, which mention treasury management, record votes on other motions.
    result = engine.run_ask_pipeline(AskRequest(question="Was the treasury management mid-year update carried in March 2025?"), outputs={"votes"})
    assert result["votes"]["answer"] is None
