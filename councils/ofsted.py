"""An Ofsted children's services report, read once: from its first page the judgement grades
(ILACS, 2018 on, and the older single inspection framework), the inspection dates, the lead
inspector and the publication date, each with the offsets of the line that states it; from its
body the list of what needs to improve and (2013-18 reports) the area's figures. An answer can
quote each exactly. Ingest records these facts; the service reads them."""

import re
from dataclasses import dataclass, field

from councils.dates import parse_date
from councils.text import BULLETS

# Bumped whenever what is read changes, so stored records are read again (ingest refreshes them).
OFSTED_FACTS_VERSION = 6

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
class ReportFacts:
    framework: str | None = None
    grades: dict[str, Fact] = field(default_factory=dict)
    inspection_dates: Fact | None = None  # value "YYYY-MM-DD/YYYY-MM-DD"
    lead_inspector: Fact | None = None
    published: Fact | None = None
    # The report's list of what needs to improve, one fact per item (its value the item's text).
    improvements: list[Fact] = field(default_factory=list)
    # The area's figures at the inspection (AREA_FIGURES), each the sentence that states it, and
    # those stated beside an earlier figure.
    figures: dict[str, Fact] = field(default_factory=dict)
    compared: set[str] = field(default_factory=set)

    def as_meta(self) -> dict:
        """The stored form: plain values (for filters and the authority page) and each fact's span."""
        start, _, end = (self.inspection_dates.value.partition("/") if self.inspection_dates else (None, None, None))
        spans = {name: [f.start, f.end] for name, f in (self.grades | self.figures).items()}
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
            "figures": {name: {"count": f.value, "earlier": name in self.compared} for name, f in self.figures.items()},
            "spans": spans,
            "improvements": [[f.start, f.end] for f in self.improvements],
            "version": OFSTED_FACTS_VERSION,
        }


def read_first_page(text: str, offset: int = 0) -> ReportFacts:
    """Facts from a report's first page (`text`), with offsets counted from `offset` (where the
    page starts in the stored document). Facts it cannot find stay empty."""
    page = ReportFacts()
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


def read_report(text: str, first_page_end: int) -> ReportFacts:
    """Every fact ingest records for a report: the first page's (`text[:first_page_end]`), the
    list of what needs to improve and the area's figures, wherever they are printed."""
    page = read_first_page(text[:first_page_end])
    page.improvements = read_improvements(text)
    page.figures, page.compared = read_area_figures(text)
    return page


# The 2013-18 reports describe the area in set sentences: "At 31 March 2016, 299 children were
# being looked after by the local authority (a rate of 77 per 10,000 children)." Each is quoted
# whole, up to its full stop.
_AT_DATE = (
    r"(?:(?:Provisionally,? )?(?:At|On|As at)\s+(?:the end of\s+)?)?"
    r"(?:the time of (?:the |this )?inspection(?:,? (?:at|on) \d{1,2} [A-Z][a-z]+ \d{4})?|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+(?:\s+\d{2,4})?|[A-Z][a-z]+\s+\d{4})"
    r"(?:\s+\([^)\n]{0,40}\))?,?\s+"
)
_COUNT = r"(?P<count>\d[\d,]*|[a-z]+(?:[ -][a-z]+)?)\s+(?:\([^)\n]{0,40}\)\s+)?"
# To the full stop, past decimal points ("a rate of 64.4 per 10,000"), within the paragraph and
# the clause (a colon or semicolon starts a list; the PDF may run footnotes on after a break).
_REST = r"(?:[^.:;\n]|\.(?=\d)|\n(?!\s*\n))*\."
_WHO = r"(?:children|young people|children and young people)"
_CHILDREN = _WHO + r"\s+"
AREA_FIGURES: dict[str, list[re.Pattern]] = {
    "children_in_care": [
        re.compile(_AT_DATE + _COUNT + _CHILDREN + r"(?:are|were)\s+(?:being\s+)?looked after\b" + _REST),
        re.compile(_AT_DATE + r"the local authority (?:is|was) looking after " + _COUNT + _WHO + r"\b" + _REST),
    ],
    "child_protection_plans": [
        re.compile(_AT_DATE + _COUNT + _CHILDREN + r"(?:are|were)\s+(?:the\s+)?subject of (?:a )?child(?:ren)? protection plans?\b" + _REST),
    ],
    "children_in_need": [
        re.compile(_AT_DATE + _COUNT + _CHILDREN + r"(?:had been|have been|were|are)\s+identified\b[^.:;\n]{0,80}?\bin need\b" + _REST),
    ],
}
# The sentence after a figure that sets it against an earlier one: "This is a reduction from 581
# (34 per 10,000 children) at 31 March 2017."
_EARLIER = re.compile(r"[ \t]+This is (?:a|an) (?:\w+ )?(?:increase|reduction|decrease|rise|fall) (?:from|on)\b" + _REST)


def read_area_figures(text: str) -> tuple[dict[str, Fact], set[str]]:
    """The number of children in care, on child protection plans and in need, as the report's
    description of the area states them (the first statement of each), with the offsets of the
    sentence and of the one after it when that sets the figure against an earlier one; and the
    names of the figures that have that earlier one."""
    figures, compared = {}, set()
    for name, patterns in AREA_FIGURES.items():
        matches = [m for m in (p.search(text) for p in patterns) if m]
        if matches:
            match = min(matches, key=lambda m: m.start())
            earlier = _EARLIER.match(text, match.end())
            if earlier:
                compared.add(name)
            figures[name] = Fact(match.group("count"), match.start(), earlier.end() if earlier else match.end())
    return figures, compared


# The heading of the list of what the authority must improve, starting a line or following a
# sentence's end, and followed by the list (a contents line runs on into page numbers and other
# headings): "What needs to improve?" in ILACS reports, "What does the local authority need to
# improve?" in 2014-15 ones, and "Recommendations" or "Areas for improvement" in the single
# inspection framework and before.
_NUMBER = r"\d{1,3}\.(?!\d)"
_IMPROVE_HEADING = re.compile(
    r"(?:^|(?<=[.:!?]\s))[ \t]*(?:(?P<main>What needs to improve(?: in this local authority)?(?:\?\d{0,2})?"
    r"|What does the local authority need to improve\??)|Recommendations|Areas? for improvement):?"
    rf"[ \t]*(?=\n|[{BULLETS}]|{_NUMBER})",
    re.I | re.M,
)
# Where the safeguarding board's part of an older report starts (a heading alone on its line, not
# the contents line): its recommendations are the board's, not the authority's.
_BOARD_PART = re.compile(
    r"^[ \t]*(?:The Local Safeguarding Children Board(?: \(LSCB\))?|What does the LSCB need to improve\??"
    r"|Inspection findings\s*[–-]\s*the Local Safeguarding Children Board)[ \t]*$",
    re.I | re.M,
)
_ITEM = re.compile(rf"\s*(?:[{BULLETS}]|{_NUMBER})\s*")
# Before and between numbered items (and between groups of bullets) the older reports print
# short subheadings ("Planning for children who need protection", "Within three months:"): a
# line of a few words with no full stop.
_SUBHEADING = re.compile(rf"\s*[A-Z][^.\n{BULLETS}]{{2,120}}\n")
# "The following recommendations are made:" before the first item introduces the list.
_INTRODUCTION = re.compile(r"\s*[^\n]*\bfollowing\b[^\n]*[.:]\s*\n")
# The sections that follow the list (their paragraphs numbered on from it in older reports).
_SECTIONS = (
    r"(?:The local authority[’']s strengths|Summary (?:for children|of findings)|Progress since|Information about"
    r"|Inspection (?:judgements?|findings)|What the inspection|The experiences and progress|Experiences and progress of"
    r"|The impact of leaders|The Local Safeguarding)"
)
_NEXT_SECTION = re.compile(r"\s*" + _SECTIONS)
# Newer reports print a footnote's number on its own line after the heading.
_FOOTNOTE = re.compile(r"\s*\d{1,2}[ \t]*\n")
# Where an item may end: at the next item, at a blank line (see _item_end), or where the PDF ran
# a heading (the next section's, or the list's second part) into the item's paragraph.
_BREAK = rf"(?P<blank>\n\s*\n)|\n\s*{_NUMBER}|\s+(?={_SECTIONS}\b)|(?<=[.)])\s+(?=Areas for improvement\b)"
# A bullet ends a bulleted item; a numbered action runs on through its own bullets.
_ITEM_BREAK = {"bullet": re.compile(rf"{_BREAK}|[{BULLETS}]"), "number": re.compile(_BREAK)}
# Below an item, its own dashed sub-items or a bracketed reference ("(Outcome 3, national
# framework)"); a numbered action's own bullets.
_PART_OF_ITEM = re.compile(r"\s*[(\-−–\u0336\uf02d]")
# An item of the older reports that only introduces the actions after it.
_INTRODUCES = re.compile(r"\bfollowing actions?\.$", re.I)
# Well above the longest list printed (the 2014-16 reports number up to about 45 actions).
MAX_IMPROVEMENTS = 80


def read_improvements(text: str) -> list[Fact]:
    """The items listed under the report's improvement heading, each with the offsets of its
    words (not its bullet or number). The headings that only the local authority's list has are
    tried first; then "Recommendations" and "Areas for improvement" in the order printed, before
    the safeguarding board's part of the report. Empty when no heading is followed by a list."""
    board = _BOARD_PART.search(text)
    end_of_authority = board.start() if board else len(text)
    headings = list(_IMPROVE_HEADING.finditer(text, 0, end_of_authority))
    for heading in sorted(headings, key=lambda m: (m.group("main") is None, m.start())):
        items = _items_after(text, heading.end())
        if items:
            return items
    return []


def _items_after(text: str, position: int) -> list[Fact]:
    items: list[Fact] = []
    style, last = "", 0  # the list's style once known, "bullet" or "number", and its last number
    for skip in (_FOOTNOTE, _INTRODUCTION):
        match = skip.match(text, position)
        position = match.end() if match else position
    while len(items) < MAX_IMPROVEMENTS:
        item = _ITEM.match(text, position)
        if item is None:
            heading = _SUBHEADING.match(text, position)
            # Subheadings come before or between numbered actions, and between groups of bullets
            # only as "Within three months:"; never the next section's heading.
            if heading is None or _NEXT_SECTION.match(text, position) or (style == "bullet" and not heading.group(0).rstrip().endswith(":")):
                break
            position = heading.end()
            continue
        number = item.group(0).strip().rstrip(".")
        # One list is all bullets or all numbers counting up: ILACS reports number the
        # paragraphs after a bulleted list, and older ones those after a numbered one.
        this = "number" if number.isdigit() else "bullet"
        if style and (this != style or (this == "number" and int(number) != last + 1)):
            break
        start = item.end()
        end = _item_end(text, start, this)
        words = text[start:end].strip()
        if len(words.split()) < (2 if this == "number" else 1):
            break
        position = end
        if _INTRODUCES.search(words):
            continue  # the actions it introduces may be bulleted: the list's style is still open
        style, last = this, int(number) if this == "number" else 0
        start += len(text[start:end]) - len(text[start:end].lstrip())
        items.extend(_bullets_under_heading(text, start, start + len(words)) or [Fact(words, start, start + len(words))])
    return items[:MAX_IMPROVEMENTS]


# A numbered group heading over its own bullets ("1. Quality and effectiveness of practice
# \uf06e In line with longstanding plans, develop ..."): a few words with no full stop before the
# first bullet, and no colon, which an action's own start has ("Ensure that: \uf06e ...").
_GROUP_HEADING = re.compile(rf"[^.:{BULLETS}]{{3,100}}?\s*(?=[{BULLETS}])")
_BULLET_PIECE = re.compile(rf"[{BULLETS}]\s*([^{BULLETS}]+)")


def _bullets_under_heading(text: str, start: int, end: int) -> list[Fact]:
    """The bullets of a numbered item that is only a group heading, each an item; empty when
    the item is an action (its own bullets belong to it)."""
    heading = _GROUP_HEADING.match(text, start, end)
    if heading is None or len(heading.group(0).split()) > 16:
        return []
    pieces = []
    for piece in _BULLET_PIECE.finditer(text, heading.end(), end):
        words = piece.group(1).rstrip()
        if words:
            pieces.append(Fact(words, piece.start(1), piece.start(1) + len(words)))
    return pieces


def _item_end(text: str, start: int, style: str) -> int:
    """Where the item starting at `start` ends. A blank line ends it unless what follows belongs
    to it: its sub-items or reference, a numbered action's own bullets, or the rest of a sentence
    a page or line break cut (the item has no full stop yet and the next paragraph starts in lower
    case)."""
    position = start
    while True:
        stop = _ITEM_BREAK[style].search(text, position)
        if stop is None:
            return len(text)
        if stop.group("blank") is None:
            return stop.start()
        after = stop.end()
        cut = not text[:stop.start()].rstrip().endswith((".", "?")) and text[after : after + 1].islower()
        if cut or _PART_OF_ITEM.match(text, after) or (style == "number" and text[after : after + 1] in BULLETS):
            position = after
            continue
        return stop.start()
