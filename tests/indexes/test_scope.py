"""The reader's scope: every read the index makes carries the reader's access levels, on both
backends, and a service-side index refuses to read without one."""

import pytest

from indexes import ChunkRecord, CommitmentRecord, DocumentNotFoundError, DocumentRecord, IndexSettings, SearchFilter, open_index
from indexes.scope import ScopeMissingError, reading_as
from indexes.sparse import bm25_encoder
from tests.indexes.test_store import fake_vector

PAPERS = {
    # key: (access, text)
    "open": ("public", "Caseloads of social workers in Medway fell to twenty children each."),
    "draft": ("members", "Draft budget: caseloads of social workers to be funded by reserves."),
    "exempt": ("restricted", "Exempt: the settlement with the former director over caseloads of social workers."),
}
PUBLIC, MEMBER, OFFICER = ("public",), ("public", "members"), ("public", "members", "restricted")


@pytest.fixture(params=["edge", "memory"])
def index(request, tmp_path):
    settings = IndexSettings(index_path=tmp_path / "ix", dimension=8, qdrant_url=":memory:" if request.param == "memory" else None, fusion="rrf")
    with open_index(settings) as opened:
        encoder = bm25_encoder(opened.settings.bm25_avg_len)
        for key, (access, text) in PAPERS.items():
            meta = {"authority": "Medway", "date": "2020-01-15", "doc_type": "minutes", "title": key, "access": access, "body": f"{key} committee"}
            chunk = ChunkRecord(f"doc-{key}", 0, text, 0, len(text), fake_vector(text), encoder.embed_document(text), meta)
            opened.put_document(DocumentRecord(f"doc-{key}", text, [f"/{key}.txt"], meta), [chunk])
            opened.put_commitments(
                f"doc-{key}",
                [CommitmentRecord(f"doc-{key}", 0, len(text), text, encoder.embed_document(text), {**meta, "who": "the Director"})],
            )
        opened.require_scope = True
        yield opened


def titles(records) -> set[str]:
    return {r["title"] if isinstance(r, dict) else r.payload["title"] for r in records}


@pytest.mark.parametrize("levels, expected", [(PUBLIC, {"open"}), (MEMBER, {"open", "draft"}), (OFFICER, {"open", "draft", "exempt"})])
def test_every_read_sees_only_the_readers_levels(index, levels, expected):
    with reading_as(levels):
        hits = index.search(dense=fake_vector("caseloads"), query_text="caseloads social workers", limit=10)
        assert titles(hits) == expected
        assert titles(index.search(dense=None, query_text="caseloads", mode="sparse", limit=10)) == expected
        assert titles(index.iter_documents()) == expected
        assert titles(index.list_documents()[0]) == expected
        assert titles(index.iter_chunks()) == expected
        assert titles(index.iter_commitments()) == expected
        assert index.count_documents() == len(expected)
        assert index.count_chunks() == len(expected)
        assert {body for body, _ in index.facet("body", collection="documents")} == {f"{key} committee" for key in expected}
        assert sum(count for _, count in index.facet("authority")) == len(expected)
        for key in PAPERS:
            if key in expected:
                assert index.get_document(f"doc-{key}")["title"] == key
            else:
                with pytest.raises(DocumentNotFoundError):
                    index.get_document(f"doc-{key}")


def test_a_callers_filter_cannot_widen_the_scope(index):
    with reading_as(PUBLIC):
        assert titles(index.iter_documents(SearchFilter(access=("restricted",)))) == set()
        assert titles(index.iter_documents(SearchFilter(document_ids=["doc-exempt"]))) == set()


def test_reading_without_a_scope_fails_loudly_when_one_is_required(index):
    with pytest.raises(ScopeMissingError):
        index.count_documents()
    with pytest.raises(ScopeMissingError):
        index.get_document("doc-open")
    index.require_scope = False  # ingest and the operator's CLI read everything
    assert index.count_documents() == 3
