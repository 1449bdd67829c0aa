import math
import re
from datetime import date

import numpy as np
from haystack import component

from councils.dates import MONTH_YEAR, MONTHS, all_dates, month_end
from councils.minutes import RecordedVote, agenda_items, heading, motions, recorded_votes
from councils.shapes import CALENDAR_DATE, MEMBER_TITLE
from councils.text import PARAGRAPH_BREAK
from indexes import ScrutinyIndex, SearchFilter
from service.answering.question import STOPWORDS, stems
from service.schemas import source_fields

# A question about how a vote went: its count ("how many councillors voted for", "how many
# abstained", "what was the final vote", "by what margin", "did anyone oppose") or its outcome
# ("was the amendment carried?", "what happened to the Greens' amendment?", "did the motion pass?").
_ASKS_COUNT = re.compile(
    r"\bhow many\b[^?]{0,100}?\bvot(?:e|ed|es|ing)\b"
    r"|\bhow many(?:\s+(?:\w+\s+){0,2}?(?:councillors?|members?|people|of them))?\s+(?:(?:were|was)\s+)?(?:abstain\w*|supported|backed|opposed|against)\b"
    r"|\bvot(?:e|ing)\s+(?:count|figures|numbers|tally|breakdown)\b|\bwhat was the (?:\w+\s+)?vote\b"
    r"|\b(?:numbers|votes|figures)\s+for\s+and\s+against\b"
    r"|\bby (?:how many votes|what margin)\b|\bhow (?:did|were)\b[^?]{0,80}?\bvot(?:e|ed|es)\b"
    r"|\bdid (?:anyone|any(?:\s+\w+)?\s+(?:councillors?|members?)|no ?one)\s+(?:vote|oppose|abstain)\b",
    re.I,
)
_ASKS_OUTCOME = re.compile(
    r"\b(?:was|were)\b[^?]{0,120}?\b(?:motion|amendment|recommendations?)\b[^?]{0,160}?\b(?:carried(?!\s+out)|passed|agreed|adopted|approved|lost|defeated|rejected)\b"
    r"|\bdid\b[^?]{0,120}?\b(?:motion|amendment)\b[^?]{0,160}?\b(?:pass|succeed|fail|carry|get through)\b"
    r"|\bwhat happened to\b[^?]{0,120}?\b(?:motion|amendment)\b"
    r"|\b(?:outcome|result|fate)\s+of\b[^?]{0,80}?\b(?:motion|amendment|vote)\b",
    re.I,
)
# Minutes record councillors' votes on motions; voters in an election, a ballot or a poll (a
# youth council's elections, a general election) are not these, though a motion may be about
# elections ("did the motion on proportional representation in council elections pass?").
_RECORDED_BODY = re.compile(
    r"\b(?:councillors?|members?|council|cabinet|committee|motion|amendment|recommendations?|resolution)\b"
    r"|\bvot\w*\s+(?:on|against)\b|\babstain\w*",
    re.I,
)
_ELECTION = re.compile(
    r"\bvot\w*\s+(?:in|at|during)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,6}?(?:elections?|ballots?|polls?|referendum|consultation|survey)\b"
    r"|\bturnout\b|\bseats?\b|\bpolling\b|\b(?:win|won)\b",
    re.I,
)
_MOTION = re.compile(r"\b(?:motion|amendment|recommendations?|resolution)\b", re.I)
# How one member voted: a tally lists names, but a member missing from it (absent, or not
# recorded) is not an answer, and the whole tally does not say which way one person went.
_ONE_MEMBER = re.compile(rf"\b(?:how|which way|did)\s+(?:did\s+)?{MEMBER_TITLE}\.?\s+[A-Z][\w'’-]+\s+vote\b")
# "Mr Streatfeild's amendment": the member who proposed it.
_PROPOSER = re.compile(rf"\b{MEMBER_TITLE}\.?\s+(?:[A-Z][\w-]+\s+)?([A-Z][\w-]+)['’]s\s+(?:[\w-]+\s+){{0,3}}?(?:amendment|motion)\b")
# The words of asking about a vote, which say nothing about which motion it was.
_VOTE_WORDS = frozenset(stems(
    "vote votes voted voting count tally figures numbers breakdown many councillor councillors member members "
    "favour favor against abstain abstained motion amendment recommendation carried passed agreed adopted approved "
    "lost defeated rejected pass succeed fail happened happen outcome result fate meeting full council county it "
    "support supported backed oppose opposed anyone margin cast get through "
    # Titles: a proposer is known by name ("Mr Hood's amendment"), not by "Mr"; and minutes name
    # members, not their parties ("Labour's motion", "the Greens' amendment").
    "mr mrs ms miss dr sir dame cllr labour conservative conservatives tory tories liberal democrat "
    "democrats lib dem dems green greens independent independents reform group administration opposition finally"
    # Which of a meeting's votes, and which meeting, not what the motion was about.
    " final substantive original extraordinary special annual"
))
# The month of the meeting ("in January 2025", "the February 2025 budget meeting"), not of an
# event the motion was about ("the May 2025 county elections").
_MEETING_MONTH = re.compile(
    rf"\b(?:in|at|during|on)\s+{MONTH_YEAR.pattern[2:]}|{MONTH_YEAR.pattern}(?=\s+(?:(?:full|county|budget)\s+)*(?:council\s+)?meeting)",
    re.I,
)
# The vote at the end of a debate is on the substantive motion (the motion as amended).
_ASKS_FINAL = re.compile(r"\b(?:final(?:ly)?|substantive)\b", re.I)
_STOPWORDS = frozenset(stems(" ".join(STOPWORDS)))
# Which side's count a question asks for.
_ASKS_SIDE = {
    "for": re.compile(r"\bvot\w*\s+(?:for|in favou?r)\b|\bin favou?r\b|\bsupport(?:ed)?\b|\bbacked\b", re.I),
    "against": re.compile(r"\bagainst\b|\boppos\w*", re.I),
    "abstain": re.compile(r"\babstain\w*|\babstention", re.I),
}
_TALLY_NAMES = {"for": "for", "against": "against", "abstain": "abstaining"}


def asks_vote(question: str) -> str | None:
    """"count" or "outcome" for a question about how a recorded vote went, else None."""
    if _ELECTION.search(question) or _ONE_MEMBER.search(question) or not _RECORDED_BODY.search(question):
        return None
    # Votes cast in elections, unless the question is about a motion (on elections, say).
    if re.search(r"\belections?\b", question, re.I) and not _MOTION.search(question):
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


def meeting_dates(question: str, filters: SearchFilter) -> dict:
    """`since` and `until` narrowed to the meeting the question names: minutes are dated by their
    meeting, so "on 9 January 2025" or "in January 2025" names it."""
    days = sorted(date.fromisoformat(day) for day in all_dates(question))
    months = sorted({(int(year), MONTHS[month.lower()]) for month, year in (filter(None, found) for found in _MEETING_MONTH.findall(question))})
    if days:
        since, until = days[0], days[-1]
    elif months:
        since = date(*months[0], 1)
        until = month_end(*months[-1])
    else:
        return {}
    return {"since": max(since, filters.since or since), "until": min(until, filters.until or until)}


def rarity(wanted: set[str], text: str) -> dict[str, float]:
    """Each topic word's weight by how few of the minutes' paragraphs use it: "transport" runs
    through a transport debate, "SEND" marks the one paragraph on it, and a word the minutes never
    use weighs most."""
    paragraphs = [set(stems(paragraph)) for paragraph in PARAGRAPH_BREAK.split(text)]
    return {word: math.log(1 + (len(paragraphs) + 1) / (sum(word in p for p in paragraphs) + 0.5)) for word in wanted}


def held(weights: dict[str, float], text: str) -> float:
    """The share of the topic's weight that `text` holds."""
    present = set(stems(text))
    return sum(weight for word, weight in weights.items() if word in present) / sum(weights.values())


@component
class RecordedVoteFinder:
    """Answers how a vote went from the minutes that record it: finds the motion or amendment the
    question names among the minutes' passages and quotes the vote on it, counts and outcome.

    Usage:
        finder = RecordedVoteFinder(index=index)
        finder.run(question="Was the Greens' amendment carried?", topic=..., query_embedding=..., filters=...)
    """

    def __init__(self, index: ScrutinyIndex, passages: int = 10, coverage: float = 0.5, margin: float = 0.2):
        """
        :param index: The open index.
        :param passages: Minutes passages searched for the motion.
        :param coverage: Least share of the question's topic words the motion's text must hold: a
            vote on another motion is not an answer.
        :param margin: How far below the best motion's share another may hold and still be chosen
            for what the question says of the vote.
        """
        self.index = index
        self.passages = passages
        self.coverage = coverage
        self.margin = margin

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
        minutes = SearchFilter(**{**vars(filters), "doc_types": ["minutes"], **meeting_dates(question, filters)})
        hits = self.index.search(dense=np.asarray(query_embedding, dtype=np.float32), query_text=question, search_filter=minutes, limit=self.passages)
        read: dict[str, tuple] = {}
        items = []  # (heading holds the topic, records a vote, -rank), document, item, heading
        seen: set[tuple[str, tuple[int, int]]] = set()
        for rank, hit in enumerate(hits):
            document_id = hit.payload["document_id"]
            if document_id not in read:
                text = self.index.get_document(document_id)["text"]
                votes = recorded_votes(text)
                read[document_id] = (text, votes, motions(text, votes), agenda_items(text), rarity(wanted, text), hit.payload)
            text, votes, _, agenda, weights, _ = read[document_id]
            item = next(((a, b) for a, b in agenda if a <= hit.payload["start"] < b), None)
            # An item a better-ranked passage already found ranks no higher for this one.
            if item is None or (document_id, item) in seen:
                continue
            seen.add((document_id, item))
            if held(weights, text[item[0] : item[1]]) < self.coverage:
                continue
            title = heading(text, item)
            has_vote = any(item[0] <= vote.statement[0] < item[1] for vote in votes)
            items.append(((held(weights, title) >= self.coverage, has_vote, -rank), document_id, item, title))
        if not items:
            return {"answer": None}
        # One agenda item answers: of the passages' items about the question, one headed by its
        # topic ("290. Section 25 Report") before a long item that only mentions it (the budget,
        # with its twenty parts); then one that records a vote (the Council's debate, not
        # Cabinet's decision on the same paper); then the best-ranked. A vote in another item is
        # on another motion, however many of the question's words that motion holds.
        _, document_id, item, title = max(items, key=lambda found: found[0])
        text, votes, motions_of, _, weights, record = read[document_id]
        final = bool(_ASKS_FINAL.search(question))
        proposer = _PROPOSER.search(question)
        noun = re.search(r"\b(amendment|motion)\b", question, re.I)
        found = []  # (preferences, share of the topic held, order), vote, motion
        for vote, motion in zip(votes, motions_of):
            if not item[0] <= vote.statement[0] < item[1]:
                continue
            share = held(weights, title + " " + text[motion[0] : motion[1]])
            if share < self.coverage:
                continue
            put = text[vote.statement[0] : vote.statement[1]].lower()
            substantive = final and "substantive" in put
            # An amendment and the motion it amends may be put in turn from one paragraph: the
            # vote on what the question names ("the amendment", "the motion").
            named = noun is not None and noun.group(1).lower() in put
            # A motion is known by who moved it: its paragraph opens "Mr X proposed".
            moved = proposer is not None and re.match(rf"(?:\w+\.?\s+){{0,3}}{re.escape(proposer.group(1))}\s+proposed\b", text[motion[0] : motion[0] + 80]) is not None
            # The final vote is the last one; otherwise the first of equals.
            order = vote.statement[0] if final else -vote.statement[0]
            found.append(((substantive, named, moved, share, order), vote, motion))
        if not found:
            return {"answer": None}
        # What the question says of the vote chooses among the motions that hold nearly as much
        # of its topic as the best; the final vote, on the motion as amended, among all.
        best = max(key[3] for key, _, _ in found)
        near = [f for f in found if f[0][3] >= best - self.margin or f[0][0]]
        _, vote, motion = max(near, key=lambda f: f[0])
        return {"answer": self._answer(asked, question, text, record, vote, motion)}

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
