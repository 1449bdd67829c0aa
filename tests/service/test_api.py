"""The HTTP API over the sample index: answers, citations, filters, abstention and errors."""

import pytest

pytestmark = pytest.mark.slow

NFA_QUESTION = "What did the director promise on NFA rates?"


def assert_quotes_round_trip(client, items):
    texts = {}
    for item in items:
        if item["document_id"] not in texts:
            response = client.get(f"/documents/{item['document_id']}")
            assert response.status_code == 200
            texts[item["document_id"]] = response.json()["text"]
        assert texts[item["document_id"]][item["start"]:item["end"]] == item["quote"]


def test_health_reports_backend_counts_and_model(client):
    body = client.get("/health").json()
    assert body["backend"] == "qdrant-edge"
    assert body["documents"] == 10 and body["chunks"] > 100
    assert body["model"] == "sentence-transformers/all-MiniLM-L6-v2"


def test_nfa_question_is_answered_from_the_medway_action_plan_minutes(client):
    body = client.post("/ask", json={"question": NFA_QUESTION}).json()
    assert body["abstained"] is False and body["answer"]
    citations = body["citations"]
    assert {c["title"] for c in citations} == {"Ofsted Inspection of Medway's Children's Services - Action Plan"}
    quotes = " ".join(c["quote"] for c in citations)
    assert "closing cases with no further action" in quotes
    assert "reported back" in quotes
    for citation in citations:
        assert f"[{citation['n']}]" in body["answer"]
        assert citation["authority"] == "Medway" and citation["date"] == "2019-12-03"
        assert citation["url"] == "https://democracy.medway.gov.uk/mgAi.aspx?ID=22399"
    assert_quotes_round_trip(client, citations)


@pytest.mark.parametrize(
    "question",
    [
        NFA_QUESTION,
        "When will West Berkshire members receive an update report?",
        "What did the Kent committee resolve about social worker recruitment and retention?",
        "What needs to improve in Medway children's services?",
        "Who was the lead inspector for West Berkshire in 2022?",
    ],
)
def test_every_quote_is_the_document_text_at_its_offsets(client, question):
    body = client.post("/ask", json={"question": question, "k": 8}).json()
    assert body["passages"]
    assert_quotes_round_trip(client, body["citations"] + body["passages"])


def test_pdf_citations_carry_their_page(client):
    body = client.post("/ask", json={"question": "What needs to improve in Medway children's services?", "filters": {"type": ["ofsted_report"]}}).json()
    assert body["citations"]
    for citation in body["citations"]:
        assert citation["doc_type"] == "ofsted_report" and citation["page"] >= 1
        document = client.get(f"/documents/{citation['document_id']}").json()
        page_start, page_end = document["pages"][citation["page"] - 1]
        assert page_start <= citation["start"] <= page_end


@pytest.mark.parametrize(
    ("params", "field", "allowed"),
    [
        ({"authority": "Kent County Council"}, "authority", {"Kent"}),
        ({"authority": ["medway", "West Berkshire"]}, "authority", {"Medway", "West Berkshire"}),
        ({"type": "ofsted_report"}, "doc_type", {"ofsted_report"}),
        ({"type": ["minutes", "news"]}, "doc_type", {"minutes", "news"}),
        ({"body": "cabinet"}, "body", {"Cabinet"}),
    ],
)
def test_search_filters_exclude_what_they_should(client, params, field, allowed):
    body = client.get("/search", params={"q": "children's services improvement", "k": 20, **params}).json()
    assert body["results"]
    assert {r[field] for r in body["results"]} <= allowed
    assert set(body["facets"][field if field != "body" else "authority"]) <= (allowed if field != "body" else {"Kent"})


def test_date_filters_and_sorting(client):
    body = client.get("/search", params={"q": "inspection judgement", "since": "2020-01-01", "until": "2023-12-31", "sort": "date", "k": 20}).json()
    dates = [r["date"] for r in body["results"]]
    assert dates and all("2020-01-01" <= d <= "2023-12-31" for d in dates)
    assert dates == sorted(dates, reverse=True)


def test_unanswerable_question_abstains_with_closest_passages(client):
    body = client.post("/ask", json={"question": "How many electric buses did the council buy for the Margate seafront?"}).json()
    assert body["abstained"] is True
    assert body["answer"] is None and body["citations"] == []
    assert body["reason"] and body["passages"]


def test_ask_filters_restrict_the_answer(client):
    body = client.post("/ask", json={"question": "update report on recruitment and retention", "filters": {"authority": ["Medway"]}}).json()
    assert all(c["authority"] == "Medway" for c in body["citations"] + body["passages"])


def test_document_view_highlights_a_passage(client):
    ask = client.post("/ask", json={"question": NFA_QUESTION}).json()
    citation = ask["citations"][0]
    body = client.get(f"/documents/{citation['document_id']}", params={"start": citation["start"], "end": citation["end"]}).json()
    assert body["highlight"]["quote"] == citation["quote"]
    assert body["title"] == citation["title"] and body["sources"]


def test_documents_are_listed_with_filters(client):
    body = client.get("/documents", params={"type": "ofsted_report"}).json()
    assert len(body["documents"]) == 4
    assert {d["authority"] for d in body["documents"]} == {"Medway", "West Berkshire"}
    assert all("text" not in d for d in body["documents"])


@pytest.mark.parametrize(
    ("method", "path", "payload", "status", "code"),
    [
        ("post", "/ask", {"question": ""}, 422, "invalid_request"),
        ("post", "/ask", {"question": "x" * 501}, 422, "invalid_request"),
        ("post", "/ask", {}, 422, "invalid_request"),
        ("post", "/ask", {"question": NFA_QUESTION, "k": 0}, 422, "invalid_request"),
        ("post", "/ask", {"question": NFA_QUESTION, "filters": {"authority": ["Atlantis"]}}, 422, "unknown_authority"),
        ("post", "/ask", {"question": NFA_QUESTION, "filters": {"type": ["tweet"]}}, 422, "invalid_request"),
        ("post", "/ask", {"question": NFA_QUESTION, "filters": {"since": "2020-01-01", "until": "2019-01-01"}}, 422, "invalid_date_range"),
        ("post", "/ask", {"question": NFA_QUESTION, "filters": {"since": "not a date"}}, 422, "invalid_request"),
        ("get", "/search", {"q": ""}, 422, "invalid_request"),
        ("get", "/search", {"q": "caseloads", "k": 1000}, 422, "invalid_request"),
        ("get", "/search", {"q": "caseloads", "body": "Parish Council"}, 422, "unknown_body"),
        ("get", "/search", {"q": "caseloads", "sort": "random"}, 422, "invalid_request"),
        ("get", "/documents/0123456789abcdef01234567", None, 404, "document_not_found"),
        ("get", "/documents/not-an-id", None, 422, "invalid_request"),
        ("get", "/documents", {"authority": "Atlantis"}, 422, "unknown_authority"),
    ],
)
def test_bad_requests_get_clear_4xx_errors(client, method, path, payload, status, code):
    if method == "post":
        response = client.post(path, json=payload)
    else:
        response = client.get(path, params=payload)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_highlight_out_of_range_is_refused(client):
    document_id = client.get("/documents").json()["documents"][0]["document_id"]
    response = client.get(f"/documents/{document_id}", params={"start": 10, "end": 10_000_000})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_highlight"


def test_openapi_docs_are_served(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/search", "/ask", "/documents", "/documents/{document_id}", "/health"} <= set(paths)


def test_search_for_what_the_documents_never_discuss_says_so(client):
    body = client.get("/search", params={"q": "zzzqqq"}).json()
    assert body["results"] == [] and body["total"] == 0
    assert body["message"] and body["facets"] == {"authority": {}, "doc_type": {}}
    # The same search with the floor switched off would list the least unrelated passages.
    assert client.get("/search", params={"q": "caseloads"}).json()["results"]


def test_facet_counts_describe_the_matches_a_reader_can_page_through(client):
    body = client.get("/search", params={"q": "social worker recruitment", "k": 3}).json()
    assert sum(body["facets"]["authority"].values()) == sum(body["facets"]["doc_type"].values()) == body["total"]
    assert len(body["results"]) == min(3, body["total"])


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_search_pages_through_every_match_once(client, sort):
    first = client.get("/search", params={"q": "social worker recruitment", "k": 4, "sort": sort}).json()
    assert first["total"] > 8 and first["next_offset"] == 4
    seen, offset = [], 0
    while offset is not None:
        page = client.get("/search", params={"q": "social worker recruitment", "k": 4, "sort": sort, "offset": offset}).json()
        assert page["total"] == first["total"] and page["offset"] == offset
        seen += [(p["document_id"], p["start"]) for p in page["results"]]
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == first["total"]
    if sort == "date":
        dates = [p["date"] or "" for p in client.get("/search", params={"q": "social worker recruitment", "k": 100, "sort": sort}).json()["results"]]
        assert dates == sorted(dates, reverse=True)
    beyond = client.get("/search", params={"q": "social worker recruitment", "offset": first["total"]}).json()
    assert beyond["results"] == [] and beyond["next_offset"] is None and beyond["message"]


def test_citations_say_where_each_quote_comes_from(client):
    body = client.post("/ask", json={"question": NFA_QUESTION}).json()
    assert body["citations"]
    first = body["citations"][0]
    assert first["lead_in"] == "Medway, Children and Young People Overview and Scrutiny Committee minutes, 3 December 2019"
    assert body["answer"].startswith(first["lead_in"] + ": ")


def test_a_plausible_question_with_the_wrong_year_is_declined(client):
    # Right authority and topic, but no 2030 papers are held.
    body = client.post("/ask", json={"question": "How many children were in care in Medway in 2030?"}).json()
    assert body["abstained"] is True and body["answer"] is None
    # Papers written before 2030 that never name it cannot say how 2030 went (once answered from
    # Medway's 2019 caseload sentence).
    assert "the year" in body["reason"]


def test_coverage_says_what_the_index_holds(client):
    body = client.get("/coverage").json()
    documents = client.get("/documents", params={"limit": 500}).json()["documents"]
    assert body["documents"] == len(documents) == sum(body["by_type"].values())
    assert body["by_type"]["ofsted_report"] == sum(d["doc_type"] == "ofsted_report" for d in documents)
    assert body["authorities"] == len({d["authority"] for d in documents if d["authority"]})
    dated = sorted(d["date"] for d in documents if d["date"])
    assert (body["earliest"], body["latest"], body["undated"]) == (dated[0], dated[-1], len(documents) - len(dated))
    # The sample index was built in this test session.
    from datetime import UTC, datetime, timedelta

    assert datetime.now(UTC) - datetime.fromisoformat(body["last_ingest"]) < timedelta(hours=6)


def test_search_results_download_as_csv(client):
    import csv
    import io

    params = {"q": "social worker recruitment", "k": 5}
    body = client.get("/search", params=params).json()
    response = client.get("/search", params={**params, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv") and "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert [r["quote"] for r in rows] == [p["quote"] for p in body["results"]]
    assert all(r["link"].endswith(f"/documents/{p['document_id']}?start={p['start']}&end={p['end']}") for r, p in zip(rows, body["results"]))


def test_commitments_download_as_csv_without_formula_injection(client):
    import csv
    import io

    register = client.get("/commitments").json()
    response = client.get("/commitments", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert len(rows) == len(register["commitments"]) > 0
    for row, item in zip(rows, register["commitments"]):
        assert row["status"] == item["status"] and row["commitment"].lstrip("'") == item["what"]
        assert not row["commitment"].startswith(("=", "+", "-", "@"))


def test_csv_cells_that_look_like_formulas_are_quoted():
    from service.csv_export import _cell

    assert _cell("=HYPERLINK(\"http://evil\")") == "'=HYPERLINK(\"http://evil\")"
    assert _cell("-2+3") == "'-2+3"
    assert _cell("Director undertook to report") == "Director undertook to report"
    assert _cell(None) == "" and _cell(3) == "3"
