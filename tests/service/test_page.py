"""The members' page in a real browser (Debian's Chromium, driven by Playwright) against the real
app served over HTTP on a small index, under the service's Content-Security-Policy (any violation
fails the test). Screenshots of each view go to var/screenshots/."""

import shutil
import threading
import time
from pathlib import Path

import pytest

from eval.served import free_port
from tests.conftest import PROJECT

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT / "var" / "screenshots"
# Flags for a headless root run on a machine with no network beyond loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The policy the service sends (service/middleware.py): no inline script or style, nothing from
# elsewhere. The page is tested under it even where the app in hand does not send it yet.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'; object-src 'none'"
)
# Reports every CSP violation to the test (a binding survives navigations; page globals do not).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


def with_csp(app):
    """`app` with the Content-Security-Policy header added to responses that lack one."""
    header = (b"content-security-policy", CONTENT_SECURITY_POLICY.encode())

    async def wrapped(scope, receive, send):
        async def send_with_policy(message):
            if message["type"] == "http.response.start" and not any(name.lower() == header[0] for name, _ in message.get("headers", [])):
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        await app(scope, receive, send_with_policy if scope["type"] == "http" else send)

    return wrapped


def serve(app, port: int):
    """Serve `app` on 127.0.0.1:`port` in a thread, under the CSP; yields the base URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(with_csp(app), host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def live_url(sample_index_path, tmp_path_factory):
    from indexes import IndexSettings
    from service.app import create_app
    from service.settings import ServiceSettings

    index = tmp_path_factory.mktemp("page") / "index"
    shutil.copytree(sample_index_path, index)
    (index / ".lock").unlink(missing_ok=True)
    port = free_port()
    # No keys (tests/conftest.py points SCRUTINY_KEYS_FILE at an empty file): an open service.
    yield from serve(create_app(ServiceSettings(index=IndexSettings(index_path=index), port=port)), port)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def watched_context(browser, **options):
    """A browser context whose pages report CSP violations into the returned list."""
    context = browser.new_context(**options)
    violations: list[str] = []
    context.expose_function("__reportCspViolation", lambda report: violations.append(report))
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    return context, violations


@pytest.fixture
def page(browser):
    context, violations = watched_context(browser, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    requests, errors = [], []
    opened.on("request", lambda request: requests.append(request.url))
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    # Works with no external network: every request the page made stayed on this machine.
    assert all(url.startswith("http://127.0.0.1") for url in requests), [u for u in requests if not u.startswith("http://127.0.0.1")]
    assert violations == [], violations
    assert errors == [], errors
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_page_is_served_under_the_content_security_policy(page, live_url):
    response = page.goto(f"{live_url}/#/ask")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    page.wait_for_selector("#ask-question")
    # An open service (no keys) says so, and offers no sign-in.
    assert page.inner_text("#session") == "Open access (this computer only)"
    assert page.locator("#signin-form").count() == 0


def test_an_inline_script_would_be_reported_as_a_violation(browser, live_url):
    """The violation check above is live: a page that breaks the policy is caught."""
    context, violations = watched_context(browser)
    opened = context.new_page()
    opened.goto(f"{live_url}/#/ask")
    opened.wait_for_selector("#ask-question")
    opened.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.body.append(s); }")
    opened.wait_for_function("() => true")
    assert opened.evaluate("() => window.__inline") is None
    deadline = time.monotonic() + 5
    while not violations and time.monotonic() < deadline:
        opened.wait_for_timeout(50)
    assert violations and violations[0].startswith("script-src")
    context.close()


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
    page.click("#back")  # a button, not a javascript: link (the policy forbids those)
    # Back returns to the question, with its answer (the question is kept in the address).
    page.wait_for_url("**/#/ask?q=*")
    page.wait_for_selector("#answer")
    assert page.input_value("#ask-question") == "What did the director promise on NFA rates?"


def test_not_found_is_said_plainly_with_the_closest_passages(page, live_url):
    page.goto(f"{live_url}/#/ask")
    # A question the answerer declines (the papers say nothing of parking); test_api.py records the
    # plausible unanswerables it does not decline.
    page.fill("#ask-question", "How many parking fines did the council issue?")
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
    # Some rows, all West Berkshire's (every() alone holds while the table is being redrawn).
    page.wait_for_function("() => { const rows = [...document.querySelectorAll('#commitments-table tbody tr')]; return rows.length > 0 && rows.every(r => r.innerText.includes('West Berkshire')); }")
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
