"""Dates written the way council papers and Ofsted reports write them, and the way UK readers read them."""

import calendar
import re
from datetime import date

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
# The seasons a period is written as ("autumn 2021").
SEASONS = ("spring", "summer", "autumn", "winter")
# Full English month names, for patterns that must not match abbreviations.
MONTH_NAMES = "|".join(calendar.month_name[1:])
_MONTH = r"(" + "|".join(name.capitalize() for name in MONTHS) + r")\.?"
DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})\b", re.I)
MONTH_DAY_YEAR = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b")
MONTH_YEAR = re.compile(r"\b" + _MONTH + r"\s+(\d{4})\b", re.I)
# "MINUTES of a meeting of the Cabinet held ... on Thursday, 30 January 2025"
MEETING_HELD = re.compile(r"(?:meeting|minutes)[^.]{0,200}?\bheld\b[^.]{0,160}?\bon\s+(?:\w+day,?\s+)?(\d{1,2}(?:st|nd|rd|th)?\s+\w+,?\s+\d{4})", re.I | re.S)


def month_end(year: int, month: int) -> date:
    """The last day of a month: a period named by its month ("by March 2025") runs to it."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe(year: int, month: int, day: int) -> str | None:
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value.isoformat() if 1990 <= year <= 2100 else None


def parse_date(text: str | None) -> str | None:
    """The first full date in `text` as YYYY-MM-DD, or None."""
    if not text:
        return None
    for pattern, order in ((ISO, "ymd"), (DAY_MONTH_YEAR, "dmy"), (MONTH_DAY_YEAR, "mdy"), (NUMERIC, "dmy_num")):
        match = pattern.search(text)
        if not match:
            continue
        if order == "ymd":
            result = _safe(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        elif order == "dmy":
            result = _safe(int(match.group(3)), MONTHS[match.group(2).lower().rstrip(".")], int(match.group(1)))
        elif order == "mdy":
            result = _safe(int(match.group(3)), MONTHS[match.group(1).lower().rstrip(".")], int(match.group(2)))
        else:
            year = int(match.group(3))
            year = year + 2000 if year < 100 else year
            result = _safe(year, int(match.group(2)), int(match.group(1)))
        if result:
            return result
    return None


def all_dates(text: str) -> list[str]:
    """Every full date mentioned in `text`, in order of appearance."""
    found: list[tuple[int, str]] = []
    for match in DAY_MONTH_YEAR.finditer(text):
        value = _safe(int(match.group(3)), MONTHS[match.group(2).lower().rstrip(".")], int(match.group(1)))
        if value:
            found.append((match.start(), value))
    for match in MONTH_DAY_YEAR.finditer(text):
        value = _safe(int(match.group(3)), MONTHS[match.group(1).lower().rstrip(".")], int(match.group(2)))
        if value:
            found.append((match.start(), value))
    return [value for _, value in sorted(found)]


_MINUTES_LINE = re.compile(r"\bminutes of (?:a|the) meeting\b", re.I)


def meeting_date(text: str) -> str | None:
    """The date a set of minutes says its meeting was held on: on its first "MINUTES of a meeting
    ... held ... on 30 January 2025" line, or in the heading above a first line that gives none
    ("CORPORATE PARENTING PANEL – 29 October 2024", then "MINUTES of the meeting held in the
    Darent Room"); not the date of the earlier meeting whose minutes an item approves."""
    head = text[:3000]
    first = _MINUTES_LINE.search(head)
    if first and not MEETING_HELD.match(head, first.start()):
        dates = all_dates(head[: first.start()])
        if dates:
            return dates[0]
    match = MEETING_HELD.search(head)
    return parse_date(match.group(1)) if match else None


def uk_date(iso: str | None, with_day: bool = True) -> str | None:
    """"2019-12-03" -> "3 December 2019" (or "December 2019"); None or an unreadable value -> None."""
    if not iso:
        return None
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return None
    month = calendar.month_name[day.month]  # English names: the locale is never changed
    return f"{day.day} {month} {day.year}" if with_day else f"{month} {day.year}"
