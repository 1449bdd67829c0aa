"""Journeys a member makes on the page, in real headless Chromium under the service's CSP: work is
never thrown away (markers, Back, reload, the skip link), every view is shareable by its address,
the original paper opens at the cited page, and the page says plainly what it found."""

import re

import httpx
import pytest

from tests.service.test_page import browser, live_url, page, shot, watched_context  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow

NFA = "What did the director promise on NFA rates?"
UK_DATE = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


# A view's address changes before the view redraws, so what matched before an action can still
# be on the page just after it: mark it, then wait for an element the redraw made.
def mark_stale(page, selector: str) -> None:
    page.eval_on_selector_all(selector, "els => els.forEach((e) => { e.dataset.stale = 'yes'; })")


def fresh(selector: str) -> str:
    return f"{selector}:not([data-stale])"


def test_ask_marker_citation_back_and_reload_keep_the_answer(page, live_url):
    page.goto(f"{live_url}/#/ask")
    page.fill("#ask-question", NFA)
    page.press("#ask-question", "Enter")
    page.wait_for_selector("#answer")
    asked_at = page.url
    assert "q=What" in asked_at and page.title().startswith("Ask: What did the director")
    answer = page.inner_text("#answer")
    # A citation marker scrolls to its citation: same address, answer still there.
    page.click("#answer sup a")
    assert page.url == asked_at and page.inner_text("#answer") == answer
    # Opening the citation shows the highlighted passage and where it stands.
    page.click("#citation-1 >> text=Read in the document")
    page.wait_for_selector("#highlight")
    page.go_back()
    page.wait_for_selector("#answer")
    assert page.url == asked_at and page.inner_text("#answer") == answer
    page.reload()
    page.wait_for_selector("#answer")
    assert page.inner_text("#answer") == answer and page.input_value("#ask-question") == NFA


def test_search_with_filters_and_sort_survives_reload_and_a_shared_link(browser, page, live_url):  # noqa: F811
    page.goto(f"{live_url}/#/search")
    page.fill("#search-q", "update report")
    page.select_option("#search-authority", ["Kent", "West Berkshire"])
    page.click("#search-form button[type=submit]")
    page.wait_for_selector("#search-results ol.results li")
    mark_stale(page, "#search-results ol.results li")
    page.select_option("#search-sort", "date")  # applies on change
    page.wait_for_url("**sort=date*")
    page.wait_for_selector(fresh("#search-results ol.results li"))
    results = page.inner_text("#search-results")
    url = page.url
    assert "authority=Kent" in url and "authority=West+Berkshire" in url
    page.reload()
    page.wait_for_selector("#search-results ol.results li")
    assert page.inner_text("#search-results") == results
    assert page.input_value("#search-sort") == "date"
    # The copied address, opened elsewhere, gives the same view.
    context, violations = watched_context(browser, viewport={"width": 1280, "height": 900})
    other = context.new_page()
    other.goto(url)
    other.wait_for_selector("#search-results ol.results li")
    assert other.inner_text("#search-results") == results
    assert sorted(o for o in other.eval_on_selector_all("#search-authority option:checked", "els => els.map(e => e.value)")) == ["Kent", "West Berkshire"]
    assert violations == []
    context.close()
    # A chip removes its filter and runs the search again.
    page.click("#search-chips button[data-chip-value='Kent']")
    page.wait_for_function("() => !location.hash.includes('authority=Kent')")
    page.wait_for_selector("#search-results ol.results li")
    assert "West+Berkshire" in page.url
    # The server's file paths are never shown (the open service's officer role receives them).
    assert "/work/" not in page.inner_text("main") and "sample/" not in page.inner_text("main")
    shot(page, "search-filters")


def test_the_skip_link_keeps_the_view(page, live_url):
    page.goto(f"{live_url}/#/search?q=caseloads")
    page.wait_for_selector("#search-results ol.results li")
    before = page.url
    page.focus("a.skip")  # where Tab first lands on a fresh page
    page.keyboard.press("Enter")
    assert page.url == before
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert page.locator("#search-results ol.results li").count() > 0


def test_more_results_pages_through_the_matches(page, live_url):
    page.goto(f"{live_url}/#/search?q=children")
    page.wait_for_selector("#search-results h3")
    heading = page.inner_text("#search-results h3")
    assert heading.startswith("Showing 1–20 of ")
    total = int(heading.rsplit(" of ", 1)[1].split()[0])
    assert total > 20
    first = page.inner_text("#search-results ol.results li:first-child blockquote")
    mark_stale(page, "#search-results h3")
    page.click("#more-results")
    page.wait_for_url("**offset=20*")
    page.wait_for_selector(fresh("#search-results h3"))
    assert page.inner_text("#search-results h3").startswith("Showing 21–")
    assert page.inner_text("#search-results ol.results li:first-child blockquote") != first
    assert page.get_attribute("#search-results ol.results", "start") == "21"


def test_an_empty_search_says_so_with_a_suggestion(page, live_url):
    page.goto(f"{live_url}/#/search?q=zzzqqq&authority=Medway")
    page.wait_for_selector("#search-results h3")
    text = page.inner_text("#search-results")
    assert "No matches" in text and "Remove a filter" in text
    assert page.locator("#search-results ol.results li").count() == 0


def test_the_original_pdf_opens_at_the_cited_page(page, live_url):
    # A search result in an Ofsted report: its document view links the paper at the quote's page.
    page.goto(f"{live_url}/#/search?q=lead+inspector&type=ofsted_report")
    page.wait_for_selector("#search-results ol.results li")
    page.click("#search-results ol.results li:first-child >> text=Read in the document")
    page.wait_for_selector("#original-link")
    href = page.get_attribute("#original-link", "href")
    match = re.search(r"/documents/[0-9a-f]+/original(?:\?grant=[^#]*)?#page=(\d+)$", href)
    assert match, href
    assert page.locator(".page-marker").count() >= 1
    cited_page = int(match.group(1))
    assert f"p. {cited_page}" in page.inner_text("main .meta")
    response = httpx.get(href.split("#")[0], timeout=30)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    shot(page, "document-pages")


def test_dates_read_the_british_way_and_titles_name_the_view(page, live_url):
    page.goto(f"{live_url}/#/commitments?authority=Medway")
    page.wait_for_selector("#commitments-table tbody tr")
    table = page.inner_text("#commitments-table")
    assert UK_DATE.search(table) and not ISO_DATE.search(table)
    assert page.title() == "Commitments — scrutiny"
    page.goto(f"{live_url}/#/authority/West%20Berkshire")
    page.wait_for_selector("#inspections-table tbody tr")
    assert UK_DATE.search(page.inner_text("#inspections-table")) and not ISO_DATE.search(page.inner_text("#inspections-table"))
    assert page.title() == "West Berkshire — scrutiny"
    # Every inspection with a judgement is on the chart, 2015 included.
    assert "2015" in page.get_attribute("#grade-chart", "aria-label")
    page.goto(f"{live_url}/#/authority")
    page.wait_for_selector(".authority-list li")
    assert "Medway" in page.inner_text(".authority-list")


def test_keyboard_only_ask_search_compare_and_commitments(page, live_url):
    def tab_to(selector: str, limit: int = 60) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    page.goto(f"{live_url}/#/ask")
    page.wait_for_selector("#ask-question")
    page.keyboard.type(NFA)  # the question box has focus on arrival
    page.keyboard.press("Enter")
    page.wait_for_selector("#answer")

    page.goto(f"{live_url}/#/search")
    page.wait_for_selector("#search-q")
    page.keyboard.type("caseloads")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results ol.results li")

    page.goto(f"{live_url}/#/compare")
    page.wait_for_selector("#compare-question")
    tab_to("#compare-question")
    page.keyboard.type("How did the council respond to an inadequate Ofsted judgement?")
    for name in ("Medway", "West Berkshire"):
        tab_to(f"input[name=compare-authority][value='{name}']")
        page.keyboard.press("Space")
    tab_to("#compare-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#compare-table tbody tr")
    assert page.locator("#compare-table tbody tr").count() == 2

    page.goto(f"{live_url}/#/commitments")
    page.wait_for_selector("#commitments-table tbody tr")
    tab_to("#commitments-who")
    page.keyboard.type("Director")
    mark_stale(page, "#commitments-table tbody tr")
    page.keyboard.press("Enter")
    page.wait_for_url("**who=Director*")
    page.wait_for_selector(fresh("#commitments-table tbody tr"))
    assert all("director" in who.lower() for who in page.eval_on_selector_all("#commitments-table td[data-label=Who]", "els => els.map(e => e.textContent)"))


def contrast(rgb_a: tuple[float, ...], rgb_b: tuple[float, ...]) -> float:
    def luminance(rgb):
        channels = [c / 255 for c in rgb[:3]]
        channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    high, low = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_focus_ring_stands_out_and_phones_never_scroll_sideways(browser, page, live_url):  # noqa: F811
    page.goto(f"{live_url}/#/search")
    page.focus("#search-q")
    colour = page.evaluate("() => getComputedStyle(document.activeElement).outlineColor")
    rgb = tuple(float(v) for v in re.findall(r"[\d.]+", colour)[:3])
    assert contrast(rgb, (255, 255, 255)) >= 3 and contrast(rgb, (244, 246, 249)) >= 3, colour
    context, _ = watched_context(browser, viewport={"width": 390, "height": 844})
    phone = context.new_page()
    for route, ready in [
        (f"/#/ask?q={NFA}", "#answer"),
        ("/#/search?q=caseloads", "#search-results ol.results li"),
        ("/#/commitments", "#commitments-table tbody tr"),
        ("/#/authority/Medway", "#inspections-table tbody tr"),
    ]:
        phone.goto(f"{live_url}{route}")
        phone.wait_for_selector(ready)
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390, route
        shot(phone, "phone-" + route.split("/")[2].split("?")[0])
    context.close()


def test_authorities_are_chosen_with_plain_clicks(page, live_url):
    page.goto(f"{live_url}/#/search")
    page.wait_for_selector("#search-authority option")
    page.click("#search-authority option[value='Medway']")
    page.click("#search-authority option[value='Kent']")
    chosen = page.eval_on_selector_all("#search-authority option:checked", "els => els.map(e => e.value)")
    assert sorted(chosen) == ["Kent", "Medway"]
    page.click("#search-authority option[value='Kent']")  # a second click drops it
    assert page.eval_on_selector_all("#search-authority option:checked", "els => els.map(e => e.value)") == ["Medway"]


def test_a_question_over_the_limit_is_refused_not_cut(page, live_url):
    page.goto(f"{live_url}/#/ask")
    page.wait_for_selector("#ask-question")
    long_question = "What did the director promise about caseloads " + "and timeliness " * 40
    page.fill("#ask-question", long_question)  # pasted whole: nothing is cut
    assert page.input_value("#ask-question") == long_question
    page.press("#ask-question", "Enter")
    assert "500 at most" in page.inner_text("#ask-count")
    assert "q=" not in page.url and page.locator("#answer").count() == 0


def test_a_timeline_topic_is_kept_in_the_address(page, live_url):
    page.goto(f"{live_url}/#/authority/Medway")
    page.wait_for_selector("#timeline-q")
    page.fill("#timeline-q", "caseloads")
    mark_stale(page, "#timeline li strong")
    page.press("#timeline-q", "Enter")
    page.wait_for_url("**topic=caseloads*")
    page.wait_for_selector(fresh("#timeline li strong"))
    entries = page.inner_text("#timeline")
    page.reload()
    page.wait_for_selector("#timeline li strong")
    assert page.inner_text("#timeline") == entries and page.input_value("#timeline-q") == "caseloads"
