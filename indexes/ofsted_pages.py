"""How an Ofsted children's services report lays out its first page: the grades, judgement rows,
inspection dates and lead inspector. Ingest reads the facts from it; the service finds the
exact line, with offsets, to cite."""

import re

GRADE = r"(Outstanding|Good|Requires? improvement(?: to be good)?|Inadequate)"
# "15 July 2019 to 26 July 2019", "17 to 28 July 2023", "14 September to 8 October 2015"
INSPECTION_DATES = re.compile(
    r"Inspection dates?:?\s*(\d{1,2})(?:\s+([A-Za-z]+))?(?:\s+(\d{4}))?\s*(?:to|–|-)\s*(\d{1,2}\s+[A-Za-z]+\s+\d{4})", re.I
)


def normalise_grade(grade: str) -> str:
    """"Requires improvement to be good" and its spellings are one grade."""
    grade = grade.lower()
    return "requires improvement" if grade.startswith("require") else grade


# Judgement rows as printed: ILACS (2018 on) first, then the single inspection framework.
JUDGEMENT_ROWS: dict[str, list[str]] = {
    "overall_effectiveness": [
        r"Overall effectiveness\s+" + GRADE,
        r"overall judgement is that children[’']s services (?:in [A-Z][\w ,’'&-]{1,60}? )?(?:are|is) " + GRADE,
        r"Children[’']s services in [A-Z][\w ,’'&-]{1,60}? (?:are |is )?" + GRADE,
    ],
    "impact_of_leaders": [
        r"impact of leaders on social work practice with children\s+and families\s+" + GRADE,
        r"Leadership,? management and governance\s+" + GRADE,
    ],
    "help_and_protection": [
        r"experiences and progress of children who need\s+help and protection\s+" + GRADE,
        r"Children who need help and protection\s+" + GRADE,
    ],
    "in_care": [
        r"experiences and progress of children in care(?: and care leavers)?\s+" + GRADE,
        r"Children looked after and achieving permanence\s+" + GRADE,
    ],
    "care_leavers": [
        r"experiences and progress of (?:children in care and )?care leavers\s+" + GRADE,
        r"Experiences and progress of care leavers\s+" + GRADE,
    ],
}
ROW_NAMES = {
    "overall_effectiveness": "overall effectiveness",
    "impact_of_leaders": "the impact of leaders",
    "help_and_protection": "children who need help and protection",
    "in_care": "children in care",
    "care_leavers": "care leavers",
}
_PUBLISHED = re.compile(r"Report published:?\s*\d{1,2}\s+[A-Za-z]+\s+\d{4}", re.I)
_NAME_WORD = r"(?!(?:Her|His|HMI|Ofsted)\b)[^\W\d_][\w’'\-]+"
_INSPECTOR = re.compile(rf"Lead inspector:?\s*{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}(?:,?\s+(?:Her|His) Majesty[’']s\s+Inspector)?")


def judgement_span(first_page: str, row: str = "overall_effectiveness") -> tuple[int, int] | None:
    """Offsets of the line that grades `row`, label and grade together."""
    for pattern in JUDGEMENT_ROWS[row]:
        match = re.search(pattern, first_page, re.I)
        if match:
            return match.start(), match.end()
    return None


def dates_span(first_page: str) -> tuple[int, int] | None:
    match = INSPECTION_DATES.search(first_page)
    return (match.start(), match.end()) if match else None


def inspector_span(first_page: str) -> tuple[int, int] | None:
    match = _INSPECTOR.search(first_page)
    return (match.start(), match.end()) if match else None


def published_span(first_page: str) -> tuple[int, int] | None:
    """Older reports print their publication date on the first page; newer ones do not."""
    match = _PUBLISHED.search(first_page)
    return (match.start(), match.end()) if match else None
