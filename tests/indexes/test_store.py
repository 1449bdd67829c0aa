"""The index facade over both backends: storage, search, filters, removal, locking."""

import subprocess
import sys

import pytest

from indexes import (
    ChunkRecord,
    DocumentNotFoundError,
    DocumentRecord,
    IndexSchemaError,
    IndexSettings,
    SearchFilter,
    open_index,
)
from indexes.sparse import bm25_encoder

TEXTS = {
    "medway": [
        "Rates in Medway of closing cases with no further action were high compared to other areas.",
        "The Director undertook to take forward the request for the Independent Chair to attend.",
        "Acronyms: the document had too many acronyms and the Director undertook to address this.",
    ],
    "kent": [
        "The Chairman asked that an update report on social worker recruitment and retention be made.",
        "Kent had a much higher number of children in care and unaccompanied asylum seeking children.",
    ],
}
DATES = {"medway": "2019-12-03", "kent": "2015-06-10"}
AUTHORITY = {"medway": "Medway", "kent": "Kent"}


def fake_vector(text: str, dimension: int = 8) -> list[float]:
    """A deterministic stand-in for an embedding: letter counts folded into `dimension` slots."""
    vector = [0.0] * dimension
    for i, char in enumerate(text.lower()):
        if char.isalpha():
            vector[(ord(char) + i % 3) % dimension] += 1.0
    norm = sum(v * v for v in vector) ** 0.5 or 1.0
    return [v / norm for v in vector]


def fill(index) -> None:
    encoder = bm25_encoder(index.settings.bm25_avg_len)
    for key, texts in TEXTS.items():
        document_id = f"doc-{key}"
        full = "\n\n".join(texts)
        chunks, position = [], 0
        for i, text in enumerate(texts):
            start = full.index(text, position)
            position = start + len(text)
            meta = {"authority": AUTHORITY[key], "date": DATES[key], "doc_type": "minutes", "title": key, "source": f"/{key}.txt"}
            chunks.append(ChunkRecord(document_id, i, text, start, position, fake_vector(text), encoder.embed_document(text), meta))
        index.put_document(DocumentRecord(document_id, full, [f"/{key}.txt"], {"title": key, "authority": AUTHORITY[key], "date": DATES[key], "doc_type": "minutes"}), chunks)


@pytest.fixture(params=["edge", "memory"])
def index(request, tmp_path):
    # Letter-count vectors make the dense branch noise; rank fusion keeps these tests about BM25,
    # filters and storage (score fusion has its own test below).
    settings = IndexSettings(index_path=tmp_path / "ix", dimension=8, qdrant_url=":memory:" if request.param == "memory" else None, fusion="rrf")
    with open_index(settings) as opened:
        fill(opened)
        yield opened


def test_documents_round_trip_with_text_and_sources(index):
    document = index.get_document("doc-medway")
    assert document["sources"] == ["/medway.txt"]
    assert document["text"].startswith("Rates in Medway")
    with pytest.raises(DocumentNotFoundError):
        index.get_document("missing")


def test_warming_reads_every_passage_embedded_and_none_from_a_server_and_changes_no_result(index):
    query = "closing cases with no further action"
    before = [(h.id, h.score) for h in index.search(dense=fake_vector(query), query_text=query, limit=5)]
    embedded = index.settings.qdrant_url is None
    assert index.warm() == (index.count_chunks() if embedded else 0)
    assert index.count_chunks() == 5
    assert [(h.id, h.score) for h in index.search(dense=fake_vector(query), query_text=query, limit=5)] == before


def test_hybrid_search_ranks_the_matching_passage_first(index):
    query = "closing cases with no further action"
    hits = index.search(dense=fake_vector(query), query_text=query, limit=3)
    assert hits[0].payload["text"].startswith("Rates in Medway")
    hit = hits[0].payload
    assert index.get_document(hit["document_id"])["text"][hit["start"]:hit["end"]] == hit["text"]


def test_score_fusion_is_the_weighted_sum_of_min_max_normalised_branch_scores(index):
    query = "the director undertook to address acronyms"
    vector = fake_vector(query)
    branches = {
        mode: {h.id: h.score for h in index.search(dense=vector, query_text=query, mode=mode, limit=50, prefetch_limit=50)}
        for mode in ("dense", "sparse")
    }
    expected: dict[str, float] = {}
    for weight, scores in ((0.25, branches["dense"]), (0.75, branches["sparse"])):
        top, bottom = max(scores.values()), min(scores.values())
        for chunk, score in scores.items():
            expected[chunk] = expected.get(chunk, 0.0) + weight * (score - bottom) / (top - bottom)
    chosen, index.settings.fusion = index.settings.fusion, "score"
    try:
        hits = index.search(dense=vector, query_text=query, limit=5, prefetch_limit=50, weights=(1.0, 3.0))
        kent_only = index.search(dense=vector, query_text=query, limit=5, search_filter=SearchFilter(authorities=["Kent"]))
    finally:
        index.settings.fusion = chosen
    assert [h.id for h in hits] == sorted(expected, key=expected.get, reverse=True)[:5]
    assert [round(h.score, 6) for h in hits] == [round(expected[h.id], 6) for h in hits]
    assert hits[0].payload["text"].startswith("Acronyms")
    assert kent_only and {h.payload["authority"] for h in kent_only} == {"Kent"}


@pytest.mark.parametrize(
    ("search_filter", "allowed"),
    [
        (SearchFilter(authorities=["Kent"]), {"Kent"}),
        (SearchFilter(authorities=["Kent", "Medway"]), {"Kent", "Medway"}),
        (SearchFilter(since=__import__("datetime").date(2019, 1, 1)), {"Medway"}),
        (SearchFilter(until=__import__("datetime").date(2016, 1, 1)), {"Kent"}),
    ],
)
def test_filters_exclude_what_they_should(index, search_filter, allowed):
    query = "the director undertook to report"
    hits = index.search(dense=fake_vector(query), query_text=query, limit=10, search_filter=search_filter)
    assert hits
    assert {h.payload["authority"] for h in hits} <= allowed


def test_sparse_only_search_needs_a_matching_term(index):
    assert index.search(dense=None, query_text="zzzqqq", mode="sparse", limit=3) == []
    hits = index.search(dense=None, query_text="acronyms", mode="sparse", limit=3)
    assert "acronyms" in hits[0].payload["text"]


def test_removing_the_last_source_removes_document_and_chunks(index):
    before = index.count_chunks()
    assert index.remove_source("/kent.txt") == "doc-kent"
    assert index.count_chunks() == before - 2
    assert index.has_document("doc-kent") is None
    assert index.remove_source("/kent.txt") is None


def test_a_document_with_two_sources_survives_losing_one(index):
    index.set_sources("doc-kent", ["/kent.txt", "/copy-of-kent.txt"])
    index.remove_source("/kent.txt")
    assert index.get_document("doc-kent")["sources"] == ["/copy-of-kent.txt"]
    assert index.count_chunks(SearchFilter(document_ids=["doc-kent"])) == 2


@pytest.mark.parametrize("fusion", ["score", "rrf"])
def test_embedded_and_server_backends_return_the_same_ids(tmp_path, fusion):
    results = {}
    for backend, url in (("edge", None), ("memory", ":memory:")):
        with open_index(IndexSettings(index_path=tmp_path / backend, dimension=8, qdrant_url=url, fusion=fusion)) as opened:
            fill(opened)
            runs = []
            for query in ("no further action", "update report on recruitment", "children in care", "independent chair"):
                for mode in ("hybrid", "dense", "sparse"):
                    hits = opened.search(dense=fake_vector(query), query_text=query, limit=5, mode=mode)
                    runs.append([h.id for h in hits])
                filtered = opened.search(dense=fake_vector(query), query_text=query, limit=5, search_filter=SearchFilter(authorities=["Medway"]))
                runs.append([h.id for h in filtered])
            results[backend] = runs
    assert results["edge"] == results["memory"]


def test_a_second_process_is_refused_with_the_holder_named(tmp_path):
    settings = IndexSettings(index_path=tmp_path / "ix", dimension=8)
    with open_index(settings, purpose="scrutiny serve") as opened:
        opened.announce(url="http://127.0.0.1:8000")
        code = (
            "import sys\n"
            "from indexes import IndexSettings, IndexLockedError, open_index\n"
            f"s = IndexSettings(index_path={str(tmp_path / 'ix')!r}, dimension=8)\n"
            "try:\n    open_index(s)\nexcept IndexLockedError as e:\n    print(e); sys.exit(7)\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 7
    assert "scrutiny serve" in result.stdout and "http://127.0.0.1:8000" in result.stdout
    # Once released, the index opens again.
    with open_index(settings):
        pass


def test_an_index_built_with_another_schema_is_refused(tmp_path):
    with open_index(IndexSettings(index_path=tmp_path / "ix", dimension=8)):
        pass
    with pytest.raises(IndexSchemaError):
        open_index(IndexSettings(index_path=tmp_path / "ix", dimension=16))
