"""Finding the lines of an Ofsted report's first page, in both inspection frameworks."""

from indexes.ofsted_pages import dates_span, inspector_span, judgement_span, normalise_grade, published_span

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


def quoted(page, span):
    return page[span[0]:span[1]]


def test_first_page_lines_are_found_in_both_frameworks():
    assert quoted(ILACS_PAGE, judgement_span(ILACS_PAGE)) == "Overall effectiveness Outstanding"
    assert quoted(ILACS_PAGE, judgement_span(ILACS_PAGE, "care_leavers")) == "experiences and progress of care leavers Good"
    assert quoted(ILACS_PAGE, inspector_span(ILACS_PAGE)) == "Lead inspector: Nick Bennison, His Majesty’s Inspector"
    assert quoted(ILACS_PAGE, dates_span(ILACS_PAGE)) == "Inspection dates: 12 to 16 May 2025"
    assert published_span(ILACS_PAGE) is None
    assert quoted(SIF_PAGE, judgement_span(SIF_PAGE)).endswith("children’s services are good")
    assert quoted(SIF_PAGE, judgement_span(SIF_PAGE, "help_and_protection")) == "Children who need help and protection\n\nRequires improvement"
    assert quoted(SIF_PAGE, published_span(SIF_PAGE)) == "Report published: 8 August 2014"
    assert inspector_span(SIF_PAGE) is None


def test_grade_spellings_are_one_grade():
    assert normalise_grade("Requires improvement to be good") == normalise_grade("Require improvement") == "requires improvement"
    assert normalise_grade("Inadequate") == "inadequate"
