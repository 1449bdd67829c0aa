"""How an answer reads: each quote led by where it comes from, followed by its marker."""

from councils.dates import uk_date

DOC_TYPE_LABELS = {"ofsted_report": "Ofsted", "minutes": "minutes", "report": "council paper", "news": "news"}


def lead_in(citation: dict) -> str:
    """Where a quote comes from, in a few words: "Ofsted, Leeds, December 2018, p. 3" or
    "Kent, Cabinet minutes, 30 January 2025, p. 4"."""
    doc_type = citation.get("doc_type")
    authority, body = citation.get("authority"), citation.get("body")
    if doc_type == "ofsted_report":
        # Ofsted reports are known by the month they were published.
        parts = ["Ofsted", authority, uk_date(citation.get("date"), with_day=False)]
    else:
        label = DOC_TYPE_LABELS.get(doc_type or "")
        who = " ".join(p for p in (body, label if label != "news" else None) if p) or None
        parts = [authority, who, uk_date(citation.get("date"))]
    if citation.get("page"):
        parts.append(f"p. {citation['page']}")
    return ", ".join(p for p in parts if p)


def answer_text(citations: list[dict]) -> str:
    """The answer as read: each quote followed by its marker, led by its source where that
    differs from the quote before it."""
    pieces, previous = [], None
    for c in citations:
        lead = c.get("lead_in")
        pieces.append(f"{lead}: {c['quote']} [{c['n']}]" if lead and lead != previous else f"{c['quote']} [{c['n']}]")
        previous = lead
    return " ".join(pieces)
