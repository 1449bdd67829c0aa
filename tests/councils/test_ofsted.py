"""Reading an Ofsted report once, in both inspection frameworks, with offsets: its first page and its list of what needs to improve."""

from councils.ofsted import OFSTED_FACTS_VERSION, normalise_grade, read_area_figures, read_first_page, read_improvements, read_report

ILACS_PAGE = (
    "Inspection of Walsall local authority children’s services Inspection dates: 12 to 16 May 2025 Lead inspector: "
    "Nick Bennison, His Majesty’s Inspector Judgement Grade The impact of leaders on social work practice with children "
    "and families Outstanding The experiences and progress of children who need help and protection Good The experiences "
    "and progress of children in care Outstanding The experiences and progress of care leavers Good Overall effectiveness Outstanding"
)
SIF_PAGE = (
    "Inspection date: 3 June 2014 - 25 June 2014 Report published: 8 August 2014 The overall judgement is that children’s "
    "services are good\n\n1. Children who need help and protection\n\nRequires improvement\n\n2. Children looked after and "
    "achieving permanence Good\n\n3. Leadership, management and governance Good"
)


def quoted(page, fact, offset=0):
    return page[fact.start - offset : fact.end - offset]


def test_ilacs_first_page_facts_and_the_lines_that_state_them():
    page = read_first_page(ILACS_PAGE)
    assert page.framework == "ilacs"
    assert page.grades["overall_effectiveness"].value == "outstanding"
    assert quoted(ILACS_PAGE, page.grades["overall_effectiveness"]) == "Overall effectiveness Outstanding"
    assert quoted(ILACS_PAGE, page.grades["care_leavers"]) == "experiences and progress of care leavers Good"
    assert page.lead_inspector.value == "Nick Bennison"
    assert quoted(ILACS_PAGE, page.lead_inspector) == "Lead inspector: Nick Bennison, His Majesty’s Inspector"
    assert page.inspection_dates.value == "2025-05-12/2025-05-16"
    assert quoted(ILACS_PAGE, page.inspection_dates) == "Inspection dates: 12 to 16 May 2025"
    assert page.published is None


def test_single_framework_first_page_and_offsets_counted_from_where_the_page_starts():
    page = read_first_page(SIF_PAGE, offset=100)
    assert page.framework == "sif"
    assert page.grades["overall_effectiveness"].value == "good"
    assert quoted(SIF_PAGE, page.grades["overall_effectiveness"], 100).endswith("children’s services are good")
    assert quoted(SIF_PAGE, page.grades["help_and_protection"], 100) == "Children who need help and protection\n\nRequires improvement"
    assert page.grades["help_and_protection"].value == "requires improvement"
    assert page.published.value == "2014-08-08"
    assert page.lead_inspector is None
    meta = page.as_meta()
    assert meta["inspection_start"] == "2014-06-03" and meta["inspection_end"] == "2014-06-25"
    assert meta["spans"]["published"] == [page.published.start, page.published.end]
    assert meta["version"] == OFSTED_FACTS_VERSION


def test_a_page_that_is_not_a_report_yields_no_facts():
    page = read_first_page("Minutes of the Cabinet meeting held on 30 January 2025. The Leader welcomed members.")
    assert page.grades == {} and page.framework is None and page.lead_inspector is None and page.inspection_dates is None


def test_grade_spellings_are_one_grade():
    assert normalise_grade("Requires improvement to be good") == normalise_grade("Require improvement") == "requires improvement"
    assert normalise_grade("Inadequate") == "inadequate"


# Layouts as the PDFs print them (text as ingest stores it).
ILACS_BODY = (
    "Leaders know their services well. What needs to improve?1\n\n"
    "◼ The response to 16- and 17-year-olds who present as homeless.\n\n(Outcome Three, National Framework)\n\n"
    "◼ Management oversight and supervision, including:\n\n− supervision records − case direction.\n\n"
    "\uf06e The quality of life-story work. The experiences and progress of children who need help and protection: good\n\n"
    "1. Children and families benefit from highly effective early help services.\n\n"
    "2. The response by the multi-agency team is timely."
)
SIF_BODY = (
    "Contents\n\nInformation about this local authority area 5 Recommendations 8 Summary for children and young people 10\n\n"
    "What does the local authority need to improve?\n\nPriority and immediate action\n\n"
    "1. In order to improve services, the local authority should take the following action.\n\n"
    "2. Improve the quality of pathway planning by:\n\n\uf0a7 ensuring that plans are updated\n\n\uf0a7 strengthening care leavers' involvement.\n\n"
    "Workforce\n\n3. Implement the workforce strategy as swiftly as possible. The local authority’s strengths\n\n"
    "4. The Family Resource Service is effective in delivering intensive support.\n\n"
    "Areas for improvement\n\n136. Put in place arrangements to hear the voices of young people."
)


def test_the_ilacs_list_of_what_needs_to_improve_is_read_item_by_item_with_offsets():
    items = read_improvements(ILACS_BODY)
    assert [i.value for i in items] == [
        "The response to 16- and 17-year-olds who present as homeless.\n\n(Outcome Three, National Framework)",
        "Management oversight and supervision, including:\n\n− supervision records − case direction.",
        "The quality of life-story work.",
    ]
    assert all(ILACS_BODY[i.start : i.end] == i.value for i in items)


def test_an_older_report_lists_numbered_actions_under_subheadings_and_stops_at_the_next_section():
    items = read_improvements(SIF_BODY)
    # The introduction is not an action; an action's own bullets are part of it; the contents
    # line is not a heading; the numbered paragraphs of the strengths that follow are not actions,
    # and the safeguarding board's list is not read when the local authority's is there.
    assert [i.value.split()[0] for i in items] == ["Improve", "Implement"]
    assert "strengthening care leavers' involvement." in items[0].value
    assert items[1].value == "Implement the workforce strategy as swiftly as possible."
    assert all(SIF_BODY[i.start : i.end] == i.value for i in items)


def test_a_heading_without_a_list_or_only_a_contents_line_yields_nothing():
    assert read_improvements("Contents\n\nRecommendations 8 Summary for children and young people 10\n\nThe local authority") == []
    assert read_improvements("What needs to improve?\n\nThere are an extremely small number of areas of variability.") == []
    # Numbers must count up: an ILACS report's numbered paragraphs after a heading are not a list.
    assert [i.value for i in read_improvements("Recommendations\n\n1. Ensure plans are specific.\n\n7. Children are seen alone.")] == ["Ensure plans are specific."]


def test_read_report_records_the_list_beside_the_first_page_facts():
    text = ILACS_PAGE + "\n\n" + ILACS_BODY
    meta = read_report(text, len(ILACS_PAGE)).as_meta()
    assert meta["grades"]["overall_effectiveness"] == "outstanding"
    assert [text[s:e] for s, e in meta["improvements"]][2] == "The quality of life-story work."


def test_layouts_that_cut_or_extend_an_item():
    text = (
        "What needs to improve?\n\n◼ Leaders’ grip on practice (enabler:\n\nleaders drive conditions, national framework)\n\n"
        "◼ Permanence planning.\n\n◼ The timeliness of return home interviews for children who go missing, to inform leaders’\n\n"
        "understanding of risk.\n\n◼ Support for care leavers. Experiences and progress of children who need help and protection: good"
    )
    assert [i.value for i in read_improvements(text)] == [
        "Leaders’ grip on practice (enabler:\n\nleaders drive conditions, national framework)",
        "Permanence planning.",  # two words are an item
        "The timeliness of return home interviews for children who go missing, to inform leaders’\n\nunderstanding of risk.",
        "Support for care leavers.",  # the run-in judgement heading is not part of it
    ]


def test_numbered_group_headings_over_bullets_give_the_bullets_as_items():
    text = (
        "Recommendations\n\n1. Quality and effectiveness of practice \uf06e Develop a multi-agency response to concerns.\n\n"
        "\uf06e Ensure that strategy meetings meet statutory requirements.\n\n"
        "2. Oversight and scrutiny by senior and political leaders \uf06e Establish a stable permanent workforce.\n\n"
        "3. Strengthen senior managers’ oversight of:\n\n\uf06e complex cases \uf06e private fostering.\n\n"
        "The local authority’s strengths\n\n4. Leaders know their services well."
    )
    items = read_improvements(text)
    assert [i.value for i in items] == [
        "Develop a multi-agency response to concerns.",
        "Ensure that strategy meetings meet statutory requirements.",
        "Establish a stable permanent workforce.",
        # An action that introduces its own bullets (a colon) stays one item with them.
        "Strengthen senior managers’ oversight of:\n\n\uf06e complex cases \uf06e private fostering.",
    ]
    assert all(text[i.start : i.end] == i.value for i in items)


def test_the_2013_layout_and_an_introductory_paragraph():
    text = (
        "Areas for improvement\n\n20. In order to improve services, the local authority should take the following action.\n\n"
        "Immediately:\n\n\uf0a7 ensure plans are reviewed \uf0a7 ensure carers are trained\n\nWithin three months:\n\n\uf0a7 improve health assessments\n\n"
        "Information about this inspection\n\n\uf0a7 Inspectors met children."
    )
    assert [i.value for i in read_improvements(text)] == ["ensure plans are reviewed", "ensure carers are trained", "improve health assessments"]
    text = "Recommendations\n\nThe following recommendations are made:\n\n1. Review all cases of children in need.\n\n2. Improve pathway plans."
    assert [i.value for i in read_improvements(text)] == ["Review all cases of children in need.", "Improve pathway plans."]


def test_the_safeguarding_boards_list_is_never_read_as_the_authoritys():
    text = (
        "Recommendations\n\nThe local authority has made progress, and inspectors recommend more.\n\n"
        "The Local Safeguarding Children Board\n\nAreas for improvement\n\n102. The board should publish its annual report."
    )
    assert read_improvements(text) == []


def test_the_areas_figures_are_read_with_the_sentence_that_sets_them_against_an_earlier_one():
    text = (
        "Children looked after \uf06e At 31 August 2015, 1,577 children are being looked after by the local authority (a rate of "
        "64.4 per 10,000 children). This is a reduction from 1,610 at 31 March 2015.\n\n\uf06e Of this number, 210 live outside the area.\n\n"
        "Child protection in this area \uf06e At 1 July 2016, two children and young people were the subject of a child protection plan.\n\n"
        "The local authority considers that children in need are a priority."
    )
    figures, compared = read_area_figures(text)
    assert figures["children_in_care"].value == "1,577" and compared == {"children_in_care"}
    assert text[figures["children_in_care"].start : figures["children_in_care"].end].endswith("This is a reduction from 1,610 at 31 March 2015.")
    assert figures["child_protection_plans"].value == "two"
    assert text[figures["child_protection_plans"].start : figures["child_protection_plans"].end].endswith("child protection plan.")
    assert "children_in_need" not in figures  # named, but no figure stated
    assert read_area_figures("Children in care are well supported by their social workers.") == ({}, set())
    # Other set wordings; a footnote the PDF ran on after a break is not part of the sentence.
    other = (
        "At the time of inspection, the local authority was looking after 412 children.\n\n"
        "At March 2017, 95 children and young people were the subject of a child protection plan. This is an increase from 90 at 31 March 2\n\n"
        "GLA 2013 3 Spring Census 2014\n\n2016."
    )
    figures, compared = read_area_figures(other)
    assert other[figures["children_in_care"].start : figures["children_in_care"].end] == "At the time of inspection, the local authority was looking after 412 children."
    assert other[figures["child_protection_plans"].start : figures["child_protection_plans"].end].endswith("child protection plan.")
    assert compared == set()
