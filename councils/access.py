"""Who may read what: the access level a paper carries and the levels each role reads.

A council publishes most papers (`public`); some go to councillors before publication
(`members`); exempt ("Part 2", confidential) papers are for officers only (`restricted`).
"""

import re
from typing import Literal

AccessLevel = Literal["public", "members", "restricted"]
Role = Literal["public", "member", "officer"]

ACCESS_LEVELS: tuple[AccessLevel, ...] = ("public", "members", "restricted")
ROLES: tuple[Role, ...] = ("public", "member", "officer")

# Each role reads its own level and every level below it.
READABLE: dict[Role, tuple[AccessLevel, ...]] = {
    "public": ("public",),
    "member": ("public", "members"),
    "officer": ("public", "members", "restricted"),
}


def readable_levels(role: Role) -> tuple[AccessLevel, ...]:
    """The access levels a role may read; an unknown role reads nothing."""
    return READABLE.get(role, ())


def check_level(value: str) -> AccessLevel:
    """`value` as an access level, or ValueError naming the allowed ones."""
    level = value.strip().lower()
    if level not in ACCESS_LEVELS:
        raise ValueError(f"{value!r} is not an access level; expected one of {', '.join(ACCESS_LEVELS)}")
    return level  # type: ignore[return-value]


# What marks a council paper as exempt from publication (Local Government Act 1972, Schedule
# 12A; ModernGov prints "Part 2" / "Part II" items after the public agenda): a heading or a
# line of the front sheet, never the same words in running text ("the council's confidential
# reporting line", "the likely disclosure of exempt information as defined in ..." in public
# minutes). Conservative on purpose: a miss stays public, as it would have been published.
_NEGATED = r"(?!\s*[:\-–]?\s*(?:no|none|n/?a|not applicable)\b)"
EXEMPT_MARKINGS = re.compile(
    r"^[\W_]*(?:"
    # A line that is only the marking: "CONFIDENTIAL", "Exempt", "Part 2", "PART II".
    r"(?:confidential|exempt|restricted|part\s+(?:2|ii))[\W_]*$"
    # "Confidential appendix A", "Exempt report", "Exempt information: Yes - paragraph 3".
    r"|(?:confidential|exempt)\s+(?:appendix|appendices|annex|report|item|paper|minutes?|information|by virtue)\b" + _NEGATED +
    # "Part 2 - exempt items", "Part II (confidential)", "Part 2 of the agenda".
    r"|part\s+(?:2|ii)\b\W*(?:\(?\s*(?:exempt|confidential|private|restricted|not for publication|items?|agenda|report|appendix)\b|of the agenda\b)"
    # "NOT FOR PUBLICATION by virtue of paragraph 3 of Part 1 of Schedule 12A".
    r"|not for publication\b"
    # "This report contains exempt information".
    r"|this (?:report|appendix|paper|item|annex) (?:contains|includes|is) (?:exempt|confidential)\b"
    r")",
    re.I | re.M,
)
# The front sheet: far enough for a heading, a title block and a "Part 2" line.
OPENING_CHARS = 1500


def looks_exempt(title: str | None, text: str | None) -> bool:
    """Whether a council paper's title or opening text is marked exempt or confidential
    ("CONFIDENTIAL", "Confidential appendix", "Part 2", "NOT FOR PUBLICATION", "This report
    contains exempt information"), which makes it `restricted` unless told otherwise."""
    return bool(EXEMPT_MARKINGS.search(title or "") or EXEMPT_MARKINGS.search((text or "")[:OPENING_CHARS]))
