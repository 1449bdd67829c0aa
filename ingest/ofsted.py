"""What an Ofsted children's services report states on its first page: inspection dates, lead
inspector and judgement grades (ILACS 2018 onwards; the older single inspection framework)."""

import re
from dataclasses import asdict, dataclass, field

from indexes.ofsted_pages import GRADE, INSPECTION_DATES, normalise_grade
from councils.dates import parse_date

# ILACS judgement rows, as they read once the page's lines are joined.
_ILACS_ROWS = {
    "impact_of_leaders": r"impact of leaders on social work practice with children\s+and families",
    "help_and_protection": r"experiences and progress of children who need\s+help and protection",
    "in_care_and_care_leavers": r"experiences and progress of children in care\s+and care leavers",
    "in_care": r"experiences and progress of children in care(?!\s+and care leavers)",
    "care_leavers": r"experiences and progress of (?:children )?care leavers",
    "overall_effectiveness": r"Overall effectiveness",
}
# Single inspection framework (2013-2018) rows.
_SIF_ROWS = {
    "overall_effectiveness": r"Overall judgement|Children[’']s services in [A-Z][\w ,’'&-]{1,60}?(?: are| is)?",
    "help_and_protection": r"Children who need help and protection",
    "in_care": r"Children looked after and achieving permanence",
    "care_leavers": r"Experiences and progress of care leavers|Care leavers",
    "impact_of_leaders": r"Leadership,? management and governance",
}
_INSPECTOR = re.compile(r"Lead inspector:?\s*([^\W\d_][\w’'\-]+(?: [^\W\d_][\w’'\-]+){1,3})")


@dataclass
class OfstedFacts:
    framework: str | None = None
    inspection_start: str | None = None
    inspection_end: str | None = None
    lead_inspector: str | None = None
    grades: dict[str, str] = field(default_factory=dict)

    def as_meta(self) -> dict:
        return asdict(self)


def read_first_page(page_text: str) -> OfstedFacts:
    """Facts from the first page of a report; fields it cannot find stay empty."""
    text = re.sub(r"\s+", " ", page_text)
    facts = OfstedFacts()
    dates = INSPECTION_DATES.search(text)
    if dates:
        end = parse_date(dates.group(4))
        facts.inspection_end = end
        if end:
            _, end_month, end_year = dates.group(4).split()
            start = f"{dates.group(1)} {dates.group(2) or end_month} {dates.group(3) or end_year}"
            facts.inspection_start = parse_date(start)
    inspector = _INSPECTOR.search(text)
    if inspector:
        words = []
        for word in inspector.group(1).split():
            if word in ("Her", "His", "HMI", "Ofsted"):
                break
            words.append(word)
        facts.lead_inspector = " ".join(words) or None
    # ILACS reports (2018 on) grade "the impact of leaders"; older single-framework ones do not.
    if re.search(_ILACS_ROWS["impact_of_leaders"], text, re.I):
        facts.framework, grades = "ilacs", _grades(text, _ILACS_ROWS)
    else:
        grades = _grades(text, _SIF_ROWS)
        facts.framework = "sif" if grades else None
    if "in_care_and_care_leavers" in grades:
        grades["in_care"] = grades.pop("in_care_and_care_leavers")
    facts.grades = grades
    return facts


def _grades(text: str, rows: dict[str, str]) -> dict[str, str]:
    grades = {}
    for key, label in rows.items():
        match = re.search(r"(?:" + label + r")\s*:?\s*" + GRADE, text, re.I)
        if match:
            grades[key] = normalise_grade(match.group(1))
    return grades
