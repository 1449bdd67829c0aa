"""Commitments made in minutes: who undertook to do what, and by when.

A commitment is a sentence in which an officer, member or the committee undertakes a future
action ("the Director undertook to ...", "Analysis on this would be reported back once known",
"RESOLVED that ... an update report ... be made to the committee's next meeting", "Members would
receive an update report in 3 months time – December 2015"). Each is kept with its exact span so
it can be cited like any answer.
"""

import re
from dataclasses import dataclass
from datetime import date

from councils.text import sentence_spans
from councils.commitments import COMMITMENT
from councils.dates import MONTH_NAMES, MONTHS, month_end
from councils.shapes import MEMBER_TITLE

# A "would ..." inside a relative clause describes something ("a plan which would address the
# concerns"); it is not an undertaking.
_RELATIVE = re.compile(r"(?:\b(?:which|that)|^\W*(?:this|it|these))\s+$", re.I)
# Hopes and expectations are not undertakings.
_HEDGED = re.compile(r"\b(?:it was hoped|hoped that|it was expected)\b", re.I)

WHO = re.compile(
    r"\b(?:[Tt]he (?:Director(?: of [A-Z][\w’' –-]+?(?= (?:undertook|explained|added|confirmed|said|would|introduced)| –|,|$))?|Commissioner|Chairman|Chair|Leader|Cabinet Member(?: for [A-Z][\w’']+(?: (?:[A-Z][\w’']+|and|of))*)?|Head of [A-Z][\w’']+(?: (?:[A-Z][\w’']+|and|of))*|Corporate Director(?: (?:[A-Z][\w’']+|and|of))*|Committee|Commission|service)"
    # A title before a name, but not the safety term "near miss" ("the Near Miss Review").
    rf"|(?<![Nn]ear ){MEMBER_TITLE} [A-Z][a-z]+(?: [A-Z][a-z]+)?"
    r"|[A-Z][a-z]+ [A-Z][a-z]+(?= (?:undertook|stated|advised|explained|confirmed|concluded|added))"
    r"|(?:he|she))\b"
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "nine": 9, "twelve": 12, "eighteen": 18}
IN_MONTHS = re.compile(r"\bin (\d{1,2}|one|two|three|four|six|nine|twelve|eighteen)(?: and (?:\d{1,2}|twelve|eighteen))? months?(?:[’']s?)? ?(?:time)?", re.I)
MONTH_YEAR = re.compile(rf"\b({MONTH_NAMES}) (\d{{4}})\b")
MONTH_ONLY = re.compile(rf"\bin ({MONTH_NAMES})\b")
DUE_PHRASES = [
    (re.compile(r"next meeting", re.I), "next meeting"),
    (re.compile(r"once known", re.I), "once known"),
    (re.compile(r"in due course", re.I), "in due course"),
    (re.compile(r"later in the summer", re.I), "later in the summer"),
    (re.compile(r"going forward", re.I), "going forward"),
]


def _add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(start.day, month_end(year, month).day))


def due_of(sentence: str, meeting: date | None) -> tuple[str | None, str | None]:
    """(how the minutes put the deadline, the latest date it implies as YYYY-MM-DD or None)."""
    month_year = MONTH_YEAR.search(sentence)
    in_months = IN_MONTHS.search(sentence)
    if month_year:
        month = MONTHS[month_year.group(1).lower()]
        year = int(month_year.group(2))
        text = (in_months.group(0) + " – " if in_months else "") + month_year.group(0)
        return text, month_end(year, month).isoformat()
    if in_months:
        count = in_months.group(1).lower()
        months = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        return in_months.group(0).strip(), _add_months(meeting, months).isoformat() if meeting else None
    month_only = MONTH_ONLY.search(sentence)
    if month_only and meeting:
        month = MONTHS[month_only.group(1).lower()]
        year = meeting.year + (1 if month < meeting.month else 0)
        return month_only.group(0), month_end(year, month).isoformat()
    for pattern, label in DUE_PHRASES:
        if pattern.search(sentence):
            if label == "later in the summer" and meeting:
                return label, date(meeting.year, 9, 30).isoformat()
            return label, None
    return None, None


@dataclass
class Commitment:
    start: int
    end: int
    quote: str
    who: str | None
    due_text: str | None
    due_date: str | None


def find_commitments(text: str, meeting_date: str | None) -> list[Commitment]:
    """Every commitment sentence in a document's text, with who made it and when it is due."""
    meeting = date.fromisoformat(meeting_date) if meeting_date else None
    found: list[Commitment] = []
    previous = ""
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        match = next((m for m in COMMITMENT.finditer(sentence) if not _RELATIVE.search(sentence[: m.start()])), None)
        if match and not _HEDGED.search(sentence):
            who = _who(sentence[: match.start()]) or _who(previous)
            if who is None and re.match(r"\W*(\(\d+\)\s*)?(RESOLVED|Resolved|It was agreed|Members would)", sentence):
                who = "the committee"
            due_text, due_date = due_of(sentence, meeting)
            found.append(Commitment(start, end, sentence, who, due_text, due_date))
        previous = sentence
    return found


def _who(text: str) -> str | None:
    """The last person or body named before the undertaking."""
    names = [m.group(0) for m in WHO.finditer(text) if m.group(0).lower() not in ("he", "she")]
    return names[-1] if names else None
