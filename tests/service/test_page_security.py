"""The page in a real browser when stored metadata is hostile, and the sign-in with access keys.

The hostile documents are written straight into the index with `indexes` (bypassing ingest's
validation), as an older ingest, a compromised source or a hand-edited Qdrant collection could
have left them: whatever the API returns, the page must show it as text and link nothing but
http(s). The app is the real one with real keys (service.auth.KeyStore), served over HTTP under
the service's Content-Security-Policy; any violation fails the test.
"""

import re
import shutil

import pytest

from tests.service.test_page import browser, free_port, serve, shot, watched_context  # noqa: F401 (browser is a fixture)

pytestmark = pytest.mark.slow

# Each payload sets window.__pwned if it ever runs; none may.
PAYLOAD_DATE = '<img src=x onerror="window.__pwned=1">'  # Chromium's Date.parse reads this as 2001
PAYLOAD_SCRIPT = "<script>window.__pwned=2</script>"
PAYLOAD_URL = "javascript:window.__pwned=3"
PAYLOAD_TEXT = '<img src=x onerror="window.__pwned=4">'
PAYLOAD_GRADE = '<img src=x onerror="window.__pwned=5">'
PAYLOAD_INSPECTOR = '<svg onload="window.__pwned=6"></svg>'
PAYLOAD_ID_LIKE = '"><img src=x onerror="window.__pwned=7">'

MINUTES_ID = "badc0ffee000000000000001"
GRADED_REPORT_ID = "badc0ffee000000000000002"
UNGRADED_REPORT_ID = "badc0ffee000000000000003"
TOPIC = "quokka placements"


def _write_hostile_documents(index) -> None:
    from indexes import ChunkRecord, DocumentRecord
    from service.onnx_encoder import shared_encoder

    encoder = shared_encoder(index.settings.model)

    def put(document_id: str, text: str, meta: dict, chunk_meta: dict | None = None) -> None:
        dense = encoder.encode([text])[0].tolist()
        chunk = ChunkRecord(document_id, 0, text, 0, len(text), dense, index.sparse_encoder.embed_document(text), {**meta, **(chunk_meta or {})})
        index.put_document(DocumentRecord(document_id, text, ["hostile-paper.txt"], meta), [chunk])

    minutes = (
        f"The committee discussed {TOPIC} at length. Quokka placements in foster care rose this year, "
        f"and the director undertook to report on quokka placements again. {PAYLOAD_TEXT} {PAYLOAD_SCRIPT}"
    )
    put(
        MINUTES_ID,
        minutes,
        {
            "title": f"Minutes {PAYLOAD_SCRIPT}",
            "authority": "Medway",
            "body": f"Cabinet {PAYLOAD_SCRIPT}",
            "date": PAYLOAD_DATE,
            "doc_type": "minutes",
            "url": PAYLOAD_URL,
            "access": "public",
        },
        # No source on the passage: the page falls back to showing the (unlinkable) URL as text.
        {"section": PAYLOAD_ID_LIKE},
    )
    first_line = "Overall effectiveness: Good"
    report = f"{first_line}\nInspection dates: hostile.\nQuokka placements were reviewed by inspectors."
    put(
        GRADED_REPORT_ID,
        report,
        {
            "title": f"Ofsted {PAYLOAD_SCRIPT}",
            "authority": "Medway",
            "body": "Ofsted",
            "date": PAYLOAD_DATE,
            "doc_type": "ofsted_report",
            "url": PAYLOAD_URL,
            "access": "public",
            "ofsted": {
                "framework": PAYLOAD_SCRIPT,
                "inspection_start": PAYLOAD_DATE,
                "inspection_end": PAYLOAD_TEXT,
                "lead_inspector": PAYLOAD_INSPECTOR,
                "grades": {"overall_effectiveness": "good", "help_and_protection": PAYLOAD_GRADE},
                "spans": {"overall_effectiveness": [0, len(first_line)]},
            },
        },
    )
    put(
        UNGRADED_REPORT_ID,
        f"Overall effectiveness: {PAYLOAD_GRADE}",
        {
            "title": "Ofsted, a grade no inspector gives",
            "authority": "Medway",
            "body": "Ofsted",
            "date": f"2021-03-04 ({PAYLOAD_TEXT})",
            "doc_type": "ofsted_report",
            "access": "public",
            "ofsted": {"grades": {"overall_effectiveness": PAYLOAD_GRADE}, "lead_inspector": PAYLOAD_SCRIPT},
        },
    )


@pytest.fixture(scope="module")
def hostile_index(sample_index_path, tmp_path_factory):
    """The sample index plus three documents whose stored metadata carries script payloads."""
    import indexes.schema
    from indexes import IndexSettings, open_index

    path = tmp_path_factory.mktemp("hostile") / "index"
    shutil.copytree(sample_index_path, path)
    (path / ".lock").unlink(missing_ok=True)
    strict_date_int = indexes.schema.date_int

    def tolerant_date_int(value):
        try:
            return strict_date_int(value)
        except ValueError:
            return None  # a date that is not one: stored as given, like data from elsewhere

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(indexes.schema, "date_int", tolerant_date_int)
        with open_index(IndexSettings(index_path=path)) as index:
            _write_hostile_documents(index)
    return path


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    from service.auth import KeyStore

    return KeyStore(tmp_path_factory.mktemp("keys") / "keys.json")


@pytest.fixture(scope="module")
def officer_key(keys) -> str:
    return keys.add("Olive Officer", "officer")[1]


@pytest.fixture(scope="module")
def live_url(hostile_index, keys, officer_key):
    from indexes import IndexSettings
    from service.app import create_app
    from service.settings import ServiceSettings

    port = free_port()
    # A generous rate so the journeys below never meet it (429 is tested on its own).
    settings = ServiceSettings(index=IndexSettings(index_path=hostile_index), port=port, keys_file=keys.path, rate_limit_burst=500, rate_limit_per_minute=5000)
    yield from serve(create_app(settings), port)


@pytest.fixture
def watched(browser):
    """A page that records dialogs, CSP violations and script errors; none may happen."""
    context, violations = watched_context(browser, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    dialogs, errors = [], []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    opened.on("dialog", on_dialog)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    assert dialogs == [], dialogs
    assert violations == [], violations
    assert errors == [], errors
    context.close()


def sign_in(page, live_url: str, key: str) -> None:
    page.goto(f"{live_url}/")
    page.wait_for_selector("#signin-form")
    page.fill("#signin-key", key)
    page.press("#signin-key", "Enter")
    page.wait_for_selector("#sign-out")


def assert_nothing_ran(page) -> None:
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    # No element a payload would have made, and no link but http(s) (page anchors resolve to http).
    assert page.locator("main img, main script, main iframe, main [onerror], main [onload]").count() == 0
    protocols = page.evaluate("() => [...document.querySelectorAll('a[href]')].map((a) => a.protocol)")
    assert set(protocols) <= {"http:", "https:"}, protocols


def test_hostile_metadata_is_text_in_search_results_and_the_javascript_url_is_no_link(watched, live_url, officer_key):
    sign_in(watched, live_url, officer_key)
    watched.goto(f"{live_url}/#/search?q={TOPIC.replace(' ', '+')}")
    hostile = watched.locator("ol.results li", has_text="Minutes <script>")
    hostile.first.wait_for()
    # Shown exactly as stored, as text.
    assert hostile.first.locator("strong").inner_text() == f"Minutes {PAYLOAD_SCRIPT}"
    assert PAYLOAD_DATE in hostile.first.locator(".where").inner_text()
    # The javascript: address is written out, not linked; clicking it does nothing.
    assert hostile.first.locator("a", has_text="Original source").count() == 0
    assert hostile.first.locator(".source").inner_text() == PAYLOAD_URL
    hostile.first.locator(".source").click()
    assert watched.locator("a[href^='javascript']").count() == 0
    assert_nothing_ran(watched)
    # An ordinary web address is still a link, opened without opener or referrer.
    linked = watched.locator("ol.results a", has_text="Original source")
    if linked.count():
        assert linked.first.get_attribute("href").startswith(("http://", "https://"))
        assert linked.first.get_attribute("rel") == "noopener noreferrer"

    hostile.first.locator("a", has_text="Read in the document").click()
    watched.wait_for_selector("#document-text")
    assert watched.inner_text("main h2") == f"Minutes {PAYLOAD_SCRIPT}"
    assert PAYLOAD_TEXT in watched.inner_text("#highlight")
    original = watched.locator("#original-link")
    if original.count():  # the service's own link to the paper, never the stored javascript: URL
        assert original.get_attribute("href").startswith(f"{live_url}/documents/{MINUTES_ID}/original")
    assert_nothing_ran(watched)
    shot(watched, "hostile-document")


def test_hostile_ofsted_dates_and_grades_are_text_in_the_chart_and_table(watched, live_url, officer_key):
    sign_in(watched, live_url, officer_key)
    watched.goto(f"{live_url}/#/authority/Medway")
    watched.wait_for_selector("#grade-chart")
    # The report graded "good" with a date Chromium places in 2001 is drawn; its date is text.
    titles = watched.locator("#grade-chart title").all_text_contents()
    assert f"{PAYLOAD_DATE}: good" in titles
    assert watched.locator("#grade-chart circle").count() == len(titles) == 3
    assert PAYLOAD_DATE in watched.get_attribute("#grade-chart", "aria-label")
    table = watched.inner_text("#inspections-table")
    for payload in (PAYLOAD_DATE, PAYLOAD_TEXT, PAYLOAD_INSPECTOR, PAYLOAD_GRADE, PAYLOAD_SCRIPT):
        assert payload in table
    # An unknown grade gets no grade class (class names come from the known grades only).
    ungraded = watched.locator("#inspections-table tr", has_text=f"2021-03-04 ({PAYLOAD_TEXT})")
    assert ungraded.locator("td[data-label=Overall]").get_attribute("class") == ""
    assert_nothing_ran(watched)

    watched.fill("#timeline-q", TOPIC)
    watched.click("#timeline-form button[type=submit]")
    watched.wait_for_selector("#timeline li strong")
    assert PAYLOAD_DATE in watched.locator("#timeline li strong").all_inner_texts()
    assert_nothing_ran(watched)
    shot(watched, "hostile-authority")


def test_the_original_paper_opens_from_the_document_view_with_a_signed_link(watched, live_url, officer_key):
    """A browser following a link cannot send the key header: the page links the service's
    signed link to the paper, which opens without one."""
    sign_in(watched, live_url, officer_key)
    watched.goto(f"{live_url}/#/search?q=closing+cases+with+no+further+action")
    watched.locator("ol.results li a", has_text="Read in the document").first.click()
    watched.wait_for_selector("#original-link")
    href = watched.get_attribute("#original-link", "href")
    assert href.startswith(f"{live_url}/documents/") and "/original?grant=" in href
    assert watched.get_attribute("#original-link", "rel") == "noopener noreferrer"
    assert watched.request.get(href, max_redirects=0).status in (200, 307)
    assert_nothing_ran(watched)


def test_ask_cites_hostile_passages_as_text(watched, live_url, officer_key):
    sign_in(watched, live_url, officer_key)
    watched.goto(f"{live_url}/#/ask")
    watched.fill("#ask-question", "What did the director undertake about quokka placements?")
    watched.press("#ask-question", "Enter")
    watched.wait_for_selector("#answer")
    assert "<script>" in watched.inner_text("#ask-result")  # the hostile title or body, as text
    assert watched.locator("#ask-result a[href^='javascript']").count() == 0
    assert_nothing_ran(watched)


def test_sign_in_with_a_key_search_sign_out_and_a_revoked_key(browser, live_url, keys):
    member, secret = keys.add("Councillor Jo Test", "member")
    context, violations = watched_context(browser, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sent = []
    page.on("request", lambda request: sent.append((request.url, request.headers.get("authorization"))))

    page.goto(f"{live_url}/#/search")
    page.wait_for_selector("#signin-form")
    assert page.locator("header nav").is_hidden()
    assert page.get_attribute("#signin-key", "type") == "password"
    assert page.locator("label[for=signin-key]").inner_text().startswith("Access key")
    shot(page, "signin")

    page.fill("#signin-key", "scr_not-a-real-key")
    page.click("#signin-form button[type=submit]")
    page.wait_for_function("() => document.getElementById('signin-message').textContent.includes('not recognised')")
    assert page.locator("#sign-out").count() == 0
    shot(page, "signin-wrong-key")

    page.fill("#signin-key", secret)
    page.press("#signin-key", "Enter")
    page.wait_for_selector("#sign-out")
    assert page.inner_text("#session").startswith("Signed in as Councillor Jo Test (member)")
    # Kept for this tab only, never in localStorage.
    assert page.evaluate("() => Object.values(sessionStorage)") == [secret]
    assert page.evaluate("() => localStorage.length") == 0

    page.wait_for_selector("#search-q")
    page.fill("#search-q", TOPIC)  # a public paper (the sample's papers carry no access level yet)
    page.click("#search-form button[type=submit]")
    page.wait_for_selector("ol.results li")
    searched = [auth for url, auth in sent if "/search?" in url]
    assert searched == [f"Bearer {secret}"]

    page.click("#sign-out")
    page.wait_for_selector("#signin-form")
    assert "signed out" in page.inner_text("#signin-message")
    assert page.evaluate("() => sessionStorage.length") == 0
    page.goto(f"{live_url}/#/commitments")
    page.wait_for_selector("#signin-form")
    assert page.locator("#commitments-table").count() == 0

    # A key revoked while the page is open: the next request returns to the form, saying why.
    page.fill("#signin-key", secret)
    page.press("#signin-key", "Enter")
    page.wait_for_selector("#commitments-table")
    keys.revoke(member.id)
    page.click("#commitments-form button[type=submit]")
    page.wait_for_selector("#signin-form")
    assert "no longer accepted" in page.inner_text("#signin-message")
    assert page.evaluate("() => sessionStorage.length") == 0
    assert violations == [], violations
    context.close()


def test_too_many_requests_says_when_to_try_again(watched, live_url, officer_key):
    sign_in(watched, live_url, officer_key)
    watched.wait_for_selector("#ask-question")
    watched.route(
        re.compile(r".*/search\?.*"),
        lambda route: route.fulfill(status=429, headers={"Retry-After": "7"}, json={"error": {"code": "rate_limited", "message": "too many requests for this key; try again in 7 s"}}),
    )
    watched.goto(f"{live_url}/#/search?q=caseloads")
    watched.wait_for_selector("#search-results .error")
    assert watched.inner_text("#search-results .error") == "Too many requests — try again in 7 seconds"
    assert watched.locator("#sign-out").count() == 1  # still signed in


def test_sign_in_form_on_a_phone(browser, live_url):
    context, violations = watched_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_url}/")
    page.wait_for_selector("#signin-form")
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
    shot(page, "signin-narrow")
    assert violations == [], violations
    context.close()
