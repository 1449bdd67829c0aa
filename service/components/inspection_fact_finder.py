import re

from haystack import component

from indexes import ScrutinyIndex, SearchFilter
from service.components.question_scope import Scope
from indexes.ofsted_pages import ROW_NAMES, dates_span, inspector_span, judgement_span, normalise_grade, published_span
from service.schemas import source_fields

_ASKS_INSPECTOR = re.compile(r"\blead inspector\b|\bwho (?:led|inspected|carried out)\b", re.I)
# "When did inspectors visit X?", not "What did Ofsted find when it inspected X?"
_ASKS_DATES = re.compile(r"^\s*(?:when\b.{0,80}?\b(?:inspect(?:ed|ion|ors?)?|visit(?:ed)?)\b|(?:on )?what (?:were the )?(?:inspection )?dates?\b)", re.I)
_ASKS_WHEN_GRADED = re.compile(r"^\s*when\b.{0,80}?\b(?:judged|graded|rated)\b.{0,40}?\b(outstanding|good|inadequate|requires? improvement)\b", re.I)
# The judgement must be what is asked for: "What judgement did Ofsted give...", "What was X's
# grade...", not "What did X do after the inadequate judgement?"
_ASKS_JUDGEMENT = re.compile(
    r"\b(?:what|which)(?: overall)?(?: effectiveness)? (?:judge?ments?|grades?|ratings?)\b"
    r"|\bwhat (?:was|is|were|are) (?:the |[\w&,’' -]{1,40}?[’']s )"
    r"(?:latest |last |most recent |first |previous |current |overall |ofsted |effectiveness |inspection )*(?:judge?ments?|grades?|ratings?)\b"
    r"|\bwhat (?:was|is|were|are) .{0,60}?\brated\b"
    r"|\bhow (?:did|does|has) ofsted (?:judge|grade|rate)\b|\bhow (?:was|were|is|are) .{0,80}?\b(?:judged|graded|rated)\b",
    re.I,
)
_EARLIEST = re.compile(r"\b(?:first|earliest|previous)\b", re.I)
_ROW_WORDS = [
    ("help_and_protection", re.compile(r"help and protection", re.I)),
    ("care_leavers", re.compile(r"care leavers", re.I)),
    ("in_care", re.compile(r"\bin care\b|looked after", re.I)),
    ("impact_of_leaders", re.compile(r"\bleaders(?:hip)?\b|\bmanagement\b", re.I)),
]


@component
class InspectionFactFinder:
    """Answers what an Ofsted report's first page states — a judgement, the inspection dates,
    the lead inspector — for the one authority and period a question names, by quoting that
    line of the right report. Other questions pass through unanswered (`answer` is None) to
    extractive answering.

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
        kind = self._kind(question)
        if kind is None or len(scope.authorities) != 1:
            return {"answer": None}
        reports = list(self.index.iter_documents(
            SearchFilter(authorities=list(scope.authorities), doc_types=["ofsted_report"], since=scope.since, until=scope.until)
        ))
        if not reports and scope.period is None:
            return {"answer": None}
        if not reports:
            period = f" between {scope.since} and {scope.until}" if scope.since else ""
            return {"answer": {"citations": [], "abstained": True, "confidence": 0.0,
                               "reason": f"no Ofsted report on {scope.authorities[0]}{period} is in the index"}}
        row = next((name for name, words in _ROW_WORDS if words.search(question)), "overall_effectiveness")
        if kind == "when_graded":
            grade = normalise_grade(_ASKS_WHEN_GRADED.search(question).group(1))
            chosen = sorted(reports, key=lambda r: r.get("date") or "")
        else:
            chosen = [self._pick(reports, scope, question)]
        citations = []
        for report in chosen:
            record = self.index.get_document(report["document_id"])
            offset, end = (record.get("pages") or [[0, len(record["text"])]])[0]
            first_page = record["text"][offset:end]
            spans = {
                "inspector": [inspector_span(first_page)],
                "dates": [dates_span(first_page)],
                "judgement": [judgement_span(first_page, row)],
                "when_graded": [published_span(first_page) or dates_span(first_page), judgement_span(first_page, row)],
            }[kind]
            if not all(spans):
                continue
            quotes = [(start + offset, stop + offset) for start, stop in spans]
            if kind == "when_graded" and grade not in record["text"][quotes[-1][0]:quotes[-1][1]].lower():
                continue
            for start, stop in quotes:
                citations.append({"n": len(citations) + 1, **source_fields({**report, "page": 1}, record["text"][start:stop], start, stop)})
        if not citations:
            return {"answer": None}
        what = {"inspector": "the lead inspector", "dates": "the inspection dates", "judgement": f"the judgement on {ROW_NAMES[row]}",
                "when_graded": f"the publication or inspection dates and the judgement on {ROW_NAMES[row]}"}[kind]
        published = ", ".join(str(report.get("date")) for report in chosen if any(c["document_id"] == report["document_id"] for c in citations))
        return {"answer": {"citations": citations, "abstained": False, "confidence": 1.0,
                           "reason": f"{what}, as stated on the first page of Ofsted's report on {scope.authorities[0]} published {published}"}}

    @staticmethod
    def _kind(question: str) -> str | None:
        if _ASKS_INSPECTOR.search(question):
            return "inspector"
        if _ASKS_WHEN_GRADED.search(question):
            return "when_graded"
        if _ASKS_DATES.search(question):
            return "dates"
        if _ASKS_JUDGEMENT.search(question):
            return "judgement"
        return None

    @staticmethod
    def _pick(reports: list[dict], scope: Scope, question: str) -> dict:
        """The report the question means: the one inspected in its named period if any, else the
        first published in it; with no period, the latest (or the first, if it says so)."""
        reports = sorted(reports, key=lambda r: r.get("date") or "")
        if scope.period and not scope.published:
            low, high = (d.isoformat() for d in scope.period)
            for report in reports:
                facts = report.get("ofsted") or {}
                start, end = facts.get("inspection_start"), facts.get("inspection_end")
                if start and end and start <= high and end >= low:
                    return report
            return reports[0]
        if scope.period or _EARLIEST.search(question):
            return reports[0]
        return reports[-1]
