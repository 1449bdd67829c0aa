"""The first page of an Ofsted children's services report, read once: the judgement grades
(ILACS, 2018 on, and the older single inspection framework), the inspection dates, the lead
inspector and the publication date, each with the offsets of the line that states it, so an
answer can quote that line exactly. Ingest records these facts; the service reads them."""

import re
from dataclasses import dataclass, field

from councils.dates import parse_date

# Bumped whenever what is read changes, so stored records are read again (ingest refreshes them).
OFSTED_FACTS_VERSION = 2

GRADE = r"(Outstanding|Good|Requires? improvement(?: to be good)?|Inadequate)"
# "15 July 2019 to 26 July 2019", "17 to 28 July 2023", "14 September to 8 October 2015"
INSPECTION_DATES = re.compile(
    r"Inspection dates?:?\s*(\d{1,2})(?:\s+([A-Za-z]+))?(?:\s+(\d{4}))?\s*(?:to|–|-)\s*(\d{1,2}\s+[A-Za-z]+\s+\d{4})", re.I
)
# Judgement rows as printed: ILACS first, then the single inspection framework.
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
_ILACS = re.compile(r"impact of leaders on social work practice", re.I)
_PUBLISHED = re.compile(r"Report published:?\s*(\d{1,2}\s+[A-Za-z]+\s+\d{4})", re.I)
_NAME_WORD = r"(?!(?:Her|His|HMI|Ofsted)\b)[^\W\d_][\w’'\-]+"
_INSPECTOR = re.compile(rf"Lead inspector:?\s*({_NAME_WORD}(?: {_NAME_WORD}){{1,3}})(?:,?\s+(?:Her|His) Majesty[’']s\s+Inspector)?")


def normalise_grade(grade: str) -> str:
    """"Requires improvement to be good" and its spellings are one grade."""
    grade = grade.lower()
    return "requires improvement" if grade.startswith("require") else grade


@dataclass(frozen=True)
class Fact:
    """A value and the [start, end) offsets of the line that states it."""

    value: str
    start: int
    end: int


@dataclass
class FirstPage:
    framework: str | None = None
    grades: dict[str, Fact] = field(default_factory=dict)
    inspection_dates: Fact | None = None  # value "YYYY-MM-DD/YYYY-MM-DD"
    lead_inspector: Fact | None = None
    published: Fact | None = None

    def as_meta(self) -> dict:
        """The stored form: plain values (for filters and the authority page) and each fact's span."""
        start, _, end = (self.inspection_dates.value.partition("/") if self.inspection_dates else (None, None, None))
        spans = {row: [f.start, f.end] for row, f in self.grades.items()}
        for name in ("inspection_dates", "lead_inspector", "published"):
            fact = getattr(self, name)
            if fact is not None:
                spans[name] = [fact.start, fact.end]
        return {
            "framework": self.framework,
            "inspection_start": start or None,
            "inspection_end": end or None,
            "lead_inspector": self.lead_inspector.value if self.lead_inspector else None,
            "published": self.published.value if self.published else None,
            "grades": {row: f.value for row, f in self.grades.items()},
            "spans": spans,
            "version": OFSTED_FACTS_VERSION,
        }


def read_first_page(text: str, offset: int = 0) -> FirstPage:
    """Facts from a report's first page (`text`), with offsets counted from `offset` (where the
    page starts in the stored document). Facts it cannot find stay empty."""
    page = FirstPage()
    for row, patterns in JUDGEMENT_ROWS.items():
        for pattern in patterns:
            match = re.search(pattern, text, re.I)
            if match:
                page.grades[row] = Fact(normalise_grade(match.group(1)), offset + match.start(), offset + match.end())
                break
    if page.grades:
        page.framework = "ilacs" if _ILACS.search(text) else "sif"
    dates = INSPECTION_DATES.search(text)
    if dates:
        end = parse_date(dates.group(4))
        if end:
            _, end_month, end_year = dates.group(4).split()
            start = parse_date(f"{dates.group(1)} {dates.group(2) or end_month} {dates.group(3) or end_year}")
            page.inspection_dates = Fact(f"{start or ''}/{end}", offset + dates.start(), offset + dates.end())
    inspector = _INSPECTOR.search(text)
    if inspector:
        page.lead_inspector = Fact(inspector.group(1), offset + inspector.start(), offset + inspector.end())
    published = _PUBLISHED.search(text)
    if published and parse_date(published.group(1)):
        page.published = Fact(parse_date(published.group(1)), offset + published.start(), offset + published.end())
    return page
