"""GET /documents/{id}/original: the paper itself, only as it was indexed, only for readers
allowed to see it, by header or by a signed link."""

import json
import shutil

import pytest
from fastapi.testclient import TestClient

from tests.conftest import SAMPLE

PDF = SAMPLE / "ofsted" / "80522_medway" / "children's services inspection - 11 september 2023.pdf"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from indexes import IndexSettings, open_index
    from ingest.pipeline import run_ingest
    from service.app import create_app
    from service.auth import KeyStore
    from service.settings import ServiceSettings

    folder = tmp_path_factory.mktemp("originals")
    shutil.copy(PDF, folder / "medway-2023.pdf")
    (folder / "web.html").write_text(
        "<html><head><title>Foster carers wanted</title><script>document.title='pwned'</script></head>"
        "<body><article><h1>Foster carers wanted</h1><p>Medway Council is looking for foster carers for teenagers "
        "and sibling groups, the cabinet member said on Tuesday.</p></article></body></html>",
        encoding="utf-8",
    )
    (folder / "exempt.txt").write_text("The Committee approved the settlement with the agency in closed session.", encoding="utf-8")
    (folder / "manifest.jsonl").write_text(
        json.dumps({"file": "exempt.txt", "doc_type": "minutes", "authority": "Medway", "date": "2021-05-05", "title": "Exempt minute", "access": "restricted"}) + "\n"
        + json.dumps({"file": "web.html", "doc_type": "news", "authority": "Medway", "date": "2021-05-06", "url": "https://www.example.org/news/foster-carers"}) + "\n",
        encoding="utf-8",
    )
    index_settings = IndexSettings(index_path=folder / "index")
    with open_index(index_settings) as index:
        summary = run_ingest([str(folder / name) for name in ("medway-2023.pdf", "web.html", "exempt.txt")], index, show_progress=False)
    assert not summary.failed and summary.documents == 3, summary
    store = KeyStore(folder / "keys.json")
    secrets = {role: store.add(role, role)[1] for role in ("public", "officer")}
    revoked, revoked_secret = store.add("leaver", "officer")
    app = create_app(ServiceSettings(index=index_settings, keys_file=store.path))
    with TestClient(app) as client:
        ids = {d["title"]: d["document_id"] for d in client.get("/documents", headers={"X-API-Key": secrets["officer"]}).json()["documents"]}
        yield client, folder, secrets, store, revoked, revoked_secret, ids


def by_title(ids, fragment):
    return next(document_id for title, document_id in ids.items() if fragment.lower() in (title or "").lower())


def test_a_pdf_is_sent_as_indexed_through_its_signed_link(served):
    client, folder, secrets, *_, ids = served
    pdf_id = by_title(ids, "Medway")
    detail = client.get(f"/documents/{pdf_id}", headers={"X-API-Key": secrets["public"]}).json()
    assert detail["original_url"].startswith(f"/documents/{pdf_id}/original?grant=")
    response = client.get(detail["original_url"])  # no header: a browser following the link
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content == (folder / "medway-2023.pdf").read_bytes()
    assert response.headers["content-disposition"].startswith("inline")


def test_a_saved_web_page_is_sandboxed_and_its_address_is_kept(served):
    client, _, secrets, *_, ids = served
    page_id = by_title(ids, "Foster carers")
    response = client.get(f"/documents/{page_id}/original", headers={"X-API-Key": secrets["public"]})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == "sandbox"


def test_links_fail_when_forged_moved_expired_or_revoked(served):
    client, _, secrets, store, revoked, revoked_secret, ids = served
    pdf_id, page_id = by_title(ids, "Medway"), by_title(ids, "Foster carers")
    assert client.get(f"/documents/{pdf_id}/original").status_code == 401
    assert client.get(f"/documents/{pdf_id}/original?grant=abc.1.def").status_code == 401
    grant = client.get(f"/documents/{pdf_id}", headers={"X-API-Key": secrets["public"]}).json()["original_url"].split("grant=")[1]
    assert client.get(f"/documents/{page_id}/original?grant={grant}").status_code == 401  # another document's grant
    leaver = client.get(f"/documents/{pdf_id}", headers={"X-API-Key": revoked_secret}).json()["original_url"]
    assert client.get(leaver).status_code == 200
    store.revoke(revoked.id)
    assert client.get(leaver).status_code == 401


def test_a_restricted_paper_is_not_found_below_officer(served):
    client, _, secrets, *_, ids = served
    exempt_id = by_title(ids, "Exempt")
    assert client.get(f"/documents/{exempt_id}/original", headers={"X-API-Key": secrets["public"]}).status_code == 404
    assert client.get(f"/documents/{exempt_id}/original", headers={"X-API-Key": secrets["officer"]}).status_code == 200


def test_a_file_changed_since_indexing_is_not_served_as_the_paper(served):
    client, folder, secrets, *_, ids = served
    exempt_id = by_title(ids, "Exempt")
    path = folder / "exempt.txt"
    original = path.read_text()
    try:
        path.write_text(original + " Amended later.")
        response = client.get(f"/documents/{exempt_id}/original", headers={"X-API-Key": secrets["officer"]})
        assert response.status_code == 404 and response.json()["error"]["code"] == "original_not_found"
        assert client.get(f"/documents/{exempt_id}", headers={"X-API-Key": secrets["officer"]}).json()["original_url"] is None
    finally:
        path.write_text(original)
