"""What a question asks for: the kind of answer, its key terms, and the entities (years, figures,
names) a quote must support for the answer to be about the same thing."""

import re
from dataclasses import dataclass, field
from functools import lru_cache

import Stemmer

from councils.authorities import authority_registry
from councils.commitments import COMMITMENT_QUESTION
from councils.dates import MONTH_NAMES, MONTH_YEAR, MONTHS, YEAR
from councils.shapes import CALENDAR_DATE
from service.glossary import GLOSSARY, WORD_FAMILIES

TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Function words, question words and the verbs of asking: they say how a question is put, not
# what it is about, in any question (a generic list, not one drawn from evaluation questions).
STOPWORDS = frozenset(
    """a an the of and or nor to in on at for by with as is are was were be been being am it its
    this that these those which who whom whose what when where why how did do does doing done has
    have had having any all some about into from there their theirs they them he she his her hers
    him we our ours you your yours i me my mine can could would should will shall may might must
    not no if than then so such very more most much many also just only own same other too
    between against during after before over under again further once here both each few up
    down out off above below through while because until s t
    say says said tell told show shows showed give gives gave list find found describe described
    explain explained mention mentioned please know""".split()
)

KINDS = ("money", "number", "when", "who", "why", "list", "promised", "compare", "other")
_ASKS = [
    ("compare", re.compile(r"\b(?:compar\w*|differ\w*|versus|vs\.?|contrast\w*)\b|\bboth\b.*\band\b", re.I)),
    # An amount of money, before "number": its answer needs a sum of money, not just any figure.
    ("money", re.compile(r"^\W*(?:how much\b(?! time\b)[^?]*?\b(?:money|fund\w*|cost\w*|spen[dt]\w*|sav\w*|budget\w*|grants?|overspen\w*|underspen\w*|salar\w*|pay\w*|paid|invest\w*|worth|income|revenue|deficit|pric\w*|charg\w*)|what (?:salary|budget|sum|cost|amount of (?:money|funding)))\b", re.I)),
    ("number", re.compile(r"^\W*(?:how (?:many|much|high|low|big|large|often|long)|what (?:percentage|proportion|number|share|rate|amount|figure|total)|what (?:was|is|were) the (?:number|percentage|proportion|rate|cost|total|budget|figure|amount|size))\b", re.I)),
    ("when", re.compile(r"^\W*(?:when|what date|which (?:date|year|month|day)|by (?:what|which) (?:date|time|year|month)|on what date|in (?:what|which) (?:year|month)|what year|what month)\b", re.I)),
    ("who", re.compile(r"^\W*(?:who|whom|whose|which (?:person|officer|councillor|member|inspector|organisation|organization|body|team|company|partner|charity|agency|provider|cabinet member|director))\b|\b(?:name of|named)\b", re.I)),
    ("why", re.compile(r"^\W*(?:why|for what reason|what (?:was|were|is|are) the reasons?|what (?:caused|led to|drove|explains))\b", re.I)),
    ("promised", COMMITMENT_QUESTION),
    ("list", re.compile(r"^\W*(?:which|list|name the|what (?:were|are) the (?:\w+ )?(?:areas|things|priorities|actions|recommendations|steps|strengths|weaknesses|improvements|concerns|risks|options|reasons|services|measures|proposals))\b", re.I)),
]
_FIGURE = re.compile(r"£?\d[\d,.]*%?")
# Capitalised words or runs of them inside the question: names of people, teams, places, parties.
_NAME = re.compile(r"(?<!^)(?<![.?!] )\b[A-Z][A-Za-z&'’-]+(?: [A-Z][A-Za-z&'’-]+)*")
_MONTH = re.compile(rf"^(?:{MONTH_NAMES})$")


@dataclass(frozen=True)
class QuestionAnalysis:
    asks: str
    # Each key term as its alternatives: its stem, plus a glossary term's other form.
    terms: list[frozenset[str]] = field(default_factory=list)
    # Lower-cased years, figures and names a supporting quote (or its document) must contain.
    entities: list[str] = field(default_factory=list)
    # It asks for someone by name ("What is the name of...", "... by name", "as named in").
    asks_name: bool = False
    # The post whose holder it asks for, a key of POST_NAMED ("who was Dudley's director": a quote
    # naming the lead inspector does not answer); None when it asks for none.
    asks_post: str | None = None
    # It asks for a figure: a count, a share, a sum of money or a measure ("What was the average
    # caseload?"), whatever kind its opening words make it.
    asks_figure: bool = False
    # The figures the question itself states ("children under 16"), which do not answer it, and
    # whether it counts time ("how many weeks"), so a length of time may.
    figures: tuple[str, ...] = ()
    counts_time: bool = False
    # It asks when something happened, not a question put after a "When ...," clause ("When the
    # committee met, what did the director agree?"), which a time does not answer.
    asks_time: bool = False
    # It asks for a share ("What percentage of posts were vacant?"): a count alone does not answer.
    asks_share: bool = False
    # It asks which council or authority ("Which council was Barnet's improvement partner?"): the
    # authorities it names itself, which do not answer it; None when it asks for none.
    asks_authority: tuple[str, ...] | None = None
    # The month of the one meeting it asks about ("at the February 2024 meeting"), as "YYYY-MM".
    meeting_month: str | None = None
    # The years it asks about as (first, last) ("in 2023": (2023, 2023); "in 2023-24": (2023,
    # 2024)); not a bound of that time ("since the 2016 inspection", "post-2015"), a title's year
    # ("the Children Act 1989", "Working Together 2023") or a sum ("£2000").
    asked_years: tuple[tuple[int, int], ...] = ()


# A meeting, or a body that meets ("the Corporate Parenting Panel in January 2025"); not a
# Cabinet Member, who does not.
_MEETING_WORD = re.compile(r"\b(?:meetings?|minutes|(?:panel|committee|cabinet)(?!\s+members?\b))\b", re.I)


# A year, or a financial or plan year that runs on to a later one ("2023-24", "2023/24", "2023-26").
_YEAR_SPAN = re.compile(r"(?<![£$\d,.])\b((?:19|20)\d\d)(?:[-/–]((?:19|20)?\d\d))?\b(?![,.]\d)")
# What comes just before a year that bounds the time asked about ("since April 2023", "after the
# 2016 inspection", "post-2015", "pre-2015") rather than naming it.
_BOUND_BEFORE = re.compile(
    rf"\b(?:since|after|post|pre|following|before|until|prior to)\W+(?:(?:the|its|their|[\w-]+['’]s)\s+)?(?:(?:{MONTH_NAMES})\s+)?$", re.I
)
# Both ends of a span of years ("from 2016 to 2020", "between 2016 and 2020").
_YEARS_BETWEEN = re.compile(r"\b(?:from|between)\s+((?:19|20)\d\d)\s+(?:to|and|until)\s+((?:19|20)\d\d)\b", re.I)
# A capitalised word just before a year, not opening the question nor a month: a title's year.
_TITLE_WORD_BEFORE = re.compile(rf"(?<=\S)\s+(?!(?:{MONTH_NAMES})\b)[A-Z][A-Za-z]+\s+$")


def asked_years(question: str) -> tuple[tuple[int, int], ...]:
    """The years `question` asks about, each as (first, last); see `QuestionAnalysis.asked_years`."""
    spans = {m for pair in _YEARS_BETWEEN.findall(question) for m in pair}
    found = []
    for match in _YEAR_SPAN.finditer(question):
        before = question[: match.start()]
        if match.group(1) in spans or _BOUND_BEFORE.search(before) or _TITLE_WORD_BEFORE.search(before):
            continue
        first, last = int(match.group(1)), match.group(2)
        # "2023-24" ends in 2024; "2023-2026" in 2026.
        end = int(str(first)[: 4 - len(last)] + last) if last else first
        found.append((first, end if end >= first else first))
    return tuple(dict.fromkeys(found))


def meeting_month(question: str) -> str | None:
    """The month of the one meeting a question names ("Who seconded the budget at the February
    2024 meeting?"), if it names a meeting and exactly one month."""
    if not _MEETING_WORD.search(question):
        return None
    months = {f"{int(year):04d}-{MONTHS[name.lower()]:02d}" for name, year in MONTH_YEAR.findall(question)}
    return months.pop() if len(months) == 1 else None


@lru_cache(maxsize=1)
def stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def stems(text: str) -> list[str]:
    return stemmer().stemWords(TOKEN.findall(text.lower().replace("’", "'")))


# A question put after a statement or a topic ("Bolton's front door was rated weak in 2023: what
# did the council do?", "Medway 2022 Ofsted: which judgement did leadership receive?") asks its
# last clause; the words before it say what it is about. The first-page routing reads it; the
# answer stage does not yet (eval/README.md, eighteenth and nineteenth scorings).
_LAST_CLAUSE = re.compile(
    r"^.*(?:\s[-–—]\s|[:;]\s)(?=\s*(?:what|which|who|whom|whose|how|when|why|where|by when|did|does|do|was|were|is|are|has|have|had|will|would|can|could)\b)",
    re.I | re.S,
)
# Kinds that say what a question is about (two things set side by side, an undertaking), not
# how it asks: they do not make its opening words the clause that asks.
_KINDS_OF_WHOLE = ("compare", "promised")


def asked_clause(question: str) -> str:
    """The part of `question` that asks: its last clause after a statement or topic, else all of
    it. A question that asks in its opening words ("How many children - who were looked after -
    went missing?") keeps them: a dash or colon later in it starts an aside or a second question."""
    if any(pattern.search(question) for kind, pattern in _ASKS if kind not in _KINDS_OF_WHOLE) or any(
        pattern.search(question) for pattern in (_ASKS_COUNT, _ASKS_SHARE, _ASKS_NAME, _ASKS_AUTHORITY)
    ):
        return question
    return _LAST_CLAUSE.sub("", question)


def asks_for(question: str) -> str:
    """The kind of answer a question asks for (first matching kind in `_ASKS`, else "other")."""
    return next((kind for kind, pattern in _ASKS if pattern.search(question)), "other")


def key_terms(question: str, additions: list[str]) -> list[frozenset[str]]:
    """The question's content words as stems, each widened by its glossary family; a glossary
    acronym matches its spelled-out words and the reverse."""
    stem = stemmer().stemWord
    terms = [{stem(t)} for t in TOKEN.findall(question.lower().replace("’", "'")) if t not in STOPWORDS and len(t) > 1]
    for family in WORD_FAMILIES:
        family_stems = {stem(word) for word in family if " " not in word}
        for term in terms:
            if term & family_stems:
                term |= family_stems
    for addition in additions:
        if addition in GLOSSARY:
            phrase_stems = set(stems(" ".join(GLOSSARY[addition])))
            for term in terms:
                if term & phrase_stems:
                    term.add(stem(addition.lower()))
        else:
            phrase = " ".join(w for w in stems(addition) if w not in STOPWORDS)
            acronyms = {stem(a.lower()) for a, forms in GLOSSARY.items() if addition in forms}
            for term in terms:
                if term & acronyms and phrase:
                    term.add(phrase)
    unique: list[frozenset[str]] = []
    for term in terms:
        if frozenset(term) not in unique:
            unique.append(frozenset(term))
    return unique


def entities(question: str) -> list[str]:
    """Years, figures and capitalised names in the question (not its first word, not a month)."""
    found = YEAR.findall(question) + [f for f in _FIGURE.findall(question) if not YEAR.fullmatch(f)]
    for name in _NAME.findall(question):
        words = [w for w in name.split() if w.lower() not in STOPWORDS and not _MONTH.match(w)]
        if words:
            found.append(" ".join(words))
    return list(dict.fromkeys(e.lower().rstrip(".,") for e in found if e.strip(".,")))


# Someone asked for by name: "Who is the chair, as named in...", "Who ..., by name?", "the
# name of" a post-holder ("the name of Sheffield's director of children's services"), not of a
# team, a scheme or a body; or who holds a post ("Who was Dudley's director of children's
# services?"): the post alone does not answer. Not "who chairs the board": "a Department for
# Education adviser" answers that.
_TITLE_WORDS = r"(?:(?:new|current|interim|permanent|former|previous|acting|executive|corporate|independent|strategic|assistant|deputy|cabinet) )*"
_POST = r"(?:director|DCS|chair\w*|lead member|leader|chief executive|commissioner|inspector|officer|head|minister|secretary|councillor|mayor|manager)"
# Who holds a post: "the name of Sheffield's director", "name the chair", "who was the lead
# inspector" (up to three words naming the post: "the Section 151 officer", "the government
# commissioner"). Each alternative captures the post.
_HOLDER_OF_POST = (
    rf"\bname of (?:the )?(?:(?-i:[A-Z])[\w-]*(?: (?:and )?(?-i:[A-Z])[\w-]*){{0,3}}(?:['’]s)? )?{_TITLE_WORDS}({_POST})\b"
    rf"|^\W*name the {_TITLE_WORDS}({_POST})\b"
    rf"|^\W*who (?:is|was|were|has been|had been) (?:the |its |their )?(?:[\w-]+['’]s )?(?:(?!(?:the|a|an|who|whom|that|which|people|children)\b)[\w-]+ ){{0,3}}?{_TITLE_WORDS}({_POST})\b"
)
_ASKS_HOLDER = re.compile(_HOLDER_OF_POST, re.I)
# How a quote names the post asked about, by each post a document names one holder of (a
# report's lead inspector is not its director); "officer", "head", "manager", "secretary" and
# "councillor" are said in too many ways ("Ask for:" on an agenda) to be required. Only a clear
# mismatch is caught: the words that narrow a post ("of public health", "deputy") are not read.
POST_NAMED = {
    "director": re.compile(r"\bdirectors?\b|\bDCS\b", re.I),
    "chair": re.compile(r"\bchair(?:s|ed|man|woman|person)?\b", re.I),
    "lead member": re.compile(r"\blead (?:cabinet )?member\b|\bportfolio holder\b|\bcabinet (?:member|lead)\b|\bexecutive member\b", re.I),
    "leader": re.compile(r"\bleaders?\b", re.I),
    "chief executive": re.compile(r"\bchief executive\b|\bCEO\b|\bhead of paid service\b", re.I),
    "commissioner": re.compile(r"\bcommissioners?\b|\bPCC\b", re.I),
    "inspector": re.compile(r"\binspectors?\b|\bHMI\b", re.I),
    "mayor": re.compile(r"\bmayors?\b", re.I),
    "minister": re.compile(r"\bministers?\b|\bsecretary of state\b|\bunder-secretary\b", re.I),
}
_ASKS_NAME = re.compile(
    r"^\W*who\b.*\b(?:by name|named)\b"
    rf"|{_HOLDER_OF_POST}"
    # "Which councillor ...": a person, whom a post does not name.
    r"|^\W*which (?:[\w-]+ )?(?:councillors?|MPs?|person|individual)(?![\w-])"
    # What members do in a meeting, which minutes record by name ("Mr Hood proposed, and Mr Lewis
    # seconded"): "At the budget meeting, who moved and who seconded the amendment?" (Not who
    # proposed or tabled something: a body may, "the Department for Education proposed".) Asked
    # first, after a clause or two, not as the second half of another question ("How much was it,
    # who moved it?").
    r"|^\W*(?!(?:how|what|which|when|why|where|whose)\b)(?:[^?,:]*,\s*){0,2}who (?:(?:actually|formally|first) )?(?:moved|seconded|abstained|proposed and (?:who )?seconded)\b"
    # Someone put into a post: "Who did the Secretary of State appoint as commissioner?"
    rf"|^\W*who did\b.{{0,80}}?\b(?:appoint|name|choose|select|hire|recruit|install)\w*\s+as\s+(?:the |its |their |an? |[\w-]+['’]s )?(?:[\w'’-]+ ){{0,3}}?{_POST}\b",
    re.I,
)
# A figure asked for: a count, a share, a sum of money ("money"), or a measure named after
# "what was the" ("the average caseload", "Bromley's social worker vacancy rate"); not "how
# long", "how often" or "how much progress", which words can answer.
_ASKS_COUNT = re.compile(
    r"^\W*(?:how many\b|what (?:percentage|proportion|number|share|total)\b|what (?:was|is|were) the (?:number|percentage|proportion|total|figure)\b)"
    r"|^\W*what (?:is|was|were|are) (?:the |its |their |[\w-]+['’]s )?(?:[\w-]+ ){0,3}?(?:average|mean|median|rate|ratio|percentage|proportion)\b",
    re.I,
)


# Asks how long something took or lasted, which a length of time answers ("How many weeks did
# proceedings take?"), not a count over a period ("How many children in the last six months?").
_ASKS_TIME = re.compile(
    r"\bhow (?:long|quickly|soon|often)\b|\b(?:how many|number of) (?:\w+ )?(?:days?|weeks?|months?|years?|hours?)\b"
    r"|\b(?:average|mean|median|typical) (?:\w+ )?(?:duration|length|time|timescale|wait)\b",
    re.I,
)
_WHEN_CLAUSE = re.compile(
    r"^\W*when\b(?!\s*,)[^?]*?(?:,\s*(?:what|who|whom|which|why|how|where|did|does|do|was|were|is|are|has|had)|\s(?:what|who|whom|which|why|how|where))\b",
    re.I,
)
_ASKS_SHARE = re.compile(
    r"^\W*(?:what|by what) (?:percentage|proportion|share|fraction)\b"
    r"|^\W*what (?:is|was|were|are) (?:the |its |their |[\w-]+['’]s )?(?:[\w-]+ ){0,3}?(?:percentage|proportion|share)\b",
    re.I,
)
# "Which council ...", "Which neighbouring local authority ...", not "which council meeting" or
# "which council tax rise", whose answers are not authorities.
_ASKS_AUTHORITY = re.compile(
    r"^\W*which (?:[\w-]+ ){0,2}?(?:(?:local )?authorit(?:y|ies)|councils?|boroughs?)\b"
    r"(?![\w-])(?!\s+(?:tax|meetings?|committees?|departments?|directorates?|services?|officers?|members?|polic\w+|plans?|papers?|reports?"
    r"|budgets?|schemes?|teams?|leaders?|decisions?|motions?|funds?|funding|staff|buildings?|sites?|land|cabinet|bod(?:y|ies)"
    r"|programmes?|strateg(?:y|ies)|documents?|boards?|chairs?|executives?|directors?|councillors?|portfolio)\b)",
    re.I,
)


def asked_post(question: str) -> str | None:
    """The post (a key of POST_NAMED) whose holder `question` asks for, if it asks for one that a
    document names one holder of."""
    found = _ASKS_HOLDER.search(question)
    if not found:
        return None
    post = next(g for g in found.groups() if g).lower()
    post = "chair" if post.startswith("chair") else "director" if post == "dcs" else post
    return post if post in POST_NAMED else None


def analyse(question: str, additions: list[str] | None = None, asked: str | None = None) -> QuestionAnalysis:
    """What `question` (the topic) asks for; `asked`, the whole question as put, says which
    authorities it names."""
    asks = asks_for(question)
    whole = asked or question
    return QuestionAnalysis(
        asks=asks, terms=key_terms(question, additions or []), entities=entities(question),
        asks_name=bool(_ASKS_NAME.search(question)), asks_post=asked_post(question), asks_figure=asks == "money" or bool(_ASKS_COUNT.search(question)),
        figures=tuple(f.rstrip(".,") for f in _FIGURE.findall(CALENDAR_DATE.sub(" ", whole))), counts_time=bool(_ASKS_TIME.search(whole)),
        asks_time=asks == "when" and not _WHEN_CLAUSE.search(question), asks_share=bool(_ASKS_SHARE.search(question)),
        asks_authority=tuple(authority_registry().named_in(whole)) if _ASKS_AUTHORITY.search(question) else None,
        meeting_month=meeting_month(question), asked_years=asked_years(question),
    )
