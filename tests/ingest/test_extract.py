"""Turning files into text, and refusing bad ones with a reason."""

import io
from pathlib import Path

import pypdf
import pytest

from ingest.extract import ExtractionError
from ingest.extract.html import extract_html
from ingest.extract.pdf import extract_pdf_pages, reflow_page
from ingest.extract.text import extract_text
from tests.conftest import FIXTURES, SAMPLE

MEDWAY_2019 = SAMPLE / "ofsted" / "80522_medway" / "children's services inspection - 27 august 2019.pdf"


def encrypted_copy(path: Path) -> bytes:
    writer = pypdf.PdfWriter(clone_from=str(path))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("backend", ["pdfium", "pypdf"])
def test_pdf_pages_keep_numbering_and_words(backend):
    pages = extract_pdf_pages(MEDWAY_2019.read_bytes(), backend)
    assert len(pages) == 11
    assert "Inspection dates: 15 July 2019 to 26 July 2019" in pages[0]
    assert "What needs to improve" in pages[2]


def test_both_pdf_backends_read_the_same_words():
    data = MEDWAY_2019.read_bytes()
    fast = " ".join(extract_pdf_pages(data, "pdfium")).split()
    slow = " ".join(extract_pdf_pages(data, "pypdf")).split()
    common = len(set(fast) & set(slow)) / len(set(fast) | set(slow))
    assert common > 0.9


@pytest.mark.parametrize(
    ("make_bytes", "reason"),
    [
        (lambda: b"", "empty file"),
        (lambda: b"   \n", "empty file"),
        (lambda: b"<!DOCTYPE html><html><body>Not found</body></html>", "HTML page saved with a .pdf name"),
        (lambda: b"GIF89a binary", "not a PDF"),
        (lambda: MEDWAY_2019.read_bytes()[:3000], "corrupt PDF"),
        (lambda: encrypted_copy(MEDWAY_2019), "encrypted PDF"),
    ],
)
@pytest.mark.parametrize("backend", ["pdfium", "pypdf"])
def test_bad_pdfs_are_refused_with_a_reason(make_bytes, reason, backend):
    with pytest.raises(ExtractionError, match=reason):
        extract_pdf_pages(make_bytes(), backend)


def test_the_html_error_pages_in_the_ofsted_set_are_recognised(shared_corpus):
    bad = shared_corpus / "ofsted-ilacs" / "reports" / "80431_blackpool" / "children's services inspection - 13 july 2012.pdf"
    with pytest.raises(ExtractionError, match="HTML page"):
        extract_pdf_pages(bad.read_bytes())


def test_reflow_joins_wrapped_lines_and_keeps_items_apart():
    page = (
        "3\r\nWhat needs to improve\r\n"
        "◼ Senior managers’ oversight and understanding about vulnerable children’s \r\n"
        "experiences, including through audits.\r\n"
        "1. A significant increase in referrals and high staff vacancies have reduced the \r\n"
        "ability of dedicated early help staff to provide a timely service.\r\n"
    )
    assert reflow_page(page).split("\n\n") == [
        "What needs to improve",
        "◼ Senior managers’ oversight and understanding about vulnerable children’s experiences, including through audits.",
        "1. A significant increase in referrals and high staff vacancies have reduced the ability of dedicated early help staff to provide a timely service.",
    ]


def test_news_html_loses_cookie_banner_captions_and_read_more():
    extraction = extract_html((FIXTURES / "news_article.html").read_bytes())
    assert extraction.title.startswith("Medway Council submit plan of action")
    assert extraction.site_name == "KentOnline"
    assert "Ian Sutherland" in extraction.text
    assert "cookies" not in extraction.text
    assert "Gun Wharf" not in extraction.text
    assert "Read more" not in extraction.text


def test_moderngov_item_keeps_the_exchanges_as_bullets():
    extraction = extract_html((FIXTURES / "moderngov_item.html").read_bytes())
    assert extraction.is_moderngov
    assert extraction.title == "Ofsted Inspection of Medway's Children's Services - Action Plan"
    assert "· Rate of assessment closed with no further action" in extraction.text
    assert "View the history" not in extraction.text and "Print this page" not in extraction.text


@pytest.mark.parametrize(("data", "reason"), [(b"", "empty file"), (b"\n\n  \n", "empty file"), (b"\x00\x01\x02abc", "binary")])
def test_bad_text_files_are_refused(data, reason):
    with pytest.raises(ExtractionError, match=reason):
        extract_text(data)


def test_windows_1252_text_is_decoded():
    assert extract_text("Children\u2019s services".encode("cp1252")) == "Children\u2019s services"
