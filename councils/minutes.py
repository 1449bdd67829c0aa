"""How printed minutes record a vote: the chair puts a motion or amendment (often "the amendment
set out in paragraph 11") to the vote, the minutes list who voted for, against and abstained,
each count in brackets, and end with the outcome ("For (16) ... Against (41) ... Amendment
lost."); or only the outcome ("... to the vote and it was agreed", "Motion carried.")."""

import re
from dataclasses import dataclass, field

# "the Chairman put the motion set out in paragraph 1 to the vote", "put to the vote the
# amendment set out in paragraph 15 above": one sentence, from its first word.
_PUT = re.compile(r"\bput\b[^.\n]{0,160}?\bto the vote\b[^.\n]{0,120}?(?:\.|:|$)", re.I | re.M)
_PARAGRAPH_REFERENCE = re.compile(r"\bparagraph\s+(\d{1,3})\b", re.I)
_TALLY = re.compile(r"\b(For|Against|Abstain(?:ed|ing|ers)?|Abstentions?)\s*\((\d{1,3})\)")
_OUTCOME = re.compile(
    r"(?:\b(?:Substantive\s+)?(?:Motion|Amendment|Recommendations?|Proposal)\s+(?:carried|lost|agreed|defeated|fell|approved)\b\.?"
    r"|\band it was (?:agreed|carried|lost|approved)\b\.?)",
    re.I,
)
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

    @property
    def end(self) -> int:
        return max([self.statement[1], *(span[1] for _, span in self.tallies.values()), *(self.outcome or ())])


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence holding `position` starts, after any paragraph number ("16) ")."""
    full_stop = text.rfind(". ", 0, position)
    stop = max(text.rfind("\n", 0, position) + 1, full_stop + 2 if full_stop >= 0 else 0)
    numbered = re.match(r"\s*\(?\d{1,3}\)\s*", text[stop:position])
    return stop + (numbered.end() if numbered else 0)


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
