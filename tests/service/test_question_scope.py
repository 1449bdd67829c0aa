"""Reading the authorities and the period a question names."""

from datetime import date

from indexes import SearchFilter
from service.components.question_scope import QuestionScope, read_scope


def test_a_publication_month_scopes_to_that_month_exactly():
    scope = read_scope("What judgement did Ofsted give Cambridgeshire in the report published in May 2024?")
    assert scope.authorities == ("Cambridgeshire",)
    assert (scope.since, scope.until, scope.published) == (date(2024, 5, 1), date(2024, 5, 31), True)
    # A month's short form, as dates are written everywhere else (councils.dates).
    short = read_scope("What judgement did Ofsted give Cambridgeshire in the report published in Sept 2024?")
    assert (short.since, short.until, short.published) == (date(2024, 9, 1), date(2024, 9, 30), True)
    assert read_scope("What did the Mar 2024 inspection of Cambridgeshire find?").period == (date(2024, 3, 1), date(2024, 3, 31))


def test_an_inspection_year_admits_the_months_after_it():
    scope = read_scope("What was Medway's overall effectiveness grade in the 2023 Ofsted inspection?")
    assert scope.period == (date(2023, 1, 1), date(2023, 12, 31))
    assert (scope.since, scope.until) == (date(2023, 1, 1), date(2024, 4, 30))


def test_one_year_written_twice_is_one_period_but_two_years_are_none():
    scope = read_scope("How do the care leaver judgements in Kent's 2025 Ofsted inspection and Leeds's 2025 inspection compare?")
    assert scope.authorities == ("Kent", "Leeds") and scope.period == (date(2025, 1, 1), date(2025, 12, 31))
    scope = read_scope("How do the care leaver judgements in Kent's 2025 Ofsted inspection and Leeds's 2024 inspection compare?")
    assert scope.period is None and scope.since is None


def test_a_period_since_which_something_changed_admits_everything_later():
    scope = read_scope("How have Hammersmith and Fulham's children's services changed since the 2016 inspection?")
    assert (scope.since, scope.until) == (date(2016, 1, 1), None)
    # "After its inspection" asks what that inspection's report said.
    scope = read_scope("Which areas did Ofsted say Halton needed to improve after its 2020 children's services inspection?")
    assert (scope.since, scope.until) == (date(2020, 1, 1), date(2021, 4, 30))


def test_a_judgement_asked_as_judged_reads_the_year_as_the_inspection_s():
    for question in ("What was Sunderland judged overall in 2018?", "Sunderland's Ofsted grades in 2018"):
        scope = read_scope(question)
        assert scope.period == (date(2018, 1, 1), date(2018, 12, 31)) and not scope.event, question
    # A credit rating or exam grades are no inspection's: the year filters nothing.
    for question in ("What was Kent's credit rating in 2019?", "What were Kent's GCSE grades in 2023?"):
        assert read_scope(question).period is None, question


def test_a_year_written_straight_after_the_inspection_is_the_inspection_s():
    scope = read_scope("Wigan Ofsted children's services inspection 2016 rating")
    assert scope.period == (date(2016, 1, 1), date(2016, 12, 31)) and not scope.event
    # A year that names something else, with the inspection named apart, dates that event.
    assert read_scope("What did Ofsted's inspection say about Leeds's 2019 improvement plan?").event


def test_a_year_in_a_question_not_about_an_inspection_is_not_a_filter():
    # The 2024 elections were reported in January 2025 minutes.
    scope = read_scope("How many young people voted in the Kent Youth County Council elections at the end of 2024?")
    assert scope.authorities == ("Kent",) and scope.since is None and scope.until is None


def test_authorities_are_found_however_they_are_typed_and_in_order():
    assert read_scope("Stoke-on-trent and Telford & Wrekin").authorities == ("Stoke-on-Trent", "Telford and Wrekin")
    assert read_scope("compare how Medway and West Berkshire responded").authorities == ("Medway", "West Berkshire")
    assert read_scope("what is reading age in the report").authorities == ()


def test_the_request_filters_win_and_fall_back_keeps_a_named_period():
    component = QuestionScope()
    result = component.run(question="Who inspected Medway in 2019?", filters=SearchFilter(authorities=["Kent"]))
    assert result["filters"].authorities == ["Kent"]
    assert result["fallback_filters"].authorities == ["Kent"] and result["fallback_filters"].since == date(2019, 1, 1)
    assert "Medway" in result["topic"] and "2019" not in result["topic"]
    dated = component.run(question="Who inspected Medway in 2019?", filters=SearchFilter(since=date(2020, 1, 1)))
    assert dated["filters"].since == date(2020, 1, 1) and dated["filters"].until is None


def test_the_topic_drops_what_the_filters_stand_for():
    result = QuestionScope().run(question="What did Ofsted say West Berkshire's leaders had created in 2022?")
    assert result["topic"] == "What did Ofsted say leaders had created in ?"
    assert QuestionScope(enabled=False).run(question="Medway in 2019 inspection")["filters"] == SearchFilter()


def test_a_name_that_is_also_a_word_is_the_authority_when_a_question_capitalises_it():
    # "Reading", "Bury", "York" and "Sutton" are authorities that running text only names with
    # "Council" after them; a question writes the bare name.
    assert read_scope("Has Reading's fostering service improved since 2019?").authorities == ("Reading",)
    assert read_scope("York children's services: what did the 2022 inspection find?").authorities == ("York",)
    assert read_scope("Bury has a new director of children's services - since when?").authorities == ("Bury",)
    assert read_scope("Were Sutton and Merton inspected in the same year?").authorities == ("Sutton", "Merton")
    # ... but not as a verb opening the question, in lower case, or inside a longer name.
    assert read_scope("Reading the latest report, what did inspectors praise?").authorities == ()
    assert read_scope("what reading age do the looked-after children reach?").authorities == ()
    assert read_scope("How many children in care live in New York?").authorities == ()
    assert read_scope("Which schools in Sutton Coldfield joined the scheme?").authorities == ()
    # ... nor the end of another authority's name.
    assert read_scope("What grade did Ofsted give Bournemouth, Christchurch & Poole's children's services?").authorities == ("Bournemouth, Christchurch and Poole",)
    assert QuestionScope().run(question="What did Ofsted say about Reading's front door in 2019?")["topic"] == "What did Ofsted say about front door in ?"


def test_a_named_authority_is_dropped_only_when_the_question_names_no_period():
    component = QuestionScope()
    dated = component.run(question="What did Ofsted find when it inspected Medway in 2015?")
    assert dated["fallback_filters"] == dated["filters"] and dated["filters"].authorities == ["Medway"]
    undated = component.run(question="What did Ofsted find in Medway?")
    assert undated["filters"].authorities == ["Medway"] and undated["fallback_filters"].authorities == []


def test_an_event_s_period_falls_back_to_the_authority_s_later_reports_but_an_inspection_s_does_not():
    component = QuestionScope()
    for question in ("What caseloads did Ofsted find in Medway's 2015 inspection?",
                     "What did Ofsted find when it inspected Medway's children's services in March 2015?",
                     "What did the 2015 Ofsted report say about Medway's care leavers?",
                     "What did Ofsted say about Medway's care leavers in 2015?"):
        result = component.run(question=question)
        assert not result["scope"].event, question
        assert result["fallback_filters"] == result["filters"], question
    for question in ("Why did Medway's March 2015 restructure leave families without support, according to Ofsted?",
                     "How many Medway children were on plans at the end of March 2015, according to the 2016 Ofsted report?"):
        result = component.run(question=question)
        assert result["scope"].event, question
        assert result["filters"].until == date(2015, 7, 31), question
        fallback = result["fallback_filters"]
        assert fallback.authorities == ["Medway"] and fallback.since == date(2015, 3, 1) and fallback.until is None, question


def test_a_change_between_two_inspections_is_read_in_the_later_report():
    for question in ("How did Hackney's services change between the 2016 and 2019 inspections?",
                     "How much had West Berkshire's vacancy rate changed between its 2015 inspection and the 2017 re-inspection?"):
        scope = read_scope(question)
        later = 2019 if "2019" in question else 2017
        assert (scope.since, scope.until) == (date(later, 1, 1), date(later + 1, 4, 30)), question
    # Two inspections compared: both reports are read.
    scope = read_scope("How do Medway's 2015 and 2019 inspections compare on caseloads?")
    assert (scope.since, scope.until) == (date(2015, 1, 1), date(2020, 4, 30))
    # "Since" as "because" is the inspection's own report.
    scope = read_scope("Since the 2016 inspection found Kent's caseloads too high, what did it recommend?")
    assert (scope.since, scope.until) == (date(2016, 1, 1), date(2017, 4, 30))
    # Two inspections without a change asked about: neither period is the one read.
    assert read_scope("What did Medway's 2015 inspection and its 2019 inspection say about caseloads?").period is None


def test_a_named_day_outside_an_inspection_admits_only_papers_from_that_day_on():
    scope = read_scope("Who was the contact officer for Kent's Cabinet meeting on 4 March 2025?")
    assert (scope.since, scope.until) == (date(2025, 3, 4), None) and scope.authorities == ("Kent",)
    assert "4 March 2025" in QuestionScope().run(question="Who was the contact officer for Kent's Cabinet meeting on 4 March 2025?")["topic"]
    # A month alone, or a day that no calendar holds, bounds nothing.
    assert read_scope("What did Kent's Cabinet agree in March 2025?").since is None
    assert read_scope("What did Kent's Cabinet agree on 31 February 2025?").since is None
    # A deadline bounds nothing from below: the plan that set it came before it.
    assert read_scope("What did Kent promise to deliver by 31 March 2026?").since is None
    # An inspection keeps its own period: the named month and the months after it.
    assert read_scope("What did Ofsted find when it inspected Medway on 4 March 2019?").since == date(2019, 3, 1)
