"""What is inferred about a document: dates, Ofsted first-page facts, authority, type, title."""

import pytest
from haystack import Document

from ingest.components.metadata_enricher import MetadataEnricher
from councils.dates import meeting_date, parse_date
from ingest.extract.pdf import extract_pdf_pages
from councils.ofsted import read_first_page
from tests.conftest import SAMPLE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("children's services inspection - 27 august 2019.pdf", "2019-08-27"),
        ("held on Thursday, 30 January 2025.", "2025-01-30"),
        ("Tuesday, December 3, 2019", "2019-12-03"),
        ("9th January 2025", "2025-01-09"),
        ("31 February 2020", None),
        ("no date here", None),
    ],
)
def test_dates_as_councils_write_them(text, expected):
    assert parse_date(text) == expected


def test_minutes_say_when_their_meeting_was_held():
    text = "MINUTES of a meeting of the Cabinet held in the Council Chamber, Sessions House, County Hall, Maidstone on Thursday, 30 January 2025."
    assert meeting_date(text) == "2025-01-30"


CPP_OPENING = (
    "1\n\nCORPORATE PARENTING PANEL– 29 October 2024\n\nMINUTES of the meeting held in the Darent Room, Sessions House, County\nHall, Maidstone.\n\n"
    "PRESENT: Shellina Prendergast (Chair), Paul Bartlett (Vice-Chair)\n\n"
    "Minutes of the meeting held on 30 July 2024\n(Item 3)\nRESOLVED that the minutes of the meeting held on 30 July 2024 were a correct record."
)


def test_minutes_are_dated_by_their_opening_not_by_the_previous_minutes_they_approve():
    assert meeting_date(CPP_OPENING) == "2024-10-29"
    # A first line that names its meeting's date is read before an item approving earlier minutes.
    other = "Minutes of the Cabinet meeting held on 30 January 2024.\n\n(Item 2) The minutes of the meeting held on 12 December 2023 were approved."
    assert meeting_date(other) == "2024-01-30"
    # Without a heading date, an item approving earlier minutes is still no date for this meeting
    # unless nothing else dates it.
    assert meeting_date(CPP_OPENING.replace("– 29 October 2024", "")) == "2024-07-30"
    # A paper's first date is not its meeting's unless it heads a "MINUTES of the meeting" line.
    item = "Agenda item\n\nThe Ofsted inspection took place from 15 to 26 July 2019.\n\nMinutes:\n\nThe Director introduced the report."
    assert meeting_date(item) is None


def test_minutes_filed_with_another_meeting_s_papers_are_their_own_committee_s():
    filed = {"body": "County Council", "meeting_date": "2025-03-13"}
    meta = enrich(CPP_OPENING, "/corpus/kent-council-2025/full_council/2025-03-13/CPP Minutes 29.10.24.pdf", filed)
    assert (meta["doc_type"], meta["body"], meta["date"]) == ("minutes", "Corporate Parenting Panel", "2024-10-29")
    cabinet = "KENT COUNTY COUNCIL\n\nCABINET\n\nMINUTES of a meeting of the Cabinet held in the Council Chamber on Thursday, 30 January 2025."
    assert enrich(cabinet, "/corpus/kent-council-2025/cabinet/2025-01-30/Printed minutes.pdf", {"body": "Cabinet", "meeting_date": "2025-01-30"})["body"] == "Cabinet"
    # A report is not minutes: the meeting's body stands.
    report = "From: Roger Gough, Leader\nTo: Cabinet, 30 January 2025\nSubject: Budget"
    assert enrich(report, "/corpus/kent-council-2025/cabinet/2025-01-30/Budget.pdf", {"body": "Cabinet", "meeting_date": "2025-01-30"})["body"] == "Cabinet"


def test_the_corporate_parenting_panel_s_minutes_in_the_shared_corpus(shared_corpus):
    from ingest.components.source_converter import SourceConverter
    from ingest.components.source_fetcher import SourceFetcher
    from ingest.sources import collect_sources

    folder = shared_corpus / "kent-council-2025" / "full_council" / "2025-03-13"
    collected = collect_sources([str(folder / "CPP Minutes 29.10.24.pdf"), str(folder / "CPP Minutes 10.12.24.pdf")])
    streams = SourceFetcher().run(sources=[s.source for s in collected.sources], sidecars={s.source: s.sidecar for s in collected.sources})["streams"]
    for stream in streams:
        stream.meta.update(document_id="x", also_sources=[], replaces=None)
    documents = MetadataEnricher().run(documents=SourceConverter().run(streams=streams)["documents"])["documents"]
    assert sorted((d.meta["date"], d.meta["body"]) for d in documents) == [("2024-10-29", "Corporate Parenting Panel"), ("2024-12-10", "Corporate Parenting Panel")]


def test_ofsted_first_page_facts_for_medway_2019():
    page = extract_pdf_pages((SAMPLE / "ofsted" / "80522_medway" / "children's services inspection - 27 august 2019.pdf").read_bytes())[0]
    facts = read_first_page(page).as_meta()
    assert facts["inspection_start"] == "2019-07-15"
    assert facts["inspection_end"] == "2019-07-26"
    assert facts["lead_inspector"] == "Brenda McLaughlin"
    # 2019's ILACS reports grade children in care and care leavers in one row; it stands for both.
    assert facts["grades"] == {
        "impact_of_leaders": "inadequate",
        "help_and_protection": "inadequate",
        "in_care": "requires improvement",
        "care_leavers": "requires improvement",
        "overall_effectiveness": "inadequate",
    }
    for row, (start, end) in facts["spans"].items():
        assert 0 <= start < end <= len(page), row


@pytest.mark.slow
def test_ofsted_grades_agree_with_the_published_judgements(shared_corpus):
    """Every report where the CSV (the answer key, never an input) states grades."""
    from eval.ofsted_agreement import agreement

    result = agreement(shared_corpus / "ofsted-ilacs")
    assert result["reports"] >= 300
    assert result["agreement"] >= 0.98, result["disagreements"][:10]


def enrich(text: str, source: str, sidecar: dict | None = None, **meta) -> dict:
    document = Document(content=text, meta={"source": source, "sidecar": sidecar or {}, "format": "text", **meta})
    return MetadataEnricher().run(documents=[document])["documents"][0].meta


def test_seed_metadata_comes_from_the_manifest_and_the_text():
    text = (SAMPLE / "seeds" / "001_3c732ac89b803ef9.txt").read_text()
    meta = enrich(text, "/x/001.txt", {"doc_type": "minutes", "authority": "Kent County Council", "title": "Action Plans arising from Ofsted inspection"})
    assert meta["authority"] == "Kent"
    assert meta["doc_type"] == "minutes"
    assert meta["title"] == "Action Plans arising from Ofsted inspection"
    assert meta["context"].startswith("Kent | ")


def test_authority_and_title_are_inferred_without_a_sidecar():
    text = (SAMPLE / "seeds" / "000_432f14c8a3e0f0b6.txt").read_text()
    meta = enrich(text, "/x/item.txt")
    assert meta["authority"] == "Medway"
    assert meta["title"] == "Ofsted Inspection of Medway's Children's Services - Action Plan"


def test_a_paper_filed_in_a_council_s_folder_is_that_council_s():
    appendix = "Appendix P\n\nAnnual Minimum Revenue Provision (MRP) Statement. Councils are asked to submit a statement."
    assert enrich(appendix, "/corpus/kent-council-2025/full_council/2025-02-13/Appendix P - MRP.pdf")["authority"] == "Kent"
    # The folder says whose paper it is, whichever council its text names most.
    about_medway = "Medway Council and Medway's schools asked Kent County Council about Medway's transport."
    assert enrich(about_medway, "/corpus/kent-council-2025/cabinet/2025-01-30/Transport.pdf")["authority"] == "Kent"
    # A folder that does not say "council" is no council's archive: the text decides.
    assert enrich(appendix, "/home/kent/papers/Appendix P - MRP.pdf")["authority"] is None
    assert enrich(about_medway, "/home/kent/papers/Transport.pdf")["authority"] == "Medway"
    # The council's name comes before "council": a topic folder is no council's, nor is a folder of two.
    assert enrich(about_medway, "/c/council-tax-bristol/Transport.pdf")["authority"] == "Medway"
    assert enrich(appendix, "/c/kent-and-medway-council-papers/Appendix P - MRP.pdf")["authority"] is None


def test_ofsted_report_metadata_from_folder_file_name_and_first_page():
    path = SAMPLE / "ofsted" / "80577_west berkshire" / "children's services inspection - 04 may 2022.pdf"
    pages = extract_pdf_pages(path.read_bytes())
    offsets, position = [], 0
    for page in pages:
        offsets.append([position, position + len(page)])
        position += len(page) + 2
    meta = enrich("\n\n".join(pages), str(path), pages=offsets, format="pdf")
    assert meta["doc_type"] == "ofsted_report"
    assert meta["authority"] == "West Berkshire"
    assert meta["body"] == "Ofsted"
    assert meta["date"] == "2022-05-04" and meta["date_source"] == "file name"
    assert meta["ofsted"]["grades"]["overall_effectiveness"] == "good"
    assert meta["ofsted"]["lead_inspector"] == "Máire Atherton"


def test_unknown_default_authority_is_refused():
    with pytest.raises(ValueError, match="default_authority"):
        MetadataEnricher(default_authority="Atlantis")
