"""An axe-core scan of every view, at desktop and phone widths, in real headless Chromium: zero
violations. axe-core's script comes bundled in the axe-playwright-python wheel (no download);
it is run through DevTools evaluation, which the page's Content-Security-Policy does not govern.
A screenshot of each view at each width goes to var/screenshots/."""

from importlib.resources import files

import pytest

from tests.service.test_page import browser, live_url, shot, watched_context  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow

AXE = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
WIDTHS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
VIEWS = [
    ("ask", "/#/ask?q=What+did+the+director+promise+on+NFA+rates%3F", "#answer"),
    ("search", "/#/search?q=caseloads&authority=Medway", "#search-results ol.results li"),
    ("compare", "/#/compare?q=How+did+the+council+respond+to+an+inadequate+Ofsted+judgement%3F&authority=Medway&authority=West+Berkshire", "#compare-table tbody tr"),
    ("commitments", "/#/commitments", "#commitments-table tbody tr"),
    ("authority", "/#/authority/West%20Berkshire", "#inspections-table tbody tr"),
    ("authorities", "/#/authority", ".authority-list li"),
    ("empty-search", "/#/search?q=zzzqqq", "#search-results h3"),
]


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document, { resultTypes: ['violations'] })")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_view_has_no_accessibility_violations(browser, live_url, width):  # noqa: F811
    context, csp_violations = watched_context(browser, viewport=WIDTHS[width])
    page = context.new_page()
    found = {}
    for name, route, ready in VIEWS:
        page.goto(f"{live_url}{route}")
        page.wait_for_selector(ready)
        found[name] = axe_violations(page)
        shot(page, f"{name}-{width}")
    # The document view, opened from the answer's first citation.
    page.goto(f"{live_url}{VIEWS[0][1]}")
    page.wait_for_selector("#answer")
    page.click("#citation-1 >> text=Read in the document")
    page.wait_for_selector("#highlight")
    found["document"] = axe_violations(page)
    shot(page, f"document-{width}")
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
    assert csp_violations == []
