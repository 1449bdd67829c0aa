"""Access control: keys, roles and restricted papers on every route, on both backends.

A small corpus holds one published paper (Medway), one for members (Medway) and one exempt
paper (Rutland, the only Rutland paper). Each carries a word no other paper has; a reader who
may not see a paper must not meet its word in any response: results, answers, facets, counts,
timelines, comparisons, commitments, authority pages or follow-up links.
"""

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

PAPERS = {
    "open.txt": {
        "access": "public",
        "authority": "Medway Council",
        "body": "Cabinet",
        "date": "2021-03-10",
        "title": "Cabinet minutes: foster carer recruitment",
        "text": "Foster carer recruitment rose to 41 new households in 2020, the Cabinet heard.\n\n"
        "The Director of Children's Services undertook to report back on foster carer recruitment by June 2021.",
    },
    "draft.txt": {
        "access": "members",
        "authority": "Medway Council",
        "body": "Members' Briefing",
        "date": "2021-04-01",
        "title": "Draft figures on foster carer recruitment",
        "text": "Draft figures on foster carer recruitment include the Zephyrine allowance for new households.\n\n"
        "The Director undertook to brief members on the Zephyrine allowance before publication in May 2021.",
    },
    "exempt.txt": {
        "access": "restricted",
        "authority": "Rutland County Council",
        "body": "Employment Committee",
        "date": "2021-05-05",
        "title": "Settlement agreement for foster carer recruitment agency staff",
        "text": "The Committee approved the Quillon settlement for foster carer recruitment agency staff.\n\n"
        "The Chief Executive undertook to report the Quillon settlement costs to Cabinet by September 2021.",
    },
}
# The word only each paper holds (no request below names one), and who may read it.
CANARY = {"public": "households in 2020", "members": "Zephyrine", "restricted": "Quillon"}
SEES = {"public": {"public"}, "member": {"public", "members"}, "officer": {"public", "members", "restricted"}}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("access-corpus")
    lines = []
    for name, paper in PAPERS.items():
        (folder / name).write_text(paper["text"], encoding="utf-8")
        lines.append(json.dumps({"file": name, "doc_type": "minutes", **{k: v for k, v in paper.items() if k != "text"}}))
    (folder / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    from service.auth import KeyStore

    store = KeyStore(tmp_path_factory.mktemp("keys") / "keys.json")
    secrets = {role: store.add(f"a {role}", role)[1] for role in ("public", "member", "officer")}
    revoked, revoked_secret = store.add("a former officer", "officer")
    store.revoke(revoked.id)
    return store, secrets, revoked_secret


@pytest.fixture(scope="module", params=["edge", "server"])
def api(request, corpus, keys, tmp_path_factory):
    """The real app over the corpus: the embedded engine, or qdrant-client's in-process server mode."""
    from indexes import IndexSettings, open_index
    from ingest.pipeline import run_ingest
    from service.app import create_app
    from service.engine import QueryEngine
    from service.settings import ServiceSettings

    store, secrets, revoked = keys
    if request.param == "edge":
        index_settings = IndexSettings(index_path=tmp_path_factory.mktemp("access-index") / "index")
    else:
        index_settings = IndexSettings(qdrant_url=":memory:", collection="access")
    settings = ServiceSettings(index=index_settings, keys_file=store.path, rate_limit_burst=1000)
    index = open_index(index_settings)
    summary = run_ingest([str(corpus)], index, show_progress=False)
    assert not summary.failed and summary.documents == 3, summary
    if request.param == "edge":
        index.close()
        app = create_app(settings)
    else:
        engine = QueryEngine(index, settings)
        index.require_scope = True
        app = create_app(settings, engine=engine)
    with TestClient(app) as client:
        yield client, secrets, revoked
    if request.param == "server":
        index.close()


def as_role(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def document_ids(client, secret) -> dict[str, str]:
    documents = client.get("/documents", headers=as_role(secret)).json()["documents"]
    return {d["title"]: d["document_id"] for d in documents}


ROUTES = [
    ("get", "/search", {"params": {"q": "settlement allowance foster carer recruitment households", "k": 20}}),
    ("get", "/search", {"params": {"q": "foster carer recruitment", "sort": "date", "k": 20}}),
    ("post", "/ask", {"json": {"question": "What settlement did the Committee approve for foster carer recruitment agency staff?", "k": 10}}),
    ("post", "/ask", {"json": {"question": "What allowance do the draft figures on foster carer recruitment include?", "k": 10}}),
    ("post", "/compare", {"json": {"question": "What did they decide about foster carer recruitment?", "authorities": ["Medway", "Rutland"]}}),
    ("get", "/timeline", {"params": {"authority": "Rutland", "q": "settlement"}}),
    ("get", "/timeline", {"params": {"authority": "Medway", "q": "foster carer allowance"}}),
    ("get", "/documents", {"params": {"limit": 50}}),
    ("get", "/commitments", {"params": {}}),
    ("get", "/authorities", {"params": {}}),
    ("get", "/authorities/Rutland", {"params": {}}),
    ("get", "/health", {"params": {}}),
    ("get", "/coverage", {"params": {}}),
]


@pytest.mark.parametrize("role", ["public", "member", "officer"])
def test_no_route_shows_a_paper_above_the_callers_role(api, role):
    client, secrets, _ = api
    seen = ""
    for method, path, arguments in ROUTES:
        response = getattr(client, method)(path, headers=as_role(secrets[role]), **arguments)
        assert response.status_code in (200, 404), (path, response.text)
        seen += response.text
        for level, word in CANARY.items():
            if level not in SEES[role]:
                assert word not in response.text, f"{role} saw the {level} paper through {method.upper()} {path}"
    # The readable papers do come through: the filter is by role, not a blanket refusal.
    for level in SEES[role]:
        assert CANARY[level] in seen, f"{role} never saw the {level} paper"


@pytest.mark.parametrize("role", ["public", "member", "officer"])
def test_counts_facets_and_links_follow_the_role(api, role):
    client, secrets, _ = api
    headers = as_role(secrets[role])
    assert client.get("/health", headers=headers).json()["documents"] == len(SEES[role])
    assert client.get("/coverage", headers=headers).json()["authorities"] == (2 if role == "officer" else 1)
    facets = client.get("/search", params={"q": "foster carer recruitment", "k": 20}, headers=headers).json()["facets"]
    assert ("Rutland" in facets["authority"]) == (role == "officer")
    assert ("Rutland" in {a["name"] for a in client.get("/authorities", headers=headers).json()["authorities"]}) == (role == "officer")
    # A follow-up link to a paper the caller may not read is a plain "not found" (no existence leak).
    exempt_id = document_ids(client, secrets["officer"])[PAPERS["exempt.txt"]["title"]]
    response = client.get(f"/documents/{exempt_id}", headers=headers)
    assert response.status_code == (200 if role == "officer" else 404)
    # A filter naming the restricted committee finds nothing to filter on below officer.
    by_body = client.get("/search", params={"q": "settlement", "body": "Employment Committee"}, headers=headers)
    assert by_body.status_code == (200 if role == "officer" else 422)


def test_server_paths_are_shown_to_officers_only(api):
    client, secrets, _ = api
    for role in ("public", "member"):
        listing = client.get("/documents", headers=as_role(secrets[role])).json()["documents"]
        assert listing and all(not source.startswith("/") for d in listing for source in d["sources"]), listing
        hits = client.get("/search", params={"q": "foster carer recruitment"}, headers=as_role(secrets[role])).json()["results"]
        assert hits and all(not (h["source"] or "").startswith("/") for h in hits)
        assert not client.get("/health", headers=as_role(secrets[role])).json()["index"].startswith("/")
    officer = client.get("/documents", headers=as_role(secrets["officer"])).json()["documents"]
    assert any(source.startswith("/") for d in officer for source in d["sources"])


def test_every_route_needs_a_valid_key_once_keys_exist(api):
    client, secrets, revoked = api
    for method, path, arguments in ROUTES:
        for headers in ({}, as_role("scr_not-a-key"), as_role(revoked), {"Authorization": f"Basic {secrets['officer']}"}):
            response = getattr(client, method)(path, headers=headers, **arguments)
            assert response.status_code == 401, (path, headers, response.text)
            assert response.json()["error"]["code"] == "unauthorized"
    assert client.get("/whoami", headers={"X-API-Key": secrets["member"]}).json() == {"name": "a member", "role": "member", "open": False}
    # The page itself loads without a key, so that it can ask for one.
    assert client.get("/").status_code == 200


def test_keys_are_stored_as_digests_only(keys):
    store, secrets, _ = keys
    stored = store.path.read_text()
    assert all(secret not in stored for secret in secrets.values())
    assert oct(store.path.stat().st_mode & 0o777) == "0o600"
