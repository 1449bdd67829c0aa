import re
from dataclasses import dataclass, replace
from datetime import date

from haystack import component

from councils.dates import DAY_MONTH_YEAR, MONTH_YEAR, MONTHS, YEAR, month_end
from councils.authorities import authority_registry
from indexes import SearchFilter

_PUBLISHED_MONTH = re.compile(r"\bpublished in " + MONTH_YEAR.pattern.removeprefix(r"\b"), re.I)
# A date written against the inspection or report it names: "the 2022 inspection", "Ofsted's
# July 2016 inspection", "inspected Croydon's services in 2022", "the 2016 Ofsted report".
_BEFORE_INSPECTION_NOUN = r"^(?:\s+(?:ofsted|ilacs))?\s+(?:re-?)?"
_INSPECTION_AFTER = re.compile(_BEFORE_INSPECTION_NOUN + r"(?:inspections?|reports?|visits?)\b", re.I)
# ... or written straight after it, as a heading is: "Wigan Ofsted inspection 2016 rating".
_INSPECTION_BEFORE = re.compile(
    r"\b(?:inspect(?:ion|ions|ed|ing)|report|visit(?:ed)?)\b[^.?;]{0,60}\b(?:in|of|during)\s+$|\b(?:inspection|report|visit)\s+$", re.I
)
_INSPECTION_WORD = re.compile(r"\b(?:inspect(?:ion|ions|ed|ing)|reports?|visits?)\b", re.I)
# A date used as an event's name: "the March 2014 restructure", "the 2019 budget".
_EVENT_NOUN_AFTER = re.compile(
    r"^\s+(?!(?:ofsted|ilacs|inspections?|reports?|visits?|judge?ments?|grades?|ratings?|and|or|the|a|an|to|in|on|at|for|of|by|with|"
    r"when|while|after|before|since|until|as|but|was|were|is|are|had|has|have|did|do|does|compared|versus|vs)\b)(?-i:[a-z])[\w-]+",
    re.I,
)
# A day that ends something ("deliver by 31 March 2026") bounds nothing from below.
_DEADLINE = re.compile(r"\b(?:by|before|until|till|ahead of|no later than)\s+(?:the\s+)?$", re.I)
# A period that starts what is asked about ("since the 2016 inspection", "since the October
# 2020 focused visit"): the answer lies in what came later. Not "after" or "following": "what
# did Ofsted tell Halton to improve after its 2020 inspection" asks about that inspection's report.
_FROM_PERIOD = re.compile(r"\bsince\s+(?:(?:the|its|their|an?|[\w-]+[’']s)\s+)?$", re.I)
_INSPECTIONS_AFTER = re.compile(_BEFORE_INSPECTION_NOUN + r"(?:inspections|reports|visits)\b", re.I)  # the plural alone
_JOINED = re.compile(r"\s*(?:,|and|or|to|versus|vs\.?|-|–)\s*(?:(?:the|its|their)\s+)?", re.I)
# How things changed (read in the later report), and how two inspections compare (read in both).
_CHANGE = re.compile(r"\b(?:chang\w*|improved|better|worse|deteriorat\w*|declin\w*|progress\w*)\b", re.I)
_COMPARE = re.compile(r"\b(?:differ\w*|compar\w*|versus|vs\.?|both)\b", re.I)
# "Judged" asks about a judgement as "judgement" and "graded" do ("rating" and "grades" are as
# often a credit rating or exam grades; the first-page answer reads their year itself).
_ABOUT_INSPECTION = re.compile(r"\b(ofsted|ilacs|inspect\w*|inspectors?|judge?ments?|judged|graded?|rated)\b", re.I)
# Reports follow an inspection by weeks and minutes discuss it for months: a period named for
# an inspection also admits documents from the months after it.
_FOLLOWING_MONTHS = 4


@dataclass(frozen=True)
class Scope:
    """What a question itself says about where its answer lies."""

    authorities: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    # The period is the publication month ("the report published in May 2024").
    published: bool = False
    # The named month or year itself, before the following months are admitted.
    period: tuple[date, date] | None = None
    # The period dates something a later report may describe ("the March 2014 restructure",
    # "at the end of March 2015"), not the inspection or report itself ("its 2022 inspection").
    event: bool = False


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    if year > date.max.year:
        return date.max
    return month_end(year, month % 12 + 1)


def _period(year: int, month: int | None = None) -> tuple[date, date] | None:
    """The month or year named, or None when no calendar holds it ("May 0000")."""
    if not date.min.year <= year <= date.max.year:
        return None
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    return date(year, month, 1), month_end(year, month)


def _month_period(match: re.Match) -> tuple[date, date] | None:
    """The month a (month name, year) match names."""
    return _period(int(match.group(2)), MONTHS[match.group(1).lower()])


def _named_day(question: str) -> date | None:
    match = DAY_MONTH_YEAR.search(question)
    if not match or _DEADLINE.search(question[: match.start()]):
        return None
    try:
        return date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
    except ValueError:  # "31 February 2025"
        return None


def _attached(question: str, named: re.Match) -> bool:
    """The month or year is written against an inspection or report ("the 2022 inspection",
    "inspected in 2022")."""
    return bool(_INSPECTION_AFTER.search(question[named.end():]) or _INSPECTION_BEFORE.search(question[: named.start()]))


def _inspection_periods(question: str) -> list[tuple[re.Match, tuple[date, date]]]:
    """Each month or year (not inside a month) written against an inspection or report, with its period."""
    months = list(MONTH_YEAR.finditer(question))
    named = [(m, _month_period(m)) for m in months]
    named += [(y, _period(int(y.group()))) for y in YEAR.finditer(question) if not any(m.start() <= y.start() < m.end() for m in months)]
    named = sorted(((m, p) for m, p in named if p is not None), key=lambda item: item[0].start())
    attached = [_attached(question, m) for m, _ in named]
    # "the 2016 and 2019 inspections": a period joined to the plural's is an inspection's too
    # (not "between March 2015 and the July 2016 inspection").
    plural = [bool(_INSPECTIONS_AFTER.search(question[m.end():])) for m, _ in named]
    for i in range(len(named) - 2, -1, -1):
        if plural[i + 1] and _JOINED.fullmatch(question[named[i][0].end(): named[i + 1][0].start()]):
            attached[i] = plural[i] = True
    return [item for item, is_attached in zip(named, attached) if is_attached]


def read_scope(question: str) -> Scope:
    """The authorities a question names and, for a question about a publication or an
    inspection, the period it names; for any other, the day it names as a lower bound."""
    authorities = tuple(authority_registry().named_in(question))
    published = _PUBLISHED_MONTH.search(question)
    if published:
        period = _month_period(published)
        return Scope(authorities, *period, published=True, period=period) if period else Scope(authorities)
    if not _ABOUT_INSPECTION.search(question):
        # A day named outside an inspection ("Cabinet on 4 March 2025", "looked after at 31
        # March 2024") is when something happened: papers dated before it cannot report it.
        day = _named_day(question)
        return Scope(authorities, since=day, period=(day, day), event=True) if day else Scope(authorities)
    month_year = MONTH_YEAR.search(question)
    inspections = _inspection_periods(question)
    several = len(authorities) < 2 and len(set(period for _, period in inspections)) > 1
    if several and _COMPARE.search(question):
        # Two inspections compared: both reports (two authorities' years are one each).
        first, last = min(p for _, p in inspections), max(p for _, p in inspections)
        return Scope(authorities, first[0], _add_months(last[1], _FOLLOWING_MONTHS), period=(first[0], last[1]))
    if several and _CHANGE.search(question):
        # How things changed between two inspections is what the later report describes ("since
        # the last inspection in 2017, ...").
        named, period = max(inspections, key=lambda item: item[1])
    elif month_year:
        named, period = month_year, _month_period(month_year)
    else:
        years = list(YEAR.finditer(question))
        named = years[0] if years else None
        # One year written twice ("Kent's 2025 inspection and Leeds's 2025 inspection") is one period.
        period = _period(int(named.group())) if len({y.group() for y in years}) == 1 else None
    if period is None:
        return Scope(authorities)
    # Not "Since the 2016 inspection found..., what did it recommend?" ("since" as "because").
    if _FROM_PERIOD.search(question[: named.start()]) and not re.match(r"\W*since\b", question, re.I):
        return Scope(authorities, period[0], None, period=period, event=True)
    # The period dates an event when it names one ("the March 2014 restructure") or the question
    # names an inspection or report apart from it ("at the end of March 2015, according to
    # Ofsted's 2016 inspection"); a period written against the inspection, or the only one the
    # question gives, is the inspection's own.
    event = not _attached(question, named) and (
        bool(_EVENT_NOUN_AFTER.search(question[named.end():])) or bool(_INSPECTION_WORD.search(question[: named.start()] + " " + question[named.end():]))
    )
    return Scope(authorities, period[0], _add_months(period[1], _FOLLOWING_MONTHS), period=period, event=event)


@component
class QuestionScope:
    """Narrows retrieval to the authorities a question names and to the period it gives for a
    report or an inspection ("Cambridgeshire's report published in May 2024", "Medway's 2023
    inspection"), unless the request's own filters already say. When the named authorities
    hold nothing the retriever falls back to the request's filters, unless the question also
    names a period: then it keeps the authorities, and admits their later documents only when
    the period dates an event a later report may describe ("the March 2014 restructure"). So a
    question about a report that is not held finds nothing, rather than another year's report
    or another authority's.

    Usage:
        scope = QuestionScope()
        scope.run(question="Medway's 2023 Ofsted inspection", filters=SearchFilter())
    """

    def __init__(self, enabled: bool = True):
        """:param enabled: Set False to search exactly within the request's filters."""
        self.enabled = enabled

    @component.output_types(filters=SearchFilter, fallback_filters=SearchFilter, scope=Scope, topic=str)
    def run(self, question: str, filters: SearchFilter | None = None):
        """
        :param question: The user's words.
        :param filters: The request's filters.
        :returns: `filters` narrowed by the question, `fallback_filters` to use when those find
            nothing, the `scope` read from the question, and its `topic`: the question without
            the authorities and period the filters now stand for (passages seldom repeat them).
        """
        filters = filters or SearchFilter()
        scope = read_scope(question) if self.enabled else Scope()
        named = scope.authorities
        if filters.authorities:
            scope = replace(scope, authorities=tuple(filters.authorities))
        if filters.since or filters.until:
            scope = replace(scope, since=filters.since, until=filters.until, published=False, period=None)
        dated = replace(filters, since=scope.since, until=scope.until)
        narrowed = replace(dated, authorities=list(scope.authorities))
        # A question that names an authority and a period asks about that authority's documents:
        # when it holds nothing of that period, another authority's cannot answer either. A later
        # report of the authority may describe an event of that period; another inspection is not
        # the one asked about.
        if named and scope.period is not None:
            fallback = replace(narrowed, until=None) if scope.event else narrowed
        else:
            fallback = dated
        return {"filters": narrowed, "fallback_filters": fallback, "scope": scope, "topic": _topic(question, scope, set(named) <= set(scope.authorities)) if self.enabled else question}


def _topic(question: str, scope: Scope, names_filtered: bool) -> str:
    topic = question
    # A period that only bounds the search from below (a named day, "since the 2016 inspection")
    # stays in the topic: it tells that meeting's papers, or that report, from later ones.
    if scope.period is not None and scope.until is not None:
        topic = _PUBLISHED_MONTH.sub(" ", topic)
        topic = MONTH_YEAR.sub(" ", topic)
        topic = YEAR.sub(" ", topic)
    if scope.authorities and names_filtered:
        topic = authority_registry().without_names(topic)
    return re.sub(r"\s+", " ", topic).strip()
