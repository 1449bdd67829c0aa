import re
from dataclasses import replace
from datetime import date

from haystack import component

from councils.authorities import authority_registry
from indexes import ScrutinyIndex, SearchFilter
from service.components.question_scope import Scope
from councils.dates import MONTHS, SEASONS, YEAR
from councils.ofsted import ROW_NAMES, normalise_grade
from service.answering.question import STOPWORDS, TOKEN, asked_clause, asks_for, stems
from service.schemas import source_fields

# Asks who led or carried out an inspection ("Who led Medway's 2023 inspection?", "Which
# inspector led...", "Name the lead inspector..."), not who held another post at the time ("Who
# was the director when Ofsted inspected?", "Who is the lead member?").
_ASKS_INSPECTOR = re.compile(
    r"\blead inspector\b|\bwhich (?:inspector|HMI)\b|\bwho\s+inspected\b|\bwho\s+(?:was|were|is)\s+the\s+inspectors?\b"
    # What was led is the inspection itself, not the work or the response that followed it.
    r"|\b(?:who|which person)\s+(?:(?:was|were|is)\s+)?(?:led|headed|carried out|in charge of)\s+"
    r"(?:(?!(?:response|improvement|work|board|plan|changes?|after|following)\b)[\w'’-]+\s+){0,5}?(?:inspection|inspectors|visit)\b",
    re.I,
)
# The first page dates the inspection it reports, never the next one.
_ASKS_FUTURE = re.compile(r"\b(?:next|due|upcoming|future)\b", re.I)
# Stored first pages are full inspections' reports: other visits, other inspectors and other
# grades ("the planning inspector's report", "the lowest pay grade") are not on them.
_OTHER_INSPECTION = re.compile(
    r"\b(?:focused|monitoring) visits?\b|\bjoint targeted area\b|\bJTAIs?\b"
    r"|\b(?:planning|school|schools|fire|police|CQC)\s+inspect\w*|\b(?:pay|salary|scheme|job)\s+grades?\b",
    re.I,
)
# A judgement set against another ("how did the grade change between 2015 and 2019") needs two
# reports; one first page answers half of it.
_COMPARES = re.compile(r"\b(?:chang\w*|compar\w*|between|versus|vs\.?|before|improved|declined|differ\w*)\b", re.I)
# "When did inspectors visit X?", "When was X inspected?", "What were the inspection dates?",
# not "When did Ofsted find/say ..." or "When was the report published?" (no such verb may
# come before the inspection word).
_ASKS_DATES = re.compile(
    r"^\s*(?:when\b(?:(?!\b(?:f[oi]u?nd|say|said|report|publish|judge|grade|rate)\w*\b).){0,80}?\b(?:inspect\w*|visit\w*|on site)\b"
    r"|(?:on )?what (?:were the |was the )?(?:inspection )?dates?\b|.{0,60}\binspection dates?\b)",
    re.I,
)
# The words a question about the inspection's own dates uses besides its authority and period;
# any other ("When did Wigan open its care leavers hub, according to the 2025 inspection?") dates
# another event, which the report's body may state and its first page does not.
# The inspection and its report, and the services and council inspected: words any question
# about a first page's facts may use.
_INSPECTION_WORDS = "ofsted ofsted's ilacs inspection inspections inspected inspect inspector inspectors report reports published publication "
_SERVICES_WORDS = (
    "children child young people childrens services service social care council county city borough local authority "
    "london royal metropolitan district department "
)
_DATE_QUESTION_WORDS = frozenset(stems(
    _INSPECTION_WORDS + _SERVICES_WORDS
    + "visit visited visiting site take took place happen happened carried carry out conducted start started begin began "
    "end ended held run ran date dates day days week weeks period time "
    "unitary framework help protection leavers "
    "according fieldwork undertaken undertake undertook arrive arrived come came exactly "
    # Which inspection: the one that found services inadequate, good or outstanding.
    "found judged rated graded inadequate good outstanding requires required improvement "
    "latest last recent most first earliest standard full"
))
# Ofsted's four grades, as questions write them.
_GRADES = r"outstanding|good|inadequate|requires? improvement"
_ASKS_WHEN_GRADED = re.compile(rf"^\s*when\b.{{0,80}}?\b(?:judged|graded|rated)\b.{{0,40}}?\b({_GRADES})\b", re.I)
# Several authorities' judgements set side by side ("Kirklees vs Cambridgeshire 2024 overall
# effectiveness") are each one first page; how a judgement moved over time is not.
_OVER_TIME = re.compile(r"\b(?:chang\w*|between|before|since|improv\w*|declin\w*|moved?|previous\w*|progress\w*|worse|better|earlier)\b", re.I)
# Asks for a judgement: a grade word, and no grade already named (a question that names one,
# "What did X do after the inadequate judgement?", asks about something else).
_GRADE_WORD = re.compile(
    r"\b(?:grade[sd]?|grading|ratings?|rated|judge?ments?|judge[ds]?|overall effectiveness|verdict)\b"
    # "How did Ofsted rate Leeds?": rating as a verb, not a rate ("the NFA rate").
    r"|\b(?:did|does|do|would|will)\s+(?:ofsted|(?:the\s+)?inspectors|it|they)\s+rate\b",
    re.I,
)
# Whether the authority had a grade ("Is Cornwall still rated outstanding?", "Was Birmingham
# inadequate in 2019?", "Did Ofsted find Leeds outstanding?"): the judgement answers yes or no.
_YES_NO = re.compile(r"^\W*(?:is|was|were|are|did|does|has|had|have)\b", re.I)
# The grade said of the authority, not of a thing ("good practice", "outstanding work").
_GRADE_SAID = re.compile(
    rf"\b(?:{_GRADES})(?: to be good)?"
    r"(?=\s*(?:$|[?.,;:!]|(?:in|at|for|by|overall|again|now|then|any ?more|or|and|when|after|before|since|from|under|according|last|still)\b))",
    re.I,
)
_YES_NO_WORDS = frozenset(stems("still find found say said call called consider considered remain remained rate"))
# Better or worse between two authorities compares places, not times; "which was better rated"
# asks which of the authorities named.
_BETWEEN_PLACES = re.compile(r"\b(?:better|worse)\b", re.I)
_WHICH_OF = re.compile(r"^\W*which\s+(?:(?:one|council|authority|of\s+(?:them|the\s+two))\s+)?(?:was|is|were|are|had|has|got|received|did)\b", re.I)
# "Which grade did Ofsted give Leeds?" opens like a list question but asks for the grade.
_WHICH_GRADE = re.compile(r"^\W*which (?:(?:overall|ofsted(?:['’]s)?|inspection) )?(?:grades?|judge?ments?|ratings?)\b", re.I)
_GRADE_NAMED = re.compile(rf"\b(?:{_GRADES})\b", re.I)
# A verdict the question states on something ("the case recording system was judged unfit",
# "rated as weak") is what it starts from, as a named grade is: it asks about something else.
# Not "effective", "strong" or "failing": said of the services, they ask for the grade.
_VERDICT_NAMED = re.compile(
    r"\b(?:judged|rated|graded|deemed|assessed)(?:\s+(?:\w+ly|by\s+\w+))?\s+(?:to\s+be\s+|as\s+(?:being\s+)?)?"
    r"(?:not\b|no\s+longer\b|(?:un)?fit\b|(?:un)?safe\b|(?:in)?adequate\b|(?:un)?satisfactory\b|(?:un)?acceptable\b|(?:in)?sufficient\b"
    r"|weak\b|poor\b|robust\b|excellent\b|outdated\b|unreliable\b)",
    re.I,
)
# Asks when, how many or why, wherever in the question ("... judged unfit in 2014 - by when did
# the council expect a new one?"): not a grade.
# ... or what someone did ("What did Leeds do after the judgement?").
_ASKS_ANOTHER_THING = re.compile(
    r"\b(?:by when|when (?:was|were|did|will|would|is|are|does|do|has|have|had)|how (?:many|much|long|often)|why)\b"
    r"|\bwhat (?:did|does|do|has|have|had|will|would)\b.{0,80}?\b(?:do|done)\b",
    re.I,
)
# Asks for the report's list of what needs to improve ("What did Ofsted tell Cumberland to
# improve?", "Hackney 2024 Ofsted areas for improvement", "What were Ofsted's recommendations?",
# "What should Bury do better?"), not what improved ("Which problems had improved by 2024?") or
# what was done to improve.
_ASKS_IMPROVEMENTS = re.compile(
    r"\bneed(?:s|ed|ing)?\s+(?:\w+\s+)?(?:to\s+improve|improv\w*)\b|\b(?:must|should)\s+improve\b|\bareas?\s+(?:for|of)\s+improvement\b"
    r"|\b(?:must|should|could|needs?\s+to|needed\s+to|ha[sd]\s+to)\s+(?:[\w'’,-]+\s+){0,4}?(?:do|get|be)\s+better\b"
    r"|\brecommend(?:ations?|ed|s)?\b|\bimprovements?\b[^?]{0,60}?\b(?:ask\w*|make|made|want\w*|call\w*)\b"
    r"|\b(?:tell|told|ask|asked|want|wanted|instruct|instructed|urge|urged|expect|expected)\b(?:\s+[\w'’,-]+){0,6}?\s+to\s+improve\b",
    re.I,
)
# "Care-experienced children" are children in care or care leavers, two judgement areas.
_EITHER_AREA = re.compile(r"\bcare[- ]experienced (?:children|people)\b", re.I)
# The report before the one a period or "latest" picks ("the previous inspection before 2023").
_EARLIER_REPORT = re.compile(r"\b(?:previous|prior|preceding|before|earlier)\b", re.I)
# What the council told the inspectors ("What did the council tell Ofsted it needed to improve?")
# is its own account, not a fact the report records of its inspection.
_TOLD_OFSTED = re.compile(
    r"\b(?:(?:tell|told|telling|inform\w*|admit\w*)\s+(?:to\s+)?|(?:say|said|show\w*|present\w*|report\w*|explain\w*)\s+to\s+)"
    r"(?:ofsted|the\s+inspectors|inspectors)\b",
    re.I,
)
_OFSTED = re.compile(r"\b(?:ofsted|inspect\w*|ILACS)\b", re.I)
# The words an improvement question uses for the list itself and for whose report it is; any
# other word names a topic ("... for care leavers", "... about social workers' visits"), which
# the whole list does not answer.
_IMPROVEMENT_WORDS = frozenset(stems(
    "ofsted inspection inspections inspected inspectors inspector ilacs report children's children services service social care "
    "local authority council improve improvement improvements area areas need needs needed recommendation recommendations "
    "thing things anything something aspect aspects but set out list listed give given gave make made identify identified highlight highlighted flag flagged "
    "ask asked want wanted tell told instruct instructed urge urged expect expected call called recommend recommended "
    # Which report: the period and _pick read these.
    "latest last recent most first earliest previous still main key only single one two three four five six seven eight nine ten "
    "according following "
    # The judgement that came with the list describes the inspection, not a topic.
    "judged judgement rated rating grade graded outstanding good inadequate requires"
))
_MONTH_WORDS = frozenset(stems(" ".join([*MONTHS, *SEASONS])))
# "early 2023", "late 2019": a period, unlike "early help".
_PART_OF_YEAR = re.compile(r"\b(?:early|late|mid)[ -](?=(?:19|20)\d\d\b)", re.I)
_EARLIEST = re.compile(r"\b(?:first|earliest)\b", re.I)
# The report before the latest ("the previous rating", "the one before the current one"), when
# no year is named.
_BEFORE_LATEST = re.compile(
    r"\b(?:previous(?:ly)?|prior|preceding|last but one|before (?:the|its|their) (?:current|latest|last|most recent|present)"
    r"(?: one| (?:ofsted )?(?:rating|judge?ment|grade|inspection|report))?)\b",
    re.I,
)
# Whether an authority got better or worse between two inspections: the two judgements answer it.
_CHANGED = re.compile(r"\b(?:improv\w*|get (?:better|worse)|got (?:better|worse)|declin\w*|deteriorat\w*|worsen\w*)\b", re.I)
# Asks how many children the area had in care, on child protection plans or in need, which the
# 2013-18 reports state in set sentences (councils.ofsted.AREA_FIGURES).
_ASKS_COUNT = re.compile(r"\bhow many\b|\bnumbers?\b|\bhow much\b", re.I)
_FIGURE_WORDS = [
    ("children_in_care", re.compile(
        # "in care", "in Salford's care", "in the council's care", "in the care of"; not "in foster care".
        r"\b(?:being )?look(?:ed|ing)[- ]after\b|\b(?:in|into)\s+(?:(?:the|its|their)\s+)?(?:[\w-]+(?:\s+[\w-]+){0,3}['’]s\s+)?care\b(?!\s+(?:leavers?|plans?|proceedings|homes?)\b)"
        r"|\bthe care of\b", re.I)),
    ("child_protection_plans", re.compile(r"\bchild protection plans?\b", re.I)),
    ("children_in_need", re.compile(r"\bchildren in need\b", re.I)),
]
# A figure set against another time ("compared with a year earlier", "before the inspection"):
# answered only beside the earlier figure the report states with it.
_OVER_TIME_FIGURE = re.compile(
    r"\b(?:compar\w*|chang\w*|earlier|before|more|fewer|than|ris\w*|rose|increas\w*|fall\w*|fell|differ\w*|grow\w*|grew|year)\b", re.I
)
# A figure after the inspection is not one the report can state.
_LATER = re.compile(r"\b(?:since|following)\b|(?<!looked )(?<!looking )(?<!looked-)\bafter\b", re.I)
_ASKS_RATE = re.compile(r"\brates?\b|\bper\b", re.I)
_FIGURE_NAMES = {"children_in_care": "children in care", "child_protection_plans": "children on child protection plans", "children_in_need": "children in need"}
# The words a figure question uses besides its subject, authority and period; any other names
# a part of the figure ("with an up-to-date health assessment") that the report's total is not.
_FIGURE_QUESTION_WORDS = frozenset(stems(
    "ofsted inspection inspections inspected inspectors ilacs report time council county city borough local authority "
    "how many much number numbers total count counted rate rates per figure figures subject children young people have had "
    "kids trust service services carried carry out visit visited end start beginning "
    "latest last recent most first earliest previous according "
    # Set against the figure before it, which the report states beside it (see _figure).
    "compare compared comparison change changed year earlier"
))
_ROW_WORDS = [
    ("help_and_protection", re.compile(r"help and protection", re.I)),
    # Later reports call care leavers "care-experienced young people" (and "care-experienced
    # children" may be either area: see _EITHER_AREA).
    ("care_leavers", re.compile(r"care leavers?\b|\bcare[- ]experienced (?:young people|adults)\b", re.I)),
    ("in_care", re.compile(r"\bin care\b|looked after", re.I)),
    ("impact_of_leaders", re.compile(r"\bleaders(?:hip)?\b|\bmanagement\b", re.I)),
]


def _other_words(question: str, subjects: list[re.Pattern], said: re.Pattern | None, allowed: frozenset[str]) -> list[str]:
    """The question's words besides its subjects, what it says of them (`said`), its authority,
    its period and the `allowed` words: what narrows it to a topic the recorded fact does not
    cover."""
    for words in subjects:
        question = words.sub(" ", question)
    question = _PART_OF_YEAR.sub(" ", question)
    question = authority_registry().without_names(said.sub(" ", question) if said else question)
    # "What's", "it's", "I'd" are their stopword, not a topic.
    words = stems(" ".join(w for w in TOKEN.findall(question.lower().replace("’", "'")) if w.split("'")[0] not in STOPWORDS))
    return [w for w in words if w not in allowed and w not in _MONTH_WORDS and not w.isdigit()]


def _topic_words(question: str) -> list[str]:
    """The words of an improvement question that narrow the list to a topic. A judgement area
    ("for care leavers") is read apart."""
    return _other_words(question, [words for _, words in _ROW_WORDS], _ASKS_IMPROVEMENTS, _IMPROVEMENT_WORDS)


def _figure_asked(question: str) -> str | None:
    """Which of the area's figures a question names, if exactly one."""
    named = [name for name, words in _FIGURE_WORDS if words.search(question)]
    return named[0] if len(named) == 1 else None


def _figure_topic_words(question: str) -> list[str]:
    """The words of a figure question besides the figure, its report, authority and period."""
    return _other_words(question, [words for _, words in _FIGURE_WORDS], None, _FIGURE_QUESTION_WORDS)


def _date_topic_words(question: str) -> list[str]:
    """The words of a question about the inspection's dates besides the inspection, its
    authority and period: what makes it ask about another event."""
    return _other_words(question, [], None, _DATE_QUESTION_WORDS)


# The words a judgement question uses besides its authority, period and judgement area: any
# other names a topic the report's body judges ("How did inspectors judge corporate parenting in
# Peterborough?"), which the first page's grades do not.
_JUDGEMENT_QUESTION_WORDS = frozenset(stems(
    _INSPECTION_WORDS + _SERVICES_WORDS
    + "judge judged judgement judgment judgements judgments grade grades graded grading rate rated rating ratings verdict score "
    "overall effectiveness effective strong failing whole headline key main three four each every area areas across single "
    "framework sif category categories sub official final "
    "receive received get got give gave given award awarded achieve achieved come came out obtain obtained earn earned secure "
    "secured assign assigned hand handed make made reach reached hold held "
    "authorities trust trusts greater "
    "impact leaders leadership senior practice work experience experiences need needs help protection governance permanence "
    "latest last recent most first earliest previous full standard current currently now today present moment newest year years time "
    "compare compared comparison versus vs against side change changed changes between differ differed difference outcome outcomes "
    "re-inspection reinspection support given one"
))
# The judgement rows' own wording, read as whole phrases ("the impact of leaders on social work
# practice with children and families"), so their single words ("families", "progress") are not
# allowed everywhere: "What did Ofsted make of Bolton's early help for families?" names a topic.
_ROW_PHRASES = re.compile(
    r"\b(?:the\s+)?impact\s+of\s+(?:senior\s+)?leaders(?:hip)?(?:\s+on\s+social\s+work\s+practice(?:\s+with\s+children\s+and\s+families)?)?"
    r"|\b(?:the\s+)?experiences?\s+and\s+progress\s+of\s+(?:children|care\s+leavers)(?:\s+who\s+need\s+help\s+and\s+protection)?"
    r"|\bchildren\s+who\s+need\s+help\s+and\s+protection|\bachieving\s+permanence|\bleadership,?\s+management\s+and\s+governance"
    r"|\bchildren\s+and\s+families|\bsocial\s+work\b",
    re.I,
)


def _judgement_topic_words(question: str) -> list[str]:
    """The words of a judgement question besides its area, authority and period."""
    return _other_words(_ROW_PHRASES.sub(" ", question), [words for _, words in _ROW_WORDS], None, _JUDGEMENT_QUESTION_WORDS)


def _of_years_named(report: dict, question: str, scope: Scope) -> bool:
    """Whether a report may answer for the years the question names. A first page states one
    inspection's facts: when the question names a year the scope did not read as its period (so
    the reports were not narrowed to it), a report neither inspected nor published in a year
    named answers another question ("judged overall in 2018" is not the 2025 report's grade)."""
    years = set(YEAR.findall(question))
    if scope.period is not None or not years:
        return True
    facts = report.get("ofsted") or {}
    return any(str(day or "")[:4] in years for day in (report.get("date"), facts.get("inspection_start"), facts.get("inspection_end")))


def _inspection_period(scope: Scope) -> tuple[date, date] | None:
    """The period a question names for the inspection itself ("Doncaster's 2021 rating", "its
    2024 inspection"), not a publication month or an event's date."""
    return scope.period if not (scope.published or scope.event) else None


def _no_report(authority: str, scope: Scope) -> dict:
    """The answer when the authority has no Ofsted report in the period asked about."""
    if (period_named := _inspection_period(scope)) is not None:
        period = f" of an inspection between {period_named[0]} and {period_named[1]}"
    else:
        period = f" between {scope.since} and {scope.until}" if scope.since else ""
    return {"citations": [], "abstained": True, "confidence": 0.0, "reason": f"no Ofsted report on {authority}{period} is in the index"}


@component
class InspectionFactFinder:
    """Answers what an Ofsted report's first page states — a judgement, the inspection dates,
    the lead inspector — and what its list of improvements says, for the one authority and period
    a question names (a judgement also for several authorities side by side), by quoting what
    ingest recorded for that fact (councils.ofsted) in the right report. Other questions pass
    through unanswered (`answer` is None) to extractive answering.

    Usage:
        finder = InspectionFactFinder(index=index)
        finder.run(question="Who led Medway's 2023 inspection?", scope=Scope(authorities=("Medway",)))
    """

    def __init__(self, index: ScrutinyIndex):
        self.index = index

    @component.output_types(answer=dict | None)
    def run(self, question: str, scope: Scope):
        """
        :param question: The user's words.
        :param scope: The authorities and period the question names.
        :returns: `answer` with `citations`, `reason` and `confidence` as the extractive answerer
            gives them, or None when the question is not about a first-page fact of one
            authority's report.
        """
        several = len(scope.authorities) > 1
        kind = self.kind(question, several)
        if kind == "judgement" and several:
            kind = "judgements_of_each"
        if kind is None or not scope.authorities or several != (kind == "judgements_of_each"):
            return {"answer": None}
        row = next((name for name, words in _ROW_WORDS if words.search(question)), "overall_effectiveness")
        years = set(YEAR.findall(question))
        if scope.period is None and scope.since is None and scope.until is None and len(years) == 1 and kind not in ("judgements_compared", "when_graded"):
            # Asked of a report, the one year named is its inspection's, though the words the scope
            # reads ("Was Birmingham still inadequate in 2019?") did not say so; a request's own
            # dates (since, until) stand.
            year = int(next(iter(years)))
            scope = replace(scope, period=(date(year, 1, 1), date(year, 12, 31)))
        if kind == "judgements_of_each":
            return {"answer": self._judgements_of_each(question, scope, row)}
        # Two years compared are two reports, whatever single period the scope read.
        reports = self._reports(scope.authorities, None if kind == "judgements_compared" else scope)
        # A figure can come from another paper (the council's own): no report is no answer here.
        if not reports and (scope.period is None or kind == "figure"):
            return {"answer": None}
        if not reports:
            return {"answer": _no_report(scope.authorities[0], scope)}
        if scope.period is None and not years and _BEFORE_LATEST.search(question) and len(reports) < 2 and kind != "when_graded":
            return {"answer": {"citations": [], "abstained": True, "confidence": 0.0,
                               "reason": f"only one Ofsted report on {scope.authorities[0]} is in the index: none came before it"}}
        picked = self._pick(reports, scope, question)
        if kind not in ("when_graded", "judgements_compared") and not _of_years_named(picked, question, scope):
            return {"answer": None}
        if kind == "improvements":
            return {"answer": self._improvements(question, picked, scope)}
        if kind == "figure":
            return {"answer": self._figure(question, _figure_asked(question), picked, scope)}
        if kind == "when_graded":
            grade = normalise_grade(_ASKS_WHEN_GRADED.search(question).group(1))
            chosen = sorted(reports, key=lambda r: r.get("date") or "")
        elif kind == "judgements_compared":
            # The report of each year named; without both, one first page would answer half.
            years = sorted(set(YEAR.findall(question)))
            chosen = [self._inspected_in(reports, year) for year in years]
            missing = [year for year, report in zip(years, chosen) if report is None]
            if missing:
                return {"answer": {"citations": [], "abstained": True, "confidence": 0.0,
                                   "reason": f"no Ofsted report on {scope.authorities[0]} from {missing[0]} is in the index"}}
            # One report for both years, or a first page without the judgement asked for, would
            # answer half of the comparison.
            if chosen[0]["document_id"] == chosen[1]["document_id"] or not all(row in ((r.get("ofsted") or {}).get("spans") or {}) for r in chosen):
                return {"answer": None}
        else:
            chosen = [picked]
        citations = []
        facts_for = {
            "inspector": ["lead_inspector"],
            "dates": ["inspection_dates"],
            "judgement": [row],
            "judgements_compared": [row],
            "when_graded": ["published", row],
        }[kind]
        for report in chosen:
            spans = (report.get("ofsted") or {}).get("spans") or {}
            if kind == "when_graded":
                # Older reports print a publication date; newer ones only their inspection dates.
                facts_for = ["published" if "published" in spans else "inspection_dates", row]
            if not all(name in spans for name in facts_for):
                continue
            if kind == "when_graded" and (report.get("ofsted") or {}).get("grades", {}).get(row) != grade:
                continue
            text = self.index.get_document(report["document_id"])["text"]
            for name in facts_for:
                start, stop = spans[name]
                citations.append({"n": len(citations) + 1, **source_fields({**report, "page": 1}, text[start:stop], start, stop)})
        if not citations:
            return {"answer": None}
        what = {"inspector": "the lead inspector", "dates": "the inspection dates", "judgement": f"the judgement on {ROW_NAMES[row]}",
                "when_graded": f"the publication or inspection dates and the judgement on {ROW_NAMES[row]}",
                "judgements_compared": f"the judgement on {ROW_NAMES[row]} in each year named"}[kind]
        published = ", ".join(str(report.get("date")) for report in chosen if any(c["document_id"] == report["document_id"] for c in citations))
        return {"answer": {"citations": citations, "abstained": False, "confidence": 1.0,
                           "reason": f"{what}, as stated on the first page of Ofsted's report on {scope.authorities[0]} published {published}"}}

    @staticmethod
    def kind(question: str, several: bool = False) -> str | None:
        """Which recorded fact a question asks for, if any: inspector, when_graded, improvements
        (the list of what needs to improve), figure (the area's children in care, on plans or in
        need), dates, judgement, judgements_compared (the
        judgements of two years named) or judgements_of_each (several authorities' judgements set
        side by side)."""
        if _OTHER_INSPECTION.search(question):
            return None
        if _ASKS_INSPECTOR.search(question):
            return "inspector"
        if _ASKS_WHEN_GRADED.search(question):
            return "when_graded"
        if _TOLD_OFSTED.search(question):
            return None
        if _ASKS_IMPROVEMENTS.search(question) and _OFSTED.search(question) and asks_for(question) in ("list", "other", "promised"):
            # A change between two inspections needs both lists, and a topic only part of one.
            if len(set(YEAR.findall(question))) < 2 and not _COMPARES.search(question) and not _topic_words(question):
                return "improvements"
            return None
        if _ASKS_COUNT.search(question) and _OFSTED.search(question) and _figure_asked(question) and not _figure_topic_words(question):
            return "figure"
        if _ASKS_DATES.search(question) and not _ASKS_FUTURE.search(question) and not _EARLIER_REPORT.search(question) and not _date_topic_words(question):
            return "dates"
        # "Who was the commissioner after the judgement?" asks for a person, not the grade.
        asks = asks_for(question)
        asked = asked_clause(question)
        years = len(set(YEAR.findall(question)))
        if (
            _YES_NO.search(question) and years == 2 and _CHANGED.search(question) and "between" in question.lower()
            and not [w for w in _judgement_topic_words(_CHANGED.sub(" ", question)) if w not in _YES_NO_WORDS]
        ):
            return "judgements_compared"
        if not years and _BEFORE_LATEST.search(question):
            # "before the current one" names no comparison: it picks a report.
            question = _BEFORE_LATEST.sub(" previous ", question)
            asked = _BEFORE_LATEST.sub(" previous ", asked)
        if (
            _YES_NO.search(question) and _GRADE_SAID.search(question) and not _OVER_TIME.search(question)
            and not _ASKS_ANOTHER_THING.search(question) and not _EITHER_AREA.search(question) and years < 2
            and not [w for w in _judgement_topic_words(_GRADE_NAMED.sub(" ", question)) if w not in _YES_NO_WORDS]
        ):
            return "judgement"
        if (
            _GRADE_WORD.search(asked) and not _GRADE_NAMED.search(question) and not _VERDICT_NAMED.search(question)
            and not _ASKS_ANOTHER_THING.search(question)
            and (asks in ("other", "compare") or _WHICH_GRADE.search(asked) or (several and _WHICH_OF.search(asked)))
            and not _EITHER_AREA.search(question)
            and not _judgement_topic_words(_BETWEEN_PLACES.sub(" ", question) if several else question)
        ):
            compares = bool(_COMPARES.search(question)) or asks == "compare"
            if years == 2 and compares:
                return "judgements_compared"
            over_time = _OVER_TIME.search(_BETWEEN_PLACES.sub(" ", question) if several else question)
            if years > 1 or (compares and over_time):
                return None
            return "judgements_of_each" if compares else "judgement"
        return None

    def _judgements_of_each(self, question: str, scope: Scope, row: str) -> dict | None:
        """Each named authority's judgement from its report for the period, side by side; when one
        has no report then, the comparison is not made from the others alone."""
        citations, dates = [], []
        for authority in scope.authorities:
            reports = self._reports((authority,), scope)
            if not reports:
                return _no_report(authority, scope)
            report = self._pick(reports, scope, question)
            span = ((report.get("ofsted") or {}).get("spans") or {}).get(row)
            if span is None or not _of_years_named(report, question, scope):
                return None
            text = self.index.get_document(report["document_id"])["text"]
            citations.append({"n": len(citations) + 1, **source_fields({**report, "page": 1}, text[span[0] : span[1]], *span)})
            dates.append(f"{authority} published {report.get('date')}")
        return {"citations": citations, "abstained": False, "confidence": 1.0,
                "reason": f"the judgement on {ROW_NAMES[row]} of each authority, as stated on the first page of Ofsted's reports ({'; '.join(dates)})"}

    def _figure(self, question: str, name: str, report: dict, scope: Scope) -> dict | None:
        """The sentence of the report's description of the area that states the figure asked for
        (with the earlier figure it is set against, if the report gives one); None (the passages
        answer) when the report states none, as reports since 2018 do not, when the question sets
        it against another time and the report does not, or asks a rate the sentence lacks."""
        facts = report.get("ofsted") or {}
        span = (facts.get("spans") or {}).get(name)
        if span is None or _LATER.search(question):
            return None
        if _OVER_TIME_FIGURE.search(question) and not ((facts.get("figures") or {}).get(name) or {}).get("earlier"):
            return None
        text = self.index.get_document(report["document_id"])["text"]
        if _ASKS_RATE.search(question) and "per 10,000" not in text[span[0] : span[1]]:
            return None
        return {"citations": [{"n": 1, **source_fields({**report, "page": None}, text[span[0] : span[1]], *span)}],
                "abstained": False, "confidence": 1.0,
                "reason": f"the number of {_FIGURE_NAMES[name]}, as Ofsted's report on {scope.authorities[0]} published {report.get('date')} states it"}

    def _improvements(self, question: str, report: dict, scope: Scope) -> dict | None:
        """The report's list of what needs to improve, one citation per item; only the items on
        the judgement areas the question names ("for care leavers"), if it names any."""
        items = (report.get("ofsted") or {}).get("improvements") or []
        if not items:
            return None
        text = self.index.get_document(report["document_id"])["text"]
        areas = [words for _, words in _ROW_WORDS if words.search(question)]
        if areas:
            items = [span for span in items if any(area.search(text[span[0] : span[1]]) for area in areas)]
            if not items:
                return None
        citations = [{"n": n, **source_fields({**report, "page": None}, text[start:stop], start, stop)} for n, (start, stop) in enumerate(items, 1)]
        return {"citations": citations, "abstained": False, "confidence": 1.0,
                "reason": f"what needs to improve, as listed in Ofsted's report on {scope.authorities[0]} published {report.get('date')}"}

    def _reports(self, authorities: tuple[str, ...], scope: Scope | None) -> list[dict]:
        """The authorities' Ofsted reports in the scope's period (all of them for None). A period
        named for the inspection ("Doncaster's 2021 rating", "its 2024 inspection") holds the
        reports of inspections held in it, else those published in it (older reports may print no
        inspection dates): a report is published weeks or months after its fieldwork, so dating it
        by publication would take a February 2022 inspection for 2021's and miss a 2024 inspection
        published in May 2025. Any other period (a publication month, an event's date) is read as
        retrieval reads it."""
        def documents(since=None, until=None) -> list[dict]:
            return list(self.index.iter_documents(SearchFilter(authorities=list(authorities), doc_types=["ofsted_report"], since=since, until=until)))

        if scope is None:
            return documents()
        if (period := _inspection_period(scope)) is None:
            return documents(scope.since, scope.until)
        return self._of_period(documents(), period)

    @staticmethod
    def _held_during(report: dict, low: str, high: str) -> bool:
        """The report's inspection overlaps [low, high] (ISO dates)."""
        facts = report.get("ofsted") or {}
        start, end = facts.get("inspection_start"), facts.get("inspection_end")
        return bool(start and end and start <= high and end >= low)

    @classmethod
    def _of_period(cls, reports: list[dict], period: tuple[date, date]) -> list[dict]:
        """The reports of inspections held in the period, else those published in it."""
        low, high = (day.isoformat() for day in period)
        held = [r for r in reports if cls._held_during(r, low, high)]
        return held or [r for r in reports if low <= str(r.get("date") or "") <= high]

    @classmethod
    def _inspected_during(cls, reports: list[dict], low: str, high: str) -> dict | None:
        """The first published of the reports whose inspection overlaps [low, high] (ISO dates)."""
        return next((r for r in sorted(reports, key=lambda r: r.get("date") or "") if cls._held_during(r, low, high)), None)

    @classmethod
    def _inspected_in(cls, reports: list[dict], year: str) -> dict | None:
        """The report of an inspection held in `year`, else the first published in it."""
        of_year = cls._of_period(reports, (date(int(year), 1, 1), date(int(year), 12, 31)))
        return min(of_year, key=lambda r: r.get("date") or "", default=None)

    @classmethod
    def _pick(cls, reports: list[dict], scope: Scope, question: str) -> dict:
        """The report the question means: the one inspected in its named period if any, else the
        first published in it; with no period, the latest (or the first, if it says so)."""
        reports = sorted(reports, key=lambda r: r.get("date") or "")
        if scope.period and not scope.published:
            return cls._inspected_during(reports, *(d.isoformat() for d in scope.period)) or reports[0]
        if scope.period or _EARLIEST.search(question):
            return reports[0]
        if _BEFORE_LATEST.search(question) and len(reports) > 1:
            return reports[-2]
        return reports[-1]
