"""How printed minutes record a vote: the chair puts a motion or amendment (often "the amendment
set out in paragraph 11") to the vote, the minutes list who voted for, against and abstained,
each count in brackets, and end with the outcome ("For (16) ... Against (41) ... Amendment
lost."); or only the outcome ("... to the vote and it was agreed", "Motion carried.")."""

import re
from dataclasses import dataclass, field

from councils.text import without_paragraph_number

# "the Chairman put the motion set out in paragraph 1 to the vote", "put to the vote the
# amendment set out in paragraph 15 above": one sentence, from its first word.
_PUT = re.compile(r"\bput\b[^.\n]{0,300}?\bto the vote\b[^.\n]{0,120}?(?:\.|:|$)", re.I | re.M)
_PARAGRAPH_REFERENCE = re.compile(r"\bparagraph\s+(\d{1,3})\b", re.I)
_TALLY = re.compile(r"\b(For|Against|Abstain(?:ed|ing|ers)?|Abstentions?)\s*\((\d{1,3})\)")
# The outcome closes the record: a sentence or line of its own ("Amendment lost.", "Motion
# carried" at a line's end), not prose that mentions one ("recommendations agreed by Cabinet in").
_OUTCOME = re.compile(
    r"(?:\b(?:Substantive\s+)?(?:Motion|Amendment|Recommendations?|Proposal)\s+(?:carried|lost|agreed|defeated|fell|approved)"
    r"|\band it was (?:agreed|carried|lost|approved))(?:\s+unanimously)?(?:\.|[ \t]*$)",
    re.I | re.M,
)
# An agenda item's heading: "299. Kent Minerals and Waste Local Plan 2024-39 (Item 8)", its
# title sometimes over two or three lines.
_ITEM_NUMBER = re.compile(r"\(Item\s+\d+[a-z]?\)")
_MINUTE_NUMBER = re.compile(r"(?m)^\d{1,4}\.\s")
_HEADING_CHARS = 300
# A tally lists every member by name; sixty names fit in well under this.
_RECORD_CHARS = 2500


@dataclass(frozen=True)
class RecordedVote:
    """One vote as minutes record it; every span is (start, end) in the text."""

    statement: tuple[int, int]
    # The paragraph the statement names as the motion put ("set out in paragraph 11"), if any.
    paragraph: int | None
    # "for", "against", "abstain": (count, span of "For (16)").
    tallies: dict[str, tuple[int, tuple[int, int]]] = field(default_factory=dict)
    outcome: tuple[int, int] | None = None


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence holding `position` starts, after any paragraph number ("16) ")."""
    full_stop = text.rfind(". ", 0, position)
    return without_paragraph_number(text, max(text.rfind("\n", 0, position) + 1, full_stop + 2 if full_stop >= 0 else 0), position)


def recorded_votes(text: str) -> list[RecordedVote]:
    """Every vote the text records, in reading order. A record runs from the sentence that puts the
    question to its outcome, or to the next vote put, whichever comes first."""
    puts = list(_PUT.finditer(text))
    votes = []
    for n, put in enumerate(puts):
        start = _sentence_start(text, put.start())
        limit = min(put.end() + _RECORD_CHARS, puts[n + 1].start() if n + 1 < len(puts) else len(text))
        outcome = _OUTCOME.search(text, put.start(), limit)
        stop = outcome.end() if outcome else limit
        tallies = {}
        for tally in _TALLY.finditer(text, put.end(), stop):
            kind = tally.group(1).lower()
            kind = "abstain" if kind.startswith("abst") else kind
            tallies.setdefault(kind, (int(tally.group(2)), tally.span()))
        if outcome is None and not tallies:
            continue
        reference = _PARAGRAPH_REFERENCE.search(put.group())
        votes.append(RecordedVote(
            statement=(start, put.end()),
            paragraph=int(reference.group(1)) if reference else None,
            tallies=tallies,
            outcome=outcome.span() if outcome else None,
        ))
    return votes


def motions(text: str, votes: list[RecordedVote]) -> list[tuple[int, int]]:
    """The motion each vote was on (`motion_of`); a substantive motion put without a paragraph
    number is the motion as amended, so it is the motion of the vote just before it."""
    found = []
    for n, vote in enumerate(votes):
        put = text[vote.statement[0] : vote.statement[1]].lower()
        if vote.paragraph is None and "substantive" in put and n and found:
            found.append(found[-1])
        else:
            found.append(motion_of(text, vote))
    return found


def motion_of(text: str, vote: RecordedVote) -> tuple[int, int]:
    """The span of the motion or amendment a vote was on, after its number: the numbered paragraph
    the statement names ("12) Mr Hood proposed ..."), the nearest one before the vote, else the
    paragraph just before the statement."""
    end = vote.statement[0]
    if vote.paragraph is not None:
        # The last such paragraph before the vote: each agenda item numbers its paragraphs anew.
        markers = list(re.finditer(rf"(?m)^[ \t]*(\(?{vote.paragraph}\)\s)", text[:end]))
        if markers:
            start = markers[-1].end(1)
            # It runs to the next numbered paragraph (the debate, other amendments) or the vote.
            following = re.compile(rf"(?m)^[ \t]*\(?{vote.paragraph + 1}\)\s").search(text, start, end)
            return start, following.start() if following else end
    # Else the paragraph before the one that puts the question.
    own = text.rfind("\n\n", 0, end)
    before = text.rfind("\n\n", 0, max(0, own))
    return (before + 2 if before >= 0 else 0), end


def heading(text: str, item: tuple[int, int]) -> str:
    """An agenda item's heading: its opening line or lines, up to the first blank line."""
    return text[item[0] : min(item[1], item[0] + _HEADING_CHARS)].split("\n\n", 1)[0]


def agenda_items(text: str) -> list[tuple[int, int]]:
    """The spans of the agenda items the minutes number ("299. ... (Item 8)" up to the next);
    the whole text as one when they number none."""
    starts = []
    for item in _ITEM_NUMBER.finditer(text):
        numbers = list(_MINUTE_NUMBER.finditer(text, max(0, item.start() - _HEADING_CHARS), item.start()))
        if numbers and (not starts or numbers[-1].start() > starts[-1]):
            starts.append(numbers[-1].start())
    if not starts:
        return [(0, len(text))]
    starts[0] = 0
    return list(zip(starts, starts[1:] + [len(text)]))
