import re
import numpy as np
from haystack import component

from councils.dates import all_dates
from councils.minutes import RecordedVote, motion_of, recorded_votes
from councils.shapes import CALENDAR_DATE
from indexes import ScrutinyIndex, SearchFilter
from service.answering.question import STOPWORDS, stems
from service.schemas import source_fields

# A question about how a vote went: its count ("how many councillors voted for", "what was the
# vote", "by how many votes") or its outcome ("was the amendment carried?", "what happened to the
# Greens' amendment?", "did the motion pass?").
_ASKS_COUNT = re.compile(
    r"\bhow many\b[^?]{0,80}?\bvot(?:e|ed|es|ing)\b|\bvot(?:e|ing)\s+(?:count|figures|numbers|tally|breakdown)\b"
    r"|\bwhat was the vote\b|\bby how many votes\b|\bhow (?:did|were)\b[^?]{0,80}?\bvot(?:e|ed|es)\b",
    re.I,
)
_ASKS_OUTCOME = re.compile(
    r"\b(?:was|were)\b[^?]{0,120}?\b(?:motion|amendment|recommendations?)\b[^?]{0,60}?\b(?:carried|passed|agreed|adopted|approved|lost|defeated|rejected)\b"
    r"|\bdid\b[^?]{0,120}?\b(?:motion|amendment)\b[^?]{0,60}?\b(?:pass|succeed|fail|carry)\b"
    r"|\bwhat happened to\b[^?]{0,120}?\b(?:motion|amendment)\b"
    r"|\b(?:outcome|result|fate)\s+of\b[^?]{0,80}?\b(?:motion|amendment|vote)\b",
    re.I,
)
# Minutes record councillors' votes on motions; a count of voters in an election, a ballot or a
# poll (a youth council's elections, a general election) is not one.
_RECORDED_BODY = re.compile(r"\b(?:councillors?|members?|council|cabinet|committee|motion|amendment|recommendations?|resolution)\b", re.I)
_ELECTION = re.compile(r"\b(?:elections?|elected|turnout|ballots?|referendum|polls?|polling|seats?)\b", re.I)
# The words of asking about a vote, which say nothing about which motion it was.
_VOTE_WORDS = frozenset(stems(
    "vote votes voted voting count tally figures numbers breakdown many councillor councillors member members "
    "favour favor against abstain abstained motion amendment recommendation carried passed agreed adopted approved "
    "lost defeated rejected pass succeed fail happened happen outcome result fate meeting full council county it"
    # Which of a meeting's votes, and which meeting, not what the motion was about.
    " final substantive original extraordinary special annual"
))
# The vote at the end of a debate is on the substantive motion (the motion as amended).
_ASKS_FINAL = re.compile(r"(?:final|substantive)", re.I)
_STOPWORDS = frozenset(stems(" ".join(STOPWORDS)))
# Which side's count a question asks for.
_ASKS_SIDE = {
    "for": re.compile(r"\bvot\w*\s+(?:for|in favou?r)\b|\bin favou?r\b|\bsupported\b", re.I),
    "against": re.compile(r"\bagainst\b|\bopposed\b", re.I),
    "abstain": re.compile(r"\babstain\w*|\babstention", re.I),
}
_TALLY_NAMES = {"for": "for", "against": "against", "abstain": "abstaining"}


def asks_vote(question: str) -> str | None:
    """"count" or "outcome" for a question about how a recorded vote went, else None."""
    if _ELECTION.search(question) or not _RECORDED_BODY.search(question):
        return None
    if _ASKS_COUNT.search(question):
        return "count"
    if _ASKS_OUTCOME.search(question):
        return "outcome"
    return None


def topic_stems(topic: str) -> set[str]:
    """What the question says the motion was about: its words less those of asking and voting,
    less dates (the meeting's, which the search's filters read) and less figures (an amount is
    written "£75k" in one place and "£75,000" in another)."""
    return {s for s in stems(CALENDAR_DATE.sub(" ", topic)) if s not in _STOPWORDS and s not in _VOTE_WORDS and not s.isdigit()}


@component
class RecordedVoteFinder:
    """Answers how a vote went from the minutes that record it: finds the motion or amendment the
    question names among the minutes' passages and quotes the vote on it, counts and outcome.

    Usage:
        finder = RecordedVoteFinder(index=index)
        finder.run(question="Was the Greens' amendment carried?", topic=..., query_embedding=..., filters=...)
    """

    def __init__(self, index: ScrutinyIndex, passages: int = 10, coverage: float = 0.5):
        """
        :param index: The open index.
        :param passages: Minutes passages searched for the motion.
        :param coverage: Least share of the question's topic words the motion's text must hold: a
            vote on another motion is not an answer.
        """
        self.index = index
        self.passages = passages
        self.coverage = coverage

    @component.output_types(answer=dict | None)
    def run(
        self,
        question: str,
        topic: str,
        query_embedding: np.ndarray,
        filters: SearchFilter | None = None,
        known_answer: dict | None = None,
    ):
        """
        :param question: The question as asked.
        :param topic: The question less the authority and period it names (`QuestionScope`).
        :param query_embedding: The question's dense vector.
        :param filters: The question's scope, as the retriever applies it.
        :param known_answer: An answer another finder already gave; passed on unchanged.
        :returns: `answer`: the vote's quotes, a decline when a count is asked and the minutes
            record only the outcome, or None (the passages answer).
        """
        if known_answer is not None:
            return {"answer": known_answer}
        asked = asks_vote(question)
        wanted = topic_stems(topic)
        filters = filters or SearchFilter()
        # Only minutes record votes; a reader who left them out of the search is not answered from them.
        if asked is None or not wanted or (filters.doc_types and "minutes" not in filters.doc_types):
            return {"answer": None}
        minutes = SearchFilter(**{**vars(filters), "doc_types": ["minutes"]})
        hits = self.index.search(dense=np.asarray(query_embedding, dtype=np.float32), query_text=question, search_filter=minutes, limit=self.passages)
        texts: dict[str, str] = {}
        votes: dict[str, list[RecordedVote]] = {}
        final = bool(_ASKS_FINAL.search(question))
        # Minutes are dated by their meeting: a question naming the day names the meeting.
        days = set(all_dates(question))
        found = []  # (preferred, share of the topic held, -rank), vote, motion, hit
        for rank, hit in enumerate(hits):
            if days and str(hit.payload.get("date")) not in days:
                continue
            document_id = hit.payload["document_id"]
            if document_id not in texts:
                texts[document_id] = self.index.get_document(document_id)["text"]
                votes[document_id] = recorded_votes(texts[document_id])
            text = texts[document_id]
            start, end = hit.payload["start"], hit.payload["end"]
            for vote in votes[document_id]:
                motion = motion_of(text, vote)
                # The passage found is the motion, or the vote on it.
                if end <= motion[0] or start >= vote.end:
                    continue
                held = len(wanted & set(stems(text[motion[0] : motion[1]]))) / len(wanted)
                if held >= self.coverage:
                    substantive = final and "substantive" in text[vote.statement[0] : vote.statement[1]].lower()
                    found.append(((substantive, held, -rank), vote, motion, hit))
        if not found:
            return {"answer": None}
        _, vote, motion, hit = max(found, key=lambda item: item[0])
        return {"answer": self._answer(asked, question, texts[hit.payload["document_id"]], hit.payload, vote, motion)}

    def _answer(self, asked: str, question: str, text: str, record: dict, vote: RecordedVote, motion: tuple[int, int]) -> dict:
        document = {**record, "page": None}
        if asked == "count" and not vote.tallies:
            return {"citations": [], "abstained": True, "confidence": 0.0,
                    "reason": f"the minutes of {record.get('title')} record the vote's outcome but not how many voted each way"}
        # Who moved it (the motion's first sentence), the question put, the counts asked for (a
        # count for one side asks for that side; any other question for all of them), the outcome.
        opening = text[motion[0] : motion[1]]
        cut = re.search(r"[.:](?=\s)|\n", opening)
        first = opening[: cut.start() + (cut.group() != "\n") if cut else len(opening)].rstrip()
        spans = [(motion[0], motion[0] + len(first))] if first else []
        sides = [kind for kind, pattern in _ASKS_SIDE.items() if pattern.search(question)] if asked == "count" else []
        tallies = sorted((span for kind, (_, span) in vote.tallies.items() if not sides or kind in sides), key=lambda span: span[0])
        if tallies and tallies[0][0] - vote.statement[1] < 8:
            # "... the voting was as follows: For (16)": one quote, as the minutes print it.
            spans.append((vote.statement[0], tallies[0][1]))
            tallies = tallies[1:]
        else:
            spans.append(vote.statement)
        spans += tallies
        if vote.outcome and vote.outcome[0] >= spans[-1][1]:
            spans.append(vote.outcome)
        counts = ", ".join(f"{count} {_TALLY_NAMES[kind]}" for kind, (count, _) in vote.tallies.items())
        citations = [{"n": n, **source_fields(document, text[a:b], a, b)} for n, (a, b) in enumerate(spans, 1)]
        return {"citations": citations, "abstained": False, "confidence": 1.0,
                "reason": f"the vote as the minutes of {record.get('title')} record it" + (f" ({counts})" if counts else "")}
