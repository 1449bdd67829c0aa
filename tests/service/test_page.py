"""The members' page in a real browser (Debian's Chromium, driven by Playwright) against the real
app served over HTTP on a small index. Screenshots of each view go to var/screenshots/."""

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import PROJECT

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT / "var" / "screenshots"
# Flags for a headless root run on a machine with no network beyond loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def live_url(sample_index_path, tmp_path_factory):
    import uvicorn

    from indexes import IndexSettings
    from service.app import create_app
    from service.settings import ServiceSettings

    index = tmp_path_factory.mktemp("page") / "index"
    shutil.copytree(sample_index_path, index)
    (index / ".lock").unlink(missing_ok=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(ServiceSettings(index=IndexSettings(index_path=index), port=port)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    requests = []
    opened.on("request", lambda request: requests.append(request.url))
    yield opened
    # Works with no external network: every request the page made stayed on this machine.
    assert all(url.startswith("http://127.0.0.1") for url in requests), [u for u in requests if not u.startswith("http://127.0.0.1")]
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_ask_the_nfa_question_and_follow_the_citation_to_the_highlighted_passage(page, live_url):
    page.goto(f"{live_url}/#/ask")
    page.fill("#ask-question", "What did the director promise on NFA rates?")
    page.press("#ask-question", "Enter")  # keyboard only
    page.wait_for_selector("#answer")
    answer = page.inner_text("#answer")
    assert "no further action" in answer and "reported back" in answer
    assert page.locator("#answer sup a").count() >= 1
    shot(page, "ask")
    quote = page.inner_text("#citation-1 blockquote")
    page.click("#citation-1 >> text=Read in the document")
    page.wait_for_selector("#highlight")
    assert page.inner_text("#highlight") == quote
    assert page.locator("#highlight").is_visible()
    in_view = page.evaluate("() => { const r = document.getElementById('highlight').getBoundingClientRect(); const box = document.getElementById('document-text').getBoundingClientRect(); return r.top >= box.top && r.top < box.bottom; }")
    assert in_view
    shot(page, "document")


def test_not_found_is_said_plainly_with_the_closest_passages(page, live_url):
    page.goto(f"{live_url}/#/ask")
    # A question the answerer declines (no 2030 papers are held); test_api.py records the plausible
    # unanswerables it does not decline.
    page.fill("#ask-question", "How many children were in care in Medway in 2030?")
    page.click("button[type=submit]")
    page.wait_for_selector("#answer")
    assert page.inner_text("#answer h3") == "Not found"
    assert page.locator("ol.results li").count() >= 1


def test_search_with_an_authority_filter_highlights_terms_and_counts_facets(page, live_url):
    page.goto(f"{live_url}/#/search")
    page.wait_for_selector("#search-authority option")
    page.fill("#search-q", "update report")
    page.select_option("#search-authority", ["Kent"])
    page.click("#search-form button[type=submit]")
    page.wait_for_selector("ol.results li")
    metas = page.locator("ol.results li .where").all_inner_texts()
    assert metas and all(m.startswith("Kent") for m in metas)
    assert page.locator("ol.results mark").count() >= 1
    assert "Kent" in page.inner_text("#facets")
    shot(page, "search")


def test_compare_view_shows_a_row_per_authority(page, live_url):
    page.goto(f"{live_url}/#/compare")
    page.wait_for_selector("input[name=compare-authority]")
    page.fill("#compare-question", "How did the council respond to an inadequate Ofsted judgement?")
    page.check("input[value='Medway']")
    page.check("input[value='West Berkshire']")
    page.click("#compare-form button[type=submit]")
    page.wait_for_selector("#compare-table")
    rows = page.locator("#compare-table tbody tr")
    assert rows.count() == 2
    assert {rows.nth(i).locator("th").inner_text() for i in range(2)} == {"Medway", "West Berkshire"}
    shot(page, "compare")


def test_commitments_view_lists_the_register_with_status_and_links(page, live_url):
    page.goto(f"{live_url}/#/commitments")
    page.wait_for_selector("#commitments-table tbody tr")
    assert "Analysis on this would be reported back once known" in page.inner_text("#commitments-table")
    assert page.locator("#commitments-table .status").count() >= 5
    page.select_option("#commitments-authority", "West Berkshire")
    page.click("#commitments-form button[type=submit]")
    page.wait_for_function("() => [...document.querySelectorAll('#commitments-table tbody tr')].every(r => r.innerText.includes('West Berkshire'))")
    shot(page, "commitments")


def test_authority_page_charts_judgements_and_shows_a_timeline(page, live_url):
    page.goto(f"{live_url}/#/authority/Medway")
    page.wait_for_selector("#grade-chart")
    assert page.locator("#grade-chart circle").count() == 2
    assert "inadequate" in page.inner_text("#inspections-table")
    page.fill("#timeline-q", "caseloads")
    page.click("#timeline-form button[type=submit]")
    page.wait_for_selector("#timeline li")
    shot(page, "authority")


def test_page_reads_on_a_narrow_screen(browser, live_url):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    narrow = context.new_page()
    narrow.goto(f"{live_url}/#/commitments")
    narrow.wait_for_selector("#commitments-table tbody tr")
    overflow = narrow.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    shot(narrow, "commitments-narrow")
    context.close()
