import re
from pathlib import Path
from urllib.parse import urlparse

from haystack import Document, component

from councils.authorities import authority_registry
from indexes import DOC_TYPES
from councils.access import check_level, looks_exempt
from councils.dates import all_dates, meeting_date, parse_date
from councils.ofsted import read_report
from ingest.sidecars import http_url, iso_date

# Council papers carry exemption markings; Ofsted reports and news are published by others.
CLASSIFIED_TYPES = ("minutes", "report")


def classify_access(doc_type: str | None, title: str | None, text: str | None) -> str:
    """The access level of a paper nobody gave one: `restricted` when a council paper is marked
    exempt or confidential (`councils.access.looks_exempt`), else `public`."""
    return "restricted" if doc_type in CLASSIFIED_TYPES and looks_exempt(title, text) else "public"


def _valid_date(value: str | None) -> str | None:
    try:
        return iso_date(value) if value else None
    except ValueError:
        return None


def _valid_url(value: str | None) -> str | None:
    try:
        return http_url(value) if value else None
    except ValueError:
        return None

# Kent's folder names for its committees, as the council writes them.
BODY_NAMES = {"cabinet": "Cabinet", "full_council": "County Council", "county_council": "County Council"}
# Whose minutes these are: "MINUTES of a meeting of the Cabinet held ...", or a heading
# "CORPORATE PARENTING PANEL – 29 October 2024" above "MINUTES of the meeting held in ...".
_MINUTES_OF = re.compile(r"\bMINUTES of a meeting of (?:the )?([A-Z][\w&'’ -]{1,80}?)\s+held\b")
_MINUTES_HEADING = re.compile(r"^\W*([A-Z][A-Z&'’ -]{3,80}?)\s*[–-]\s*\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}\s*\n\W*MINUTES of the meeting\b", re.M)


def minutes_body(first_page: str) -> str | None:
    """The committee a set of minutes says it is of, if it says."""
    match = _MINUTES_OF.search(first_page) or _MINUTES_HEADING.search(first_page)
    if not match:
        return None
    name = " ".join(match.group(1).split())
    return name.title().replace("’S", "’s").replace("'S", "'s") if name.isupper() else name


_OFSTED_TITLE = re.compile(r"(Inspection of [^\n]{0,80}children[’']s (?:social care )?services|Inspection of services for children in need)", re.I)
_PUBLISHERS = {"kentonline.co.uk": "KentOnline", "bbc.co.uk": "BBC News", "theguardian.com": "The Guardian"}


def council_folder(source: str) -> str | None:
    """The authority the nearest folder named for a council is named for ("kent-council-2025",
    "Medway Council minutes"): a council's papers, whether or not each names it (a budget
    appendix, an agenda front sheet often does not). A folder must say "council": a bare place
    name ("/home/kent/") is not a council's archive."""
    for folder in reversed(Path(source).parent.parts):
        words = re.sub(r"[-_.]+", " ", folder)
        council = re.search(r"\bcouncil\b", words, re.I)
        # The council's own name comes first ("kent-council-2025"), not a topic ("council-tax-bristol").
        if council:
            named = authority_registry().named_in(words[: council.start()])
            if len(named) == 1:
                return named[0]
    return None


def _first_line_after(text: str, marker: str) -> str | None:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for i, line in enumerate(lines[:-1]):
        if line.lower() == marker:
            return lines[i + 1]
    return None


def _first_heading(text: str) -> str | None:
    for line in text.split("\n"):
        line = line.strip()
        if 3 <= len(line.split()) <= 30:
            return line
    return None


@component
class MetadataEnricher:
    """Fills in what each document is: type, authority (canonical name), body or publisher,
    date, title, and for Ofsted reports the inspection dates and grades on the first page.

    What a sidecar gives wins; the rest is inferred from the path, the file name and the text,
    and `date_source` records where the date came from. The access level comes from the
    sidecar (where `ingest.sources` put the run's `--access` or a folder rule), else from the
    paper's exemption markings; `access_source` records which.

    Usage:
        enricher = MetadataEnricher()
        enricher.run(documents=documents)
    """

    def __init__(self, default_authority: str | None = None):
        """
        :param default_authority: Authority for documents that name none (e.g. one council's own
            archive); must be a known English authority.
        :raises ValueError: if `default_authority` is not a known authority.
        """
        if default_authority is not None and authority_registry().normalise(default_authority) is None:
            raise ValueError(f"default_authority {default_authority!r} is not a known English authority")
        self.default_authority = default_authority

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]):
        """
        :param documents: Converted documents (`SourceConverter`).
        :returns: The same documents with their metadata completed and `context`, the header
            embedded with every chunk.
        """
        for document in documents:
            document.meta.update(self._infer(document))
        return {"documents": documents}

    def _infer(self, document: Document) -> dict:
        meta = document.meta
        text = document.content or ""
        sidecar = meta.get("sidecar", {})
        source = meta["source"]
        registry = authority_registry()
        path_lower = source.lower()
        first_page = text[: meta["pages"][0][1]] if meta.get("pages") else text[:4000]

        doc_type = sidecar.get("doc_type")
        if doc_type not in DOC_TYPES:
            is_minutes = (
                re.search(r"minutes", Path(source).name, re.I)
                or meta.get("is_moderngov")
                or re.search(r"^\s*(MINUTES of (a|the) meeting|Minutes:)", first_page, re.I | re.M)
            )
            # An Ofsted report opens with its title and the inspection dates.
            is_ofsted = _OFSTED_TITLE.search(first_page) and re.search(r"Inspection dates?:", first_page)
            if is_minutes:
                doc_type = "minutes"
            elif is_ofsted or "ofsted" in path_lower:
                doc_type = "ofsted_report"
            elif meta.get("format") == "html" or meta.get("site_name"):
                doc_type = "news"
            else:
                doc_type = "report"

        authority = registry.normalise(sidecar.get("authority"))
        if authority is None and doc_type == "ofsted_report":
            folder = Path(source).parent.name
            urn = folder.split("_", 1)[0]
            authority = registry.by_urn(urn) or registry.normalise(folder.split("_", 1)[-1])
        # Where the paper is filed says whose it is better than which authority its text names most.
        authority = authority or council_folder(source) or registry.find_in_text(text) or self.default_authority

        body = sidecar.get("body")
        if doc_type == "minutes" and sidecar.get("meeting_date"):
            # A meeting's papers may carry another body's minutes (the Corporate Parenting Panel's,
            # received by the County Council): they are that body's.
            body = minutes_body(first_page) or body
        body = BODY_NAMES.get(body, body.replace("_", " ").title() if body and body.islower() else body)
        if not body and doc_type == "ofsted_report":
            body = "Ofsted"
        if not body and doc_type == "news":
            host = urlparse(meta.get("url") or "").netloc.removeprefix("www.")
            body = meta.get("site_name") or _PUBLISHERS.get(host) or (host or None)

        ofsted = None
        if doc_type == "ofsted_report":
            # The first page starts the stored text, so its offsets are the document's.
            ofsted = read_report(text, len(first_page)).as_meta()

        date, date_source = sidecar.get("date"), "sidecar"
        if not date and doc_type == "minutes":
            date, date_source = meeting_date(text), "text"
        if not date and sidecar.get("meeting_date"):
            date, date_source = sidecar["meeting_date"], "meeting folder"
        if not date and doc_type == "ofsted_report":
            date, date_source = parse_date(Path(source).stem), "file name"
            if not date and ofsted:
                date, date_source = ofsted.get("inspection_end"), "inspection dates"
        if not date and meta.get("html_date"):
            date, date_source = parse_date(meta["html_date"]), "page metadata"
        if not date:
            date, date_source = parse_date(Path(source).stem), "file name"
        if not date:
            mentioned = all_dates(text)
            # The latest date a paper mentions is the best text-only guess of when it was written.
            date, date_source = (max(mentioned), "latest date in text") if mentioned else (None, None)

        title = sidecar.get("title") or meta.get("html_title")
        if not title and doc_type == "ofsted_report":
            heading = _OFSTED_TITLE.search(first_page)
            title = f"Ofsted: {heading.group(1) if heading else 'inspection of children’s services'}".replace("\n", " ")
            if authority and authority.lower() not in title.lower():
                title = f"{title} ({authority})"
        if not title:
            title = _first_line_after(text, "agenda item") or (Path(source).stem if meta.get("format") == "pdf" else _first_heading(text)) or Path(source).stem

        # Sidecars are validated by ingest.sources; these guard callers that build them by hand,
        # so that no stored date breaks a later step and no stored link is javascript:.
        date = _valid_date(date)
        url = _valid_url(sidecar.get("url") or meta.get("url"))
        if sidecar.get("access"):
            access, access_source = check_level(sidecar["access"]), sidecar.get("access_source") or "sidecar"
        else:
            access, access_source = classify_access(doc_type, title, text), "detected"
        context = " | ".join(str(part) for part in (authority, body, date, title) if part)
        return {
            "doc_type": doc_type,
            "authority": authority,
            "body": body,
            "date": date,
            "date_source": date_source if date else None,
            "title": title,
            "url": url,
            "access": access,
            "access_source": access_source,
            "ofsted": ofsted,
            "context": context,
        }
