"""Reading an Ofsted report's first page once, in both inspection frameworks, with offsets."""

from councils.ofsted import OFSTED_FACTS_VERSION, normalise_grade, read_first_page

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
