"""Votes as printed minutes record them (excerpts of Kent County Council's minutes, 2024-25)."""

from councils.minutes import agenda_items, motion_of, motions, recorded_votes

TALLIED = (
    "(11) Mr Hood proposed, and Mr Lewis seconded the following amendment: Proposed Purpose:\n\n"
    "“Allocate up to £75k from the money earmarked for general reserves to a feasibility study.”\n\n"
    "(12) Following the debate, the Chairman put to the vote the amendment set out in paragraph 11 above and the voting was as follows:\n\n"
    "For (16)\n\nMr Baldock, Mr Brady, Ms Hawkins, Mr Hood Against (41) Mr Baker, Mr Beaney, Mrs Bell Abstain (0) Amendment lost.\n\n"
    "(13) Mr Streatfeild proposed, and Mr Hook seconded the following amendment: Proposed Purpose:\n\n“Highways.”\n"
)
UNTALLIED = (
    "2) Mr Booth proposed and Mrs Binks seconded the following motion: “That the Council makes comments.”\n\n"
    "3) Mr Lehmann asked for his vote against to be recorded.\n\n"
    "4) Following the debate, the Chairman put the motion set out in paragraph 2 to the vote.\n\nMotion carried.\n\n"
    "5) RESOLVED that the County Council makes comments.\n"
)


def test_a_tallied_vote_has_its_counts_outcome_and_the_paragraph_it_put():
    (vote,) = recorded_votes(TALLIED)
    assert TALLIED[slice(*vote.statement)].startswith("Following the debate, the Chairman put to the vote the amendment")
    assert vote.paragraph == 11
    assert {kind: count for kind, (count, _) in vote.tallies.items()} == {"for": 16, "against": 41, "abstain": 0}
    assert TALLIED[slice(*vote.tallies["for"][1])] == "For (16)"
    assert TALLIED[slice(*vote.outcome)] == "Amendment lost."


def test_the_motion_is_the_paragraph_put_and_stops_at_the_next_one():
    (vote,) = recorded_votes(TALLIED)
    start, end = motion_of(TALLIED, vote)
    motion = TALLIED[start:end]
    assert motion.startswith("Mr Hood proposed") and "feasibility study" in motion
    # Not the vote itself, nor the next amendment.
    assert "Following the debate" not in motion and "Streatfeild" not in motion


def test_a_vote_with_only_its_outcome_has_no_counts():
    (vote,) = recorded_votes(UNTALLIED)
    assert vote.paragraph == 2 and vote.tallies == {}
    assert UNTALLIED[slice(*vote.outcome)] == "Motion carried."
    start, end = motion_of(UNTALLIED, vote)
    assert UNTALLIED[start:end].startswith("Mr Booth proposed") and "Lehmann" not in UNTALLIED[start:end]


def test_it_was_agreed_is_an_outcome():
    text = "15) Mr Streatfeild proposed the amendment.\n\n16) Following the debate, the Chairman put the amendment set out at paragraph 15 to the vote and it was agreed.\n"
    (vote,) = recorded_votes(text)
    assert text[slice(*vote.outcome)] == "and it was agreed." and vote.paragraph == 15


def test_text_that_records_no_vote_has_none():
    assert recorded_votes("The Cabinet Member answered questions on the vote at the youth council elections. For (the record) nothing was decided.") == []
    # A motion put with no outcome or count near it is not a recorded vote.
    assert recorded_votes("Members asked that the motion be put to the vote at the next meeting.\n\n" + "Other business. " * 300) == []


def test_an_outcome_closes_a_sentence_or_a_line_not_prose_that_mentions_one():
    text = ("3) The Chairman put the motion set out in paragraph 2 to the vote.\n\n"
            "The Leader said the recommendations agreed by Cabinet in January would follow. Motion carried.\n")
    (vote,) = recorded_votes(text)
    assert text[slice(*vote.outcome)] == "Motion carried."
    unanimous = "1) The Chairman put the motion set out in paragraph 1 to the vote and it was agreed unanimously.\n"
    assert unanimous[slice(*recorded_votes(unanimous)[0].outcome)] == "and it was agreed unanimously."


def test_agenda_items_run_from_one_numbered_heading_to_the_next():
    text = ("Minutes of the meeting\n\n290. Section 25 Report (Item 5) Mr Betts introduced the report.\n\n"
            "291. Capital Programme 2025-35 and Revenue Budget 2025-26 (including Council Tax\nSetting 2025/26) (Item 6)\n\n(1) The Chairman ...\n")
    items = agenda_items(text)
    assert len(items) == 2
    assert text[slice(*items[0])].rstrip().endswith("Mr Betts introduced the report.")
    assert text[slice(*items[1])].startswith("291. Capital Programme")
    # Minutes that number no items are one.
    assert agenda_items("RESOLVED that the minutes be agreed.") == [(0, len("RESOLVED that the minutes be agreed."))]


def test_a_substantive_motion_put_without_a_paragraph_is_the_motion_as_amended():
    text = ("2) Mr Holden proposed and Mr Lewis seconded the following amendment: “Note the update.”\n\n"
            "3) The Chairman put the amendment set out in paragraph 2 to the vote and the voting was as follows:\n\nFor (32) Mr A Against (11) Mr B Abstain (0) Amendment carried\n\n"
            "4) Following the debate, the Chairman put the substantive motion to the vote and the voting was as follows:\n\nFor (37) Mr A Against (0) Abstain (2) Mr C Substantive Motion carried.\n")
    votes = recorded_votes(text)
    amendment, substantive = motions(text, votes)
    assert substantive == amendment and text[slice(*amendment)].startswith("Mr Holden proposed")
    # Not the names listed under the vote before it.
    assert "For (32)" not in text[slice(*substantive)]
