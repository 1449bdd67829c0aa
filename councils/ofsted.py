"""An Ofsted children's services report, read once: from its first page the judgement grades
(ILACS, 2018 on, and the older single inspection framework), the inspection dates, the lead
inspector and the publication date, each with the offsets of the line that states it; from its
body the list of what needs to improve. An answer can quote each exactly. Ingest records these
facts; the service reads them."""

import re
from dataclasses import dataclass, field

from councils.dates import parse_date

# Bumped whenever what is read changes, so stored records are read again (ingest refreshes them).
OFSTED_FACTS_VERSION = 3

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
    # The report's list of what needs to improve, one fact per item (its value the item's text).
    improvements: list[Fact] = field(default_factory=list)

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
            "improvements": [[f.start, f.end] for f in self.improvements],
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


def read_report(text: str, first_page_end: int) -> FirstPage:
    """Every fact ingest records for a report: the first page's (`text[:first_page_end]`) and
    the list of what needs to improve, wherever it is printed."""
    page = read_first_page(text[:first_page_end])
    page.improvements = read_improvements(text)
    return page


# The heading of the list of what the authority must improve, starting a line or following a
# sentence's end, and followed by the list (a contents line runs on into page numbers and other
# headings): "What needs to improve?" in ILACS reports, "What does the local authority need to
# improve?" in 2014-15 ones, and "Recommendations" or "Areas for improvement" in the single
# inspection framework and before.
_IMPROVE_HEADING = re.compile(
    r"(?:^|(?<=[.:!?]\s))[ \t]*(?:(?P<main>What needs to improve(?: in this local authority)?(?:\?\d{0,2})?"
    r"|What does the local authority need to improve\??)|Recommendations|Areas? for improvement):?"
    r"[ \t]*(?=\n|[\uf06e◼•▪]|\d{1,3}\.)",
    re.I | re.M,
)
_BULLETS = "\uf06e\uf0a7◼•▪"  # the private-use ones are symbol-font bullets the PDF did not map
_ITEM = re.compile(rf"\s*(?:[{_BULLETS}]|\d{{1,3}}\.(?!\d))\s*")
# Before and between numbered items the older reports print short subheadings ("Planning for
# children who need protection", "Within three months:"): a line of a few words with no full stop.
_SUBHEADING = re.compile(rf"\s*[A-Z][^.\n{_BULLETS}]{{2,80}}\n")
# The sections that follow the list (their paragraphs numbered on from it in older reports), and
# the list's own second part, whose headings the PDF may run into the item before.
_SECTIONS = (
    r"(?:The local authority[’']s strengths|Summary (?:for children|of findings)|Progress since|Information about"
    r"|Inspection (?:judgements?|findings)|What the inspection|The experiences and progress|The impact of leaders|The Local Safeguarding)"
)
_NEXT_SECTION = re.compile(r"\s*" + _SECTIONS)
# Newer reports print a footnote's number on its own line after the heading.
_FOOTNOTE = re.compile(r"\s*\d{1,2}[ \t]*\n")
# Where an item ends: the next item, or a heading the PDF ran into the same paragraph (a
# judgement's, or the list's next part). A bulleted item ends with its paragraph (a bracketed
# reference or dashed sub-items below it are part of it); a numbered one runs on through its own
# bullets.
_RUN_IN = rf"|(?<=[.)])\s+(?={_SECTIONS}|Areas for improvement\b)"
_BULLET_ITEM_END = re.compile(rf"\n\s*\n(?!\s*[(\-−–\u0336])|[{_BULLETS}]|\n\s*\d{{1,3}}\.(?!\d)" + _RUN_IN)
_NUMBERED_ITEM_END = re.compile(rf"\n\s*\n(?!\s*[{_BULLETS}(])|\n\s*\d{{1,3}}\.(?!\d)" + _RUN_IN)
# "In order to improve..., the local authority should take the following action." introduces
# the list; it is not one of its items.
_INTRODUCTION = re.compile(r"(?::|\bfollowing actions?\.)\s*$", re.I)
MAX_IMPROVEMENTS = 20


def read_improvements(text: str) -> list[Fact]:
    """The items listed under the report's improvement heading, each with the offsets of its
    words (not its bullet or number). The headings that only the local authority's list has are
    preferred; otherwise the first "Recommendations" or "Areas for improvement" list (the local
    authority's, which the older reports print before the safeguarding board's). Empty when no
    heading is followed by a list."""
    sections = [(m.group("main") is None, m.start(), m.end()) for m in _IMPROVE_HEADING.finditer(text)]
    for _, _, end in sorted(sections):
        items = _items_after(text, end)
        if items:
            return items
    return []


def _items_after(text: str, position: int) -> list[Fact]:
    items: list[Fact] = []
    numbered, last = None, 0
    footnote = _FOOTNOTE.match(text, position)
    position = footnote.end() if footnote else position
    while len(items) < MAX_IMPROVEMENTS:
        bullet = _ITEM.match(text, position)
        if bullet is None:
            # Subheadings may come before and between numbered items, never after bullets.
            heading = _SUBHEADING.match(text, position) if numbered is not False else None
            if heading is None or _NEXT_SECTION.match(text, position):
                break
            position = heading.end()
            continue
        number = bullet.group(0).strip().rstrip(".")
        # One list is all bullets or all numbers counting up: ILACS reports number the
        # paragraphs after a bulleted list, and older ones those after a numbered one.
        if numbered is not None and (numbered != number.isdigit() or (numbered and int(number) != last + 1)):
            break
        numbered, last = number.isdigit(), int(number) if number.isdigit() else 0
        start = bullet.end()
        stop = (_NUMBERED_ITEM_END if numbered else _BULLET_ITEM_END).search(text, start)
        end = stop.start() if stop else len(text)
        words = text[start:end].strip()
        if len(words.split()) < 3:
            break
        position = end
        if _INTRODUCTION.search(words):
            continue
        start += len(text[start:end]) - len(text[start:end].lstrip())
        items.append(Fact(words, start, start + len(words)))
    return items
