"""Questions about what an Ofsted report's first page states, answered by quoting that line of
the report the question names (sample index: Medway 2019 and 2023, West Berkshire 2015 and 2022)."""

import pytest


@pytest.mark.parametrize(
    ("question", "quote_parts", "published"),
    [
        ("Who was the lead inspector for Medway's 2023 children's services inspection?", ["Amanda Maxwell"], "2023-09-11"),
        ("What was Medway's overall effectiveness grade in the 2023 Ofsted inspection?", ["Overall effectiveness", "Good"], "2023-09-11"),
        ("What overall effectiveness judgement did Ofsted give Medway in August 2019?", ["Inadequate"], "2019-08-27"),
        ("How did Ofsted judge services for West Berkshire children who need help and protection in 2015?", ["help and protection", "nadequate"], "2015-05-18"),
        ("When did Ofsted's inspectors visit west berkshire for the inspection published in May 2022?", ["Inspection dates: 14 to 18 March 2022"], "2022-05-04"),
        ("What is West Berkshire's latest Ofsted judgement?", ["Overall effectiveness"], "2022-05-04"),
        # "Judged" and "rating" name a judgement too: the year is the report's, not the latest one's.
        ("What was Medway judged overall in 2019?", ["Overall effectiveness", "Inadequate"], "2019-08-27"),
        ("What rating did West Berkshire get from Ofsted in 2015?", ["nadequate"], "2015-05-18"),
        # Rating as a verb, and a question whether it had a grade: the judgement answers yes or no.
        ("How did Ofsted rate Medway in 2019?", ["Inadequate"], "2019-08-27"),
        ("How did Ofsted rate Medway last time?", ["Good"], "2023-09-11"),
        ("Is Medway still rated inadequate?", ["Overall effectiveness", "Good"], "2023-09-11"),
        ("Was West Berkshire inadequate in 2015?", ["nadequate"], "2015-05-18"),
        # The report before the latest, not the first.
        ("What was Medway's Ofsted rating before the current one?", ["Inadequate"], "2019-08-27"),
        ("What was Medway rated previously?", ["Inadequate"], "2019-08-27"),
    ],
)
def test_first_page_facts_are_quoted_from_the_report_the_question_names(client, question, quote_parts, published):
    body = client.post("/ask", json={"question": question}).json()
    assert not body["abstained"], body["reason"]
    assert "first page of Ofsted's report" in body["reason"]
    quote = body["citations"][0]["quote"]
    assert all(part in quote for part in quote_parts), quote
    assert {c["date"] for c in body["citations"]} == {published}
    assert {c["page"] for c in body["citations"]} == {1}
    for citation in body["citations"]:
        text = client.get(f"/documents/{citation['document_id']}").json()["text"]
        assert text[citation["start"]:citation["end"]] == citation["quote"]


def test_when_graded_cites_the_report_that_gave_that_grade(client):
    body = client.post("/ask", json={"question": "When was West Berkshire's children's services graded inadequate by Ofsted?"}).json()
    assert [c["quote"] for c in body["citations"]][0].startswith("Report published:")
    assert "May 2015" in body["answer"] and "inadequate" in body["answer"]


def test_a_named_period_without_a_report_is_not_answered_from_another_year(client):
    body = client.post("/ask", json={"question": "What overall effectiveness judgement did Ofsted give Medway in the report published in March 2030?"}).json()
    assert body["abstained"] and body["citations"] == []
    assert "Medway" in body["reason"] and "2030" in body["reason"]


def test_other_questions_about_ofsted_are_left_to_extractive_answering(client):
    for question in (
        "What is Medway's NFA rate?",
        "Why was Medway rated inadequate in 2019?",
        "Was the inadequate judgement a surprise to Medway's councillors?",
        "How often would Ofsted make monitoring visits to Medway after the inadequate judgement?",
        "What did Medway do after the inadequate judgement in 2019?",
        "What was the impact of Medway's inadequate judgement?",
        "What did Ofsted find when it inspected Medway in 2019?",
    ):
        body = client.post("/ask", json={"question": question}).json()
        assert "first page of Ofsted's report" not in body["reason"], question
    # No Ofsted report on Kent in the sample: the question goes to the passages, not to a guess.
    kent = client.post("/ask", json={"question": "What is Kent's latest Ofsted grade?"}).json()
    assert "first page of Ofsted's report" not in kent["reason"]


def test_a_named_authority_and_period_without_documents_is_not_answered_from_another_authority(client):
    # The sample holds West Berkshire's 2015 report but nothing of Medway's from 2015.
    question = "What did inspectors find about Medway's help for care leavers when Ofsted inspected in 2015?"
    body = client.post("/ask", json={"question": question}).json()
    assert body["abstained"] and body["citations"] == [], body["citations"]
    # Without a period the named authority's documents of any year are still read.
    body = client.post("/ask", json={"question": "What did inspectors find about Medway's help for care leavers?"}).json()
    assert body["passages"] and {p["authority"] for p in body["passages"]} == {"Medway"}


def test_two_years_judgements_are_each_quoted_from_their_own_report(client):
    body = client.post("/ask", json={"question": "How did Ofsted's overall effectiveness judgement on Medway change between 2019 and 2023?"}).json()
    assert not body["abstained"], body["reason"]
    by_date = {c["date"]: c["quote"] for c in body["citations"]}
    assert set(by_date) == {"2019-08-27", "2023-09-11"}
    assert "Inadequate" in by_date["2019-08-27"] and "Good" in by_date["2023-09-11"]
    # A year without a report is said to be missing, not answered from the other year alone.
    body = client.post("/ask", json={"question": "How did Ofsted's judgement on Medway change between 2015 and 2023?"}).json()
    assert body["abstained"] and body["citations"] == [] and "2015" in body["reason"]


def _cited(client, question):
    body = client.post("/ask", json={"question": question}).json()
    for citation in body["citations"]:
        text = client.get(f"/documents/{citation['document_id']}").json()["text"]
        assert text[citation["start"]:citation["end"]] == citation["quote"]
    return body


def test_what_needs_to_improve_quotes_each_item_of_the_named_reports_list(client):
    body = _cited(client, "What did Ofsted tell Medway to improve after its 2019 inspection?")
    assert not body["abstained"] and "what needs to improve" in body["reason"], body["reason"]
    assert {c["date"] for c in body["citations"]} == {"2019-08-27"}
    quotes = [c["quote"] for c in body["citations"]]
    assert len(quotes) == 10 and quotes[1] == "Staffing capacity across children’s social care, early help hubs and leaving care teams."
    assert all(c["page"] and c["page"] > 1 for c in body["citations"])
    # The 2014-15 layout ("What does the local authority need to improve?", numbered actions).
    body = _cited(client, "West Berkshire 2015 Ofsted areas for improvement")
    assert {c["date"] for c in body["citations"]} == {"2015-05-18"} and len(body["citations"]) >= 10
    assert all("Local Safeguarding" not in c["quote"] for c in body["citations"])


def test_an_improvement_question_on_one_area_quotes_only_that_areas_items(client):
    body = _cited(client, "What did Ofsted say Medway needed to improve for care leavers in 2019?")
    quotes = [c["quote"] for c in body["citations"]]
    assert quotes[0].startswith("Services to help care leavers access") and len(quotes) < 10
    assert all("care leavers" in quote for quote in quotes)


def test_improvement_questions_the_list_does_not_answer_go_to_the_passages(client):
    for question in (
        "What did Ofsted's 2019 inspection say Medway needed to improve about social workers' caseloads?",  # a topic
        "What did Medway do to improve after the inadequate judgement?",  # not the list
        "How many recommendations did Ofsted make for Medway in 2019?",  # a count
        "How did the things Ofsted asked Medway to improve differ between 2019 and 2023?",  # two lists
    ):
        body = client.post("/ask", json={"question": question}).json()
        assert "what needs to improve" not in body["reason"], question
    # A year without a report is said to be missing, not answered from another year's list.
    body = client.post("/ask", json={"question": "What did Ofsted tell Medway to improve after its 2021 inspection?"}).json()
    assert body["abstained"] and body["citations"] == [] and "2021" in body["reason"]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Which four things did inspectors say Lambeth needed to improve after the 2023 inspection?", "improvements"),
        ("Lincolnshire 2019 Ofsted areas for improvement", "improvements"),
        ("What was Norfolk told to improve by Ofsted?", "improvements"),
        ("What did inspectors recommend for Warrington's children's services in 2019?", "improvements"),
        ("What improvements did Ofsted ask Dudley to make?", "improvements"),
        ("What did Ofsted tell Bournemouth, Christchurch and Poole to improve?", "improvements"),
        ("What areas of improvement did Ofsted highlight for Dorset at its previous inspection?", "improvements"),
        ("What did Ofsted's early 2023 inspection say Luton should improve?", "improvements"),
        ("Which single area did Ofsted say Bexley still needed to improve after judging it outstanding?", "improvements"),
        ("What should Bury do better, according to Ofsted's 2025 inspection?", "improvements"),
        ("Was there anything Ofsted said Sutton still needed to get better after its outstanding judgement?", "improvements"),
        ("Had Rochdale's services for children in care got any better by the 2024 inspection?", None),  # what improved
        ("What did Ofsted say Essex needs to improve in its early help?", None),  # a topic: "early help"
        ("What areas for improvement did the Cabinet identify in Kent's budget?", None),  # not Ofsted's
        ("Which weaknesses found at Hull's 2018 inspection had Ofsted seen improve by 2023?", None),  # what improved
        ("Why was Walsall slow to improve after its inadequate Ofsted judgement?", None),
        ("What did Ofsted recommend in 2016 about advocacy for Torbay children in care?", None),  # a topic
        ("What has Sefton done to improve since the 2019 inspection?", None),
        ("What did Sefton's leaders tell Ofsted they needed to improve in 2024?", None),  # the council's own account
        ("What did Ofsted tell Sefton it needed to improve in 2024?", "improvements"),
        ("What does the 2024 report say inspectors want Sefton to improve?", "improvements"),
        # A judgement area by its later name: care leavers are "care-experienced young people".
        ("What did Ofsted say Sefton needed to improve for care-experienced young people in 2024?", "improvements"),
    ],
)
def test_which_questions_ask_for_the_improvement_list(question, kind):
    from service.components.inspection_fact_finder import InspectionFactFinder

    assert InspectionFactFinder.kind(question) == kind


def test_several_authorities_judgements_are_each_quoted_from_their_own_report(client):
    body = _cited(client, "Medway vs West Berkshire: latest Ofsted overall effectiveness")
    assert not body["abstained"], body["reason"]
    by_authority = {c["authority"]: c for c in body["citations"]}
    assert set(by_authority) == {"Medway", "West Berkshire"}
    assert by_authority["Medway"]["date"] == "2023-09-11" and by_authority["West Berkshire"]["date"] == "2022-05-04"
    assert all(c["quote"].startswith("Overall effectiveness") for c in body["citations"])
    # One authority without a report in the period: said, not answered from the other alone.
    body = client.post("/ask", json={"question": "Compare Medway's and West Berkshire's 2015 Ofsted judgements"}).json()
    assert body["abstained"] and body["citations"] == [] and "Medway" in body["reason"]
    # How judgements moved over time is not two first pages.
    body = client.post("/ask", json={"question": "Compare how Medway's and West Berkshire's Ofsted judgements changed since their previous inspections"}).json()
    assert "first page of Ofsted's reports" not in body["reason"]


def test_the_areas_figures_are_quoted_from_the_report_of_the_inspection_named(client):
    body = _cited(client, "How many children was West Berkshire looking after when Ofsted inspected in 2015?")
    assert not body["abstained"] and "children in care" in body["reason"], body["reason"]
    assert [c["date"] for c in body["citations"]] == ["2015-05-18"]
    assert body["citations"][0]["quote"].startswith("At 28 February 2015, 176 children are being looked after")
    # Set against the earlier figure, which the report states in the next sentence.
    body = _cited(client, "How did the number of children on child protection plans in West Berkshire compare with the year before, at the 2015 Ofsted inspection?")
    assert "This is an increase from 107 at 31 March 2014." in body["citations"][0]["quote"]
    # A rate the sentence does not state, or another time the report does not set it against, is
    # left to the passages.
    for question in (
        "What was West Berkshire's rate of child protection plans per 10,000 children at the 2015 Ofsted inspection?",
        "How many children on child protection plans did West Berkshire have after the 2015 Ofsted inspection?",
    ):
        body = client.post("/ask", json={"question": question}).json()
        assert "as Ofsted's report" not in body["reason"], question
    # Reports since 2018 state no such figures: the passages answer, not another year's report.
    body = client.post("/ask", json={"question": "How many children were in care in West Berkshire when Ofsted inspected in 2022?"}).json()
    assert "as Ofsted's report" not in body["reason"] and all(c["date"] != "2015-05-18" for c in body["citations"])


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many children were in Salford's care when Ofsted inspected in 2015?", "figure"),
        ("Number of children on child protection plans in Hull at the 2014 Ofsted inspection", "figure"),
        ("How many children in need did Ofsted count in Wigan in 2016?", "figure"),
        ("How many care leavers was Salford supporting when Ofsted inspected in 2015?", None),  # care leavers are not counted there
        ("How many children in care had an up-to-date health assessment when Ofsted inspected Salford?", None),  # a part of the figure
        ("By what percentage did the number of Hull children on child protection plans rise before the 2014 inspection?", None),
        ("How many children were looked after by Salford at 31 March 2015?", None),  # not said to be Ofsted's figure
        ("How many children were in foster care when Ofsted inspected Bury in 2016?", None),  # a part of the figure
        ("How many looked-after children did Ofsted find in Bury when it visited in 2016?", "figure"),
    ],
)
def test_which_questions_ask_for_an_areas_figure(question, kind):
    from service.components.inspection_fact_finder import InspectionFactFinder

    assert InspectionFactFinder.kind(question) == kind


def test_a_report_answers_only_for_the_years_a_question_names_when_the_scope_read_none():
    from datetime import date

    from service.components.inspection_fact_finder import _of_years_named
    from service.components.question_scope import Scope

    report = {"date": "2025-03-11", "ofsted": {"inspection_start": "2025-01-27", "inspection_end": "2025-01-31"}}
    unread = Scope(authorities=("Sunderland",))
    assert not _of_years_named(report, "What was Sunderland judged overall in 2018?", unread)
    assert _of_years_named(report, "What was Sunderland judged overall in 2025?", unread)
    # Inspected in January, published in March: either year names it.
    assert _of_years_named({**report, "date": "2026-03-11"}, "Sunderland's judgement in 2025?", unread)
    assert _of_years_named(report, "What is Sunderland's latest judgement?", unread)
    # A period the scope read has already narrowed the reports to it.
    read = Scope(authorities=("Sunderland",), since=date(2024, 1, 1), until=date(2025, 4, 30), period=(date(2024, 1, 1), date(2024, 12, 31)))
    assert _of_years_named(report, "Sunderland 2024 Ofsted judgement", read)


def test_which_of_two_authorities_was_better_rated_quotes_each_judgement(client):
    body = client.post("/ask", json={"question": "Which was better rated, Medway or West Berkshire?"}).json()
    assert not body["abstained"] and {c["authority"] for c in body["citations"]} == {"Medway", "West Berkshire"}
    assert {c["date"] for c in body["citations"]} == {"2023-09-11", "2022-05-04"}
    # West Berkshire had no inspection in 2019: half a comparison is not made.
    body = client.post("/ask", json={"question": "Which was better rated in 2019, Medway or West Berkshire?"}).json()
    assert body["abstained"] and "West Berkshire" in body["reason"]


def test_a_year_is_the_inspection_s_not_the_publication_s():
    from datetime import date

    from service.components.inspection_fact_finder import InspectionFactFinder

    january = {"document_id": "a", "date": "2022-03-30", "ofsted": {"inspection_start": "2022-01-10", "inspection_end": "2022-01-21"}}
    october = {"document_id": "b", "date": "2025-05-13", "ofsted": {"inspection_start": "2024-09-30", "inspection_end": "2024-10-11"}}
    undated = {"document_id": "c", "date": "2013-06-01", "ofsted": {}}
    reports = [january, october, undated]
    year = lambda y: (date(y, 1, 1), date(y, 12, 31))  # noqa: E731
    # Inspected in January 2022 and published in March: not 2021's report, though published within months of it.
    assert InspectionFactFinder._of_period(reports, year(2021)) == []
    assert InspectionFactFinder._of_period(reports, year(2022)) == [january]
    # Inspected in 2024 and published in May 2025: 2024's.
    assert InspectionFactFinder._of_period(reports, year(2024)) == [october]
    # A report printing no inspection dates is its publication year's.
    assert InspectionFactFinder._of_period(reports, year(2013)) == [undated]


def test_whether_an_authority_improved_between_two_inspections_quotes_both_judgements(client):
    body = client.post("/ask", json={"question": "Did West Berkshire improve between its 2015 and 2022 inspections?"}).json()
    assert not body["abstained"] and "first page of Ofsted's report" in body["reason"]
    assert [c["date"] for c in body["citations"]] == ["2015-05-18", "2022-05-04"]


def test_a_request_s_own_dates_stand_over_a_year_the_question_names(client):
    body = client.post("/ask", json={"question": "Was Medway inadequate in 2019?", "filters": {"since": "2023-01-01"}}).json()
    assert all(c["date"] >= "2023-01-01" for c in body["citations"]), body["citations"]
